package e2e

// Faults and bad input against the filesystem core: dropped connections,
// a server killed mid-upload, malformed chunks, races between clients, and
// path traversal. Every test checks what a client could see afterwards: no
// file visible with wrong or partial content, the right codes, capacity
// counted once, and no bytes left behind on disk.

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	mrand "math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stratus-drive/stratus/internal/config"
	"github.com/stratus-drive/stratus/internal/drive"
	"github.com/stratus-drive/stratus/internal/store"
	"github.com/stratus-drive/stratus/internal/testenv"
)

// ---- helpers ---------------------------------------------------------------

// openStore opens a second handle on the database of a running test server,
// for setup that has no API yet (policy settings, bulk rows).
func openStore(t testing.TB, db config.Database, dataDir string) *store.DB {
	t.Helper()
	st, err := store.Open(context.Background(), db, dataDir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// setChunkSize changes the default policy's chunk size. Servers cache a
// policy on first use, so call it before the first upload.
func setChunkSize(t testing.TB, st *store.DB, size int64) {
	t.Helper()
	ctx := context.Background()
	p, err := st.Policy(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	ps := p.Settings
	ps.ChunkSize = size
	if err := st.SetPolicySettings(ctx, 1, ps); err != nil {
		t.Fatal(err)
	}
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	rand.Read(b)
	return b
}

func sha256Hex(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// chunkOf returns chunk i of data for a chunk size.
func chunkOf(data []byte, size int64, i int) []byte {
	return data[int64(i)*size : min(int64(len(data)), int64(i+1)*size)]
}

func numChunks(n int, size int64) int { return max(1, int((int64(n)+size-1)/size)) }

// apiResult is an envelope decoded without a *testing.T, for goroutines.
type apiResult struct {
	Code int             `json:"code"`
	Msg  string          `json:"msg"`
	Data json.RawMessage `json:"data"`
}

// callAPI sends a JSON request (or raw bytes) to base+"/api/v4"+path. It is
// safe in goroutines: it reports errors instead of failing the test.
func callAPI(base, token, method, path string, body any) (apiResult, error) {
	var rd io.Reader
	ctype := "application/json"
	switch b := body.(type) {
	case nil:
	case []byte:
		rd, ctype = bytes.NewReader(b), "application/octet-stream"
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			return apiResult{}, err
		}
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, base+"/api/v4"+path, rd)
	if err != nil {
		return apiResult{}, err
	}
	req.Header.Set("Content-Type", ctype)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return apiResult{}, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return apiResult{}, err
	}
	var r apiResult
	if err := json.Unmarshal(raw, &r); err != nil {
		return r, fmt.Errorf("%s %s: status %d, body %.200q", method, path, resp.StatusCode, raw)
	}
	return r, nil
}

// uploadAll sends data through a fresh session in the given chunk order
// (nil: in order) and returns the session; safe in goroutines.
func uploadAll(base, token, uri string, data []byte, order []int) error {
	r, err := callAPI(base, token, "PUT", "/file/upload", map[string]any{"uri": uri, "size": len(data)})
	if err != nil {
		return err
	}
	if r.Code != 0 {
		return fmt.Errorf("session for %s: %d %s", uri, r.Code, r.Msg)
	}
	var s uploadSession
	if err := json.Unmarshal(r.Data, &s); err != nil {
		return err
	}
	if order == nil {
		for i := range numChunks(len(data), s.ChunkSize) {
			order = append(order, i)
		}
	}
	for _, i := range order {
		r, err := callAPI(base, token, "POST", "/file/upload/"+s.SessionID+"/"+strconv.Itoa(i), chunkOf(data, s.ChunkSize, i))
		if err != nil {
			return err
		}
		if r.Code != 0 {
			return fmt.Errorf("%s chunk %d: %d %s", uri, i, r.Code, r.Msg)
		}
	}
	return nil
}

// rawChunk writes a chunk request by hand on a new connection: the header
// declares declared bytes, then body is sent. How the request ends:
const (
	endFIN  = iota // close the connection (FIN) without reading a reply
	endRST         // abort the connection (RST)
	endHalf        // half-close and read the reply
	endOpen        // leave the connection open; the caller closes it
)

func rawChunk(t testing.TB, base, token, sid string, index int, declared int64, body []byte, end int) (net.Conn, *apiResult) {
	t.Helper()
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	conn, err := net.Dial("tcp", u.Host)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(conn, "POST /api/v4/file/upload/%s/%d HTTP/1.1\r\nHost: %s\r\nAuthorization: Bearer %s\r\n"+
		"Content-Type: application/octet-stream\r\nContent-Length: %d\r\n\r\n", sid, index, u.Host, token, declared)
	if _, err := conn.Write(body); err != nil {
		t.Fatalf("writing body: %v", err)
	}
	switch end {
	case endFIN:
		conn.Close()
	case endRST:
		conn.(*net.TCPConn).SetLinger(0)
		conn.Close()
	case endHalf:
		defer conn.Close()
		conn.(*net.TCPConn).CloseWrite()
		conn.SetReadDeadline(time.Now().Add(30 * time.Second))
		resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err != nil {
			t.Fatalf("reading reply: %v", err)
		}
		defer resp.Body.Close()
		var r apiResult
		if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
			t.Fatalf("reply (status %d): %v", resp.StatusCode, err)
		}
		return nil, &r
	default:
		return conn, nil
	}
	return nil, nil
}

func fileInfo(t *testing.T, c *testenv.Client, uri string) fileObj {
	t.Helper()
	var f fileObj
	c.OK(t, "GET", "/file/info?uri="+url.QueryEscape(uri), nil).Decode(t, &f)
	return f
}

// checkPlaceholder fails unless uri is an unfinished upload of session sid
// that shows no content: size 0, the session metadata, and no bytes to
// download.
func checkPlaceholder(t *testing.T, c *testenv.Client, uri, sid string) {
	t.Helper()
	f := fileInfo(t, c, uri)
	if f.Size != 0 || f.Metadata["sys:upload_session_id"] != sid {
		t.Errorf("unfinished upload %s: size %d, metadata %v", uri, f.Size, f.Metadata)
	}
	env := c.Do(t, "POST", "/file/url", map[string]any{"uris": []string{uri}})
	if env.Code != 0 {
		return // refusing a download is fine
	}
	var out struct {
		URLs []struct{ URL string } `json:"urls"`
	}
	env.Decode(t, &out)
	if len(out.URLs) == 1 && out.URLs[0].URL != "" {
		resp, body := fetch(t, out.URLs[0].URL, nil)
		if resp.StatusCode == 200 && len(body) != 0 {
			t.Errorf("unfinished upload %s serves %d bytes", uri, len(body))
		}
	}
}

// checkContent downloads uri and compares it with want.
func checkContent(t *testing.T, c *testenv.Client, uri string, want []byte) {
	t.Helper()
	resp, body := fetch(t, downloadURL(t, c, uri, nil), nil)
	if resp.StatusCode != 200 || sha256Hex(body) != sha256Hex(want) {
		t.Errorf("%s: status %d, %d bytes with SHA-256 %s, want %d bytes with %s", uri, resp.StatusCode,
			len(body), sha256Hex(body)[:12], len(want), sha256Hex(want)[:12])
	}
	f := fileInfo(t, c, uri)
	if f.Size != int64(len(want)) || f.Metadata["sys:upload_session_id"] != "" {
		t.Errorf("%s: size %d, metadata %v after completion", uri, f.Size, f.Metadata)
	}
}

// waitFor polls cond until it holds, failing the test after timeout. It
// waits for a state the server reaches on its own; it asserts no timing.
func waitFor(t testing.TB, timeout time.Duration, cond func() bool, what string) {
	t.Helper()
	for deadline := time.Now().Add(timeout); !cond(); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("waited %v for %s", timeout, what)
		}
	}
}

