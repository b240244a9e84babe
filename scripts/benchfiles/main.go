// Command benchfiles measures the Stratus file paths against the real binary
// over loopback and prints figures next to what the disk does with the same
// bytes. It asserts nothing beyond "the bytes came back right": it is a
// benchmark, run by scripts/bench-files.sh.
//
//	benchfiles -bin ./stratus -dir /var/tmp/bench [-size-mib 1024] [-chunk-mib 8] [-big 100000]
//
// Phases, each on the same data directory and server process:
//
//  1. upload one file of -size-mib in -chunk-mib chunks, sampling the
//     server's resident memory; then dd writes the same amount with
//     conv=fdatasync to the same filesystem;
//  2. download it whole, in sequential 8 MiB ranges and as one half-file
//     range, against cat and dd reading the stored blob;
//  3. list folders of 1,000 and -big files: first page and a deep cursor
//     page, median of repeated requests;
//  4. -small small files uploaded in a row, each session + chunk.
package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/stratus-drive/stratus/internal/config"
	"github.com/stratus-drive/stratus/internal/drive"
	"github.com/stratus-drive/stratus/internal/store"
)

const mib = 1 << 20

func main() {
	bin := flag.String("bin", "./stratus", "stratus binary")
	dir := flag.String("dir", "", "work directory on the disk to measure (required)")
	sizeMiB := flag.Int64("size-mib", 1024, "size of the large file")
	chunkMiB := flag.Int64("chunk-mib", 8, "upload chunk size")
	big := flag.Int("big", 100000, "files in the large folder")
	small := flag.Int("small", 1000, "small files uploaded in a row")
	reps := flag.Int("reps", 3, "repetitions of each transfer (best and median are printed)")
	cold := flag.Bool("cold", false, "also read with the page cache dropped (needs root)")
	flag.Parse()
	if *dir == "" {
		fail(errors.New("-dir is required"))
	}
	b := &bench{bin: *bin, dir: *dir, data: filepath.Join(*dir, "data"), size: *sizeMiB * mib, chunk: *chunkMiB * mib}
	if err := b.run(*big, *small, *reps, *cold); err != nil {
		b.stop()
		fail(err)
	}
	b.stop()
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "benchfiles:", err)
	os.Exit(1)
}

type bench struct {
	bin, dir, data string
	size, chunk    int64
	proc           *exec.Cmd
	base           string // http://127.0.0.1:port
	token          string
	rssAtStart     int64
}

func (b *bench) run(big, small, reps int, cold bool) error {
	if err := b.prepare(); err != nil {
		return err
	}
	if err := b.start(); err != nil {
		return err
	}
	b.rssAtStart = b.procStatus("VmRSS")
	if err := b.signIn(); err != nil {
		return err
	}
	fmt.Printf("Stratus file benchmarks — %s, GOMAXPROCS of the server = all %d CPUs, data on %s\n",
		time.Now().UTC().Format(time.RFC3339), runtime.NumCPU(), fsInfo(b.data))
	fmt.Println()
	if err := b.largeFile(reps, cold); err != nil {
		return err
	}
	if err := b.listings(big); err != nil {
		return err
	}
	return b.smallFiles(small)
}

// ---- server ----------------------------------------------------------------

// prepare creates the database with the chunk size set on the default
// policy (there is no admin API for policies yet).
func (b *bench) prepare() error {
	ctx := context.Background()
	st, err := store.Open(ctx, config.Default().Database, b.data)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.Migrate(ctx); err != nil {
		return err
	}
	p, err := st.Policy(ctx, 1)
	if err != nil {
		return err
	}
	ps := p.Settings
	ps.ChunkSize = b.chunk
	return st.SetPolicySettings(ctx, 1, ps)
}

var listening = regexp.MustCompile(`stratus listening.* addr=(http://\S+)`)

func (b *bench) start() error {
	b.proc = exec.Command(b.bin, "server", "--data", b.data, "--listen", "127.0.0.1:0")
	b.proc.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + b.dir}
	stderr, err := b.proc.StderrPipe()
	if err != nil {
		return err
	}
	logf, err := os.Create(filepath.Join(b.dir, "server.log"))
	if err != nil {
		return err
	}
	if err := b.proc.Start(); err != nil {
		return err
	}
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			fmt.Fprintln(logf, sc.Text())
			if m := listening.FindStringSubmatch(sc.Text()); m != nil {
				select {
				case addr <- m[1]:
				default:
				}
			}
		}
		logf.Close()
	}()
	select {
	case b.base = <-addr:
		return nil
	case <-time.After(30 * time.Second):
		return errors.New("the server did not start; see server.log")
	}
}

