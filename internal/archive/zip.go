// Package archive writes zip archives as streams: entries go out as they are
// added, file contents are copied through without being held, and nothing
// is written to a temporary file. Entries are stored, not compressed, so
// the cost is the copy alone.
//
// Entry names are checked the way an extractor would want them: relative,
// slash-separated, without "." or ".." segments, backslashes, drive letters
// or NUL bytes. A name that could land outside the directory an archive is
// unpacked into is refused, never written.
package archive

import (
	"archive/zip"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/stratus-drive/stratus/internal/errs"
)

// ZipWriter writes a zip archive to an io.Writer. It is not safe for
// concurrent use.
type ZipWriter struct {
	zw    *zip.Writer
	names map[string]bool
}

// NewZipWriter returns a writer of a zip archive to w. Close it to write the
// central directory; it does not close w.
func NewZipWriter(w io.Writer) *ZipWriter {
	return &ZipWriter{zw: zip.NewWriter(w), names: map[string]bool{}}
}

// AddDir adds a folder entry called name (without the trailing slash), so
// that empty folders survive. A name already used is errs.Exist.
func (z *ZipWriter) AddDir(name string, modified time.Time) error {
	const op = "archive.AddDir"
	if err := z.claim(name); err != nil {
		return errs.E(op, err)
	}
	_, err := z.zw.CreateHeader(&zip.FileHeader{Name: name + "/", Method: zip.Store, Modified: modified})
	return err
}

// AddFile adds a stored file entry called name with the size bytes read
// from r, streaming them. A body that is shorter or longer than size is
// errs.Invalid; by then the entry is partly written and the archive must be
// abandoned. A name already used is errs.Exist.
func (z *ZipWriter) AddFile(name string, modified time.Time, size int64, r io.Reader) error {
	const op = "archive.AddFile"
	if size < 0 {
		return errs.E(op, errs.Invalid, "negative size")
	}
	if err := z.claim(name); err != nil {
		return errs.E(op, err)
	}
	fh := &zip.FileHeader{Name: name, Method: zip.Store, Modified: modified}
	fh.UncompressedSize64 = uint64(size)
	w, err := z.zw.CreateHeader(fh)
	if err != nil {
		return errs.E(op, err)
	}
	n, err := io.Copy(w, io.LimitReader(r, size))
	if err != nil {
		return errs.E(op, err)
	}
	if n != size {
		return errs.E(op, errs.Invalid, fmt.Sprintf("%s: body has %d bytes, want %d", name, n, size))
	}
	// One byte more means the body was longer than declared.
	if m, _ := r.Read(make([]byte, 1)); m > 0 {
		return errs.E(op, errs.Invalid, name+": body longer than its size")
	}
	return nil
}

// Close writes the central directory. It does not close the underlying
// writer.
func (z *ZipWriter) Close() error { return z.zw.Close() }

func (z *ZipWriter) claim(name string) error {
	if err := CheckName(name); err != nil {
		return err
	}
	if z.names[name] {
		return errs.E("archive.claim", errs.Exist, "duplicate entry "+name)
	}
	z.names[name] = true
	return nil
}

// CheckName reports whether name is a safe entry name: non-empty,
// relative, slash-separated segments that are neither empty nor "." nor
// "..", with no backslash, NUL byte or drive letter. Anything else is
// errs.Invalid.
func CheckName(name string) error {
	const op = "archive.CheckName"
	if name == "" {
		return errs.E(op, errs.Invalid, "empty entry name")
	}
	if strings.ContainsAny(name, "\\\x00") {
		return errs.E(op, errs.Invalid, "entry name contains a backslash or NUL")
	}
	if len(name) >= 2 && name[1] == ':' {
		return errs.E(op, errs.Invalid, "entry name starts with a drive letter")
	}
	for _, seg := range strings.Split(name, "/") {
		switch seg {
		case "", ".", "..":
			return errs.E(op, errs.Invalid, "entry name "+name+" is absolute or has an empty, . or .. segment")
		}
	}
	return nil
}

// EntryName joins names of nested items (a folder, its subfolder, a file)
// into an entry name that passes CheckName. Names are made safe rather than
// refused: separators, backslashes, NUL bytes and colons become "_", and a
// name that is empty, "." or ".." becomes "_".
func EntryName(segments ...string) string {
	out := make([]string, len(segments))
	for i, s := range segments {
		s = strings.Map(func(r rune) rune {
			switch r {
			case '/', '\\', 0, ':':
				return '_'
			}
			return r
		}, s)
		switch s {
		case "", ".", "..":
			s = "_"
		}
		out[i] = s
	}
	return strings.Join(out, "/")
}
