package local_test

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stratus-drive/stratus/internal/storage"
	"github.com/stratus-drive/stratus/internal/storage/storagetest"
)

func BenchmarkLocal(b *testing.B) {
	storagetest.Bench(b, func(b *testing.B) storage.Driver { return open(b, b.TempDir()) })
}

// BenchmarkOSFile does what Put and Open do with bare os.File calls (write in
// 256 KiB blocks, fsync, rename, fsync the directory; read in 256 KiB
// blocks): the physical limit the driver's figures compare with.
func BenchmarkOSFile(b *testing.B) {
	for _, size := range storagetest.BenchSizes {
		data := storagetest.Bytes(uint64(size), size)
		b.Run(fmt.Sprintf("Write/%dMiB", size>>20), func(b *testing.B) {
			dir := b.TempDir()
			b.SetBytes(size)
			for b.Loop() {
				f, err := os.CreateTemp(dir, "tmp")
				if err != nil {
					b.Fatal(err)
				}
				for off := int64(0); off < size; off += storage.BufferSize {
					if _, err := f.Write(data[off:min(off+storage.BufferSize, size)]); err != nil {
						b.Fatal(err)
					}
				}
				if err := f.Sync(); err != nil {
					b.Fatal(err)
				}
				f.Close()
				if err := os.Rename(f.Name(), filepath.Join(dir, "obj")); err != nil {
					b.Fatal(err)
				}
				if d, err := os.Open(dir); err != nil || d.Sync() != nil || d.Close() != nil {
					b.Fatal("syncing the directory failed")
				}
			}
		})
		b.Run(fmt.Sprintf("Read/%dMiB", size>>20), func(b *testing.B) {
			name := filepath.Join(b.TempDir(), "obj")
			if err := os.WriteFile(name, data, 0o644); err != nil {
				b.Fatal(err)
			}
			buf := make([]byte, storage.BufferSize)
			b.SetBytes(size)
			for b.Loop() {
				f, err := os.Open(name)
				if err != nil {
					b.Fatal(err)
				}
				n, err := io.CopyBuffer(storagetest.Discard, struct{ io.Reader }{f}, buf)
				f.Close()
				if err != nil || n != size {
					b.Fatal(n, err)
				}
			}
		})
	}
}

// BenchmarkSweep is the cost the upload cleanup adds every run when there is
// nothing to sweep: a walk of 10,000 objects in 100 directories.
func BenchmarkSweep(b *testing.B) {
	d := open(b, b.TempDir())
	for i := range 10000 {
		name := filepath.Join(d.Dir(), fmt.Sprintf("u%d", i%100), fmt.Sprintf("f%d", i))
		if err := os.MkdirAll(filepath.Dir(name), 0o750); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(name, nil, 0o640); err != nil {
			b.Fatal(err)
		}
	}
	before := time.Now().Add(-time.Hour)
	for b.Loop() {
		if n, err := d.Sweep(b.Context(), before, func(string) bool { return false }); err != nil || n != 0 {
			b.Fatal(n, err)
		}
	}
}