// partOnDisk reports whether some multipart upload of the local driver under
// dataDir holds want at offset in its data file: the bytes of a chunk have
// reached the disk.
func partOnDisk(t testing.TB, dataDir string, offset int64, want []byte) bool {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dataDir, "storage", ".stratus-uploads", "*", "data"))
	if err != nil {
		t.Fatal(err)
	}
	got := make([]byte, len(want))
	for _, name := range files {
		f, err := os.Open(name)
		if err != nil {
			continue // completed or aborted meanwhile
		}
		_, err = f.ReadAt(got, offset)
		f.Close()
		if err == nil && bytes.Equal(got, want) {
			return true
		}
	}
	return false
}

// storageFiles lists the regular files under the local driver's root,
// relative to it, and fails on driver leftovers: a pending upload directory
// or a temporary file.
func storageFiles(t *testing.T, dataDir string) []string {
	t.Helper()
	root := filepath.Join(dataDir, "storage")
	var files []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if os.IsNotExist(err) && p == root {
				return filepath.SkipDir
			}
			return err
		}
		rel, _ := filepath.Rel(root, p)
		switch {
		case rel == ".stratus-uploads" && d.IsDir():
			entries, err := os.ReadDir(p)
			if err != nil {
				return err
			}
			for _, e := range entries {
				t.Errorf("leftover upload state %s/%s", rel, e.Name())
			}
			return filepath.SkipDir
		case strings.HasPrefix(d.Name(), ".stratus-"):
			t.Errorf("leftover driver file %s", rel)
		case d.Type().IsRegular():
			files = append(files, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// ---- 1. a client that drops the connection mid-chunk -------------------------

func TestUploadClientDisconnect(t *testing.T) {
	testenv.EachDialect(t, testenv.Options{}, func(t *testing.T, env *testenv.Env) {
		const chunk = 64 << 10
		setChunkSize(t, openStore(t, env.Database, env.Config.System.DataDir), chunk)
		alice, _ := env.Client().NewUser(t, "alice@example.com")
		data := randomBytes(3*chunk + 1000) // four chunks, the last one short
		const uri = "cloudreve://my/dropped.bin"
		s := startUpload(t, alice, uri, int64(len(data)), nil)
		if s.ChunkSize != chunk {
			t.Fatalf("chunk size %d", s.ChunkSize)
		}

		// Chunk 1 is cut off halfway by a clean close, the last chunk by a
		// reset; the others arrive whole. Nothing may complete the upload.
		c1, c3 := chunkOf(data, chunk, 1), chunkOf(data, chunk, 3)
		rawChunk(t, env.URL, alice.Token, s.SessionID, 1, int64(len(c1)), c1[:len(c1)/2], endFIN)
		for _, i := range []int{0, 2} {
			if e := putChunk(t, alice, s.SessionID, i, chunkOf(data, chunk, i)); e.Code != 0 {
				t.Fatalf("chunk %d: %d %s", i, e.Code, e.Msg)
			}
		}
		rawChunk(t, env.URL, alice.Token, s.SessionID, 3, int64(len(c3)), c3[:len(c3)-1], endRST)
		// A connection that stays open with half a body, abandoned later.
		open, _ := rawChunk(t, env.URL, alice.Token, s.SessionID, 1, int64(len(c1)), c1[:100], endOpen)
		// A grace before negative checks (nothing completed), not a wait for
		// a state: the reset and the open attempt leave nothing observable.
		// Were it short, the checks would pass, not flake.
		time.Sleep(100 * time.Millisecond)
		checkPlaceholder(t, alice, uri, s.SessionID)
		if used := capacityUsed(t, alice); used != int64(len(data)) {
			t.Errorf("reserved %d, want %d", used, len(data))
		}
		open.Close()

		// The dropped chunks are sent again and the upload completes.
		if e := putChunk(t, alice, s.SessionID, 3, c3); e.Code != 0 {
			t.Fatalf("chunk 3 again: %d %s", e.Code, e.Msg)
		}
		checkPlaceholder(t, alice, uri, s.SessionID) // chunk 1 is still missing
		if e := putChunk(t, alice, s.SessionID, 1, c1); e.Code != 0 {
			t.Fatalf("chunk 1 again: %d %s", e.Code, e.Msg)
		}
		checkContent(t, alice, uri, data)
		if used := capacityUsed(t, alice); used != int64(len(data)) {
			t.Errorf("used %d, want %d", used, len(data))
		}
		if files := storageFiles(t, env.Config.System.DataDir); len(files) != 1 {
			t.Errorf("storage holds %v, want one blob", files)
		}
	})
}

// A client whose network dies mid-chunk sends no FIN or RST: to the server
// its request is just slow. When the client comes back and sends the chunk
// again, the retry must not wait behind the dead attempt.
func TestUploadStalledClientRetry(t *testing.T) {
	env := testenv.Start(t, testenv.Options{})
	const chunk = 64 << 10
	setChunkSize(t, openStore(t, env.Database, env.Config.System.DataDir), chunk)
	alice, _ := env.Client().NewUser(t, "alice@example.com")
	data := randomBytes(2 * chunk)
	const uri = "cloudreve://my/stalled.bin"
	s := startUpload(t, alice, uri, int64(len(data)), nil)
	c0 := chunkOf(data, chunk, 0)
	stalled, _ := rawChunk(t, env.URL, alice.Token, s.SessionID, 0, chunk, c0[:chunk/3], endOpen)
	defer stalled.Close()
	// Not replaceable by a condition: a partial chunk shorter than the copy
	// buffer (storage.BufferSize) leaves no trace on disk or in the API while
	// the server waits for the rest, so this only gives the stalled attempt
	// a head start. Were it late, the test would still pass, not flake.
	time.Sleep(100 * time.Millisecond)

	retry := func(i int) (int, error) {
		req, _ := http.NewRequest("POST", env.URL+"/api/v4/file/upload/"+s.SessionID+"/"+strconv.Itoa(i),
			bytes.NewReader(chunkOf(data, chunk, i)))
		req.Header.Set("Authorization", "Bearer "+alice.Token)
		resp, err := (&http.Client{Timeout: 10 * time.Second}).Do(req)
		if err != nil {
			return 0, err
		}
		defer resp.Body.Close()
		var r apiResult
		err = json.NewDecoder(resp.Body).Decode(&r)
		return r.Code, err
	}
	for _, i := range []int{1, 0} {
		if code, err := retry(i); err != nil || code != 0 {
			t.Fatalf("chunk %d while an attempt at chunk 0 is stalled: code %d, %v", i, code, err)
		}
	}
	checkContent(t, alice, uri, data)
	// The stalled attempt, should its bytes still arrive, changes nothing.
	stalled.Write(c0[chunk/3:])
	// Its reply, whatever it says, means the server is done with it.
	stalled.SetReadDeadline(time.Now().Add(30 * time.Second))
	if resp, err := http.ReadResponse(bufio.NewReader(stalled), nil); err == nil {
		resp.Body.Close()
	} else if ne, ok := err.(net.Error); ok && ne.Timeout() {
		t.Fatalf("the server never ended the stalled attempt: %v", err)
	}
	checkContent(t, alice, uri, data)
	if used := capacityUsed(t, alice); used != int64(len(data)) {
		t.Errorf("used %d, want %d", used, len(data))
	}
}

// ---- 2. the server killed with SIGKILL mid-upload ----------------------------

// stratusProc is the real binary running on a data directory.
type stratusProc struct {
	cmd  *exec.Cmd
	URL  string
	done chan struct{}
	mu   sync.Mutex
	log  bytes.Buffer
}

var listeningLine = regexp.MustCompile(`stratus listening.* addr=(http://\S+)`)

// buildStratus compiles cmd/stratus into a temporary directory.
func buildStratus(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "stratus")
	out, err := exec.Command("go", "build", "-o", bin, "github.com/stratus-drive/stratus/cmd/stratus").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

func startStratus(t *testing.T, bin, dataDir string) *stratusProc {
	t.Helper()
	// Links are built from the site URL, never from the request's Host, so
	// the process must know its address before it starts: a port picked
	// free just before (a rare clash fails the start, not the check).
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	listen := ln.Addr().String()
	ln.Close()
	p := &stratusProc{cmd: exec.Command(bin, "server", "--data", dataDir, "--listen", listen),
		done: make(chan struct{})}
	p.cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + dataDir, "CR_SETTING_siteURL=http://" + listen}
	stderr, err := p.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			p.mu.Lock()
			p.log.WriteString(sc.Text() + "\n")
			p.mu.Unlock()
			if m := listeningLine.FindStringSubmatch(sc.Text()); m != nil {
				select {
				case addr <- m[1]:
				default:
				}
			}
		}
		p.cmd.Wait()
		close(p.done)
	}()
	t.Cleanup(func() {
		p.cmd.Process.Kill()
		<-p.done
		if t.Failed() {
			p.mu.Lock()
			t.Logf("stratus log:\n%s", p.log.String())
			p.mu.Unlock()
		}
	})
	select {
	case p.URL = <-addr:
	case <-p.done:
		t.Fatalf("stratus exited before listening:\n%s", p.log.String())
	case <-time.After(30 * time.Second):
		t.Fatal("stratus did not start listening")
	}
	return p
}

