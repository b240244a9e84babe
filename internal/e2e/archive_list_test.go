package e2e

import (
	"archive/zip"
	"bytes"
	"net/url"
	"testing"
	"time"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/stratus-drive/stratus/internal/testenv"
)

type archiveItem struct {
	Name        string     `json:"name"`
	Size        int64      `json:"size"`
	UpdatedAt   *time.Time `json:"updated_at"`
	IsDirectory bool       `json:"is_directory"`
}

// zipOf builds a zip: a folder, a file, and one file whose name is GBK
// without the UTF-8 flag; extra adds one file of that name.
func zipOf(t *testing.T, extra string) []byte {
	t.Helper()
	gbk, err := simplifiedchinese.GBK.NewEncoder().String("dir/中文.txt")
	if err != nil {
		t.Fatal(err)
	}
	mod := time.Date(2024, 5, 6, 7, 8, 10, 0, time.UTC)
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	entries := []struct {
		hdr  zip.FileHeader
		body string
	}{
		{zip.FileHeader{Name: "dir/", Modified: mod}, ""},
		{zip.FileHeader{Name: "dir/a.txt", Method: zip.Deflate, Modified: mod}, "hello, archive"},
		{zip.FileHeader{Name: gbk, NonUTF8: true, Method: zip.Store}, "gbk"},
	}
	if extra != "" {
		entries = append(entries, struct {
			hdr  zip.FileHeader
			body string
		}{zip.FileHeader{Name: extra}, "x"})
	}
	for _, e := range entries {
		f, err := w.CreateHeader(&e.hdr)
		if err != nil {
			t.Fatal(err)
		}
		f.Write([]byte(e.body))
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func listArchive(t *testing.T, c *testenv.Client, q url.Values) []archiveItem {
	t.Helper()
	var out struct {
		Files []archiveItem `json:"files"`
	}
	c.OK(t, "GET", "/file/archive?"+q.Encode(), nil).Decode(t, &out)
	return out.Files
}

func TestArchiveList(t *testing.T) {
	testenv.EachDialect(t, testenv.Options{}, func(t *testing.T, env *testenv.Env) {
		c := env.Client()
		root, _ := c.NewUser(t, "root@example.com") // the first account is an administrator (bit 5)
		alice, _ := c.NewUser(t, "alice@example.com")

		const uri = "cloudreve://my/pack.zip"
		upload(t, root, uri, zipOf(t, ""), nil)
		var first editedFile
		root.OK(t, "GET", "/file/info?uri="+url.QueryEscape(uri), nil).Decode(t, &first)

		items := listArchive(t, root, url.Values{"uri": {uri}, "text_encoding": {"gbk"}})
		if len(items) != 3 {
			t.Fatalf("entries: %+v", items)
		}
		want := []archiveItem{{Name: "dir/", IsDirectory: true}, {Name: "dir/a.txt", Size: 14},
			{Name: "dir/中文.txt", Size: 3}}
		for i, w := range want {
			got := items[i]
			if got.Name != w.Name || got.Size != w.Size || got.IsDirectory != w.IsDirectory {
				t.Errorf("entry %d = %+v, want %+v", i, got, w)
			}
		}
		if u := items[1].UpdatedAt; u == nil || !u.Equal(time.Date(2024, 5, 6, 7, 8, 10, 0, time.UTC)) {
			t.Errorf("updated_at = %v", u)
		}
		// Without an encoding the GBK name is not decoded; other spellings
		// of a known encoding work; an unknown one is refused.
		if items := listArchive(t, root, url.Values{"uri": {uri}}); items[2].Name == "dir/中文.txt" || items[1].Name != "dir/a.txt" {
			t.Errorf("no encoding: %+v", items)
		}
		if items := listArchive(t, root, url.Values{"uri": {uri}, "text_encoding": {"GB-18030"}}); items[2].Name != "dir/中文.txt" {
			t.Errorf("gb18030: %+v", items)
		}
		listArchive(t, root, url.Values{"uri": {uri}, "text_encoding": {"Shift_JIS"}})
		root.ExpectCode(t, 403, "GET", "/file/archive?"+url.Values{"uri": {uri}, "text_encoding": {"klingon"}}.Encode(), nil)

		// A new version is listed by default; the old one by its entity.
		if e := putContent(t, root, uri, "", string(zipOf(t, "new.txt")), false); e.Code != 0 {
			t.Fatalf("new version: %d %s", e.Code, e.Msg)
		}
		if items := listArchive(t, root, url.Values{"uri": {uri}}); len(items) != 4 || items[3].Name != "new.txt" {
			t.Errorf("current version: %+v", items)
		}
		if items := listArchive(t, root, url.Values{"uri": {uri}, "entity": {first.PrimaryEntity}}); len(items) != 3 {
			t.Errorf("old version: %+v", items)
		}
		root.ExpectCode(t, 40001, "GET", "/file/archive?"+url.Values{"uri": {uri}, "entity": {"nope"}}.Encode(), nil)

		// Not a zip: other extensions (7z too, not supported yet), folders.
		upload(t, root, "cloudreve://my/notes.txt", zipOf(t, ""), nil)
		upload(t, root, "cloudreve://my/pack.7z", []byte("7z\xbc\xaf\x27\x1c"), nil)
		create(t, root, "cloudreve://my/folder.zip", "folder")
		for _, u := range []string{"cloudreve://my/notes.txt", "cloudreve://my/pack.7z", "cloudreve://my/folder.zip"} {
			root.ExpectCode(t, 403, "GET", "/file/archive?uri="+url.QueryEscape(u), nil)
		}
		// A corrupt or empty zip.
		upload(t, root, "cloudreve://my/broken.zip", []byte("PK\x03\x04 this is not really a zip"), nil)
		upload(t, root, "cloudreve://my/empty.zip", nil, nil)
		for _, u := range []string{"cloudreve://my/broken.zip", "cloudreve://my/empty.zip"} {
			root.ExpectCode(t, 40056, "GET", "/file/archive?uri="+url.QueryEscape(u), nil)
		}
		root.ExpectCode(t, 40016, "GET", "/file/archive?uri="+url.QueryEscape("cloudreve://my/missing.zip"), nil)
		root.ExpectCode(t, 40001, "GET", "/file/archive?uri=bad", nil)

		// The User group and anonymous callers lack archive tasks (bit 5).
		upload(t, alice, uri, zipOf(t, ""), nil)
		alice.ExpectCode(t, 40007, "GET", "/file/archive?uri="+url.QueryEscape(uri), nil)
		c.ExpectCode(t, 40007, "GET", "/file/archive?uri="+url.QueryEscape(uri), nil)
		setGroupPermission(t, env, 2, 5, true)
		if items := listArchive(t, alice, url.Values{"uri": {uri}}); len(items) != 3 {
			t.Errorf("alice with bit 5: %+v", items)
		}
	})
}