func (b *bench) stop() {
	if b.proc != nil && b.proc.Process != nil {
		b.proc.Process.Signal(syscall.SIGTERM)
		done := make(chan struct{})
		go func() { b.proc.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			b.proc.Process.Kill()
		}
	}
}

// procStatus reads a kB field of /proc/PID/status, in bytes.
func (b *bench) procStatus(field string) int64 {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", b.proc.Process.Pid))
	if err != nil {
		return -1
	}
	for line := range strings.Lines(string(raw)) {
		if rest, ok := strings.CutPrefix(line, field+":"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb * 1024
		}
	}
	return -1
}

// resetPeak resets VmHWM of the server to its current RSS.
func (b *bench) resetPeak() error {
	return os.WriteFile(fmt.Sprintf("/proc/%d/clear_refs", b.proc.Process.Pid), []byte("5"), 0)
}

// ---- API client ----------------------------------------------------------------

type envelope struct {
	Code int             `json:"code"`
	Msg  string          `json:"msg"`
	Data json.RawMessage `json:"data"`
}

var client = &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 16, DisableCompression: true}}

func (b *bench) call(method, path string, body any, out any) error {
	var rd io.Reader
	ctype := "application/json"
	switch v := body.(type) {
	case nil:
	case []byte:
		rd, ctype = bytes.NewReader(v), "application/octet-stream"
	default:
		raw, err := json.Marshal(v)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, b.base+"/api/v4"+path, rd)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", ctype)
	if b.token != "" {
		req.Header.Set("Authorization", "Bearer "+b.token)
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	var e envelope
	if err := json.NewDecoder(resp.Body).Decode(&e); err != nil {
		return fmt.Errorf("%s %s: status %d: %w", method, path, resp.StatusCode, err)
	}
	if e.Code != 0 {
		return fmt.Errorf("%s %s: code %d %s", method, path, e.Code, e.Msg)
	}
	if out != nil {
		return json.Unmarshal(e.Data, out)
	}
	return nil
}

func (b *bench) signIn() error {
	creds := map[string]string{"email": "bench@example.com", "password": "benchmark password"}
	if err := b.call("POST", "/user", creds, nil); err != nil {
		return err
	}
	var login struct {
		Token struct {
			AccessToken string `json:"access_token"`
		} `json:"token"`
	}
	if err := b.call("POST", "/session/token", creds, &login); err != nil {
		return err
	}
	b.token = login.Token.AccessToken
	return nil
}

type session struct {
	SessionID string `json:"session_id"`
	ChunkSize int64  `json:"chunk_size"`
}

func (b *bench) startUpload(uri string, size int64) (session, error) {
	var s session
	err := b.call("PUT", "/file/upload", map[string]any{"uri": uri, "size": size}, &s)
	return s, err
}

func (b *bench) putChunk(sid string, index int, body io.Reader, length int64) error {
	req, err := http.NewRequest("POST", b.base+"/api/v4/file/upload/"+sid+"/"+strconv.Itoa(index), body)
	if err != nil {
		return err
	}
	req.ContentLength = length
	req.Header.Set("Content-Type", "application/octet-stream")
	req.Header.Set("Authorization", "Bearer "+b.token)
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	var e envelope
	if err := json.NewDecoder(resp.Body).Decode(&e); err != nil {
		return err
	}
	if e.Code != 0 {
		return fmt.Errorf("chunk %d: code %d %s", index, e.Code, e.Msg)
	}
	return nil
}

func (b *bench) contentURL(uri string) (string, error) {
	var out struct {
		URLs []struct{ URL string } `json:"urls"`
	}
	if err := b.call("POST", "/file/url", map[string]any{"uris": []string{uri}}, &out); err != nil {
		return "", err
	}
	// The URL is absolute on the configured site URL (http://localhost:5212
	// by default); the bench server listens elsewhere.
	u, err := url.Parse(out.URLs[0].URL)
	if err != nil {
		return "", err
	}
	return b.base + u.RequestURI(), nil
}

// get reads a URL (with an optional Range) into w and returns the bytes read.
func get(u, rng string, w io.Writer) (int64, error) {
	req, err := http.NewRequest("GET", u, nil)
	if err != nil {
		return 0, err
	}
	if rng != "" {
		req.Header.Set("Range", rng)
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	if want := map[bool]int{true: 206, false: 200}[rng != ""]; resp.StatusCode != want {
		return 0, fmt.Errorf("GET with range %q: status %d", rng, resp.StatusCode)
	}
	return io.Copy(w, resp.Body)
}

// ---- 1 and 2: one large file ----------------------------------------------------

// pattern is the content of the large file: one random block, repeated.
func pattern(block []byte, size int64) io.Reader {
	return io.LimitReader(&repeater{b: block}, size)
}

type repeater struct {
	b   []byte
	off int
}

func (r *repeater) Read(p []byte) (int, error) {
	n := copy(p, r.b[r.off:])
	r.off = (r.off + n) % len(r.b)
	return n, nil
}

func (b *bench) largeFile(reps int, cold bool) error {
	block := make([]byte, 8*mib)
	rand.Read(block)
	h := sha256.New()
	io.Copy(h, pattern(block, b.size))
	want := h.Sum(nil)
	const uri = "cloudreve://my/large.bin"

	// Upload, sampling the server's RSS; VmHWM is reset first so that it
	// reports the upload, not start-up and the sign-up's password hash.
	rssBefore := b.procStatus("VmRSS")
	peakSinceStart := b.procStatus("VmHWM")
	resetOK := b.resetPeak() == nil
	var sampled atomic.Int64
	stopSampling := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		for {
			if v := b.procStatus("VmRSS"); v > sampled.Load() {
				sampled.Store(v)
			}
			select {
			case <-stopSampling:
				return
			case <-time.After(20 * time.Millisecond):
			}
		}
	})
	start := time.Now()
	s, err := b.startUpload(uri, b.size)
	if err != nil {
		return err
	}
	if s.ChunkSize != b.chunk {
		return fmt.Errorf("server chunk size %d, want %d", s.ChunkSize, b.chunk)
	}
	src := pattern(block, b.size)
	for i, off := 0, int64(0); off < b.size; i, off = i+1, off+b.chunk {
		n := min(b.chunk, b.size-off)
		if err := b.putChunk(s.SessionID, i, io.LimitReader(src, n), n); err != nil {
			return err
		}
	}
	upload := time.Since(start)
	close(stopSampling)
	wg.Wait()
	hwm := b.procStatus("VmHWM")

	ddFile := filepath.Join(b.dir, "dd.bin")
	ddTime, err := timeCmd("dd", "if=/dev/zero", "of="+ddFile, fmt.Sprintf("bs=%dM", b.chunk/mib),
		fmt.Sprintf("count=%d", b.size/b.chunk), "conv=fdatasync")
	if err != nil {
		return err
	}
	os.Remove(ddFile)

	fmt.Printf("1. Upload of one %d MiB file in %d MiB chunks (%d chunks, each fsynced by the server)\n",
		b.size/mib, b.chunk/mib, (b.size+b.chunk-1)/b.chunk)
	row("stratus upload (session + chunks)", b.size, upload)
	row(fmt.Sprintf("dd bs=%dM conv=fdatasync (disk write)", b.chunk/mib), b.size, ddTime)
	fmt.Printf("   stratus / dd: %.0f%%\n", 100*ddTime.Seconds()/upload.Seconds())
	fmt.Printf("   server RSS: %.1f MiB after start, %.1f MiB before the upload (after sign-up: argon2id uses 19 MiB)\n",
		float64(b.rssAtStart)/mib, float64(rssBefore)/mib)
	fmt.Printf("   server peak RSS during the upload: VmHWM %.1f MiB (reset before the upload: %v); "+
		"highest VmRSS sampled every 20 ms %.1f MiB; VmHWM since start, before the upload %.1f MiB\n",
		float64(hwm)/mib, resetOK, float64(sampled.Load())/mib, float64(peakSinceStart)/mib)
	fmt.Println()

	// Download: whole, in 8 MiB ranges, and one half-file range, each
	// against reading the blob file directly. All from the page cache
	// (the file was just written) unless -cold.
	u, err := b.contentURL(uri)
	if err != nil {
		return err
	}
	h.Reset()
	if n, err := get(u, "", h); err != nil || n != b.size || !bytes.Equal(h.Sum(nil), want) {
		return fmt.Errorf("downloaded %d bytes, sha256 match %v: %v", n, bytes.Equal(h.Sum(nil), want), err)
	}
	blob, err := b.blobPath()
	if err != nil {
		return err
	}
	fmt.Printf("2. Download of the same file over loopback (page cache warm; best of %d, median)\n", reps)
	whole := func() error {
		n, err := get(u, "", io.Discard)
		if err == nil && n != b.size {
			err = fmt.Errorf("got %d bytes", n)
		}
		return err
	}
	ranges := func() error {
		for off := int64(0); off < b.size; off += 8 * mib {
			end := min(off+8*mib, b.size) - 1
			if _, err := get(u, fmt.Sprintf("bytes=%d-%d", off, end), io.Discard); err != nil {
				return err
			}
		}
		return nil
	}
	half := func() error {
		n, err := get(u, fmt.Sprintf("bytes=%d-", b.size/2), io.Discard)
		if err == nil && n != b.size-b.size/2 {
			err = fmt.Errorf("got %d bytes", n)
		}
		return err
	}
	curl := func() error {
		_, err := timeCmd("curl", "-sf", "-o", "/dev/null", u)
		return err
	}
	cat := func() error { _, err := timeCmd("sh", "-c", "cat '"+blob+"' > /dev/null"); return err }
	ddRead := func() error { _, err := timeCmd("dd", "if="+blob, "of=/dev/null", "bs=8M"); return err }
	for _, c := range []struct {
		name  string
		bytes int64
		fn    func() error
	}{
		{"stratus GET, whole file", b.size, whole},
		{"stratus GET, Range in 8 MiB pieces (sequential)", b.size, ranges},
		{"stratus GET, Range bytes=<half>- (one request)", b.size - b.size/2, half},
		{"curl -o /dev/null, whole file (another client)", b.size, curl},
		{"cat blob > /dev/null", b.size, cat},
		{"dd if=blob bs=8M of=/dev/null", b.size, ddRead},
	} {
		if strings.HasPrefix(c.name, "curl") {
			if _, err := exec.LookPath("curl"); err != nil {
				continue
			}
		}
		best, med, err := repeat(reps, c.fn)
		if err != nil {
			return fmt.Errorf("%s: %w", c.name, err)
		}
		row2(c.name, c.bytes, best, med)
	}
	if cold {
		fmt.Println("   with the page cache dropped before each run:")
		for _, c := range []struct {
			name string
			fn   func() error
		}{{"stratus GET, whole file (cold)", whole}, {"cat blob > /dev/null (cold)", cat}} {
			if err := dropCaches(); err != nil {
				fmt.Printf("   (cannot drop caches: %v)\n", err)
				break
			}
			start := time.Now()
			if err := c.fn(); err != nil {
				return err
			}
			row(c.name, b.size, time.Since(start))
		}
	}
	fmt.Println()
	return nil
}

