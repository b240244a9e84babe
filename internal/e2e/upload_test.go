package e2e

import (
	"bytes"
	"crypto/rand"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/stratus-drive/stratus/internal/testenv"
)

type uploadSession struct {
	SessionID string `json:"session_id"`
	ChunkSize int64  `json:"chunk_size"`
	URI       string `json:"uri"`
}

func startUpload(t *testing.T, c *testenv.Client, uri string, size int64, extra map[string]any) uploadSession {
	t.Helper()
	body := map[string]any{"uri": uri, "size": size}
	for k, v := range extra {
		body[k] = v
	}
	var s uploadSession
	c.OK(t, "PUT", "/file/upload", body).Decode(t, &s)
	return s
}

func putChunk(t *testing.T, c *testenv.Client, sid string, index int, data []byte) *testenv.Envelope {
	t.Helper()
	resp := c.Raw(t, "POST", "/api/v4/file/upload/"+sid+"/"+strconv.Itoa(index), bytes.NewReader(data),
		http.Header{"Content-Type": {"application/octet-stream"}})
	defer resp.Body.Close()
	var e testenv.Envelope
	decodeJSON(t, resp, &e)
	return &e
}

// upload sends data as one chunk and fails the test unless it completes.
func upload(t *testing.T, c *testenv.Client, uri string, data []byte, extra map[string]any) {
	t.Helper()
	s := startUpload(t, c, uri, int64(len(data)), extra)
	if e := putChunk(t, c, s.SessionID, 0, data); e.Code != 0 {
		t.Fatalf("chunk: %d %s", e.Code, e.Msg)
	}
}

func downloadURL(t *testing.T, c *testenv.Client, uri string, extra map[string]any) string {
	t.Helper()
	body := map[string]any{"uris": []string{uri}}
	for k, v := range extra {
		body[k] = v
	}
	var out struct {
		URLs []struct{ URL string } `json:"urls"`
	}
	c.OK(t, "POST", "/file/url", body).Decode(t, &out)
	if len(out.URLs) != 1 || out.URLs[0].URL == "" {
		t.Fatalf("urls = %+v", out)
	}
	return out.URLs[0].URL
}

func fetch(t *testing.T, rawURL string, header http.Header) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequest("GET", rawURL, nil)
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, body
}

func capacityUsed(t *testing.T, c *testenv.Client) int64 {
	t.Helper()
	var cp struct{ Used int64 }
	c.OK(t, "GET", "/user/capacity", nil).Decode(t, &cp)
	return cp.Used
}

