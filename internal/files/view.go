package files

import (
	"context"
	"math"

	"github.com/stratus-drive/stratus/internal/drive"
	"github.com/stratus-drive/stratus/internal/errs"
	"github.com/stratus-drive/stratus/internal/store"
)

// Pins are kept in the user's settings document, which every request loads
// with the actor, so they are bounded.
const (
	maxPins       = 256
	maxPinNameLen = 255
)

// Pin adds rawURI to the actor's sidebar pins under name (files 30 §5.9).
// The URI must parse but is not resolved: a pin may name a search, or a
// folder that is gone. Pinning a pinned URI again is a no-op with the same
// name and a conflict with another.
func (s *Service) Pin(ctx context.Context, actor drive.Actor, rawURI, name string) error {
	const op = "files.Pin"
	u, err := parseURI(rawURI)
	if err != nil {
		return errs.E(op, err)
	}
	if len(name) > maxPinNameLen {
		return errs.E(op, errs.Invalid, "pin name longer than 255 bytes")
	}
	err = s.updateSettings(ctx, actor, func(st *drive.UserSettings) error {
		for _, p := range st.Pined {
			if pu, err := drive.ParseURI(p.URI); err == nil && pu.Equal(u) {
				if p.Name != name {
					return errs.E(op, ErrNameConflict, "already pinned under another name")
				}
				return nil
			}
		}
		if len(st.Pined) >= maxPins {
			return errs.E(op, errs.Invalid, "too many pins")
		}
		st.Pined = append(st.Pined, drive.PinnedFile{URI: u.String(), Name: name})
		return nil
	})
	if err != nil {
		return errs.E(op, err)
	}
	return nil
}

// Unpin removes rawURI from the actor's pins; an unpinned URI is no error.
func (s *Service) Unpin(ctx context.Context, actor drive.Actor, rawURI string) error {
	const op = "files.Unpin"
	u, err := parseURI(rawURI)
	if err != nil {
		return errs.E(op, err)
	}
	err = s.updateSettings(ctx, actor, func(st *drive.UserSettings) error {
		kept := st.Pined[:0]
		for _, p := range st.Pined {
			if pu, err := drive.ParseURI(p.URI); err != nil || !pu.Equal(u) {
				kept = append(kept, p)
			}
		}
		st.Pined = kept
		return nil
	})
	if err != nil {
		return errs.E(op, err)
	}
	return nil
}

// updateSettings changes the actor's settings document in one transaction,
// through the store's one locked read-modify-write of it.
func (s *Service) updateSettings(ctx context.Context, actor drive.Actor, fn func(*drive.UserSettings) error) error {
	if actor.IsAnonymous() {
		return ErrLoginRequired
	}
	return s.db.InTx(ctx, func(tx *store.Tx) error {
		return tx.ModifyUserProfile(ctx, actor.User.ID, func(_ *string, st *drive.UserSettings) error {
			if err := fn(st); err != nil {
				return err
			}
			if err := drive.CheckSettingsSize(*st); err != nil {
				return errs.E("files.updateSettings", errs.Invalid, err)
			}
			return nil
		})
	})
}

// SetView stores the view settings of the folder at rawURI, or deletes them
// when view is nil (files 30 §5.10). The roots of the flat filesystems have
// no row; their views are kept per user, by filesystem, in the settings.
func (s *Service) SetView(ctx context.Context, actor drive.Actor, rawURI string, view *drive.ExplorerView) error {
	const op = "files.SetView"
	u, err := parseURI(rawURI)
	if err != nil {
		return errs.E(op, err)
	}
	if view != nil {
		if err := validateView(view); err != nil {
			return errs.E(op, err)
		}
	}
	if u.IsRoot() && u.FS != drive.FSMy && u.FS != drive.FSShare {
		err := s.updateSettings(ctx, actor, func(st *drive.UserSettings) error {
			if view == nil {
				delete(st.FsViewMap, string(u.FS))
				return nil
			}
			if st.FsViewMap == nil {
				st.FsViewMap = map[string]drive.ExplorerView{}
			}
			st.FsViewMap[string(u.FS)] = *view
			return nil
		})
		if err != nil {
			return errs.E(op, err)
		}
		return nil
	}
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		n, err := s.resolve(ctx, tx, actor, u)
		if err != nil {
			return err
		}
		if err := requireCap(n, CapModifyProps); err != nil {
			return err
		}
		if !n.Owned && !actor.IsAdmin() {
			return ErrNotOwner
		}
		props := n.File.Props
		props.View = view
		return tx.SetFileProps(ctx, n.File.ID, props)
	})
	if err != nil {
		return errs.E(op, err)
	}
	return nil
}

// validateView applies the ExplorerView rules of files 30 §1.6. Columns
// are opaque to the server, but their shape is checked so that what is
// stored is what clients expect to read back, and reduced to their
// documented fields; the whole view is then bounded by drive.MaxViewBytes.
func validateView(v *drive.ExplorerView) error {
	const op = "files.validateView"
	bad := func(reason string) error { return errs.E(op, errs.Invalid, "invalid view: "+reason) }
	switch {
	case v.PageSize < 50:
		return bad("page_size must be at least 50")
	case len(v.Order) > 255:
		return bad("order longer than 255 characters")
	case v.OrderDirection != "asc" && v.OrderDirection != "desc":
		return bad(`order_direction must be "asc" or "desc"`)
	case v.View != "list" && v.View != "grid" && v.View != "gallery":
		return bad(`view must be "list", "grid" or "gallery"`)
	case v.GalleryWidth < 50 || v.GalleryWidth > 500:
		return bad("gallery_width must be from 50 to 500")
	case len(v.Columns) > 1000:
		return bad("more than 1000 columns")
	}
	for i, c := range v.Columns {
		v.Columns[i] = canonicalColumn(c) // c keeps the original for the checks below
		typ, ok := c["type"].(float64)
		if !ok || typ < 0 || !isWhole(typ) {
			return bad("column type must be a whole number ≥ 0")
		}
		if w, ok := c["width"]; ok && w != nil {
			if f, ok := w.(float64); !ok || !isWhole(f) {
				return bad("column width must be a whole number")
			}
		}
		p, ok := c["props"]
		if !ok || p == nil {
			continue
		}
		props, ok := p.(map[string]any)
		if !ok {
			return bad("column props must be an object")
		}
		for _, k := range []string{"metadata_key", "custom_props_id"} {
			if x, ok := props[k]; ok && x != nil {
				if s, ok := x.(string); !ok || len(s) > 255 {
					return bad("column " + k + " must be a string of at most 255 characters")
				}
			}
		}
	}
	if err := drive.CheckViewSize(*v); err != nil {
		return errs.E(op, errs.Invalid, "invalid view: "+errs.Detail(err), err)
	}
	return nil
}

// canonicalColumn keeps only the documented fields of a column (type,
// width, props with metadata_key and custom_props_id): anything else is
// opaque bulk that no client reads back.
func canonicalColumn(c map[string]any) map[string]any {
	out := map[string]any{"type": c["type"]}
	if w, ok := c["width"]; ok && w != nil {
		out["width"] = w
	}
	if props, ok := c["props"].(map[string]any); ok {
		kept := map[string]any{}
		for _, k := range []string{"metadata_key", "custom_props_id"} {
			if x, ok := props[k]; ok && x != nil {
				kept[k] = x
			}
		}
		out["props"] = kept
	}
	return out
}

func isWhole(f float64) bool { return f == math.Trunc(f) && math.Abs(f) < 1<<53 }
