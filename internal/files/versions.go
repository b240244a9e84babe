package files

import (
	"context"

	"github.com/stratus-drive/stratus/internal/drive"
	"github.com/stratus-drive/stratus/internal/errs"
	"github.com/stratus-drive/stratus/internal/hashid"
	"github.com/stratus-drive/stratus/internal/store"
)

// SetCurrentVersion makes the version entity with public ID version the
// current content of the file at rawURI (files 30 §6.1): the file takes its
// size, loses its thumbnails (they showed other content), and its updated_at
// moves to now. The current version again is a no-op.
func (s *Service) SetCurrentVersion(ctx context.Context, actor drive.Actor, rawURI, version string) error {
	const op = "files.SetCurrentVersion"
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		n, e, entities, err := s.versionTarget(ctx, tx, actor, rawURI, version)
		if err != nil {
			return err
		}
		if e.UploadSessionID != "" {
			return errs.E(op, ErrEntityNotExist, "the version is still being uploaded")
		}
		f := n.File
		if e.ID == f.PrimaryEntity {
			return nil
		}
		if err := s.checkVersionLocks(ctx, tx, actor, n); err != nil {
			return err
		}
		if err := tx.SetFileContent(ctx, f.ID, e.Size, e.ID, s.now()); err != nil {
			return err
		}
		var freed int64
		for _, t := range entities {
			if t.Type != drive.EntityThumbnail {
				continue
			}
			if err := s.unlink(ctx, tx, f.ID, t); err != nil {
				return err
			}
			freed += t.Size
		}
		if freed > 0 {
			return tx.UserStorageAdd(ctx, f.OwnerID, -freed)
		}
		return nil
	})
	if err != nil {
		return errs.E(op, err)
	}
	return nil
}

// DeleteVersion unlinks a version entity other than the current one from
// the file at rawURI and gives its owner the bytes back (files 30 §6.2); the
// blob goes to the recycler once nothing links it. Deleting the placeholder
// of an upload in flight cancels that upload.
func (s *Service) DeleteVersion(ctx context.Context, actor drive.Actor, rawURI, version string) error {
	const op = "files.DeleteVersion"
	var inFlight *store.UploadSession
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		n, e, _, err := s.versionTarget(ctx, tx, actor, rawURI, version)
		if err != nil {
			return err
		}
		f := n.File
		if e.ID == f.PrimaryEntity {
			return errs.E(op, ErrUnsupportedAction, "cannot delete the current version")
		}
		if e.UploadSessionID != "" {
			sess, err := tx.UploadSessionByID(ctx, e.UploadSessionID)
			if err == nil {
				inFlight = sess // discarded below, with its storage side
				return nil
			}
			if !errs.Is(errs.NotExist, err) {
				return err
			}
			// A placeholder whose session is gone: unlink it like a version.
			if err := tx.DeleteMetadata(ctx, f.ID, drive.MetaUploadSessionID); err != nil {
				return err
			}
		}
		if err := s.checkVersionLocks(ctx, tx, actor, n); err != nil {
			return err
		}
		if err := s.unlink(ctx, tx, f.ID, e); err != nil {
			return err
		}
		return tx.UserStorageAdd(ctx, f.OwnerID, -e.Size)
	})
	if err == nil && inFlight != nil {
		err = s.discardUpload(ctx, inFlight)
	}
	if err != nil {
		return errs.E(op, err)
	}
	return nil
}

// checkVersionLocks refuses a version change of n while a lock is held on
// it. Deleting the placeholder of the upload in flight is not checked: it
// is how that upload is cancelled.
func (s *Service) checkVersionLocks(ctx context.Context, tx *store.Tx, actor drive.Actor, n *Node) error {
	path, err := lockPath(ctx, tx, n)
	if err != nil {
		return err
	}
	return s.checkLocks(ctx, tx, actor.User.ID, itemTarget(path))
}

// versionTarget resolves the file of a version request and the version
// entity named by version among the file's entities, which it also returns.
// Only the owner may manage versions, and only of files.
func (s *Service) versionTarget(ctx context.Context, tx *store.Tx, actor drive.Actor, rawURI, version string) (
	*Node, *drive.Entity, []*drive.Entity, error) {
	const op = "files.versionTarget"
	u, err := parseURI(rawURI)
	if err != nil {
		return nil, nil, nil, err
	}
	if err := lockTree(ctx, tx, actor); err != nil {
		return nil, nil, nil, err
	}
	n, err := s.resolve(ctx, tx, actor, u)
	if err != nil {
		return nil, nil, nil, err
	}
	if err := requireCap(n, CapVersion); err != nil {
		return nil, nil, nil, err
	}
	if n.File.IsFolder() {
		return nil, nil, nil, errs.E(op, ErrUnsupportedAction, "folders have no versions")
	}
	if !n.Owned {
		return nil, nil, nil, ErrNotOwner
	}
	id, err := s.ids.Decode(version, hashid.Entity)
	if err != nil {
		return nil, nil, nil, errs.E(op, errs.Invalid, "invalid version ID")
	}
	entities, err := tx.EntitiesOfFile(ctx, n.File.ID)
	if err != nil {
		return nil, nil, nil, err
	}
	for _, e := range entities {
		if e.ID == id && e.Type == drive.EntityVersion {
			return n, e, entities, nil
		}
	}
	return nil, nil, nil, errs.E(op, ErrEntityNotExist)
}
