// Package drive holds the vocabulary shared by every layer of Stratus: users,
// groups, storage policies and the permission bits that connect them. It does
// no I/O and imports only the standard library.
package drive

import "time"

// Built-in group IDs, fixed by the Cloudreve data model.
const (
	AdminGroupID     = 1
	UserGroupID      = 2
	AnonymousGroupID = 3
)

// AnonymousUserID is the ID of the signed-out user.
const AnonymousUserID = 0

// UserStatus is the account state.
type UserStatus string

// The user states.
const (
	StatusActive       UserStatus = "active"
	StatusInactive     UserStatus = "inactive"
	StatusManualBanned UserStatus = "manual_banned"
	StatusSysBanned    UserStatus = "sys_banned"
)

// IsBanned reports whether the status is one of the banned states.
func (s UserStatus) IsBanned() bool { return s == StatusManualBanned || s == StatusSysBanned }

// User is an account row. Password and TwoFactorSecret never leave the server.
type User struct {
	ID              int
	Email           string
	Nick            string
	Password        string // stored hash; "" for passwordless accounts
	Status          UserStatus
	Storage         int64 // bytes used
	TwoFactorSecret string
	Avatar          string // "", "file" or "gravatar"
	Settings        UserSettings
	GroupID         int
	CreatedAt       time.Time
	UpdatedAt       time.Time

	Group *Group // loaded on demand
}

// IsAnonymous reports whether u is the signed-out user.
func (u *User) IsAnonymous() bool { return u == nil || u.ID == AnonymousUserID }

// PinnedFile is a sidebar pin.
type PinnedFile struct {
	URI  string `json:"uri"`
	Name string `json:"name,omitempty"`
}

// UserSettings is the users.settings JSON document.
type UserSettings struct {
	ProfileOff          bool                    `json:"profile_off,omitempty"`
	PreferredTheme      string                  `json:"preferred_theme,omitempty"`
	VersionRetention    bool                    `json:"version_retention,omitempty"`
	VersionRetentionExt []string                `json:"version_retention_ext,omitempty"`
	VersionRetentionMax int                     `json:"version_retention_max,omitempty"`
	Pined               []PinnedFile            `json:"pined,omitempty"`
	Language            string                  `json:"email_language,omitempty"`
	DisableViewSync     bool                    `json:"disable_view_sync,omitempty"`
	FsViewMap           map[string]ExplorerView `json:"fs_view_map,omitempty"`
	ShareLinksInProfile string                  `json:"share_links_in_profile,omitempty"`
}

// ExplorerView is a per-file-system view setting kept for the web client.
type ExplorerView struct {
	PageSize       int              `json:"page_size,omitempty"`
	Order          string           `json:"order,omitempty"`
	OrderDirection string           `json:"order_direction,omitempty"`
	View           string           `json:"view,omitempty"`
	Thumbnail      bool             `json:"thumbnail,omitempty"`
	GalleryWidth   int              `json:"gallery_width,omitempty"`
	Columns        []map[string]any `json:"columns,omitempty"`
}

// Group is a user group: quota, permissions and limits.
type Group struct {
	ID              int
	Name            string
	MaxStorage      int64
	SpeedLimit      int
	Permissions     Boolset
	Settings        GroupSettings
	StoragePolicyID int // 0: none
	CreatedAt       time.Time
	UpdatedAt       time.Time
}

// Has reports whether the group holds permission p.
func (g *Group) Has(p GroupPermission) bool { return g != nil && g.Permissions.Has(int(p)) }

// GroupSettings is the groups.settings JSON document.
type GroupSettings struct {
	CompressSize          int64          `json:"compress_size,omitempty"`
	DecompressSize        int64          `json:"decompress_size,omitempty"`
	RemoteDownloadOptions map[string]any `json:"remote_download_options,omitempty"`
	SourceBatch           int            `json:"source_batch,omitempty"`
	Aria2Batch            int            `json:"aria2_batch,omitempty"`
	MaxWalkedFiles        int            `json:"max_walked_files,omitempty"`
	TrashRetention        int            `json:"trash_retention,omitempty"`
	RedirectedSource      bool           `json:"redirected_source,omitempty"`
}

// GroupPermission is a bit of Group.Permissions (conventions §8.1).
type GroupPermission int

// The group permission bits.
const (
	PermAdmin               GroupPermission = 0
	PermAnonymous           GroupPermission = 1
	PermShare               GroupPermission = 2
	PermWebDAV              GroupPermission = 3
	PermArchiveDownload     GroupPermission = 4
	PermArchiveTask         GroupPermission = 5
	PermWebDAVProxy         GroupPermission = 6
	PermShareDownload       GroupPermission = 7
	PermShareFree           GroupPermission = 8
	PermRemoteDownload      GroupPermission = 9
	PermRelocate            GroupPermission = 10
	PermRedirectedSource    GroupPermission = 11
	PermAdvanceDelete       GroupPermission = 12
	PermSelectNode          GroupPermission = 13
	PermSetAnonymousPerm    GroupPermission = 14
	PermSetExplicitUserPerm GroupPermission = 15
	PermIgnoreFileOwnership GroupPermission = 16
	PermUniqueDirectLink    GroupPermission = 17
)

// Policy is a storage policy row. Driver-specific settings stay raw JSON so
// that each driver parses its own typed struct.
type Policy struct {
	ID           int
	Name         string
	Type         string
	Server       string
	BucketName   string
	IsPrivate    bool
	AccessKey    string
	SecretKey    string
	MaxSize      int64
	DirNameRule  string
	FileNameRule string
	Settings     PolicySettings
	NodeID       int
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// PolicySettings is the storage_policies.settings JSON document; only the
// fields that the user-facing API needs are typed here.
type PolicySettings struct {
	FileType          []string `json:"file_type"`
	ChunkSize         int64    `json:"chunk_size,omitempty"`
	Relay             bool     `json:"relay,omitempty"`
	PreAllocate       bool     `json:"pre_allocate,omitempty"`
	DeniedSuffix      []string `json:"denied_suffix,omitempty"`
	AllowedNameRegexp string   `json:"allowed_name_regexp,omitempty"`
	DeniedNameRegexp  string   `json:"denied_name_regexp,omitempty"`
	ChunkConcurrency  int      `json:"chunk_concurrency,omitempty"`
	// Extra keeps keys this version does not type, so saving a row loses nothing.
	Extra map[string]any `json:"-"`
}
