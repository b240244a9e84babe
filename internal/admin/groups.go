package admin

import (
	"context"
	"strconv"
	"unicode/utf8"

	"github.com/stratus-drive/stratus/internal/drive"
	"github.com/stratus-drive/stratus/internal/errs"
	"github.com/stratus-drive/stratus/internal/store"
)

// GroupView is a group with its storage policy (nil: none) and, when
// counted, its number of users.
type GroupView struct {
	Group      *drive.Group
	Policy     *drive.Policy
	TotalUsers int
}

// Groups lists groups (60-admin §5).
func (s *Service) Groups(ctx context.Context, actor drive.Actor, lr ListRequest) ([]GroupView, Pagination, error) {
	const op = "admin.Groups"
	p, err := lr.authorizedPage(op, actor)
	if err != nil {
		return nil, Pagination{}, err
	}
	gs, total, err := s.db.AdminGroups(ctx, p)
	if err != nil {
		return nil, Pagination{}, errs.E(op, err)
	}
	out := make([]GroupView, 0, len(gs))
	policies := map[int]*drive.Policy{}
	for _, g := range gs {
		v := GroupView{Group: g}
		if v.Policy, err = s.policyCached(ctx, policies, g.StoragePolicyID); err != nil {
			return nil, Pagination{}, errs.E(op, err)
		}
		out = append(out, v)
	}
	return out, lr.pagination(total), nil
}

// policyCached loads policy id once per call site (0 and missing: nil).
func (s *Service) policyCached(ctx context.Context, seen map[int]*drive.Policy, id int) (*drive.Policy, error) {
	if id == 0 {
		return nil, nil
	}
	if p, ok := seen[id]; ok {
		return p, nil
	}
	p, err := s.db.Policy(ctx, id)
	if errs.Is(errs.NotExist, err) {
		p, err = nil, nil
	}
	if err != nil {
		return nil, err
	}
	seen[id] = p
	return p, nil
}

// Group returns group id; countUsers adds its number of users.
func (s *Service) Group(ctx context.Context, actor drive.Actor, id int, countUsers bool) (GroupView, error) {
	const op = "admin.Group"
	if err := authorize(op, actor); err != nil {
		return GroupView{}, err
	}
	return s.groupView(ctx, op, id, countUsers)
}

func (s *Service) groupView(ctx context.Context, op string, id int, countUsers bool) (GroupView, error) {
	g, err := s.db.Group(ctx, id)
	if err != nil {
		return GroupView{}, errs.E(op, err)
	}
	v := GroupView{Group: g}
	if v.Policy, err = s.policyCached(ctx, map[int]*drive.Policy{}, g.StoragePolicyID); err != nil {
		return GroupView{}, errs.E(op, err)
	}
	if countUsers {
		if v.TotalUsers, err = s.db.CountGroupUsers(ctx, id); err != nil {
			return GroupView{}, errs.E(op, err)
		}
	}
	return v, nil
}

// SaveGroup creates g (g.ID == 0, create set) or replaces the writable
// fields of group g.ID. Group 1 keeps the admin bit; only group 3 may carry
// the anonymous bit; the policy, when set, must exist.
func (s *Service) SaveGroup(ctx context.Context, actor drive.Actor, g *drive.Group, create, countUsers bool) (GroupView, error) {
	const op = "admin.SaveGroup"
	if err := authorize(op, actor); err != nil {
		return GroupView{}, err
	}
	if err := checkSaveID(op, g.ID, create); err != nil {
		return GroupView{}, err
	}
	if err := checkGroup(op, g); err != nil {
		return GroupView{}, err
	}
	var before *drive.Group
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		if g.StoragePolicyID != 0 {
			if _, err := tx.Policy(ctx, g.StoragePolicyID); errs.Is(errs.NotExist, err) {
				return errs.E(op, ErrPolicyNotExist)
			} else if err != nil {
				return err
			}
		}
		if create {
			if err := tx.InsertGroup(ctx, g); err != nil {
				return err
			}
			return s.record(ctx, tx, actor, "group.create", "group", g.ID, nil, groupAudit(g))
		}
		var err error
		if before, err = tx.Group(ctx, g.ID); err != nil {
			return err
		}
		if err := tx.UpdateGroup(ctx, g); err != nil {
			return err
		}
		if before.Has(drive.PermAdmin) && !g.Has(drive.PermAdmin) {
			if err := ensureAdminRemains(ctx, tx); err != nil {
				return err
			}
		}
		return s.record(ctx, tx, actor, "group.update", "group", g.ID, groupAudit(before), groupAudit(g))
	})
	if err != nil {
		return GroupView{}, errs.E(op, err)
	}
	return s.groupView(ctx, op, g.ID, countUsers)
}

