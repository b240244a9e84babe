package files

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/stratus-drive/stratus/internal/drive"
	"github.com/stratus-drive/stratus/internal/errs"
	"github.com/stratus-drive/stratus/internal/store"
)

// WebDAV locks are rows of dav_locks, so every process on the database sees
// the same locks. A lock covers its file and, with depth infinity, every
// item below it. They are a LockSource (lock.go), so every mutation's one
// lock check refuses changes to covered items, unless the request
// submitted the lock's token: tokens come on the context
// (WithLockTokens), as the WebDAV If header submits them. REST requests
// submit none, so a locked item refuses them with 40073 and the
// conflicting locks, whose tokens force-unlock them. WebDAV requests in
// turn meet upload sessions through the same check.

// DavLock is a WebDAV lock as stored.
type DavLock = store.DavLock

// MaxLockTimeout bounds the time a lock is granted for; Infinite asks for it.
const MaxLockTimeout = 24 * time.Hour

type lockTokensKey struct{}

// WithLockTokens returns ctx carrying tokens, the lock tokens a client
// submitted with its request.
func WithLockTokens(ctx context.Context, tokens []string) context.Context {
	if len(tokens) == 0 {
		return ctx
	}
	set := make(map[string]bool, len(tokens))
	for _, t := range tokens {
		set[t] = true
	}
	return context.WithValue(ctx, lockTokensKey{}, set)
}

func lockTokens(ctx context.Context) map[string]bool {
	set, _ := ctx.Value(lockTokensKey{}).(map[string]bool)
	return set
}

// lockReader is what lock checks read through: *store.DB or *store.Tx.
type lockReader interface {
	LiveDavLocks(ctx context.Context, owner int, t time.Time) ([]*store.DavLock, error)
	FileByID(ctx context.Context, id int) (*drive.File, error)
}

// LockSet is the live locks of one tree, with the ancestry of their files
// looked up once, for checking many items (a PROPFIND, a move).
type LockSet struct {
	locks     []*store.DavLock
	r         lockReader
	ancestors map[int][]int // file → its ancestors' IDs, nearest first
}

// LiveLocks returns the live locks on the tree of owner.
func (s *Service) LiveLocks(ctx context.Context, owner int) (*LockSet, error) {
	return s.liveLocks(ctx, s.db, owner)
}

func (s *Service) liveLocks(ctx context.Context, r lockReader, owner int) (*LockSet, error) {
	locks, err := r.LiveDavLocks(ctx, owner, s.now())
	if err != nil {
		return nil, errs.E("files.LiveLocks", err)
	}
	return &LockSet{locks: locks, r: r, ancestors: map[int][]int{}}, nil
}

// Empty reports whether the tree has no live lock.
func (ls *LockSet) Empty() bool { return len(ls.locks) == 0 }

func (ls *LockSet) ancestorsOf(ctx context.Context, f *drive.File) ([]int, error) {
	if a, ok := ls.ancestors[f.ID]; ok {
		return a, nil
	}
	var out []int
	seen := map[int]bool{f.ID: true}
	for p := f.ParentID; p != 0 && !seen[p]; {
		seen[p] = true
		out = append(out, p)
		parent, err := ls.r.FileByID(ctx, p)
		if err != nil {
			return nil, err
		}
		p = parent.ParentID
	}
	ls.ancestors[f.ID] = out
	return out, nil
}

// Covering returns the locks that cover f: on f itself, or with depth
// infinity on a folder above it.
func (ls *LockSet) Covering(ctx context.Context, f *drive.File) ([]*store.DavLock, error) {
	if ls.Empty() || f.ID == 0 {
		return nil, nil
	}
	var out []*store.DavLock
	var above map[int]bool
	for _, l := range ls.locks {
		if l.FileID == f.ID {
			out = append(out, l)
			continue
		}
		if !l.DepthInfinity {
			continue
		}
		if above == nil {
			ids, err := ls.ancestorsOf(ctx, f)
			if err != nil {
				return nil, err
			}
			above = map[int]bool{}
			for _, id := range ids {
				above[id] = true
			}
		}
		if above[l.FileID] {
			out = append(out, l)
		}
	}
	return out, nil
}

