package admin

import (
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/stratus-drive/stratus/internal/drive"
	"github.com/stratus-drive/stratus/internal/errs"
	"github.com/stratus-drive/stratus/internal/storage"
	"github.com/stratus-drive/stratus/internal/store"
)

// PolicyView is a storage policy with its node and the groups using it,
// and, when counted, the blobs it stores.
type PolicyView struct {
	Policy        *drive.Policy
	Node          *drive.Node
	Groups        []*drive.Group
	EntitiesCount int
	EntitiesSize  int64
}

// Policies lists storage policies (60-admin §11.1).
func (s *Service) Policies(ctx context.Context, actor drive.Actor, lr ListRequest) ([]PolicyView, Pagination, error) {
	const op = "admin.Policies"
	p, err := lr.authorizedPage(op, actor)
	if err != nil {
		return nil, Pagination{}, err
	}
	ps, total, err := s.db.AdminPolicies(ctx, lr.Conditions["policy_type"], p)
	if err != nil {
		return nil, Pagination{}, errs.E(op, err)
	}
	out := make([]PolicyView, 0, len(ps))
	for _, pol := range ps {
		v, err := s.policyView(ctx, pol, false)
		if err != nil {
			return nil, Pagination{}, errs.E(op, err)
		}
		out = append(out, v)
	}
	return out, lr.pagination(total), nil
}

func (s *Service) policyView(ctx context.Context, p *drive.Policy, count bool) (PolicyView, error) {
	v := PolicyView{Policy: p}
	var err error
	if p.NodeID != 0 {
		if v.Node, err = s.db.NodeByID(ctx, p.NodeID); errs.Is(errs.NotExist, err) {
			v.Node, err = nil, nil
		}
		if err != nil {
			return v, err
		}
	}
	if v.Groups, err = s.db.GroupsOfPolicy(ctx, p.ID); err != nil {
		return v, err
	}
	if count {
		if v.EntitiesCount, v.EntitiesSize, err = s.db.PolicyUsage(ctx, p.ID); err != nil {
			return v, err
		}
	}
	return v, nil
}

// Policy returns policy id, read from the database (never a cache).
func (s *Service) Policy(ctx context.Context, actor drive.Actor, id int, count bool) (PolicyView, error) {
	const op = "admin.Policy"
	if err := authorize(op, actor); err != nil {
		return PolicyView{}, err
	}
	p, err := s.db.Policy(ctx, id)
	if errs.Is(errs.NotExist, err) {
		return PolicyView{}, errs.E(op, ErrPolicyNotExist)
	} else if err != nil {
		return PolicyView{}, errs.E(op, err)
	}
	v, err := s.policyView(ctx, p, count)
	if err != nil {
		return PolicyView{}, errs.E(op, err)
	}
	return v, nil
}

// checkPolicy validates p: a driver type this build has (other types are
// refused until their driver lands), a name, save-path rules that make valid
// keys, and settings the driver accepts (the driver is built once to prove
// it).
func (s *Service) checkPolicy(ctx context.Context, op string, p *drive.Policy) error {
	if !slices.Contains(s.drivers.Types(), p.Type) {
		return errs.E(op, errs.Invalid, "Unsupported policy type; this server has: "+strings.Join(s.drivers.Types(), ", "))
	}
	if p.Name == "" || utf8.RuneCountInString(p.Name) > 255 || !utf8.ValidString(p.Name) {
		return errs.E(op, errs.Invalid, "Name is required (at most 255 characters)")
	}
	if p.MaxSize < 0 || p.Settings.ChunkSize < 0 || p.Settings.ChunkConcurrency < 0 {
		return errs.E(op, errs.Invalid, "sizes must not be negative")
	}
	if p.DirNameRule == "" {
		p.DirNameRule = storage.DefaultDirRule
	}
	if p.FileNameRule == "" {
		p.FileNameRule = storage.DefaultNameRule
	}
	kt := storage.KeyTemplate{DirRule: p.DirNameRule, NameRule: p.FileNameRule}
	if _, err := kt.Expand(storage.KeyInput{UID: 1, Path: "/a/b", Name: "file.txt", Time: time.Now()}); err != nil {
		return errs.E(op, errs.Invalid, "the save-path rules do not make a valid key")
	}
	if p.NodeID != 0 {
		if _, err := s.db.NodeByID(ctx, p.NodeID); errs.Is(errs.NotExist, err) {
			return errs.E(op, errs.Invalid, "the node does not exist")
		} else if err != nil {
			return errs.E(op, err)
		}
	}
	raw, err := json.Marshal(p.Settings.Extra)
	if err != nil {
		return errs.E(op, errs.Invalid, "settings are not valid")
	}
	if _, err := s.drivers.New(p.Type, raw, s.env); err != nil {
		if errs.Is(errs.Invalid, err) {
			return errs.E(op, errs.Invalid, "the driver refuses these settings: "+errs.Detail(err))
		}
		return errs.E(op, err)
	}
	return nil
}

