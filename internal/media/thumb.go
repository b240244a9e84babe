package media

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"image"
	"image/color"
	_ "image/gif" // the built-in generator decodes gif too
	"image/jpeg"
	"image/png"
	"io"
	"strings"
	"time"

	"golang.org/x/image/draw"

	"github.com/stratus-drive/stratus/internal/drive"
	"github.com/stratus-drive/stratus/internal/errs"
	"github.com/stratus-drive/stratus/internal/files"
	"github.com/stratus-drive/stratus/internal/store"
	"github.com/stratus-drive/stratus/internal/throttle"
)

// maxThumbPixels bounds the images the built-in generator decodes: the
// header is read first, so a small file declaring a huge canvas costs nothing.
const maxThumbPixels = 64_000_000

// thumbConcurrency is how many thumbnails a process decodes at once.
const thumbConcurrency = 2

// decodeBudgetBytes is the memory all thumbnail decodes of a process may
// hold at once, counted as the bytes of their decoded images (width ×
// height × bytes per pixel of the decoded form, read from the header before
// decoding). Pixels alone are not enough: a 497 KB 16-bit PNG of 8000×8000
// is 64 M pixels but 512 MB decoded. An image that needs more than the
// whole budget is not decoded at all; smaller ones wait for room.
const decodeBudgetBytes = 192 << 20

// Anonymous visitors (through public shares) may start this many thumbnail
// generations per address per minute; serving thumbnails that exist is free.
const (
	anonThumbsPerAddress = 20
	anonThumbWindow      = time.Minute
)

// builtinThumbExts are what the built-in generator decodes.
var builtinThumbExts = []string{"jpg", "jpeg", "png", "gif"}

// Thumbnail returns a signed URL of the thumbnail of the file at rawURI,
// generating and storing it on first use (30-files §7.4, data model §12).
// Only the built-in generator exists: jpg, jpeg, png and gif.
func (s *Service) Thumbnail(ctx context.Context, actor drive.Actor, rawURI string) (files.IssuedURL, time.Time, error) {
	const op = "media.Thumbnail"
	n, err := s.fs.Resolve(ctx, actor, rawURI)
	if err != nil {
		return files.IssuedURL{}, time.Time{}, errs.E(op, err)
	}
	if err := n.Require(files.CapThumb); err != nil {
		return files.IssuedURL{}, time.Time{}, errs.E(op, err)
	}
	f := n.File
	if f.IsFolder() || f.PrimaryEntity == 0 {
		return files.IssuedURL{}, time.Time{}, errs.E(op, files.ErrEntityNotExist)
	}
	metas, err := s.db.MetadataOf(ctx, []int{f.ID})
	if err != nil {
		return files.IssuedURL{}, time.Time{}, errs.E(op, err)
	}
	for _, m := range metas {
		if m.Name == drive.MetaThumbDisabled {
			return files.IssuedURL{}, time.Time{}, errs.E(op, files.ErrEntityNotExist, "thumbnails are disabled for this file")
		}
	}
	thumb, err := s.thumbEntity(ctx, f)
	if err != nil {
		return files.IssuedURL{}, time.Time{}, errs.E(op, err)
	}
	if thumb == nil {
		if actor.IsAnonymous() {
			if _, err := s.limiter.Reserve(ctx, throttle.Bucket{Key: throttle.Key("thumb_anon", throttle.ClientIPFrom(ctx)),
				Limit: anonThumbsPerAddress, Window: anonThumbWindow}); err != nil {
				return files.IssuedURL{}, time.Time{}, errs.E(op, err)
			}
		}
		thumb, err = s.generateThumb(ctx, f)
		if err != nil {
			if ctx.Err() == nil && !errs.Is(errs.Quota, err) && !errs.Is(errs.Conflict, err) {
				if derr := s.db.SetMetadata(context.WithoutCancel(ctx), store.Meta{FileID: f.ID,
					Name: drive.MetaThumbDisabled, Value: "", Public: true}); derr != nil {
					s.log.Warn("disabling thumbnails", "file", f.ID, "err", derr)
				}
			}
			if !errs.Is(errs.NotExist, err) {
				s.log.Info("thumbnail generation failed", "file", f.ID, "err", err)
			}
			return files.IssuedURL{}, time.Time{}, errs.E(op, files.ErrEntityNotExist, "no thumbnail")
		}
	}
	expires := s.fs.URLExpiry()
	name := n.Name + thumbExt(thumb.Source)
	return files.IssuedURL{URL: s.fs.ContentURL(thumb.ID, files.SpeedOf(actor), name, false, expires)}, expires, nil
}

