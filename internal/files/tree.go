package files

import (
	"context"

	"github.com/google/uuid"
	"github.com/stratus-drive/stratus/internal/drive"
	"github.com/stratus-drive/stratus/internal/errs"
	"github.com/stratus-drive/stratus/internal/store"
)

// DeleteOptions are the flags of DELETE /file.
type DeleteOptions struct {
	SkipSoftDelete bool // delete permanently instead of moving to the trash
	Unlink         bool // permanent delete that keeps physical blobs
}

// Delete moves items to the trash, or deletes them permanently. Items are
// handled one by one; failures are collected per URI.
func (s *Service) Delete(ctx context.Context, actor drive.Actor, rawURIs []string, opt DeleteOptions) error {
	const op = "files.Delete"
	if err := s.checkBatch(len(rawURIs)); err != nil {
		return errs.E(op, err)
	}
	if actor.IsAnonymous() {
		return errs.E(op, ErrLoginRequired)
	}
	if opt.Unlink && !actor.Can(drive.PermAdvanceDelete) {
		return errs.E(op, ErrUnsupportedAction, "advanced delete not allowed")
	}
	if err := s.checkDeleteLocks(ctx, actor, rawURIs); err != nil {
		return errs.E(op, err)
	}
	batch := errs.Batch{}
	for _, raw := range rawURIs {
		batch.Add(raw, s.deleteOne(ctx, actor, raw, opt))
	}
	if err := batch.Err(); err != nil {
		return errs.E(op, err)
	}
	return nil
}

// checkDeleteLocks fails the whole delete with every lock its items hold,
// before any item goes. Items that do not resolve are left to deleteOne to
// report; deleteOne checks again in its own transaction.
func (s *Service) checkDeleteLocks(ctx context.Context, actor drive.Actor, rawURIs []string) error {
	var targets []lockTarget
	for _, raw := range rawURIs {
		u, err := parseURI(raw)
		if err != nil || u.FS != drive.FSMy || u.IsRoot() {
			continue
		}
		if n, err := s.resolve(ctx, s.db, actor, u); err == nil && n.Owned {
			targets = append(targets, deleteTargets(n)...)
		}
	}
	return s.checkBatchLocks(ctx, actor, targets)
}

// deleteTargets are what deleting n changes: n with everything below it,
// and its folder's members.
func deleteTargets(n *Node) []lockTarget {
	return []lockTarget{treeTarget(n.URI.Path), itemTarget(n.URI.Path[:len(n.URI.Path)-1])}
}

func (s *Service) deleteOne(ctx context.Context, actor drive.Actor, raw string, opt DeleteOptions) error {
	u, err := parseURI(raw)
	if err != nil {
		return err
	}
	if u.FS == drive.FSShare {
		// Shares are read-only for everyone, the owner included.
		return ErrUnsupportedAction
	}
	return s.db.InTx(ctx, func(tx *store.Tx) error {
		if err := lockTree(ctx, tx, actor); err != nil {
			return err
		}
		n, err := s.resolve(ctx, tx, actor, u)
		if err != nil {
			return err
		}
		if n.File.ID == 0 || n.File.IsRoot() {
			return errs.E("files.Delete", ErrUnsupportedAction, "cannot delete a root")
		}
		if !n.Owned {
			return ErrNotOwner
		}
		if n.FS == drive.FSMy {
			if err := s.checkLocks(ctx, tx, actor.User.ID, deleteTargets(n)...); err != nil {
				return err
			}
		}
		if !opt.SkipSoftDelete {
			if err := requireCap(n, CapSoftDelete); err != nil {
				return err
			}
			return s.trash(ctx, tx, actor, n)
		}
		if err := requireCap(n, CapHardDelete); err != nil {
			return err
		}
		return s.purgeTree(ctx, tx, actor, n.File, opt.Unlink)
	})
}

// trash detaches n from its folder under a random name and records where it
// came from and when it may be collected.
func (s *Service) trash(ctx context.Context, tx *store.Tx, actor drive.Actor, n *Node) error {
	f := n.File
	if err := tx.MoveFile(ctx, f.ID, 0, uuid.NewString(), f.UpdatedAt); err != nil {
		return err
	}
	restore := n.URI
	restore.ID = ""
	for _, m := range []store.Meta{
		{FileID: f.ID, Name: drive.MetaRestoreURI, Value: restore.String(), Public: true},
		{FileID: f.ID, Name: drive.MetaExpectedCollectTime, Value: s.expectedCollect(actor), Public: true},
	} {
		if err := tx.SetMetadata(ctx, m); err != nil {
			return err
		}
	}
	return nil
}

// childLister is what walk needs: *store.Tx, or *store.DB for read-only walks.
type childLister interface {
	ChildrenOf(ctx context.Context, parents []int) ([]*drive.File, error)
}

// walk returns f and all its descendants, parents before children, bounded
// by limit (0: unbounded).
func walk(ctx context.Context, tx childLister, f *drive.File, limit int) ([]*drive.File, error) {
	all := []*drive.File{f}
	level := []int{f.ID}
	for len(level) > 0 {
		if !f.IsFolder() {
			break
		}
		children, err := tx.ChildrenOf(ctx, level)
		if err != nil {
			return nil, err
		}
		level = level[:0]
		for _, c := range children {
			all = append(all, c)
			if c.IsFolder() {
				level = append(level, c.ID)
			}
		}
		if limit > 0 && len(all) > limit {
			return nil, ErrWalkLimit
		}
	}
	return all, nil
}

