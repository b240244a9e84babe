package files

import (
	"context"
	"slices"

	"github.com/stratus-drive/stratus/internal/drive"
	"github.com/stratus-drive/stratus/internal/errs"
	"github.com/stratus-drive/stratus/internal/store"
)

// Locks (30-files §2.6). Short tree changes are serialised by database
// transactions (lockTree); what outlives a request is a held lock: an
// upload session on its target file, and whatever other LockSources report
// (WebDAV locks). Every mutation calls checkLocks inside its transaction
// with the paths it changes, and a held lock on them fails it with
// 40073 and the conflict list. Upload conflicts carry the session ID as the
// token, so that clients' force unlock cancels the stuck upload.

// HeldLock is a lock on an item of a user's "my" tree.
type HeldLock struct {
	Path     []string // the locked item, from the owner's root
	Infinite bool     // the lock also covers everything below Path
	Lock              // what a conflict reports
}

// LockSource reports the locks held on owner's tree, reading through tx so
// that the check and the change it guards see the same state.
type LockSource func(ctx context.Context, tx *store.Tx, owner int) ([]HeldLock, error)

// AddLockSource makes every mutation respect the locks src reports too.
func (s *Service) AddLockSource(src LockSource) {
	s.lockSources = append(s.lockSources, src)
}

// lockTarget is a path a mutation changes: the item itself (metadata,
// versions, content, or a folder's members), or with tree the item and
// everything below it (rename, move, delete).
type lockTarget struct {
	path []string
	tree bool
}

func itemTarget(path []string) lockTarget { return lockTarget{path: path} }
func treeTarget(path []string) lockTarget { return lockTarget{path: path, tree: true} }

// covers reports whether changing t touches what l locks: the same item,
// an item below a changed tree, or an item below an infinite lock.
func (t lockTarget) covers(l HeldLock) bool {
	return slices.Equal(l.Path, t.path) ||
		t.tree && hasPrefix(l.Path, t.path) ||
		l.Infinite && hasPrefix(t.path, l.Path)
}

func hasPrefix(path, prefix []string) bool {
	return len(path) >= len(prefix) && slices.Equal(path[:len(prefix)], prefix)
}

// checkLocks is the one lock check of every mutation of owner's tree: it
// fails with a *LockConflictError listing every held lock that one of
// targets covers. Call it inside the mutation's transaction, after
// lockTree.
func (s *Service) checkLocks(ctx context.Context, tx *store.Tx, owner int, targets ...lockTarget) error {
	var conflicts []Lock
	for _, src := range s.lockSources {
		held, err := src(ctx, tx, owner)
		if err != nil {
			return err
		}
		for _, l := range held {
			if slices.ContainsFunc(targets, func(t lockTarget) bool { return t.covers(l) }) {
				conflicts = append(conflicts, l.Lock)
			}
		}
	}
	if len(conflicts) > 0 {
		return &LockConflictError{Locks: conflicts}
	}
	return nil
}

// checkBatchLocks runs checkLocks in a transaction of its own, for batches
// whose items each change in their own transaction (and check again there):
// a lock on any item fails the whole call before any item changes, as the
// contract answers a locked batch with one 40073.
func (s *Service) checkBatchLocks(ctx context.Context, actor drive.Actor, targets []lockTarget) error {
	if len(targets) == 0 {
		return nil
	}
	return s.db.InTx(ctx, func(tx *store.Tx) error {
		if err := lockTree(ctx, tx, actor); err != nil {
			return err
		}
		return s.checkLocks(ctx, tx, actor.User.ID, targets...)
	})
}