func (p *stratusProc) kill(t *testing.T) {
	t.Helper()
	if err := p.cmd.Process.Signal(os.Kill); err != nil {
		t.Fatal(err)
	}
	<-p.done
}

// clientAt returns a client of a server at base with an access token.
func clientAt(base, token string) *testenv.Client {
	c := (&testenv.Env{URL: base}).Client()
	c.Token = token
	return c
}

func TestUploadServerKilled(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := buildStratus(t)
	dataDir := t.TempDir()
	const chunk = 5 << 20
	func() { // the database exists before the first start, with 5 MiB chunks
		st := openStore(t, config.Default().Database, dataDir)
		if err := st.Migrate(context.Background()); err != nil {
			t.Fatal(err)
		}
		setChunkSize(t, st, chunk)
		st.Close()
	}()

	p := startStratus(t, bin, dataDir)
	c := clientAt(p.URL, "")
	c.NewUser(t, "root@example.com")
	alice, _ := c.NewUser(t, "alice@example.com")
	token := alice.Token

	// A file of five chunks: two arrive, the third is cut by SIGKILL while
	// its body is streaming in.
	data := randomBytes(4*chunk + 12345)
	const uri = "cloudreve://my/video/killed.bin"
	s := startUpload(t, alice, uri, int64(len(data)), nil)
	if s.ChunkSize != chunk {
		t.Fatalf("chunk size %d", s.ChunkSize)
	}
	for i := range 2 {
		if e := putChunk(t, alice, s.SessionID, i, chunkOf(data, chunk, i)); e.Code != 0 {
			t.Fatalf("chunk %d: %d %s", i, e.Code, e.Msg)
		}
	}
	c2 := chunkOf(data, chunk, 2)
	conn, _ := rawChunk(t, p.URL, token, s.SessionID, 2, int64(len(c2)), c2[:len(c2)/2], endOpen)
	// Killed once the server has written some of what it got.
	waitFor(t, 30*time.Second, func() bool { return partOnDisk(t, dataDir, 2*chunk, c2[:4096]) },
		"chunk 2's first bytes on disk")
	p.kill(t)
	conn.Close()

	// Restarted on the same data directory, the session is still there and
	// nothing partial shows.
	p = startStratus(t, bin, dataDir)
	alice = clientAt(p.URL, token)
	checkPlaceholder(t, alice, uri, s.SessionID)
	if used := capacityUsed(t, alice); used != int64(len(data)) {
		t.Errorf("reserved after restart %d, want %d", used, len(data))
	}
	for i := 2; i < 5; i++ {
		if e := putChunk(t, alice, s.SessionID, i, chunkOf(data, chunk, i)); e.Code != 0 {
			t.Fatalf("chunk %d after restart: %d %s", i, e.Code, e.Msg)
		}
	}
	checkContent(t, alice, uri, data)
	if used := capacityUsed(t, alice); used != int64(len(data)) {
		t.Errorf("used %d, want %d", used, len(data))
	}
	if files := storageFiles(t, dataDir); len(files) != 1 {
		t.Errorf("storage holds %v, want one blob", files)
	}

	// Killed right after the last chunk's body went out: whatever the server
	// got done (nothing, the part, the blob, or all of it), sending the chunk
	// again after a restart finishes the upload exactly once.
	data2 := randomBytes(2*chunk + 7)
	const uri2 = "cloudreve://my/video/killed-late.bin"
	s2 := startUpload(t, alice, uri2, int64(len(data2)), nil)
	for i := range 2 {
		if e := putChunk(t, alice, s2.SessionID, i, chunkOf(data2, chunk, i)); e.Code != 0 {
			t.Fatalf("chunk %d: %d %s", i, e.Code, e.Msg)
		}
	}
	last := chunkOf(data2, chunk, 2)
	conn, _ = rawChunk(t, p.URL, token, s2.SessionID, 2, int64(len(last)), last, endOpen)
	// Not a wait: a deliberately random kill point, so that over many runs
	// the kill lands in a different step of finishing the upload.
	time.Sleep(time.Duration(mrand.IntN(60)) * time.Millisecond)
	p.kill(t)
	conn.Close()
	p = startStratus(t, bin, dataDir)
	alice = clientAt(p.URL, token)
	if f := fileInfo(t, alice, uri2); f.Size == 0 {
		t.Log("the upload was unfinished when the server died")
		checkPlaceholder(t, alice, uri2, s2.SessionID)
		if e := putChunk(t, alice, s2.SessionID, 2, last); e.Code != 0 {
			t.Fatalf("last chunk after restart: %d %s", e.Code, e.Msg)
		}
	} else {
		t.Log("the upload completed before the server died")
		if e := putChunk(t, alice, s2.SessionID, 2, last); e.Code != 40011 {
			t.Errorf("chunk of a completed upload: %d", e.Code)
		}
	}
	checkContent(t, alice, uri2, data2)
	checkContent(t, alice, uri, data)
	if used := capacityUsed(t, alice); used != int64(len(data)+len(data2)) {
		t.Errorf("used %d, want %d", used, len(data)+len(data2))
	}
	// The kill may have left the upload's state behind the blob (after the
	// blob was in place, before the state was removed), or a Put's
	// temporary file: the upload cleanup removes them, once old enough to
	// belong to no upload in progress. The kill cannot be aimed at that
	// instant, so those leftovers are also planted, as the kill leaves them.
	storage := filepath.Join(dataDir, "storage")
	planted := []string{".stratus-uploads/00112233445566778899aabbccddeeff/info",
		".stratus-uploads/00112233445566778899aabbccddeeff/parts", "planted/.stratus-tmp-0011223344556677"}
	for _, p := range planted {
		if err := os.MkdirAll(filepath.Join(storage, filepath.Dir(p)), 0o750); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(storage, p), []byte{1}, 0o640); err != nil {
			t.Fatal(err)
		}
	}
	sweepAfterCrash(t, bin, dataDir)
	if files := storageFiles(t, dataDir); len(files) != 2 {
		t.Errorf("storage holds %v, want two blobs", files)
	}
}