func TestUploadDownload(t *testing.T) {
	testenv.EachDialect(t, testenv.Options{}, func(t *testing.T, env *testenv.Env) {
		c := env.Client()
		c.NewUser(t, "root@example.com")
		alice, _ := c.NewUser(t, "alice@example.com")

		// An empty file.
		upload(t, alice, "cloudreve://my/empty.txt", nil, nil)
		resp, body := fetch(t, downloadURL(t, alice, "cloudreve://my/empty.txt", nil), nil)
		if resp.StatusCode != 200 || len(body) != 0 {
			t.Errorf("empty download: %d %q", resp.StatusCode, body)
		}

		// Chunk checks, then a good upload.
		data := []byte("hello, world ✨")
		s := startUpload(t, alice, "cloudreve://my/docs/hello ✨.txt", int64(len(data)), nil)
		if s.URI != "cloudreve://my/docs/hello%20%E2%9C%A8.txt" {
			t.Errorf("session uri = %q", s.URI)
		}
		if e := putChunk(t, alice, s.SessionID, 1, data); e.Code != 40012 {
			t.Errorf("chunk index 1: code %d", e.Code)
		}
		if e := putChunk(t, alice, s.SessionID, 0, data[:3]); e.Code != 40013 {
			t.Errorf("short chunk: code %d", e.Code)
		}
		if e := putChunk(t, alice, "no-such-session", 0, data); e.Code != 40011 {
			t.Errorf("unknown session: code %d", e.Code)
		}
		// Not visible before completion.
		l := list(t, alice, "cloudreve://my/docs", "")
		if len(l.Files) != 1 || l.Files[0].Size != 0 || l.Files[0].Metadata["sys:upload_session_id"] != s.SessionID {
			t.Errorf("placeholder = %+v", l.Files)
		}
		if e := putChunk(t, alice, s.SessionID, 0, data); e.Code != 0 {
			t.Fatalf("chunk: %d %s", e.Code, e.Msg)
		}
		l = list(t, alice, "cloudreve://my/docs", "")
		if l.Files[0].Size != int64(len(data)) || l.Files[0].Metadata["sys:upload_session_id"] != "" {
			t.Errorf("after upload = %+v", l.Files[0])
		}
		if used := capacityUsed(t, alice); used != int64(len(data)) {
			t.Errorf("used = %d, want %d", used, len(data))
		}

		u := downloadURL(t, alice, "cloudreve://my/docs/hello ✨.txt", nil)
		resp, body = fetch(t, u, nil)
		if resp.StatusCode != 200 || !bytes.Equal(body, data) {
			t.Fatalf("download: %d %q", resp.StatusCode, body)
		}
		h := resp.Header
		if h.Get("Content-Security-Policy") != "sandbox" || h.Get("X-Content-Type-Options") != "nosniff" ||
			!strings.HasPrefix(h.Get("Content-Type"), "text/plain") || h.Get("Accept-Ranges") != "bytes" ||
			!strings.Contains(h.Get("Content-Disposition"), "filename*=UTF-8''hello%20%E2%9C%A8.txt") {
			t.Errorf("headers = %v", h)
		}
		resp, body = fetch(t, u, http.Header{"Range": {"bytes=2-5"}})
		if resp.StatusCode != 206 || string(body) != "llo," {
			t.Errorf("range: %d %q", resp.StatusCode, body)
		}
		resp, _ = fetch(t, u, http.Header{"If-None-Match": {h.Get("ETag")}})
		if resp.StatusCode != 304 {
			t.Errorf("If-None-Match: %d", resp.StatusCode)
		}
		resp, _ = fetch(t, downloadURL(t, alice, "cloudreve://my/docs/hello ✨.txt", map[string]any{"download": true}), nil)
		if !strings.HasPrefix(resp.Header.Get("Content-Disposition"), "attachment;") {
			t.Errorf("download disposition = %q", resp.Header.Get("Content-Disposition"))
		}
		// Tampering with the signed path or signature fails.
		parsed, _ := url.Parse(u)
		q := parsed.Query()
		sig := q.Get("sign")
		flipped := "A"
		if sig[0] == 'A' {
			flipped = "B"
		}
		q.Set("sign", flipped+sig[1:])
		parsed.RawQuery = q.Encode()
		_, body = fetch(t, parsed.String(), nil)
		if !strings.Contains(string(body), `"code":40071`) {
			t.Errorf("tampered signature: %s", body)
		}
		_, body = fetch(t, strings.Replace(u, "hello", "jello", 1), nil)
		if !strings.Contains(string(body), `"code":40071`) {
			t.Errorf("tampered path: %s", body)
		}
		q.Del("sign")
		parsed.RawQuery = q.Encode()
		_, body = fetch(t, parsed.String(), nil)
		if !strings.Contains(string(body), `"code":403`) {
			t.Errorf("missing signature: %s", body)
		}
		alice.ExpectCode(t, 40081, "POST", "/file/url", map[string]any{"uris": []string{"cloudreve://my/docs"}})

		// Overwrite needs entity_type version; then old versions are kept.
		alice.ExpectCode(t, 40004, "PUT", "/file/upload", map[string]any{"uri": "cloudreve://my/docs/hello ✨.txt", "size": 3})
		v2 := []byte("v2!")
		upload(t, alice, "cloudreve://my/docs/hello ✨.txt", v2, map[string]any{"entity_type": "version"})
		_, body = fetch(t, downloadURL(t, alice, "cloudreve://my/docs/hello ✨.txt", nil), nil)
		if string(body) != "v2!" {
			t.Errorf("after new version: %q", body)
		}
		if used := capacityUsed(t, alice); used != int64(len(data)+len(v2)) {
			t.Errorf("used with two versions = %d", used)
		}

		// Quota is reserved up front.
		alice.ExpectCode(t, 40051, "PUT", "/file/upload", map[string]any{"uri": "cloudreve://my/huge.bin", "size": 2 << 30})
		// Cancel releases the placeholder and its quota.
		s = startUpload(t, alice, "cloudreve://my/cancel.bin", 1000, nil)
		if used := capacityUsed(t, alice); used != int64(len(data)+len(v2)+1000) {
			t.Errorf("reserved = %d", used)
		}
		alice.OK(t, "DELETE", "/file/upload", map[string]any{"id": s.SessionID, "uri": "cloudreve://my/cancel.bin"})
		alice.ExpectCode(t, 40016, "GET", "/file/info?uri="+url.QueryEscape("cloudreve://my/cancel.bin"), nil)
		if e := putChunk(t, alice, s.SessionID, 0, make([]byte, 1000)); e.Code != 40011 {
			t.Errorf("chunk after cancel: %d", e.Code)
		}

		// Copy shares blobs but charges the copier; purge credits it back.
		alice.ExpectCode(t, 40016, "POST", "/file/move", map[string]any{"uris": []string{"cloudreve://my/docs"}, "dst": "cloudreve://my/nope", "copy": true})
		create(t, alice, "cloudreve://my/backup", "folder")
		alice.OK(t, "POST", "/file/move", map[string]any{"uris": []string{"cloudreve://my/docs"}, "dst": "cloudreve://my/backup", "copy": true})
		_, body = fetch(t, downloadURL(t, alice, "cloudreve://my/backup/docs/hello ✨.txt", nil), nil)
		if string(body) != "v2!" {
			t.Errorf("copy content = %q", body)
		}
		if used := capacityUsed(t, alice); used != 2*int64(len(data)+len(v2)) {
			t.Errorf("used after copy = %d", used)
		}
		alice.OK(t, "DELETE", "/file", map[string]any{"uris": []string{"cloudreve://my/docs"}})
		if used := capacityUsed(t, alice); used != 2*int64(len(data)+len(v2)) {
			t.Errorf("trash must not free space: %d", used)
		}
		alice.OK(t, "DELETE", "/file/trash", nil)
		if used := capacityUsed(t, alice); used != int64(len(data)+len(v2)) {
			t.Errorf("used after purge = %d", used)
		}
		// The copy still reads: its blobs are still referenced.
		_, body = fetch(t, downloadURL(t, alice, "cloudreve://my/backup/docs/hello ✨.txt", nil), nil)
		if string(body) != "v2!" {
			t.Errorf("copy after purge = %q", body)
		}
	})
}

