package e2e

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stratus-drive/stratus/internal/testenv"
)

func TestAdminFilesAndBlobs(t *testing.T) {
	t.Parallel()
	testenv.EachDialect(t, testenv.Options{}, func(t *testing.T, env *testenv.Env) {
		admin, user := adminUsers(t, env)
		upload(t, user, "cloudreve://my/docs/report.txt", []byte("quarterly figures"), nil)
		upload(t, user, "cloudreve://my/docs/notes.md", []byte("notes"), nil)
		upload(t, admin, "cloudreve://my/mine.txt", []byte("admin's own"), nil)
		user.OK(t, "PATCH", "/file/metadata", map[string]any{"uris": []string{"cloudreve://my/docs/report.txt"},
			"patches": []any{patch("tag:work", "#fff"), patch("tag:q3", "#000")}})
		createShare(t, user, map[string]any{"uri": "cloudreve://my/docs/report.txt"})
		directLinks(t, user, "cloudreve://my/docs/report.txt")

		// Files only, across users, with conditions.
		files, p := adminList[adminFile](t, admin, "/admin/file", listBody(1, 10, nil), "files")
		if len(files) != 3 || p.TotalItems != 3 {
			t.Fatalf("files = %+v", files)
		}
		files, _ = adminList[adminFile](t, admin, "/admin/file", listBody(1, 10, map[string]string{"file_name": "REPORT",
			"file_user": "2"}), "files")
		if len(files) != 1 {
			t.Fatalf("report = %+v", files)
		}
		report := files[0]
		if report.Size != 17 || report.UserHashID == "" || report.FileHashID == "" || report.Edges.Owner == nil ||
			len(report.Edges.Entities) != 1 || len(report.Edges.Metadata) != 2 || len(report.Edges.Shares) != 1 ||
			len(report.Edges.DirectLinks) != 1 {
			t.Errorf("report = %+v", report)
		}
		for conds, want := range map[string]int{"file_shared": 1, "file_direct_link": 1, "file_metadata": 1} {
			v := "1"
			if conds == "file_metadata" {
				v = "tag:q3"
			}
			got, _ := adminList[adminFile](t, admin, "/admin/file", listBody(1, 10, map[string]string{conds: v}), "files")
			if len(got) != want {
				t.Errorf("%s: %d files", conds, len(got))
			}
		}
		got, _ := adminList[adminFile](t, admin, "/admin/file", map[string]any{"page": 1, "page_size": 10,
			"order_by": "size", "order_direction": "desc"}, "files")
		if got[0].Name != "report.txt" || got[2].Name != "notes.md" {
			t.Errorf("by size = %v, %v, %v", got[0].Name, got[1].Name, got[2].Name)
		}
		admin.ExpectCode(t, 40001, "POST", "/admin/file", listBody(1, 10, map[string]string{"file_user": "x"}))

		var one adminFile
		admin.OK(t, "GET", fmt.Sprintf("/admin/file/%d", report.ID), nil).Decode(t, &one)
		if len(one.DirectLinkMap) != 1 || one.Edges.Entities[0].Edges.StoragePolicy == nil {
			t.Errorf("file = %+v", one)
		}
		for _, link := range one.DirectLinkMap {
			if !strings.Contains(link, "/f/") {
				t.Errorf("direct link %q", link)
			}
		}
		admin.ExpectCode(t, 404, "GET", "/admin/file/9999", nil)

		// The file's URL serves its content.
		var u string
		admin.OK(t, "GET", fmt.Sprintf("/admin/file/url/%d", report.ID), nil).Decode(t, &u)
		if body := fetchBody(t, env, u); body != "quarterly figures" {
			t.Errorf("file URL serves %q", body)
		}
		var folders []adminFile
		folders, _ = adminList[adminFile](t, admin, "/admin/file", listBody(1, 10, map[string]string{"file_name": "docs"}), "files")
		if len(folders) != 0 {
			t.Errorf("folders listed: %+v", folders)
		}

		// Edit: rename, keep one metadata entry, drop the direct link.
		edit := map[string]any{"id": report.ID, "name": "renamed.txt",
			"edges": map[string]any{"metadata": []any{map[string]any{"name": "tag:work", "value": "#123"}}}}
		// Omitted fields are zero: decode into a fresh value.
		one = adminFile{}
		admin.OK(t, "PUT", fmt.Sprintf("/admin/file/%d", report.ID), map[string]any{"file": edit}).Decode(t, &one)
		if one.Name != "renamed.txt" || len(one.Edges.Metadata) != 1 || one.Edges.Metadata[0].Value != "#123" ||
			len(one.Edges.DirectLinks) != 0 {
			t.Errorf("edited = %+v", one)
		}
		edit["name"] = "notes.md"
		admin.ExpectCode(t, 40004, "PUT", "/admin/file/0", map[string]any{"file": edit})
		edit["name"] = "a/b"
		admin.ExpectCode(t, 40052, "PUT", "/admin/file/0", map[string]any{"file": edit})

		// Blobs.
		entities, _ := adminList[adminEntity](t, admin, "/admin/entity", listBody(1, 10, map[string]string{"entity_user": "2"}), "entities")
		if len(entities) != 2 || entities[0].UserHashID == "" || entities[0].Edges.User == nil ||
			entities[0].Edges.StoragePolicy == nil {
			t.Fatalf("user's blobs = %+v", entities)
		}
		entities, _ = adminList[adminEntity](t, admin, "/admin/entity", map[string]any{"page": 1, "page_size": 10,
			"order_by": "size", "order_direction": "asc", "conditions": map[string]string{"entity_type": "0", "entity_policy": "1"}}, "entities")
		if len(entities) != 3 || entities[0].Size != 5 {
			t.Errorf("blobs by size = %+v", entities)
		}
		var blob adminEntity
		admin.OK(t, "GET", fmt.Sprintf("/admin/entity/%d", one.Edges.Entities[0].ID), nil).Decode(t, &blob)
		if len(blob.Edges.File) != 1 || blob.UserHashIDMap["2"] == "" {
			t.Errorf("blob = %+v", blob)
		}
		admin.OK(t, "GET", fmt.Sprintf("/admin/entity/url/%d", blob.ID), nil).Decode(t, &u)
		if body := fetchBody(t, env, u); body != "quarterly figures" {
			t.Errorf("blob URL serves %q", body)
		}
		admin.ExpectCode(t, 404, "GET", "/admin/entity/9999", nil)

		// Shares.
		shares, _ := adminList[adminShare](t, admin, "/admin/share", listBody(1, 10, map[string]string{"share_user_id": "2"}), "shares")
		if len(shares) != 1 || !strings.Contains(shares[0].ShareLink, "/s/") || shares[0].Edges.File == nil ||
			shares[0].Edges.User == nil {
			t.Fatalf("shares = %+v", shares)
		}
		admin.ExpectCode(t, 40001, "POST", "/admin/share", listBody(1, 10, map[string]string{"share_id": "1,x"}))
		if got, _ := adminList[adminShare](t, admin, "/admin/share", listBody(1, 10, map[string]string{"share_id": fmt.Sprint(shares[0].ID, ",999")}), "shares"); len(got) != 1 {
			t.Errorf("by share_id = %+v", got)
		}
		admin.OK(t, "GET", fmt.Sprintf("/admin/share/%d", shares[0].ID), nil)
		admin.OK(t, "POST", "/admin/share/batch/delete", map[string]any{"ids": []int{shares[0].ID}})
		admin.ExpectCode(t, 404, "GET", fmt.Sprintf("/admin/share/%d", shares[0].ID), nil)
		if e := admin.Do(t, "POST", "/admin/share/batch/delete", map[string]any{"ids": []int{shares[0].ID}}); e.Code != 40081 {
			t.Errorf("deleting a deleted share: %d", e.Code)
		}

		// Deleting a blob still linked drops it from the file and credits the owner.
		var owner adminUser
		admin.OK(t, "GET", "/admin/user/2", nil).Decode(t, &owner)
		admin.OK(t, "POST", "/admin/entity/batch/delete", map[string]any{"ids": []int{blob.ID}})
		var after adminUser
		admin.OK(t, "GET", "/admin/user/2", nil).Decode(t, &after)
		if after.Storage != owner.Storage-17 {
			t.Errorf("storage %d → %d", owner.Storage, after.Storage)
		}
		if resp := rawGet(t, env, u); resp.StatusCode == http.StatusOK {
			if b, _ := io.ReadAll(resp.Body); string(b) == "quarterly figures" {
				t.Error("a deleted blob is still served")
			}
		}

		// Deleting a file credits its owner.
		notes := findFileID(t, admin, 2, "notes.md")
		admin.OK(t, "POST", "/admin/file/batch/delete", map[string]any{"ids": []int{notes}})
		after = adminUser{}
		admin.OK(t, "GET", "/admin/user/2", nil).Decode(t, &after)
		if after.Storage != 0 {
			t.Errorf("storage after deleting everything = %d", after.Storage)
		}
		if names := mustList(t, user, "cloudreve://my/docs"); len(names) != 1 || names[0].Name != "renamed.txt" {
			t.Errorf("docs holds %+v", names)
		}
		e := admin.Do(t, "POST", "/admin/file/batch/delete", map[string]any{"ids": []int{notes}})
		if e.Code != 40081 {
			t.Errorf("second delete: %d", e.Code)
		}
		if es := auditOf(t, admin, "entity.delete"); len(es) != 1 {
			t.Errorf("audit entity.delete = %+v", es)
		}
	})
}

func fetchBody(t *testing.T, env *testenv.Env, u string) string {
	t.Helper()
	resp := rawGet(t, env, u)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

func rawGet(t *testing.T, env *testenv.Env, u string) *http.Response {
	t.Helper()
	if strings.HasPrefix(u, "/") {
		u = env.URL + u
	}
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

func mustList(t *testing.T, c *testenv.Client, uri string) []fileObj {
	t.Helper()
	return list(t, c, uri, "").Files
}

// findFileID returns the id of owner's file called name.
func findFileID(t *testing.T, admin *testenv.Client, owner int, name string) int {
	t.Helper()
	files, _ := adminList[adminFile](t, admin, "/admin/file", listBody(1, 100, map[string]string{
		"file_user": fmt.Sprint(owner), "file_name": name}), "files")
	if len(files) != 1 {
		t.Fatalf("%d files called %s", len(files), name)
	}
	return files[0].ID
}
