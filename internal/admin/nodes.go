package admin

import (
	"context"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/stratus-drive/stratus/internal/drive"
	"github.com/stratus-drive/stratus/internal/errs"
	"github.com/stratus-drive/stratus/internal/store"
)

// NodeView is a node with the storage policies bound to it.
type NodeView struct {
	Node     *drive.Node
	Policies []*drive.Policy
}

// Nodes lists nodes (60-admin §12).
func (s *Service) Nodes(ctx context.Context, actor drive.Actor, lr ListRequest) ([]NodeView, Pagination, error) {
	const op = "admin.Nodes"
	p, err := lr.authorizedPage(op, actor)
	if err != nil {
		return nil, Pagination{}, err
	}
	ns, total, err := s.db.AdminNodes(ctx, lr.Conditions["node_status"], p)
	if err != nil {
		return nil, Pagination{}, errs.E(op, err)
	}
	out := make([]NodeView, 0, len(ns))
	for _, n := range ns {
		v := NodeView{Node: n}
		if v.Policies, err = s.db.PoliciesOfNode(ctx, n.ID); err != nil {
			return nil, Pagination{}, errs.E(op, err)
		}
		out = append(out, v)
	}
	return out, lr.pagination(total), nil
}

// Node returns node id.
func (s *Service) Node(ctx context.Context, actor drive.Actor, id int) (NodeView, error) {
	const op = "admin.Node"
	if err := authorize(op, actor); err != nil {
		return NodeView{}, err
	}
	return s.nodeView(ctx, op, id)
}

func (s *Service) nodeView(ctx context.Context, op string, id int) (NodeView, error) {
	n, err := s.db.NodeByID(ctx, id)
	if err != nil {
		return NodeView{}, errs.E(op, err)
	}
	v := NodeView{Node: n}
	if v.Policies, err = s.db.PoliciesOfNode(ctx, id); err != nil {
		return NodeView{}, errs.E(op, err)
	}
	return v, nil
}

func checkNode(op string, n *drive.Node) error {
	if n.Name == "" || utf8.RuneCountInString(n.Name) > 255 || !utf8.ValidString(n.Name) {
		return errs.E(op, errs.Invalid, "Name is required (at most 255 characters)")
	}
	if n.Status == "" {
		n.Status = drive.NodeActive
	}
	if n.Status != drive.NodeActive && n.Status != drive.NodeSuspended {
		return errs.E(op, errs.Invalid, "Status must be active or suspended")
	}
	if n.Weight < 0 {
		return errs.E(op, errs.Invalid, "Weight must not be negative")
	}
	if n.Type == drive.NodeSlave {
		u, err := url.Parse(n.Server)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return errs.E(op, errs.Invalid, "Server must be an http(s) URL")
		}
		if len(n.SlaveKey) < 16 || strings.TrimSpace(n.SlaveKey) != n.SlaveKey {
			return errs.E(op, errs.Invalid, "SlaveKey must be at least 16 characters")
		}
	}
	if len(n.Capabilities) > 8 {
		return errs.E(op, errs.Invalid, "Capabilities is too long")
	}
	return nil
}

// SaveNode creates a slave node (create set: the type is always slave) or
// edits node n.ID (the type never changes; the master node stays active).
func (s *Service) SaveNode(ctx context.Context, actor drive.Actor, n *drive.Node, create bool) (NodeView, error) {
	const op = "admin.SaveNode"
	if err := authorize(op, actor); err != nil {
		return NodeView{}, err
	}
	if err := checkSaveID(op, n.ID, create); err != nil {
		return NodeView{}, err
	}
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		if create {
			n.Type = drive.NodeSlave
			if err := checkNode(op, n); err != nil {
				return err
			}
			if err := tx.InsertNode(ctx, n); err != nil {
				return err
			}
			return s.record(ctx, tx, actor, "node.create", "node", n.ID, nil, nodeAudit(n))
		}
		before, err := tx.NodeByID(ctx, n.ID)
		if err != nil {
			return err
		}
		n.Type = before.Type
		if err := checkNode(op, n); err != nil {
			return err
		}
		if n.Type == drive.NodeMaster && n.Status != drive.NodeActive {
			return errs.E(op, ErrMasterNode, "the master node cannot be suspended")
		}
		if err := tx.UpdateNode(ctx, n); err != nil {
			return err
		}
		return s.record(ctx, tx, actor, "node.update", "node", n.ID, nodeAudit(before), nodeAudit(n))
	})
	if err != nil {
		return NodeView{}, errs.E(op, err)
	}
	if !create {
		// Policies embed their node; what was built from them is stale.
		if err := s.settings.BumpPolicyVersion(ctx); err != nil {
			return NodeView{}, errs.E(op, err)
		}
	}
	return s.nodeView(ctx, op, n.ID)
}

func nodeAudit(n *drive.Node) map[string]any {
	return map[string]any{"name": n.Name, "type": n.Type, "status": n.Status, "server": n.Server,
		"capabilities": n.Capabilities.Bits(), "weight": n.Weight, "settings": n.Settings}
}

// DeleteNode soft-deletes node id: never the master, never while storage
// policies are bound to it (the message lists them).
func (s *Service) DeleteNode(ctx context.Context, actor drive.Actor, id int) error {
	const op = "admin.DeleteNode"
	if err := authorize(op, actor); err != nil {
		return err
	}
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		n, err := tx.NodeByID(ctx, id)
		if err != nil {
			return err
		}
		if n.Type == drive.NodeMaster {
			return ErrMasterNode
		}
		ps, err := tx.PoliciesOfNode(ctx, id)
		if err != nil {
			return err
		}
		if len(ps) > 0 {
			names := make([]string, len(ps))
			for i, p := range ps {
				names[i] = p.Name
			}
			return errs.E(op, ErrNodeHasPolicies, strings.Join(names, ","))
		}
		if err := tx.DeleteNode(ctx, id); err != nil {
			return err
		}
		return s.record(ctx, tx, actor, "node.delete", "node", id, nodeAudit(n), nil)
	})
	if err != nil {
		return errs.E(op, err)
	}
	return nil
}
