package webdav

import (
	"bufio"
	"encoding/xml"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/stratus-drive/stratus/internal/files"
)

// lock takes a new lock (a lockinfo body) or refreshes one (no body; the
// token comes in the If header).
func (h *Handler) lock(w http.ResponseWriter, q *request) error {
	ctx := q.r.Context()
	timeout := parseTimeout(q.r.Header.Get("Timeout"))
	doc, err := readXML(q.r)
	if err != nil {
		return err
	}
	if doc == nil {
		if len(q.tokens) == 0 {
			return statusErr(http.StatusBadRequest, "a refresh needs the lock token in If")
		}
		var l *files.DavLock
		for _, t := range q.tokens {
			if l, err = h.files.RefreshLock(ctx, q.actor(), q.uri.String(), t, timeout); err == nil {
				break
			}
		}
		if errors.Is(err, files.ErrLockNotExist) {
			return statusErr(http.StatusPreconditionFailed, "no such lock")
		} else if err != nil {
			return err
		}
		return writeLockResponse(w, l, http.StatusOK)
	}
	if doc.Name != davName("lockinfo") {
		return statusErr(http.StatusBadRequest, "the body is not a lockinfo")
	}
	req := files.LockRequest{URI: q.uri.String(), Root: href(q.path, false), Timeout: timeout}
	scope := doc.child(davName("lockscope"))
	switch {
	case scope != nil && scope.child(davName("exclusive")) != nil:
	case scope != nil && scope.child(davName("shared")) != nil:
		req.Shared = true
	default:
		return statusErr(http.StatusBadRequest, "lockscope must be exclusive or shared")
	}
	if t := doc.child(davName("locktype")); t == nil || t.child(davName("write")) == nil {
		return statusErr(http.StatusBadRequest, "only write locks exist")
	}
	if o := doc.child(davName("owner")); o != nil {
		req.Holder = o.innerXML()
	}
	switch d := strings.ToLower(q.r.Header.Get("Depth")); d {
	case "", "infinity":
		req.DepthInfinity = true
	case "0":
	default:
		return statusErr(http.StatusBadRequest, "LOCK takes Depth 0 or infinity")
	}
	n, err := h.files.Resolve(ctx, q.actor(), q.uri.String())
	if err == nil && n.File.IsFolder() {
		req.Root = href(q.path, true)
	}
	l, created, err := h.files.Lock(ctx, q.actor(), req)
	if err != nil {
		return err
	}
	w.Header().Set("Lock-Token", "<"+l.Token+">")
	status := http.StatusOK
	if created {
		status = http.StatusCreated
	}
	return writeLockResponse(w, l, status)
}

func writeLockResponse(w http.ResponseWriter, l *files.DavLock, status int) error {
	w.Header().Set("Content-Type", "application/xml; charset=utf-8")
	w.WriteHeader(status)
	bw := bufio.NewWriter(w)
	bw.WriteString(`<?xml version="1.0" encoding="utf-8"?>` + "\n" + `<D:prop xmlns:D="DAV:"><D:lockdiscovery>`)
	writeActiveLock(bw, l, time.Now())
	bw.WriteString("</D:lockdiscovery></D:prop>")
	return bw.Flush()
}

func writeActiveLock(w *bufio.Writer, l *files.DavLock, now time.Time) {
	scope, depth := "exclusive", "0"
	if l.Shared {
		scope = "shared"
	}
	if l.DepthInfinity {
		depth = "infinity"
	}
	left := int64(l.ExpiresAt.Sub(now) / time.Second)
	w.WriteString("<D:activelock><D:locktype><D:write/></D:locktype><D:lockscope><D:" + scope +
		"/></D:lockscope><D:depth>" + depth + "</D:depth>")
	if l.Holder != "" {
		w.WriteString("<D:owner>" + l.Holder + "</D:owner>")
	}
	w.WriteString("<D:timeout>Second-" + strconv.FormatInt(max(left, 0), 10) + "</D:timeout><D:locktoken><D:href>")
	xml.EscapeText(w, []byte(l.Token))
	w.WriteString("</D:href></D:locktoken><D:lockroot><D:href>")
	xml.EscapeText(w, []byte(l.Root))
	w.WriteString("</D:href></D:lockroot></D:activelock>")
}

// parseTimeout reads the first usable value of a Timeout header; 0 means
// the longest the server grants.
func parseTimeout(v string) time.Duration {
	for _, t := range strings.Split(v, ",") {
		t = strings.TrimSpace(t)
		if strings.EqualFold(t, "Infinite") {
			return 0
		}
		if s, ok := strings.CutPrefix(t, "Second-"); ok {
			if n, err := strconv.ParseInt(s, 10, 64); err == nil && n > 0 {
				if n > int64(files.MaxLockTimeout/time.Second) {
					return 0
				}
				return time.Duration(n) * time.Second
			}
		}
	}
	return 0
}