// blobPath finds the one large object under the storage root.
func (b *bench) blobPath() (string, error) {
	var found string
	err := filepath.WalkDir(filepath.Join(b.data, "storage"), func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if info, err := d.Info(); err == nil && d.Type().IsRegular() && info.Size() == b.size {
			found = p
		}
		return nil
	})
	if found == "" && err == nil {
		err = errors.New("blob not found in the storage directory")
	}
	return found, err
}

func dropCaches() error {
	exec.Command("sync").Run()
	return os.WriteFile("/proc/sys/vm/drop_caches", []byte("3"), 0)
}

// ---- 3: listings -------------------------------------------------------------------

func (b *bench) listings(big int) error {
	fmt.Printf("3. Listing latency (GET /file, order by name, median of 25 requests)\n")
	fmt.Printf("   %-12s %-28s %-28s %s\n", "folder", "first page (100 items)", "deep cursor page (100 items)", "seed")
	for _, n := range []int{1000, big} {
		name := fmt.Sprintf("list%d", n)
		if err := b.call("POST", "/file/create", map[string]any{"uri": "cloudreve://my/" + name, "type": "folder"}, nil); err != nil {
			return err
		}
		seed, err := b.seed(name, n)
		if err != nil {
			return err
		}
		folder := url.QueryEscape("cloudreve://my/" + name)
		first, err := b.listLatency("/file?uri=" + folder + "&page_size=100&order_by=name")
		if err != nil {
			return err
		}
		// Walk to 90% of the folder with large pages, then time a 100-item
		// page from that cursor.
		token, seen := "", 0
		for seen < n*9/10 {
			var l struct {
				Files      []json.RawMessage `json:"files"`
				Pagination struct {
					NextToken string `json:"next_token"`
				} `json:"pagination"`
			}
			size := min(2000, n*9/10-seen)
			if err := b.call("GET", "/file?uri="+folder+"&order_by=name&page_size="+strconv.Itoa(size)+
				"&next_page_token="+url.QueryEscape(token), nil, &l); err != nil {
				return err
			}
			seen += len(l.Files)
			token = l.Pagination.NextToken
		}
		deep, err := b.listLatency("/file?uri=" + folder + "&page_size=100&order_by=name&next_page_token=" + url.QueryEscape(token))
		if err != nil {
			return err
		}
		fmt.Printf("   %-12s %-28s %-28s %v\n", fmt.Sprintf("%d files", n), ms(first), ms(deep)+fmt.Sprintf(" (after item %d)", seen),
			seed.Round(time.Millisecond))
	}
	fmt.Println()
	return nil
}

