package files

import (
	"context"

	"github.com/stratus-drive/stratus/internal/drive"
	"github.com/stratus-drive/stratus/internal/errs"
)

// Stratus keeps no separate lock table: tree changes are serialised by
// database transactions, and the only long-lived lock is an upload session
// on its target file. Conflicts with it are reported the way Cloudreve
// reports locks, with the session ID as the token, so that clients' force
// unlock cancels the stuck upload.

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

// ForceUnlock releases locks by token: each must be a pending upload of the
// actor, which is cancelled. Any unknown token fails the whole call, as in
// the contract, before anything is released.
func (s *Service) ForceUnlock(ctx context.Context, actor drive.Actor, tokens []string) error {
	const op = "files.ForceUnlock"
	if actor.IsAnonymous() {
		return errs.E(op, ErrLoginRequired)
	}
	if len(tokens) == 0 || len(tokens) > 16384 {
		return errs.E(op, errs.Invalid, "tokens must hold 1 to 16384 entries")
	}
	for _, t := range tokens {
		sess, err := s.db.UploadSessionByID(ctx, t)
		if errs.Is(errs.NotExist, err) || (err == nil && sess.OwnerID != actor.User.ID) {
			return errs.E(op, ErrUnlockFailed)
		} else if err != nil {
			return errs.E(op, err)
		}
	}
	for _, t := range tokens {
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
