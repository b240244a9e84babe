package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"reflect"
	"strings"

	"github.com/stratus-drive/stratus/internal/drive"
)

const policyColumns = `id, name, type, server, bucket_name, is_private, access_key, secret_key, max_size,
 dir_name_rule, file_name_rule, settings, node_id, created_at, updated_at`

var policyByID = define("Policy",
	`SELECT `+policyColumns+` FROM storage_policies WHERE id = ? AND deleted_at IS NULL`)

// Policy returns storage policy id, or errs.NotExist.
func (r *runner) Policy(ctx context.Context, id int) (*drive.Policy, error) {
	const op = "store.Policy"
	p, err := scanPolicy(r.row(ctx, policyByID, id))
	return p, classify(op, err)
}

var policyIDs = define("PolicyIDs", `SELECT id FROM storage_policies WHERE deleted_at IS NULL ORDER BY id`)

// PolicyIDs returns the IDs of every storage policy.
func (r *runner) PolicyIDs(ctx context.Context) ([]int, error) {
	ids, err := column[int](ctx, r, policyIDs)
	return ids, classify("store.PolicyIDs", err)
}

func scanPolicy(s scanner) (*drive.Policy, error) {
	var (
		p        drive.Policy
		settings string
		node     sql.NullInt64
	)
	err := s.Scan(&p.ID, &p.Name, &p.Type, &p.Server, &p.BucketName, &p.IsPrivate, &p.AccessKey,
		&p.SecretKey, &p.MaxSize, &p.DirNameRule, &p.FileNameRule, &settings, &node,
		&p.CreatedAt, &p.UpdatedAt)
	if err != nil {
		return nil, err
	}
	if p.Settings, err = decodePolicySettings(settings); err != nil {
		return nil, err
	}
	p.NodeID = int(node.Int64)
	// Drivers hand times back in the session's or the process's zone.
	p.CreatedAt, p.UpdatedAt = p.CreatedAt.UTC(), p.UpdatedAt.UTC()
	return &p, nil
}

// policyTypedKeys are the JSON keys drive.PolicySettings has fields for; the
// rest of a stored document goes to its Extra map, so that drivers can read
// their own keys and a later save can write them back.
var policyTypedKeys = jsonKeys(reflect.TypeFor[drive.PolicySettings]())

func decodePolicySettings(text string) (drive.PolicySettings, error) {
	var ps drive.PolicySettings
	if text == "" {
		return ps, nil
	}
	if err := json.Unmarshal([]byte(text), &ps); err != nil {
		return ps, err
	}
	var all map[string]any
	if err := json.Unmarshal([]byte(text), &all); err != nil {
		return ps, err
	}
	for k, v := range all {
		if _, typed := policyTypedKeys[k]; !typed {
			if ps.Extra == nil {
				ps.Extra = make(map[string]any)
			}
			ps.Extra[k] = v
		}
	}
	return ps, nil
}

// jsonKeys lists the JSON names of t's fields.
func jsonKeys(t reflect.Type) map[string]struct{} {
	keys := make(map[string]struct{})
	for f := range t.Fields() {
		tag := f.Tag.Get("json")
		if tag == "-" || !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		if name == "" {
			name = f.Name
		}
		keys[name] = struct{}{}
	}
	return keys
}
