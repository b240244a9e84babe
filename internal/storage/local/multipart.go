package local

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path"
	"slices"
	"sync"

	"github.com/stratus-drive/stratus/internal/errs"
	"github.com/stratus-drive/stratus/internal/storage"
)

// A multipart upload lives in Root/.stratus-uploads/<id>/:
//
//	info   JSON {key, size, part_size}, written once, last, by NewMultipart;
//	       an upload without it does not exist
//	data   the object, created sparse at its full size; part n is written in
//	       place at n×part_size
//	parts  one byte per part, 1 when the part is stored; set only after the
//	       part's bytes are fsynced, cleared (and fsynced) before a part is
//	       rewritten, so a 1 always means intact bytes, across crashes
//
// Complete renames data onto the key and then removes the directory. A
// process stopped in between (or while removing) leaves the directory
// without data: the upload counts as ended, whatever else is left of it;
// ResumeMultipart removes it and reports errs.NotExist, and Sweep removes it
// once no upload session claims it.
const (
	uploadsDir = storage.ReservedPrefix + "-uploads"
	maxParts   = 1 << 20
)

// uploadInfo is the info file.
type uploadInfo struct {
	Key      string `json:"key"`
	Size     int64  `json:"size"`
	PartSize int64  `json:"part_size"`
}

// uploadState coordinates this process's users of one upload.
type uploadState struct {
	mu   sync.RWMutex // held shared by WritePart, exclusively by Complete and Abort
	done bool         // completed or aborted

	partsMu sync.Mutex
	writing map[int]chan struct{} // parts being written; closed when done
}

// NewMultipart implements storage.Multiparter.
func (d *Driver) NewMultipart(ctx context.Context, key string, size, partSize int64) (storage.Upload, error) {
	const op = "local.NewMultipart"
	if err := storage.CheckKey(key); err != nil {
		return nil, errs.E(op, err)
	}
	if size < 0 || partSize < 0 {
		return nil, errs.E(op, errs.Invalid, "negative size or part size")
	}
	info := storage.UploadInfo{ID: randomHex(16), Key: key, Size: size, PartSize: partSize}
	if info.NumParts() > maxParts {
		return nil, errs.E(op, errs.Invalid, fmt.Sprintf("more than %d parts", maxParts))
	}
	if err := ctx.Err(); err != nil {
		return nil, errs.E(op, err)
	}
	dir := path.Join(uploadsDir, info.ID)
	if err := d.createUpload(dir, info); err != nil {
		d.root.RemoveAll(native(dir))
		return nil, errs.E(op, err)
	}
	return &upload{d: d, info: info, dir: dir, st: d.uploadState(info.ID)}, nil
}

func (d *Driver) createUpload(dir string, info storage.UploadInfo) error {
	if err := d.root.MkdirAll(native(dir), 0o750); err != nil {
		return err
	}
	if err := d.createSized(path.Join(dir, "data"), info.Size); err != nil {
		return err
	}
	if err := d.createSized(path.Join(dir, "parts"), int64(info.NumParts())); err != nil {
		return err
	}
	b, err := json.Marshal(uploadInfo{Key: info.Key, Size: info.Size, PartSize: info.PartSize})
	if err != nil {
		return err
	}
	f, err := d.root.OpenFile(native(path.Join(dir, "info.tmp")), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o640)
	if err != nil {
		return err
	}
	_, err = f.Write(b)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = d.root.Rename(native(path.Join(dir, "info.tmp")), native(path.Join(dir, "info")))
	}
	if err == nil {
		err = d.syncDir(dir)
	}
	if err == nil {
		err = d.syncDir(uploadsDir)
	}
	return err
}

