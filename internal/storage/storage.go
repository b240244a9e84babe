// Package storage defines how Stratus stores file contents: the Driver
// interface every storage backend implements, the optional powers a backend
// may have (each a small interface found with As), the Registry that builds
// drivers from storage-policy settings, and KeyTemplate, which turns a
// policy's save-path rules into storage keys.
//
// Keys are opaque to drivers but follow one grammar for all of them (see
// CheckKey), so that a key valid for one backend is valid for every other and
// no key can name anything outside the driver's own space.
//
// Errors returned by drivers carry an errs.Kind: a missing object is
// errs.NotExist, a refused key or a body that does not match its declared size
// is errs.Invalid. Provider error types never cross a driver's boundary.
package storage

import (
	"context"
	"io"
	"os"
	"time"
)

// Driver stores immutable objects under keys chosen by the caller (files and
// upload, through KeyTemplate). A Driver is safe for concurrent use.
//
// Every method refuses a key that fails CheckKey with errs.Invalid, before it
// touches storage.
type Driver interface {
	// Put stores exactly size bytes read from r under key, replacing any
	// object already there.
	//
	// Put streams: it never holds the whole object in memory. r must yield
	// exactly size bytes and then io.EOF; a shorter or longer body is
	// errs.Invalid. A failure of r is returned wrapped (errors.Is finds it),
	// and so is ctx's error when ctx ends first.
	//
	// Put is atomic: until it returns nil, readers see the previous object (or
	// none), never a partial one; when it fails for any reason, including
	// cancellation, the previous object (or absence) stays and nothing else is
	// left behind. Of concurrent Puts to one key, one wins whole.
	// A negative size is errs.Invalid; a size above Limits().MaxObjectSize is
	// errs.TooLarge.
	Put(ctx context.Context, key string, r io.Reader, size int64) error

	// Open returns a reader of the object at key, starting at offset and
	// yielding min(length, Size-offset) bytes; a negative length reads to the
	// end. The caller must Close it.
	//
	// A missing key is errs.NotExist. An offset below 0 or beyond the object's
	// size is errs.Invalid; offset == Size gives an empty reader. The reader
	// never mixes two versions: it yields the object as it was when Open
	// returned, or fails, if the object is replaced or deleted meanwhile.
	Open(ctx context.Context, key string, offset, length int64) (io.ReadCloser, error)

	// Stat describes the object at key. A missing key is errs.NotExist; so is
	// a key that only prefixes other keys ("a" when only "a/b" exists).
	Stat(ctx context.Context, key string) (Object, error)

	// Delete removes the objects at keys. A key that is already gone is not
	// an error, so Delete is idempotent. Delete with no keys does nothing.
	// It tries every key; the error reports those that failed.
	Delete(ctx context.Context, keys ...string) error

	// Limits reports the driver's fixed numeric limits. It has no flags: a
	// power the driver has is an interface it implements.
	Limits() Limits
}

// Object describes a stored object.
type Object struct {
	Key     string
	Size    int64
	ModTime time.Time // when the object was last stored
}

// Limits holds a driver's numeric limits. Zero means "no limit" unless a
// field says otherwise.
type Limits struct {
	// MaxObjectSize is the largest object Put or a multipart upload accepts.
	MaxObjectSize int64
	// MinPartSize is the smallest part size a Multiparter accepts for uploads
	// of more than one part (the last part may be shorter). 0 unless the driver
	// is a Multiparter.
	MinPartSize int64
	// MaxParts is the most parts one multipart upload may have. 0 unless the
	// driver is a Multiparter (where 0 means no limit).
	MaxParts int
	// MaxURLTTL is the longest validity SignURL grants. It is positive
	// exactly when the driver is a URLSigner.
	MaxURLTTL time.Duration
}

// Unwrapper is implemented by wrapping drivers (retry, limits, metrics) so
// that As can find the powers of the driver they wrap.
type Unwrapper interface {
	// Unwrap returns the wrapped driver.
	Unwrap() Driver
}

// As finds the first driver in the chain d, d.Unwrap(), … that is a T, the
// way errors.As walks an error chain. Use it to find optional powers:
//
//	if m, ok := storage.As[storage.Multiparter](d); ok { … }
//
// A wrapper that must see the calls of a power (a rate limiter, say)
// implements that power itself; otherwise As looks through it.
func As[T any](d Driver) (T, bool) {
	for d != nil {
		if t, ok := d.(T); ok {
			return t, true
		}
		u, ok := d.(Unwrapper)
		if !ok {
			break
		}
		d = u.Unwrap()
	}
	var zero T
	return zero, false
}

// Multiparter is a driver that accepts an object in numbered parts relayed by
// the server (Cloudreve's chunked upload to the master), possibly out of order,
// retried, and across process restarts.
type Multiparter interface {
	// NewMultipart begins an upload of size bytes to key, cut into parts of
	// partSize bytes (the last part may be shorter; partSize 0 means one part).
	// Nothing is visible at key until Complete.
	//
	// size < 0, partSize < 0, partSize below Limits().MinPartSize for an
	// upload of several parts, or more parts than Limits().MaxParts is
	// errs.Invalid; size above Limits().MaxObjectSize is errs.TooLarge.
	NewMultipart(ctx context.Context, key string, size, partSize int64) (Upload, error)

	// ResumeMultipart reopens an upload by its ID, also from another Driver
	// value or process over the same storage. Received parts are kept.
	// An unknown, completed or aborted ID is errs.NotExist; a malformed one is
	// errs.Invalid or errs.NotExist.
	ResumeMultipart(ctx context.Context, id string) (Upload, error)
}

