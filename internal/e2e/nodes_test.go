package e2e

import (
	"context"
	"testing"

	"github.com/stratus-drive/stratus/internal/drive"
	"github.com/stratus-drive/stratus/internal/store"
	"github.com/stratus-drive/stratus/internal/testenv"
)

// TestNodes: the node list is empty unless the group may select nodes
// (bit 13); then it shows the master with the capabilities this server
// serves: none, until the workflow routes exist (the seed gives it 1–3).
func TestNodes(t *testing.T) {
	testenv.EachDialect(t, testenv.Options{}, func(t *testing.T, env *testenv.Env) {
		c := env.Client()
		admin, _ := c.NewUser(t, "root@example.com")
		c.ExpectCode(t, 401, "GET", "/user/setting/nodes", nil)
		var nodes []map[string]any
		admin.OK(t, "GET", "/user/setting/nodes", nil).Decode(t, &nodes)
		if len(nodes) != 0 {
			t.Fatalf("nodes without bit 13 = %v", nodes)
		}

		ctx := context.Background()
		db, err := store.Open(ctx, env.Config.Database, env.Config.System.DataDir)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		g, err := db.Group(ctx, drive.AdminGroupID)
		if err != nil {
			t.Fatal(err)
		}
		if err := db.UpdateGroupPermissions(ctx, g.ID, g.Permissions.With(int(drive.PermSelectNode))); err != nil {
			t.Fatal(err)
		}
		admin.OK(t, "GET", "/user/setting/nodes", nil).Decode(t, &nodes)
		if len(nodes) != 1 || nodes[0]["name"] != "Master" || nodes[0]["type"] != "master" || nodes[0]["capabilities"] != "" {
			t.Errorf("nodes = %v", nodes)
		}
	})
}
