package files

import (
	"context"

	"github.com/stratus-drive/stratus/internal/drive"
	"github.com/stratus-drive/stratus/internal/errs"
	"github.com/stratus-drive/stratus/internal/store"
)

// Move moves (or, with copy, copies) items into the folder dst. Items that
// fail their checks are reported per URI while the rest proceed; a name
// collision rolls back the whole batch.
func (s *Service) Move(ctx context.Context, actor drive.Actor, rawURIs []string, rawDst string, copy bool) error {
	const op = "files.Move"
	if err := s.checkBatch(len(rawURIs)); err != nil {
		return errs.E(op, err)
	}
	dstURI, err := parseURI(rawDst)
	if err != nil {
		return errs.E(op, err)
	}
	if dstURI.FS != drive.FSMy {
		if actor.IsAnonymous() {
			return errs.E(op, ErrLoginRequired)
		}
		return errs.E(op, ErrUnsupportedAction, "destination must be in my files")
	}
	batch := errs.Batch{}
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		if err := lockTree(ctx, tx, actor); err != nil {
			return err
		}
		dst, err := s.resolve(ctx, tx, actor, dstURI)
		if err != nil {
			return err
		}
		if err := holdItems(dst.File); err != nil {
			return err
		}
		if !dst.Owned {
			return ErrNotOwner
		}
		if err := s.checkLocks(ctx, tx, actor.User.ID, itemTarget(dst.URI.Path)); err != nil {
			return err
		}
		ancestors, err := ancestorsOf(ctx, tx, dst.File)
		if err != nil {
			return err
		}
		for _, raw := range rawURIs {
			src, err := s.checkSource(ctx, tx, actor, raw, copy, ancestors)
			if err != nil {
				batch.Add(raw, err)
				continue
			}
			switch {
			case copy:
				err = s.copyTree(ctx, tx, actor, src.File, dst.File, src.File.Name)
			case src.FS == drive.FSTrash:
				err = s.untrash(ctx, tx, actor, src.File, dst)
			default:
				if err := s.checkLocks(ctx, tx, actor.User.ID, treeTarget(src.URI.Path),
					itemTarget(src.URI.Path[:len(src.URI.Path)-1])); err != nil {
					return err
				}
				err = tx.MoveFile(ctx, src.File.ID, dst.File.ID, src.File.Name, src.File.UpdatedAt)
				if errs.Is(errs.Exist, err) {
					err = ErrNameConflict
				}
			}
			if err != nil {
				return err // conflicts and failures roll back the batch
			}
		}
		return nil
	})
	if err != nil {
		return errs.E(op, err)
	}
	if err := batch.Err(); err != nil {
		return errs.E(op, err)
	}
	return nil
}

// checkSource resolves one source of a move or copy and applies the
// per-item rules.
func (s *Service) checkSource(ctx context.Context, tx *store.Tx, actor drive.Actor, raw string, copy bool,
	dstAncestors map[int]bool) (*Node, error) {
	u, err := parseURI(raw)
	if err != nil {
		return nil, err
	}
	switch {
	case u.FS == drive.FSMy:
	case u.FS == drive.FSTrash && !copy:
	default:
		return nil, ErrUnsupportedAction
	}
	src, err := s.resolve(ctx, tx, actor, u)
	if err != nil {
		return nil, err
	}
	if src.File.ID == 0 || src.File.IsRoot() {
		return nil, errs.E("files.Move", ErrUnsupportedAction, "cannot move a root")
	}
	if !src.Owned {
		return nil, ErrNotOwner
	}
	if dstAncestors[src.File.ID] {
		return nil, errs.E("files.Move", ErrUnsupportedAction, "cannot move a folder into itself")
	}
	return src, nil
}

// ancestorsOf returns the ids of f and every folder above it.
func ancestorsOf(ctx context.Context, tx *store.Tx, f *drive.File) (map[int]bool, error) {
	out := map[int]bool{f.ID: true}
	for f.ParentID != 0 {
		parent, err := tx.FileByID(ctx, f.ParentID)
		if err != nil {
			return nil, err
		}
		if out[parent.ID] { // a cycle would be corruption; stop rather than loop
			break
		}
		out[parent.ID] = true
		f = parent
	}
	return out, nil
}

// copyTree copies src and its subtree into dst, naming the copy of src name. Blobs are shared: each copy
// links the same entities, raising their reference counts, and the owner is
// charged their full size. Blobs still uploading are not copied.
func (s *Service) copyTree(ctx context.Context, tx *store.Tx, actor drive.Actor, src, dst *drive.File, name string) error {
	tree, err := walk(ctx, tx, src, WalkLimit(actor))
	if err != nil {
		return err
	}
	ids := make([]int, len(tree))
	for i, f := range tree {
		ids[i] = f.ID
	}
	links, err := tx.LinksOf(ctx, ids)
	if err != nil {
		return err
	}
	byFile := map[int][]int{}
	var total int64
	for _, l := range links {
		e, err := tx.EntityByID(ctx, l.EntityID)
		if err != nil {
			return err
		}
		if e.UploadSessionID != "" {
			continue
		}
		byFile[l.FileID] = append(byFile[l.FileID], l.EntityID)
		total += l.Size
	}
	if total > 0 {
		quota := int64(0)
		if g := actor.Group(); g != nil {
			quota = g.MaxStorage
		}
		ok, err := tx.ReserveStorage(ctx, actor.User.ID, total, quota)
		if err != nil {
			return err
		}
		if !ok {
			return ErrInsufficientCapacity
		}
	}
	metas, err := tx.MetadataOf(ctx, ids)
	if err != nil {
		return err
	}
	metaByFile := map[int][]store.Meta{}
	for _, m := range metas {
		if !copiedMeta(m.Name) {
			continue
		}
		metaByFile[m.FileID] = append(metaByFile[m.FileID], m)
	}
	newID := map[int]int{src.ParentID: dst.ID}
	now := s.now()
	for _, f := range tree {
		parent := newID[f.ParentID]
		if f.ID == src.ID {
			parent = dst.ID
		}
		copyName := f.Name
		if f.ID == src.ID {
			copyName = name
		}
		c := &drive.File{Type: f.Type, Name: copyName, OwnerID: actor.User.ID, Size: f.Size,
			PrimaryEntity: f.PrimaryEntity, ParentID: parent, IsSymbolic: f.IsSymbolic, Props: f.Props,
			PolicyID: f.PolicyID, CreatedAt: now, UpdatedAt: f.UpdatedAt}
		if err := tx.InsertFile(ctx, c); err != nil {
			if errs.Is(errs.Exist, err) {
				return ErrNameConflict
			}
			return err
		}
		newID[f.ID] = c.ID
		for _, e := range byFile[f.ID] {
			if err := tx.LinkEntity(ctx, c.ID, e); err != nil {
				return err
			}
			if err := tx.AddEntityRefs(ctx, e, 1); err != nil {
				return err
			}
		}
		for _, m := range metaByFile[f.ID] {
			m.FileID = c.ID
			if err := tx.SetMetadata(ctx, m); err != nil {
				return err
			}
		}
	}
	return nil
}

// copiedMeta reports whether a metadata entry goes with a copy: not the
// bookkeeping of uploads and of the trash.
func copiedMeta(name string) bool {
	switch name {
	case drive.MetaUploadSessionID, drive.MetaRestoreURI, drive.MetaExpectedCollectTime, "sys:fulltext_index":
		return false
	}
	return true
}
