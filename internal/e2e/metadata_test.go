package e2e

import (
	"net/url"
	"testing"
	"time"

	"github.com/stratus-drive/stratus/internal/testenv"
)

// fileDetails is a FileResponse with what /file/info may add.
type fileDetails struct {
	fileObj
	UpdatedAt     time.Time `json:"updated_at"`
	PrimaryEntity string    `json:"primary_entity"`
	FolderSummary *struct {
		Size         int64     `json:"size"`
		Files        int       `json:"files"`
		Folders      int       `json:"folders"`
		Completed    bool      `json:"completed"`
		CalculatedAt time.Time `json:"calculated_at"`
	} `json:"folder_summary"`
	ExtendedInfo *struct {
		StoragePolicy *struct {
			ID   string `json:"id"`
			Type string `json:"type"`
		} `json:"storage_policy"`
		StorageUsed int64 `json:"storage_used"`
		Entities    []struct {
			ID            string `json:"id"`
			Size          int64  `json:"size"`
			Type          int    `json:"type"`
			StoragePolicy *struct {
				Type string `json:"type"`
			} `json:"storage_policy"`
			CreatedBy *struct {
				ID       string `json:"id"`
				Nickname string `json:"nickname"`
				Email    string `json:"email"`
			} `json:"created_by"`
		} `json:"entities"`
		View map[string]any `json:"view"`
	} `json:"extended_info"`
}

func info(t *testing.T, c *testenv.Client, uri, extra string) fileDetails {
	t.Helper()
	var d fileDetails
	c.OK(t, "GET", "/file/info?uri="+url.QueryEscape(uri)+extra, nil).Decode(t, &d)
	return d
}

func patch(key, value string) map[string]any { return map[string]any{"key": key, "value": value} }

func TestMetadata(t *testing.T) {
	t.Parallel()
	props := `[{"id":"rating","type":"rating","max":5},{"id":"description","type":"text","max":10}]`
	testenv.EachDialect(t, testenv.Options{Environ: []string{"CR_SETTING_custom_props=" + props}}, func(t *testing.T, env *testenv.Env) {
		alice, login := env.Client().NewUser(t, "alice@example.com")
		aliceID := login.User["id"].(string)
		create(t, alice, "cloudreve://my/a.txt", "file")
		create(t, alice, "cloudreve://my/dir", "folder")

		// Metadata on create and upload is validated like a patch.
		for _, bad := range []map[string]string{
			{"nonamespace": "x"}, {"exif:camera": "x"}, {"sys:restore_uri": "cloudreve://my"}, {"tag:x": "not a color"},
			{"customize:emoji": "nope"}, {"props:unknown": "1"}, {"props:rating": "9"},
		} {
			alice.ExpectCode(t, 40001, "POST", "/file/create", map[string]any{"uri": "cloudreve://my/bad", "type": "file", "metadata": bad})
			alice.ExpectCode(t, 40001, "PUT", "/file/upload", map[string]any{"uri": "cloudreve://my/bad", "size": 1, "metadata": bad})
		}
		var created fileObj
		alice.OK(t, "POST", "/file/create", map[string]any{"uri": "cloudreve://my/b.txt", "type": "file",
			"metadata": map[string]string{"tag:Work": "#ff0000", "props:rating": "4", "customize:emoji": "😀"}}).Decode(t, &created)
		if created.Metadata["tag:Work"] != "#ff0000" || created.Metadata["props:rating"] != "4" {
			t.Errorf("created metadata = %v", created.Metadata)
		}
		upload(t, alice, "cloudreve://my/up.txt", []byte("x"), map[string]any{"metadata": map[string]string{"props:description": "short"}})
		if m := info(t, alice, "cloudreve://my/up.txt", "").Metadata; m["props:description"] != "short" {
			t.Errorf("uploaded metadata = %v", m)
		}

		// Patches: every one validated first; one bad patch changes nothing.
		before := info(t, alice, "cloudreve://my/a.txt", "")
		for _, bad := range []map[string]any{
			patch("tag:x", "red"), patch("props:description", "far too long for it"), patch("props:rating", "-1"),
			patch("sys:shared_owner", "garbage"), patch("sys:shared_owner", aliceID), patch("sys:upload_session_id", "x"),
			patch("sys:shared_redirect", "cloudreve://abc@share"), patch("music:artist", "x"),
			{"key": "sys:shared_redirect", "remove": true}, {"key": "tag:y", "value": "#fff", "private": true}, {"key": ""},
		} {
			alice.ExpectCode(t, 40001, "PATCH", "/file/metadata", map[string]any{"uris": []string{"cloudreve://my/a.txt"},
				"patches": []any{patch("tag:ok", "#000"), bad}})
		}
		alice.ExpectCode(t, 40001, "PATCH", "/file/metadata", map[string]any{"uris": []string{"cloudreve://my/a.txt"}, "patches": []any{}})
		if m := info(t, alice, "cloudreve://my/a.txt", "").Metadata; len(m) != 0 {
			t.Errorf("metadata after refused patches = %v", m)
		}

		// dav: keys do not touch updated_at; tag: keys do.
		alice.OK(t, "PATCH", "/file/metadata", map[string]any{"uris": []string{"cloudreve://my/a.txt", "cloudreve://my/dir"},
			"patches": []any{patch("dav:prop", "<x/>"), patch("thumb:disabled", "")}})
		after := info(t, alice, "cloudreve://my/a.txt", "")
		if !after.UpdatedAt.Equal(before.UpdatedAt) || after.Metadata["dav:prop"] != "<x/>" {
			t.Errorf("dav patch: updated_at %v → %v, metadata %v", before.UpdatedAt, after.UpdatedAt, after.Metadata)
		}
		if m := info(t, alice, "cloudreve://my/dir", "").Metadata; m["dav:prop"] != "<x/>" {
			t.Errorf("second target = %v", m)
		}
		alice.OK(t, "PATCH", "/file/metadata", map[string]any{"uris": []string{"cloudreve://my/a.txt"}, "patches": []any{
			patch("tag:Work", "rgb(1, 2, 3)"), patch("customize:icon_color", "#abc"),
			patch("props:rating", ""), patch("props:description", "ok"),
			// Upserts first, then removals: this key ends up absent.
			patch("tag:gone", "#123"), map[string]any{"key": "tag:gone", "remove": true},
			map[string]any{"key": "dav:prop", "remove": true},
		}})
		after = info(t, alice, "cloudreve://my/a.txt", "")
		m := after.Metadata
		if !after.UpdatedAt.After(before.UpdatedAt) || m["tag:Work"] != "rgb(1, 2, 3)" || m["customize:icon_color"] != "#abc" ||
			m["props:description"] != "ok" || len(m) != 5 {
			t.Errorf("after patch: updated_at %v → %v, metadata %v", before.UpdatedAt, after.UpdatedAt, m)
		}

		// Targets: all resolved before anything changes; roots fail per item.
		alice.ExpectCode(t, 40016, "PATCH", "/file/metadata", map[string]any{"uris": []string{"cloudreve://my/a.txt", "cloudreve://my/nope"},
			"patches": []any{patch("tag:z", "")}})
		if _, ok := info(t, alice, "cloudreve://my/a.txt", "").Metadata["tag:z"]; ok {
			t.Error("a failed batch changed an item")
		}
		agg := alice.ExpectCode(t, 40081, "PATCH", "/file/metadata", map[string]any{"uris": []string{"cloudreve://my", "cloudreve://my/a.txt"},
			"patches": []any{patch("tag:z", "")}})
		if len(agg.AggregatedError) != 1 {
			t.Errorf("aggregated = %v", agg.AggregatedError)
		}
		if _, ok := info(t, alice, "cloudreve://my/a.txt", "").Metadata["tag:z"]; !ok {
			t.Error("the good item of a partly failed batch was not patched")
		}
		alice.OK(t, "DELETE", "/file", map[string]any{"uris": []string{"cloudreve://my/b.txt"}})
		trash := list(t, alice, "cloudreve://trash", "")
		alice.ExpectCode(t, 403, "PATCH", "/file/metadata", map[string]any{"uris": []string{trash.Files[0].Path}, "patches": []any{patch("tag:z", "")}})
		env.Client().ExpectCode(t, 401, "PATCH", "/file/metadata", map[string]any{"uris": []string{"cloudreve://my/a.txt"}, "patches": []any{patch("tag:z", "")}})
	})
}