// sweepAfterCrash ages the storage driver's own files in dataDir by two
// hours, as if the server had run on, and runs the upload cleanup job with
// the binary, beside the running server, as an administrator would.
func sweepAfterCrash(t *testing.T, bin, dataDir string) {
	t.Helper()
	root := filepath.Join(dataDir, "storage")
	old := time.Now().Add(-2 * time.Hour)
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		if strings.HasPrefix(filepath.ToSlash(rel), ".stratus-") || strings.HasPrefix(d.Name(), ".stratus-") {
			return os.Chtimes(p, old, old)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "job", "run", "--data", dataDir, "upload_cleanup")
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + dataDir}
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("stratus job run upload_cleanup: %v\n%s", err, out)
	}
	t.Logf("stratus job run upload_cleanup: %s", bytes.TrimSpace(out))
}

// ---- 3. malformed chunks, and parallel sessions --------------------------------

// sendChunk posts a chunk with full control over the framing: length is the
// Content-Length (-1: chunked transfer encoding) and expected, when not
// empty, the X-Expected-Entity-Length header.
func sendChunk(t *testing.T, c *testenv.Client, sid, index string, body []byte, length int64, expected string) int {
	t.Helper()
	hdr := http.Header{"Content-Type": {"application/octet-stream"}}
	if expected != "" {
		hdr.Set("X-Expected-Entity-Length", expected)
	}
	var rd io.Reader = bytes.NewReader(body)
	if length < 0 {
		rd = io.MultiReader(bytes.NewReader(body)) // hides the length: chunked encoding
	}
	resp := c.Raw(t, "POST", "/api/v4/file/upload/"+sid+"/"+index, rd, hdr)
	defer resp.Body.Close()
	var e testenv.Envelope
	decodeJSON(t, resp, &e)
	return e.Code
}

func TestUploadBadChunks(t *testing.T) {
	testenv.EachDialect(t, testenv.Options{}, func(t *testing.T, env *testenv.Env) {
		const chunk = 64 << 10
		setChunkSize(t, openStore(t, env.Database, env.Config.System.DataDir), chunk)
		c := env.Client()
		alice, _ := c.NewUser(t, "alice@example.com")
		bob, _ := c.NewUser(t, "bob@example.com")
		data := randomBytes(3*chunk + 100) // chunks 0–2 full, 3 of 100 bytes
		const uri = "cloudreve://my/bad.bin"
		s := startUpload(t, alice, uri, int64(len(data)), nil)
		sid := s.SessionID
		c0, c3 := chunkOf(data, chunk, 0), chunkOf(data, chunk, 3)

		for _, tc := range []struct {
			name     string
			index    string
			body     []byte
			length   int64 // -1: chunked
			expected string
			want     int
		}{
			{"declared shorter", "0", c0[:chunk-1], chunk - 1, "", 40013},
			{"declared longer", "0", append(slices.Clone(c0), 1), chunk + 1, "", 40013},
			{"last chunk declared as full", "3", make([]byte, chunk), chunk, "", 40013},
			{"empty body", "0", nil, 0, "", 40013},
			{"chunked without expected length", "0", c0, -1, "", 40013},
			{"chunked with a wrong expected length", "0", c0, -1, "100", 40013},
			{"chunked with a garbage expected length", "0", c0, -1, "-5", 40013},
			{"chunked body longer than expected", "0", append(slices.Clone(c0), 9), -1, strconv.Itoa(chunk), 50004},
			{"chunked body shorter than expected", "0", c0[:10], -1, strconv.Itoa(chunk), 50004},
			{"index past the end", "4", c0, chunk, "", 40012},
			{"huge index", "4611686018427387904", c0, chunk, "", 40012},
			{"index overflowing int", "99999999999999999999999", c0, chunk, "", 40012},
			{"negative index", "-1", c0, chunk, "", 40012},
			{"index not a number", "one", c0, chunk, "", 40012},
			{"index in hex", "0x1", c0, chunk, "", 40012},
		} {
			if got := sendChunk(t, alice, sid, tc.index, tc.body, tc.length, tc.expected); got != tc.want {
				t.Errorf("%s: code %d, want %d", tc.name, got, tc.want)
			}
		}
		// A body shorter than its Content-Length (the client half-closes).
		if _, r := rawChunk(t, env.URL, alice.Token, sid, 1, chunk, chunkOf(data, chunk, 1)[:chunk/2], endHalf); r.Code != 50004 {
			t.Errorf("body shorter than Content-Length: code %d (%s), want 50004", r.Code, r.Msg)
		}
		// Sessions are private and must exist.
		if e := putChunk(t, bob, sid, 0, c0); e.Code != 40011 {
			t.Errorf("another user's session: %d", e.Code)
		}
		if e := putChunk(t, alice, "00000000-0000-0000-0000-000000000000", 0, c0); e.Code != 40011 {
			t.Errorf("unknown session: %d", e.Code)
		}
		if e := putChunk(t, env.Client(), sid, 0, c0); e.Code != 401 {
			t.Errorf("anonymous chunk: %d", e.Code)
		}
		checkPlaceholder(t, alice, uri, sid)

		// A chunk sent with wrong bytes and then again with the right ones,
		// chunks repeated and out of order: the last write of each wins.
		junk := randomBytes(chunk)
		for _, step := range []struct {
			i    int
			body []byte
		}{{3, c3}, {0, junk}, {2, chunkOf(data, chunk, 2)}, {0, c0}, {2, chunkOf(data, chunk, 2)}} {
			if e := putChunk(t, alice, sid, step.i, step.body); e.Code != 0 {
				t.Fatalf("chunk %d: %d %s", step.i, e.Code, e.Msg)
			}
		}
		checkPlaceholder(t, alice, uri, sid)
		if e := putChunk(t, alice, sid, 1, chunkOf(data, chunk, 1)); e.Code != 0 {
			t.Fatalf("last missing chunk: %d %s", e.Code, e.Msg)
		}
		checkContent(t, alice, uri, data)
		// Once complete, the session is gone: a repeated chunk changes nothing.
		if e := putChunk(t, alice, sid, 0, junk); e.Code != 40011 {
			t.Errorf("chunk after completion: %d", e.Code)
		}
		checkContent(t, alice, uri, data)
		if used := capacityUsed(t, alice); used != int64(len(data)) {
			t.Errorf("used %d, want %d", used, len(data))
		}

		// A zero-byte upload takes exactly one empty chunk 0.
		s0 := startUpload(t, alice, "cloudreve://my/zero", 0, nil)
		if e := putChunk(t, alice, s0.SessionID, 1, nil); e.Code != 40012 {
			t.Errorf("chunk 1 of an empty file: %d", e.Code)
		}
		if e := putChunk(t, alice, s0.SessionID, 0, []byte{1}); e.Code != 40013 {
			t.Errorf("one byte for an empty file: %d", e.Code)
		}
		if e := putChunk(t, alice, s0.SessionID, 0, nil); e.Code != 0 {
			t.Errorf("empty chunk: %d %s", e.Code, e.Msg)
		}
		checkContent(t, alice, "cloudreve://my/zero", nil)
	})
}

