package api

import (
	"io"
	"net/http"
	"strconv"

	"github.com/stratus-drive/stratus/internal/api/wire"
	"github.com/stratus-drive/stratus/internal/errs"
	"github.com/stratus-drive/stratus/internal/files"
	"github.com/stratus-drive/stratus/internal/hashid"
)

type uploadRequest struct {
	URI          string            `json:"uri"`
	Size         *int64            `json:"size"`
	LastModified int64             `json:"last_modified"`
	MimeType     string            `json:"mime_type"`
	PolicyID     string            `json:"policy_id"`
	Metadata     map[string]string `json:"metadata"`
	EntityType   string            `json:"entity_type"`
	Previous     string            `json:"previous"`
}

type uploadSessionJSON struct {
	SessionID      string     `json:"session_id"`
	UploadID       string     `json:"upload_id"`
	ChunkSize      int64      `json:"chunk_size"`
	Expires        int64      `json:"expires"`
	StoragePolicy  policyJSON `json:"storage_policy"`
	URI            string     `json:"uri"`
	CallbackSecret string     `json:"callback_secret"`
}

func (h *handler) createUpload(w http.ResponseWriter, r *http.Request) (any, error) {
	var req uploadRequest
	if err := wire.Decode(r, &req); err != nil {
		return nil, err
	}
	var c wire.Check
	if err := c.Required("Path", req.URI).Err(); err != nil {
		return nil, err
	}
	if req.Size == nil {
		return nil, errs.E("api.createUpload", errs.Invalid, "size cannot be empty")
	}
	if req.PolicyID != "" {
		// Accepted for compatibility; the owner's group policy is always used.
		if _, err := h.IDs.Decode(req.PolicyID, hashid.Policy); err != nil {
			return nil, err
		}
	}
	sess, err := h.Files.CreateUpload(r.Context(), wire.Actor(r), files.UploadRequest{
		URI: req.URI, Size: *req.Size, LastModified: req.LastModified, MimeType: req.MimeType,
		Metadata: req.Metadata, EntityType: req.EntityType, Previous: req.Previous,
	})
	if err != nil {
		return nil, err
	}
	return uploadSessionJSON{
		SessionID: sess.ID, ChunkSize: sess.ChunkSize, Expires: sess.Expires.Unix(),
		StoragePolicy: h.policy(sess.Policy), URI: sess.URI.String(), CallbackSecret: sess.CallbackSecret,
	}, nil
}

// maxDrain bounds how much of a refused chunk is read to keep the
// connection reusable; beyond it the connection is simply closed.
const maxDrain = 4 << 20

func (h *handler) uploadChunk(w http.ResponseWriter, r *http.Request) (any, error) {
	index, err := strconv.Atoi(r.PathValue("index"))
	if err != nil || index < 0 {
		drain(r)
		return nil, files.ErrInvalidChunkIndex
	}
	length := r.ContentLength
	if length < 0 {
		length, err = strconv.ParseInt(r.Header.Get("X-Expected-Entity-Length"), 10, 64)
		if err != nil || length < 0 {
			drain(r)
			return nil, files.ErrInvalidContentLength
		}
	}
	actor := wire.Actor(r)
	uid := 0
	if actor.User != nil {
		uid = actor.User.ID
	}
	attempt := &chunkAttempt{rc: http.NewResponseController(w)}
	defer h.chunks.takeOver(uid, r.PathValue("session"), index, attempt)()
	err = h.Files.UploadChunk(r.Context(), actor, r.PathValue("session"), index, r.Body, length)
	if err != nil {
		drain(r)
		if attempt.superseded.Load() {
			return nil, errs.E("api.uploadChunk", files.ErrIO, "a newer attempt at this chunk took over")
		}
		return nil, err
	}
	return nil, nil
}

// drain reads what is left of a refused body, up to maxDrain, so that the
// connection can carry the next request. A body announced larger than that
// is left unread: the server closes the connection after the answer, and a
// client waiting on "Expect: 100-continue" gets the answer without sending
// the body (reading would tell the server to ask for it).
func drain(r *http.Request) {
	if r.ContentLength > maxDrain {
		return
	}
	_, _ = io.CopyN(io.Discard, r.Body, maxDrain)
}

func (h *handler) cancelUpload(w http.ResponseWriter, r *http.Request) (any, error) {
	var req struct {
		ID  string `json:"id"`
		URI string `json:"uri"`
	}
	if err := wire.Decode(r, &req); err != nil {
		return nil, err
	}
	var c wire.Check
	if err := c.Required("id", req.ID).Required("Path", req.URI).Err(); err != nil {
		return nil, err
	}
	return nil, h.Files.CancelUpload(r.Context(), wire.Actor(r), req.ID, req.URI)
}

func (h *handler) forceUnlock(w http.ResponseWriter, r *http.Request) (any, error) {
	var req struct {
		Tokens []string `json:"tokens"`
	}
	if err := wire.Decode(r, &req); err != nil {
		return nil, err
	}
	return nil, h.Files.ForceUnlock(r.Context(), wire.Actor(r), req.Tokens)
}
