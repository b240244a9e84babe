package auth

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/stratus-drive/stratus/internal/errs"
)

// Signature failures (conventions §12). A bad signature has Kind Permission
// rather than Unauthenticated: it grants nothing, and an edge falling back to
// kinds must not answer 401, which the web client takes as "signed out".
var (
	// ErrSignatureMissing means there is no signature or it has no expiry part.
	ErrSignatureMissing = errs.NewSentinel(errs.Permission, "signature missing")
	// ErrSignatureExpired means a correct signature whose expiry has passed.
	ErrSignatureExpired = errs.NewSentinel(errs.Expired, "signature expired")
	// ErrSignatureInvalid means a signature that is unparsable or does not match.
	ErrSignatureInvalid = errs.NewSentinel(errs.Permission, "invalid signature")
)

// signQuery is the query parameter that carries a URL signature.
const signQuery = "sign"

// requestAuthPrefix starts the Authorization header of a signed request.
const requestAuthPrefix = "Bearer Cr "

// crHeaderPrefix selects the headers a signed request covers; crFilename is
// left out because it may be rewritten on the way.
const (
	crHeaderPrefix = "X-Cr-"
	crFilename     = "X-Cr-Filename"
)

// Sign returns the signature of body valid until expires (Unix seconds, 0
// for never): base64url with padding of HMAC-SHA256(key, body+":"+expires),
// then ":" and expires.
func Sign(key []byte, body string, expires int64) string {
	exp := strconv.FormatInt(expires, 10)
	m := hmac.New(sha256.New, key)
	m.Write([]byte(body + ":" + exp))
	return base64.URLEncoding.EncodeToString(m.Sum(nil)) + ":" + exp
}

// SignURL returns a copy of u with a sign query parameter over its path,
// valid until expires; a zero expires never expires. Only the path is
// signed: the query and host can be changed by whoever holds the URL, so
// they must not carry anything that grants access.
func SignURL(key []byte, u *url.URL, expires time.Time) *url.URL {
	signed := *u
	q := signed.Query()
	q.Set(signQuery, Sign(key, signedPath(u), unixOrZero(expires)))
	signed.RawQuery = q.Encode()
	return &signed
}

// VerifyURL checks the sign query parameter of u against its path at now.
// It fails with ErrSignatureMissing, ErrSignatureExpired or
// ErrSignatureInvalid. u is not modified.
func VerifyURL(key []byte, u *url.URL, now time.Time) error {
	const op = "auth.VerifyURL"
	if err := verify(key, signedPath(u), u.Query().Get(signQuery), now); err != nil {
		return errs.E(op, err)
	}
	return nil
}

// SignRequest sets the Authorization header of r for the internal
// signed-request scheme, covering r's path, its X-Cr-* headers and body,
// valid until expires (zero: never). body must be exactly what r will send,
// or "" for requests whose body is not signed (chunk uploads); headers added
// after signing are not covered.
func SignRequest(key []byte, r *http.Request, body string, expires time.Time) {
	r.Header.Set("Authorization", requestAuthPrefix+Sign(key, requestContent(r, body), unixOrZero(expires)))
}

// VerifyRequest checks the signature in r's Authorization header at now.
// body is the request body as read by the caller (under its own size limit),
// or "" where the scheme leaves the body unsigned. Errors are as for
// VerifyURL.
func VerifyRequest(key []byte, r *http.Request, body string, now time.Time) error {
	const op = "auth.VerifyRequest"
	sig, ok := strings.CutPrefix(r.Header.Get("Authorization"), requestAuthPrefix)
	if !ok {
		return errs.E(op, ErrSignatureMissing)
	}
	if err := verify(key, requestContent(r, body), sig, now); err != nil {
		return errs.E(op, err)
	}
	return nil
}

// verify checks sig against body. The MAC is checked before the expiry so
// that an expiry nobody signed is never reported as merely expired.
func verify(key []byte, body, sig string, now time.Time) error {
	if sig == "" {
		return ErrSignatureMissing
	}
	i := strings.LastIndexByte(sig, ':')
	if i < 0 {
		return ErrSignatureMissing
	}
	expires, err := strconv.ParseInt(sig[i+1:], 10, 64)
	if err != nil || expires < 0 {
		return ErrSignatureInvalid
	}
	// Comparing against the canonical spelling also rejects expiries written
	// with a sign or leading zeros, so each signature has one form.
	if subtle.ConstantTimeCompare([]byte(Sign(key, body, expires)), []byte(sig)) != 1 {
		return ErrSignatureInvalid
	}
	if expires != 0 && now.Unix() > expires {
		return ErrSignatureExpired
	}
	return nil
}

// signedPath is the body of a URL signature; an empty path counts as "/"
// because clients and proxies normalise one to the other.
func signedPath(u *url.URL) string {
	if u.Path == "" {
		return "/"
	}
	return u.Path
}

// requestContent is the string a signed request's signature covers: JSON
// {"Path","Header","Body"}, where Header is the sorted k=v list of X-Cr-*
// headers (first value each) joined by "&". encoding/json's HTML escaping
// is part of the format (it turns "&" into \u0026), so it stays on.
func requestContent(r *http.Request, body string) string {
	var hs []string
	for k, v := range r.Header {
		if strings.HasPrefix(k, crHeaderPrefix) && k != crFilename && len(v) > 0 {
			hs = append(hs, k+"="+v[0])
		}
	}
	sort.Strings(hs)
	// Marshalling three strings cannot fail.
	b, _ := json.Marshal(struct{ Path, Header, Body string }{r.URL.Path, strings.Join(hs, "&"), body})
	return string(b)
}

func unixOrZero(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.Unix()
}