// unlock releases the lock named by Lock-Token.
func (h *Handler) unlock(w http.ResponseWriter, q *request) error {
	token := strings.TrimSpace(q.r.Header.Get("Lock-Token"))
	token = strings.TrimSuffix(strings.TrimPrefix(token, "<"), ">")
	if token == "" {
		return statusErr(http.StatusBadRequest, "Lock-Token is required")
	}
	if err := h.files.Unlock(q.r.Context(), q.actor(), q.uri.String(), token); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// The If header (RFC 4918 §10.4): lists of conditions, each list optionally
// tagged with the resource it is about. The request may proceed when some
// list holds; then every state token in the header counts as submitted.

type ifCondition struct {
	not   bool
	token string // a state token, or
	etag  string // an entity tag
}

type ifList struct {
	resource string // the tag, "" for the request URI
	conds    []ifCondition
}

var errBadIf = statusErr(http.StatusBadRequest, "malformed If header")

func parseIf(v string) ([]ifList, error) {
	var (
		lists    []ifList
		resource string
	)
	s := strings.TrimSpace(v)
	for s != "" {
		switch s[0] {
		case '<':
			end := strings.IndexByte(s, '>')
			if end < 0 {
				return nil, errBadIf
			}
			resource = s[1:end]
			s = strings.TrimSpace(s[end+1:])
			if s == "" || s[0] != '(' {
				return nil, errBadIf
			}
		case '(':
			end := strings.IndexByte(s, ')')
			if end < 0 {
				return nil, errBadIf
			}
			conds, err := parseConditions(s[1:end])
			if err != nil {
				return nil, err
			}
			lists = append(lists, ifList{resource: resource, conds: conds})
			s = strings.TrimSpace(s[end+1:])
		default:
			return nil, errBadIf
		}
	}
	if len(lists) == 0 {
		return nil, errBadIf
	}
	return lists, nil
}

func parseConditions(s string) ([]ifCondition, error) {
	var out []ifCondition
	s = strings.TrimSpace(s)
	for s != "" {
		var c ifCondition
		if rest, ok := strings.CutPrefix(s, "Not"); ok {
			c.not = true
			s = strings.TrimSpace(rest)
		}
		if s == "" {
			return nil, errBadIf
		}
		switch s[0] {
		case '<':
			end := strings.IndexByte(s, '>')
			if end < 0 {
				return nil, errBadIf
			}
			c.token = s[1:end]
			s = s[end+1:]
		case '[':
			end := strings.IndexByte(s, ']')
			if end < 0 {
				return nil, errBadIf
			}
			c.etag = strings.TrimPrefix(s[1:end], "W/")
			s = s[end+1:]
		default:
			return nil, errBadIf
		}
		out = append(out, c)
		s = strings.TrimSpace(s)
	}
	if len(out) == 0 {
		return nil, errBadIf
	}
	return out, nil
}

// evalIf checks the If header, if any: 412 when no list holds. It returns
// the submitted lock tokens.
func (h *Handler) evalIf(q *request) ([]string, error) {
	v := q.r.Header.Get("If")
	if v == "" {
		return nil, nil
	}
	lists, err := parseIf(v)
	if err != nil {
		return nil, err
	}
	var tokens []string
	for _, l := range lists {
		for _, c := range l.conds {
			if c.token != "" && !c.not {
				tokens = append(tokens, c.token)
			}
		}
	}
	states := map[string]*resourceState{}
	for _, l := range lists {
		st, err := h.stateOf(q, l.resource, states)
		if err != nil {
			return nil, err
		}
		if st.holds(l.conds) {
			return tokens, nil
		}
	}
	return nil, statusErr(http.StatusPreconditionFailed, "no If condition holds")
}

// resourceState is what If conditions test of a resource: its entity tag
// and the tokens of the locks covering it.
type resourceState struct {
	exists bool
	etag   string
	tokens map[string]bool
}

func (st *resourceState) holds(conds []ifCondition) bool {
	for _, c := range conds {
		var ok bool
		if c.token != "" {
			ok = st.tokens[c.token]
		} else {
			ok = st.exists && c.etag == st.etag
		}
		if ok == c.not {
			return false
		}
	}
	return true
}

func (h *Handler) stateOf(q *request, tag string, cache map[string]*resourceState) (*resourceState, error) {
	if st, ok := cache[tag]; ok {
		return st, nil
	}
	st := &resourceState{tokens: map[string]bool{}}
	cache[tag] = st
	segs := q.path
	if tag != "" {
		u, err := url.Parse(tag)
		if err != nil {
			return st, nil
		}
		if u.Host != "" && !strings.EqualFold(u.Host, q.r.Host) {
			return st, nil // another server's resource holds no state here
		}
		if segs, err = splitPath(u.EscapedPath()); err != nil {
			return st, nil
		}
	}
	ctx := q.r.Context()
	n, err := h.files.Resolve(ctx, q.actor(), join(q.root, segs).String())
	if err != nil {
		if statusOf(err) == http.StatusNotFound {
			return st, nil
		}
		return nil, err
	}
	st.exists = true
	if !n.File.IsFolder() {
		st.etag = h.etag(n.File)
	}
	if n.File.ID == 0 {
		return st, nil
	}
	ls, err := h.files.LiveLocks(ctx, n.File.OwnerID)
	if err != nil {
		return nil, err
	}
	locks, err := ls.Covering(ctx, n.File)
	if err != nil {
		return nil, err
	}
	for _, l := range locks {
		st.tokens[l.Token] = true
	}
	return st, nil
}
