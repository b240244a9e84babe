package account

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"io"
	"testing"

	"github.com/stratus-drive/stratus/internal/hashid"
)

// TestAvatarThroughStorage: an uploaded avatar is stored through the
// storage driver, served from it, and replaced by a later upload; an empty
// upload switches to Gravatar.
func TestAvatarThroughStorage(t *testing.T) {
	h := newHarness(t, nil)
	alice := h.user("alice@example.com", "password 1")
	id := hashid.New("test").Encode(alice.User.ID, hashid.User)
	if av, err := h.s.Avatar(h.ctx, id); err != nil || av.Content != nil || av.Redirect != "" {
		t.Fatalf("before any upload: %+v %v", av, err)
	}
	for _, side := range []int{400, 50} {
		src := image.NewRGBA(image.Rect(0, 0, side, side))
		src.Set(0, 0, color.RGBA{R: 255, A: 255})
		var raw bytes.Buffer
		if err := png.Encode(&raw, src); err != nil {
			t.Fatal(err)
		}
		if err := h.s.SetAvatar(h.ctx, alice, bytes.NewReader(raw.Bytes()), int64(raw.Len()), "image/png"); err != nil {
			t.Fatal(err)
		}
		av, err := h.s.Avatar(h.ctx, id)
		if err != nil || av.Content == nil {
			t.Fatalf("after an upload: %+v %v", av, err)
		}
		body, err := io.ReadAll(av.Content)
		av.Content.Close()
		if err != nil || int64(len(body)) != av.Size {
			t.Fatalf("read %d of %d bytes: %v", len(body), av.Size, err)
		}
		img, err := png.Decode(bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		if w := img.Bounds().Dx(); w != 200 { // avatar_size_l, whatever the upload's size
			t.Errorf("%d px upload stored %d px wide", side, w)
		}
	}
	if err := h.s.SetAvatar(h.ctx, alice, bytes.NewReader(nil), 0, ""); err != nil {
		t.Fatal(err)
	}
	if av, err := h.s.Avatar(h.ctx, id); err != nil || av.Content != nil {
		t.Errorf("after switching to Gravatar: %+v %v", av, err)
	}
}
