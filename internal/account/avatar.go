package account

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"image"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/stratus-drive/stratus/internal/drive"
	"github.com/stratus-drive/stratus/internal/errs"
	"github.com/stratus-drive/stratus/internal/hashid"
	"github.com/stratus-drive/stratus/internal/storage"
	"golang.org/x/image/draw"
)

// maxAvatarPixels refuses decompression bombs before decoding pixels.
const maxAvatarPixels = 40_000_000

// Avatar says how to answer GET /user/avatar/:id.
type Avatar struct {
	Redirect string // Gravatar URL to redirect to, when set
	// Content is the stored PNG, when set; the caller closes it. It is an
	// *os.File on local storage, so that ranges and sendfile work.
	Content io.ReadCloser
	Size    int64
	ModTime time.Time // Last-Modified of Content
	// Neither Redirect nor Content: the user has no avatar (HTTP 404).
}

// Avatar resolves the avatar of the user with publicID.
func (s *Service) Avatar(ctx context.Context, publicID string) (Avatar, error) {
	const op = "account.Avatar"
	id, err := s.ids.Decode(publicID, hashid.User)
	if err != nil {
		return Avatar{}, errs.E(op, err)
	}
	u, err := s.db.UserByID(ctx, id)
	if errs.Is(errs.NotExist, err) {
		return Avatar{}, errs.E(op, ErrUserNotFound)
	} else if err != nil {
		return Avatar{}, errs.E(op, err)
	}
	switch u.Avatar {
	case "gravatar":
		base, err := url.Parse(s.settings.String("gravatar_server"))
		if err != nil || base.Host == "" {
			return Avatar{}, nil
		}
		sum := md5.Sum([]byte(strings.ToLower(strings.TrimSpace(u.Email))))
		return Avatar{Redirect: fmt.Sprintf("%s://%s/avatar/%s?d=mm&s=200", base.Scheme, base.Host, hex.EncodeToString(sum[:]))}, nil
	case "file":
		key := avatarKey(u.ID)
		obj, err := s.avatars.Stat(ctx, key)
		if errs.Is(errs.NotExist, err) {
			return Avatar{}, nil
		} else if err != nil {
			return Avatar{}, errs.E(op, err)
		}
		var rc io.ReadCloser
		if lf, ok := storage.As[storage.LocalFiler](s.avatars); ok {
			rc, err = lf.OpenFile(ctx, key)
		} else {
			rc, err = s.avatars.Open(ctx, key, 0, -1)
		}
		if errs.Is(errs.NotExist, err) {
			return Avatar{}, nil // replaced or removed since the Stat
		} else if err != nil {
			return Avatar{}, errs.E(op, err)
		}
		return Avatar{Content: rc, Size: obj.Size, ModTime: obj.ModTime}, nil
	}
	return Avatar{}, nil
}

func avatarKey(uid int) string { return "avatar_" + strconv.Itoa(uid) + ".png" }

// SetAvatar stores an uploaded image as the actor's avatar, resized to the
// configured width. An empty body switches the avatar to Gravatar.
func (s *Service) SetAvatar(ctx context.Context, actor drive.Actor, body io.Reader, length int64, contentType string) error {
	const op = "account.SetAvatar"
	if actor.IsAnonymous() {
		return errs.E(op, ErrNotSignedIn)
	}
	if length == 0 {
		return s.db.SetUserAvatar(ctx, actor.User.ID, "gravatar")
	}
	if length < 0 || length > s.settings.Int("avatar_size") {
		return errs.E(op, ErrAvatarTooLarge)
	}
	// The size limit above bounds this buffer (4 MiB by default).
	raw, err := io.ReadAll(io.LimitReader(body, length+1))
	if err != nil {
		return errs.E(op, errs.Invalid, "Failed to read avatar", err)
	}
	if int64(len(raw)) != length {
		return errs.E(op, errs.Invalid, "Content length mismatch")
	}
	img, err := decodeAvatar(raw, contentType)
	if err != nil {
		return errs.E(op, errs.Invalid, "Invalid image", err)
	}
	width := int(s.settings.Int("avatar_size_l"))
	if width <= 0 {
		width = 200
	}
	// The driver's Put is atomic: a crash never leaves a half-written avatar.
	var buf bytes.Buffer
	if err := png.Encode(&buf, resize(img, width)); err != nil {
		return errs.E(op, errs.Internal, err)
	}
	if err := s.avatars.Put(ctx, avatarKey(actor.User.ID), &buf, int64(buf.Len())); err != nil {
		return errs.E(op, err)
	}
	return s.db.SetUserAvatar(ctx, actor.User.ID, "file")
}

func decodeAvatar(raw []byte, contentType string) (image.Image, error) {
	cfg, _, err := image.DecodeConfig(bytes.NewReader(raw))
	if err != nil {
		return nil, err
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width*cfg.Height > maxAvatarPixels {
		return nil, fmt.Errorf("image dimensions %dx%d not allowed", cfg.Width, cfg.Height)
	}
	r := bytes.NewReader(raw)
	switch strings.ToLower(strings.TrimSpace(strings.Split(contentType, ";")[0])) {
	case "image/jpeg", "image/jpg":
		return jpeg.Decode(r)
	case "image/gif":
		return gif.Decode(r)
	default:
		return png.Decode(r)
	}
}

func resize(src image.Image, width int) image.Image {
	b := src.Bounds()
	height := b.Dy() * width / b.Dx()
	if height < 1 {
		height = 1
	}
	dst := image.NewRGBA(image.Rect(0, 0, width, height))
	draw.CatmullRom.Scale(dst, dst.Bounds(), src, b, draw.Src, nil)
	return dst
}