func TestUploadParallelSessions(t *testing.T) {
	testenv.EachDialect(t, testenv.Options{}, func(t *testing.T, env *testenv.Env) {
		const chunk = 64 << 10
		setChunkSize(t, openStore(t, env.Database, env.Config.System.DataDir), chunk)
		alice, _ := env.Client().NewUser(t, "alice@example.com")
		const n = 8
		datas := make([][]byte, n)
		var total int64
		for i := range datas {
			datas[i] = randomBytes(3*chunk + 1 + i*977)
			total += int64(len(datas[i]))
		}
		// Eight sessions of one user at once, each sending its chunks in a
		// different order, into one folder.
		var wg sync.WaitGroup
		errc := make(chan error, n+7)
		for i := range n {
			wg.Go(func() {
				order := []int{3, 1, 0, 2}
				if i%2 == 0 {
					order = []int{0, 1, 2, 3}
				}
				errc <- uploadAll(env.URL, alice.Token, fmt.Sprintf("cloudreve://my/par/f%d.bin", i), datas[i], order)
			})
		}
		// Plus one session whose chunks all go in parallel.
		one := randomBytes(6*chunk + 5)
		r := alice.OK(t, "PUT", "/file/upload", map[string]any{"uri": "cloudreve://my/par/one.bin", "size": len(one)})
		var s uploadSession
		r.Decode(t, &s)
		for i := range 7 {
			wg.Go(func() {
				r, err := callAPI(env.URL, alice.Token, "POST", "/file/upload/"+s.SessionID+"/"+strconv.Itoa(i), chunkOf(one, chunk, i))
				if err == nil && r.Code != 0 {
					err = fmt.Errorf("parallel chunk %d: %d %s", i, r.Code, r.Msg)
				}
				errc <- err
			})
		}
		wg.Wait()
		close(errc)
		for err := range errc {
			if err != nil {
				t.Error(err)
			}
		}
		for i := range n {
			checkContent(t, alice, fmt.Sprintf("cloudreve://my/par/f%d.bin", i), datas[i])
		}
		checkContent(t, alice, "cloudreve://my/par/one.bin", one)
		if used := capacityUsed(t, alice); used != total+int64(len(one)) {
			t.Errorf("used %d, want %d", used, total+int64(len(one)))
		}
		if got := len(list(t, alice, "cloudreve://my/par", "").Files); got != n+1 {
			t.Errorf("folder holds %d files, want %d", got, n+1)
		}
		if files := storageFiles(t, env.Config.System.DataDir); len(files) != n+1 {
			t.Errorf("storage holds %d blobs, want %d", len(files), n+1)
		}
	})
}

// ---- 4. races between clients on names ---------------------------------------------

// race runs fn(i) for i in [0,n) in goroutines released together and
// returns the codes.
func race(n int, fn func(i int) (apiResult, error)) ([]apiResult, []error) {
	res := make([]apiResult, n)
	errl := make([]error, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			<-start
			res[i], errl[i] = fn(i)
		})
	}
	close(start)
	wg.Wait()
	return res, errl
}