func checkGroup(op string, g *drive.Group) error {
	switch {
	case g.Name == "" || utf8.RuneCountInString(g.Name) > 255 || !utf8.ValidString(g.Name):
		return errs.E(op, errs.Invalid, "Name is required (at most 255 characters)")
	case g.MaxStorage < 0:
		return errs.E(op, errs.Invalid, "MaxStorage must not be negative")
	case g.SpeedLimit < 0:
		return errs.E(op, errs.Invalid, "SpeedLimit must not be negative")
	case g.ID == drive.AdminGroupID && !g.Has(drive.PermAdmin):
		return errs.E(op, errs.Invalid, "the administrators' group must keep the admin permission")
	case g.ID == drive.AnonymousGroupID && g.Has(drive.PermAdmin):
		return errs.E(op, errs.Invalid, "the anonymous group cannot be administrators")
	case g.ID != drive.AnonymousGroupID && g.Has(drive.PermAnonymous):
		return errs.E(op, errs.Invalid, "only the anonymous group carries the anonymous permission")
	case g.ID == drive.AnonymousGroupID && !g.Has(drive.PermAnonymous):
		return errs.E(op, errs.Invalid, "the anonymous group must keep the anonymous permission")
	case len(g.Permissions) > 32:
		return errs.E(op, errs.Invalid, "Permissions is too long")
	}
	gs := g.Settings
	if gs.CompressSize < 0 || gs.DecompressSize < 0 || gs.SourceBatch < 0 || gs.Aria2Batch < 0 ||
		gs.MaxWalkedFiles < 0 || gs.TrashRetention < 0 {
		return errs.E(op, errs.Invalid, "group settings must not be negative")
	}
	return nil
}

// groupAudit is what the audit log keeps of a group.
func groupAudit(g *drive.Group) map[string]any {
	return map[string]any{"name": g.Name, "max_storage": g.MaxStorage, "speed_limit": g.SpeedLimit,
		"permissions": g.Permissions.Bits(), "settings": g.Settings, "storage_policy_id": g.StoragePolicyID}
}

// DeleteGroup soft-deletes group id: never a system group (1–3) or the
// default group of new accounts, never while it has users.
func (s *Service) DeleteGroup(ctx context.Context, actor drive.Actor, id int) error {
	const op = "admin.DeleteGroup"
	if err := authorize(op, actor); err != nil {
		return err
	}
	if id >= drive.AdminGroupID && id <= drive.AnonymousGroupID {
		return errs.E(op, ErrSystemGroup)
	}
	if int64(id) == s.settings.Int("default_group") {
		return errs.E(op, errs.Invalid, "the default group of new accounts cannot be deleted")
	}
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		g, err := tx.Group(ctx, id)
		if err != nil {
			return err
		}
		n, err := tx.CountGroupUsers(ctx, id)
		if err != nil {
			return err
		}
		if n > 0 {
			return errs.E(op, ErrGroupHasUsers, strconv.Itoa(n))
		}
		if err := tx.DeleteGroup(ctx, id); err != nil {
			return err
		}
		return s.record(ctx, tx, actor, "group.delete", "group", id, groupAudit(g), nil)
	})
	if err != nil {
		return errs.E(op, err)
	}
	return nil
}
