package api

import (
	"bytes"
	_ "embed"
	"net/http"
	"time"
)

// Stratus's own logos, served where the default site_logo and
// site_logo_light settings point, so that the site config never advertises
// a logo nobody serves.
var (
	//go:embed logo.svg
	logoSVG []byte
	//go:embed logo_light.svg
	logoLightSVG []byte
)

// LogoPaths are the paths of the built-in logos (the defaults of site_logo
// and site_logo_light); the server mounts Logo on each.
var LogoPaths = map[string][]byte{
	"/static/img/logo.svg":       logoSVG,
	"/static/img/logo_light.svg": logoLightSVG,
}

// started is the modification time the logos are served with: they change
// only with the binary.
var started = time.Now()

// Logo serves the built-in logo at r's path to GET and HEAD; other methods
// get a plain 404 rather than the router's 405.
func Logo() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		svg, ok := LogoPaths[r.URL.Path]
		if !ok || r.Method != http.MethodGet && r.Method != http.MethodHead {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "image/svg+xml")
		w.Header().Set("Cache-Control", "public, max-age=86400")
		w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
		http.ServeContent(w, r, "", started, bytes.NewReader(svg))
	})
}
