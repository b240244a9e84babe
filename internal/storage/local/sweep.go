package local

import (
	"context"
	"errors"
	"io/fs"
	"path"
	"strings"
	"time"

	"github.com/stratus-drive/stratus/internal/errs"
	"github.com/stratus-drive/stratus/internal/storage"
)

// Sweep implements storage.Sweeper. A process stopped between two steps of
// an operation leaves:
//
//   - a temporary file of a Put or Copy that never renamed it into place;
//   - the directory of a multipart upload in any state: being created (no
//     info yet), completed (data already renamed onto the key, the
//     directory not yet removed), or half removed by Complete or Abort.
//
// Sweep removes the upload directories live does not claim and temporary
// files, each only when nothing in it changed since before, so that an
// upload being created right now (its session is stored just after its
// directory) or a Put still writing is never touched.
//
// A Copy hard-links its temporary file to the source, whose modification
// time may be old: a sweep in the instant between the link and the rename
// makes that Copy fail (cleanly, dst unchanged) instead of leaving litter.
func (d *Driver) Sweep(ctx context.Context, before time.Time, live func(uploadID string) bool) (int, error) {
	const op = "local.Sweep"
	n, err := d.sweepUploads(ctx, before, live)
	m, terr := d.sweepTemps(ctx, before)
	if err = errors.Join(err, terr); err != nil {
		return n + m, errs.E(op, err)
	}
	return n + m, nil
}

// sweepUploads aborts the abandoned uploads in Root/.stratus-uploads.
func (d *Driver) sweepUploads(ctx context.Context, before time.Time, live func(string) bool) (int, error) {
	entries, err := fs.ReadDir(d.root.FS(), uploadsDir)
	if isNotExist(err) {
		return 0, nil
	} else if err != nil {
		return 0, err
	}
	n := 0
	var failed []error
	for _, e := range entries {
		if err := ctx.Err(); err != nil {
			return n, errors.Join(append(failed, err)...)
		}
		id := e.Name()
		if !e.IsDir() || !isUploadID(id) || live(id) {
			continue
		}
		dir := path.Join(uploadsDir, id)
		touched, err := d.lastTouched(dir)
		if isNotExist(err) || err == nil && !touched.Before(before) {
			continue
		} else if err != nil {
			failed = append(failed, err)
			continue
		}
		// Abort waits for anything this process still does with the upload.
		u := &upload{d: d, info: storage.UploadInfo{ID: id}, dir: dir, st: d.uploadState(id)}
		if err := u.Abort(ctx); err != nil {
			failed = append(failed, err)
			continue
		}
		n++
	}
	return n, errors.Join(failed...)
}

// lastTouched returns the latest modification time of dir and its entries.
func (d *Driver) lastTouched(dir string) (time.Time, error) {
	fi, err := d.root.Lstat(native(dir))
	if err != nil {
		return time.Time{}, err
	}
	latest := fi.ModTime()
	entries, err := fs.ReadDir(d.root.FS(), dir)
	if err != nil {
		return time.Time{}, err
	}
	for _, e := range entries {
		fi, err := e.Info()
		if isNotExist(err) {
			continue
		} else if err != nil {
			return time.Time{}, err
		}
		if fi.ModTime().After(latest) {
			latest = fi.ModTime()
		}
	}
	return latest, nil
}

// sweepTemps removes the temporary files under Root not modified since
// before, and the directories they leave empty.
func (d *Driver) sweepTemps(ctx context.Context, before time.Time) (int, error) {
	n := 0
	var failed []error
	err := fs.WalkDir(d.root.FS(), ".", func(p string, de fs.DirEntry, err error) error {
		if err != nil {
			if isNotExist(err) {
				return nil // removed while we walked
			}
			failed = append(failed, err)
			if de != nil && de.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if de.IsDir() {
			if p == uploadsDir {
				return fs.SkipDir
			}
			return nil
		}
		if !strings.HasPrefix(de.Name(), tempPrefix) {
			return nil
		}
		fi, err := de.Info()
		if isNotExist(err) || err == nil && !fi.ModTime().Before(before) {
			return nil
		} else if err != nil {
			failed = append(failed, err)
			return nil
		}
		if err := d.root.Remove(native(p)); err != nil && !isNotExist(err) {
			failed = append(failed, err)
			return nil
		}
		d.prune(path.Dir(p))
		n++
		return nil
	})
	return n, errors.Join(append(failed, err)...)
}
