package local_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"testing"

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

func BenchmarkLocal(b *testing.B) {
	storagetest.Bench(b, func(b *testing.B) storage.Driver { return open(b, b.TempDir()) })
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
