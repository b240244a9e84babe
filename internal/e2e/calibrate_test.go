package e2e

import (
	"context"
	"testing"

	"github.com/stratus-drive/stratus/internal/store"
	"github.com/stratus-drive/stratus/internal/testenv"
)

// TestCapacityCalibration drifts a user's usage counter behind the server's
// back and checks that calibration recomputes it from the linked blobs.
func TestCapacityCalibration(t *testing.T) {
	testenv.EachDialect(t, testenv.Options{}, func(t *testing.T, env *testenv.Env) {
		ctx := context.Background()
		c := env.Client()
		c.NewUser(t, "root@example.com")
		alice, _ := c.NewUser(t, "alice@example.com")
		upload(t, alice, "cloudreve://my/a.bin", make([]byte, 1000), nil)
		create(t, alice, "cloudreve://my/copies", "folder")
		alice.OK(t, "POST", "/file/move", map[string]any{"uris": []string{"cloudreve://my/a.bin"}, "dst": "cloudreve://my/copies", "copy": true})
		startUpload(t, alice, "cloudreve://my/pending.bin", 500, nil) // reserved space counts
		want := int64(2*1000 + 500)
		if used := capacityUsed(t, alice); used != want {
			t.Fatalf("used = %d, want %d", used, want)
		}

		db, err := store.Open(ctx, env.Config.Database, env.Config.System.DataDir)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		u, err := db.UserByEmail(ctx, "alice@example.com")
		if err != nil {
			t.Fatal(err)
		}
		if err := db.UserStorageAdd(ctx, u.ID, 123456); err != nil {
			t.Fatal(err)
		}
		if used := capacityUsed(t, alice); used != want+123456 {
			t.Fatalf("drift not visible: %d", used)
		}
		n, err := env.Server.Files().CalibrateCapacity(ctx)
		if err != nil || n != 2 {
			t.Fatalf("CalibrateCapacity = %d, %v", n, err)
		}
		if used := capacityUsed(t, alice); used != want {
			t.Errorf("used after calibration = %d, want %d", used, want)
		}
	})
}
