package e2e

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stratus-drive/stratus/internal/testenv"
)

type searchListing struct {
	Files      []fileObj `json:"files"`
	Parent     fileObj   `json:"parent"`
	Pagination struct {
		PageSize  int    `json:"page_size"`
		NextToken string `json:"next_token"`
		IsCursor  bool   `json:"is_cursor"`
	} `json:"pagination"`
	Props struct {
		OrderByOptions        []string `json:"order_by_options"`
		OrderDirectionOptions []string `json:"order_direction_options"`
	} `json:"props"`
	MixedType             bool `json:"mixed_type"`
	RecursionLimitReached bool `json:"recursion_limit_reached"`
}

// searchAll follows a search's pages to the end and returns the paths
// found, failing on an item listed twice.
func searchAll(t *testing.T, c *testenv.Client, uri, extra string) ([]string, searchListing) {
	t.Helper()
	var (
		paths []string
		first searchListing
	)
	seen := map[string]bool{}
	token := ""
	for pages := 0; ; pages++ {
		if pages > 50 {
			t.Fatalf("%s: pagination does not end", uri)
		}
		var l searchListing
		c.OK(t, "GET", "/file?uri="+url.QueryEscape(uri)+extra+"&next_page_token="+url.QueryEscape(token), nil).Decode(t, &l)
		if pages == 0 {
			first = l
		}
		for _, f := range l.Files {
			if seen[f.Path] {
				t.Fatalf("%s: %s listed twice", uri, f.Path)
			}
			seen[f.Path] = true
			paths = append(paths, f.Path)
		}
		if l.Pagination.NextToken == "" {
			return paths, first
		}
		token = l.Pagination.NextToken
	}
}

func found(t *testing.T, c *testenv.Client, uri string) string {
	t.Helper()
	paths, _ := searchAll(t, c, uri, "")
	for i, p := range paths {
		paths[i] = strings.TrimPrefix(p, "cloudreve://my/")
	}
	slices.Sort(paths)
	return strings.Join(paths, ",")
}

