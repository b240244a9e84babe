package files

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/stratus-drive/stratus/internal/drive"
	"github.com/stratus-drive/stratus/internal/errs"
	"github.com/stratus-drive/stratus/internal/storage"
	"github.com/stratus-drive/stratus/internal/store"
)

// Background jobs (80-data-model §10): the recycler, which deletes blobs no
// file links any more; the trash purge; and the cleanup of expired upload
// sessions, which also sweeps storage of what crashes left. Every step is safe when several Stratus processes run the same
// job at once: each item is taken by a guarded write inside a transaction
// (the entity row delete, the collect-time claim, the session row delete),
// so exactly one process acts on it and the others skip it. internal/task
// runs them on their schedules.

// JobReport counts what one run of the background jobs did.
type JobReport struct {
	Uploads  int // expired upload sessions and storage leftovers discarded
	Trash    int // trashed items deleted permanently
	Entities int // orphaned blobs recycled
}

// Collect runs every background job once, in the order that leaves nothing
// behind: expired uploads and expired trash first, then the recycler, which
// deletes the blobs they orphaned. It runs as the jobs do on their
// schedules; an administrator or a test can call it to act at once.
func (s *Service) Collect(ctx context.Context) (JobReport, error) {
	var r JobReport
	var err, e error
	r.Uploads, err = s.CleanExpiredUploads(ctx)
	r.Trash, e = s.PurgeTrash(ctx, s.now())
	err = errors.Join(err, e)
	r.Entities, e = s.CollectEntities(ctx)
	return r, errors.Join(err, e)
}

// CalibrateCapacity recomputes every user's storage usage from the blobs
// their files link, correcting any drift of the incremental accounting. It
// reports how many users it recomputed.
func (s *Service) CalibrateCapacity(ctx context.Context) (int, error) {
	const op = "files.CalibrateCapacity"
	n, after := 0, 0
	for {
		ids, err := s.db.UserIDsAfter(ctx, after, 100)
		if err != nil {
			return n, errs.E(op, err)
		}
		if len(ids) == 0 {
			return n, nil
		}
		for _, id := range ids {
			if err := s.db.CalibrateStorage(ctx, id); err != nil && !errs.Is(errs.NotExist, err) {
				return n, errs.E(op, err)
			}
			n++
		}
		after = ids[len(ids)-1]
	}
}

// recyclePage is how many orphaned entities the recycler loads at a time.
const recyclePage = 100

// CollectEntities recycles blobs that no file links any more: it deletes
// the stored object (unless the entity is marked unlink-only), discards an
// upload still running into it, and deletes the row. It reports how many it
// recycled. A blob that fails (its storage unreachable, say) is logged and
// left for the next run.
//
// The row delete comes first, inside the transaction that then deletes the
// object, and only succeeds while the entity is unlinked; the transaction
// commits only once the object is gone. So a blob is never deleted while a
// file links it, and an object is never left behind by a row that is gone.
func (s *Service) CollectEntities(ctx context.Context) (int, error) {
	const op = "files.CollectEntities"
	n, after := 0, 0
	for {
		// Pages follow ids; entities with a count below zero (which only a
		// bug makes) may sort before lower ids and then wait for the next run.
		page, err := s.db.OrphanEntities(ctx, after, recyclePage)
		if err != nil {
			return n, errs.E(op, err)
		}
		for _, e := range page {
			after = max(after, e.ID)
			done, err := s.recycle(ctx, e)
			if err != nil {
				if ctx.Err() != nil {
					return n, errs.E(op, ctx.Err())
				}
				s.log.Warn("recycling a blob", "entity", e.ID, "policy", e.PolicyID, "err", err)
				continue
			}
			if done {
				n++
			}
		}
		if len(page) < recyclePage {
			return n, nil
		}
	}
}

// errSkip ends a job's transaction for an item another process took.
var errSkip = errors.New("item taken or changed meanwhile")

// recycle deletes one orphaned entity and reports whether this call did.
func (s *Service) recycle(ctx context.Context, e *drive.Entity) (bool, error) {
	pd, err := s.driverFor(ctx, e.PolicyID)
	if err != nil {
		return false, err
	}
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		if err := tx.DeleteEntity(ctx, e.ID); errs.Is(errs.NotExist, err) {
			return errSkip // linked again, or recycled by another process
		} else if err != nil {
			return err
		}
		if e.UploadSessionID != "" {
			// The file was deleted while its upload ran: end the upload.
			sess, err := tx.UploadSessionByID(ctx, e.UploadSessionID)
			switch {
			case err == nil:
				if err := tx.DeleteUploadSession(ctx, sess.ID); err != nil && !errs.Is(errs.NotExist, err) {
					return err
				}
				s.abortMultipart(ctx, pd, sess)
			case !errs.Is(errs.NotExist, err):
				return err
			}
		}
		if e.Props.UnlinkOnly || e.Source == "" {
			return nil
		}
		return pd.driver.Delete(ctx, e.Source)
	})
	if errors.Is(err, errSkip) {
		return false, nil
	}
	return err == nil, err
}

// abortMultipart discards the storage side of an upload session, if the
// driver still has it.
func (s *Service) abortMultipart(ctx context.Context, pd policyDriver, sess *store.UploadSession) {
	mp, ok := storage.As[storage.Multiparter](pd.driver)
	if !ok {
		return
	}
	up, err := mp.ResumeMultipart(ctx, sess.UploadID)
	if err != nil {
		return // completed, aborted or never started
	}
	if err := up.Abort(ctx); err != nil {
		s.log.Warn("aborting multipart upload", "session", sess.ID, "err", err)
	}
}

