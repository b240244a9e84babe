// Package files is the virtual filesystem: cloudreve:// URIs resolved to the
// actor's tree, listing, creating, renaming, moving, copying, trashing,
// restoring and deleting, with capacity accounting. Every method takes the
// acting user, so no code path skips the ownership rules.
package files

import (
	"context"
	"log/slog"
	"time"

	"github.com/stratus-drive/stratus/internal/drive"
	"github.com/stratus-drive/stratus/internal/errs"
	"github.com/stratus-drive/stratus/internal/hashid"
	"github.com/stratus-drive/stratus/internal/setting"
	"github.com/stratus-drive/stratus/internal/storage"
	"github.com/stratus-drive/stratus/internal/store"
	"github.com/stratus-drive/stratus/internal/throttle"
)

// Conditions that Cloudreve gives their own codes.
var (
	ErrPathNotExist         = errs.NewSentinel(errs.NotExist, "path not exist")
	ErrNameConflict         = errs.NewSentinel(errs.Exist, "object with the same name already exists")
	ErrIllegalName          = errs.NewSentinel(errs.Invalid, "illegal object name")
	ErrNotOwner             = errs.NewSentinel(errs.Permission, "only the owner may do this")
	ErrUnsupportedAction    = errs.NewSentinel(errs.Permission, "not supported action")
	ErrInsufficientCapacity = errs.NewSentinel(errs.Quota, "insufficient capacity")
	ErrTooManyURIs          = errs.NewSentinel(errs.Invalid, "too many URIs in one request")
	ErrWalkLimit            = errs.NewSentinel(errs.TooLarge, "walked-file limit reached")
	ErrEntityNotExist       = errs.NewSentinel(errs.NotExist, "entity not found")
	ErrFileTooLarge         = errs.NewSentinel(errs.TooLarge, "file too large")
	ErrInvalidURI           = errs.NewSentinel(errs.Invalid, "invalid file URI")
	ErrLoginRequired        = errs.NewSentinel(errs.Unauthenticated, "login required")
	ErrGroupNotAllowed      = errs.NewSentinel(errs.Permission, "group not allowed")
	ErrStaleVersion         = errs.NewSentinel(errs.Conflict, "stale version")
	ErrUploadSessionExpired = errs.NewSentinel(errs.NotExist, "upload session expired or not found")
	ErrInvalidChunkIndex    = errs.NewSentinel(errs.Invalid, "invalid chunk index")
	ErrInvalidContentLength = errs.NewSentinel(errs.Invalid, "invalid content length")
	ErrPolicyNotAllowed     = errs.NewSentinel(errs.Invalid, "storage policy does not allow this")
	ErrLockConflict         = errs.NewSentinel(errs.Locked, "lock conflict")
	ErrUnlockFailed         = errs.NewSentinel(errs.Invalid, "failed to unlock file")
	ErrIO                   = errs.NewSentinel(errs.Internal, "storage I/O failed")
)

// Service implements the filesystem.
type Service struct {
	db       *store.DB
	settings *setting.Service
	ids      *hashid.Codec
	drivers  *drivers
	log      *slog.Logger
	limiter  *throttle.Limiter // share password guesses
	now      func() time.Time
	// lockSources report the held locks every mutation respects.
	lockSources []LockSource
}

// New builds the service. Storage drivers are built from registry on first
// use of each policy, with env.
func New(db *store.DB, settings *setting.Service, ids *hashid.Codec, registry *storage.Registry,
	env storage.Env, log *slog.Logger, limiter *throttle.Limiter) *Service {
	s := &Service{db: db, settings: settings, ids: ids, log: log, limiter: limiter, now: time.Now,
		drivers: &drivers{registry: registry, env: env, byPolicy: map[int]policyDriver{}}}
	s.AddLockSource(s.uploadLocks)
	s.AddLockSource(s.davLocks)
	return s
}

// Node is a file reached through a filesystem: the row plus the URI by which
// the caller sees it and what that filesystem lets the caller do.
type Node struct {
	File       *drive.File
	URI        drive.URI
	FS         drive.FS
	Capability drive.Boolset
	Owned      bool
	// Name is the display name: the original name for trashed items.
	Name string
	// InheritedView is the view stored on the nearest folder above File on
	// the path it was reached by, if any; listings fall back to it.
	InheritedView *drive.ExplorerView
	// Shared reports that the item has a share link; it is loaded only for
	// the owner's own filesystem.
	Shared bool
	// Share is the share link the node was reached through (FSShare only).
	Share *drive.Share
	// singleFile is the shared file when the node is the virtual root of a
	// single-file share.
	singleFile *drive.File
}

