// Package webdav serves the user's drive over WebDAV (RFC 4918) at /dav
// (70-nodes-webdav-config §B): HTTP Basic with the user's e-mail and a
// WebDAV account's password, rooted at the account's folder, on top of the
// same files service as the REST API, so quota, name rules, versions, the
// trash and locks are the same rules.
//
// Stratus has its own handler rather than golang.org/x/net/webdav's: that one
// is shaped for an os-like filesystem (PUT as open-write-close with no size
// known up front, so quota cannot be reserved before the body is stored;
// PROPFIND collecting a whole folder in memory) and keeps locks in memory.
// Here PUT relays the body through the upload path with its size known,
// PROPFIND streams the multistatus page by page, and locks live in the
// database.
package webdav

import (
	"context"
	"encoding/xml"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/stratus-drive/stratus/internal/account"
	"github.com/stratus-drive/stratus/internal/drive"
	"github.com/stratus-drive/stratus/internal/errs"
	"github.com/stratus-drive/stratus/internal/files"
	"github.com/stratus-drive/stratus/internal/hashid"
	"github.com/stratus-drive/stratus/internal/throttle"
)

// Prefix is where the WebDAV server is mounted.
const Prefix = "/dav"

// Handler is the WebDAV server.
type Handler struct {
	accounts *account.Service
	files    *files.Service
	ids      *hashid.Codec
	log      *slog.Logger
	// proxyHeader names the header a trusted reverse proxy puts the client
	// address in ("" = none).
	proxyHeader string
}

// Deps are the collaborators of the handler.
type Deps struct {
	Accounts *account.Service
	Files    *files.Service
	IDs      *hashid.Codec
	Log      *slog.Logger
	// ProxyHeader is the [System] ProxyHeader setting.
	ProxyHeader string
}

// New builds the handler.
func New(d Deps) *Handler {
	return &Handler{accounts: d.Accounts, files: d.Files, ids: d.IDs, log: d.Log, proxyHeader: d.ProxyHeader}
}

// request is one authenticated WebDAV request.
type request struct {
	r       *http.Request
	login   *account.DavLogin
	root    drive.URI // the account's root
	path    []string  // segments below the root
	uri     drive.URI // root joined with path
	tokens  []string  // lock tokens submitted in the If header
	readErr error     // set when the body could not be read whole
}

func (q *request) actor() drive.Actor { return q.login.Actor }

func (q *request) readOnly() bool { return q.login.Account.Has(drive.DavReadOnly) }

// href is the URL path of the item at segs below the root.
func href(segs []string, folder bool) string {
	var b strings.Builder
	b.WriteString(Prefix)
	for _, s := range segs {
		b.WriteByte('/')
		b.WriteString(escapeSegment(s))
	}
	if folder || len(segs) == 0 {
		b.WriteByte('/')
	}
	return b.String()
}

// escapeSegment escapes a path segment for an href: everything but the
// unreserved characters and a few safe sub-delimiters.
func escapeSegment(s string) string {
	return strings.ReplaceAll(url.PathEscape(s), "+", "%2B")
}

// ServeHTTP authenticates and dispatches one request.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "private, no-cache")
	segs, err := splitPath(r.URL.EscapedPath())
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	user, pass, ok := r.BasicAuth()
	if !ok {
		if r.Method == http.MethodOptions {
			h.options(w, nil)
			return
		}
		w.Header().Set("WWW-Authenticate", `Basic realm="cloudreve"`)
		http.Error(w, "authentication required", http.StatusUnauthorized)
		return
	}
	login, err := h.accounts.DavSignIn(r.Context(), throttle.ClientIP(r, h.proxyHeader), user, pass)
	if err != nil {
		status := statusOf(err)
		if status == http.StatusUnauthorized {
			w.Header().Set("WWW-Authenticate", `Basic realm="cloudreve"`)
		}
		if status >= 500 {
			h.log.Error("webdav sign-in", "err", err)
		}
		http.Error(w, http.StatusText(status), status)
		return
	}
	throttle.Vouch(r.Context()) // a signed-in connection no longer counts against its address's cap
	root, err := drive.ParseURI(login.Account.URI)
	if err != nil || (root.FS != drive.FSMy && root.FS != drive.FSShare) {
		http.Error(w, "the account's root is not usable", http.StatusForbidden)
		return
	}
	q := &request{r: r, login: login, root: root, path: segs, uri: join(root, segs)}
	if err := h.serve(w, q); err != nil {
		h.fail(w, r, err)
	}
}

func join(root drive.URI, segs []string) drive.URI {
	u := root.WithoutQuery()
	u.Path = append(slices.Clone(root.Path), segs...)
	return u
}

// errStatus is an error that is an HTTP status of its own.
type errStatus struct {
	status int
	text   string
}

func (e *errStatus) Error() string { return e.text }

func statusErr(status int, text string) error { return &errStatus{status, text} }

