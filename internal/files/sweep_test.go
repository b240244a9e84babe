package files

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stratus-drive/stratus/internal/storage"
	"github.com/stratus-drive/stratus/internal/storage/local"
)

// TestCollectSweepsCrashLeftovers: what a process killed mid-upload leaves
// in storage (the multipart state of an upload whose session is gone, a
// temporary file of an unfinished Put) is removed by the upload cleanup once
// it is old enough, and the state of an upload whose session is live never
// is, however old.
func TestCollectSweepsCrashLeftovers(t *testing.T) {
	h := newHarness(t)
	alice := h.user("alice@example.com")
	pid := policyOf(alice)
	p, err := h.db.Policy(h.ctx, pid)
	if err != nil {
		t.Fatal(err)
	}
	p.Settings.ChunkSize = 1 << 10
	if err := h.db.SetPolicySettings(h.ctx, pid, p.Settings); err != nil {
		t.Fatal(err)
	}
	pd, err := h.s.driverFor(h.ctx, pid)
	if err != nil {
		t.Fatal(err)
	}
	root := pd.driver.(*local.Driver).Dir()
	mp, _ := storage.As[storage.Multiparter](pd.driver)

	data := bytes.Repeat([]byte("x"), 1<<10+10)
	if err := h.upload(alice, "cloudreve://my/done.bin", data); err != nil {
		t.Fatal(err)
	}
	// A live upload: one chunk of two arrived.
	live, err := h.s.CreateUpload(h.ctx, alice, UploadRequest{URI: "cloudreve://my/live.bin", Size: int64(len(data))})
	if err != nil {
		t.Fatal(err)
	}
	if err := h.s.UploadChunk(h.ctx, alice, live.ID, 0, bytes.NewReader(data[:1<<10]), 1<<10); err != nil {
		t.Fatal(err)
	}
	// The crash: an upload's state whose session is gone (completed or
	// discarded, its process killed before the driver removed the state),
	// and a Put's temporary file.
	orphan, err := mp.NewMultipart(h.ctx, "orphan.bin", 3, 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := orphan.WritePart(h.ctx, 0, bytes.NewReader([]byte("abc")), 3); err != nil {
		t.Fatal(err)
	}
	tmp := filepath.Join(root, "1", ".stratus-tmp-0123456789abcdef")
	if err := os.MkdirAll(filepath.Dir(tmp), 0o750); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(tmp, []byte("partial"), 0o640); err != nil {
		t.Fatal(err)
	}
	orphanDir := filepath.Join(root, ".stratus-uploads", orphan.Info().ID)

	// Young leftovers may belong to work in progress: they stay.
	if _, err := h.s.Collect(h.ctx); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{orphanDir, tmp} {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("swept while young: %v", err)
		}
	}

	// Two hours later by the files' times, which come from the real clock;
	// the live session has a day.
	old := time.Now().Add(-2 * time.Hour)
	err = filepath.WalkDir(root, func(p string, _ fs.DirEntry, err error) error {
		if err == nil {
			err = os.Chtimes(p, old, old)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	r, err := h.s.Collect(h.ctx)
	if err != nil {
		t.Fatal(err)
	}
	if r.Uploads != 2 {
		t.Errorf("cleanup removed %d, want the 2 leftovers", r.Uploads)
	}
	for _, p := range []string{orphanDir, tmp} {
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Errorf("leftover %s stays: %v", p, err)
		}
	}
	// The live upload is untouched and finishes.
	if err := h.s.UploadChunk(h.ctx, alice, live.ID, 1, bytes.NewReader(data[1<<10:]), 10); err != nil {
		t.Fatalf("the live upload after the sweep: %v", err)
	}
	got, err := os.ReadDir(filepath.Join(root, ".stratus-uploads"))
	if err != nil || len(got) != 0 {
		t.Errorf("upload state after both uploads finished: %v, %v", got, err)
	}
}
