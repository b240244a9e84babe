package files

import (
	"context"
	"testing"
	"time"

	"github.com/stratus-drive/stratus/internal/errs"
	"github.com/stratus-drive/stratus/internal/store/storetest"
)

// TestCleanExpiredUploadsSkipsUnreadable: a session row that cannot be
// loaded is reported and left, while the others are cleaned, and the run
// ends instead of fetching the same ids again and again.
func TestCleanExpiredUploadsSkipsUnreadable(t *testing.T) {
	h := newHarness(t)
	alice := h.user("alice@example.com")
	var ids []string
	for _, name := range []string{"a.txt", "b.txt", "c.txt"} {
		sess, err := h.s.CreateUpload(h.ctx, alice, UploadRequest{URI: "cloudreve://my/" + name, Size: 10})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, sess.ID)
	}
	storetest.Exec(t, h.db, `UPDATE upload_sessions SET metadata = '{' WHERE id = ?`, ids[1])
	h.clock.Advance(30 * 24 * time.Hour)

	// A run that spins only ends with its context; this one must end first.
	ctx, cancel := context.WithTimeout(h.ctx, 20*time.Second)
	defer cancel()
	n, err := h.s.CleanExpiredUploads(ctx)
	if ctx.Err() != nil {
		t.Fatalf("the cleanup ran until its context ended (%d cleaned, %v)", n, err)
	}
	if n != 2 || err == nil {
		t.Errorf("cleaned %d, err %v; want 2 and the unreadable session reported", n, err)
	}
	for i, id := range ids {
		_, err := h.db.UploadSessionByID(h.ctx, id)
		if gone := errs.Is(errs.NotExist, err); gone != (i != 1) {
			t.Errorf("session %d: %v", i, err)
		}
	}
}
