package directlink

import (
	"errors"
	"net/url"
	"strings"
	"testing"

	"github.com/stratus-drive/stratus/internal/drive"
	"github.com/stratus-drive/stratus/internal/errs"
	"github.com/stratus-drive/stratus/internal/files"
	"github.com/stratus-drive/stratus/internal/files/filestest"
)

// allow gives actor's group direct links: batches of n, persistent ones.
func allow(actor drive.Actor, n int) drive.Actor {
	g := *actor.User.Group
	g.Settings.SourceBatch, g.Settings.RedirectedSource = n, true
	u := *actor.User
	u.Group = &g
	return drive.Actor{User: &u}
}

// TestDirectLinkLifecycle is a script: links are made (one per file and
// name), followed (counting visits), refused for another user, and die with
// the trash and with deletion.
func TestDirectLinkLifecycle(t *testing.T) {
	env := filestest.New(t)
	s := New(env.DB, env.Files, env.IDs)
	ctx := env.Ctx
	alice, bob := allow(env.User(t, "alice@example.com"), 2), allow(env.User(t, "bob@example.com"), 2)
	env.Upload(t, alice, "cloudreve://my/a.txt", []byte("hello"))
	env.Upload(t, alice, "cloudreve://my/b.txt", []byte("world"))

	items, err := s.Create(ctx, alice, []string{"cloudreve://my/a.txt", "cloudreve://my/a.txt"})
	if err != nil || len(items) != 2 || items[0].Link != items[1].Link {
		t.Fatalf("two requests for one link: %+v, %v", items, err)
	}
	if _, err := s.Create(ctx, alice, []string{"cloudreve://my/a.txt", "cloudreve://my/b.txt",
		"cloudreve://my/a.txt"}); !errors.Is(err, ErrBatchLimit) {
		t.Errorf("three URIs for a batch of two: %v", err)
	}
	if _, err := s.Create(ctx, bob, []string{"cloudreve://my/a.txt"}); err == nil {
		t.Error("bob made a link in his empty tree")
	}
	parts := strings.Split(strings.TrimPrefix(items[0].Link, PathPrefix), "/")
	id, name := parts[0], parts[1]
	for range 3 {
		u, _, err := s.Follow(ctx, id, name, false)
		if err != nil || !strings.HasPrefix(u, files.ContentPathPrefix) {
			t.Fatalf("follow: %q, %v", u, err)
		}
	}
	if _, _, err := s.Follow(ctx, id, "other.txt", false); !errors.Is(err, ErrNotExist) {
		t.Errorf("follow under another name: %v", err)
	}
	if l, err := env.DB.DirectLinksOfFile(ctx, mustInfo(t, env, alice, "a.txt").File.ID); err != nil || len(l) != 1 ||
		l[0].Downloads != 3 {
		t.Errorf("links of a.txt: %+v, %v", l, err)
	}

	if err := env.Files.Delete(ctx, alice, []string{"cloudreve://my/a.txt"}, files.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Follow(ctx, id, name, false); !errors.Is(err, ErrNotExist) {
		t.Errorf("follow with the file in the trash: %v", err)
	}
	if err := s.Delete(ctx, bob, id); !errors.Is(err, ErrNotExist) {
		t.Errorf("bob deletes alice's link: %v", err)
	}
	if err := s.Delete(ctx, alice, id); err != nil {
		t.Errorf("alice deletes her link: %v", err)
	}
	if err := s.Delete(ctx, alice, id); !errors.Is(err, ErrNotExist) {
		t.Errorf("second delete: %v", err)
	}
	if _, err := url.Parse(items[0].Link); err != nil {
		t.Error(err)
	}
}

// TestDirectLinkRules is a table of who may make links of what.
func TestDirectLinkRules(t *testing.T) {
	env := filestest.New(t)
	s := New(env.DB, env.Files, env.IDs)
	alice := env.User(t, "alice@example.com")
	env.Upload(t, allow(alice, 1), "cloudreve://my/a.txt", []byte("hello"))
	if _, err := env.Files.Create(env.Ctx, alice, "cloudreve://my/dir", drive.TypeFolder, nil, true); err != nil {
		t.Fatal(err)
	}
	unsigned := allow(alice, 1)
	unsigned.User.Group.Settings.RedirectedSource = false
	for _, c := range []struct {
		name  string
		actor drive.Actor
		uri   string
		want  error // nil: a link is made
	}{
		{"persistent", allow(alice, 1), "cloudreve://my/a.txt", nil},
		{"signed, never expiring", unsigned, "cloudreve://my/a.txt", nil},
		{"group without links", allow(alice, 0), "cloudreve://my/a.txt", files.ErrGroupNotAllowed},
		{"a folder", allow(alice, 1), "cloudreve://my/dir", files.ErrEntityNotExist},
		{"anonymous", drive.Actor{}, "cloudreve://my/a.txt", files.ErrLoginRequired},
	} {
		items, err := s.Create(env.Ctx, c.actor, []string{c.uri})
		var batch errs.Batch
		if errors.As(err, &batch) {
			err = batch[c.uri]
		}
		if c.want == nil && (err != nil || len(items) != 1) || c.want != nil && !errors.Is(err, c.want) {
			t.Errorf("%s: %+v, %v; want %v", c.name, items, err, c.want)
		}
	}
}

func mustInfo(t *testing.T, env *filestest.Env, actor drive.Actor, name string) *files.Node {
	t.Helper()
	n, err := env.Files.Info(env.Ctx, actor, "cloudreve://my/"+name)
	if err != nil {
		t.Fatal(err)
	}
	return n
}