// Upload is one multipart upload. Its methods are safe for concurrent use;
// parts may be written in parallel.
type Upload interface {
	// Info returns the upload's identity and layout.
	Info() UploadInfo

	// WritePart stores part n (0-based) from r, which must yield exactly size
	// bytes, and size must be the part's length (Info().Part(n)); anything
	// else is errs.Invalid. Parts may arrive in any order. Writing a part
	// again replaces it, so retries are safe; if an attempt fails, the part
	// may count as missing until written again. Errors of r and ctx are returned
	// wrapped, as for Put. An upload that is completed or aborted is
	// errs.NotExist.
	WritePart(ctx context.Context, n int, r io.Reader, size int64) error

	// Parts lists, in ascending order, the parts stored so far. It reflects
	// every WritePart that returned nil, also before a restart.
	Parts(ctx context.Context) ([]int, error)

	// Complete makes the object visible at the upload's key, atomically and
	// replacing any object there, and ends the upload. If a part is missing it
	// is errs.Conflict and the upload stays open for the missing parts.
	// Afterwards the upload is gone (errs.NotExist).
	Complete(ctx context.Context) error

	// Abort ends the upload and removes everything it stored. Aborting an
	// upload that is already gone is not an error.
	Abort(ctx context.Context) error
}

// Sweeper is a driver whose own bookkeeping (temporary files, the state of
// multipart uploads) can outlive the operation that made it, when the
// process stops between two steps of that operation, and which can find and
// remove such leftovers. The background upload cleanup calls it.
type Sweeper interface {
	// Sweep removes bookkeeping left untouched since before: temporary files
	// of writes that never finished, and the state of every multipart upload
	// for which live returns false (completed, aborted or abandoned, with no
	// upload session that could still finish it), in whatever state a crash
	// left it. It never removes an object, nor anything of an upload live
	// reports true for, nor anything touched since before. It reports how
	// many leftovers it removed; one it cannot remove is reported in the
	// error and the others are still removed.
	Sweep(ctx context.Context, before time.Time, live func(uploadID string) bool) (int, error)
}

// UploadInfo is the identity and layout of a multipart upload.
type UploadInfo struct {
	ID       string // chosen by the driver; give it to ResumeMultipart
	Key      string
	Size     int64
	PartSize int64 // 0: the whole object is part 0
}

// NumParts is how many parts the upload has: at least 1 (an empty object
// is one empty part).
func (u UploadInfo) NumParts() int {
	if u.PartSize <= 0 || u.Size <= u.PartSize {
		return 1
	}
	return int((u.Size-1)/u.PartSize + 1)
}

// Part returns the byte range of part n, and false when n is out of range.
func (u UploadInfo) Part(n int) (offset, size int64, ok bool) {
	if n < 0 || n >= u.NumParts() {
		return 0, 0, false
	}
	if u.PartSize <= 0 {
		return 0, u.Size, true
	}
	offset = int64(n) * u.PartSize
	return offset, min(u.PartSize, u.Size-offset), true
}

// URLSigner is a driver whose objects clients can fetch directly from the
// provider, so downloads redirect instead of streaming through Stratus.
type URLSigner interface {
	// SignURL returns a URL from which an HTTP GET of the object at key
	// succeeds, without other credentials, for o.TTL. A TTL that is not
	// positive or exceeds Limits().MaxURLTTL is errs.Invalid. The object need
	// not be checked for existence.
	SignURL(ctx context.Context, key string, o URLOptions) (string, error)
}

// URLOptions shape a signed URL.
type URLOptions struct {
	TTL time.Duration
	// Filename, when set, asks the provider to send a Content-Disposition
	// naming it; Attachment chooses "attachment" over "inline".
	Filename   string
	Attachment bool
}

// Lister is a driver that can enumerate its objects (used to import files
// that were placed in storage outside Stratus).
type Lister interface {
	// List calls fn once for each object whose key starts with prefix (a
	// plain string prefix: "a/b" matches "a/bc" and "a/b/c"), in no
	// particular order. Objects stored or deleted during List may or may not
	// be seen. When fn returns an error List stops and returns it (errors.Is
	// finds it); ctx's end stops it too. A prefix that no valid key could
	// start with is errs.Invalid. Driver bookkeeping (temporary files,
	// pending uploads) is never listed.
	List(ctx context.Context, prefix string, fn func(Object) error) error
}

// Copier is a driver that copies objects without streaming them through
// Stratus.
type Copier interface {
	// Copy makes dst an object with src's content, replacing any object at
	// dst, atomically as Put does. Later changes to src do not affect dst.
	// A missing src is errs.NotExist; dst == src does nothing.
	Copy(ctx context.Context, dst, src string) error
}

// LocalFiler is a driver whose objects are files on this machine, so that
// downloads can use http.ServeContent and sendfile.
type LocalFiler interface {
	// OpenFile opens the object at key read-only. The caller must Close it.
	// The file shows the object as stored when OpenFile returned: objects are
	// never modified in place. A missing key is errs.NotExist.
	OpenFile(ctx context.Context, key string) (*os.File, error)
}

// CORSSetter is a driver whose bucket can be opened to browsers: uploads and
// downloads that go straight from the browser to the provider need a CORS
// rule on the bucket (60-admin §11.2). Object stores (s3, oss, cos, obs)
// implement it; the local disk has no CORS of its own.
type CORSSetter interface {
	// SetCORS installs a permissive rule on the bucket: any origin, methods
	// GET, POST, PUT, DELETE and HEAD, any request header, a max-age of
	// 3600 s, and the ETag header exposed. It replaces the bucket's rules.
	SetCORS(ctx context.Context) error
}
