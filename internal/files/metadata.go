package files

import (
	"context"
	"encoding/json"

	"github.com/stratus-drive/stratus/internal/drive"
	"github.com/stratus-drive/stratus/internal/errs"
	"github.com/stratus-drive/stratus/internal/store"
)

// MetadataPatch is one change of PATCH /file/metadata: set Key to Value, or
// remove Key.
type MetadataPatch struct {
	Key     string
	Value   string
	Remove  bool
	Private bool // refused: clients only ever write public metadata
}

// maxMetadataEntries bounds the metadata one create or upload request may
// carry, and the patches of one PATCH request.
const maxMetadataEntries = 256

// metadataOptions gathers what metadata validation needs from the site
// settings. A setting that does not parse validates nothing against it
// (no emojis, no custom properties), and is logged.
func (s *Service) metadataOptions() drive.MetadataOptions {
	opts := drive.MetadataOptions{Emojis: map[string]bool{}}
	var presets map[string][]string
	if err := json.Unmarshal([]byte(s.settings.String("emojis")), &presets); err != nil {
		s.log.Warn("the emojis setting is not a JSON object of emoji lists", "err", err)
	}
	for _, list := range presets {
		for _, e := range list {
			opts.Emojis[e] = true
		}
	}
	if err := json.Unmarshal([]byte(s.settings.String("custom_props")), &opts.Props); err != nil {
		s.log.Warn("the custom_props setting is not a JSON array of properties", "err", err)
	}
	return opts
}

// checkMetadata validates the metadata a client sends with a create or an
// upload: the same rules as PATCH /file/metadata, every entry a set.
func (s *Service) checkMetadata(m map[string]string) error {
	const op = "files.checkMetadata"
	if len(m) == 0 {
		return nil
	}
	if len(m) > maxMetadataEntries {
		return errs.E(op, errs.Invalid, "too many metadata entries")
	}
	opts := s.metadataOptions()
	for k, v := range m {
		if err := drive.ValidateMetadataPatch(k, v, false, opts); err != nil {
			return errs.E(op, errs.Invalid, err)
		}
	}
	if err := drive.CheckFileMetadata(m); err != nil {
		return errs.E(op, errs.Invalid, err)
	}
	return nil
}

// checkStoredMetadata bounds what a file keeps after a change
// (drive.CheckFileMetadata); the transaction rolls back when it is over.
func checkStoredMetadata(ctx context.Context, tx *store.Tx, fileID int) error {
	metas, err := tx.MetadataOf(ctx, []int{fileID})
	if err != nil {
		return err
	}
	entries := make(map[string]string, len(metas))
	for _, m := range metas {
		entries[m.Name] = m.Value
	}
	if err := drive.CheckFileMetadata(entries); err != nil {
		return errs.E("files.checkStoredMetadata", errs.Invalid, err)
	}
	return nil
}

// PatchMetadata applies patches to every item at rawURIs (files 30 §5.8).
// Every patch is validated before anything changes; every target is
// resolved and must be the actor's before anything changes. Then each item
// gets, in one transaction, the upserts, then the removals, then a new
// updated_at if any patched key calls for one. Roots are refused per item.
func (s *Service) PatchMetadata(ctx context.Context, actor drive.Actor, rawURIs []string, patches []MetadataPatch) error {
	const op = "files.PatchMetadata"
	if err := s.checkBatch(len(rawURIs)); err != nil {
		return errs.E(op, err)
	}
	if len(patches) == 0 {
		return errs.E(op, errs.Invalid, "patches cannot be empty")
	}
	if len(patches) > maxMetadataEntries {
		return errs.E(op, errs.Invalid, "too many patches")
	}
	opts := s.metadataOptions()
	touch := false
	var sets []store.Meta
	var removals []string
	for _, p := range patches {
		if p.Private {
			return errs.E(op, errs.Invalid, "private metadata cannot be written")
		}
		if err := drive.ValidateMetadataPatch(p.Key, p.Value, p.Remove, opts); err != nil {
			return errs.E(op, errs.Invalid, err)
		}
		touch = touch || drive.TouchesUpdatedAt(p.Key)
		if p.Remove {
			removals = append(removals, p.Key)
		} else {
			sets = append(sets, store.Meta{Name: p.Key, Value: p.Value, Public: true})
		}
	}

	nodes := make([]*Node, len(rawURIs))
	for i, raw := range rawURIs {
		u, err := parseURI(raw)
		if err != nil {
			return errs.E(op, err)
		}
		n, err := s.resolve(ctx, s.db, actor, u)
		if err != nil {
			return errs.E(op, err)
		}
		if err := requireCap(n, CapUpdateMeta); err != nil {
			return errs.E(op, err)
		}
		if !n.Owned {
			return errs.E(op, ErrNotOwner)
		}
		nodes[i] = n
	}

	targets := make([]lockTarget, 0, len(nodes))
	for _, n := range nodes {
		targets = append(targets, itemTarget(n.URI.Path))
	}
	if err := s.checkBatchLocks(ctx, actor, targets); err != nil {
		return errs.E(op, err)
	}
	batch := errs.Batch{}
	for i, n := range nodes {
		if n.File.IsRoot() {
			batch.Add(rawURIs[i], errs.E(op, ErrUnsupportedAction, "cannot patch a root"))
			continue
		}
		batch.Add(rawURIs[i], s.db.InTx(ctx, func(tx *store.Tx) error {
			if err := lockTree(ctx, tx, actor); err != nil {
				return err
			}
			if err := s.checkLocks(ctx, tx, actor.User.ID, itemTarget(n.URI.Path)); err != nil {
				return err
			}
			for _, m := range sets {
				m.FileID = n.File.ID
				if err := tx.SetMetadata(ctx, m); err != nil {
					return err
				}
			}
			if err := tx.DeleteMetadata(ctx, n.File.ID, removals...); err != nil {
				return err
			}
			if err := checkStoredMetadata(ctx, tx, n.File.ID); err != nil {
				return err
			}
			if touch {
				return tx.TouchFile(ctx, n.File.ID, s.now())
			}
			return nil
		}))
	}
	if err := batch.Err(); err != nil {
		return errs.E(op, err)
	}
	return nil
}
