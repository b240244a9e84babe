package admin

import (
	"context"
	"maps"
	"slices"
	"strconv"

	"github.com/stratus-drive/stratus/internal/drive"
	"github.com/stratus-drive/stratus/internal/errs"
	"github.com/stratus-drive/stratus/internal/setting"
)

// Settings returns the values of keys that exist (60-admin §4.1); secrets
// are never returned.
func (s *Service) Settings(ctx context.Context, actor drive.Actor, keys []string) (map[string]string, error) {
	const op = "admin.Settings"
	if err := authorize(op, actor); err != nil {
		return nil, err
	}
	if len(keys) == 0 {
		return nil, errs.E(op, errs.Invalid, "Keys is required")
	}
	out := make(map[string]string, len(keys))
	for _, k := range keys {
		if setting.IsHidden(k) || !s.settings.Has(k) {
			continue
		}
		out[k] = s.settings.String(k)
	}
	return out, nil
}

// masked is what the audit log shows for a secret's value.
const masked = "(hidden)"

// PatchSettings writes settings (60-admin §4.2): every value is checked
// against its key's type and normalised, keys without a row are ignored, and
// a change that would lock everyone out is refused before anything is
// written. The change applies at once in this process and, through the
// settings version in KV, on the next request of every other process. It
// returns the values as stored (secret_key as "").
func (s *Service) PatchSettings(ctx context.Context, actor drive.Actor, values map[string]string) (map[string]string, error) {
	const op = "admin.PatchSettings"
	if err := authorize(op, actor); err != nil {
		return nil, err
	}
	if len(values) == 0 {
		return nil, errs.E(op, errs.Invalid, "Settings is required")
	}
	patch := make(map[string]string, len(values))
	before := map[string]string{}
	after := map[string]string{}
	for _, k := range slices.Sorted(maps.Keys(values)) {
		if !s.settings.Has(k) {
			continue // the contract ignores keys that have no row
		}
		v, err := setting.Normalize(k, values[k])
		if err != nil {
			return nil, errs.E(op, err)
		}
		patch[k] = v
		old, _ := s.settings.Stored(k)
		if setting.IsHidden(k) || k == "smtpPass" {
			before[k], after[k] = masked, masked
		} else {
			before[k], after[k] = old, v
		}
	}
	if err := s.settings.CheckLockout(patch); err != nil {
		return nil, errs.E(op, err)
	}
	if g, ok := patch["default_group"]; ok {
		if err := s.checkDefaultGroup(ctx, g); err != nil {
			return nil, errs.E(op, err)
		}
	}
	if len(patch) > 0 {
		if err := s.settings.Set(ctx, patch); err != nil {
			return nil, errs.E(op, err)
		}
		if err := s.record(ctx, s.db, actor, "settings.update", "settings", "", before, after); err != nil {
			return nil, errs.E(op, err)
		}
	}
	out := make(map[string]string, len(patch))
	for k, v := range patch {
		if setting.IsHidden(k) {
			v = ""
		}
		out[k] = v
	}
	return out, nil
}

// checkDefaultGroup refuses a default group for new accounts that does not
// exist or is the guests' group.
func (s *Service) checkDefaultGroup(ctx context.Context, value string) error {
	id, _ := strconv.Atoi(value) // Normalize made it a whole number
	if id == drive.AnonymousGroupID {
		return errs.E("admin.checkDefaultGroup", errs.Invalid, "default_group cannot be the anonymous group")
	}
	if _, err := s.db.Group(ctx, id); errs.Is(errs.NotExist, err) {
		return errs.E("admin.checkDefaultGroup", errs.Invalid, "default_group names no group")
	} else if err != nil {
		return err
	}
	return nil
}
