package webdav

import (
	"bufio"
	"context"
	"encoding/base64"
	"encoding/json"
	"encoding/xml"
	"mime"
	"net/http"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/stratus-drive/stratus/internal/drive"
	"github.com/stratus-drive/stratus/internal/files"
	"github.com/stratus-drive/stratus/internal/hashid"
)

// Properties. Live properties are computed from the file row; dead ones
// (PROPPATCH, any namespace) are metadata entries dav:<namespace>|<local>
// holding {"l": xml:lang, "i": base64 of the value's inner XML} (§B).

const deadPrefix = "dav:"

// The live properties, in the order allprop lists them. The RFC 4331 quota
// properties are live but, as that RFC asks, only listed when named.
var liveProps = []string{"resourcetype", "displayname", "getcontentlength", "getlastmodified", "creationdate",
	"getcontenttype", "getetag", "supportedlock", "lockdiscovery"}

var quotaProps = []string{"quota-used-bytes", "quota-available-bytes"}

func isLive(n xml.Name) bool {
	if n.Space != "DAV:" {
		return false
	}
	for _, p := range liveProps {
		if p == n.Local {
			return true
		}
	}
	for _, p := range quotaProps {
		if p == n.Local {
			return true
		}
	}
	return false
}

// deadKey is the metadata key of dead property n.
func deadKey(n xml.Name) string { return deadPrefix + n.Space + "|" + n.Local }

// deadName parses a metadata key back into a property name.
func deadName(key string) (xml.Name, bool) {
	rest, ok := strings.CutPrefix(key, deadPrefix)
	if !ok {
		return xml.Name{}, false
	}
	i := strings.LastIndexByte(rest, '|')
	if i < 0 || i == len(rest)-1 {
		return xml.Name{}, false
	}
	return xml.Name{Space: rest[:i], Local: rest[i+1:]}, true
}

type deadValue struct {
	Lang  string `json:"l,omitempty"`
	Inner string `json:"i"`
}

// propfindMode is what a PROPFIND asks for.
type propfindMode int

const (
	modeAllProp propfindMode = iota
	modePropName
	modeProp
)

type propfindReq struct {
	mode  propfindMode
	names []xml.Name // modeProp: the named properties; modeAllProp: <include>
}

func parsePropfind(doc *xmlDoc) (propfindReq, error) {
	if doc == nil {
		return propfindReq{mode: modeAllProp}, nil
	}
	if doc.Name != davName("propfind") {
		return propfindReq{}, statusErr(http.StatusBadRequest, "the body is not a propfind")
	}
	var req propfindReq
	found := false
	for _, c := range doc.Children {
		switch c.Name {
		case davName("allprop"):
			req.mode, found = modeAllProp, true
		case davName("propname"):
			req.mode, found = modePropName, true
		case davName("prop"):
			req.mode, found = modeProp, true
			for _, p := range c.Children {
				req.names = append(req.names, p.Name)
			}
		}
	}
	if !found {
		return propfindReq{}, statusErr(http.StatusBadRequest, "propfind names nothing to find")
	}
	if req.mode == modeAllProp {
		if inc := doc.child(davName("include")); inc != nil {
			for _, p := range inc.Children {
				req.names = append(req.names, p.Name)
			}
		}
	}
	return req, nil
}

// needsDead reports whether the request reads dead properties.
func (p propfindReq) needsDead() bool {
	if p.mode != modeProp {
		return true
	}
	for _, n := range p.names {
		if !isLive(n) {
			return true
		}
	}
	return false
}

func (p propfindReq) needsLocks() bool {
	if p.mode == modeAllProp {
		return true
	}
	for _, n := range p.names {
		if n == davName("lockdiscovery") {
			return true
		}
	}
	return false
}

// childPage is how many children are read, and written, at a time.
const childPage = 1000