// SingleFile reports whether n is the root of a single-file share, whose
// listing holds just the shared file.
func (n *Node) SingleFile() bool { return n.singleFile != nil }

// Capability bits of filesystems (conventions §8.2).
const (
	CapCreate      = 0
	CapRename      = 1
	CapUpload      = 6
	CapDownload    = 7
	CapUpdateMeta  = 8
	CapList        = 9
	CapThumb       = 10
	CapHardDelete  = 14
	CapLock        = 15
	CapSoftDelete  = 16
	CapRestore     = 17
	CapShare       = 18
	CapInfo        = 19
	CapVersion     = 20
	CapEnter       = 23
	CapModifyProps = 24
)

// Capabilities per filesystem; every item reached through one carries it.
var capabilities = map[drive.FS]drive.Boolset{
	drive.FSMy: drive.BoolsetOf(CapCreate, CapRename, CapUpload, CapDownload, CapUpdateMeta, CapList, CapThumb,
		CapHardDelete, CapLock, CapSoftDelete, CapShare, CapInfo, CapVersion, CapEnter, CapModifyProps),
	drive.FSShare: drive.BoolsetOf(CapDownload, CapList, CapThumb, CapLock, CapInfo, CapVersion, CapEnter,
		CapModifyProps),
	drive.FSTrash:        drive.BoolsetOf(CapList, CapHardDelete, CapLock, CapRestore, CapInfo),
	drive.FSSharedWithMe: drive.BoolsetOf(CapDownload, CapList, CapEnter),
}

// Capabilities returns the capability set of fs.
func Capabilities(fs drive.FS) drive.Boolset { return capabilities[fs] }

// reader is what the read paths need from *store.DB or *store.Tx.
type reader interface {
	FileByID(ctx context.Context, id int) (*drive.File, error)
	RootOf(ctx context.Context, owner int) (*drive.File, error)
	ChildByName(ctx context.Context, parent int, name string) (*drive.File, error)
	TrashItem(ctx context.Context, owner int, name string) (*drive.File, error)
	InsertFile(ctx context.Context, f *drive.File) error
	Policy(ctx context.Context, id int) (*drive.Policy, error)
	ShareByID(ctx context.Context, id int) (*drive.Share, error)
	UserByID(ctx context.Context, id int) (*drive.User, error)
}

func parseURI(raw string) (drive.URI, error) {
	u, err := drive.ParseURI(raw)
	if err != nil {
		return drive.URI{}, errs.E("files.parseURI", ErrInvalidURI, err)
	}
	return u, nil
}

// ownerID decides whose "my" tree a URI names: the caller's, unless it names
// another user, which community Cloudreve refuses even for admins.
func (s *Service) checkMyURI(actor drive.Actor, u drive.URI) error {
	if actor.IsAnonymous() {
		return ErrLoginRequired
	}
	if u.ID != "" {
		id, err := s.ids.Decode(u.ID, hashid.User)
		if err != nil {
			return errs.E("files.checkMyURI", ErrInvalidURI, "bad user ID in URI")
		}
		if id != actor.User.ID {
			return errs.E("files.checkMyURI", errs.Permission, "another user's files")
		}
	}
	return nil
}

// newItemURI parses the URI of an item to be created in the actor's own
// tree: only "my" takes new items; a signed-out caller is told to sign in
// first, anyone else that the filesystem refuses.
func (s *Service) newItemURI(actor drive.Actor, raw string) (drive.URI, error) {
	u, err := parseURI(raw)
	if err != nil {
		return drive.URI{}, err
	}
	if u.FS != drive.FSMy {
		if actor.IsAnonymous() && u.FS != drive.FSShare {
			return drive.URI{}, ErrLoginRequired
		}
		return drive.URI{}, ErrUnsupportedAction
	}
	if err := s.checkMyURI(actor, u); err != nil {
		return drive.URI{}, err
	}
	return u, nil
}

// root returns the actor's root folder. Accounts get theirs when they are
// created; one missing (an account made by an older version) is created here.
func (s *Service) root(ctx context.Context, r reader, owner int) (*drive.File, error) {
	f, err := r.RootOf(ctx, owner)
	if err == nil || !errs.Is(errs.NotExist, err) {
		return f, err
	}
	root := &drive.File{Type: drive.TypeFolder, OwnerID: owner}
	if err := r.InsertFile(ctx, root); err != nil {
		return nil, err
	}
	return root, nil
}

