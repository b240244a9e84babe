package archiver

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/stratus-drive/stratus/internal/drive"
	"github.com/stratus-drive/stratus/internal/files"
	"github.com/stratus-drive/stratus/internal/files/filestest"
	"github.com/stratus-drive/stratus/internal/throttle"
)

func newService(env *filestest.Env) *Service {
	return New(env.DB, env.Files, env.KV, env.Settings, env.IDs, env.Log, throttle.New(env.KV, env.Log))
}

// TestArchiveDownload is a script: a session is issued for a file and a
// folder, streamed as a zip resolved as its owner; an unknown session does
// not open.
func TestArchiveDownload(t *testing.T) {
	env := filestest.New(t)
	s := newService(env)
	alice := env.Grant(t, env.User(t, "alice@example.com"), drive.PermArchiveDownload)
	for path, body := range map[string]string{"a.txt": "top", "dir/a.txt": "inner", "dir/sub/b.txt": "deep"} {
		env.Upload(t, alice, "cloudreve://my/"+path, []byte(body))
	}
	u, expires, err := s.Issue(env.Ctx, alice, []string{"cloudreve://my/a.txt", "cloudreve://my/dir"})
	if err != nil || !strings.HasPrefix(u.URL, PathPrefix) || !expires.After(env.Clock.Now()) {
		t.Fatalf("issue: %+v %v %v", u, expires, err)
	}
	id := strings.TrimSuffix(strings.TrimPrefix(strings.Split(u.URL, "?")[0], PathPrefix), "/archive.zip")
	a, err := s.Open(env.Ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := a.Write(env.Ctx, &buf); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
		if f.Mode().IsDir() {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(rc)
		rc.Close()
		got[f.Name] = string(b)
	}
	if got["a.txt"] != "top" || got["dir/a.txt"] != "inner" || got["dir/sub/b.txt"] != "deep" || len(got) != 3 {
		t.Errorf("archive holds %v (%v)", got, names)
	}
	if !slices.Contains(names, "dir/") && !slices.Contains(names, "dir/sub/") {
		t.Errorf("folders missing: %v", names)
	}
	if _, err := s.Open(env.Ctx, "00000000-0000-4000-8000-000000000000"); err == nil {
		t.Error("an unknown session opened")
	}
}

// TestArchiveRules is a table of who may issue what.
func TestArchiveRules(t *testing.T) {
	env := filestest.New(t)
	s := newService(env)
	noArchive := env.User(t, "alice@example.com")
	env.Upload(t, noArchive, "cloudreve://my/a.txt", []byte("hello"))
	if _, _, err := s.Issue(env.Ctx, noArchive, []string{"cloudreve://my/a.txt"}); !errors.Is(err, files.ErrGroupNotAllowed) {
		t.Errorf("group without archives: %v", err)
	}
	alice := env.Grant(t, noArchive, drive.PermArchiveDownload)
	for _, c := range []struct {
		name  string
		actor drive.Actor
		uris  []string
		want  error
	}{
		{"allowed", alice, []string{"cloudreve://my/a.txt"}, nil},
		{"no URIs", alice, nil, errAny},
		{"a bad URI", alice, []string{"http://x"}, files.ErrInvalidURI},
	} {
		_, _, err := s.Issue(env.Ctx, c.actor, c.uris)
		if c.want == nil && err != nil || c.want == errAny && err == nil ||
			c.want != nil && c.want != errAny && !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", c.name, err, c.want)
		}
	}
}

var errAny = errors.New("any error")
