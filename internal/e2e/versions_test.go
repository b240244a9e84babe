package e2e

import (
	"bytes"
	"testing"

	"github.com/stratus-drive/stratus/internal/testenv"
)

func TestVersionsAndInfo(t *testing.T) {
	t.Parallel()
	testenv.EachDialect(t, testenv.Options{}, func(t *testing.T, env *testenv.Env) {
		alice, login := env.Client().NewUser(t, "alice@example.com")
		aliceID := login.User["id"].(string)
		alice.OK(t, "PATCH", "/user/setting", map[string]any{"version_retention_enabled": true, "version_retention_max": 0})

		const uri = "cloudreve://my/docs/v.txt"
		v1, v2, v3 := []byte("one"), []byte("two!!"), []byte("three!!")
		upload(t, alice, uri, v1, nil)
		upload(t, alice, uri, v2, map[string]any{"entity_type": "version"})
		upload(t, alice, uri, v3, map[string]any{"entity_type": "version"})
		upload(t, alice, "cloudreve://my/docs/deeper/other.txt", []byte("0123456789"), nil)
		create(t, alice, "cloudreve://my/docs/deeper/empty", "folder")

		d := info(t, alice, uri, "&extended=true")
		x := d.ExtendedInfo
		if x == nil || len(x.Entities) != 3 || x.StorageUsed != 15 || x.StoragePolicy == nil || x.StoragePolicy.Type != "local" {
			t.Fatalf("extended info = %+v", x)
		}
		if d.Size != 7 || d.PrimaryEntity != x.Entities[0].ID || x.Entities[0].Size != 7 || x.Entities[2].Size != 3 {
			t.Errorf("entities not newest first: %+v, primary %s", x.Entities, d.PrimaryEntity)
		}
		e := x.Entities[1]
		if e.Type != 0 || e.StoragePolicy == nil || e.CreatedBy == nil || e.CreatedBy.ID != aliceID || e.CreatedBy.Email != "" {
			t.Errorf("entity = %+v", e)
		}
		first, second, current := x.Entities[2].ID, x.Entities[1].ID, x.Entities[0].ID
		if d := info(t, alice, uri, ""); d.ExtendedInfo != nil || d.FolderSummary != nil {
			t.Errorf("info without flags = %+v", d)
		}

		// Folder summary: recursive, owner only, folders only.
		s := info(t, alice, "cloudreve://my/docs", "&folder_summary=true&extended=true")
		if fs := s.FolderSummary; fs == nil || fs.Size != 25 || fs.Files != 2 || fs.Folders != 2 || !fs.Completed || fs.CalculatedAt.IsZero() {
			t.Errorf("folder summary = %+v", s.FolderSummary)
		}
		if s.ExtendedInfo == nil || s.ExtendedInfo.StorageUsed != 0 || len(s.ExtendedInfo.Entities) != 0 {
			t.Errorf("folder extended info = %+v", s.ExtendedInfo)
		}
		if d := info(t, alice, uri, "&folder_summary=true"); d.FolderSummary != nil {
			t.Errorf("file with a folder summary: %+v", d.FolderSummary)
		}
		var byID fileDetails
		alice.OK(t, "GET", "/file/info?id="+d.ID+"&extended=true", nil).Decode(t, &byID)
		if byID.ExtendedInfo == nil || len(byID.ExtendedInfo.Entities) != 3 {
			t.Errorf("extended info by id = %+v", byID.ExtendedInfo)
		}

		// Set the current version back to the first.
		req := func(version string) map[string]any { return map[string]any{"uri": uri, "version": version} }
		alice.OK(t, "POST", "/file/version/current", req(first))
		d = info(t, alice, uri, "")
		if d.Size != 3 || d.PrimaryEntity != first {
			t.Errorf("after set current: size %d primary %s", d.Size, d.PrimaryEntity)
		}
		if _, body := fetch(t, downloadURL(t, alice, uri, nil), nil); !bytes.Equal(body, v1) {
			t.Errorf("current content = %q", body)
		}
		alice.OK(t, "POST", "/file/version/current", req(first)) // already current
		alice.ExpectCode(t, 40001, "POST", "/file/version/current", req("garbage"))
		alice.ExpectCode(t, 40001, "POST", "/file/version/current", map[string]any{"uri": uri})
		other := info(t, alice, "cloudreve://my/docs/deeper/other.txt", "").PrimaryEntity
		alice.ExpectCode(t, 40077, "POST", "/file/version/current", req(other))
		alice.ExpectCode(t, 403, "POST", "/file/version/current", map[string]any{"uri": "cloudreve://my/docs", "version": first})
		alice.ExpectCode(t, 40016, "POST", "/file/version/current", map[string]any{"uri": "cloudreve://my/nope", "version": first})
		env.Client().ExpectCode(t, 401, "POST", "/file/version/current", req(first))

		// Delete versions: never the current one; the bytes come back.
		if used := capacityUsed(t, alice); used != 25 {
			t.Fatalf("used = %d", used)
		}
		alice.ExpectCode(t, 403, "DELETE", "/file/version", req(first))
		alice.OK(t, "DELETE", "/file/version", req(second))
		alice.ExpectCode(t, 40077, "DELETE", "/file/version", req(second))
		if used := capacityUsed(t, alice); used != 20 {
			t.Errorf("used after deleting a version = %d", used)
		}
		if x := info(t, alice, uri, "&extended=true").ExtendedInfo; len(x.Entities) != 2 || x.StorageUsed != 10 {
			t.Errorf("after delete = %+v", x)
		}

		// Deleting the placeholder of an upload in flight cancels it.
		sess := startUpload(t, alice, uri, 4, map[string]any{"entity_type": "version"})
		x = info(t, alice, uri, "&extended=true").ExtendedInfo
		if len(x.Entities) != 3 || capacityUsed(t, alice) != 24 {
			t.Fatalf("with an upload in flight: %+v", x)
		}
		placeholder := x.Entities[0].ID
		alice.ExpectCode(t, 40077, "POST", "/file/version/current", req(placeholder))
		alice.OK(t, "DELETE", "/file/version", req(placeholder))
		d = info(t, alice, uri, "&extended=true")
		if len(d.ExtendedInfo.Entities) != 2 || d.Metadata["sys:upload_session_id"] != "" || capacityUsed(t, alice) != 20 {
			t.Errorf("after deleting the placeholder: %+v %v", d.ExtendedInfo, d.Metadata)
		}
		if e := putChunk(t, alice, sess.SessionID, 0, []byte("four")); e.Code != 40011 {
			t.Errorf("chunk to a cancelled upload: code %d", e.Code)
		}
		alice.OK(t, "DELETE", "/file/version", req(current))
		if used := capacityUsed(t, alice); used != 13 {
			t.Errorf("used at the end = %d", used)
		}
	})
}