// Affecting returns the locks a change to f touches: those covering f and,
// when recursive (f with everything below it), the locks on items below f.
func (ls *LockSet) Affecting(ctx context.Context, f *drive.File, recursive bool) ([]*store.DavLock, error) {
	out, err := ls.Covering(ctx, f)
	if err != nil || !recursive || !f.IsFolder() {
		return out, err
	}
	for _, l := range ls.locks {
		if l.FileID == f.ID {
			continue
		}
		lf, err := ls.r.FileByID(ctx, l.FileID)
		if err != nil {
			if errs.Is(errs.NotExist, err) {
				continue
			}
			return nil, err
		}
		ids, err := ls.ancestorsOf(ctx, lf)
		if err != nil {
			return nil, err
		}
		for _, id := range ids {
			if id == f.ID {
				out = append(out, l)
				break
			}
		}
	}
	return out, nil
}

// davLocks is the LockSource of WebDAV locks: every live lock on owner's
// tree, except those whose token the request submitted (WithLockTokens).
// Locks on items in the trash lock nothing reachable and are left out.
func (s *Service) davLocks(ctx context.Context, tx *store.Tx, owner int) ([]HeldLock, error) {
	locks, err := tx.LiveDavLocks(ctx, owner, s.now())
	if err != nil || len(locks) == 0 {
		return nil, err
	}
	submitted := lockTokens(ctx)
	var held []HeldLock
	for _, l := range locks {
		if submitted[l.Token] {
			continue
		}
		f, err := tx.FileByID(ctx, l.FileID)
		if errs.Is(errs.NotExist, err) {
			continue
		} else if err != nil {
			return nil, err
		}
		path, live, err := treePath(ctx, tx, f)
		if err != nil {
			return nil, err
		}
		if !live {
			continue
		}
		held = append(held, HeldLock{Path: path, Infinite: l.DepthInfinity, Lock: Lock{
			Path: drive.URI{FS: drive.FSMy, Path: path}.String(), Token: l.Token,
			Owner: LockOwner{Application: LockApplication{Type: "webdav"}}, Type: f.Type}})
	}
	return held, nil
}

// treePath returns the names from the owner's root down to f, and false
// when f is in the trash rather than under the root.
func treePath(ctx context.Context, tx *store.Tx, f *drive.File) ([]string, bool, error) {
	var path []string
	seen := map[int]bool{}
	for f.ParentID != 0 {
		if seen[f.ID] {
			return nil, false, nil // a cycle would be corruption; lock nothing
		}
		seen[f.ID] = true
		path = append([]string{f.Name}, path...)
		parent, err := tx.FileByID(ctx, f.ParentID)
		if err != nil {
			return nil, false, err
		}
		f = parent
	}
	return path, f.IsRoot(), nil
}

// LockRequest asks for a WebDAV lock.
type LockRequest struct {
	URI           string
	Root          string // the path as the client named it, for lockdiscovery
	Shared        bool
	DepthInfinity bool
	Holder        string
	Timeout       time.Duration // 0 or more than MaxLockTimeout: MaxLockTimeout
}

// Lock takes a WebDAV lock on the item at req.URI of the actor's tree,
// creating an empty file there when nothing is (RFC 4918 §9.10.4; its
// parent must exist). It reports whether it created the file. A lock that
// overlaps an exclusive lock, or an exclusive one that overlaps any lock, is
// ErrLockConflict.
func (s *Service) Lock(ctx context.Context, actor drive.Actor, req LockRequest) (*DavLock, bool, error) {
	const op = "files.Lock"
	u, err := s.newItemURI(actor, req.URI)
	if err != nil {
		return nil, false, errs.E(op, err)
	}
	timeout := req.Timeout
	if timeout <= 0 || timeout > MaxLockTimeout {
		timeout = MaxLockTimeout
	}
	var lock *DavLock
	created := false
	err = s.inTxRetry(ctx, func(tx *store.Tx) error {
		created = false
		if err := lockTree(ctx, tx, actor); err != nil {
			return err
		}
		if err := tx.DeleteExpiredDavLocks(ctx, actor.User.ID, s.now()); err != nil {
			return err
		}
		n, err := s.resolve(ctx, tx, actor, u)
		if errs.Is(errs.NotExist, err) && !u.IsRoot() {
			n, err = s.lockNull(ctx, tx, actor, u)
			created = err == nil
		}
		if err != nil {
			return err
		}
		if !n.Owned || n.FS != drive.FSMy {
			return ErrNotOwner
		}
		ls, err := s.liveLocks(ctx, tx, actor.User.ID)
		if err != nil {
			return err
		}
		overlapping, err := ls.Affecting(ctx, n.File, req.DepthInfinity)
		if err != nil {
			return err
		}
		var conflicts []Lock
		for _, l := range overlapping {
			if !req.Shared || !l.Shared {
				conflicts = append(conflicts, Lock{Path: l.Root, Token: l.Token, Type: n.File.Type,
					Owner: LockOwner{Application: LockApplication{Type: "webdav"}}})
			}
		}
		// Uploads in progress hold their files: a lock over one conflicts.
		uploads, err := s.uploadLocks(ctx, tx, actor.User.ID)
		if err != nil {
			return err
		}
		target := lockTarget{path: u.Path, tree: req.DepthInfinity}
		for _, l := range uploads {
			if target.covers(l) {
				conflicts = append(conflicts, l.Lock)
			}
		}
		if len(conflicts) > 0 {
			return &LockConflictError{Locks: conflicts}
		}
		lock = &DavLock{Token: "opaquelocktoken:" + uuid.NewString(), OwnerID: actor.User.ID, FileID: n.File.ID,
			DepthInfinity: req.DepthInfinity && n.File.IsFolder(), Shared: req.Shared, Root: req.Root,
			Holder: req.Holder, Timeout: timeout, ExpiresAt: s.now().Add(timeout)}
		return tx.InsertDavLock(ctx, lock)
	})
	if err != nil {
		return nil, false, errs.E(op, err)
	}
	return lock, created, nil
}

