package media

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/png"
	"strings"
	"testing"

	"github.com/stratus-drive/stratus/internal/drive"
	"github.com/stratus-drive/stratus/internal/files"
	"github.com/stratus-drive/stratus/internal/files/filestest"
	"github.com/stratus-drive/stratus/internal/throttle"
)

func pngOf(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	img.Set(0, 0, color.RGBA{G: 255, A: 255})
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestThumbnailLifecycle is a script: the first request makes and charges
// a thumbnail entity, the second reuses it, a new version drops it, and a
// file the generator cannot read is marked and refused from then on.
func TestThumbnailLifecycle(t *testing.T) {
	env := filestest.New(t)
	s := New(env.DB, env.Files, env.Settings, env.Log, throttle.New(env.KV, env.Log))
	ctx := env.Ctx
	alice := env.User(t, "alice@example.com")
	src := pngOf(t, 800, 600)
	n := env.Upload(t, alice, "cloudreve://my/p.png", src)

	thumbs := func() []*drive.Entity {
		t.Helper()
		es, err := env.DB.EntitiesOfFile(ctx, n.File.ID)
		if err != nil {
			t.Fatal(err)
		}
		var out []*drive.Entity
		for _, e := range es {
			if e.Type == drive.EntityThumbnail {
				out = append(out, e)
			}
		}
		return out
	}
	used := func() int64 {
		u, err := env.DB.UserByID(ctx, alice.User.ID)
		if err != nil {
			t.Fatal(err)
		}
		return u.Storage
	}
	first, _, err := s.Thumbnail(ctx, alice, "cloudreve://my/p.png")
	if err != nil || !strings.HasPrefix(first.URL, files.ContentPathPrefix) {
		t.Fatalf("first thumbnail: %+v %v", first, err)
	}
	ts := thumbs()
	if len(ts) != 1 || used() != int64(len(src))+ts[0].Size {
		t.Fatalf("thumbnails %d, used %d", len(ts), used())
	}
	if _, _, err := s.Thumbnail(ctx, alice, "cloudreve://my/p.png"); err != nil || len(thumbs()) != 1 {
		t.Fatalf("second request: %v, %d thumbnails", err, len(thumbs()))
	}

	env.Upload(t, alice, "cloudreve://my/p.png", pngOf(t, 10, 10))
	if len(thumbs()) != 0 {
		t.Errorf("a new version kept the old thumbnail")
	}

	env.Upload(t, alice, "cloudreve://my/bad.png", []byte("not a png"))
	for range 2 {
		if _, _, err := s.Thumbnail(ctx, alice, "cloudreve://my/bad.png"); !errors.Is(err, files.ErrEntityNotExist) {
			t.Errorf("undecodable image: %v", err)
		}
	}
	bad, err := env.Files.Info(ctx, alice, "cloudreve://my/bad.png")
	if err != nil {
		t.Fatal(err)
	}
	metas, err := env.DB.MetadataOf(ctx, []int{bad.File.ID})
	if err != nil {
		t.Fatal(err)
	}
	marked := false
	for _, m := range metas {
		marked = marked || m.Name == drive.MetaThumbDisabled
	}
	if !marked {
		t.Error("the undecodable image was not marked")
	}
}

// TestThumbnailRefusals is a table of what has no thumbnail.
func TestThumbnailRefusals(t *testing.T) {
	env := filestest.New(t)
	s := New(env.DB, env.Files, env.Settings, env.Log, throttle.New(env.KV, env.Log))
	alice := env.User(t, "alice@example.com")
	env.Upload(t, alice, "cloudreve://my/a.txt", []byte("text"))
	if _, err := env.Files.Create(env.Ctx, alice, "cloudreve://my/dir", drive.TypeFolder, nil, true); err != nil {
		t.Fatal(err)
	}
	for uri, want := range map[string]error{
		"cloudreve://my/a.txt":   files.ErrEntityNotExist,
		"cloudreve://my/dir":     files.ErrEntityNotExist,
		"cloudreve://my/missing": files.ErrPathNotExist,
		"cloudreve://trash":      files.ErrUnsupportedAction,
		"nonsense":               files.ErrInvalidURI,
	} {
		if _, _, err := s.Thumbnail(env.Ctx, alice, uri); !errors.Is(err, want) {
			t.Errorf("%s: %v, want %v", uri, err, want)
		}
	}
}