// fail writes err as a bare status answer.
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	status := statusOf(err)
	var se *errStatus
	text := http.StatusText(status)
	if errors.As(err, &se) && se.text != "" {
		text = se.text
	}
	if status >= 500 && status != http.StatusInsufficientStorage {
		h.log.Error("webdav request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	http.Error(w, text, status)
}

// splitPath turns the escaped request path into decoded segments below the
// mount. Segments that could climb ("." and ".."), encoded slashes and
// control characters are refused rather than interpreted: no spelling
// reaches above the account root.
func splitPath(escaped string) ([]string, error) {
	rest, ok := strings.CutPrefix(escaped, Prefix)
	if !ok || (rest != "" && rest[0] != '/') {
		return nil, errors.New("not a WebDAV path")
	}
	var segs []string
	for _, raw := range strings.Split(rest, "/") {
		if raw == "" {
			continue
		}
		seg, err := url.PathUnescape(raw)
		if err != nil {
			return nil, errors.New("bad escape in path")
		}
		if seg == "." || seg == ".." || strings.ContainsAny(seg, "/\\") || hasControl(seg) {
			return nil, errors.New("illegal path segment")
		}
		segs = append(segs, seg)
	}
	return segs, nil
}

func hasControl(s string) bool {
	for _, c := range s {
		if c < 0x20 || c == 0x7f {
			return true
		}
	}
	return false
}

// serve dispatches an authenticated request.
func (h *Handler) serve(w http.ResponseWriter, q *request) error {
	switch q.r.Method {
	case http.MethodOptions:
		h.options(w, q)
		return nil
	case "PROPFIND":
		return h.propfind(w, q)
	case http.MethodGet, http.MethodHead, http.MethodPost:
		return h.get(w, q)
	}
	if q.readOnly() {
		return statusErr(http.StatusForbidden, "this WebDAV account is read-only")
	}
	tokens, err := h.evalIf(q)
	if err != nil {
		return err
	}
	q.tokens = tokens
	ctx := files.WithLockTokens(q.r.Context(), tokens)
	q.r = q.r.WithContext(ctx)
	switch q.r.Method {
	case http.MethodPut:
		return h.put(w, q)
	case "MKCOL":
		return h.mkcol(w, q)
	case http.MethodDelete:
		return h.delete(w, q)
	case "COPY", "MOVE":
		return h.copyMove(w, q)
	case "PROPPATCH":
		return h.proppatch(w, q)
	case "LOCK":
		return h.lock(w, q)
	case "UNLOCK":
		return h.unlock(w, q)
	}
	return statusErr(http.StatusMethodNotAllowed, "method not allowed")
}

// options answers OPTIONS: the DAV classes, and the methods the target
// allows the caller (non-owners and read-only accounts cannot write).
func (h *Handler) options(w http.ResponseWriter, q *request) {
	hd := w.Header()
	hd.Set("DAV", "1, 2")
	hd.Set("MS-Author-Via", "DAV")
	allow := "OPTIONS, PROPFIND"
	if q != nil {
		n, err := h.files.Resolve(q.r.Context(), q.actor(), q.uri.String())
		switch {
		case err != nil:
			if !q.readOnly() && q.uri.FS == drive.FSMy {
				allow += ", PUT, MKCOL, LOCK"
			}
		case n.File.IsFolder():
			allow += ", GET, HEAD"
			if n.Owned && n.FS == drive.FSMy && !q.readOnly() {
				allow += ", DELETE, COPY, MOVE, PROPPATCH, LOCK, UNLOCK"
			}
		default:
			allow += ", GET, HEAD, POST"
			if n.Owned && n.FS == drive.FSMy && !q.readOnly() {
				allow += ", PUT, DELETE, COPY, MOVE, PROPPATCH, LOCK, UNLOCK"
			}
		}
	}
	hd.Set("Allow", allow)
	w.WriteHeader(http.StatusOK)
}

// statusOf maps a service error to the WebDAV status (§B: not found 404,
// no permission 403, lock conflict 423, exists 405, unknown lock 409).
func statusOf(err error) int {
	var se *errStatus
	switch {
	case errors.As(err, &se):
		return se.status
	case errors.Is(err, files.ErrParentNotExist), errors.Is(err, files.ErrLockNotExist):
		return http.StatusConflict
	case errors.Is(err, files.ErrLockConflict):
		return http.StatusLocked
	case errors.Is(err, account.ErrWebDAVNotAllowed):
		return http.StatusForbidden
	case errors.Is(err, files.ErrInsufficientCapacity):
		return http.StatusInsufficientStorage
	case errors.Is(err, context.Canceled):
		return 499 // the client went away; nobody reads this
	}
	switch errs.KindOf(err) {
	case errs.NotExist:
		return http.StatusNotFound
	case errs.Exist:
		return http.StatusMethodNotAllowed
	case errs.Permission:
		return http.StatusForbidden
	case errs.Unauthenticated:
		return http.StatusUnauthorized
	case errs.Locked:
		return http.StatusLocked
	case errs.Quota:
		return http.StatusInsufficientStorage
	case errs.TooLarge:
		return http.StatusRequestEntityTooLarge
	case errs.Invalid:
		return http.StatusBadRequest
	case errs.Conflict:
		return http.StatusConflict
	case errs.RateLimited:
		return http.StatusTooManyRequests
	case errs.Unsupported:
		return http.StatusNotImplemented
	case errs.Unavailable:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

// maxXMLBody bounds PROPFIND, PROPPATCH and LOCK bodies.
const maxXMLBody = 1 << 20

// readXML decodes the request body (at most maxXMLBody bytes) with
// encoding/xml, which never expands entities other than the five
// predefined ones and ignores DTDs, so entity bombs do not explode; depth
// is bounded by the decoder wrapper.
func readXML(r *http.Request) (*xmlDoc, error) {
	if r.ContentLength > maxXMLBody {
		return nil, statusErr(http.StatusRequestEntityTooLarge, "XML body too large")
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxXMLBody+1))
	if err != nil {
		return nil, statusErr(http.StatusBadRequest, "reading the body failed")
	}
	if len(body) > maxXMLBody {
		return nil, statusErr(http.StatusRequestEntityTooLarge, "XML body too large")
	}
	if len(strings.TrimSpace(string(body))) == 0 {
		return nil, nil
	}
	doc, err := parseXML(body)
	if err != nil {
		return nil, statusErr(http.StatusBadRequest, "malformed XML: "+err.Error())
	}
	return doc, nil
}

// davName is a name in the DAV: namespace.
func davName(local string) xml.Name { return xml.Name{Space: "DAV:", Local: local} }