// seed inserts n files into folder name of the benchmark user, in one
// transaction, through a second handle on the server's SQLite database.
func (b *bench) seed(name string, n int) (time.Duration, error) {
	ctx := context.Background()
	st, err := store.Open(ctx, config.Default().Database, b.data)
	if err != nil {
		return 0, err
	}
	defer st.Close()
	u, err := st.UserByEmail(ctx, "bench@example.com")
	if err != nil {
		return 0, err
	}
	root, err := st.RootOf(ctx, u.ID)
	if err != nil {
		return 0, err
	}
	dir, err := st.ChildByName(ctx, root.ID, name)
	if err != nil {
		return 0, err
	}
	start := time.Now()
	err = st.InTx(ctx, func(tx *store.Tx) error {
		for i := range n {
			f := &drive.File{Type: drive.TypeFile, Name: fmt.Sprintf("file-%07d.txt", i), OwnerID: u.ID,
				ParentID: dir.ID, PolicyID: 1, Size: int64(i)}
			if err := tx.InsertFile(ctx, f); err != nil {
				return err
			}
		}
		return nil
	})
	return time.Since(start), err
}

func (b *bench) listLatency(path string) (time.Duration, error) {
	var times []time.Duration
	for range 25 {
		start := time.Now()
		var l struct {
			Files []json.RawMessage `json:"files"`
		}
		if err := b.call("GET", path, nil, &l); err != nil {
			return 0, err
		}
		if len(l.Files) != 100 {
			return 0, fmt.Errorf("page of %d items", len(l.Files))
		}
		times = append(times, time.Since(start))
	}
	slices.Sort(times)
	return times[len(times)/2], nil
}

