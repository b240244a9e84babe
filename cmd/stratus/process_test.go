package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"image"
	"image/color"
	"image/png"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stratus-drive/stratus/internal/server"
)

// These tests run the real binary, because signals and exit codes belong to
// a process.

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
	binDir    string
)

func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

// binary builds the stratus command once per test run.
func binary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	buildOnce.Do(func() {
		binDir, buildErr = os.MkdirTemp("", "stratus-bin-")
		if buildErr != nil {
			return
		}
		binPath = filepath.Join(binDir, "stratus")
		out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			buildErr = errors.New("go build: " + err.Error() + "\n" + string(out))
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

// proc is a running stratus process.
type proc struct {
	t    *testing.T
	cmd  *exec.Cmd
	URL  string // http://host:port from the "stratus listening" line
	done chan struct{}
	err  error // from Wait, once done is closed

	mu  sync.Mutex
	log strings.Builder
}

var listenAddr = regexp.MustCompile(`msg="stratus listening" addr=(\S+)`)

// startProc runs the binary with args and the given environment. When
// listen is set it waits for the listening line.
func startProc(t *testing.T, env []string, listen bool, args ...string) *proc {
	t.Helper()
	p := &proc{t: t, cmd: exec.Command(binary(t), args...), done: make(chan struct{})}
	p.cmd.Env = append([]string{"PATH=" + os.Getenv("PATH")}, env...)
	stderr, err := p.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	p.cmd.Stdout = io.Discard
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	scanned := make(chan struct{})
	go func() {
		defer close(scanned)
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			p.mu.Lock()
			p.log.WriteString(sc.Text() + "\n")
			p.mu.Unlock()
		}
	}()
	go func() {
		<-scanned // Wait closes the pipe; read it all first
		p.err = p.cmd.Wait()
		close(p.done)
	}()
	t.Cleanup(func() {
		select {
		case <-p.done:
		default:
			p.cmd.Process.Kill()
			<-p.done
		}
		if t.Failed() {
			t.Logf("stratus %s stderr:\n%s", strings.Join(args, " "), p.Log())
		}
	})
	if listen {
		line := p.waitLog("stratus listening", 30*time.Second)
		m := listenAddr.FindStringSubmatch(line)
		if m == nil {
			t.Fatalf("no addr in listening line %q", line)
		}
		p.URL = m[1]
	}
	return p
}

func (p *proc) Log() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.log.String()
}

