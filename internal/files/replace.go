package files

import (
	"context"
	"io"

	"github.com/stratus-drive/stratus/internal/drive"
	"github.com/stratus-drive/stratus/internal/errs"
	"github.com/stratus-drive/stratus/internal/storage"
)

// ReplaceContent stores size bytes from body as the content of the file at
// rawURI (30-files §8.3): a new file when none is there, else a new current
// version (§2.4). previous, when set, is the entity hashid the caller
// edited; another current version is ErrStaleVersion. More than the site's
// maxEditSize is ErrFileTooLarge.
//
// It is an upload in one go: the same session, placeholder, quota
// reservation and completion as PUT /file/upload, with the body relayed
// part by part as it arrives, never held whole. Any failure discards the
// session, so nothing is left reserved.
func (s *Service) ReplaceContent(ctx context.Context, actor drive.Actor, rawURI, previous string, body io.Reader,
	size int64) (*Node, error) {
	const op = "files.ReplaceContent"
	if size < 0 {
		return nil, errs.E(op, ErrInvalidContentLength)
	}
	if max := s.settings.Int("maxEditSize"); max > 0 && size > max {
		return nil, errs.E(op, ErrFileTooLarge, "larger than the online edit limit")
	}
	sess, err := s.CreateUpload(ctx, actor, UploadRequest{URI: rawURI, Size: size, EntityType: "version",
		Previous: previous})
	if err != nil {
		return nil, errs.E(op, err)
	}
	if err := s.relay(ctx, actor, sess, body, size); err != nil {
		return nil, errs.E(op, err)
	}
	n, err := s.Info(ctx, actor, sess.URI.String())
	if err != nil {
		return nil, errs.E(op, err)
	}
	return n, nil
}

// relay stores size bytes of body through the parts of sess as they
// arrive; on any failure it discards the session.
func (s *Service) relay(ctx context.Context, actor drive.Actor, sess *UploadSession, body io.Reader, size int64) error {
	info := storage.UploadInfo{Size: size, PartSize: sess.ChunkSize}
	for i := range info.NumParts() {
		_, length, _ := info.Part(i)
		if err := s.UploadChunk(ctx, actor, sess.ID, i, io.LimitReader(body, length), length); err != nil {
			s.discard(ctx, sess.ID)
			return err
		}
	}
	return nil
}

// discard removes an upload session after a failure, if it is still there.
func (s *Service) discard(ctx context.Context, id string) {
	ctx = context.WithoutCancel(ctx)
	sess, err := s.db.UploadSessionByID(ctx, id)
	if err != nil {
		return // completed or removed meanwhile
	}
	if err := s.discardUpload(ctx, sess); err != nil {
		s.log.Warn("discarding a failed upload", "session", id, "err", err)
	}
}