func TestSearch(t *testing.T) {
	t.Parallel()
	testenv.EachDialect(t, testenv.Options{}, func(t *testing.T, env *testenv.Env) {
		alice, _ := env.Client().NewUser(t, "alice@example.com")
		bob, _ := env.Client().NewUser(t, "bob@example.com")
		start := time.Now().Add(-time.Minute).Unix()
		upload(t, alice, "cloudreve://my/docs/report.txt", []byte("hello"), nil)
		for _, p := range []string{"docs/Report%20Final.PDF", "docs/2026/q1/Notes.md", "docs/2026/q1/photo.JPG",
			"docs/2026/img_001.png", "music/song.mp3", "50%25_off.txt", "deep/l1/l2/l3/l4/target.txt"} {
			create(t, alice, "cloudreve://my/"+p, "file")
		}
		alice.OK(t, "POST", "/file/create", map[string]any{"uri": "cloudreve://my/music/tagged.flac", "type": "file",
			"metadata": map[string]string{"tag:Work": "#ff0000", "customize:note": "Blue Sky"}})
		create(t, bob, "cloudreve://my/docs/report.txt", "file") // other users' files are never found

		for _, c := range []struct{ query, want string }{
			{"name=report", "docs/report.txt"},
			{"name=report&case_folding", "docs/Report%20Final.PDF,docs/report.txt"},
			{"name=REPORT&case_folding", "docs/Report%20Final.PDF,docs/report.txt"},
			{`name="Report"&case_folding`, "docs/Report%20Final.PDF"},
			{"name=*.txt", "50%25_off.txt,deep/l1/l2/l3/l4/target.txt,docs/report.txt"},
			{"name=*.jpg", ""},
			{"name=*.jpg&case_folding", "docs/2026/q1/photo.JPG"},
			{"name=img_*", "docs/2026/img_001.png"},
			{"name=o*t", "50%25_off.txt,docs/2026/q1/Notes.md,docs/2026/q1/photo.JPG,docs/Report%20Final.PDF,docs/report.txt"},
			{"name=%25_", "50%25_off.txt"},
			{"name=report&name=txt", "docs/report.txt"},
			{"name=report&name=mp3&use_or", "docs/report.txt,music/song.mp3"},
			{"name=report&name=mp3&name_op_or", "docs/report.txt,music/song.mp3"},
			{"type=folder&name=l", "deep/l1,deep/l1/l2,deep/l1/l2/l3,deep/l1/l2/l3/l4"},
			{"type=file&name=o", "50%25_off.txt,docs/2026/q1/Notes.md,docs/2026/q1/photo.JPG,docs/Report%20Final.PDF,docs/report.txt,music/song.mp3"},
			{"size_gte=1&size_lte=10", "docs/report.txt"},
			{"size_gte=6&size_lte=100", ""},
			{"category=image", "docs/2026/img_001.png,docs/2026/q1/photo.JPG"},
			{"category=audio", "music/song.mp3,music/tagged.flac"},
			{"meta_tag:Work=", "music/tagged.flac"},
			{"meta_customize:note=sky", "music/tagged.flac"},
			{"exact_meta_customize:note=blue%20sky", ""},
			{"exact_meta_customize:note=Blue%20Sky&meta_tag:Work=FF", "music/tagged.flac"},
			{"meta_tag:Other=", ""},
			{fmt.Sprintf("created_gte=%d&name=target", start), "deep/l1/l2/l3/l4/target.txt"},
			{fmt.Sprintf("created_lte=%d", start), ""},
			{fmt.Sprintf("updated_gte=%d&updated_lte=%d&name=song", start, start+3600), "music/song.mp3"},
		} {
			if got := found(t, alice, "cloudreve://my?"+c.query); got != c.want {
				t.Errorf("%s: found %q, want %q", c.query, got, c.want)
			}
		}
		// A search covers the folder and what is below it, nothing else.
		if got := found(t, alice, "cloudreve://my/docs?name=txt"); got != "docs/report.txt" {
			t.Errorf("docs search = %q", got)
		}

		// Pages of two cross folder levels without losing or repeating items,
		// in both directions.
		all := found(t, alice, "cloudreve://my?type=file")
		if strings.Count(all, ",") != 8 {
			t.Fatalf("all files = %s", all)
		}
		for _, dir := range []string{"asc", "desc"} {
			paths, first := searchAll(t, alice, "cloudreve://my?type=file", "&page_size=2&order_direction="+dir)
			if len(paths) != 9 {
				t.Errorf("%s: paged search found %d: %v", dir, len(paths), paths)
			}
			if !first.MixedType || !first.Pagination.IsCursor || first.Pagination.PageSize != 2 ||
				first.Props.OrderByOptions != nil || first.Props.OrderDirectionOptions != nil ||
				first.Parent.Path != "cloudreve://my" {
				t.Errorf("search props = %+v", first)
			}
		}
		paths, _ := searchAll(t, alice, "cloudreve://my?type=file", "&page_size=3")
		if paths[0] != "cloudreve://my/50%25_off.txt" || paths[len(paths)-1] != "cloudreve://my/deep/l1/l2/l3/l4/target.txt" {
			t.Errorf("breadth-first order = %v", paths)
		}

		alice.ExpectCode(t, 40001, "GET", "/file?uri="+url.QueryEscape("cloudreve://my?category=bogus"), nil)
		alice.ExpectCode(t, 40001, "GET", "/file?uri="+url.QueryEscape("cloudreve://my?size_gte=-1"), nil)
		alice.ExpectCode(t, 40001, "GET", "/file?uri="+url.QueryEscape("cloudreve://my?name=x")+"&next_page_token=garbage", nil)
		alice.ExpectCode(t, 40016, "GET", "/file?uri="+url.QueryEscape("cloudreve://my/nope?name=x"), nil)

		// The trash is searched flat, by original names.
		alice.OK(t, "DELETE", "/file", map[string]any{"uris": []string{"cloudreve://my/docs", "cloudreve://my/music/song.mp3"}})
		var tl searchListing
		alice.OK(t, "GET", "/file?uri="+url.QueryEscape("cloudreve://trash?name=docs"), nil).Decode(t, &tl)
		if len(tl.Files) != 1 || tl.Files[0].Name != "docs" || !slices.Equal(tl.Props.OrderByOptions, []string{"created_at"}) {
			t.Errorf("trash search = %+v", tl)
		}
		trash, _ := searchAll(t, alice, "cloudreve://trash?type=file", "&page_size=1")
		if len(trash) != 1 {
			t.Errorf("trashed files = %v", trash)
		}
		trash, _ = searchAll(t, alice, "cloudreve://trash?name=o&case_folding", "&page_size=1")
		if len(trash) != 2 {
			t.Errorf("trash search by name = %v", trash)
		}
		if got := found(t, alice, "cloudreve://my?name=report&case_folding"); got != "" {
			t.Errorf("trashed items found in my: %q", got)
		}
	})
}

func TestSearchRecursionLimit(t *testing.T) {
	t.Parallel()
	env := testenv.Start(t, testenv.Options{Environ: []string{"CR_SETTING_max_recursive_searched_folder=3"}})
	alice, _ := env.Client().NewUser(t, "alice@example.com")
	create(t, alice, "cloudreve://my/a/b/y.txt", "file")
	create(t, alice, "cloudreve://my/a/b/c/x.txt", "file")
	_, l := searchAll(t, alice, "cloudreve://my?name=.txt", "")
	if len(l.Files) != 1 || l.Files[0].Name != "y.txt" || !l.RecursionLimitReached {
		t.Errorf("limited search = %+v", l)
	}
	_, l = searchAll(t, alice, "cloudreve://my/a?name=.txt", "")
	if len(l.Files) != 2 || l.RecursionLimitReached {
		t.Errorf("search below the limit = %+v", l)
	}
}
