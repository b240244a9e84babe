package drive

import "time"

// FileType distinguishes files from folders.
type FileType int

// The file types, numbered as on the wire.
const (
	TypeFile   FileType = 0
	TypeFolder FileType = 1
)

// File is a node of a user's tree: a file or a folder. Roots have no parent
// and an empty name; trashed items have no parent and a random name.
type File struct {
	ID            int
	Type          FileType
	Name          string
	OwnerID       int
	Size          int64 // size of the primary entity; 0 for folders
	PrimaryEntity int   // 0: none (folders, empty files)
	ParentID      int   // 0: none (roots, trashed items)
	IsSymbolic    bool
	Props         FileProps
	PolicyID      int
	CreatedAt     time.Time
	UpdatedAt     time.Time

	Metadata map[string]string // loaded on demand
}

// IsFolder reports whether f is a folder.
func (f *File) IsFolder() bool { return f.Type == TypeFolder }

// IsRoot reports whether f is a user's root folder.
func (f *File) IsRoot() bool { return f.ParentID == 0 && f.Name == "" && f.IsFolder() }

// FileProps is the files.props JSON document.
type FileProps struct {
	View *ExplorerView `json:"view,omitempty"`
}

// EntityType distinguishes what a blob is to its file.
type EntityType int

// The entity types, numbered as on the wire.
const (
	EntityVersion   EntityType = 0
	EntityThumbnail EntityType = 1
	EntityLivePhoto EntityType = 2
)

// Entity is a blob: one stored object, shared by every file that links it.
// ReferenceCount counts those links; at zero the blob awaits recycling.
type Entity struct {
	ID              int
	Type            EntityType
	Source          string // storage key within the policy
	Size            int64
	ReferenceCount  int
	PolicyID        int
	CreatedBy       int    // 0: unknown
	UploadSessionID string // non-empty while the blob is still being uploaded
	Props           EntityProps
	CreatedAt       time.Time
	UpdatedAt       time.Time
}

// EntityProps is the entities.props JSON document: what the recycler does
// with the blob once nothing links it.
type EntityProps struct {
	// UnlinkOnly keeps the physical object when the row is recycled (an
	// "unlink" delete by a group with the advanced-delete permission).
	UnlinkOnly bool `json:"unlink_only,omitempty"`
}

// Metadata keys the system maintains.
const (
	MetaUploadSessionID     = "sys:upload_session_id"
	MetaRestoreURI          = "sys:restore_uri"
	MetaExpectedCollectTime = "sys:expected_collect_time"
	MetaSharedRedirect      = "sys:shared_redirect"
	MetaSharedOwner         = "sys:shared_owner"
	MetaThumbDisabled       = "thumb:disabled"
)