// thumbEntity returns the thumbnail entity linked to f, or nil.
func (s *Service) thumbEntity(ctx context.Context, f *drive.File) (*drive.Entity, error) {
	es, err := s.db.EntitiesOfFile(ctx, f.ID)
	if err != nil {
		return nil, err
	}
	for _, e := range es {
		if e.Type == drive.EntityThumbnail && e.UploadSessionID == "" {
			return e, nil
		}
	}
	return nil, nil
}

// errNoThumb is why the built-in generator passed on a file.
var errNoThumb = errs.E("media.generateThumb", errs.NotExist, "no generator for this file")

// generateThumb renders the current version of f, stores the result as a
// thumbnail entity charged to the owner, and links it. When a concurrent
// request linked one first, that one is returned and this one discarded.
func (s *Service) generateThumb(ctx context.Context, f *drive.File) (*drive.Entity, error) {
	if !s.settings.Bool("thumb_builtin_enabled") || !files.ExtMatches(f.Name, builtinThumbExts) {
		return nil, errNoThumb
	}
	if max := s.settings.Int("thumb_builtin_max_size"); max > 0 && f.Size > max {
		return nil, errNoThumb
	}
	src, err := s.db.EntityByID(ctx, f.PrimaryEntity)
	if err != nil {
		return nil, err
	}
	drv, err := s.fs.Driver(ctx, src.PolicyID)
	if err != nil {
		return nil, err
	}
	open := func() (io.ReadCloser, error) { return drv.Open(ctx, src.Source, 0, -1) }
	data, format, err := s.renderThumb(ctx, open)
	if err != nil {
		return nil, err
	}
	var rnd [8]byte
	rand.Read(rnd[:])
	key := src.Source + "." + hex.EncodeToString(rnd[:]) + s.settings.String("thumb_entity_suffix") + "." + format
	if err := drv.Put(ctx, key, bytes.NewReader(data), int64(len(data))); err != nil {
		return nil, err
	}
	var out *drive.Entity
	// The owner's tree lock orders concurrent first requests: the second
	// one finds the first one's thumbnail.
	err = s.fs.InTreeLock(ctx, f.OwnerID, func(tx *store.Tx) error {
		cur, err := tx.FileByID(ctx, f.ID)
		if err != nil {
			return err
		}
		if cur.PrimaryEntity != src.ID {
			return errs.E("media.generateThumb", errs.Conflict, "the file changed while its thumbnail was made")
		}
		es, err := tx.EntitiesOfFile(ctx, f.ID)
		if err != nil {
			return err
		}
		for _, e := range es {
			if e.Type == drive.EntityThumbnail && e.UploadSessionID == "" {
				out = e
				return nil
			}
		}
		owner, err := tx.UserByID(ctx, f.OwnerID)
		if err != nil {
			return err
		}
		g, err := tx.Group(ctx, owner.GroupID)
		if err != nil {
			return err
		}
		ok, err := tx.ReserveStorage(ctx, f.OwnerID, int64(len(data)), g.MaxStorage)
		if err != nil {
			return err
		}
		if !ok {
			return files.ErrInsufficientCapacity
		}
		e := &drive.Entity{Type: drive.EntityThumbnail, Source: key, Size: int64(len(data)), ReferenceCount: 1,
			PolicyID: src.PolicyID, CreatedBy: f.OwnerID}
		if err := tx.InsertEntity(ctx, e); err != nil {
			return err
		}
		if err := tx.LinkEntity(ctx, f.ID, e.ID); err != nil {
			return err
		}
		out = e
		return nil
	})
	if err != nil || out.Source != key {
		if derr := drv.Delete(context.WithoutCancel(ctx), key); derr != nil {
			s.log.Warn("deleting an unused thumbnail", "key", key, "err", derr)
		}
	}
	if err != nil {
		return nil, err
	}
	return out, nil
}