// propfind streams a multistatus: the target, then (Depth 1 or infinity)
// its members page by page, so memory stays bounded whatever the folder's
// size.
func (h *Handler) propfind(w http.ResponseWriter, q *request) error {
	ctx := q.r.Context()
	depth := q.r.Header.Get("Depth")
	switch strings.ToLower(depth) {
	case "0", "1":
	case "", "infinity":
		depth = "infinity"
	default:
		return statusErr(http.StatusBadRequest, "bad Depth")
	}
	doc, err := readXML(q.r)
	if err != nil {
		return err
	}
	req, err := parsePropfind(doc)
	if err != nil {
		return err
	}
	n, err := h.files.Resolve(ctx, q.actor(), q.uri.String())
	if err != nil {
		return err
	}
	if depth != "0" && n.File.IsFolder() {
		if err := n.Enter(); err != nil { // a shortcut: 403 before the multistatus starts
			return err
		}
	}
	if depth == "infinity" && n.File.IsFolder() {
		if err := h.files.CheckWalk(ctx, q.actor(), n); err != nil {
			return statusErr(http.StatusForbidden, "the folder is too large for Depth: infinity")
		}
	}
	pw := &propWriter{h: h, q: q, req: req, now: time.Now()}
	if req.needsLocks() && n.File.ID != 0 {
		if pw.locks, err = h.files.LiveLocks(ctx, n.File.OwnerID); err != nil {
			return err
		}
	}
	if req.needsDead() {
		if err := h.files.LoadMetadata(ctx, []*files.Node{n}); err != nil {
			return err
		}
	}
	w.Header().Set("Content-Type", "application/xml; charset=utf-8")
	w.WriteHeader(http.StatusMultiStatus)
	pw.w = bufio.NewWriterSize(w, 32<<10)
	pw.w.WriteString(`<?xml version="1.0" encoding="utf-8"?>` + "\n" + `<D:multistatus xmlns:D="DAV:">`)
	self := href(q.path, n.File.IsFolder())
	if err := pw.response(ctx, n, self); err != nil {
		panic(http.ErrAbortHandler)
	}
	if depth != "0" && n.File.IsFolder() {
		if err := pw.members(ctx, n, self, depth == "infinity"); err != nil {
			h.log.Warn("webdav PROPFIND cut short", "err", err)
			panic(http.ErrAbortHandler) // a truncated multistatus must not look complete
		}
	}
	pw.w.WriteString("</D:multistatus>")
	return pw.w.Flush()
}

// propWriter writes the responses of one PROPFIND.
type propWriter struct {
	h     *Handler
	q     *request
	req   propfindReq
	w     *bufio.Writer
	locks *files.LockSet
	now   time.Time
	buf   []byte // scratch for formatting
}

