package e2e

import (
	"io"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/stratus-drive/stratus/internal/testenv"
)

type editedFile struct {
	fileObj
	PrimaryEntity string `json:"primary_entity"`
}

// putContent sends body to PUT /file/content; chunked hides its length, so
// that only X-Expected-Entity-Length gives it.
func putContent(t *testing.T, c *testenv.Client, uri, previous, body string, chunked bool) *testenv.Envelope {
	t.Helper()
	q := url.Values{"uri": {uri}}
	if previous != "" {
		q.Set("previous", previous)
	}
	var rd io.Reader = strings.NewReader(body)
	hdr := http.Header{"Content-Type": {"application/octet-stream"}}
	if chunked {
		rd = io.MultiReader(rd) // no known length: sent chunked
		hdr.Set("X-Expected-Entity-Length", strconv.Itoa(len(body)))
	}
	resp := c.Raw(t, "PUT", "/api/v4/file/content?"+q.Encode(), rd, hdr)
	defer resp.Body.Close()
	var e testenv.Envelope
	decodeJSON(t, resp, &e)
	return &e
}

func TestReplaceContent(t *testing.T) {
	opt := testenv.Options{Environ: []string{"CR_SETTING_maxEditSize=64"}}
	testenv.EachDialect(t, opt, func(t *testing.T, env *testenv.Env) {
		c := env.Client()
		alice, _ := c.NewUser(t, "alice@example.com")
		alice.OK(t, "PATCH", "/user/setting", map[string]any{"version_retention_enabled": false})
		const uri = "cloudreve://my/notes/today.md"

		// Missing: created, with its folders.
		e := putContent(t, alice, uri, "", "# v1", false)
		if e.Code != 0 {
			t.Fatalf("create: %d %s", e.Code, e.Msg)
		}
		var v1 editedFile
		e.Decode(t, &v1)
		if v1.Name != "today.md" || v1.Size != 4 || v1.PrimaryEntity == "" || v1.Path != "cloudreve://my/notes/today.md" {
			t.Errorf("created = %+v", v1)
		}
		if _, body := fetch(t, downloadURL(t, alice, uri, nil), nil); string(body) != "# v1" {
			t.Errorf("content = %q", body)
		}

		// Existing: a new version, checked against the one edited.
		e = putContent(t, alice, uri, v1.PrimaryEntity, "# version two", true)
		if e.Code != 0 {
			t.Fatalf("update: %d %s", e.Code, e.Msg)
		}
		var v2 editedFile
		e.Decode(t, &v2)
		if v2.ID != v1.ID || v2.Size != 13 || v2.PrimaryEntity == v1.PrimaryEntity {
			t.Errorf("updated = %+v (was %+v)", v2, v1)
		}
		if _, body := fetch(t, downloadURL(t, alice, uri, nil), nil); string(body) != "# version two" {
			t.Errorf("content = %q", body)
		}
		if used := capacityUsed(t, alice); used != 13 {
			t.Errorf("used = %d, want 13 (no version retention)", used)
		}
		if e := putContent(t, alice, uri, v1.PrimaryEntity, "stale", false); e.Code != 40076 {
			t.Errorf("stale previous: %d", e.Code)
		}

		// Empty content, then refusals that leave nothing behind.
		if e := putContent(t, alice, uri, "", "", false); e.Code != 0 {
			t.Errorf("empty: %d %s", e.Code, e.Msg)
		}
		if e := putContent(t, alice, uri, "", strings.Repeat("x", 65), false); e.Code != 40049 {
			t.Errorf("over maxEditSize: %d", e.Code)
		}
		create(t, alice, "cloudreve://my/folder", "folder")
		for name, tc := range map[string]struct {
			c    *testenv.Client
			uri  string
			code int
		}{
			"folder":      {alice, "cloudreve://my/folder", 40004},
			"bad name":    {alice, "cloudreve://my/a|b.txt", 40052},
			"anonymous":   {c, uri, 401},
			"root":        {alice, "cloudreve://my", 403},
			"trash":       {alice, "cloudreve://trash/x", 403},
			"missing uri": {alice, "", 40001},
		} {
			if e := putContent(t, tc.c, tc.uri, "", "data", false); e.Code != tc.code {
				t.Errorf("%s: code %d (%s), want %d", name, e.Code, e.Msg, tc.code)
			}
		}
		// A body shorter than announced fails, and its placeholder goes.
		resp := alice.Raw(t, "PUT", "/api/v4/file/content?uri="+url.QueryEscape("cloudreve://my/short.txt"),
			io.MultiReader(strings.NewReader("abc")), http.Header{"X-Expected-Entity-Length": {"10"}})
		var short testenv.Envelope
		decodeJSON(t, resp, &short)
		resp.Body.Close()
		if short.Code == 0 {
			t.Errorf("short body accepted")
		}
		if used := capacityUsed(t, alice); used != 0 {
			t.Errorf("used = %d after refusals", used)
		}
		got := names(list(t, alice, "cloudreve://my", "").Files)
		sort.Strings(got)
		if strings.Join(got, ",") != "folder,notes" {
			t.Errorf("my = %v", got)
		}
	})
}
