package store

import (
	"context"
	"database/sql"

	"github.com/stratus-drive/stratus/internal/drive"
)

const groupColumns = `id, name, max_storage, speed_limit, permissions, settings, storage_policy_id, created_at, updated_at`

var (
	groupByID = define("Group",
		`SELECT `+groupColumns+` FROM "groups" WHERE id = ? AND deleted_at IS NULL`)
	groupsAll = define("Groups",
		`SELECT `+groupColumns+` FROM "groups" WHERE deleted_at IS NULL ORDER BY id`)
)

// Group returns group id, or errs.NotExist.
func (r *runner) Group(ctx context.Context, id int) (*drive.Group, error) {
	const op = "store.Group"
	g, err := scanGroup(r.row(ctx, groupByID, id))
	return g, classify(op, err)
}

// Groups returns every group in id order.
func (r *runner) Groups(ctx context.Context) ([]*drive.Group, error) {
	const op = "store.Groups"
	rows, err := r.rows(ctx, groupsAll)
	if err != nil {
		return nil, classify(op, err)
	}
	defer rows.Close()
	var gs []*drive.Group
	for rows.Next() {
		g, err := scanGroup(rows)
		if err != nil {
			return nil, classify(op, err)
		}
		gs = append(gs, g)
	}
	return gs, classify(op, rows.Err())
}

func scanGroup(s scanner) (*drive.Group, error) {
	var (
		g        drive.Group
		perms    []byte
		settings string
		policy   sql.NullInt64
	)
	err := s.Scan(&g.ID, &g.Name, &g.MaxStorage, &g.SpeedLimit, &perms, &settings, &policy,
		&g.CreatedAt, &g.UpdatedAt)
	if err != nil {
		return nil, err
	}
	if err := decodeDoc(settings, &g.Settings); err != nil {
		return nil, err
	}
	g.Permissions = drive.Boolset(perms)
	g.StoragePolicyID = int(policy.Int64)
	// Drivers hand times back in the session's or the process's zone.
	g.CreatedAt, g.UpdatedAt = g.CreatedAt.UTC(), g.UpdatedAt.UTC()
	return &g, nil
}

var updateGroupPermissions = define("UpdateGroupPermissions",
	`UPDATE "groups" SET permissions = ?, updated_at = ? WHERE id = ?`)

// UpdateGroupPermissions replaces the permission bits of group id.
func (r *runner) UpdateGroupPermissions(ctx context.Context, id int, perms drive.Boolset) error {
	const op = "store.UpdateGroupPermissions"
	return classify(op, r.update(ctx, updateGroupPermissions, []byte(perms), now(), id))
}