// members writes the responses of n's members; base is n's escaped href,
// ending in "/", to which each member's escaped name is appended.
func (pw *propWriter) members(ctx context.Context, n *files.Node, base string, recursive bool) error {
	return pw.h.files.EachChild(ctx, pw.q.actor(), n, childPage, func(page []*files.Node) error {
		if pw.req.needsDead() {
			if err := pw.h.files.LoadMetadata(ctx, page); err != nil {
				return err
			}
		}
		for _, c := range page {
			h := base + escapeSegment(c.Name)
			if c.File.IsFolder() {
				h += "/"
			}
			if err := pw.response(ctx, c, h); err != nil {
				return err
			}
			if recursive && c.Enter() == nil { // shortcuts are listed, not entered
				if err := pw.members(ctx, c, h, true); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// response writes the <response> of node n at the escaped path h.
func (pw *propWriter) response(ctx context.Context, n *files.Node, h string) error {
	w := pw.w
	w.WriteString("<D:response><D:href>")
	xml.EscapeText(w, []byte(h))
	w.WriteString("</D:href>")
	switch pw.req.mode {
	case modePropName:
		w.WriteString("<D:propstat><D:prop>")
		for _, p := range liveProps {
			if pw.has(n, p) {
				w.WriteString("<D:" + p + "/>")
			}
		}
		for _, name := range deadNames(n) {
			writeEmptyElem(w, name)
		}
		w.WriteString("</D:prop><D:status>HTTP/1.1 200 OK</D:status></D:propstat>")
	case modeAllProp:
		w.WriteString("<D:propstat><D:prop>")
		for _, p := range liveProps {
			if err := pw.live(ctx, n, p); err != nil {
				return err
			}
		}
		for _, name := range deadNames(n) {
			writeDead(w, name, n.File.Metadata[deadKey(name)])
		}
		var missing []xml.Name
		for _, name := range pw.req.names { // <include>: quota, for one
			if name.Space == "DAV:" && pw.has(n, name.Local) && !contains(liveProps, name.Local) {
				if err := pw.live(ctx, n, name.Local); err != nil {
					return err
				}
			} else if !isLive(name) && n.File.Metadata[deadKey(name)] == "" {
				missing = append(missing, name)
			}
		}
		w.WriteString("</D:prop><D:status>HTTP/1.1 200 OK</D:status></D:propstat>")
		writeMissing(w, missing)
	case modeProp:
		var missing []xml.Name
		w.WriteString("<D:propstat><D:prop>")
		for _, name := range pw.req.names {
			switch {
			case isLive(name) && pw.has(n, name.Local):
				if err := pw.live(ctx, n, name.Local); err != nil {
					return err
				}
			case !isLive(name) && n.File.Metadata[deadKey(name)] != "":
				writeDead(w, name, n.File.Metadata[deadKey(name)])
			default:
				missing = append(missing, name)
			}
		}
		w.WriteString("</D:prop><D:status>HTTP/1.1 200 OK</D:status></D:propstat>")
		writeMissing(w, missing)
	}
	w.WriteString("</D:response>")
	return nil
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func writeMissing(w *bufio.Writer, missing []xml.Name) {
	if len(missing) == 0 {
		return
	}
	w.WriteString("<D:propstat><D:prop>")
	for _, name := range missing {
		writeEmptyElem(w, name)
	}
	w.WriteString("</D:prop><D:status>HTTP/1.1 404 Not Found</D:status></D:propstat>")
}

// has reports whether live property p applies to n.
func (pw *propWriter) has(n *files.Node, p string) bool {
	switch p {
	case "getcontentlength", "getcontenttype", "getetag":
		return !n.File.IsFolder()
	case "quota-used-bytes", "quota-available-bytes":
		return n.File.IsFolder() && n.Owned && n.FS == drive.FSMy
	case "lockdiscovery", "supportedlock":
		return true
	case "creationdate", "getlastmodified":
		return !n.File.CreatedAt.IsZero()
	}
	return contains(liveProps, p)
}

// live writes live property p of n.
func (pw *propWriter) live(ctx context.Context, n *files.Node, p string) error {
	w := pw.w
	f := n.File
	switch p {
	case "resourcetype":
		if f.IsFolder() {
			w.WriteString("<D:resourcetype><D:collection/></D:resourcetype>")
		} else {
			w.WriteString("<D:resourcetype/>")
		}
	case "displayname":
		w.WriteString("<D:displayname>")
		xml.EscapeText(w, []byte(n.Name))
		w.WriteString("</D:displayname>")
	case "getcontentlength":
		pw.buf = append(strconv.AppendInt(append(pw.buf[:0], "<D:getcontentlength>"...), f.Size, 10),
			"</D:getcontentlength>"...)
		w.Write(pw.buf)
	case "getlastmodified":
		if !f.UpdatedAt.IsZero() {
			pw.buf = append(f.UpdatedAt.UTC().AppendFormat(append(pw.buf[:0], "<D:getlastmodified>"...),
				http.TimeFormat), "</D:getlastmodified>"...)
			w.Write(pw.buf)
		}
	case "creationdate":
		if !f.CreatedAt.IsZero() {
			pw.buf = append(f.CreatedAt.UTC().AppendFormat(append(pw.buf[:0], "<D:creationdate>"...),
				time.RFC3339), "</D:creationdate>"...)
			w.Write(pw.buf)
		}
	case "getcontenttype":
		w.WriteString("<D:getcontenttype>")
		xml.EscapeText(w, []byte(contentType(n.Name)))
		w.WriteString("</D:getcontenttype>")
	case "getetag":
		w.WriteString("<D:getetag>" + pw.h.etag(f) + "</D:getetag>") // quotes and hashid letters only
	case "supportedlock":
		w.WriteString("<D:supportedlock>" +
			"<D:lockentry><D:lockscope><D:exclusive/></D:lockscope><D:locktype><D:write/></D:locktype></D:lockentry>" +
			"<D:lockentry><D:lockscope><D:shared/></D:lockscope><D:locktype><D:write/></D:locktype></D:lockentry>" +
			"</D:supportedlock>")
	case "lockdiscovery":
		w.WriteString("<D:lockdiscovery>")
		if pw.locks != nil {
			locks, err := pw.locks.Covering(ctx, f)
			if err != nil {
				return err
			}
			for _, l := range locks {
				writeActiveLock(w, l, pw.now)
			}
		}
		w.WriteString("</D:lockdiscovery>")
	case "quota-used-bytes":
		w.WriteString("<D:quota-used-bytes>" + strconv.FormatInt(pw.q.actor().User.Storage, 10) + "</D:quota-used-bytes>")
	case "quota-available-bytes":
		avail := int64(0)
		if g := pw.q.actor().Group(); g != nil {
			avail = max(0, g.MaxStorage-pw.q.actor().User.Storage)
		}
		w.WriteString("<D:quota-available-bytes>" + strconv.FormatInt(avail, 10) + "</D:quota-available-bytes>")
	}
	return nil
}

// etag is the entity tag of a file: its current version's hashid, the
// same tag the REST content URLs carry.
func (h *Handler) etag(f *drive.File) string {
	return `"` + h.ids.Encode(f.PrimaryEntity, hashid.Entity) + `"`
}

func contentType(name string) string {
	if t := mime.TypeByExtension(path.Ext(name)); t != "" {
		return t
	}
	return "application/octet-stream"
}

// deadNames lists the dead properties of n, in key order.
func deadNames(n *files.Node) []xml.Name {
	var out []xml.Name
	for k := range n.File.Metadata {
		if name, ok := deadName(k); ok {
			out = append(out, name)
		}
	}
	slices.SortFunc(out, func(a, b xml.Name) int { return strings.Compare(deadKey(a), deadKey(b)) })
	return out
}

func writeEmptyElem(w *bufio.Writer, name xml.Name) {
	if name.Space == "DAV:" {
		w.WriteString("<D:" + name.Local + "/>")
		return
	}
	w.WriteString("<" + name.Local + ` xmlns="`)
	xml.EscapeText(w, []byte(name.Space))
	w.WriteString(`"/>`)
}

func writeDead(w *bufio.Writer, name xml.Name, stored string) {
	var v deadValue
	inner := ""
	if json.Unmarshal([]byte(stored), &v) == nil {
		if b, err := base64.StdEncoding.DecodeString(v.Inner); err == nil {
			inner = string(b)
		}
	}
	local := name.Local
	if name.Space == "DAV:" {
		local = "D:" + local
		w.WriteString("<" + local)
	} else {
		w.WriteString("<" + local + ` xmlns="`)
		xml.EscapeText(w, []byte(name.Space))
		w.WriteString(`"`)
	}
	if v.Lang != "" {
		w.WriteString(` xml:lang="`)
		xml.EscapeText(w, []byte(v.Lang))
		w.WriteString(`"`)
	}
	w.WriteString(">" + inner + "</" + local + ">")
}

// proppatch sets and removes dead properties, all or nothing (RFC 4918
// §9.2). Live properties are protected: asking to change one fails it with
// 403 and every other change with 424.
func (h *Handler) proppatch(w http.ResponseWriter, q *request) error {
	ctx := q.r.Context()
	doc, err := readXML(q.r)
	if err != nil {
		return err
	}
	if doc == nil || doc.Name != davName("propertyupdate") {
		return statusErr(http.StatusBadRequest, "the body is not a propertyupdate")
	}
	n, err := h.files.Resolve(ctx, q.actor(), q.uri.String())
	if err != nil {
		return err
	}
	var (
		patches   []files.PropPatch
		times     files.PropTimes
		names     []xml.Name
		protected = map[xml.Name]bool{}
	)
	for _, op := range doc.Children {
		remove := op.Name == davName("remove")
		if !remove && op.Name != davName("set") {
			continue
		}
		prop := op.child(davName("prop"))
		if prop == nil {
			return statusErr(http.StatusBadRequest, "set or remove without prop")
		}
		for _, p := range prop.Children {
			names = append(names, p.Name)
			if isLive(p.Name) {
				protected[p.Name] = true
				continue
			}
			key := deadKey(p.Name)
			if len(key) > 255 {
				protected[p.Name] = true
				continue
			}
			patch := files.PropPatch{Key: key, Remove: remove}
			if !remove {
				win32Time(p, &times)
				v, _ := json.Marshal(deadValue{Lang: p.lang(), Inner: base64.StdEncoding.EncodeToString([]byte(p.innerXML()))})
				patch.Value = string(v)
			}
			patches = append(patches, patch)
		}
	}
	status := "HTTP/1.1 200 OK"
	if len(protected) == 0 && len(patches) > 0 {
		if err := h.files.PatchDeadProps(ctx, q.actor(), n.URI.String(), patches, times); err != nil {
			return err
		}
	}
	w.Header().Set("Content-Type", "application/xml; charset=utf-8")
	w.WriteHeader(http.StatusMultiStatus)
	bw := bufio.NewWriter(w)
	bw.WriteString(`<?xml version="1.0" encoding="utf-8"?>` + "\n" + `<D:multistatus xmlns:D="DAV:"><D:response><D:href>`)
	xml.EscapeText(bw, []byte(href(q.path, n.File.IsFolder())))
	bw.WriteString("</D:href>")
	for _, name := range names {
		st := status
		if len(protected) > 0 {
			st = "HTTP/1.1 424 Failed Dependency"
			if protected[name] {
				st = "HTTP/1.1 403 Forbidden"
			}
		}
		bw.WriteString("<D:propstat><D:prop>")
		writeEmptyElem(bw, name)
		bw.WriteString("</D:prop><D:status>" + st + "</D:status>")
		if protected[name] && isLive(name) {
			bw.WriteString("<D:error><D:cannot-modify-protected-property/></D:error>")
		}
		bw.WriteString("</D:propstat>")
	}
	bw.WriteString("</D:response></D:multistatus>")
	return bw.Flush()
}

// win32Namespace is the namespace of the Win32* properties Windows sets.
const win32Namespace = "urn:schemas-microsoft-com:"

// win32Time reads Windows' Win32LastModifiedTime and Win32CreationTime (HTTP
// dates) into times, so that they set the file's times as X-OC-Mtime does;
// the properties are kept as dead ones too, for Windows to read back.
func win32Time(p *xmlElem, times *files.PropTimes) {
	if p.Name.Space != win32Namespace {
		return
	}
	t, err := http.ParseTime(p.text())
	if err != nil {
		return
	}
	switch p.Name.Local {
	case "Win32LastModifiedTime":
		times.Modified = t.UTC()
	case "Win32CreationTime":
		times.Created = t.UTC()
	}
}
