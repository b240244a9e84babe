package files

import (
	"context"
	"errors"
	"time"

	"github.com/stratus-drive/stratus/internal/drive"
	"github.com/stratus-drive/stratus/internal/errs"
	"github.com/stratus-drive/stratus/internal/store"
)

// errRaced marks a transaction that lost a race with a concurrent one
// creating the same row (a parent folder made by chained creation, say).
// PostgreSQL and MySQL let both transactions look, see nothing, and insert;
// the loser's insert fails on the unique index once the winner commits. Run
// again, the loser finds the winner's row and carries on. SQLite never gets
// here: its transactions take the write lock when they begin.
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

// lockCurrent takes the write lock on f's row and checks that f is still
// where this transaction found it. A concurrent rename, move or delete may
// have committed since the lookup; the plain reads before it do not lock.
// After writing the row, PostgreSQL (read committed) and MySQL (a row the
// transaction wrote reads as current) both show the committed state, so a
// change is seen here and reported as errRaced: run again, the transaction
// resolves the URI afresh.
func lockCurrent(ctx context.Context, tx *store.Tx, f *drive.File, now time.Time) error {
	if err := tx.TouchFile(ctx, f.ID, now); err != nil {
		if errs.Is(errs.NotExist, err) {
			return errRaced
		}
		return err
	}
	cur, err := tx.FileByID(ctx, f.ID)
	if err != nil {
		return err
	}
	if cur.ParentID != f.ParentID || cur.Name != f.Name {
		return errRaced
	}
	return nil
}

// lockOwner writes the user's row, taking its lock, at the start of a
// transaction that inserts files of that user. MySQL's foreign-key checks
// share-lock the user row on every insert, and a transaction that then
// reserves quota (an update of that row) deadlocks with another that holds
// the same shared lock. Taking the row first makes such transactions of one
// user queue instead; other users are not affected.
func lockOwner(ctx context.Context, tx *store.Tx, user int) error {
	return tx.UserStorageAdd(ctx, user, 0)
}