// renderThumb decodes the image open returns, within maxThumbPixels and
// the decode budget, scales it to fit thumb_width × thumb_height keeping its
// aspect ratio (never enlarging), and encodes it per thumb_encode_method.
// It returns the bytes and the format's extension.
func (s *Service) renderThumb(ctx context.Context, open func() (io.ReadCloser, error)) ([]byte, string, error) {
	r, err := open()
	if err != nil {
		return nil, "", err
	}
	cfg, _, err := image.DecodeConfig(bufio.NewReader(r))
	r.Close()
	if err != nil {
		return nil, "", errs.E("media.renderThumb", errs.Invalid, "not a supported image", err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || int64(cfg.Width)*int64(cfg.Height) > maxThumbPixels {
		return nil, "", errs.E("media.renderThumb", errs.TooLarge, "image dimensions out of bounds")
	}
	need := decodedBytes(cfg)
	if need > decodeBudgetBytes {
		return nil, "", errs.E("media.renderThumb", errs.TooLarge, "decoded image larger than the decode budget")
	}
	select {
	case s.thumbSlots <- struct{}{}:
	case <-ctx.Done():
		return nil, "", ctx.Err()
	}
	defer func() { <-s.thumbSlots }()
	if err := s.decodeBudget.Acquire(ctx, need); err != nil {
		return nil, "", err
	}
	img, err := decodeImage(open)
	if err != nil {
		s.decodeBudget.Release(need)
		return nil, "", err
	}
	w, h := fitWithin(img.Bounds().Dx(), img.Bounds().Dy(),
		int(s.settings.Int("thumb_width")), int(s.settings.Int("thumb_height")))
	dst := image.NewNRGBA(image.Rect(0, 0, w, h))
	draw.BiLinear.Scale(dst, dst.Bounds(), img, img.Bounds(), draw.Src, nil)
	s.decodeBudget.Release(need) // the decoded image is garbage from here
	var buf bytes.Buffer
	if strings.EqualFold(s.settings.String("thumb_encode_method"), "png") {
		err = png.Encode(&buf, dst)
		return buf.Bytes(), "png", err
	}
	q := int(s.settings.Int("thumb_encode_quality"))
	if q <= 0 || q > 100 {
		q = 85
	}
	err = jpeg.Encode(&buf, dst, &jpeg.Options{Quality: q})
	return buf.Bytes(), "jpg", err
}

// decodeImage decodes the image open returns.
func decodeImage(open func() (io.ReadCloser, error)) (image.Image, error) {
	r, err := open()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	img, _, err := image.Decode(bufio.NewReader(r))
	if err != nil {
		return nil, errs.E("media.renderThumb", errs.Invalid, "undecodable image", err)
	}
	return img, nil
}

// decodedBytes is what the decoded form of an image with header cfg holds:
// width × height × the bytes per pixel of the type the decoder builds for
// its colour model (16-bit PNGs 8 or 2, 8-bit RGB(A) 4, gray and paletted 1,
// JPEG's YCbCr at most 3, CMYK 4).
func decodedBytes(cfg image.Config) int64 {
	var bpp int64
	switch m := cfg.ColorModel; m {
	case color.RGBA64Model, color.NRGBA64Model:
		bpp = 8
	case color.Gray16Model, color.Alpha16Model:
		bpp = 2
	case color.GrayModel, color.AlphaModel:
		bpp = 1
	case color.YCbCrModel:
		bpp = 3
	default:
		if _, ok := m.(color.Palette); ok {
			bpp = 1
		} else {
			bpp = 4
		}
	}
	return int64(cfg.Width) * int64(cfg.Height) * bpp
}

// fitWithin scales w×h down to fit maxW×maxH keeping the aspect ratio; at
// least one pixel each way.
func fitWithin(w, h, maxW, maxH int) (int, int) {
	if maxW <= 0 {
		maxW = 400
	}
	if maxH <= 0 {
		maxH = 300
	}
	if w <= maxW && h <= maxH {
		return w, h
	}
	nw, nh := maxW, int(int64(h)*int64(maxW)/int64(w))
	if nh > maxH {
		nw, nh = int(int64(w)*int64(maxH)/int64(h)), maxH
	}
	return max(nw, 1), max(nh, 1)
}

// thumbExt is the extension of a thumbnail's display name, from its key.
func thumbExt(key string) string {
	if strings.HasSuffix(key, ".png") {
		return ".png"
	}
	return ".jpg"
}
