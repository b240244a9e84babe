// Package local is the storage driver that keeps objects as files under a
// root directory on this machine.
//
// Layout and guarantees:
//
//   - The object at key K is the file Root/K ("/" in keys separates
//     directories). Keys are checked with storage.CheckKey, so no key can
//     climb out of Root, name a device, or collide with the driver's own
//     files, which all start with storage.ReservedPrefix: temporary files
//     (".stratus-tmp-*", next to their target) and pending multipart uploads
//     (Root/.stratus-uploads/<id>/). Backslashes in keys are refused, not
//     treated as literal characters.
//   - Every access goes through os.Root, so symbolic links inside Root are
//     followed only when they are relative and resolve inside Root. A link
//     leading outside (or any absolute link) makes the operation fail: it is
//     never followed, for reads or for writes. Renaming onto a key that is a
//     link replaces the link itself. Point Root at the real directory rather
//     than linking parts of it elsewhere.
//   - Put writes a temporary file in the target's directory, fsyncs it,
//     renames it into place and fsyncs the directory: a crash leaves either
//     the old object or the new one, plus at worst an invisible temporary
//     file. Objects are therefore never modified in place, which is what
//     makes hard links (Copy) and open files (OpenFile, Open) safe.
//   - What a crash leaves of the driver's own files (temporary files, the
//     directories of finished or abandoned multipart uploads) is removed by
//     Sweep, which the background upload cleanup runs.
//   - Delete prunes directories it leaves empty, up to but never including
//     Root.
//
// One process should own a Root: multipart uploads coordinate concurrent
// writers of one upload within a process, not between processes.
package local

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"

	"github.com/stratus-drive/stratus/internal/errs"
	"github.com/stratus-drive/stratus/internal/storage"
)

// DefaultRoot is the root used when a policy names none: a directory of its
// own under the data directory, so that no key can land on the server's
// other files (such as its database).
const DefaultRoot = "storage"

// Settings is the local driver's part of a storage policy.
type Settings struct {
	// Root is the directory objects are stored under. A relative Root is
	// resolved against the data directory; empty means DefaultRoot.
	Root string `json:"root,omitempty"`
}

// ParseSettings validates a policy's settings JSON. Other keys of the policy
// document are ignored; empty or null input gives the defaults.
func ParseSettings(raw json.RawMessage) (Settings, error) {
	const op = "local.ParseSettings"
	var s Settings
	if len(strings.TrimSpace(string(raw))) > 0 {
		if err := json.Unmarshal(raw, &s); err != nil {
			return Settings{}, errs.E(op, errs.Invalid, "local storage settings are not a valid JSON object", err)
		}
	}
	if s.Root == "" {
		s.Root = DefaultRoot
	}
	if strings.IndexByte(s.Root, 0) >= 0 {
		return Settings{}, errs.E(op, errs.Invalid, "local storage root contains a NUL byte")
	}
	s.Root = filepath.Clean(s.Root)
	return s, nil
}

// Driver stores objects as files under a root directory. Build it with New
// and Close it when it is no longer used.
type Driver struct {
	dir  string
	root *os.Root

	mu      sync.Mutex
	uploads map[string]*uploadState // multipart uploads touched by this process
	// dirs are directories this process made or found, so that a Put into
	// one skips MkdirAll (which opens every component of the path under
	// the root, most of a small Put's system time). A directory pruned
	// meanwhile fails the create with NotExist, and the retry makes it.
	dirs map[string]bool
}

// maxKnownDirs bounds dirs; past it the set starts over.
const maxKnownDirs = 4096

func (d *Driver) knownDir(dir string) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.dirs[dir]
}

func (d *Driver) rememberDir(dir string, known bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if !known {
		delete(d.dirs, dir)
		return
	}
	if d.dirs == nil || len(d.dirs) >= maxKnownDirs {
		d.dirs = map[string]bool{}
	}
	d.dirs[dir] = true
}

// New opens (creating it if needed) the root directory of s, resolving a
// relative root against env.DataDir.
func New(s Settings, env storage.Env) (*Driver, error) {
	const op = "local.New"
	dir := s.Root
	if dir == "" {
		dir = DefaultRoot
	}
	if !filepath.IsAbs(dir) {
		dir = filepath.Join(env.DataDir, dir)
	}
	if abs, err := filepath.Abs(dir); err == nil {
		dir = abs
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, errs.E(op, errs.Unavailable, err)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, errs.E(op, errs.Unavailable, err)
	}
	return &Driver{dir: dir, root: root, uploads: map[string]*uploadState{}}, nil
}