// waitLog waits until a line containing s is logged and returns it.
func (p *proc) waitLog(s string, timeout time.Duration) string {
	p.t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		for _, line := range strings.Split(p.Log(), "\n") {
			if strings.Contains(line, s) {
				return line
			}
		}
		select {
		case <-p.done:
			p.t.Fatalf("process exited (%v) before logging %q", p.err, s)
		default:
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("no %q logged within %v", s, timeout)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// wait waits for the process to exit and returns its exit code.
func (p *proc) wait(timeout time.Duration) int {
	p.t.Helper()
	select {
	case <-p.done:
	case <-time.After(timeout):
		p.t.Fatalf("process still running %v later", timeout)
	}
	var ee *exec.ExitError
	if errors.As(p.err, &ee) {
		return ee.ExitCode()
	}
	if p.err != nil {
		p.t.Fatal(p.err)
	}
	return 0
}

func (p *proc) signal(sig os.Signal) {
	p.t.Helper()
	if err := p.cmd.Process.Signal(sig); err != nil {
		p.t.Fatal(err)
	}
}

type envelope struct {
	Code int             `json:"code"`
	Msg  string          `json:"msg"`
	Data json.RawMessage `json:"data"`
}

// call sends a JSON request to the API and decodes the envelope.
func (p *proc) call(method, path, token string, body any) envelope {
	p.t.Helper()
	var rd io.Reader
	if body != nil {
		raw, _ := json.Marshal(body)
		rd = bytes.NewReader(raw)
	}
	req, _ := http.NewRequest(method, p.URL+"/api/v4"+path, rd)
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		p.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	var e envelope
	if err := json.NewDecoder(resp.Body).Decode(&e); err != nil {
		p.t.Fatalf("%s %s: status %d: %v", method, path, resp.StatusCode, err)
	}
	return e
}

func (p *proc) signIn(email, password string) string {
	p.t.Helper()
	e := p.call("POST", "/session/token", "", map[string]string{"email": email, "password": password})
	if e.Code != 0 {
		p.t.Fatalf("sign-in: %d %s", e.Code, e.Msg)
	}
	var l struct {
		Token struct {
			AccessToken string `json:"access_token"`
		} `json:"token"`
	}
	json.Unmarshal(e.Data, &l)
	return l.Token.AccessToken
}

func pngBytes(t *testing.T, w, h int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{uint8(x * 7), uint8(y * 3), uint8(x ^ y), 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

const firstStartHint = "the first account that signs up becomes the administrator"

func TestGracefulShutdown(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	p := startProc(t, nil, true, "server", "--listen", "127.0.0.1:0", "--data", dir)

	line := p.waitLog("stratus listening", time.Second)
	for _, want := range []string{"version=" + server.Version, "api=" + server.APIVersion, "addr=http://127.0.0.1:"} {
		if !strings.Contains(line, want) {
			t.Errorf("listening line %q lacks %q", line, want)
		}
	}
	p.waitLog(firstStartHint, 5*time.Second)

	if e := p.call("POST", "/user", "", map[string]string{"email": "admin@example.com", "password": "secret-pass"}); e.Code != 0 {
		t.Fatalf("sign-up: %d %s", e.Code, e.Msg)
	}
	token := p.signIn("admin@example.com", "secret-pass")

	// An avatar upload whose body trickles in, in flight across SIGTERM.
	avatar := pngBytes(t, 64, 64)
	pr, pw := io.Pipe()
	req, _ := http.NewRequest("PUT", p.URL+"/api/v4/user/setting/avatar", pr)
	req.ContentLength = int64(len(avatar))
	req.Header.Set("Content-Type", "image/png")
	req.Header.Set("Authorization", "Bearer "+token)
	type result struct {
		env envelope
		err error
	}
	res := make(chan result, 1)
	go func() {
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			res <- result{err: err}
			return
		}
		defer resp.Body.Close()
		var e envelope
		err = json.NewDecoder(resp.Body).Decode(&e)
		res <- result{e, err}
	}()
	half := len(avatar) / 2
	if _, err := pw.Write(avatar[:half]); err != nil {
		t.Fatal(err)
	}
	// Let the server start reading it. No condition to wait on: the server
	// shows nothing of a request whose body is still arriving (the pipe's
	// Write returning only means the bytes reached the socket).
	time.Sleep(300 * time.Millisecond)

	p.signal(syscall.SIGTERM)
	p.waitLog("shutting down", 5*time.Second)
	// The listener is closed at once: new connections are refused.
	host := strings.TrimPrefix(p.URL, "http://")
	deadline := time.Now().Add(2 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", host, time.Second)
		if err != nil {
			break
		}
		c.Close()
		if time.Now().After(deadline) {
			t.Error("server still accepts connections after SIGTERM")
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	select {
	case <-p.done:
		t.Fatalf("process exited (%v) with a request in flight", p.err)
	default:
	}
	for i, chunk := range chunks(avatar[half:], 4) {
		if i > 0 {
			time.Sleep(100 * time.Millisecond)
		}
		if _, err := pw.Write(chunk); err != nil {
			t.Fatalf("writing body after SIGTERM: %v", err)
		}
	}
	pw.Close()
	select {
	case r := <-res:
		if r.err != nil || r.env.Code != 0 {
			t.Errorf("in-flight upload: code %d msg %q err %v", r.env.Code, r.env.Msg, r.err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("in-flight upload got no response")
	}
	if code := p.wait(10 * time.Second); code != 0 {
		t.Errorf("exit code %d after SIGTERM, want 0", code)
	}
	if strings.Contains(p.Log(), "level=ERROR") {
		t.Errorf("errors logged:\n%s", p.Log())
	}
	// A clean close checkpoints the write-ahead log away.
	if st, err := os.Stat(filepath.Join(dir, "stratus.db-wal")); err == nil && st.Size() > 0 {
		t.Errorf("stratus.db-wal left with %d bytes after a clean exit", st.Size())
	}

	// A second start on the same directory finds everything in place and
	// does not repeat the first-start hint. SIGINT stops it as well.
	p2 := startProc(t, nil, true, "server", "--listen", "127.0.0.1:0", "--data", dir)
	token = p2.signIn("admin@example.com", "secret-pass")
	var me struct {
		ID string `json:"id"`
	}
	json.Unmarshal(p2.call("GET", "/user/me", token, nil).Data, &me)
	resp, err := http.Get(p2.URL + "/api/v4/user/avatar/" + url.PathEscape(me.ID))
	if err != nil {
		t.Fatal(err)
	}
	got, err := png.Decode(resp.Body)
	resp.Body.Close()
	if err != nil || got.Bounds().Dx() != 200 {
		t.Errorf("avatar uploaded across the shutdown: %v (%v)", err, got)
	}
	if strings.Contains(p2.Log(), firstStartHint) {
		t.Error("first-start hint logged on a site that has an account")
	}
	p2.signal(os.Interrupt)
	if code := p2.wait(10 * time.Second); code != 0 {
		t.Errorf("exit code %d after SIGINT, want 0", code)
	}
}

// TestGracePeriod: a client that never finishes its request cannot hold the
// process past System.GracePeriod.
func TestGracePeriod(t *testing.T) {
	t.Parallel()
	p := startProc(t, []string{"STRATUS_SYSTEM_GRACEPERIOD=1"}, true,
		"server", "--listen", "127.0.0.1:0", "--data", t.TempDir())
	host := strings.TrimPrefix(p.URL, "http://")
	c, err := net.Dial("tcp", host)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	// Headers promising a body that never comes.
	io.WriteString(c, "PUT /api/v4/user/setting/avatar HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\nabc")
	// Let the server take the request in; it shows nothing observable of a
	// request whose body never comes (see TestGracefulShutdown).
	time.Sleep(200 * time.Millisecond)
	start := time.Now()
	p.signal(syscall.SIGTERM)
	code := p.wait(10 * time.Second)
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("exit took %v with GracePeriod = 1s", d)
	}
	t.Logf("exit code %d after the grace period ran out", code)
}

// TestBinaryConfig runs the binary on a Cloudreve-style conf.ini.
func TestBinaryConfig(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	conf := writeFile(t, dir, "conf.ini", `[System]
Listen = 127.0.0.1:0
Mode = master
ListenPort = 5212

[Database]
Type = sqlite
DBFile = cloud.db
`)
	p := startProc(t, nil, true, "server", "--config", conf, "--data", filepath.Join(dir, "data"))
	if !strings.HasPrefix(p.URL, "http://127.0.0.1:") {
		t.Errorf("Listen from conf.ini ignored: %s", p.URL)
	}
	if !strings.Contains(p.Log(), "unknown key [System] ListenPort") {
		t.Errorf("no warning for an unknown key:\n%s", p.Log())
	}
	if e := p.call("GET", "/site/ping", "", nil); e.Code != 0 || string(e.Data) != `"`+server.APIVersion+`"` {
		t.Errorf("ping: %+v", e)
	}
	if _, err := os.Stat(filepath.Join(dir, "data", "cloud.db")); err != nil {
		t.Errorf("DBFile from conf.ini: %v", err)
	}
	p.signal(syscall.SIGTERM)
	if code := p.wait(10 * time.Second); code != 0 {
		t.Errorf("exit code %d", code)
	}

	bad := writeFile(t, dir, "bad.ini", "[System]\nLogLevel = loud\nMode = boss\n[Database]\nType = oracle\n")
	p = startProc(t, nil, false, "server", "--config", bad, "--data", filepath.Join(dir, "data"))
	if code := p.wait(10 * time.Second); code != 1 {
		t.Errorf("invalid configuration: exit code %d, want 1", code)
	}
	for _, want := range []string{"stratus: ", "LogLevel", "Mode", "Type"} {
		if !strings.Contains(p.Log(), want) {
			t.Errorf("stderr lacks %q:\n%s", want, p.Log())
		}
	}

	p = startProc(t, nil, false, "frobnicate")
	if code := p.wait(10 * time.Second); code != 1 || !strings.Contains(p.Log(), `unknown command "frobnicate"`) {
		t.Errorf("unknown command: exit code %d, stderr %q", code, p.Log())
	}
}

func chunks(b []byte, n int) [][]byte {
	var out [][]byte
	size := (len(b) + n - 1) / n
	for len(b) > 0 {
		k := min(size, len(b))
		out = append(out, b[:k])
		b = b[k:]
	}
	return out
}
