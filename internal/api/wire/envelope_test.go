package wire

import (
	"bytes"
	"errors"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestLogError: failures are logged by class, and an adapter without a
// logger logs nothing, whatever the code (-1 dereferenced the nil logger).
func TestLogError(t *testing.T) {
	r := httptest.NewRequest("GET", "/api/v4/x", nil)
	cause := errors.New("cause")
	for _, code := range []Code{-1, CodeNotFound, CodeDBError} {
		Options{}.logError(r, code, cause) // must not panic
	}
	for code, want := range map[Code]string{-1: "level=ERROR", CodeDBError: "level=ERROR", CodeNotFound: "level=DEBUG"} {
		var buf bytes.Buffer
		o := Options{Log: slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))}
		o.logError(r, code, cause)
		if got := buf.String(); !strings.Contains(got, want) || !strings.Contains(got, "err=cause") {
			t.Errorf("code %d logged %q, want %s", code, got, want)
		}
	}
}