func TestConcurrentNames(t *testing.T) {
	testenv.EachDialect(t, testenv.Options{}, func(t *testing.T, env *testenv.Env) {
		alice, _ := env.Client().NewUser(t, "alice@example.com")
		tok := alice.Token
		const n = 8
		for round := range 4 {
			dir := fmt.Sprintf("cloudreve://my/r%d", round)

			// One file renamed to eight names at once: one rename wins; the
			// others find the file gone or changed.
			create(t, alice, dir+"/a.txt", "file")
			res, errl := race(n, func(i int) (apiResult, error) {
				return callAPI(env.URL, tok, "POST", "/file/rename", map[string]any{"uri": dir + "/a.txt", "new_name": fmt.Sprintf("n%d.txt", i)})
			})
			var won []string
			for i, r := range res {
				switch {
				case errl[i] != nil:
					t.Error(errl[i])
				case r.Code == 0:
					won = append(won, fmt.Sprintf("n%d.txt", i))
				case r.Code != 40016 && r.Code != 409 && r.Code != 40073:
					t.Errorf("rename %d: code %d %s", i, r.Code, r.Msg)
				}
			}
			got := names(list(t, alice, dir, "").Files)
			if len(won) != 1 || len(got) != 1 || got[0] != won[0] {
				t.Errorf("round %d: renames that succeeded %v, folder holds %v", round, won, got)
			}

			// Eight files renamed to one name at once: one wins, the rest
			// conflict.
			for i := range n {
				create(t, alice, fmt.Sprintf("%s/s%d.txt", dir, i), "file")
			}
			res, errl = race(n, func(i int) (apiResult, error) {
				return callAPI(env.URL, tok, "POST", "/file/rename", map[string]any{"uri": fmt.Sprintf("%s/s%d.txt", dir, i), "new_name": "same.txt"})
			})
			wins := 0
			for i, r := range res {
				switch {
				case errl[i] != nil:
					t.Error(errl[i])
				case r.Code == 0:
					wins++
				case r.Code != 40004:
					t.Errorf("rename onto one name %d: code %d %s", i, r.Code, r.Msg)
				}
			}
			got = names(list(t, alice, dir, "").Files)
			if wins != 1 || len(got) != n+1 || len(slices.Compact(slices.Sorted(slices.Values(got)))) != len(got) ||
				!slices.Contains(got, "same.txt") {
				t.Errorf("round %d: %d renames onto one name succeeded, folder holds %v", round, wins, got)
			}

			// Two folders moved into each other at once: one move wins, the
			// other is refused (403: into itself); no cycle cuts both off.
			create(t, alice, dir+"/x", "folder")
			create(t, alice, dir+"/y", "folder")
			res, errl = race(2, func(i int) (apiResult, error) {
				src, dst := dir+"/x", dir+"/y"
				if i == 1 {
					src, dst = dst, src
				}
				return callAPI(env.URL, tok, "POST", "/file/move", map[string]any{"uris": []string{src}, "dst": dst})
			})
			moved := 0
			for i, r := range res {
				switch {
				case errl[i] != nil:
					t.Error(errl[i])
				case r.Code == 0:
					moved++
				case r.Code != 40081 && r.Code != 40016 && r.Code != 403:
					t.Errorf("crossed move %d: code %d %s", i, r.Code, r.Msg)
				}
			}
			got = names(list(t, alice, dir, "").Files)
			hasX, hasY := slices.Contains(got, "x"), slices.Contains(got, "y")
			if moved != 1 || hasX == hasY {
				t.Errorf("round %d: %d crossed moves succeeded; folder holds %v", round, moved, got)
			} else if top, in := map[bool]string{true: "x", false: "y"}[hasX], map[bool]string{true: "y", false: "x"}[hasX]; len(list(t, alice, dir+"/"+top, "").Files) != 1 {
				t.Errorf("round %d: %s is not inside %s", round, in, top)
			}

			// A rename and a delete of one file at once: one of them wins.
			create(t, alice, dir+"/z", "file")
			res, errl = race(2, func(i int) (apiResult, error) {
				if i == 0 {
					return callAPI(env.URL, tok, "POST", "/file/rename", map[string]any{"uri": dir + "/z", "new_name": "z2"})
				}
				return callAPI(env.URL, tok, "DELETE", "/file", map[string]any{"uris": []string{dir + "/z"}})
			})
			if errl[0] != nil || errl[1] != nil || (res[0].Code == 0) == (res[1].Code == 0) {
				t.Errorf("round %d: rename %d %v, delete %d %v: want exactly one to succeed", round, res[0].Code, errl[0], res[1].Code, errl[1])
			}
			trashed := list(t, alice, "cloudreve://trash", "").Files
			if inTree := slices.Contains(names(list(t, alice, dir, "").Files), "z2"); inTree == (len(trashed) == 1) {
				t.Errorf("round %d: z2 in the tree %v, trash %v", round, inTree, names(trashed))
			}
			if len(trashed) == 1 {
				alice.OK(t, "DELETE", "/file", map[string]any{"uris": []string{trashed[0].Path}, "skip_soft_delete": true})
			} else {
				alice.OK(t, "DELETE", "/file", map[string]any{"uris": []string{dir + "/z2"}, "skip_soft_delete": true})
			}

			// Eight creates of one name: each gets the one item or 40004;
			// with err_on_conflict exactly one succeeds.
			for _, strict := range []bool{false, true} {
				name := fmt.Sprintf("%s/c-%v.txt", dir, strict)
				res, errl = race(n, func(i int) (apiResult, error) {
					return callAPI(env.URL, tok, "POST", "/file/create", map[string]any{"uri": name, "type": "file", "err_on_conflict": strict})
				})
				ids := map[string]bool{}
				for i, r := range res {
					switch {
					case errl[i] != nil:
						t.Error(errl[i])
					case r.Code == 0:
						var f fileObj
						json.Unmarshal(r.Data, &f)
						ids[f.ID] = true
					case r.Code != 40004:
						t.Errorf("create %d: code %d %s", i, r.Code, r.Msg)
					}
				}
				if len(ids) != 1 {
					t.Errorf("round %d strict=%v: creates returned items %v", round, strict, ids)
				}
				if strict {
					wins := 0
					for _, r := range res {
						if r.Code == 0 {
							wins++
						}
					}
					if wins != 1 {
						t.Errorf("round %d: %d strict creates succeeded", round, wins)
					}
				}
			}

			// Eight creates and eight uploads into one folder that does not
			// exist yet: chained creation makes it once and every item lands.
			res, errl = race(2*n, func(i int) (apiResult, error) {
				if i < n {
					return callAPI(env.URL, tok, "POST", "/file/create", map[string]any{"uri": fmt.Sprintf("%s/new/deeper/c%d", dir, i), "type": "file"})
				}
				err := uploadAll(env.URL, tok, fmt.Sprintf("%s/new/deeper/u%d", dir, i), []byte(strconv.Itoa(i)), nil)
				return apiResult{}, err
			})
			for i, r := range res {
				if errl[i] != nil || r.Code != 0 {
					t.Errorf("round %d: item %d in a new folder: %v %d %s", round, i, errl[i], r.Code, r.Msg)
				}
			}
			if got := names(list(t, alice, dir, "").Files); len(got) != n+5 || !slices.Contains(got, "new") {
				t.Errorf("round %d: folder holds %v", round, got)
			}
			if got := list(t, alice, dir+"/new/deeper", "").Files; len(got) != 2*n {
				t.Errorf("round %d: new folder holds %v", round, names(got))
			}
		}
	})
}

// ---- 5. path traversal -----------------------------------------------------------

func TestPathTraversal(t *testing.T) {
	for _, dialect := range testenv.Dialects {
		t.Run(dialect, func(t *testing.T) { testPathTraversal(t, dialect) })
	}
}

