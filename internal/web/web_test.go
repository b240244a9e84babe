package web

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"
)

func testBundle() *handler {
	return newHandler(fstest.MapFS{
		"index.html":              {Data: []byte("<!doctype html><title>app</title>")},
		"index.html.gz":           {Data: []byte("GZ-INDEX")},
		"favicon.svg":             {Data: []byte("<svg/>")},
		"assets/app-abc123.js":    {Data: []byte("console.log(1)")},
		"assets/app-abc123.js.gz": {Data: []byte("GZ")},
		"assets/app-abc123.js.br": {Data: []byte("BR")},
	})
}

func get(t *testing.T, h http.Handler, method, target, acceptEncoding string) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest(method, target, nil)
	if acceptEncoding != "" {
		r.Header.Set("Accept-Encoding", acceptEncoding)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

func TestRoutes(t *testing.T) {
	h := testBundle()
	tests := []struct {
		name, method, target, encoding string
		status                         int
		body, cache, contentEncoding   string
	}{
		{"hashed asset is immutable", "GET", "/assets/app-abc123.js", "", 200, "console.log(1)", "public, max-age=31536000, immutable", ""},
		{"brotli preferred", "GET", "/assets/app-abc123.js", "gzip, deflate, br", 200, "BR", "public, max-age=31536000, immutable", "br"},
		{"gzip when no brotli", "GET", "/assets/app-abc123.js", "gzip", 200, "GZ", "public, max-age=31536000, immutable", "gzip"},
		{"refused brotli", "GET", "/assets/app-abc123.js", "br;q=0, gzip", 200, "GZ", "public, max-age=31536000, immutable", "gzip"},
		{"identity only", "GET", "/assets/app-abc123.js", "identity", 200, "console.log(1)", "public, max-age=31536000, immutable", ""},
		{"root is the app", "GET", "/", "", 200, "<!doctype html><title>app</title>", "no-cache", ""},
		{"index gzip", "GET", "/", "gzip", 200, "GZ-INDEX", "no-cache", "gzip"},
		{"client route falls back", "GET", "/home?path=cloudreve%3A%2F%2Fmy", "", 200, "<!doctype html><title>app</title>", "no-cache", ""},
		{"unknown page is the app's", "GET", "/no/such/page", "", 200, "<!doctype html><title>app</title>", "no-cache", ""},
		{"head", "HEAD", "/session", "", 200, "", "no-cache", ""},
		{"other root file revalidates", "GET", "/favicon.svg", "", 200, "<svg/>", "no-cache", ""},
		{"missing asset is 404", "GET", "/assets/app-old.js", "", 404, "", "", ""},
		{"api never shadowed", "GET", "/api/v3/site/ping", "", 404, "", "", ""},
		{"api root never shadowed", "GET", "/api", "", 404, "", "", ""},
		{"dav never shadowed", "GET", "/dav/file.txt", "", 404, "", "", ""},
		{"dav root never shadowed", "PROPFIND", "/dav", "", 404, "", "", ""},
		{"share links never shadowed", "GET", "/s/abc/def/extra", "", 404, "", "", ""},
		{"direct links never shadowed", "GET", "/f/abc", "", 404, "", "", ""},
		{"a name starting like dav is the app's", "GET", "/davinci", "", 200, "<!doctype html><title>app</title>", "no-cache", ""},
		{"post refused", "POST", "/home", "", 405, "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := get(t, h, tt.method, tt.target, tt.encoding)
			if w.Code != tt.status {
				t.Fatalf("status %d, want %d", w.Code, tt.status)
			}
			if tt.status != 200 {
				return
			}
			if got := w.Body.String(); got != tt.body {
				t.Errorf("body %q, want %q", got, tt.body)
			}
			if got := w.Header().Get("Cache-Control"); got != tt.cache {
				t.Errorf("Cache-Control %q, want %q", got, tt.cache)
			}
			if got := w.Header().Get("Content-Encoding"); got != tt.contentEncoding {
				t.Errorf("Content-Encoding %q, want %q", got, tt.contentEncoding)
			}
		})
	}
}

func TestHeaders(t *testing.T) {
	w := get(t, testBundle(), "GET", "/assets/app-abc123.js", "br")
	h := w.Header()
	if ct := h.Get("Content-Type"); !strings.HasPrefix(ct, "text/javascript") {
		t.Errorf("Content-Type %q: a compressed body keeps its own type", ct)
	}
	if h.Get("Vary") != "Accept-Encoding" {
		t.Errorf("Vary %q", h.Get("Vary"))
	}
	csp := h.Get("Content-Security-Policy")
	for _, want := range []string{"script-src 'self';", "frame-ancestors 'none'", "object-src 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %q", csp, want)
		}
	}
	if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
		t.Errorf("CSP %q allows inline or eval script", csp)
	}
	for k, v := range map[string]string{"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer",
		"X-Frame-Options": "DENY"} {
		if h.Get(k) != v {
			t.Errorf("%s = %q, want %q", k, h.Get(k), v)
		}
	}
}

func TestRevalidation(t *testing.T) {
	h := testBundle()
	first := get(t, h, "GET", "/", "")
	r := httptest.NewRequest("GET", "/session", nil)
	r.Header.Set("If-None-Match", first.Header().Get("ETag"))
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	if w.Code != http.StatusNotModified {
		t.Fatalf("revalidating index.html: status %d, want 304", w.Code)
	}
}

// The committed bundle is what the binary serves: it must hold the app.
func TestEmbeddedBundle(t *testing.T) {
	w := get(t, Handler(), "GET", "/", "")
	if w.Code != 200 || !strings.Contains(w.Body.String(), "<script type=\"module\"") {
		t.Fatalf("embedded index.html: status %d, body %.200q", w.Code, w.Body.String())
	}
	if strings.Contains(w.Body.String(), "<script>") {
		t.Error("index.html has an inline script, which the CSP forbids")
	}
}