// Dir returns the root directory.
func (d *Driver) Dir() string { return d.dir }

// Close releases the root directory. Uploads in progress survive on disk.
func (d *Driver) Close() error { return d.root.Close() }

// Put implements storage.Driver.
func (d *Driver) Put(ctx context.Context, key string, r io.Reader, size int64) error {
	const op = "local.Put"
	if err := storage.CheckKey(key); err != nil {
		return errs.E(op, err)
	}
	if size < 0 {
		return errs.E(op, errs.Invalid, "negative size")
	}
	if err := ctx.Err(); err != nil {
		return errs.E(op, err)
	}
	dir := path.Dir(key)
	tmp, f, err := d.createTemp(dir)
	if err != nil {
		d.prune(dir)
		return errs.E(op, err)
	}
	err = storage.CopyExact(ctx, f, r, size)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = d.commit(tmp, key)
	}
	if err != nil {
		d.discard(tmp)
		return errs.E(op, err)
	}
	return nil
}

// Open implements storage.Driver. The reader sends the file with sendfile
// when copied to a network connection (it implements io.WriterTo).
func (d *Driver) Open(ctx context.Context, key string, offset, length int64) (io.ReadCloser, error) {
	const op = "local.Open"
	f, fi, err := d.openObject(ctx, key)
	if err != nil {
		return nil, errs.E(op, err)
	}
	size := fi.Size()
	if offset < 0 || offset > size {
		f.Close()
		return nil, errs.E(op, errs.Invalid, "offset outside the object")
	}
	n := size - offset
	if length >= 0 && length < n {
		n = length
	}
	if offset > 0 {
		if _, err := f.Seek(offset, io.SeekStart); err != nil {
			f.Close()
			return nil, errs.E(op, err)
		}
	}
	return &reader{f: f, r: io.LimitedReader{R: f, N: n}}, nil
}

// Stat implements storage.Driver.
func (d *Driver) Stat(ctx context.Context, key string) (storage.Object, error) {
	const op = "local.Stat"
	if err := storage.CheckKey(key); err != nil {
		return storage.Object{}, errs.E(op, err)
	}
	if err := ctx.Err(); err != nil {
		return storage.Object{}, errs.E(op, err)
	}
	fi, err := d.root.Stat(native(key))
	if err != nil {
		return storage.Object{}, errs.E(op, fileError(err))
	}
	if !fi.Mode().IsRegular() {
		return storage.Object{}, errs.E(op, errs.NotExist, "not a regular file")
	}
	return storage.Object{Key: key, Size: fi.Size(), ModTime: fi.ModTime()}, nil
}

// Delete implements storage.Driver.
func (d *Driver) Delete(ctx context.Context, keys ...string) error {
	const op = "local.Delete"
	var failed []error
	for _, key := range keys {
		if err := d.delete(ctx, key); err != nil {
			failed = append(failed, err)
		}
	}
	if len(failed) > 0 {
		return errs.E(op, errors.Join(failed...))
	}
	return nil
}

func (d *Driver) delete(ctx context.Context, key string) error {
	if err := storage.CheckKey(key); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	name := native(key)
	fi, err := d.root.Lstat(name)
	if err == nil && fi.IsDir() {
		return nil // a directory is not an object
	}
	if err == nil {
		err = d.root.Remove(name)
	}
	if err != nil {
		if isNotExist(err) {
			return nil
		}
		return err
	}
	d.prune(path.Dir(key))
	return nil
}

// Limits implements storage.Driver. Only the number of parts is bounded: the
// driver keeps one byte of state per part.
func (d *Driver) Limits() storage.Limits {
	return storage.Limits{MaxParts: maxParts}
}

