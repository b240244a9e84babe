package drive

import (
	"net/url"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// FS is the file system a URI addresses: the host part of a file URI.
type FS string

// The file systems of conventions §9.
const (
	FSMy           FS = "my"
	FSShare        FS = "share"
	FSTrash        FS = "trash"
	FSSharedWithMe FS = "shared_with_me"
)

// uriScheme is the scheme of every file URI.
const uriScheme = "cloudreve"

// URI is a parsed file URI, cloudreve://[id[:password]@]fs[/path][?query].
//
// URIs from ParseURI are canonical: Path holds decoded, cleaned segments,
// so two spellings of one location compare Equal and format the same.
type URI struct {
	FS FS
	// ID is the userinfo user: the owner's user hashid in my ("" means the
	// requesting user) and the share hashid in share (always set there).
	// Trash and shared_with_me ignore it.
	ID string
	// Password is the share password; only share URIs use it.
	Password string
	// Path holds the decoded segments below the root. No segment is empty,
	// "." or "..", or contains "/" or control characters.
	Path []string
	// Query is the raw search query, nil when there is none. It is only
	// meaningful to listings; see ParseSearch.
	Query url.Values
}

// URIError reports why a string is not a valid file URI. Its text never
// repeats the input: a URI may carry a share password, and the reason is
// shown to clients.
type URIError struct {
	Reason string
}

// Error implements error.
func (e *URIError) Error() string { return "invalid file URI: " + e.Reason }

// SafeDetail implements errs.SafeDetailer: the reason names the rule broken.
func (e *URIError) SafeDetail() string { return e.Error() }

func uriErr(reason string) error { return &URIError{Reason: reason} }

// ParseURI parses a file URI as a URL (conventions §9). The scheme and the
// file system are case-insensitive; the path is percent-decoded segment by
// segment, then cleaned: "." and ".." are resolved and can never climb above
// the root, empty segments and a trailing slash are dropped.
//
// Because decoding happens per segment, an encoded slash (%2F) would end up
// inside a name. No name may contain "/", so such a URI could only address
// nothing, or be misread by some layer that re-joins segments; ParseURI
// rejects it instead. It also rejects fragments, invalid UTF-8 and control
// characters anywhere in the decoded user, password, path or query, and a
// share URI without a share ID.
func ParseURI(s string) (URI, error) {
	if !utf8.ValidString(s) {
		return URI{}, uriErr("not valid UTF-8")
	}
	if strings.ContainsRune(s, '#') {
		return URI{}, uriErr("fragments are not allowed")
	}
	pu, err := url.Parse(s)
	if err != nil {
		// err repeats the input; keep it out of the reason.
		return URI{}, uriErr("malformed URL")
	}
	if pu.Scheme != uriScheme { // url.Parse lower-cases the scheme.
		return URI{}, uriErr("scheme must be " + uriScheme)
	}
	// Everything after "scheme:" must be "//authority…"; otherwise the path
	// would be taken for the host or the host be missing.
	rest := s[len(uriScheme)+1:]
	if !strings.HasPrefix(rest, "//") || pu.Host == "" {
		return URI{}, uriErr("missing file system")
	}
	var u URI
	switch fs := FS(strings.ToLower(pu.Host)); fs {
	case FSMy, FSShare, FSTrash, FSSharedWithMe:
		u.FS = fs
	default:
		return URI{}, uriErr("unknown file system")
	}
	if pu.User != nil {
		u.ID = pu.User.Username()
		u.Password, _ = pu.User.Password()
		if !isCleanText(u.ID) || !isCleanText(u.Password) {
			return URI{}, uriErr("invalid UTF-8 or control character in user or password")
		}
	}
	if u.FS == FSShare && u.ID == "" {
		return URI{}, uriErr("share URI without a share ID")
	}

	// url.Parse has already decoded the path as a whole, which loses the
	// difference between "/" and "%2F". Split the raw path ourselves, cut
	// out exactly where url.Parse finds it: after the authority, before "?".
	rawPath, _, _ := strings.Cut(rest[2:], "?")
	if i := strings.IndexByte(rawPath, '/'); i >= 0 {
		rawPath = rawPath[i:]
	} else {
		rawPath = ""
	}
	for seg := range strings.SplitSeq(rawPath, "/") {
		name, err := url.PathUnescape(seg)
		if err != nil {
			return URI{}, uriErr("malformed percent-encoding in path")
		}
		switch {
		case strings.Contains(name, "/"):
			return URI{}, uriErr("encoded slash in path segment")
		case !isCleanText(name):
			return URI{}, uriErr("invalid UTF-8 or control character in path")
		}
		u.Path = appendClean(u.Path, name)
	}

	if pu.RawQuery != "" {
		q, err := url.ParseQuery(pu.RawQuery)
		if err != nil {
			return URI{}, uriErr("malformed query")
		}
		for k, vs := range q {
			for _, t := range append([]string{k}, vs...) {
				if !isCleanText(t) {
					return URI{}, uriErr("invalid UTF-8 or control character in query")
				}
			}
		}
		if len(q) > 0 {
			u.Query = q
		}
	}
	return u, nil
}

// appendClean adds one decoded segment to a clean path the way path.Clean
// would for an absolute path: ".." at the root stays at the root.
func appendClean(p []string, seg string) []string {
	switch seg {
	case "", ".":
		return p
	case "..":
		if len(p) > 0 {
			return p[:len(p)-1]
		}
		return p
	}
	return append(p, seg)
}

// isCleanText reports whether s is valid UTF-8 without control characters
// (C0, DEL, C1). Decoded text must pass it before it is used as a name, a
// hashid or a search term.
func isCleanText(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return false
		}
	}
	return true
}

