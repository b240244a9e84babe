package storagetest

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"testing"

	"github.com/stratus-drive/stratus/internal/storage"
)

// BenchSizes are the object sizes Bench measures.
var BenchSizes = []int64{1 << 20, 64 << 20}

// Bench measures Put and Open throughput (and multipart uploads, for a
// Multiparter) for each of BenchSizes; -benchmem and the MB/s column
// (b.SetBytes) are the figures to compare.
func Bench(b *testing.B, newDriver func(b *testing.B) storage.Driver) {
	ctx := context.Background()
	for _, size := range BenchSizes {
		data := Bytes(uint64(size), size)
		b.Run(fmt.Sprintf("Put/%dMiB", size>>20), func(b *testing.B) {
			d := newDriver(b)
			b.SetBytes(size)
			for b.Loop() {
				if err := d.Put(ctx, "bench/put", bytes.NewReader(data), size); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(fmt.Sprintf("Open/%dMiB", size>>20), func(b *testing.B) {
			d := newDriver(b)
			if err := d.Put(ctx, "bench/open", bytes.NewReader(data), size); err != nil {
				b.Fatal(err)
			}
			b.SetBytes(size)
			for b.Loop() {
				rc, err := d.Open(ctx, "bench/open", 0, -1)
				if err != nil {
					b.Fatal(err)
				}
				n, err := io.Copy(Discard, rc)
				rc.Close()
				if err != nil || n != size {
					b.Fatalf("read %d of %d bytes: %v", n, size, err)
				}
			}
		})
		b.Run(fmt.Sprintf("Multipart/%dMiB", size>>20), func(b *testing.B) {
			d := newDriver(b)
			mp, ok := storage.As[storage.Multiparter](d)
			if !ok {
				b.Skip("driver is no Multiparter")
			}
			partSize := max(d.Limits().MinPartSize, size/8)
			b.SetBytes(size)
			for b.Loop() {
				u, err := mp.NewMultipart(ctx, "bench/multipart", size, partSize)
				if err != nil {
					b.Fatal(err)
				}
				for n := range u.Info().NumParts() {
					off, l, _ := u.Info().Part(n)
					if err := u.WritePart(ctx, n, bytes.NewReader(data[off:off+l]), l); err != nil {
						b.Fatal(err)
					}
				}
				if err := u.Complete(ctx); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// Discard is an io.Writer that drops what it is given. Unlike io.Discard it
// has no ReadFrom, so copies into it use the reader's own path (WriteTo) or
// the copier's buffer, as a network connection without sendfile would.
var Discard io.Writer = discard{}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }
