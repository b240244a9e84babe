package e2e

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	"github.com/stratus-drive/stratus/internal/testenv"
)

// TestDocumentBounds: documents that cost no quota (folder views, a file's
// metadata, the settings document) are bounded by count and bytes; past
// the bound the request answers 40001 and nothing is stored.
func TestDocumentBounds(t *testing.T) {
	testenv.EachDialect(t, testenv.Options{}, func(t *testing.T, env *testenv.Env) {
		alice, _ := env.Client().NewUser(t, "bounds@example.com")
		alice.OK(t, "POST", "/file/create", map[string]any{"uri": "cloudreve://my/docs", "type": "folder"})
		upload(t, alice, "cloudreve://my/f.txt", []byte("f"), nil)

		view := func(columns []any) map[string]any {
			return map[string]any{"uri": "cloudreve://my/docs", "view": map[string]any{"page_size": 50,
				"order_direction": "asc", "view": "list", "gallery_width": 200, "columns": columns}}
		}
		// 1,000 plain columns (the contract's count) fit...
		plain := make([]any, 1000)
		for i := range plain {
			plain[i] = map[string]any{"type": 1}
		}
		alice.OK(t, "PATCH", "/file/view", view(plain))
		// ...1,000 with 255-byte metadata keys do not.
		long := make([]any, 1000)
		for i := range long {
			long[i] = map[string]any{"type": 1, "props": map[string]any{"metadata_key": "tag:" + strings.Repeat("k", 250)}}
		}
		alice.ExpectCode(t, 40001, "PATCH", "/file/view", view(long))
		// Undocumented column fields are not stored.
		alice.OK(t, "PATCH", "/file/view", view([]any{map[string]any{"type": 1, "junk": strings.Repeat("x", 4000)}}))
		var l struct {
			View map[string]any `json:"view"`
		}
		alice.OK(t, "GET", "/file?uri="+url.QueryEscape("cloudreve://my/docs"), nil).Decode(t, &l)
		if cols, _ := l.View["columns"].([]any); len(cols) != 1 || cols[0].(map[string]any)["junk"] != nil {
			t.Errorf("stored columns %v; want one column without junk", l.View["columns"])
		}

		// A file keeps at most 256 KiB of client metadata, however many
		// requests bring it.
		value := strings.Repeat("v", 60000)
		for i := range 4 {
			alice.OK(t, "PATCH", "/file/metadata", map[string]any{"uris": []string{"cloudreve://my/f.txt"},
				"patches": []any{map[string]any{"key": "dav:k" + string(rune('a'+i)), "value": value}}})
		}
		e := alice.Do(t, "PATCH", "/file/metadata", map[string]any{"uris": []string{"cloudreve://my/f.txt"},
			"patches": []any{map[string]any{"key": "dav:ke", "value": value}}})
		if agg, _ := json.Marshal(e.AggregatedError); e.Code != 40001 && !(e.Code == 40081 && strings.Contains(string(agg), "40001")) {
			t.Errorf("fifth 60 KB metadata value: code %d %s; want 40001", e.Code, e.Msg)
		}
		if f := fileInfo(t, alice, "cloudreve://my/f.txt"); f.Metadata["dav:ke"] != "" {
			t.Error("the refused entry was stored")
		}

		// Preferences: the retention extension list is bounded.
		exts := make([]string, 10000)
		for i := range exts {
			exts[i] = "ext"
		}
		alice.ExpectCode(t, 40001, "PATCH", "/user/setting", map[string]any{"version_retention_ext": exts})
	})
}