func testPathTraversal(t *testing.T, dialect string) {
	outer := t.TempDir()
	dataDir := filepath.Join(outer, "data")
	env := testenv.Start(t, testenv.Options{Dialect: dialect, DataDir: dataDir})
	c := env.Client()
	c.NewUser(t, "root@example.com")
	alice, _ := c.NewUser(t, "alice@example.com")
	_, bobLogin := c.NewUser(t, "bob@example.com")
	bobID := bobLogin.User["id"].(string)

	const inside = "inside"
	for _, tc := range []struct {
		uri  string
		want any // a code, or the path the item lands on
	}{
		{"cloudreve://my/../e1.txt", "cloudreve://my/e1.txt"},
		{"cloudreve://my/a/../../../../e2.txt", "cloudreve://my/e2.txt"},
		{"cloudreve://my/%2e%2e/%2E%2E/e3.txt", "cloudreve://my/e3.txt"},
		{"cloudreve://my/.%2e/x/%2e/e4.txt", "cloudreve://my/x/e4.txt"},
		{"cloudreve://my//etc//e5.txt", "cloudreve://my/etc/e5.txt"},
		{"cloudreve://my/%252e%252e/e6.txt", "cloudreve://my/%252e%252e/e6.txt"}, // double-encoded: a plain name
		{"cloudreve://my/.stratus-uploads/e7.txt", "cloudreve://my/.stratus-uploads/e7.txt"},
		{"cloudreve://my/..%2Fe.txt", 40001},
		{"cloudreve://my/%2E%2E%2F%2E%2E%2Fe.txt", 40001},
		{"cloudreve://my/a%2fb", 40001},
		{"cloudreve://my/e%00.txt", 40001},
		{"cloudreve://my/%00/e.txt", 40001},
		{"cloudreve://my/e%0a.txt", 40001},
		{"cloudreve://my/%c0%ae%c0%ae/e.txt", 40001},
		{"cloudreve://my/%c0%af", 40001},
		{"cloudreve://my/%e0%80%ae%e0%80%ae/e.txt", 40001},
		{"cloudreve://my/%ff", 40001},
		{"cloudreve://my/%zz", 40001},
		{"cloudreve://my/..%5C..%5Ce.txt", 40052},
		{"cloudreve://my/a%5Cb.txt", 40052},
		{"cloudreve://my/CON", 40052},
		{"cloudreve://my/nul.txt", 40052},
		{"cloudreve://my/Com1.log", 40052},
		{"cloudreve://my/lpt9", 40052},
		{"cloudreve://my/aux.tar.gz", 40052},
		{"cloudreve://my/con%20.txt", 40052},
		{"cloudreve://my/NUL/e.txt", 40052},
		{"cloudreve://my/e.", 40052},
		{"cloudreve://my/%20", 40052},
		{"cloudreve://my/a%3Ab", 40052},
		{"cloudreve://" + bobID + "@my/e.txt", 403},
		{"cloudreve://trash/../my/e.txt", 403},
		{"cloudreve://my@evil/e.txt", 40001},
		{"file:///etc/passwd", 40001},
		{"/etc/passwd", 40001},
	} {
		for _, via := range []string{"create", "upload"} {
			var r *testenv.Envelope
			if via == "create" {
				r = alice.Do(t, "POST", "/file/create", map[string]any{"uri": tc.uri, "type": "file"})
			} else {
				r = alice.Do(t, "PUT", "/file/upload", map[string]any{"uri": tc.uri, "size": len(inside), "entity_type": "version"})
			}
			code, ok := tc.want.(int)
			if ok {
				if r.Code != code {
					t.Errorf("%s %s: code %d (%s), want %d", via, tc.uri, r.Code, r.Msg, code)
				}
				continue
			}
			if r.Code != 0 {
				t.Errorf("%s %s: code %d (%s), want it inside the tree", via, tc.uri, r.Code, r.Msg)
				continue
			}
			var got string
			if via == "create" {
				var f fileObj
				r.Decode(t, &f)
				got = f.Path
			} else {
				var s uploadSession
				r.Decode(t, &s)
				got = s.URI
				if e := putChunk(t, alice, s.SessionID, 0, []byte(inside)); e.Code != 0 {
					t.Errorf("upload %s: chunk %d", tc.uri, e.Code)
				}
			}
			if got != tc.want {
				t.Errorf("%s %s landed on %s, want %s", via, tc.uri, got, tc.want)
			}
		}
		// Listing and download links resolve the same way.
		lenv := alice.Do(t, "GET", "/file?uri="+url.QueryEscape(tc.uri), nil)
		uenv := alice.Do(t, "POST", "/file/url", map[string]any{"uris": []string{tc.uri}})
		if code, ok := tc.want.(int); ok {
			if lenv.Code == 0 {
				t.Errorf("list %s: code 0, want an error", tc.uri)
			}
			if uenv.Code == 0 {
				t.Errorf("url %s: code 0, want an error", tc.uri)
			} else if code == 40001 && uenv.Code != 40081 && uenv.Code != 40001 {
				t.Errorf("url %s: code %d", tc.uri, uenv.Code)
			}
			continue
		}
		if lenv.Code != 40016 { // a file, not a folder
			t.Errorf("list %s: code %d (%s), want 40016", tc.uri, lenv.Code, lenv.Msg)
		}
		if uenv.Code != 0 {
			t.Errorf("url %s: code %d (%s)", tc.uri, uenv.Code, uenv.Msg)
			continue
		}
		var out struct {
			URLs []struct{ URL string } `json:"urls"`
		}
		uenv.Decode(t, &out)
		if _, body := fetch(t, out.URLs[0].URL, nil); string(body) != inside {
			t.Errorf("download of %s: %q", tc.uri, body)
		}
	}
	// Listings of traversing folder URIs stay at the root or fail.
	for _, u := range []string{"cloudreve://my/..", "cloudreve://my/../../..", "cloudreve://my/%2e%2e", "cloudreve://my/x/../.."} {
		if l := list(t, alice, u, ""); l.Parent.Path != "cloudreve://my" {
			t.Errorf("list %s shows %s", u, l.Parent.Path)
		}
	}

	// Chunk and content routes: the session ID and the name in a signed
	// URL are no paths.
	if e := putChunk(t, alice, "..%2F..%2Fstratus.db", 0, []byte("x")); e.Code != 40011 {
		t.Errorf("traversing session ID: %d", e.Code)
	}
	good := downloadURL(t, alice, "cloudreve://my/e1.txt", nil)
	pu, _ := url.Parse(good)
	segs := strings.Split(pu.Path, "/")
	for _, evil := range []string{"..%2F..%2F..%2Fstratus.db", "%2e%2e", "stratus.db%00.txt"} {
		bad := *pu
		bad.RawPath = strings.Join(append(slices.Clone(segs[:len(segs)-1]), evil), "/")
		bad.Path, _ = url.PathUnescape(bad.RawPath)
		resp, body := fetch(t, bad.String(), nil)
		if resp.StatusCode == 200 && !strings.Contains(string(body), `"code":40071`) || bytes.Contains(body, []byte("SQLite format")) {
			t.Errorf("content URL named %s: %d %.100q", evil, resp.StatusCode, body)
		}
	}
	for _, evil := range []string{"..", "..%2F..%2Fstratus.db"} {
		bad := *pu
		bad.RawPath = strings.Join(append(append(slices.Clone(segs[:len(segs)-3]), evil), segs[len(segs)-2:]...), "/")
		bad.Path, _ = url.PathUnescape(bad.RawPath)
		resp, body := fetch(t, bad.String(), nil)
		if bytes.Contains(body, []byte("SQLite format")) || resp.StatusCode == 200 && !bytes.Contains(body, []byte(`"code":4`)) {
			t.Errorf("content URL with entity %s: %d %.100q", evil, resp.StatusCode, body)
		}
	}

	// Nothing was written outside the data directory, and every blob is
	// under the user's upload folder.
	entries, err := os.ReadDir(outer)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.Name() != "data" {
			t.Errorf("written next to the data directory: %s", e.Name())
		}
	}
	for _, f := range storageFiles(t, dataDir) {
		if !strings.HasPrefix(f, "uploads/") || strings.Contains(f, "..") || strings.Contains(f, "\\") {
			t.Errorf("blob outside the upload tree: %s", f)
		}
	}
	for _, name := range []string{"e.txt", "e1.txt", "e2.txt"} {
		for _, dir := range []string{filepath.Dir(outer), "/", "/etc", "."} {
			if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
				t.Errorf("%s exists in %s", name, dir)
			}
		}
	}
}

// ---- 6. volume: many small uploads, a huge folder paged while it grows ------------

