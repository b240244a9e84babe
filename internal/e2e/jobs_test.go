package e2e

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stratus-drive/stratus/internal/files"
	"github.com/stratus-drive/stratus/internal/storage"
	"github.com/stratus-drive/stratus/internal/testenv"
	"github.com/stratus-drive/stratus/internal/testenv/clock"
)

// blobs returns the objects the local driver holds under the data
// directory, by path, leaving out its own temporary and multipart files
// unless all is set.
func blobs(t *testing.T, env *testenv.Env, all bool) map[string]string {
	t.Helper()
	out := map[string]string{}
	root := filepath.Join(env.Config.System.DataDir, "storage")
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if os.IsNotExist(err) {
			return nil
		}
		if err != nil {
			return err
		}
		if !all && strings.HasPrefix(d.Name(), storage.ReservedPrefix) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.Type().IsRegular() {
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			out[p] = string(b)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// blobWith returns the path of the one stored object holding content.
func blobWith(t *testing.T, env *testenv.Env, content string) string {
	t.Helper()
	var found []string
	for p, c := range blobs(t, env, false) {
		if c == content {
			found = append(found, p)
		}
	}
	if len(found) != 1 {
		t.Fatalf("%d stored objects hold %q, want 1", len(found), content)
	}
	return found[0]
}

func exists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

func collect(t *testing.T, env *testenv.Env) files.JobReport {
	t.Helper()
	r, err := env.Server.Files().Collect(context.Background())
	if err != nil {
		t.Fatalf("Collect: %v", err)
	}
	return r
}

func TestRecycler(t *testing.T) {
	testenv.EachDialect(t, testenv.Options{}, func(t *testing.T, env *testenv.Env) {
		c := env.Client()
		root, _ := c.NewUser(t, "root@example.com")
		alice, _ := c.NewUser(t, "alice@example.com")

		// A blob shared by a copy outlives the original.
		upload(t, alice, "cloudreve://my/a.txt", []byte("blob A"), nil)
		blobA := blobWith(t, env, "blob A")
		create(t, alice, "cloudreve://my/copies", "folder")
		alice.OK(t, "POST", "/file/move", map[string]any{"uris": []string{"cloudreve://my/a.txt"},
			"dst": "cloudreve://my/copies", "copy": true})
		alice.OK(t, "DELETE", "/file", map[string]any{"uris": []string{"cloudreve://my/a.txt"}, "skip_soft_delete": true})
		if r := collect(t, env); r.Entities != 0 || !exists(blobA) {
			t.Fatalf("collect with a copy left: %+v, blob exists %v", r, exists(blobA))
		}
		if _, body := fetch(t, downloadURL(t, alice, "cloudreve://my/copies/a.txt", nil), nil); string(body) != "blob A" {
			t.Errorf("copy = %q", body)
		}
		// Deleting the last link lets the recycler remove the object.
		alice.OK(t, "DELETE", "/file", map[string]any{"uris": []string{"cloudreve://my/copies"}, "skip_soft_delete": true})
		if r := collect(t, env); r.Entities != 1 || exists(blobA) {
			t.Fatalf("collect after the last delete: %+v, blob exists %v", r, exists(blobA))
		}
		if r := collect(t, env); r != (files.JobReport{}) {
			t.Errorf("second collect did %+v", r)
		}

		// An old version dropped by a new upload is recycled too.
		alice.OK(t, "PATCH", "/user/setting", map[string]any{"version_retention_enabled": false})
		upload(t, alice, "cloudreve://my/v.txt", []byte("version 1"), nil)
		v1 := blobWith(t, env, "version 1")
		upload(t, alice, "cloudreve://my/v.txt", []byte("version 2"), map[string]any{"entity_type": "version"})
		if r := collect(t, env); r.Entities != 1 || exists(v1) {
			t.Errorf("old version: %+v, blob exists %v", r, exists(v1))
		}
		blobWith(t, env, "version 2")

		// Unlink keeps the stored object; only groups with advanced delete may.
		upload(t, root, "cloudreve://my/keep.txt", []byte("kept on disk"), nil)
		kept := blobWith(t, env, "kept on disk")
		upload(t, alice, "cloudreve://my/mine.txt", []byte("alice"), nil)
		alice.ExpectCode(t, 403, "DELETE", "/file", map[string]any{"uris": []string{"cloudreve://my/mine.txt"},
			"skip_soft_delete": true, "unlink": true})
		root.OK(t, "DELETE", "/file", map[string]any{"uris": []string{"cloudreve://my/keep.txt"},
			"skip_soft_delete": true, "unlink": true})
		if r := collect(t, env); r.Entities != 1 || !exists(kept) {
			t.Errorf("unlink: %+v, blob exists %v", r, exists(kept))
		}
		if used := capacityUsed(t, root); used != 0 {
			t.Errorf("root uses %d after unlink", used)
		}
	})
}

func TestTrashPurge(t *testing.T) {
	testenv.EachDialect(t, testenv.Options{}, func(t *testing.T, env *testenv.Env) {
		ctx := context.Background()
		fsvc := env.Server.Files()
		alice, _ := env.Client().NewUser(t, "alice@example.com")
		upload(t, alice, "cloudreve://my/old/deep/b.txt", []byte("trashed"), nil)
		upload(t, alice, "cloudreve://my/c.txt", []byte("restored"), nil)
		blobB := blobWith(t, env, "trashed")
		alice.OK(t, "DELETE", "/file", map[string]any{"uris": []string{"cloudreve://my/old", "cloudreve://my/c.txt"}})
		alice.OK(t, "POST", "/file/restore", map[string]any{"uris": []string{trashPath(t, alice, "c.txt")}})

		// Trashed items wait for their collect time (the group keeps a week).
		if r := collect(t, env); r.Trash != 0 || r.Entities != 0 {
			t.Fatalf("collect before the retention ended: %+v", r)
		}
		if n, err := fsvc.PurgeTrash(ctx, time.Now().Add(6*24*time.Hour)); n != 0 || err != nil {
			t.Fatalf("purge before the collect time: %d, %v", n, err)
		}
		if used := capacityUsed(t, alice); used != int64(len("trashed")+len("restored")) {
			t.Errorf("used = %d while in the trash", used)
		}
		if n, err := fsvc.PurgeTrash(ctx, time.Now().Add(8*24*time.Hour)); n != 1 || err != nil {
			t.Fatalf("purge after the collect time: %d, %v", n, err)
		}
		if l := list(t, alice, "cloudreve://trash", ""); len(l.Files) != 0 {
			t.Errorf("trash after purge = %v", names(l.Files))
		}
		if used := capacityUsed(t, alice); used != int64(len("restored")) {
			t.Errorf("used = %d after purge", used)
		}
		if l := list(t, alice, "cloudreve://my", ""); strings.Join(names(l.Files), ",") != "c.txt" {
			t.Errorf("my = %v", names(l.Files))
		}
		if r := collect(t, env); r.Entities != 1 || exists(blobB) {
			t.Errorf("recycling the purged blob: %+v, exists %v", r, exists(blobB))
		}
	})
}

// trashPath returns the trash URI of the item originally called name.
func trashPath(t *testing.T, c *testenv.Client, name string) string {
	t.Helper()
	for _, f := range list(t, c, "cloudreve://trash", "").Files {
		if f.Name == name {
			return f.Path
		}
	}
	t.Fatalf("%s is not in the trash", name)
	return ""
}

func TestExpiredUploadCleanup(t *testing.T) {
	now := clock.At(time.Now())
	opt := testenv.Options{Environ: []string{"CR_SETTING_upload_session_timeout=1"}, Clock: now}
	testenv.EachDialect(t, opt, func(t *testing.T, env *testenv.Env) {
		alice, _ := env.Client().NewUser(t, "alice@example.com")
		upload(t, alice, "cloudreve://my/old.txt", []byte("old"), nil)
		startUpload(t, alice, "cloudreve://my/new/pending.bin", 10, nil)
		s := startUpload(t, alice, "cloudreve://my/old.txt", 20, map[string]any{"entity_type": "version"})
		if used := capacityUsed(t, alice); used != 33 {
			t.Fatalf("used = %d with two uploads pending", used)
		}
		now.Advance(1500 * time.Millisecond)
		if e := putChunk(t, alice, s.SessionID, 0, make([]byte, 20)); e.Code != 40011 {
			t.Errorf("chunk after expiry: %d", e.Code)
		}
		if r := collect(t, env); r.Uploads != 2 {
			t.Errorf("collect = %+v, want 2 uploads", r)
		}
		if used := capacityUsed(t, alice); used != 3 {
			t.Errorf("used = %d after cleanup", used)
		}
		if l := list(t, alice, "cloudreve://my/new", ""); len(l.Files) != 0 {
			t.Errorf("placeholder left: %v", names(l.Files))
		}
		l := list(t, alice, "cloudreve://my", "")
		for _, f := range l.Files {
			if f.Name == "old.txt" && (f.Size != 3 || f.Metadata["sys:upload_session_id"] != "") {
				t.Errorf("old.txt after cleanup = %+v", f)
			}
		}
		if _, body := fetch(t, downloadURL(t, alice, "cloudreve://my/old.txt", nil), nil); string(body) != "old" {
			t.Errorf("old.txt = %q", body)
		}
		if all := blobs(t, env, true); len(all) != 1 {
			t.Errorf("stored files after cleanup: %v", all)
		}
	})
}

// TestJobsConcurrent runs the jobs of two processes on one site at once:
// every item is handled exactly once.
func TestJobsConcurrent(t *testing.T) {
	for _, dialect := range testenv.Dialects {
		t.Run(dialect, func(t *testing.T) {
			a := testenv.Start(t, testenv.Options{Dialect: dialect})
			b := testenv.Start(t, testenv.Options{Database: &a.Database, DataDir: a.Config.System.DataDir})
			alice, _ := a.Client().NewUser(t, "alice@example.com")
			const n = 12
			var uris []string
			for i := range n {
				uri := "cloudreve://my/f" + string(rune('a'+i)) + ".txt"
				upload(t, alice, uri, []byte("content "+uri), nil)
				uris = append(uris, uri)
			}
			alice.OK(t, "DELETE", "/file", map[string]any{"uris": uris[:n/2], "skip_soft_delete": true})
			alice.OK(t, "DELETE", "/file", map[string]any{"uris": uris[n/2:]})
			ctx := context.Background()
			later := time.Now().Add(30 * 24 * time.Hour)

			var wg sync.WaitGroup
			var mu sync.Mutex
			purged, recycled := 0, 0
			for _, env := range []*testenv.Env{a, b, a, b} {
				wg.Go(func() {
					p, err := env.Server.Files().PurgeTrash(ctx, later)
					if err != nil {
						t.Errorf("PurgeTrash: %v", err)
					}
					r, err := env.Server.Files().CollectEntities(ctx)
					if err != nil {
						t.Errorf("CollectEntities: %v", err)
					}
					mu.Lock()
					purged += p
					recycled += r
					mu.Unlock()
				})
			}
			wg.Wait()
			// Purges that ran after a recycler pass leave blobs for the next one.
			for _, env := range []*testenv.Env{a, b} {
				r, err := env.Server.Files().CollectEntities(ctx)
				if err != nil {
					t.Fatal(err)
				}
				recycled += r
			}
			if purged != n/2 || recycled != n {
				t.Errorf("purged %d, recycled %d; want %d, %d", purged, recycled, n/2, n)
			}
			if left := blobs(t, a, true); len(left) != 0 {
				t.Errorf("stored files left: %v", left)
			}
			if used := capacityUsed(t, alice); used != 0 {
				t.Errorf("used = %d", used)
			}
		})
	}
}