func TestPinsAndViews(t *testing.T) {
	t.Parallel()
	testenv.EachDialect(t, testenv.Options{}, func(t *testing.T, env *testenv.Env) {
		alice, _ := env.Client().NewUser(t, "alice@example.com")
		pins := func() []map[string]string {
			var me struct {
				Pined []map[string]string `json:"pined"`
			}
			alice.OK(t, "GET", "/user/me", nil).Decode(t, &me)
			return me.Pined
		}

		// Pins are not resolved, only parsed.
		alice.OK(t, "PUT", "/file/pin", map[string]any{"uri": "cloudreve://my/docs", "name": "Docs"})
		alice.OK(t, "PUT", "/file/pin", map[string]any{"uri": "cloudreve://my?category=image"})
		alice.OK(t, "PUT", "/file/pin", map[string]any{"uri": "cloudreve://my/docs/", "name": "Docs"}) // same URI, same name
		alice.ExpectCode(t, 40004, "PUT", "/file/pin", map[string]any{"uri": "cloudreve://my/./docs", "name": "Other"})
		alice.ExpectCode(t, 40001, "PUT", "/file/pin", map[string]any{"uri": "https://example.com"})
		alice.ExpectCode(t, 40001, "PUT", "/file/pin", map[string]any{"name": "x"})
		env.Client().ExpectCode(t, 401, "PUT", "/file/pin", map[string]any{"uri": "cloudreve://my"})
		if p := pins(); len(p) != 2 || p[0]["uri"] != "cloudreve://my/docs" || p[0]["name"] != "Docs" ||
			p[1]["uri"] != "cloudreve://my?category=image" {
			t.Errorf("pins = %v", p)
		}
		alice.OK(t, "DELETE", "/file/pin", map[string]any{"uri": "cloudreve://my/docs", "name": "ignored"})
		alice.OK(t, "DELETE", "/file/pin", map[string]any{"uri": "cloudreve://my/never"})
		if p := pins(); len(p) != 1 || p[0]["uri"] != "cloudreve://my?category=image" {
			t.Errorf("pins after unpin = %v", p)
		}

		// Views: validated, stored on the folder, inherited below it.
		create(t, alice, "cloudreve://my/docs/sub/x.txt", "file")
		view := map[string]any{"page_size": 50, "order": "name", "order_direction": "desc", "view": "list",
			"thumbnail": true, "gallery_width": 200,
			"columns": []any{map[string]any{"type": 0}, map[string]any{"type": 2, "width": 120, "props": map[string]any{"metadata_key": "tag:x"}}}}
		for field, bad := range map[string]any{"page_size": 10, "order_direction": "up", "view": "table", "gallery_width": 20,
			"columns": []any{map[string]any{"type": -1}}, "order": string(make([]byte, 256))} {
			v := map[string]any{}
			for k, x := range view {
				v[k] = x
			}
			v[field] = bad
			alice.ExpectCode(t, 40001, "PATCH", "/file/view", map[string]any{"uri": "cloudreve://my/docs", "view": v})
		}
		alice.OK(t, "PATCH", "/file/view", map[string]any{"uri": "cloudreve://my/docs", "view": view})
		type viewListing struct {
			Files      []fileObj      `json:"files"`
			View       map[string]any `json:"view"`
			Pagination struct {
				PageSize int `json:"page_size"`
			} `json:"pagination"`
		}
		for _, uri := range []string{"cloudreve://my/docs", "cloudreve://my/docs/sub"} {
			var l viewListing
			alice.OK(t, "GET", "/file?uri="+url.QueryEscape(uri), nil).Decode(t, &l)
			if l.View["view"] != "list" || l.View["page_size"] != 50.0 || l.View["order_direction"] != "desc" ||
				l.Pagination.PageSize != 50 || len(l.View["columns"].([]any)) != 2 {
				t.Errorf("%s: view %v, page size %d", uri, l.View, l.Pagination.PageSize)
			}
		}
		var l viewListing
		alice.OK(t, "GET", "/file?uri="+url.QueryEscape("cloudreve://my/docs")+"&order_direction=asc&page_size=60", nil).Decode(t, &l)
		if l.View["order_direction"] != "asc" || l.View["page_size"] != 60.0 || l.View["order"] != "name" {
			t.Errorf("effective view = %v", l.View)
		}
		if v := info(t, alice, "cloudreve://my/docs", "&extended=true").ExtendedInfo.View; v["gallery_width"] != 200.0 {
			t.Errorf("extended view = %v", v)
		}
		if v := info(t, alice, "cloudreve://my/docs/sub", "&extended=true").ExtendedInfo.View; v != nil {
			t.Errorf("extended view of sub (not inherited) = %v", v)
		}
		alice.OK(t, "PATCH", "/file/view", map[string]any{"uri": "cloudreve://my/docs", "view": nil})
		alice.OK(t, "GET", "/file?uri="+url.QueryEscape("cloudreve://my/docs/sub"), nil).Decode(t, &l)
		if l.View["view"] != "grid" || l.Pagination.PageSize != 100 {
			t.Errorf("view after delete = %v", l.View)
		}
		alice.ExpectCode(t, 40016, "PATCH", "/file/view", map[string]any{"uri": "cloudreve://my/nope", "view": view})

		// The trash root keeps its view in the user's settings; its items
		// cannot take one.
		alice.OK(t, "GET", "/file?uri="+url.QueryEscape("cloudreve://trash"), nil).Decode(t, &l)
		if l.View["view"] != "list" || len(l.View["columns"].([]any)) != 4 {
			t.Errorf("default trash view = %v", l.View)
		}
		view["view"] = "gallery"
		alice.OK(t, "PATCH", "/file/view", map[string]any{"uri": "cloudreve://trash", "view": view})
		alice.OK(t, "GET", "/file?uri="+url.QueryEscape("cloudreve://trash"), nil).Decode(t, &l)
		if l.View["view"] != "gallery" || l.Pagination.PageSize != 50 {
			t.Errorf("stored trash view = %v", l.View)
		}
		alice.OK(t, "DELETE", "/file", map[string]any{"uris": []string{"cloudreve://my/docs"}})
		alice.OK(t, "GET", "/file?uri="+url.QueryEscape("cloudreve://trash"), nil).Decode(t, &l)
		alice.ExpectCode(t, 403, "PATCH", "/file/view", map[string]any{"uri": l.Files[0].Path, "view": view})
		env.Client().ExpectCode(t, 401, "PATCH", "/file/view", map[string]any{"uri": "cloudreve://trash", "view": view})

		// With view sync off, listings carry no view.
		alice.OK(t, "PATCH", "/user/setting", map[string]any{"disable_view_sync": true})
		l = viewListing{}
		alice.OK(t, "GET", "/file?uri="+url.QueryEscape("cloudreve://trash"), nil).Decode(t, &l)
		if l.View != nil || l.Pagination.PageSize != 100 {
			t.Errorf("view with sync off = %v, page size %d", l.View, l.Pagination.PageSize)
		}
	})
}
