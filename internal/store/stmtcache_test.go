package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/stratus-drive/stratus/internal/store"
	"github.com/stratus-drive/stratus/internal/store/storetest"
)

// TestTxNeverWaitsForThePool: a transaction running a statement the cache
// has not prepared yet must not wait for a pool connection. On SQLite the
// other connections may all be queued at BEGIN behind this transaction's
// write lock; with a one-connection pool the transaction holds the only one.
func TestTxNeverWaitsForThePool(t *testing.T) {
	db := storetest.Open(t, "sqlite")
	store.SQL(db).SetMaxOpenConns(1)
	for round := range 2 { // uncached, then (perhaps) cached from the background
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		err := db.InTx(ctx, func(tx *store.Tx) error {
			_, err := tx.Policy(ctx, 1)
			return err
		})
		cancel()
		if err != nil {
			t.Fatalf("round %d: policy read in a transaction: %v", round, err)
		}
	}
}
