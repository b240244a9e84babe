package webdav

import (
	"errors"
	"io"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/stratus-drive/stratus/internal/bandwidth"
	"github.com/stratus-drive/stratus/internal/drive"
	"github.com/stratus-drive/stratus/internal/files"
	"github.com/stratus-drive/stratus/internal/httprange"
)

// get serves a file's content (GET, HEAD, and POST as clients use it) with
// ranges and conditional headers. Content always streams through this
// server: the one storage driver there is keeps its blobs here, so a
// redirect would only add a round trip (and litmus, like several clients,
// does not follow redirects).
func (h *Handler) get(w http.ResponseWriter, q *request) error {
	ctx := q.r.Context()
	n, err := h.files.Resolve(ctx, q.actor(), q.uri.String())
	if err != nil {
		return err
	}
	if n.File.IsFolder() {
		w.Header().Set("Allow", "OPTIONS, PROPFIND")
		return statusErr(http.StatusMethodNotAllowed, "folders have no content")
	}
	c, err := h.files.OpenNode(ctx, n)
	if err != nil {
		return err
	}
	defer c.Close()
	if q.r.Method != http.MethodHead { // a GET through a share-rooted account spends its download budget
		if err := h.files.SpendDownload(ctx, n); err != nil {
			return err
		}
	}
	hd := w.Header()
	hd.Set("ETag", h.etag(n.File))
	hd.Set("Content-Type", contentType(n.Name))
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Content-Security-Policy", "sandbox")
	var body io.ReadSeeker = c.Reader
	if c.File != nil {
		body = c.File
	}
	if speed := files.SpeedOf(q.actor()); speed > 0 {
		w = bandwidth.NewWriter(w, int64(speed), time.Now, time.Sleep) // the group speed limit
	}
	httprange.ServeContent(w, q.r, n.Name, c.ModTime, body) // ranges merged and capped, as on /api/v4
	return nil
}

// put stores the body as the file's content: a new file (201) or a new
// version (204). The size must be known before the first byte is stored,
// from Content-Length or, for chunked bodies (macOS Finder),
// X-Expected-Entity-Length; without either the answer is 411. An
// OC-Checksum is verified before the content becomes a version.
func (h *Handler) put(w http.ResponseWriter, q *request) error {
	ctx := q.r.Context()
	if len(q.path) == 0 {
		return statusErr(http.StatusMethodNotAllowed, "the root is a folder")
	}
	name := q.path[len(q.path)-1]
	if q.login.Account.Has(drive.DavDisableSysFiles) && strings.HasPrefix(name, ".") {
		return statusErr(http.StatusMethodNotAllowed, "this account does not take dot files")
	}
	size := q.r.ContentLength
	if size < 0 {
		v := q.r.Header.Get("X-Expected-Entity-Length")
		n, err := strconv.ParseInt(v, 10, 64)
		if v == "" || err != nil || n < 0 {
			return statusErr(http.StatusLengthRequired, "Content-Length or X-Expected-Entity-Length is required")
		}
		size = n
	}
	exists := false
	opt := files.PutOptions{Check: func(existing *drive.File) error { // before any byte is stored
		exists = existing != nil
		if exists && existing.IsFolder() {
			return statusErr(http.StatusMethodNotAllowed, "a folder has that name")
		}
		return h.checkPutConditions(q.r, existing)
	}}
	if v := q.r.Header.Get("X-OC-Mtime"); v != "" {
		if t, ok := parseUnixTime(v); ok {
			opt.ModTime = t
		}
	}
	body, err := checksummed(q.r.Header.Get("OC-Checksum"), q.r.Body, size)
	if err != nil {
		return err
	}
	f, err := h.files.PutContent(ctx, q.actor(), q.uri.String(), body, size, opt)
	if err != nil {
		return err
	}
	w.Header().Set("ETag", h.etag(f))
	if !opt.ModTime.IsZero() {
		w.Header().Set("X-OC-Mtime", "accepted")
	}
	if exists {
		w.WriteHeader(http.StatusNoContent)
	} else {
		w.WriteHeader(http.StatusCreated)
	}
	return nil
}

// checkPutConditions applies If-Match and If-None-Match to a write.
func (h *Handler) checkPutConditions(r *http.Request, existing *drive.File) error {
	current := ""
	if existing != nil {
		current = h.etag(existing)
	}
	if v := r.Header.Get("If-Match"); v != "" {
		if existing == nil || !etagListMatches(v, current) {
			return statusErr(http.StatusPreconditionFailed, "If-Match failed")
		}
	}
	if v := r.Header.Get("If-None-Match"); v != "" && existing != nil && etagListMatches(v, current) {
		return statusErr(http.StatusPreconditionFailed, "If-None-Match failed")
	}
	return nil
}