// createSized creates a file of size zero bytes (sparse where supported).
func (d *Driver) createSized(name string, size int64) error {
	f, err := d.root.OpenFile(native(name), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o640)
	if err != nil {
		return err
	}
	err = f.Truncate(size)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// ResumeMultipart implements storage.Multiparter.
func (d *Driver) ResumeMultipart(ctx context.Context, id string) (storage.Upload, error) {
	const op = "local.ResumeMultipart"
	if !isUploadID(id) {
		return nil, errs.E(op, errs.Invalid, "malformed upload ID")
	}
	if err := ctx.Err(); err != nil {
		return nil, errs.E(op, err)
	}
	dir := path.Join(uploadsDir, id)
	if _, err := d.root.Stat(native(path.Join(dir, "data"))); err != nil {
		if isNotExist(err) {
			// Completed (data renamed onto the key) or aborted, and the
			// process stopped before it removed the rest, perhaps info
			// already. Data is the first file NewMultipart creates, before
			// anyone knows the ID, so a missing one never means "not yet".
			d.root.RemoveAll(native(dir))
		}
		return nil, errs.E(op, fileError(err))
	}
	b, err := d.root.ReadFile(native(path.Join(dir, "info")))
	if err != nil {
		return nil, errs.E(op, fileError(err))
	}
	var ui uploadInfo
	if err := json.Unmarshal(b, &ui); err != nil {
		return nil, errs.E(op, errs.Internal, "corrupt upload state", err)
	}
	info := storage.UploadInfo{ID: id, Key: ui.Key, Size: ui.Size, PartSize: ui.PartSize}
	if storage.CheckKey(info.Key) != nil || info.Size < 0 || info.PartSize < 0 {
		return nil, errs.E(op, errs.Internal, "corrupt upload state")
	}
	return &upload{d: d, info: info, dir: dir, st: d.uploadState(id)}, nil
}

func isUploadID(id string) bool {
	if len(id) != 32 {
		return false
	}
	for i := 0; i < len(id); i++ {
		if c := id[i]; !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// uploadState returns the shared state of upload id in this process.
func (d *Driver) uploadState(id string) *uploadState {
	d.mu.Lock()
	defer d.mu.Unlock()
	st := d.uploads[id]
	if st == nil {
		st = &uploadState{writing: map[int]chan struct{}{}}
		d.uploads[id] = st
	}
	return st
}

// upload implements storage.Upload.
type upload struct {
	d    *Driver
	info storage.UploadInfo
	dir  string
	st   *uploadState
}

// Info implements storage.Upload.
func (u *upload) Info() storage.UploadInfo { return u.info }

// WritePart implements storage.Upload. Writes of one part are serialised, so
// a retry waits for an attempt still running; different parts are written in
// parallel.
func (u *upload) WritePart(ctx context.Context, n int, r io.Reader, size int64) error {
	const op = "local.WritePart"
	off, want, ok := u.info.Part(n)
	if !ok {
		return errs.E(op, errs.Invalid, fmt.Sprintf("part %d is outside the upload's %d parts", n, u.info.NumParts()))
	}
	if size != want {
		return errs.E(op, errs.Invalid, fmt.Sprintf("part %d must be %d bytes, not %d", n, want, size))
	}
	u.st.mu.RLock()
	defer u.st.mu.RUnlock()
	if u.st.done {
		return errs.E(op, errs.NotExist, "upload is finished")
	}
	if err := u.st.lockPart(ctx, n); err != nil {
		return errs.E(op, err)
	}
	defer u.st.unlockPart(n)
	if err := u.writePart(ctx, n, off, r, size); err != nil {
		return errs.E(op, err)
	}
	return nil
}

func (u *upload) writePart(ctx context.Context, n int, off int64, r io.Reader, size int64) error {
	pf, err := u.d.root.OpenFile(native(path.Join(u.dir, "parts")), os.O_RDWR, 0)
	if err != nil {
		return fileError(err)
	}
	defer pf.Close()
	var mark [1]byte
	if _, err := pf.ReadAt(mark[:], int64(n)); err != nil {
		return err
	}
	if mark[0] != 0 {
		// A rewrite: the part stops counting before its bytes change.
		mark[0] = 0
		if _, err := pf.WriteAt(mark[:], int64(n)); err != nil {
			return err
		}
		if err := pf.Sync(); err != nil {
			return err
		}
	}
	f, err := u.d.root.OpenFile(native(path.Join(u.dir, "data")), os.O_WRONLY, 0)
	if err != nil {
		return fileError(err)
	}
	err = storage.CopyExact(ctx, io.NewOffsetWriter(f, off), r, size)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	mark[0] = 1
	if _, err := pf.WriteAt(mark[:], int64(n)); err != nil {
		return err
	}
	return pf.Sync()
}

// Parts implements storage.Upload.
func (u *upload) Parts(ctx context.Context) ([]int, error) {
	const op = "local.Parts"
	if err := ctx.Err(); err != nil {
		return nil, errs.E(op, err)
	}
	marks, err := u.d.root.ReadFile(native(path.Join(u.dir, "parts")))
	if err != nil {
		return nil, errs.E(op, fileError(err))
	}
	var done []int
	for n, m := range marks {
		if m != 0 {
			done = append(done, n)
		}
	}
	return done, nil
}

// Complete implements storage.Upload.
func (u *upload) Complete(ctx context.Context) error {
	const op = "local.Complete"
	if err := ctx.Err(); err != nil {
		return errs.E(op, err)
	}
	u.st.mu.Lock()
	defer u.st.mu.Unlock()
	if u.st.done {
		return errs.E(op, errs.NotExist, "upload is finished")
	}
	marks, err := u.d.root.ReadFile(native(path.Join(u.dir, "parts")))
	if err != nil {
		return errs.E(op, fileError(err))
	}
	if missing := slices.Index(marks, 0); missing >= 0 || len(marks) != u.info.NumParts() {
		return errs.E(op, errs.Conflict, fmt.Sprintf("part %d has not been uploaded", missing))
	}
	if err := u.d.rename(native(path.Join(u.dir, "data")), u.info.Key); err != nil {
		return errs.E(op, fileError(err))
	}
	u.finish()
	return nil
}

// Abort implements storage.Upload.
func (u *upload) Abort(ctx context.Context) error {
	const op = "local.Abort"
	u.st.mu.Lock()
	defer u.st.mu.Unlock()
	// Data first: without it the upload has ended, whatever a crash leaves.
	if err := u.d.root.Remove(native(path.Join(u.dir, "data"))); err != nil && !isNotExist(err) {
		return errs.E(op, err)
	}
	if err := u.d.root.RemoveAll(native(u.dir)); err != nil {
		return errs.E(op, err)
	}
	u.finish()
	return nil
}

// finish marks the upload done and drops its state; the caller holds st.mu.
func (u *upload) finish() {
	u.d.root.RemoveAll(native(u.dir))
	u.d.syncDir(uploadsDir)
	u.st.done = true
	u.d.mu.Lock()
	if u.d.uploads[u.info.ID] == u.st {
		delete(u.d.uploads, u.info.ID)
	}
	u.d.mu.Unlock()
}

// lockPart waits until no one writes part n, then claims it.
func (s *uploadState) lockPart(ctx context.Context, n int) error {
	for {
		s.partsMu.Lock()
		busy, ok := s.writing[n]
		if !ok {
			s.writing[n] = make(chan struct{})
			s.partsMu.Unlock()
			return nil
		}
		s.partsMu.Unlock()
		select {
		case <-busy:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

func (s *uploadState) unlockPart(n int) {
	s.partsMu.Lock()
	busy := s.writing[n]
	delete(s.writing, n)
	s.partsMu.Unlock()
	close(busy)
}

var (
	_ storage.Multiparter = (*Driver)(nil)
	_ storage.Upload      = (*upload)(nil)
)
