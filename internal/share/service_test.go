package share

import (
	"errors"
	"testing"
	"time"

	"github.com/stratus-drive/stratus/internal/drive"
	"github.com/stratus-drive/stratus/internal/files"
	"github.com/stratus-drive/stratus/internal/files/filestest"
	"github.com/stratus-drive/stratus/internal/hashid"
)

// newService builds the share service over a filestest filesystem, on its clock.
func newService(t *testing.T) (*Service, *filestest.Env) {
	env := filestest.New(t)
	s := New(env.DB, env.Files, env.IDs, env.Settings)
	s.now = env.Clock.Now
	return s, env
}

// TestShareFollowsItsTarget is a script: share a file, a visitor sees it;
// the owner trashes it and the link is invalid everywhere; restored, it
// works again; an expiry on the clock ends it.
func TestShareFollowsItsTarget(t *testing.T) {
	s, env := newService(t)
	ctx := env.Ctx
	alice, bob := env.User(t, "alice@example.com"), env.User(t, "bob@example.com")
	env.Upload(t, alice, "cloudreve://my/docs/a.txt", []byte("hello"))
	link, err := s.Create(ctx, alice, Options{URI: "cloudreve://my/docs/a.txt", Expire: 3600})
	if err != nil {
		t.Fatal(err)
	}
	id := env.IDs.Encode(link.Share.ID, hashid.Share)
	shareRoot := "cloudreve://" + id + "@share"
	visible := func(what string, want bool) {
		t.Helper()
		info, err := s.Info(ctx, bob, id, InfoOptions{})
		l, lerr := env.Files.List(ctx, bob, shareRoot, files.ListOptions{PageSize: 10})
		switch {
		case want && (err != nil || info.Expired || lerr != nil || len(l.Files) != 1 || l.Files[0].Name != "a.txt"):
			t.Fatalf("%s: info %+v %v, listing %v", what, info, err, lerr)
		case !want && (!errors.Is(err, files.ErrShareNotExist) || !errors.Is(lerr, files.ErrShareNotExist)):
			t.Fatalf("%s: info %v, listing %v; want the link gone", what, err, lerr)
		}
	}
	visible("shared", true)

	if err := env.Files.Delete(ctx, alice, []string{"cloudreve://my/docs/a.txt"}, files.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	visible("target in the trash", false)
	page, err := s.List(ctx, alice, ListOptions{PageSize: 10})
	if err != nil || len(page.Links) != 1 || !page.Links[0].Expired {
		t.Fatalf("owner's list with the target trashed: %+v, %v", page, err)
	}

	trash, err := env.Files.List(ctx, alice, "cloudreve://trash", files.ListOptions{PageSize: 10})
	if err != nil || len(trash.Files) != 1 {
		t.Fatalf("trash: %v", err)
	}
	if err := env.Files.Restore(ctx, alice, []string{trash.Files[0].URI.String()}); err != nil {
		t.Fatal(err)
	}
	visible("restored", true)

	env.Clock.Advance(time.Hour + time.Second)
	visible("expired", false)
}

// TestShareDownloadBudget: every URL issued through a share spends one
// download; the last unit is spent once, then the link is gone.
func TestShareDownloadBudget(t *testing.T) {
	s, env := newService(t)
	ctx := env.Ctx
	alice, bob := env.User(t, "alice@example.com"), env.User(t, "bob@example.com")
	env.Upload(t, alice, "cloudreve://my/a.txt", []byte("hello"))
	link, err := s.Create(ctx, alice, Options{URI: "cloudreve://my/a.txt", Downloads: 2})
	if err != nil {
		t.Fatal(err)
	}
	uri := "cloudreve://" + env.IDs.Encode(link.Share.ID, hashid.Share) + "@share/a.txt"
	for i, ok := range []bool{true, true, false} {
		_, _, err := env.Files.IssueURLs(ctx, bob, files.URLRequest{URIs: []string{uri}})
		if ok != (err == nil) {
			t.Errorf("download %d: %v", i+1, err)
		}
	}
}

// TestShareRules is a table of who may share what.
func TestShareRules(t *testing.T) {
	s, env := newService(t)
	ctx := env.Ctx
	alice, bob := env.User(t, "alice@example.com"), env.User(t, "bob@example.com")
	env.Upload(t, alice, "cloudreve://my/a.txt", []byte("hello"))
	noShare := alice
	g := *alice.User.Group
	g.Permissions = drive.Boolset(nil)
	u := *alice.User
	u.Group = &g
	noShare.User = &u
	for _, c := range []struct {
		name  string
		actor drive.Actor
		opt   Options
		ok    bool
	}{
		{"owner", alice, Options{URI: "cloudreve://my/a.txt"}, true},
		{"with a password", alice, Options{URI: "cloudreve://my/a.txt", IsPrivate: true, Password: "abc123"}, true},
		{"a bad password", alice, Options{URI: "cloudreve://my/a.txt", IsPrivate: true, Password: "a b"}, false},
		{"the root", alice, Options{URI: "cloudreve://my"}, false},
		{"missing", alice, Options{URI: "cloudreve://my/b.txt"}, false},
		{"another user's path", bob, Options{URI: "cloudreve://my/a.txt"}, false},
		{"a group without sharing", noShare, Options{URI: "cloudreve://my/a.txt"}, false},
		{"anonymous", drive.Actor{}, Options{URI: "cloudreve://my/a.txt"}, false},
	} {
		_, err := s.Create(ctx, c.actor, c.opt)
		if c.ok != (err == nil) {
			t.Errorf("%s: %v", c.name, err)
		}
	}
}