// SavePolicy creates p (create set; its ID is ignored) or replaces policy
// id. An edit applies in every process on its next request: the policy
// version setting changes, and drivers built from the old row are rebuilt.
func (s *Service) SavePolicy(ctx context.Context, actor drive.Actor, id int, p *drive.Policy, create bool) (PolicyView, error) {
	const op = "admin.SavePolicy"
	if err := authorize(op, actor); err != nil {
		return PolicyView{}, err
	}
	p.ID = id
	if create {
		p.ID = 0
	}
	if err := s.checkPolicy(ctx, op, p); err != nil {
		return PolicyView{}, err
	}
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		if create {
			if err := tx.InsertPolicy(ctx, p); err != nil {
				return err
			}
			return s.record(ctx, tx, actor, "policy.create", "policy", p.ID, nil, policyAudit(p))
		}
		before, err := tx.Policy(ctx, p.ID)
		if errs.Is(errs.NotExist, err) {
			return ErrPolicyNotExist
		} else if err != nil {
			return err
		}
		if err := tx.UpdatePolicy(ctx, p); err != nil {
			return err
		}
		return s.record(ctx, tx, actor, "policy.update", "policy", p.ID, policyAudit(before), policyAudit(p))
	})
	if err != nil {
		return PolicyView{}, errs.E(op, err)
	}
	if !create {
		if err := s.settings.BumpPolicyVersion(ctx); err != nil {
			return PolicyView{}, errs.E(op, err)
		}
	}
	fresh, err := s.db.Policy(ctx, p.ID)
	if err != nil {
		return PolicyView{}, errs.E(op, err)
	}
	v, err := s.policyView(ctx, fresh, false)
	if err != nil {
		return PolicyView{}, errs.E(op, err)
	}
	return v, nil
}

// policyAudit is what the audit log keeps of a policy (no secrets).
func policyAudit(p *drive.Policy) map[string]any {
	return map[string]any{"name": p.Name, "type": p.Type, "server": p.Server, "bucket_name": p.BucketName,
		"max_size": p.MaxSize, "dir_name_rule": p.DirNameRule, "file_name_rule": p.FileNameRule,
		"settings": p.Settings, "node_id": p.NodeID}
}

// DeletePolicy soft-deletes policy id (60-admin §11.1): never policy 1,
// never while groups use it or blobs are stored on it.
func (s *Service) DeletePolicy(ctx context.Context, actor drive.Actor, id int) error {
	const op = "admin.DeletePolicy"
	if err := authorize(op, actor); err != nil {
		return err
	}
	if id == 1 {
		return errs.E(op, ErrDefaultPolicy)
	}
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		p, err := tx.Policy(ctx, id)
		if errs.Is(errs.NotExist, err) {
			return ErrPolicyNotExist
		} else if err != nil {
			return err
		}
		groups, err := tx.GroupsOfPolicy(ctx, id)
		if err != nil {
			return err
		}
		if len(groups) > 0 {
			return errs.E(op, ErrPolicyHasGroups, strconv.Itoa(len(groups)))
		}
		n, _, err := tx.PolicyUsage(ctx, id)
		if err != nil {
			return err
		}
		if n > 0 {
			return ErrPolicyHasBlobs
		}
		if err := tx.DeletePolicy(ctx, id); err != nil {
			return err
		}
		return s.record(ctx, tx, actor, "policy.delete", "policy", id, policyAudit(p), nil)
	})
	if err != nil {
		return errs.E(op, err)
	}
	if err := s.settings.BumpPolicyVersion(ctx); err != nil {
		return errs.E(op, err)
	}
	return nil
}