// leftoverAge is how long a driver's own bookkeeping must have been left
// untouched before SweepStorage removes it: far longer than the step
// between a driver starting an upload and its session row being stored,
// or than a Put waits between two writes.
const leftoverAge = time.Hour

// SweepStorage has every storage policy's driver that can (a
// storage.Sweeper) remove what stopped processes left of its bookkeeping:
// temporary files of unfinished writes, and the state of multipart uploads
// no session holds any more: one completed or discarded by a process that
// stopped before the driver removed it, or whose session an administrator
// deleted. Only the driver touches its storage. It reports how many
// leftovers were removed; a policy that fails is reported in the error and
// the others are still swept.
func (s *Service) SweepStorage(ctx context.Context) (int, error) {
	const op = "files.SweepStorage"
	// Sessions are read before the drivers list their uploads: an upload
	// started since is missing from held, but younger than leftoverAge.
	held, err := s.db.SessionUploadIDs(ctx)
	if err != nil {
		return 0, errs.E(op, err)
	}
	policies, err := s.db.PolicyIDs(ctx)
	if err != nil {
		return 0, errs.E(op, err)
	}
	// Drivers date their files by the real clock, not the service's.
	before := time.Now().Add(-leftoverAge)
	n := 0
	var failed error
	for _, id := range policies {
		pd, err := s.driverFor(ctx, id)
		if err != nil {
			failed = errors.Join(failed, err)
			continue
		}
		sw, ok := storage.As[storage.Sweeper](pd.driver)
		if !ok {
			continue
		}
		// held covers every policy's sessions: two policies may share a
		// storage root.
		m, err := sw.Sweep(ctx, before, func(uploadID string) bool { return held[uploadID] })
		n += m
		if err != nil {
			failed = errors.Join(failed, err)
		}
	}
	if failed != nil {
		return n, errs.E(op, failed)
	}
	return n, nil
}

// trashPage is how many trashed items the purge looks at a time.
const trashPage = 1000

// PurgeTrash deletes permanently every trashed item whose expected collect
// time (sys:expected_collect_time, Unix seconds) is before t; an unparsable
// time counts as passed. Each item is deleted as its owner would delete it
// (the owner's group bounds the walk) and in its own transaction. It
// reports how many items it deleted; an item that fails is logged and left
// for the next run.
func (s *Service) PurgeTrash(ctx context.Context, t time.Time) (int, error) {
	const op = "files.PurgeTrash"
	n, after := 0, 0
	owners := map[int]*drive.Actor{} // nil: owner gone or unusable
	for {
		page, err := s.db.MetadataByName(ctx, drive.MetaExpectedCollectTime, after, trashPage)
		if err != nil {
			return n, errs.E(op, err)
		}
		for _, m := range page {
			after = m.FileID
			if !collectDue(m.Value, t) {
				continue
			}
			done, err := s.purgeTrashed(ctx, m, owners)
			if err != nil {
				if ctx.Err() != nil {
					return n, errs.E(op, ctx.Err())
				}
				s.log.Warn("purging a trashed item", "file", m.FileID, "err", err)
				continue
			}
			if done {
				n++
			}
		}
		if len(page) < trashPage {
			return n, nil
		}
	}
}

func collectDue(value string, t time.Time) bool {
	at, err := strconv.ParseInt(strings.TrimSpace(value), 10, 64)
	return err != nil || at < t.Unix()
}

// purgeTrashed deletes one trashed item. The collect time is claimed (its
// row deleted, provided it still holds the value seen) before anything
// else, so of two processes purging at once one deletes the item and the
// other skips it, and an item restored (or trashed again) meanwhile is
// left alone.
func (s *Service) purgeTrashed(ctx context.Context, m store.Meta, owners map[int]*drive.Actor) (bool, error) {
	f, err := s.db.FileByID(ctx, m.FileID)
	if errs.Is(errs.NotExist, err) {
		return false, nil
	} else if err != nil {
		return false, err
	}
	actor, ok := owners[f.OwnerID]
	if !ok {
		a, err := s.actorOf(ctx, f.OwnerID)
		if err != nil && !errs.Is(errs.NotExist, err) {
			return false, err
		}
		owners[f.OwnerID] = a
		actor = a
	}
	if actor == nil {
		return false, errs.E("files.purgeTrashed", errs.NotExist, "owner or group missing")
	}
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		ok, err := tx.ClaimMetadata(ctx, m.FileID, m.Name, m.Value)
		if err != nil {
			return err
		}
		if !ok {
			return errSkip
		}
		f, err := tx.FileByID(ctx, m.FileID)
		if errs.Is(errs.NotExist, err) {
			return errSkip
		} else if err != nil {
			return err
		}
		if f.ParentID != 0 || f.IsRoot() || f.OwnerID != actor.User.ID {
			return errSkip // not in the trash: the entry was stale
		}
		return s.purge(ctx, tx, *actor, f)
	})
	if errors.Is(err, errSkip) {
		return false, nil
	}
	return err == nil, err
}

// actorOf loads user id with its group, to act as that user in a job. A
// missing user or group is errs.NotExist.
func (s *Service) actorOf(ctx context.Context, id int) (*drive.Actor, error) {
	u, err := s.db.UserByID(ctx, id)
	if err != nil {
		return nil, err
	}
	g, err := s.db.Group(ctx, u.GroupID)
	if err != nil {
		return nil, err
	}
	u.Group = g
	return &drive.Actor{User: u}, nil
}