// uploadLocks is the LockSource of upload sessions: each live session locks
// its target file until it completes, is cancelled or expires.
func (s *Service) uploadLocks(ctx context.Context, tx *store.Tx, owner int) ([]HeldLock, error) {
	sessions, err := tx.LiveUploadTargets(ctx, owner, s.now())
	if err != nil {
		return nil, err
	}
	held := make([]HeldLock, 0, len(sessions))
	for _, sess := range sessions {
		u, err := drive.ParseURI(sess.URI)
		if err != nil {
			return nil, errs.E("files.uploadLocks", errs.Internal, "stored upload URI does not parse", err)
		}
		held = append(held, HeldLock{Path: u.Path, Lock: Lock{
			Path: drive.URI{FS: drive.FSMy, Path: u.Path}.String(), Token: sess.ID,
			Owner: LockOwner{Application: LockApplication{Type: "upload"}}, Type: drive.TypeFile}})
	}
	return held, nil
}

// lockPath returns the path of n in its owner's "my" tree, where locks are
// kept: the URI's path for "my" nodes, else (an owner reaching a file
// through a share) the names up from the file.
func lockPath(ctx context.Context, tx *store.Tx, n *Node) ([]string, error) {
	if n.FS == drive.FSMy {
		return n.URI.Path, nil
	}
	var path []string
	for f := n.File; f.ParentID != 0; {
		path = append([]string{f.Name}, path...)
		parent, err := tx.FileByID(ctx, f.ParentID)
		if err != nil {
			return nil, err
		}
		f = parent
	}
	return path, nil
}

// Lock describes one lock in a conflict (30-files §1.8).
type Lock struct {
	Path  string         `json:"path,omitempty"`
	Token string         `json:"token,omitempty"`
	Owner LockOwner      `json:"owner"`
	Type  drive.FileType `json:"type"`
}

// LockOwner names what holds a lock.
type LockOwner struct {
	Application LockApplication `json:"application"`
}

// LockApplication is the kind of operation holding a lock.
type LockApplication struct {
	Type string `json:"type"`
}

// LockConflictError is ErrLockConflict with the conflicting locks.
type LockConflictError struct {
	Locks []Lock
}

func (e *LockConflictError) Error() string { return ErrLockConflict.Error() }

// Unwrap makes errors.Is(err, ErrLockConflict) hold.
func (e *LockConflictError) Unwrap() error { return ErrLockConflict }

// ErrorData returns the locks, which clients show and may force-unlock.
func (e *LockConflictError) ErrorData() any { return e.Locks }

// ForceUnlock releases locks by token: each must be a WebDAV lock on the
// actor's tree, which is removed, or a pending upload of the actor, which
// is cancelled. Any unknown token fails the whole call, as in
// the contract, before anything is released.
func (s *Service) ForceUnlock(ctx context.Context, actor drive.Actor, tokens []string) error {
	const op = "files.ForceUnlock"
	if actor.IsAnonymous() {
		return errs.E(op, ErrLoginRequired)
	}
	if len(tokens) == 0 || len(tokens) > 16384 {
		return errs.E(op, errs.Invalid, "tokens must hold 1 to 16384 entries")
	}
	dav := map[string]bool{}
	for _, t := range tokens {
		if l, err := s.db.DavLockByToken(ctx, t); err == nil && l.OwnerID == actor.User.ID {
			dav[t] = true
			continue
		}
		sess, err := s.db.UploadSessionByID(ctx, t)
		if errs.Is(errs.NotExist, err) || (err == nil && sess.OwnerID != actor.User.ID) {
			return errs.E(op, ErrUnlockFailed)
		} else if err != nil {
			return errs.E(op, err)
		}
	}
	for _, t := range tokens {
		if dav[t] {
			if err := s.db.DeleteDavLock(ctx, t); err != nil && !errs.Is(errs.NotExist, err) {
				return errs.E(op, err)
			}
			continue
		}
		sess, err := s.db.UploadSessionByID(ctx, t)
		if errs.Is(errs.NotExist, err) {
			continue // released meanwhile
		} else if err != nil {
			return errs.E(op, err)
		}
		if err := s.discardUpload(ctx, sess); err != nil {
			return errs.E(op, err)
		}
	}
	return nil
}
