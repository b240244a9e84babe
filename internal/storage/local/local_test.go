package local_test

import (
	"context"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stratus-drive/stratus/internal/errs"
	"github.com/stratus-drive/stratus/internal/storage"
	"github.com/stratus-drive/stratus/internal/storage/local"
	"github.com/stratus-drive/stratus/internal/storage/storagetest"
)

func TestLocal(t *testing.T) {
	storagetest.Run(t, storagetest.Options{
		New: func(t *testing.T) storage.Driver {
			parent := t.TempDir()
			t.Cleanup(func() { onlyRoot(t, parent) })
			return open(t, filepath.Join(parent, "root"))
		},
		Reopen: func(t *testing.T, d storage.Driver) storage.Driver { return open(t, d.(*local.Driver).Dir()) },
		Files:  func(t *testing.T, d storage.Driver) []string { return files(t, d.(*local.Driver).Dir()) },
	})
}

func open(t testing.TB, dir string) *local.Driver {
	t.Helper()
	d, err := local.New(local.Settings{Root: dir}, storage.Env{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

// files lists every non-directory under dir.
func files(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, de fs.DirEntry, err error) error {
		if err == nil && !de.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			out = append(out, filepath.ToSlash(rel))
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// onlyRoot fails if anything but the root appeared next to it.
func onlyRoot(t *testing.T, parent string) {
	entries, err := os.ReadDir(parent)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.Name() != "root" {
			t.Errorf("the driver wrote %q outside its root", e.Name())
		}
	}
}

func TestParseSettings(t *testing.T) {
	for _, c := range []struct {
		raw      string
		wantRoot string // "" means errs.Invalid
	}{
		{``, local.DefaultRoot},
		{`null`, local.DefaultRoot},
		{`{}`, local.DefaultRoot},
		{`{"root":""}`, local.DefaultRoot},
		{`{"root":"/srv/blobs"}`, "/srv/blobs"},
		{`{"root":"blobs/../b2/"}`, "b2"},
		{`{"root":"x","chunk_size":5,"file_type":["jpg"]}`, "x"}, // other policy keys are not ours
		{`{"root":"a\u0000b"}`, ""},
		{`{"root":5}`, ""},
		{`[]`, ""},
		{`"root"`, ""},
		{`{"root":`, ""},
	} {
		s, err := local.ParseSettings(json.RawMessage(c.raw))
		switch {
		case c.wantRoot == "" && !errs.Is(errs.Invalid, err):
			t.Errorf("ParseSettings(%s) = %+v, %v; want errs.Invalid", c.raw, s, err)
		case c.wantRoot != "" && (err != nil || s.Root != filepath.FromSlash(c.wantRoot)):
			t.Errorf("ParseSettings(%s) = %+v, %v; want root %q", c.raw, s, err, c.wantRoot)
		}
	}
}

func TestRegistryResolvesRoot(t *testing.T) {
	r := storage.NewRegistry()
	storage.Register(r, "local", local.ParseSettings, local.New)
	data := t.TempDir()
	d, err := r.New("local", json.RawMessage(`{"root":"blobs"}`), storage.Env{DataDir: data})
	if err != nil {
		t.Fatal(err)
	}
	defer d.(*local.Driver).Close()
	if got, want := d.(*local.Driver).Dir(), filepath.Join(data, "blobs"); got != want {
		t.Errorf("root %q, want %q", got, want)
	}
	if fi, err := os.Stat(filepath.Join(data, "blobs")); err != nil || !fi.IsDir() {
		t.Errorf("root not created: %v", err)
	}
}

// TestSymlinks pins the decision: links inside the root are followed only
// when they stay inside it; links leading out make every operation fail and
// are never written through.
func TestSymlinks(t *testing.T) {
	ctx := context.Background()
	parent := t.TempDir()
	outside := filepath.Join(parent, "outside")
	mustDo(t, os.Mkdir(outside, 0o755))
	mustDo(t, os.WriteFile(filepath.Join(outside, "secret"), []byte("secret"), 0o644))
	d := open(t, filepath.Join(parent, "root"))
	root := d.Dir()
	mustDo(t, os.Symlink("../outside", filepath.Join(root, "rel")))
	mustDo(t, os.Symlink(outside, filepath.Join(root, "abs")))
	mustDo(t, os.Symlink("../outside/secret", filepath.Join(root, "filelink")))
	mustDo(t, os.Mkdir(filepath.Join(root, "real"), 0o755))
	mustDo(t, os.WriteFile(filepath.Join(root, "real", "f"), []byte("inside"), 0o644))
	mustDo(t, os.Symlink("real", filepath.Join(root, "inlink")))

	for _, key := range []string{"rel/secret", "abs/secret", "filelink"} {
		if _, err := d.Stat(ctx, key); err == nil {
			t.Errorf("Stat(%q) followed a link out of the root", key)
		}
		if rc, err := d.Open(ctx, key, 0, -1); err == nil {
			rc.Close()
			t.Errorf("Open(%q) followed a link out of the root", key)
		}
		if err := d.Copy(ctx, "copied", key); err == nil {
			t.Errorf("Copy from %q followed a link out of the root", key)
		}
	}
	for _, key := range []string{"rel/new", "abs/new", "rel/secret", "abs/sub/new"} {
		if err := d.Put(ctx, key, strings.NewReader("x"), 1); err == nil {
			t.Errorf("Put(%q) wrote through a link out of the root", key)
		}
		d.Delete(ctx, key) // may fail; must not delete outside
	}
	if _, ok := storage.As[storage.Multiparter](d); ok {
		u, err := d.NewMultipart(ctx, "rel/mp", 1, 0)
		if err == nil {
			if u.WritePart(ctx, 0, strings.NewReader("x"), 1) == nil && u.Complete(ctx) == nil {
				t.Error("multipart upload completed through a link out of the root")
			}
			u.Abort(ctx)
		}
	}
	// Putting onto a key that is a link replaces the link, not its target.
	if err := d.Put(ctx, "filelink", strings.NewReader("new"), 3); err != nil {
		t.Fatalf("Put onto a link: %v", err)
	}
	if fi, err := os.Lstat(filepath.Join(root, "filelink")); err != nil || !fi.Mode().IsRegular() {
		t.Errorf("the link was not replaced by the object: %v %v", fi, err)
	}
	if b, err := os.ReadFile(filepath.Join(outside, "secret")); err != nil || string(b) != "secret" {
		t.Errorf("outside file changed: %q %v", b, err)
	}
	if got := files(t, outside); len(got) != 1 {
		t.Errorf("files outside the root: %q", got)
	}
	// Links that stay inside are followed for reads, and never listed.
	if rc, err := d.Open(ctx, "inlink/f", 0, -1); err != nil {
		t.Errorf("Open through a link inside the root: %v", err)
	} else {
		rc.Close()
	}
	var listed []string
	d.List(ctx, "", func(o storage.Object) error { listed = append(listed, o.Key); return nil })
	if want := []string{"filelink", "real/f"}; !slices.Equal(listed, want) {
		t.Errorf("List = %q, want %q", listed, want)
	}
	// Deleting through a link inside the root prunes real directories only.
	mustDo(t, d.Delete(ctx, "inlink/f"))
	for _, link := range []string{"rel", "abs", "inlink"} {
		if fi, err := os.Lstat(filepath.Join(root, link)); err != nil || fi.Mode()&fs.ModeSymlink == 0 {
			t.Errorf("link %q was removed or replaced: %v", link, err)
		}
	}
}

func TestPrune(t *testing.T) {
	ctx := context.Background()
	d := open(t, t.TempDir())
	put := func(key string) {
		t.Helper()
		mustDo(t, d.Put(ctx, key, strings.NewReader("x"), 1))
	}
	put("a/b/c/d")
	put("a/keep")
	mustDo(t, d.Delete(ctx, "a/b/c/d"))
	if _, err := os.Stat(filepath.Join(d.Dir(), "a", "b")); !os.IsNotExist(err) {
		t.Errorf("empty directory a/b not pruned: %v", err)
	}
	mustDo(t, d.Delete(ctx, "a/keep"))
	if entries, err := os.ReadDir(d.Dir()); err != nil || len(entries) != 0 {
		t.Errorf("root after deleting everything: %v %v", entries, err)
	}
	// A directory this driver made, removed behind its back (another
	// process's prune), is made again on the next Put.
	put("m/n/o")
	if err := os.RemoveAll(filepath.Join(d.Dir(), "m")); err != nil {
		t.Fatal(err)
	}
	put("m/n/p")
	mustDo(t, d.Delete(ctx, "m/n/p"))
	if err := d.Put(ctx, "x/y/z", strings.NewReader("short"), 10); err == nil {
		t.Fatal("short Put succeeded")
	}
	if entries, err := os.ReadDir(d.Dir()); err != nil || len(entries) != 0 {
		t.Errorf("failed Put left %v %v", entries, err)
	}
	// A key below an object, and an object where a directory is, conflict.
	put("f")
	err := d.Put(ctx, "f/g", strings.NewReader("x"), 1)
	if !errs.Is(errs.Conflict, err) {
		t.Errorf("Put below an object: %v, want errs.Conflict", err)
	}
	put("dir/x")
	err = d.Put(ctx, "dir", strings.NewReader("x"), 1)
	if !errs.Is(errs.Conflict, err) {
		t.Errorf("Put onto a directory: %v, want errs.Conflict", err)
	}
}

// TestCrashLeftovers covers what a crash can leave: a temporary file, which
// stays invisible, and an upload that Complete or Abort had begun to remove,
// which a later ResumeMultipart reports as gone and removes.
func TestCrashLeftovers(t *testing.T) {
	ctx := context.Background()
	d := open(t, t.TempDir())
	mustDo(t, os.WriteFile(filepath.Join(d.Dir(), ".stratus-tmp-0123"), []byte("partial"), 0o644))
	var listed []string
	mustDo(t, d.List(ctx, "", func(o storage.Object) error { listed = append(listed, o.Key); return nil }))
	if len(listed) != 0 {
		t.Errorf("List shows %q", listed)
	}
	for _, tc := range []struct {
		name   string
		remove []string // removed after data was renamed onto the key
	}{
		{"renamed, state not removed", nil},
		{"renamed, info removed", []string{"info"}},
		{"renamed, parts removed", []string{"parts"}},
		{"renamed, info and parts removed", []string{"info", "parts"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			u, err := d.NewMultipart(ctx, "done", 2, 0)
			mustDo(t, err)
			mustDo(t, u.WritePart(ctx, 0, strings.NewReader("ok"), 2))
			state := filepath.Join(d.Dir(), ".stratus-uploads", u.Info().ID)
			// The crash, in Complete: the rename happened, the state removal
			// did not, or only in part.
			mustDo(t, os.Rename(filepath.Join(state, "data"), filepath.Join(d.Dir(), "done")))
			for _, name := range tc.remove {
				mustDo(t, os.Remove(filepath.Join(state, name)))
			}
			d2 := open(t, d.Dir())
			if _, err := d2.ResumeMultipart(ctx, u.Info().ID); !errs.Is(errs.NotExist, err) {
				t.Errorf("ResumeMultipart of a completed upload: %v, want errs.NotExist", err)
			}
			if _, err := os.Stat(state); !os.IsNotExist(err) {
				t.Errorf("leftover upload state not removed: %v", err)
			}
		})
	}
}

func mustDo(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// TestSweepCrashLeftovers builds, file by file, what a process killed at
// each step of Put, NewMultipart, Complete and Abort leaves, and checks that
// Sweep removes exactly the leftovers old enough and claimed by no session.
func TestSweepCrashLeftovers(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	d := open(t, dir)
	old := time.Now().Add(-2 * time.Hour)
	age := func(names ...string) {
		t.Helper()
		for _, n := range names {
			if err := os.Chtimes(filepath.Join(dir, n), old, old); err != nil {
				t.Fatal(err)
			}
		}
	}
	begin := func(key string) storage.Upload {
		t.Helper()
		u, err := d.NewMultipart(ctx, key, 10, 0)
		if err != nil {
			t.Fatal(err)
		}
		if err := u.WritePart(ctx, 0, strings.NewReader("0123456789"), 10); err != nil {
			t.Fatal(err)
		}
		return u
	}
	state := func(u storage.Upload, name string) string {
		return filepath.Join(".stratus-uploads", u.Info().ID, name)
	}
	ageUpload := func(u storage.Upload) {
		t.Helper()
		entries, _ := os.ReadDir(filepath.Join(dir, ".stratus-uploads", u.Info().ID))
		for _, e := range entries {
			age(state(u, e.Name()))
		}
		age(state(u, ""))
	}

	// Killed after Complete renamed data onto the key, before it removed the
	// directory; the session was then finished (or never will be).
	completed := begin("done/blob")
	if err := os.MkdirAll(filepath.Join(dir, "done"), 0o750); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(filepath.Join(dir, state(completed, "data")), filepath.Join(dir, "done", "blob")); err != nil {
		t.Fatal(err)
	}
	ageUpload(completed)
	// Killed while Complete or Abort removed the directory: info is gone.
	halfRemoved := begin("half")
	for _, n := range []string{"info", "data"} {
		if err := os.Remove(filepath.Join(dir, state(halfRemoved, n))); err != nil {
			t.Fatal(err)
		}
	}
	ageUpload(halfRemoved)
	// Killed in NewMultipart before info was written, or before the session
	// was stored.
	unborn := begin("unborn")
	if err := os.Remove(filepath.Join(dir, state(unborn, "info"))); err != nil {
		t.Fatal(err)
	}
	ageUpload(unborn)
	abandoned := begin("abandoned")
	ageUpload(abandoned)
	// Old, but a session still claims it: a slow upload.
	slow := begin("slow")
	ageUpload(slow)
	// Young and claimed by no session: its session is being stored now.
	young := begin("young")
	// Killed in Put before the rename: a temporary file, alone in its
	// directory, and one next to an object.
	for _, n := range []string{"a/b/.stratus-tmp-0011223344556677", "done/.stratus-tmp-8899aabbccddeeff"} {
		if err := os.MkdirAll(filepath.Join(dir, filepath.Dir(n)), 0o750); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, n), []byte("partial"), 0o640); err != nil {
			t.Fatal(err)
		}
		age(n)
	}
	// A Put still writing.
	if err := os.WriteFile(filepath.Join(dir, "done", ".stratus-tmp-0000000000000000"), nil, 0o640); err != nil {
		t.Fatal(err)
	}

	live := func(id string) bool { return id == slow.Info().ID }
	n, err := d.Sweep(ctx, time.Now().Add(-time.Hour), live)
	if err != nil {
		t.Fatal(err)
	}
	if n != 6 {
		t.Errorf("Sweep removed %d leftovers, want 6", n)
	}
	want := []string{
		"done/.stratus-tmp-0000000000000000",
		"done/blob",
		state(slow, "data"), state(slow, "info"), state(slow, "parts"),
		state(young, "data"), state(young, "info"), state(young, "parts"),
	}
	for i := range want {
		want[i] = filepath.ToSlash(want[i])
	}
	slices.Sort(want)
	got := files(t, dir)
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("after Sweep:\n got %q\nwant %q", got, want)
	}
	if _, err := os.Stat(filepath.Join(dir, "a")); !os.IsNotExist(err) {
		t.Errorf("the directory of a swept temporary file stays: %v", err)
	}
	for _, u := range []storage.Upload{slow, young} {
		if err := u.Complete(ctx); err != nil {
			t.Errorf("Complete of %s after Sweep: %v", u.Info().Key, err)
		}
	}
}