// lockNull creates the empty file that locking an unmapped path makes.
func (s *Service) lockNull(ctx context.Context, tx *store.Tx, actor drive.Actor, u drive.URI) (*Node, error) {
	parentURI, _ := u.Parent()
	parent, err := s.resolve(ctx, tx, actor, parentURI)
	if errs.Is(errs.NotExist, err) {
		return nil, ErrParentNotExist
	} else if err != nil {
		return nil, err
	}
	if err := davParent(parent.File); err != nil {
		return nil, err
	}
	if err := s.checkName(ctx, tx, actor, u.Name(), drive.TypeFile); err != nil {
		return nil, err
	}
	if err := s.checkLocks(ctx, tx, actor.User.ID, itemTarget(parentURI.Path)); err != nil {
		return nil, err
	}
	f := &drive.File{Type: drive.TypeFile, Name: u.Name(), OwnerID: actor.User.ID, ParentID: parent.File.ID,
		PolicyID: policyOf(actor)}
	if err := tx.InsertFile(ctx, f); err != nil {
		if errs.Is(errs.Exist, err) {
			return nil, errRaced
		}
		return nil, err
	}
	return s.node(u, drive.FSMy, f, actor), nil
}

// ErrLockNotExist is a lock token that names no live lock of the actor on
// the item (RFC 4918: 409 for UNLOCK, 412 for a refresh).
var ErrLockNotExist = errs.NewSentinel(errs.Conflict, "no such lock on this item")

// RefreshLock extends the actor's live lock token by timeout (capped as in
// Lock). The lock must cover the item at rawURI.
func (s *Service) RefreshLock(ctx context.Context, actor drive.Actor, rawURI, token string, timeout time.Duration) (*DavLock, error) {
	const op = "files.RefreshLock"
	l, err := s.coveringLock(ctx, actor, rawURI, token)
	if err != nil {
		return nil, errs.E(op, err)
	}
	if timeout <= 0 || timeout > MaxLockTimeout {
		timeout = MaxLockTimeout
	}
	l.ExpiresAt = s.now().Add(timeout)
	l.Timeout = timeout
	if err := s.db.RefreshDavLock(ctx, token, l.ExpiresAt); err != nil {
		return nil, errs.E(op, err)
	}
	return l, nil
}

// Unlock releases the actor's lock token, which must cover the item at
// rawURI.
func (s *Service) Unlock(ctx context.Context, actor drive.Actor, rawURI, token string) error {
	const op = "files.Unlock"
	if _, err := s.coveringLock(ctx, actor, rawURI, token); err != nil {
		return errs.E(op, err)
	}
	if err := s.db.DeleteDavLock(ctx, token); errs.Is(errs.NotExist, err) {
		return errs.E(op, ErrLockNotExist)
	} else if err != nil {
		return errs.E(op, err)
	}
	return nil
}

func (s *Service) coveringLock(ctx context.Context, actor drive.Actor, rawURI, token string) (*DavLock, error) {
	n, err := s.Resolve(ctx, actor, rawURI)
	if err != nil {
		return nil, err
	}
	if actor.IsAnonymous() || n.File.OwnerID != actor.User.ID {
		return nil, ErrLockNotExist
	}
	ls, err := s.liveLocks(ctx, s.db, actor.User.ID)
	if err != nil {
		return nil, err
	}
	covering, err := ls.Covering(ctx, n.File)
	if err != nil {
		return nil, err
	}
	for _, l := range covering {
		if l.Token == token {
			return l, nil
		}
	}
	return nil, ErrLockNotExist
}
