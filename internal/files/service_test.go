package files

import (
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stratus-drive/stratus/internal/drive"
	"github.com/stratus-drive/stratus/internal/errs"
	"github.com/stratus-drive/stratus/internal/store"
)

// Service-level tests: the filesystem on real SQLite with a test clock.
// Table tests for the rules, scripts for sequences of states.

func TestNameRules(t *testing.T) {
	h := newHarness(t)
	alice := h.user("alice@example.com")
	for i, c := range []struct {
		name string
		ok   bool
	}{
		{"report.txt", true}, {"with space.md", true}, {"报告.docx", true}, {strings.Repeat("a", 255), true},
		{"", false}, {".", false}, {"..", false}, {"a/b", false}, {"a\x00b", false}, {"a\nb", false},
		{strings.Repeat("a", 256), false}, {"bidi\u202eexe.txt", false},
	} {
		uri := "cloudreve://my/f" + strconv.Itoa(i)
		if _, err := h.s.Create(h.ctx, alice, uri, drive.TypeFile, nil, true); err != nil {
			t.Fatal(err)
		}
		_, err := h.s.Rename(h.ctx, alice, uri, c.name)
		if c.ok && err != nil {
			t.Errorf("%q refused: %v", c.name, err)
		}
		if !c.ok && !errors.Is(err, ErrIllegalName) {
			t.Errorf("%q: %v, want an illegal name", c.name, err)
		}
	}
}

