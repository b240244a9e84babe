package api

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestWarnUnconfiguredProxyOnce(t *testing.T) {
	var buf bytes.Buffer
	h := warnUnconfiguredProxy(slog.New(slog.NewTextHandler(&buf, nil)), "",
		http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	direct := httptest.NewRequest("GET", "/", nil)
	direct.RemoteAddr = "127.0.0.1:4000"
	h.ServeHTTP(httptest.NewRecorder(), direct)
	if buf.Len() != 0 {
		t.Fatalf("warned for a direct request: %s", buf.String())
	}
	for range 3 {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = "127.0.0.1:4000"
		r.Header.Set("X-Forwarded-For", "198.51.100.1")
		h.ServeHTTP(httptest.NewRecorder(), r)
	}
	if n := strings.Count(buf.String(), "ProxyHeader is not set"); n != 1 {
		t.Errorf("%d warnings for three proxied requests; want 1:\n%s", n, buf.String())
	}
}
