package files

import (
	"context"
	"errors"

	"github.com/stratus-drive/stratus/internal/drive"
	"github.com/stratus-drive/stratus/internal/errs"
	"github.com/stratus-drive/stratus/internal/store"
)

// Concurrent changes to one user's tree.
//
// SQLite runs one writing transaction at a time (its transactions take the
// write lock when they begin), so a transaction's lookups stay true until it
// commits. PostgreSQL and MySQL let transactions of the same user run side
// by side, and the plain reads a mutation starts with lock nothing: two
// renames of one file both succeeded (the last commit winning), two folders
// moved into each other both moved (a cycle that cut both off the tree), and
// MySQL deadlocked two uploads (foreign-key checks share-lock the user row
// that the quota reservation then updates).
//
// So every transaction that changes a user's tree begins with lockTree,
// which writes the user's row: such transactions of one user queue, and
// each reads the tree as the previous one left it. Other users are not
// affected.

// lockTree takes the actor's row lock; it must be the transaction's first
// statement, before any lookup. The anonymous actor owns no tree.
func lockTree(ctx context.Context, tx *store.Tx, actor drive.Actor) error {
	if actor.IsAnonymous() {
		return nil
	}
	return tx.UserStorageAdd(ctx, actor.User.ID, 0)
}

// errRaced marks a transaction that lost a race with a concurrent one
// creating the same row, which lockTree does not order (another user's
// transaction, or one that does not take the lock). Run again, the loser
// finds the winner's row and carries on.
var errRaced = errs.E("files", errs.Conflict, "a concurrent request created the same item")

// maxTxAttempts bounds the retries of a transaction that keeps losing races.
const maxTxAttempts = 5

// inTxRetry runs fn in a transaction, and again when it fails with errRaced.
// fn must be safe to run more than once: it may only change state through tx.
func (s *Service) inTxRetry(ctx context.Context, fn func(tx *store.Tx) error) error {
	for attempt := 1; ; attempt++ {
		err := s.db.InTx(ctx, fn)
		if attempt == maxTxAttempts || !errors.Is(err, errRaced) {
			return err
		}
	}
}