func TestMultiChunkUpload(t *testing.T) {
	env := testenv.Start(t, testenv.Options{})
	alice, _ := env.Client().NewUser(t, "alice@example.com")
	data := make([]byte, 60<<20)
	rand.Read(data)
	s := startUpload(t, alice, "cloudreve://my/big.bin", int64(len(data)), nil)
	if s.ChunkSize != 25<<20 {
		t.Fatalf("chunk size = %d", s.ChunkSize)
	}
	chunk := func(i int) []byte {
		end := min(int64(len(data)), int64(i+1)*s.ChunkSize)
		return data[int64(i)*s.ChunkSize : end]
	}
	for _, i := range []int{2, 0, 0} { // out of order and repeated
		if e := putChunk(t, alice, s.SessionID, i, chunk(i)); e.Code != 0 {
			t.Fatalf("chunk %d: %d %s", i, e.Code, e.Msg)
		}
	}
	if e := putChunk(t, alice, s.SessionID, 3, data[:10]); e.Code != 40012 {
		t.Errorf("chunk past the end: %d", e.Code)
	}
	var info fileObj
	alice.OK(t, "GET", "/file/info?uri="+url.QueryEscape("cloudreve://my/big.bin"), nil).Decode(t, &info)
	if info.Size != 0 {
		t.Fatalf("visible before the last chunk: size %d", info.Size)
	}
	if e := putChunk(t, alice, s.SessionID, 1, chunk(1)); e.Code != 0 {
		t.Fatalf("last chunk: %d %s", e.Code, e.Msg)
	}
	_, body := fetch(t, downloadURL(t, alice, "cloudreve://my/big.bin", nil), nil)
	if !bytes.Equal(body, data) {
		t.Fatalf("downloaded %d bytes, differ from upload", len(body))
	}
}
