package httprange

import (
	"bytes"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestLimit(t *testing.T) {
	const size = 1000
	for _, tc := range []struct{ in, want string }{
		{"bytes=0-99", "bytes=0-99"},
		{"bytes=-100", "bytes=900-999"},
		{"bytes=900-", "bytes=900-999"},
		{"bytes=0-5000", "bytes=0-999"},
		{"bytes=0-99,100-199", "bytes=0-199"},      // adjacent
		{"bytes=50-150, 0-99", "bytes=0-150"},      // overlapping, out of order
		{"bytes=0-9,500-509", "bytes=0-9,500-509"}, // two small parts are cheap
		{"bytes=0-499,500-999", "bytes=0-999"},     // merged into the whole
		{"bytes=0-399,600-999", ""},                // 800 bytes and two part headers cost more than 1000
		{"bytes=2000-3000", "bytes=2000-3000"},     // unsatisfiable: ServeContent answers 416
		{"bytes=abc", "bytes=abc"},                 // malformed: left to ServeContent
		{"items=0-1", "items=0-1"},
		{"bytes=5-1", "bytes=5-1"},
	} {
		ct := "application/octet-stream"
		if got := Limit(tc.in, size, ct); got != tc.want {
			t.Errorf("Limit(%q) = %q; want %q", tc.in, got, tc.want)
		}
	}
	var many []string
	for i := range MaxRanges + 1 {
		many = append(many, fmt.Sprintf("%d-%d", i*10, i*10))
	}
	if got := Limit("bytes="+strings.Join(many, ","), 100000, ""); got != "" {
		t.Errorf("%d ranges: %q; want the whole file", MaxRanges+1, got)
	}
}

// TestAmplification serves 1 MiB with a Range header of 131,072 one-byte
// ranges: the answer is the file once, not an 11 MB multipart body.
func TestAmplification(t *testing.T) {
	const size = 1 << 20
	blob := bytes.Repeat([]byte("x"), size)
	var b strings.Builder
	b.WriteString("bytes=")
	for i := range 131072 {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "%d-%d", i*8, i*8)
	}
	for name, serve := range map[string]func(http.ResponseWriter, *http.Request, string, time.Time, io.ReadSeeker){
		"httprange": ServeContent, "net/http": http.ServeContent,
	} {
		r := httptest.NewRequest("GET", "/", nil)
		r.Header.Set("Range", b.String())
		w := httptest.NewRecorder()
		w.Header().Set("Content-Type", "application/octet-stream")
		serve(w, r, "", time.Time{}, bytes.NewReader(blob))
		t.Logf("%s: status %d, %d bytes for a %d-byte file", name, w.Code, w.Body.Len(), size)
		if name == "httprange" && (w.Code != http.StatusOK || w.Body.Len() != size) {
			t.Errorf("status %d, %d bytes; want 200 and the file once", w.Code, w.Body.Len())
		}
	}
}

// TestMergedMultipart checks a merged answer end to end.
func TestMergedMultipart(t *testing.T) {
	blob := []byte(strings.Repeat("0123456789", 1000))
	r := httptest.NewRequest("GET", "/", nil)
	r.Header.Set("Range", "bytes=10-19,15-29,5000-5009")
	w := httptest.NewRecorder()
	w.Header().Set("Content-Type", "text/plain")
	ServeContent(w, r, "", time.Time{}, bytes.NewReader(blob))
	if w.Code != http.StatusPartialContent {
		t.Fatalf("status %d", w.Code)
	}
	_, params, err := mime.ParseMediaType(w.Header().Get("Content-Type"))
	if err != nil {
		t.Fatal(err)
	}
	mr := multipart.NewReader(w.Body, params["boundary"])
	var parts []string
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(p)
		parts = append(parts, p.Header.Get("Content-Range")+" "+string(body))
	}
	want := []string{"bytes 10-29/10000 01234567890123456789", "bytes 5000-5009/10000 0123456789"}
	if fmt.Sprint(parts) != fmt.Sprint(want) {
		t.Errorf("parts %q; want %q", parts, want)
	}
}
