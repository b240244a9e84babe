// Package web serves Stratus's own web app: the bundle built from web/ and
// committed under dist, embedded in the binary so that a machine with only Go
// gets the app from `go run ./cmd/stratus server`.
//
// Hashed assets are cached for a year; index.html is revalidated on every
// load so that a new release reaches open tabs on their next navigation.
// Paths the app does not know fall back to index.html (client routes) unless
// they belong to a server namespace (/api, /dav, /s/, /f/), which must answer
// their own 404 rather than an HTML page.
package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	"time"
)

//go:embed all:dist
var bundle embed.FS

// Security headers on every response of the app. The CSP forbids inline
// script; styles set through the CSSOM (virtualised rows) are not inline
// style attributes and stay allowed. Media, images and uploads may come
// from a storage provider's signed URLs on another origin, hence https:.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; " +
	"img-src 'self' data: blob: https:; media-src 'self' blob: https:; connect-src 'self' https:; " +
	"frame-src 'self' blob:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// serverPrefixes are namespaces other handlers own; the fallback never
// answers them with the app.
var serverPrefixes = []string{"/api/", "/dav/", "/s/", "/f/"}

// asset is one file of the bundle with its precompressed variants.
type asset struct {
	name      string
	body      []byte
	gzip      []byte
	brotli    []byte
	etag      string
	ctype     string
	immutable bool
}

// Handler serves the embedded bundle.
func Handler() http.Handler {
	sub, err := fs.Sub(bundle, "dist")
	if err != nil {
		panic(err) // the embed directive guarantees dist exists
	}
	return newHandler(sub)
}

type handler struct {
	assets map[string]*asset
	index  *asset
}

func newHandler(files fs.FS) *handler {
	h := &handler{assets: map[string]*asset{}}
	_ = fs.WalkDir(files, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(p, ".gz") || strings.HasSuffix(p, ".br") {
			return err
		}
		body, err := fs.ReadFile(files, p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(body)
		a := &asset{name: p, body: body, etag: `"` + hex.EncodeToString(sum[:8]) + `"`,
			ctype:     contentType(p),
			immutable: strings.HasPrefix(p, "assets/")}
		a.gzip, _ = fs.ReadFile(files, p+".gz")
		a.brotli, _ = fs.ReadFile(files, p+".br")
		h.assets[p] = a
		return nil
	})
	h.index = h.assets["index.html"]
	return h
}

func contentType(name string) string {
	if t := mime.TypeByExtension(path.Ext(name)); t != "" {
		return t
	}
	return "application/octet-stream"
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	for _, p := range serverPrefixes {
		if strings.HasPrefix(r.URL.Path, p) || r.URL.Path == strings.TrimSuffix(p, "/") {
			http.NotFound(w, r)
			return
		}
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	name := strings.TrimPrefix(path.Clean(r.URL.Path), "/")
	a, ok := h.assets[name]
	switch {
	case ok && name != "index.html":
	case strings.HasPrefix(name, "assets/") || h.index == nil:
		// A missing hashed file is an old release's; an HTML page in its
		// place would only fail to parse as script.
		http.NotFound(w, r)
		return
	default:
		a = h.index
	}
	hdr := w.Header()
	hdr.Set("Content-Security-Policy", contentSecurityPolicy)
	hdr.Set("X-Content-Type-Options", "nosniff")
	hdr.Set("X-Frame-Options", "DENY")
	hdr.Set("Referrer-Policy", "no-referrer")
	if a.immutable {
		hdr.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		hdr.Set("Cache-Control", "no-cache")
	}
	hdr.Set("Content-Type", a.ctype)
	body, etag := a.body, a.etag

	if a.gzip != nil || a.brotli != nil {
		hdr.Add("Vary", "Accept-Encoding")
		switch enc := acceptedEncoding(r.Header.Get("Accept-Encoding"), a); enc {
		case "br":
			body, etag = a.brotli, strings.TrimSuffix(a.etag, `"`)+`-br"`
			hdr.Set("Content-Encoding", "br")
		case "gzip":
			body, etag = a.gzip, strings.TrimSuffix(a.etag, `"`)+`-gz"`
			hdr.Set("Content-Encoding", "gzip")
		}
	}
	hdr.Set("ETag", etag)
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(body))
}

// acceptedEncoding picks brotli, then gzip, when the client accepts it (a
// q=0 weight refuses it) and the bundle has that variant.
func acceptedEncoding(header string, a *asset) string {
	accepts := map[string]bool{}
	for _, part := range strings.Split(header, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		params = strings.ReplaceAll(params, " ", "")
		if params == "q=0" || params == "q=0.0" || params == "q=0.00" || params == "q=0.000" {
			continue
		}
		accepts[strings.ToLower(name)] = true
	}
	switch {
	case a.brotli != nil && accepts["br"]:
		return "br"
	case a.gzip != nil && (accepts["gzip"] || accepts["*"]):
		return "gzip"
	}
	return ""
}
