package files

import (
	"context"
	"time"

	"github.com/stratus-drive/stratus/internal/drive"
	"github.com/stratus-drive/stratus/internal/errs"
	"github.com/stratus-drive/stratus/internal/store"
)

// What the administration needs of the filesystem: deleting any user's
// items and blobs with the same accounting as a user's own permanent delete,
// and content URLs for any blob. The caller (package admin) has checked that
// the actor is an administrator; these methods act on behalf of the owner.

// PurgeByID permanently deletes file id with its subtree, as its owner's
// permanent delete would: links dropped, counts lowered, the owner credited,
// orphaned blobs left for the recycler. A root folder is refused.
func (s *Service) PurgeByID(ctx context.Context, id int) error {
	const op = "files.PurgeByID"
	return s.db.InTx(ctx, func(tx *store.Tx) error {
		f, err := tx.FileByID(ctx, id)
		if err != nil {
			return errs.E(op, err)
		}
		if f.IsRoot() {
			return errs.E(op, ErrUnsupportedAction, "cannot delete a root")
		}
		owner := drive.Actor{User: &drive.User{ID: f.OwnerID}}
		if err := lockTree(ctx, tx, owner); err != nil {
			return errs.E(op, err)
		}
		return s.purge(ctx, tx, owner, f)
	})
}

// PurgeOwner deletes every file and folder of user in tx (trash included),
// so that the account can be deleted in the same transaction. Blobs nobody
// links any more are left for the recycler (see CollectEntities).
func (s *Service) PurgeOwner(ctx context.Context, tx *store.Tx, user int) error {
	const op = "files.PurgeOwner"
	ids, err := tx.FileIDsOfOwner(ctx, user)
	if err != nil {
		return errs.E(op, err)
	}
	links, err := tx.LinksOf(ctx, ids)
	if err != nil {
		return errs.E(op, err)
	}
	refs := map[int]int{}
	for _, l := range links {
		refs[l.EntityID]++
	}
	if err := tx.DeleteFiles(ctx, ids); err != nil {
		return errs.E(op, err)
	}
	for entity, n := range refs {
		if err := tx.AddEntityRefs(ctx, entity, -n); err != nil {
			return errs.E(op, err)
		}
	}
	return nil
}

// DeleteBlob deletes entity id: its stored object (unless the entity is
// marked unlink-only), an upload still writing into it, and its row even if
// files still link it; the owners of those files are credited its size. When
// the object cannot be deleted the row stays, unless force is set.
func (s *Service) DeleteBlob(ctx context.Context, id int, force bool) error {
	const op = "files.DeleteBlob"
	e, err := s.db.EntityByID(ctx, id)
	if err != nil {
		return errs.E(op, err)
	}
	if e.UploadSessionID != "" {
		if err := s.discardUploadOf(ctx, e); err != nil && !force {
			return errs.E(op, err)
		}
	}
	if !e.Props.UnlinkOnly {
		pd, err := s.driverFor(ctx, e.PolicyID)
		if err == nil {
			err = pd.driver.Delete(ctx, e.Source)
		}
		if err != nil && !force {
			return errs.E(op, ErrIO, err)
		}
	}
	return s.db.InTx(ctx, func(tx *store.Tx) error {
		owners, err := tx.FilesOfEntity(ctx, id)
		if err != nil {
			return errs.E(op, err)
		}
		for _, f := range owners {
			if err := tx.UserStorageAdd(ctx, f.OwnerID, -e.Size); err != nil && !errs.Is(errs.NotExist, err) {
				return errs.E(op, err)
			}
		}
		if err := tx.ForceDeleteEntity(ctx, id); err != nil {
			return errs.E(op, err)
		}
		return nil
	})
}

// discardUploadOf drops the upload session writing into e, if it still
// exists; its placeholder file keeps the entity until the delete below.
func (s *Service) discardUploadOf(ctx context.Context, e *drive.Entity) error {
	sess, err := s.db.UploadSessionByID(ctx, e.UploadSessionID)
	if errs.Is(errs.NotExist, err) {
		return nil
	} else if err != nil {
		return err
	}
	return s.db.DeleteUploadSession(ctx, sess.ID)
}

// BlobURL signs a content URL for entity id valid for ttl, with name as the
// file name; download forces a download rather than inline display.
func (s *Service) BlobURL(ctx context.Context, id int, name string, download bool, ttl time.Duration) (string, error) {
	const op = "files.BlobURL"
	e, err := s.db.EntityByID(ctx, id)
	if err != nil {
		return "", errs.E(op, err)
	}
	if e.ReferenceCount <= 0 || e.UploadSessionID != "" {
		return "", errs.E(op, ErrEntityNotExist)
	}
	return s.contentURL(e.ID, 0, name, download, s.now().Add(ttl)), nil
}
