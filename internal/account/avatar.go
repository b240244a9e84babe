package account

import (
	"bufio"
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
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/stratus-drive/stratus/internal/drive"
	"github.com/stratus-drive/stratus/internal/errs"
	"github.com/stratus-drive/stratus/internal/hashid"
	"golang.org/x/image/draw"
)

// maxAvatarPixels refuses decompression bombs before decoding pixels.
const maxAvatarPixels = 40_000_000

// Avatar says how to answer GET /user/avatar/:id.
type Avatar struct {
	Redirect string    // Gravatar URL to redirect to, when set
	Path     string    // PNG file to serve, when set
	ModTime  time.Time // Last-Modified for Path
	// Neither Redirect nor Path: the user has no avatar (HTTP 404).
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
		p := s.avatarPath(u.ID)
		st, err := os.Stat(p)
		if err != nil {
			return Avatar{}, nil
		}
		return Avatar{Path: p, ModTime: st.ModTime()}, nil
	}
	return Avatar{}, nil
}

func (s *Service) avatarPath(uid int) string {
	dir := s.settings.String("avatar_path")
	if !filepath.IsAbs(dir) {
		dir = filepath.Join(s.avatarDir, dir)
	}
	return filepath.Join(dir, "avatar_"+strconv.Itoa(uid)+".png")
}

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
	if err := writePNG(s.avatarPath(actor.User.ID), resize(img, width)); err != nil {
		return errs.E(op, errs.Internal, err)
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

// writePNG writes atomically: a crash never leaves a half-written avatar.
func writePNG(path string, img image.Image) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(path), ".avatar-*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name()) // no-op after the rename
	w := bufio.NewWriter(f)
	if err := png.Encode(w, img); err != nil {
		f.Close()
		return err
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}