// resolve walks u to a node. It returns ErrPathNotExist when a segment is
// missing and refuses to walk through files and shortcuts.
func (s *Service) resolve(ctx context.Context, r reader, actor drive.Actor, u drive.URI) (*Node, error) {
	const op = "files.resolve"
	switch u.FS {
	case drive.FSMy:
		if err := s.checkMyURI(actor, u); err != nil {
			return nil, errs.E(op, err)
		}
		f, err := s.root(ctx, r, actor.User.ID)
		if err != nil {
			return nil, errs.E(op, err)
		}
		f, inherited, err := s.walk(ctx, r, u, f)
		if err != nil {
			return nil, errs.E(op, err)
		}
		n := s.node(u.WithoutQuery(), drive.FSMy, f, actor)
		n.InheritedView = inherited
		return n, nil
	case drive.FSTrash:
		if actor.IsAnonymous() {
			return nil, errs.E(op, ErrLoginRequired)
		}
		if len(u.Path) == 0 {
			// The trash root is virtual; it has no row.
			return &Node{File: &drive.File{Type: drive.TypeFolder, OwnerID: actor.User.ID}, URI: u.WithoutQuery(),
				FS: drive.FSTrash, Capability: capabilities[drive.FSTrash], Owned: true}, nil
		}
		if len(u.Path) > 1 {
			return nil, errs.E(op, ErrPathNotExist)
		}
		f, err := r.TrashItem(ctx, actor.User.ID, u.Path[0])
		if errs.Is(errs.NotExist, err) {
			return nil, errs.E(op, ErrPathNotExist)
		} else if err != nil {
			return nil, errs.E(op, err)
		}
		return s.node(u.WithoutQuery(), drive.FSTrash, f, actor), nil
	case drive.FSShare:
		return s.resolveShare(ctx, r, actor, u)
	case drive.FSSharedWithMe:
		if actor.IsAnonymous() {
			return nil, errs.E(op, ErrLoginRequired)
		}
		// Shortcuts arrive with their own issue; until then this filesystem is empty.
		return nil, errs.E(op, ErrPathNotExist, "shared with me is not available yet")
	}
	return nil, errs.E(op, ErrInvalidURI)
}

// walk follows u.Path down from f. It returns ErrPathNotExist when a segment
// is missing, refuses to walk through files and shortcuts, and reports the
// view stored on the nearest folder above the result.
func (s *Service) walk(ctx context.Context, r reader, u drive.URI, f *drive.File) (*drive.File, *drive.ExplorerView, error) {
	var inherited *drive.ExplorerView
	for i, name := range u.Path {
		if err := enter(f); err != nil {
			return nil, nil, err
		}
		if f.Props.View != nil {
			inherited = f.Props.View
		}
		child, err := r.ChildByName(ctx, f.ID, name)
		if errs.Is(errs.NotExist, err) {
			return nil, nil, errs.E("files.walk", ErrPathNotExist,
				"path not exist: "+drive.URI{FS: u.FS, Path: u.Path[:i+1]}.String())
		} else if err != nil {
			return nil, nil, err
		}
		f = child
	}
	return f, inherited, nil
}

// enter is the rule for looking inside f (walking through it, listing or
// searching it): f must be a folder (else ErrPathNotExist, as for a missing
// folder), and not a shortcut, which clients follow through its
// sys:shared_redirect instead (30-files §2.1: 403).
func enter(f *drive.File) error {
	if !f.IsFolder() {
		return errs.E("files.enter", ErrPathNotExist, "not a folder")
	}
	if f.IsSymbolic {
		return errs.E("files.enter", ErrUnsupportedAction, "a shortcut cannot be entered")
	}
	return nil
}

// holdItems is the rule for putting items into f (create, upload, move,
// copy, restore): only a real folder holds items; a file or a shortcut as
// the parent is refused (30-files §5.1, §5.3: 403), before anything is
// written.
func holdItems(f *drive.File) error {
	if !f.IsFolder() {
		return errs.E("files.holdItems", ErrUnsupportedAction, "the parent is a file")
	}
	if f.IsSymbolic {
		return errs.E("files.holdItems", ErrUnsupportedAction, "the parent is a shortcut")
	}
	return nil
}

func (s *Service) node(u drive.URI, fs drive.FS, f *drive.File, actor drive.Actor) *Node {
	return &Node{File: f, URI: u, FS: fs, Capability: capabilities[fs], Name: f.Name,
		Owned: !actor.IsAnonymous() && f.OwnerID == actor.User.ID}
}

// checkBatch bounds the number of URIs of a batch request.
func (s *Service) checkBatch(n int) error {
	if n == 0 {
		return errs.E("files.checkBatch", errs.Invalid, "URIs cannot be empty")
	}
	if max := s.settings.Int("max_batched_file"); max > 0 && int64(n) > max {
		return ErrTooManyURIs
	}
	return nil
}

func requireCap(n *Node, bit int) error {
	if !n.Capability.Has(bit) {
		return errs.E("files.requireCap", ErrUnsupportedAction)
	}
	return nil
}
