package e2e

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/stratus-drive/stratus/internal/testenv"
)

// TestRangeAmplification: tens of thousands of one-byte ranges of a 1 MiB
// file get the file once (200), not a multipart answer many times its size;
// a few overlapping ranges are merged.
func TestRangeAmplification(t *testing.T) {
	testenv.EachDialect(t, testenv.Options{}, func(t *testing.T, env *testenv.Env) {
		alice, _ := env.Client().NewUser(t, "ranges@example.com")
		blob := bytes.Repeat([]byte("0123456789abcdef"), 1<<16) // 1 MiB
		upload(t, alice, "cloudreve://my/big.bin", blob, nil)
		u := downloadURL(t, alice, "cloudreve://my/big.bin", nil)

		var b strings.Builder
		b.WriteString("bytes=")
		for i := range 60000 {
			if i > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, "%d-%d", i*16, i*16)
		}
		resp, body := fetch(t, u, http.Header{"Range": {b.String()}})
		if resp.StatusCode != http.StatusOK || len(body) != len(blob) {
			t.Errorf("60,000 ranges: status %d, %d bytes; want 200 and the %d-byte file once", resp.StatusCode, len(body), len(blob))
		}

		resp, body = fetch(t, u, http.Header{"Range": {"bytes=0-9,5-19"}})
		if resp.StatusCode != http.StatusPartialContent || string(body) != string(blob[:20]) {
			t.Errorf("overlapping ranges: status %d, body %q; want 206 with bytes 0-19", resp.StatusCode, body)
		}
	})
}

// TestWebDAVRangeAmplification: /dav GETs go through the same range rule.
func TestWebDAVRangeAmplification(t *testing.T) {
	testenv.EachDialect(t, testenv.Options{}, func(t *testing.T, env *testenv.Env) {
		u := newDavUser(t, env, "root@example.com", nil)
		blob := bytes.Repeat([]byte("0123456789abcdef"), 1<<16) // 1 MiB
		upload(t, u.rest, "cloudreve://my/big.bin", blob, nil)
		var b strings.Builder
		b.WriteString("bytes=")
		for i := range 60000 {
			if i > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, "%d-%d", i*16, i*16)
		}
		resp, body := u.do(t, "GET", "/big.bin", nil, map[string]string{"Range": b.String()})
		if resp.StatusCode != http.StatusOK || len(body) != len(blob) {
			t.Errorf("60,000 ranges over WebDAV: status %d, %d bytes; want 200 and the file once", resp.StatusCode, len(body))
		}
	})
}
