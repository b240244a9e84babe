package storage

import (
	"context"
	"fmt"
	"io"
	"sync"

	"github.com/stratus-drive/stratus/internal/errs"
)

// BufferSize is the size of the buffers CopyExact uses. Large buffers mean
// few system calls per byte, which is where streaming copies spend their time.
const BufferSize = 256 << 10

var buffers = sync.Pool{New: func() any { b := make([]byte, BufferSize); return &b }}

// GetBuffer takes a BufferSize buffer from a shared pool; give it back with
// PutBuffer.
func GetBuffer() *[]byte { return buffers.Get().(*[]byte) }

// PutBuffer returns a buffer taken with GetBuffer.
func PutBuffer(b *[]byte) { buffers.Put(b) }

// CopyExact copies exactly size bytes from src to dst, then makes sure src is
// at its end, checking ctx between buffers. It is the streaming core of Put
// and WritePart:
//
//   - src ending early, or having more than size bytes, is errs.Invalid;
//   - an error of src, of dst or of ctx is returned wrapped, so errors.Is
//     finds it.
//
// Bytes already written to dst stay written; callers write to something they
// can throw away.
func CopyExact(ctx context.Context, dst io.Writer, src io.Reader, size int64) error {
	const op = "storage.CopyExact"
	if size < 0 {
		return errs.E(op, errs.Invalid, "negative size")
	}
	bp := GetBuffer()
	defer PutBuffer(bp)
	buf := *bp
	for remaining := size; remaining > 0; {
		if err := ctx.Err(); err != nil {
			return errs.E(op, err)
		}
		chunk := buf[:min(int64(len(buf)), remaining)]
		n, err := io.ReadFull(src, chunk)
		if n > 0 {
			if _, werr := dst.Write(chunk[:n]); werr != nil {
				return errs.E(op, werr)
			}
			remaining -= int64(n)
		}
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			return errs.E(op, errs.Invalid,
				fmt.Sprintf("body is %d bytes shorter than its declared size %d", remaining, size), io.ErrUnexpectedEOF)
		}
		if err != nil {
			return errs.E(op, err)
		}
	}
	if err := ctx.Err(); err != nil {
		return errs.E(op, err)
	}
	// The body must end here. Readers may report the end only on the next
	// call, so read once more.
	n, err := io.ReadAtLeast(src, buf[:1], 1)
	switch {
	case n > 0:
		return errs.E(op, errs.Invalid, fmt.Sprintf("body is longer than its declared size %d", size))
	case err == io.EOF:
		return nil
	default:
		return errs.E(op, err)
	}
}