// purge deletes f and its subtree permanently in tx: every link to a blob is
// dropped, reference counts fall, owners are credited the bytes at once, and
// blobs nobody links any more are left for the recycler.
func (s *Service) purge(ctx context.Context, tx *store.Tx, actor drive.Actor, f *drive.File) error {
	return s.purgeTree(ctx, tx, actor, f, false)
}

// purgeTree is purge; with unlinkOnly, blobs this delete orphans are marked
// so that the recycler forgets them but keeps the stored objects.
func (s *Service) purgeTree(ctx context.Context, tx *store.Tx, actor drive.Actor, f *drive.File, unlinkOnly bool) error {
	tree, err := walk(ctx, tx, f, WalkLimit(actor))
	if err != nil {
		return err
	}
	ids := make([]int, len(tree))
	for i, t := range tree {
		ids[i] = t.ID
	}
	links, err := tx.LinksOf(ctx, ids)
	if err != nil {
		return err
	}
	refs := map[int]int{}
	freed := map[int]int64{}
	for _, l := range links {
		refs[l.EntityID]++
		freed[l.OwnerID] += l.Size
	}
	if err := tx.DeleteFiles(ctx, ids); err != nil {
		return err
	}
	for entity, n := range refs {
		if err := tx.AddEntityRefs(ctx, entity, -n); err != nil {
			return err
		}
		if unlinkOnly {
			if err := tx.MarkOrphanEntity(ctx, entity, drive.EntityProps{UnlinkOnly: true}); err != nil {
				return err
			}
		}
	}
	for owner, bytes := range freed {
		if bytes != 0 {
			if err := tx.UserStorageAdd(ctx, owner, -bytes); err != nil {
				return err
			}
		}
	}
	return nil
}

// Restore moves trashed items back to where they were deleted from.
func (s *Service) Restore(ctx context.Context, actor drive.Actor, rawURIs []string) error {
	const op = "files.Restore"
	if err := s.checkBatch(len(rawURIs)); err != nil {
		return errs.E(op, err)
	}
	batch := errs.Batch{}
	for _, raw := range rawURIs {
		batch.Add(raw, s.restoreOne(ctx, actor, raw))
	}
	if err := batch.Err(); err != nil {
		return errs.E(op, err)
	}
	return nil
}

func (s *Service) restoreOne(ctx context.Context, actor drive.Actor, raw string) error {
	u, err := parseURI(raw)
	if err != nil {
		return err
	}
	if u.FS != drive.FSTrash || u.IsRoot() {
		return ErrUnsupportedAction
	}
	return s.db.InTx(ctx, func(tx *store.Tx) error {
		if err := lockTree(ctx, tx, actor); err != nil {
			return err
		}
		n, err := s.resolve(ctx, tx, actor, u)
		if err != nil {
			return err
		}
		return s.untrash(ctx, tx, actor, n.File, nil)
	})
}

// untrash puts a trashed file back: into dst when given, else into the
// folder its restore URI names, under its original name.
func (s *Service) untrash(ctx context.Context, tx *store.Tx, actor drive.Actor, f *drive.File, dst *Node) error {
	metas, err := tx.MetadataOf(ctx, []int{f.ID})
	if err != nil {
		return err
	}
	var restore string
	for _, m := range metas {
		if m.Name == drive.MetaRestoreURI {
			restore = m.Value
		}
	}
	orig, err := drive.ParseURI(restore)
	if err != nil || orig.FS != drive.FSMy || orig.IsRoot() {
		return errs.E("files.untrash", ErrUnsupportedAction, "no restore location")
	}
	if dst == nil {
		parentURI, _ := orig.Parent()
		if dst, err = s.resolve(ctx, tx, actor, parentURI); err != nil {
			return err
		}
	}
	if err := holdItems(dst.File); err != nil {
		return err
	}
	if err := s.checkLocks(ctx, tx, actor.User.ID, itemTarget(dst.URI.Path)); err != nil {
		return err
	}
	if err := tx.MoveFile(ctx, f.ID, dst.File.ID, orig.Name(), f.UpdatedAt); err != nil {
		if errs.Is(errs.Exist, err) {
			return ErrNameConflict
		}
		return err
	}
	return tx.DeleteMetadata(ctx, f.ID, drive.MetaRestoreURI, drive.MetaExpectedCollectTime)
}

// EmptyTrash deletes every trashed item of the actor permanently.
func (s *Service) EmptyTrash(ctx context.Context, actor drive.Actor) error {
	const op = "files.EmptyTrash"
	if actor.IsAnonymous() {
		return errs.E(op, ErrLoginRequired)
	}
	for {
		items, err := s.db.ListTrash(ctx, actor.User.ID, 0, 100)
		if err != nil {
			return errs.E(op, err)
		}
		if len(items) == 0 {
			return nil
		}
		for _, f := range items {
			err := s.db.InTx(ctx, func(tx *store.Tx) error {
				if err := lockTree(ctx, tx, actor); err != nil {
					return err
				}
				// Read the item again under the lock: a restore since the
				// listing must win over emptying the trash.
				cur, err := tx.FileByID(ctx, f.ID)
				if errs.Is(errs.NotExist, err) {
					return nil
				} else if err != nil {
					return err
				}
				if cur.ParentID != 0 || cur.OwnerID != actor.User.ID {
					return nil
				}
				return s.purge(ctx, tx, actor, cur)
			})
			if err != nil {
				return errs.E(op, err)
			}
		}
	}
}