// ---- 4: small files -------------------------------------------------------------

func (b *bench) smallFiles(n int) error {
	if n <= 0 {
		return nil
	}
	start := time.Now()
	for i := range n {
		data := []byte(fmt.Sprintf("small file %d\n", i))
		s, err := b.startUpload(fmt.Sprintf("cloudreve://my/small/f%05d.txt", i), int64(len(data)))
		if err != nil {
			return err
		}
		if err := b.putChunk(s.SessionID, 0, bytes.NewReader(data), int64(len(data))); err != nil {
			return err
		}
	}
	d := time.Since(start)
	fmt.Printf("4. %d small files uploaded in a row (session + one chunk each, on disk)\n", n)
	fmt.Printf("   %.0f files/s, %.2f ms per file\n", float64(n)/d.Seconds(), d.Seconds()*1000/float64(n))
	return nil
}

// ---- helpers --------------------------------------------------------------------

func timeCmd(name string, args ...string) (time.Duration, error) {
	start := time.Now()
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		return 0, fmt.Errorf("%s: %v: %s", name, err, out)
	}
	return time.Since(start), nil
}

func repeat(n int, fn func() error) (best, median time.Duration, err error) {
	var times []time.Duration
	for range n {
		start := time.Now()
		if err := fn(); err != nil {
			return 0, 0, err
		}
		times = append(times, time.Since(start))
	}
	slices.Sort(times)
	return times[0], times[len(times)/2], nil
}

func rate(bytes int64, d time.Duration) string {
	return fmt.Sprintf("%7.0f MiB/s", float64(bytes)/mib/d.Seconds())
}

func row(name string, bytes int64, d time.Duration) {
	fmt.Printf("   %-52s %s  (%v)\n", name, rate(bytes, d), d.Round(time.Millisecond))
}

func row2(name string, bytes int64, best, med time.Duration) {
	fmt.Printf("   %-52s best %s  median %s  (%v)\n", name, rate(bytes, best), rate(bytes, med), med.Round(time.Millisecond))
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d.Microseconds())/1000) }

// fsInfo names the filesystem and device under path.
func fsInfo(path string) string {
	out, err := exec.Command("df", "-T", path).Output()
	if err != nil {
		return "?"
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	f := strings.Fields(lines[len(lines)-1])
	if len(f) < 2 {
		return "?"
	}
	return f[1] + " (" + f[0] + ")"
}
