package e2e

import (
	"testing"

	"github.com/stratus-drive/stratus/internal/testenv"
)

// TestUploadLockAndForceUnlock: a pending upload locks its file; a second
// upload gets 40073 with the lock's token, and force unlock with that token
// cancels the stuck upload so the second one can start.
func TestUploadLockAndForceUnlock(t *testing.T) {
	testenv.EachDialect(t, testenv.Options{}, func(t *testing.T, env *testenv.Env) {
		c := env.Client()
		c.NewUser(t, "root@example.com")
		alice, _ := c.NewUser(t, "alice@example.com")
		bob, _ := c.NewUser(t, "bob@example.com")
		upload(t, alice, "cloudreve://my/doc.txt", []byte("v1"), nil)
		stuck := startUpload(t, alice, "cloudreve://my/doc.txt", 5, map[string]any{"entity_type": "version"})

		e := alice.ExpectCode(t, 40073, "PUT", "/file/upload", map[string]any{"uri": "cloudreve://my/doc.txt", "size": 2, "entity_type": "version"})
		var locks []struct {
			Path  string `json:"path"`
			Token string `json:"token"`
			Owner struct {
				Application struct{ Type string } `json:"application"`
			} `json:"owner"`
		}
		e.Decode(t, &locks)
		if len(locks) != 1 || locks[0].Token != stuck.SessionID || locks[0].Owner.Application.Type != "upload" ||
			locks[0].Path != "cloudreve://my/doc.txt" {
			t.Fatalf("lock conflict data = %+v", locks)
		}
		// Tokens are the owner's: others cannot unlock, and unknown tokens fail.
		bob.ExpectCode(t, 40001, "DELETE", "/file/lock", map[string]any{"tokens": []string{stuck.SessionID}})
		alice.ExpectCode(t, 40001, "DELETE", "/file/lock", map[string]any{"tokens": []string{stuck.SessionID, "nope"}})
		alice.OK(t, "DELETE", "/file/lock", map[string]any{"tokens": []string{stuck.SessionID}})
		upload(t, alice, "cloudreve://my/doc.txt", []byte("v2"), map[string]any{"entity_type": "version"})
		_, body := fetch(t, downloadURL(t, alice, "cloudreve://my/doc.txt", nil), nil)
		if string(body) != "v2" {
			t.Errorf("content = %q", body)
		}
		if used := capacityUsed(t, alice); used != 4 {
			t.Errorf("used = %d, want 4 (two kept versions)", used)
		}
	})
}