func etagListMatches(list, etag string) bool {
	for _, t := range strings.Split(list, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == "*" || t == etag {
			return true
		}
	}
	return false
}

// parseUnixTime reads X-OC-Mtime: seconds since the epoch, maybe with a
// fraction.
func parseUnixTime(v string) (time.Time, bool) {
	f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
	if err != nil || f <= 0 || f > math.MaxInt32*4 {
		return time.Time{}, false
	}
	sec, frac := math.Modf(f)
	return time.Unix(int64(sec), int64(frac*1e9)).UTC(), true
}

// mkcol creates a folder; its parent must exist (409) and nothing may be
// there yet (405). Bodies are not supported (415).
func (h *Handler) mkcol(w http.ResponseWriter, q *request) error {
	if q.r.ContentLength > 0 || len(q.r.TransferEncoding) > 0 {
		return statusErr(http.StatusUnsupportedMediaType, "MKCOL takes no body")
	}
	if len(q.path) == 0 {
		return statusErr(http.StatusMethodNotAllowed, "the root exists")
	}
	if _, err := h.files.MakeFolder(q.r.Context(), q.actor(), q.uri.String()); err != nil {
		return err
	}
	w.WriteHeader(http.StatusCreated)
	return nil
}

// delete moves the item to the trash.
func (h *Handler) delete(w http.ResponseWriter, q *request) error {
	ctx := q.r.Context()
	if d := q.r.Header.Get("Depth"); d != "" && !strings.EqualFold(d, "infinity") {
		return statusErr(http.StatusBadRequest, "DELETE takes Depth: infinity only")
	}
	n, err := h.files.Resolve(ctx, q.actor(), q.uri.String())
	if err != nil {
		return err
	}
	if len(q.path) == 0 || n.File.IsRoot() {
		return statusErr(http.StatusForbidden, "the root cannot be deleted")
	}
	if err := h.files.Delete(ctx, q.actor(), []string{n.URI.String()}, files.DeleteOptions{}); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// copyMove copies or moves the item to the Destination header's path, which
// must be on this host and under this mount (502 otherwise, as RFC 4918
// answers for another server).
func (h *Handler) copyMove(w http.ResponseWriter, q *request) error {
	ctx := q.r.Context()
	isCopy := q.r.Method == "COPY"
	dst, err := h.destination(q)
	if err != nil {
		return err
	}
	overwrite := true
	switch q.r.Header.Get("Overwrite") {
	case "", "T", "t":
	case "F", "f":
		overwrite = false
	default:
		return statusErr(http.StatusBadRequest, "bad Overwrite")
	}
	shallow := false
	switch d := strings.ToLower(q.r.Header.Get("Depth")); {
	case d == "" || d == "infinity":
	case d == "0" && isCopy:
		shallow = true
	default:
		return statusErr(http.StatusBadRequest, "bad Depth")
	}
	if len(q.path) == 0 {
		return statusErr(http.StatusForbidden, "the root cannot be moved or copied")
	}
	dstURI := join(q.root, dst)
	if dstURI.Equal(q.uri) {
		return statusErr(http.StatusForbidden, "source and destination are the same")
	}
	replaced, err := h.files.Transfer(ctx, q.actor(), q.uri.String(), dstURI.String(),
		files.TransferOptions{Copy: isCopy, Overwrite: overwrite, Shallow: shallow})
	if errors.Is(err, files.ErrNameConflict) {
		return statusErr(http.StatusPreconditionFailed, "the destination exists")
	}
	if err != nil {
		return err
	}
	if replaced {
		w.WriteHeader(http.StatusNoContent)
	} else {
		w.WriteHeader(http.StatusCreated)
	}
	return nil
}

// destination parses the Destination header into segments below the root.
func (h *Handler) destination(q *request) ([]string, error) {
	raw := q.r.Header.Get("Destination")
	if raw == "" {
		return nil, statusErr(http.StatusBadRequest, "Destination is required")
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, statusErr(http.StatusBadRequest, "bad Destination")
	}
	if u.Host != "" && !strings.EqualFold(u.Host, q.r.Host) {
		return nil, statusErr(http.StatusBadGateway, "Destination is on another server")
	}
	if u.User != nil {
		return nil, statusErr(http.StatusBadGateway, "Destination names a user")
	}
	segs, err := splitPath(u.EscapedPath())
	if err != nil {
		return nil, statusErr(http.StatusBadGateway, "Destination is outside this WebDAV mount")
	}
	return segs, nil
}