// String formats u canonically: the user, password and each path segment
// escaped as JavaScript's encodeURIComponent does (as the web client and the
// reference server do), the query re-encoded with sorted keys, the root
// without a trailing slash. For any u from ParseURI,
// ParseURI(u.String()) is Equal to u.
func (u URI) String() string {
	var b strings.Builder
	b.WriteString(uriScheme + "://")
	if u.ID != "" || u.Password != "" {
		b.WriteString(escapeComponent(u.ID))
		if u.Password != "" {
			b.WriteByte(':')
			b.WriteString(escapeComponent(u.Password))
		}
		b.WriteByte('@')
	}
	b.WriteString(string(u.FS))
	for _, seg := range u.Path {
		b.WriteByte('/')
		b.WriteString(escapeComponent(seg))
	}
	if len(u.Query) > 0 {
		b.WriteByte('?')
		b.WriteString(u.Query.Encode())
	}
	return b.String()
}

// escapeComponent escapes everything but A–Z a–z 0–9 - _ . ! ~ * ' ( ),
// byte by byte with upper-case hex, like encodeURIComponent.
func escapeComponent(s string) string {
	const hex = "0123456789ABCDEF"
	n := 0
	for i := 0; i < len(s); i++ {
		if !isComponentSafe(s[i]) {
			n++
		}
	}
	if n == 0 {
		return s
	}
	b := make([]byte, 0, len(s)+2*n)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if isComponentSafe(c) {
			b = append(b, c)
		} else {
			b = append(b, '%', hex[c>>4], hex[c&15])
		}
	}
	return string(b)
}

func isComponentSafe(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return strings.IndexByte("-_.!~*'()", c) >= 0
}

// Join returns the URI of name inside u. name is taken as a relative path:
// its slash-separated elements are cleaned the way ParseURI cleans, so the
// result never climbs above the root. Join does not check names; callers
// creating items validate them with ValidateName first. The result has no
// query: it names an item, not a search.
func (u URI) Join(name string) URI {
	p := slices.Clone(u.Path)
	for seg := range strings.SplitSeq(name, "/") {
		p = appendClean(p, seg)
	}
	u.Path = slices.Clip(p)
	u.Query = nil
	return u
}

// Parent returns the URI of the folder holding u, without query, and false
// when u is the root, which has no parent.
func (u URI) Parent() (URI, bool) {
	if u.IsRoot() {
		return u, false
	}
	u.Path = slices.Clip(u.Path[:len(u.Path)-1])
	u.Query = nil
	return u, true
}

// Name returns the last path segment, "" for the root.
func (u URI) Name() string {
	if u.IsRoot() {
		return ""
	}
	return u.Path[len(u.Path)-1]
}

// IsRoot reports whether u addresses the root of its file system.
func (u URI) IsRoot() bool { return len(u.Path) == 0 }

// IsSearch reports whether the query holds any recognised search parameter,
// which turns a listing into a recursive search (conventions §9). Unknown
// parameters are ignored, as the reference ignores them.
func (u URI) IsSearch() bool {
	for k := range u.Query {
		if isSearchKey(k) {
			return true
		}
	}
	return false
}

// WithoutQuery returns u without its search query.
func (u URI) WithoutQuery() URI {
	u.Query = nil
	return u
}

// Equal reports whether u and v address the same location with the same
// query. A nil and an empty query are equal.
func (u URI) Equal(v URI) bool {
	if u.FS != v.FS || u.ID != v.ID || u.Password != v.Password ||
		!slices.Equal(u.Path, v.Path) || len(u.Query) != len(v.Query) {
		return false
	}
	for k, vs := range u.Query {
		ws, ok := v.Query[k]
		if !ok || !slices.Equal(vs, ws) {
			return false
		}
	}
	return true
}