// List implements storage.Lister. Symbolic links and files whose names are
// not valid keys are not listed.
func (d *Driver) List(ctx context.Context, prefix string, fn func(storage.Object) error) error {
	const op = "local.List"
	dir := "."
	if prefix != "" {
		// Every key starting with prefix is prefix plus something.
		if err := storage.CheckKey(prefix + "x"); err != nil {
			return errs.E(op, errs.Invalid, "invalid key prefix", err)
		}
		if i := strings.LastIndexByte(prefix, '/'); i >= 0 {
			dir = prefix[:i]
		}
	}
	err := fs.WalkDir(d.root.FS(), dir, func(p string, de fs.DirEntry, err error) error {
		if err != nil {
			if p == dir && isNotExist(err) {
				return fs.SkipAll
			}
			if isNotExist(err) {
				return nil // removed while we walked
			}
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if p == dir {
			return nil
		}
		if de.IsDir() {
			if storage.CheckKey(p) != nil ||
				!strings.HasPrefix(p+"/", prefix) && !strings.HasPrefix(prefix, p+"/") {
				return fs.SkipDir
			}
			return nil
		}
		if !de.Type().IsRegular() || !strings.HasPrefix(p, prefix) || storage.CheckKey(p) != nil {
			return nil
		}
		fi, err := de.Info()
		if err != nil {
			if isNotExist(err) {
				return nil
			}
			return err
		}
		if err := fn(storage.Object{Key: p, Size: fi.Size(), ModTime: fi.ModTime()}); err != nil {
			return stopError{err}
		}
		return nil
	})
	var stop stopError
	if errors.As(err, &stop) {
		return stop.err
	}
	if err != nil {
		return errs.E(op, err)
	}
	return nil
}

// stopError carries fn's error through fs.WalkDir, which would otherwise
// act on fs.SkipDir and fs.SkipAll.
type stopError struct{ err error }

func (e stopError) Error() string { return e.err.Error() }

// Copy implements storage.Copier with a hard link, which is safe because
// objects are never modified in place; it copies the bytes when the file
// system cannot link.
func (d *Driver) Copy(ctx context.Context, dst, src string) error {
	const op = "local.Copy"
	if err := storage.CheckKey(dst); err != nil {
		return errs.E(op, err)
	}
	if err := storage.CheckKey(src); err != nil {
		return errs.E(op, err)
	}
	if err := ctx.Err(); err != nil {
		return errs.E(op, err)
	}
	fi, err := d.root.Lstat(native(src))
	if err != nil {
		return errs.E(op, fileError(err))
	}
	if fi.IsDir() {
		return errs.E(op, errs.NotExist, "not a regular file")
	}
	if dst == src {
		return nil
	}
	if fi.Mode().IsRegular() {
		tmp, err := d.linkTemp(src, path.Dir(dst))
		if err == nil {
			if err := d.commit(tmp, dst); err != nil {
				d.discard(tmp)
				return errs.E(op, err)
			}
			return nil
		}
		if errs.Is(errs.NotExist, err) || errs.Is(errs.Conflict, err) {
			return errs.E(op, err)
		}
		// No hard links here (another file system, or none supported):
		// copy the bytes.
	}
	rc, err := d.Open(ctx, src, 0, -1)
	if err != nil {
		return errs.E(op, err)
	}
	defer rc.Close()
	size := rc.(*reader).r.N
	if err := d.Put(ctx, dst, rc, size); err != nil {
		return errs.E(op, err)
	}
	return nil
}

// OpenFile implements storage.LocalFiler.
func (d *Driver) OpenFile(ctx context.Context, key string) (*os.File, error) {
	const op = "local.OpenFile"
	f, _, err := d.openObject(ctx, key)
	if err != nil {
		return nil, errs.E(op, err)
	}
	return f, nil
}

// reader is an object opened by Open.
type reader struct {
	f *os.File
	r io.LimitedReader
}

func (r *reader) Read(p []byte) (int, error) { return r.r.Read(p) }

// WriteTo lets io.Copy hand the file itself to the destination, so that
// network connections use sendfile and files use copy_file_range.
func (r *reader) WriteTo(w io.Writer) (int64, error) {
	bp := storage.GetBuffer()
	defer storage.PutBuffer(bp)
	return io.CopyBuffer(w, &r.r, *bp)
}

func (r *reader) Close() error { return r.f.Close() }

// openObject opens the regular file holding key.
func (d *Driver) openObject(ctx context.Context, key string) (*os.File, fs.FileInfo, error) {
	if err := storage.CheckKey(key); err != nil {
		return nil, nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	f, err := d.root.Open(native(key))
	if err != nil {
		return nil, nil, fileError(err)
	}
	fi, err := f.Stat()
	if err == nil && !fi.Mode().IsRegular() {
		err = errs.E("local.open", errs.NotExist, "not a regular file")
	}
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	return f, fi, nil
}

const tempPrefix = storage.ReservedPrefix + "-tmp-"

// createTemp creates a new temporary file in dir (a slash path, "." for
// Root), creating dir if needed.
func (d *Driver) createTemp(dir string) (string, *os.File, error) {
	var f *os.File
	name, err := d.inDir(dir, func(name string) error {
		var err error
		f, err = d.root.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o640)
		return err
	})
	return name, f, err
}

// linkTemp hard-links src to a new temporary name in dir.
func (d *Driver) linkTemp(src, dir string) (string, error) {
	return d.inDir(dir, func(name string) error {
		err := d.root.Link(native(src), name)
		if isNotExist(err) {
			if _, serr := d.root.Lstat(native(src)); isNotExist(serr) {
				return errs.E("local.link", errs.NotExist, serr)
			}
		}
		return err
	})
}

// inDir calls create with a fresh temporary name in dir until it succeeds.
// It creates dir first, and again if a concurrent Delete pruned it.
func (d *Driver) inDir(dir string, create func(name string) error) (string, error) {
	for attempt := 0; ; attempt++ {
		if dir != "." && (attempt > 0 || !d.knownDir(dir)) {
			if err := d.root.MkdirAll(native(dir), 0o750); err != nil {
				if errors.Is(err, syscall.ENOTDIR) || errors.Is(err, fs.ErrExist) {
					return "", errs.E("local.mkdir", errs.Conflict, "a parent of the key is an object", err)
				}
				return "", err
			}
			d.rememberDir(dir, true)
		}
		name := native(path.Join(dir, tempPrefix+randomHex(8)))
		err := create(name)
		if err == nil {
			return name, nil
		}
		if attempt >= 8 || errs.KindOf(err) != errs.Other || !isNotExist(err) && !errors.Is(err, fs.ErrExist) {
			return "", err
		}
	}
}

// commit renames the temporary file tmp onto key and makes the rename
// durable.
func (d *Driver) commit(tmp, key string) error {
	if err := d.root.Rename(tmp, native(key)); err != nil {
		if fi, serr := d.root.Lstat(native(key)); serr == nil && fi.IsDir() {
			return errs.E("local.commit", errs.Conflict, "the key is a directory of other objects", err)
		}
		return err
	}
	return d.syncDir(path.Dir(key))
}

// rename moves the file old (a native name) onto key, creating key's
// directory, and makes the rename durable.
func (d *Driver) rename(old, key string) error {
	dir := path.Dir(key)
	for attempt := 0; ; attempt++ {
		if dir != "." {
			if err := d.root.MkdirAll(native(dir), 0o750); err != nil {
				if errors.Is(err, syscall.ENOTDIR) || errors.Is(err, fs.ErrExist) {
					return errs.E("local.mkdir", errs.Conflict, "a parent of the key is an object", err)
				}
				return err
			}
		}
		err := d.commit(old, key)
		if err == nil || attempt >= 8 || !isNotExist(err) {
			return err
		}
		if _, serr := d.root.Lstat(old); serr != nil {
			return err // the source is gone, not the directory
		}
	}
}

// discard removes a temporary file and the directories that held only it.
func (d *Driver) discard(tmp string) {
	d.root.Remove(tmp)
	d.prune(path.Dir(filepath.ToSlash(tmp)))
}

// prune removes dir and its parents while they are empty directories,
// stopping at Root. Symbolic links are left alone.
func (d *Driver) prune(dir string) {
	for dir != "." && dir != "/" && dir != "" {
		if fi, err := d.root.Lstat(native(dir)); err != nil || !fi.IsDir() {
			return
		}
		if d.root.Remove(native(dir)) != nil {
			return
		}
		d.rememberDir(dir, false)
		dir = path.Dir(dir)
	}
}

// syncDir makes the entries of dir durable. Windows has no directory fsync:
// there NTFS journals renames itself.
func (d *Driver) syncDir(dir string) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	f, err := d.root.Open(native(dir))
	if err != nil {
		return err
	}
	err = f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// native turns a slash path into the operating system's form.
func native(p string) string { return filepath.FromSlash(p) }

func isNotExist(err error) bool {
	return errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR)
}

// fileError classifies an error of a file-system call on an object's path.
func fileError(err error) error {
	if isNotExist(err) {
		return errs.E("local", errs.NotExist, err)
	}
	return err
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

var (
	_ storage.Driver     = (*Driver)(nil)
	_ storage.Lister     = (*Driver)(nil)
	_ storage.Copier     = (*Driver)(nil)
	_ storage.LocalFiler = (*Driver)(nil)
	_ storage.Sweeper    = (*Driver)(nil)
	_ io.WriterTo        = (*reader)(nil)
)
