package store

import (
	"context"
	"encoding/json"

	"github.com/stratus-drive/stratus/internal/drive"
)

// The bootstrap rows of 80-data-model §8 that have static values. Site
// settings are not here: their defaults and random secrets belong to package
// setting, which inserts them with InsertMissingSettings.
//
// The statements name the columns of migration 1, the schema they run
// against, and skip rows whose id exists, so seeding twice changes nothing.
var (
	seedNode = defineInsertIgnore("seedNode", `INSERT INTO nodes
 (id, created_at, updated_at, status, name, type, capabilities, settings)
 VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, "id")
	seedPolicy = defineInsertIgnore("seedPolicy", `INSERT INTO storage_policies
 (id, created_at, updated_at, name, type, access_key, secret_key, dir_name_rule, file_name_rule, settings)
 VALUES (?, ?, ?, ?, ?, '', '', ?, ?, ?)`, "id")
	seedGroup = defineInsertIgnore("seedGroup", `INSERT INTO "groups"
 (id, created_at, updated_at, name, max_storage, permissions, settings, storage_policy_id)
 VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, "id")
)

// Explicit ids do not move PostgreSQL identity sequences; without this the
// first group created later would collide with group 1.
const pgSetSequence = `SELECT setval(pg_get_serial_sequence($1, 'id'), $2)`

// seedBootstrap inserts the master node, the default storage policy and the
// three system groups.
func seedBootstrap(ctx context.Context, r *runner) error {
	t := now()
	if _, err := r.exec(ctx, seedNode, 1, t, t, "active", "Master", "master",
		[]byte(drive.BoolsetOf(1, 2, 3)), `{"provider":"aria2"}`); err != nil {
		return err
	}
	// The upload directory is relative to the data directory, so that moving
	// the data directory moves the uploads with it.
	if _, err := r.exec(ctx, seedPolicy, 1, t, t, "Default storage policy", "local",
		"uploads/{uid}/{path}", "{uid}_{randomkey8}_{originname}",
		`{"chunk_size":26214400,"pre_allocate":true}`); err != nil {
		return err
	}
	groups := []struct {
		id         int
		name       string
		maxStorage int64
		perms      drive.Boolset
		settings   drive.GroupSettings
		policy     any // nil: no policy
	}{
		{drive.AdminGroupID, "Admin", 1 << 40, drive.BoolsetOf(0, 2, 3, 4, 5, 6, 7, 9, 11, 12, 16),
			drive.GroupSettings{SourceBatch: 1000, Aria2Batch: 50, MaxWalkedFiles: 100000,
				TrashRetention: 604800, RedirectedSource: true}, 1},
		{drive.UserGroupID, "User", 1 << 30, drive.BoolsetOf(2, 7, 11),
			drive.GroupSettings{SourceBatch: 10, Aria2Batch: 1, MaxWalkedFiles: 100000,
				TrashRetention: 604800, RedirectedSource: true}, 1},
		{drive.AnonymousGroupID, "Anonymous", 0, drive.BoolsetOf(1, 7),
			drive.GroupSettings{MaxWalkedFiles: 100000, RedirectedSource: true}, nil},
	}
	for _, g := range groups {
		settings, err := json.Marshal(g.settings)
		if err != nil {
			return err
		}
		if _, err := r.exec(ctx, seedGroup, g.id, t, t, g.name, g.maxStorage, []byte(g.perms),
			string(settings), g.policy); err != nil {
			return err
		}
	}
	if r.d == dialectPostgres {
		for table, maxID := range map[string]int{"nodes": 1, "storage_policies": 1, "groups": drive.AnonymousGroupID} {
			if _, err := r.x.ExecContext(ctx, pgSetSequence, table, maxID); err != nil {
				return err
			}
		}
	}
	return nil
}