func TestConflicts(t *testing.T) {
	h := newHarness(t)
	alice := h.user("alice@example.com")
	for _, p := range []string{"a.txt", "b.txt", "dir/a.txt", "dir2"} {
		typ := drive.TypeFile
		if !strings.Contains(p, ".") {
			typ = drive.TypeFolder
		}
		if _, err := h.s.Create(h.ctx, alice, "cloudreve://my/"+p, typ, nil, true); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []struct {
		name string
		do   func() error
		want error // nil: succeeds
	}{
		{"create the same file", func() error {
			_, err := h.s.Create(h.ctx, alice, "cloudreve://my/a.txt", drive.TypeFile, nil, true)
			return err
		}, ErrNameConflict},
		{"create the same folder again without errOnConflict", func() error {
			_, err := h.s.Create(h.ctx, alice, "cloudreve://my/dir2", drive.TypeFolder, nil, false)
			return err
		}, nil},
		{"rename onto a sibling", func() error {
			_, err := h.s.Rename(h.ctx, alice, "cloudreve://my/b.txt", "a.txt")
			return err
		}, ErrNameConflict},
		{"move onto a namesake", func() error {
			return h.s.Move(h.ctx, alice, []string{"cloudreve://my/a.txt"}, "cloudreve://my/dir", false)
		}, ErrNameConflict},
		{"move a folder into itself", func() error {
			return h.s.Move(h.ctx, alice, []string{"cloudreve://my/dir"}, "cloudreve://my/dir", false)
		}, errAny},
		{"create under a file", func() error {
			_, err := h.s.Create(h.ctx, alice, "cloudreve://my/a.txt/x", drive.TypeFile, nil, true)
			return err
		}, errAny},
		{"rename to a free name", func() error {
			_, err := h.s.Rename(h.ctx, alice, "cloudreve://my/b.txt", "c.txt")
			return err
		}, nil},
	} {
		err := c.do()
		switch {
		case c.want == nil && err != nil:
			t.Errorf("%s: %v", c.name, err)
		case c.want == errAny && err == nil, c.want != nil && c.want != errAny && !errors.Is(err, c.want):
			t.Errorf("%s: %v, want %v", c.name, err, c.want)
		}
	}
	if got := h.names(alice, "cloudreve://my"); !slices.Equal(got, []string{"dir", "dir2", "a.txt", "c.txt"}) {
		t.Errorf("my = %v", got)
	}
}

// errAny stands for "some error" in the tables.
var errAny = errors.New("any error")

func TestQuota(t *testing.T) {
	h := newHarness(t)
	alice := h.user("alice@example.com")
	alice.User.Group.MaxStorage = 10
	if err := h.upload(alice, "cloudreve://my/a.bin", []byte("12345678")); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		size int
		ok   bool
	}{{3, false}, {2, true}, {1, false}} {
		err := h.upload(alice, "cloudreve://my/x"+string(rune('a'+c.size))+".bin", make([]byte, c.size))
		if c.ok != (err == nil) || !c.ok && !errors.Is(err, ErrInsufficientCapacity) {
			t.Errorf("%d more bytes at %d of 10: %v", c.size, h.used(alice), err)
		}
	}
	if used := h.used(alice); used != 10 {
		t.Errorf("used %d, want 10", used)
	}
	// Trashed files still count; deleted ones do not.
	if err := h.s.Delete(h.ctx, alice, []string{"cloudreve://my/a.bin"}, DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	if used := h.used(alice); used != 10 {
		t.Errorf("used %d with a.bin in the trash", used)
	}
	if err := h.s.EmptyTrash(h.ctx, alice); err != nil {
		t.Fatal(err)
	}
	if used := h.used(alice); used != 2 {
		t.Errorf("used %d after emptying the trash", used)
	}
}

func TestVersionRetention(t *testing.T) {
	for _, c := range []struct {
		name     string
		settings drive.UserSettings
		file     string
		want     int // versions kept after five uploads
	}{
		{"off", drive.UserSettings{}, "a.txt", 1},
		{"on, max 3", drive.UserSettings{VersionRetention: true, VersionRetentionMax: 3}, "a.txt", 3},
		{"on, unbounded", drive.UserSettings{VersionRetention: true}, "a.txt", 5},
		{"on for docx only", drive.UserSettings{VersionRetention: true, VersionRetentionMax: 3,
			VersionRetentionExt: []string{"DOCX"}}, "a.txt", 1},
		{"on for docx, a docx", drive.UserSettings{VersionRetention: true, VersionRetentionMax: 3,
			VersionRetentionExt: []string{"DOCX"}}, "a.docx", 3},
	} {
		t.Run(c.name, func(t *testing.T) {
			h := newHarness(t)
			alice := h.user("alice@example.com")
			err := h.db.InTx(h.ctx, func(tx *store.Tx) error {
				return tx.ModifyUserProfile(h.ctx, alice.User.ID, func(_ *string, st *drive.UserSettings) error {
					*st = c.settings
					return nil
				})
			})
			if err != nil {
				t.Fatal(err)
			}
			var total int64
			for i := 1; i <= 5; i++ {
				if err := h.upload(alice, "cloudreve://my/"+c.file, make([]byte, i)); err != nil {
					t.Fatal(err)
				}
				total += int64(i)
			}
			n, err := h.s.Info(h.ctx, alice, "cloudreve://my/"+c.file)
			if err != nil {
				t.Fatal(err)
			}
			es, err := h.db.EntitiesOfFile(h.ctx, n.File.ID)
			if err != nil {
				t.Fatal(err)
			}
			var kept int64
			for _, e := range es {
				kept += e.Size
			}
			if len(es) != c.want || n.File.Size != 5 {
				t.Errorf("%d versions, size %d; want %d versions of the last (5 bytes)", len(es), n.File.Size, c.want)
			}
			if used := h.used(alice); used != kept {
				t.Errorf("used %d, but the kept versions hold %d", used, kept)
			}
		})
	}
}

// TestTrashRestoreConflict is a script: upload, trash, upload the same name
// again, restore (conflict), rename the newcomer, restore, and the trash
// purge on the clock.
func TestTrashRestoreConflict(t *testing.T) {
	h := newHarness(t)
	alice := h.user("alice@example.com")
	step := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	step("upload", h.upload(alice, "cloudreve://my/docs/a.txt", []byte("first")))
	step("trash", h.s.Delete(h.ctx, alice, []string{"cloudreve://my/docs/a.txt"}, DeleteOptions{}))
	if got := h.names(alice, "cloudreve://my/docs"); len(got) != 0 {
		t.Fatalf("docs after trashing = %v", got)
	}
	trash, err := h.s.List(h.ctx, alice, "cloudreve://trash", ListOptions{PageSize: 100})
	step("list trash", err)
	if len(trash.Files) != 1 || trash.Files[0].Name != "a.txt" {
		t.Fatalf("trash = %+v", trash.Files)
	}
	trashed := trash.Files[0].URI.String()

	step("upload again", h.upload(alice, "cloudreve://my/docs/a.txt", []byte("second")))
	err = h.s.Restore(h.ctx, alice, []string{trashed})
	var batch errs.Batch
	if !errors.As(err, &batch) || !errors.Is(batch[trashed], ErrNameConflict) {
		t.Fatalf("restore onto a namesake: %v, want a name conflict", err)
	}
	_, err = h.s.Rename(h.ctx, alice, "cloudreve://my/docs/a.txt", "b.txt")
	step("rename the newcomer", err)
	step("restore", h.s.Restore(h.ctx, alice, []string{trashed}))
	if got := h.names(alice, "cloudreve://my/docs"); !slices.Equal(got, []string{"a.txt", "b.txt"}) {
		t.Fatalf("docs after restore = %v", got)
	}
	if used := h.used(alice); used != int64(len("first")+len("second")) {
		t.Errorf("used %d", used)
	}

	// Trash again; the purge takes it only once its collect time passed.
	step("trash again", h.s.Delete(h.ctx, alice, []string{"cloudreve://my/docs/a.txt"}, DeleteOptions{}))
	if n, err := h.s.PurgeTrash(h.ctx, h.clock.Now()); n != 0 || err != nil {
		t.Fatalf("purge at once: %d, %v", n, err)
	}
	h.clock.Advance(time.Duration(alice.Group().Settings.TrashRetention+1) * time.Second)
	if n, err := h.s.PurgeTrash(h.ctx, h.clock.Now()); n != 1 || err != nil {
		t.Fatalf("purge after the retention: %d, %v", n, err)
	}
	if used := h.used(alice); used != int64(len("second")) {
		t.Errorf("used %d after the purge", used)
	}
	if n, err := h.s.CollectEntities(h.ctx); n != 1 || err != nil {
		t.Errorf("recycled %d, %v; want the purged blob", n, err)
	}
}

// TestUploadExpiry is a script on the clock: a session expires, its chunk is
// refused, and the cleanup releases the reservation and the placeholder.
func TestUploadExpiry(t *testing.T) {
	h := newHarness(t)
	alice := h.user("alice@example.com")
	sess, err := h.s.CreateUpload(h.ctx, alice, UploadRequest{URI: "cloudreve://my/big.bin", Size: 100})
	if err != nil {
		t.Fatal(err)
	}
	if used := h.used(alice); used != 100 {
		t.Fatalf("reserved %d", used)
	}
	if n, err := h.s.CleanExpiredUploads(h.ctx); n != 0 || err != nil {
		t.Fatalf("cleanup before expiry: %d, %v", n, err)
	}
	h.clock.Advance(sess.Expires.Sub(h.clock.Now()) + time.Second)
	err = h.s.UploadChunk(h.ctx, alice, sess.ID, 0, strings.NewReader(strings.Repeat("x", 100)), 100)
	if !errors.Is(err, ErrUploadSessionExpired) {
		t.Errorf("chunk after expiry: %v", err)
	}
	if n, err := h.s.CleanExpiredUploads(h.ctx); n != 1 || err != nil {
		t.Fatalf("cleanup after expiry: %d, %v", n, err)
	}
	if used := h.used(alice); used != 0 {
		t.Errorf("used %d after cleanup", used)
	}
	if got := h.names(alice, "cloudreve://my"); len(got) != 0 {
		t.Errorf("placeholder left: %v", got)
	}
	if _, err := h.s.Info(h.ctx, alice, "cloudreve://my/big.bin"); !errs.Is(errs.NotExist, err) {
		t.Errorf("info of the placeholder: %v", err)
	}
}