func TestManySmallUploads(t *testing.T) {
	if testing.Short() {
		t.Skip("10,000 uploads")
	}
	// Each upload costs about eight fsyncs (driver state, the part, the
	// rename, two commits). On a disk that is most of the time, and it is
	// the disk's: scripts/bench-files.sh measures it. Here, on a RAM disk
	// where there is one, the test checks what the server does.
	env := testenv.Start(t, testenv.Options{DataDir: ramDir(t)})
	alice, _ := env.Client().NewUser(t, "alice@example.com")
	n := 10000
	if v, err := strconv.Atoi(os.Getenv("STRATUS_TEST_UPLOADS")); err == nil && v > 0 {
		n = v // for profiling
	}
	content := func(i int) []byte { return []byte(fmt.Sprintf("small file %d\n", i)) }
	var total int64
	start := time.Now()
	for i := range n {
		data := content(i)
		total += int64(len(data))
		if err := uploadAll(env.URL, alice.Token, fmt.Sprintf("cloudreve://my/many/f%05d.txt", i), data, nil); err != nil {
			t.Fatal(err)
		}
	}
	elapsed := time.Since(start)
	t.Logf("%d uploads in a row (session + chunk each) in %v: %.0f files/s, %.2f ms per file",
		n, elapsed.Round(time.Millisecond), float64(n)/elapsed.Seconds(), elapsed.Seconds()*1000/float64(n))

	// Every file is listed once with its size, capacity counts each once, and
	// a sample reads back.
	seen := map[string]bool{}
	token := ""
	for {
		l := list(t, alice, "cloudreve://my/many", "&page_size=2000&order_by=name&next_page_token="+url.QueryEscape(token))
		for _, f := range l.Files {
			var i int
			fmt.Sscanf(f.Name, "f%05d.txt", &i)
			if seen[f.Name] || f.Size != int64(len(content(i))) {
				t.Fatalf("%s listed again or with size %d", f.Name, f.Size)
			}
			seen[f.Name] = true
		}
		if token = l.Pagination.NextToken; token == "" {
			break
		}
	}
	if len(seen) != n {
		t.Errorf("listed %d files, want %d", len(seen), n)
	}
	if used := capacityUsed(t, alice); used != total {
		t.Errorf("used %d, want %d", used, total)
	}
	for _, i := range []int{0, 1, n / 2, n - 1} {
		_, body := fetch(t, downloadURL(t, alice, fmt.Sprintf("cloudreve://my/many/f%05d.txt", i), nil), nil)
		if !bytes.Equal(body, content(i)) {
			t.Errorf("f%05d.txt reads %q", i, body)
		}
	}
	if files := storageFiles(t, env.Config.System.DataDir); len(files) != n {
		t.Errorf("storage holds %d blobs, want %d", len(files), n)
	}
}

// ramDir returns a fresh directory on a RAM disk (/dev/shm) when there is
// one, else a temporary directory.
func ramDir(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("/dev/shm", "stratus-e2e-")
	if err != nil {
		t.Logf("no RAM disk (%v); using the temporary directory", err)
		return t.TempDir()
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}

func TestListHugeFolderWhileAdding(t *testing.T) {
	if testing.Short() {
		t.Skip("100,000 rows")
	}
	env := testenv.Start(t, testenv.Options{})
	alice, _ := env.Client().NewUser(t, "alice@example.com")
	create(t, alice, "cloudreve://my/big", "folder")

	// Seed the rows in one transaction: even names, files and a few folders.
	const n = 100000
	ctx := context.Background()
	st := openStore(t, env.Database, env.Config.System.DataDir)
	u, err := st.UserByEmail(ctx, "alice@example.com")
	if err != nil {
		t.Fatal(err)
	}
	root, err := st.RootOf(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	big, err := st.ChildByName(ctx, root.ID, "big")
	if err != nil {
		t.Fatal(err)
	}
	seedName := func(i int) string { return fmt.Sprintf("f%07d.txt", 2*i) }
	start := time.Now()
	err = st.InTx(ctx, func(tx *store.Tx) error {
		for i := range n {
			f := &drive.File{Type: drive.TypeFile, Name: seedName(i), OwnerID: u.ID, ParentID: big.ID, PolicyID: 1,
				Size: int64(i % 1000)}
			if i%1000 == 0 {
				f.Type, f.Size = drive.TypeFolder, 0
			}
			if err := tx.InsertFile(ctx, f); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("seeded %d rows in %v", n, time.Since(start).Round(time.Millisecond))

	// While the folder is paged, another client keeps adding files (odd
	// names, between the seeded ones) and folders.
	stop := make(chan struct{})
	var added []string
	var addErr error
	var wg sync.WaitGroup
	wg.Go(func() {
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			typ, name := "file", fmt.Sprintf("f%07d.txt", 2*mrand.IntN(n)+1)
			if i%10 == 0 {
				typ, name = "folder", fmt.Sprintf("a-new-%d", i)
			}
			r, err := callAPI(env.URL, alice.Token, "POST", "/file/create", map[string]any{"uri": "cloudreve://my/big/" + name, "type": typ})
			if err == nil && r.Code != 0 && r.Code != 40004 {
				err = fmt.Errorf("create %s: %d %s", name, r.Code, r.Msg)
			}
			if err != nil {
				addErr = err
				return
			}
			added = append(added, name)
		}
	})

	for _, order := range []string{"name", "created_at"} {
		for _, dir := range []string{"asc", "desc"} {
			seen := map[string]int{}
			var prev *listItem
			token, pages := "", 0
			start := time.Now()
			for {
				var l struct {
					Files      []listItem `json:"files"`
					Pagination struct {
						NextToken string `json:"next_token"`
					} `json:"pagination"`
				}
				alice.OK(t, "GET", "/file?uri="+url.QueryEscape("cloudreve://my/big")+"&page_size=2000&order_by="+order+
					"&order_direction="+dir+"&next_page_token="+url.QueryEscape(token), nil).Decode(t, &l)
				pages++
				for i := range l.Files {
					f := &l.Files[i]
					seen[f.Name]++
					if prev != nil && !inOrder(prev, f, order, dir) {
						t.Fatalf("%s %s: %q (type %d) after %q (type %d)", order, dir, f.Name, f.Type, prev.Name, prev.Type)
					}
					prev = f
				}
				if token = l.Pagination.NextToken; token == "" {
					break
				}
			}
			for name, k := range seen {
				if k > 1 {
					t.Errorf("%s %s: %s listed %d times", order, dir, name, k)
				}
			}
			missing := 0
			for i := range n {
				if seen[seedName(i)] != 1 {
					missing++
				}
			}
			if missing > 0 {
				t.Errorf("%s %s: %d seeded items not listed", order, dir, missing)
			}
			t.Logf("%s %s: %d pages, %d items in %v while files were added", order, dir, pages, len(seen),
				time.Since(start).Round(time.Millisecond))
		}
	}
	close(stop)
	wg.Wait()
	if addErr != nil {
		t.Fatal(addErr)
	}
	if len(added) == 0 {
		t.Error("nothing was added while paging")
	}
	t.Logf("%d items added concurrently", len(added))
}

// listItem is what ordering checks need of a listed file.
type listItem struct {
	Type      int       `json:"type"`
	Name      string    `json:"name"`
	CreatedAt time.Time `json:"created_at"`
}

// inOrder reports whether y may follow x in a listing: folders first, then
// files, each by the order (names are unique, so a name order is strict;
// times may tie and then the ID decides, which the listing does not show).
func inOrder(x, y *listItem, order, dir string) bool {
	if x.Type != y.Type {
		return x.Type == 1 && y.Type == 0
	}
	var c int
	if order == "name" {
		c = strings.Compare(x.Name, y.Name)
		if c == 0 {
			return false
		}
	} else {
		c = x.CreatedAt.Compare(y.CreatedAt)
	}
	if dir == "desc" {
		c = -c
	}
	return c <= 0
}
