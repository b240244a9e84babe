package e2e

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stratus-drive/stratus/internal/drive"
	"github.com/stratus-drive/stratus/internal/store"
	"github.com/stratus-drive/stratus/internal/testenv"
)

// TestWebDAVBench prints the figures of scripts/bench-webdav.sh; it runs
// only when STRATUS_BENCH_WEBDAV is set. It asserts nothing about time.
func TestWebDAVBench(t *testing.T) {
	if os.Getenv("STRATUS_BENCH_WEBDAV") == "" {
		t.Skip("set STRATUS_BENCH_WEBDAV=1 (scripts/bench-webdav.sh)")
	}
	dialect := os.Getenv("BENCH_DIALECT") // sqlite (default), postgres or mysql
	env := testenv.Start(t, testenv.Options{Dialect: dialect})
	fmt.Printf("database: %s\n", env.Database.Type)
	u := newDavUser(t, env, "bench@example.com", nil)
	st := openStore(t, env.Database, env.Config.System.DataDir)
	ctx := context.Background()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 16}}
	do := func(method, p string, body io.Reader, size int64, header map[string]string) (int, int64) {
		req, _ := http.NewRequest(method, u.url(p), body)
		req.SetBasicAuth(u.email, u.password)
		if body != nil {
			req.ContentLength = size
		}
		for k, v := range header {
			req.Header.Set(k, v)
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		n, _ := io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp.StatusCode, n
	}

	parts := os.Getenv("BENCH_PARTS") // comma-separated subset of propfind,small,big; default all
	want := func(part string) bool { return parts == "" || strings.Contains(parts, part) }

	// PROPFIND Depth 1 on folders of 600, 5,000 and 100,000 files (rows
	// inserted directly: the listing is what is measured), with an empty
	// body (allprop) and with the properties rclone asks for.
	named := `<?xml version="1.0"?><d:propfind xmlns:d="DAV:"><d:prop><d:displayname/><d:getlastmodified/>` +
		`<d:getcontentlength/><d:resourcetype/><d:getcontenttype/><d:getetag/></d:prop></d:propfind>`
	for _, count := range []int{600, 5000, 100000} {
		if !want("propfind") {
			break
		}
		name := fmt.Sprintf("f%d", count)
		u.expect(t, 201, "MKCOL", "/"+name, "", nil)
		owner, err := st.UserByEmail(ctx, u.email)
		if err != nil {
			t.Fatal(err)
		}
		folder, err := st.RootOf(ctx, owner.ID)
		if err != nil {
			t.Fatal(err)
		}
		var parent *drive.File
		err = st.InTx(ctx, func(tx *store.Tx) error {
			if parent, err = tx.ChildByName(ctx, folder.ID, name); err != nil {
				return err
			}
			for i := range count {
				f := &drive.File{Type: drive.TypeFile, Name: fmt.Sprintf("file-%06d.txt", i), OwnerID: parent.OwnerID,
					ParentID: parent.ID, PolicyID: 1, Size: 4096}
				if err := tx.InsertFile(ctx, f); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		for _, body := range []string{"", named} {
			propfind := func() (int, int64) {
				var rd io.Reader
				if body != "" {
					rd = strings.NewReader(body)
				}
				return do("PROPFIND", "/"+name+"/", rd, int64(len(body)), map[string]string{"Depth": "1"})
			}
			propfind() // warm
			runs := min(max(3, 2_000_000/count), 200)
			var bytesOut int64
			start := time.Now()
			for range runs {
				status, n := propfind()
				if status != 207 {
					t.Fatalf("PROPFIND: %d", status)
				}
				bytesOut = n
			}
			per := time.Since(start) / time.Duration(runs)
			kind := "allprop"
			if body != "" {
				kind = "named  "
			}
			fmt.Printf("PROPFIND depth 1 %s, %6d files: %8.2f ms, %9d bytes (mean of %d)\n", kind, count,
				float64(per.Microseconds())/1000, bytesOut, runs)
		}
	}

	// 1,000 PUTs of 4 KiB, one client and eight.
	payload := bytes.Repeat([]byte("x"), 4096)
	for _, clients := range []int{1, 8} {
		if !want("small") {
			break
		}
		dir := fmt.Sprintf("/small%d", clients)
		u.expect(t, 201, "MKCOL", dir, "", nil)
		var wg sync.WaitGroup
		statements := store.Statements()
		start := time.Now()
		for c := range clients {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := c; i < 1000; i += clients {
					if status, _ := do("PUT", fmt.Sprintf("%s/s%04d.bin", dir, i), bytes.NewReader(payload), 4096, nil); status != 201 {
						t.Errorf("PUT: %d", status)
						return
					}
				}
			}()
		}
		wg.Wait()
		el := time.Since(start)
		fmt.Printf("1,000 x 4 KiB PUT, %d client(s): %7.0f files/s (%v), %.1f SQL statements per PUT\n", clients,
			1000/el.Seconds(), el.Round(time.Millisecond), float64(store.Statements()-statements)/1000)
	}

	// One big file by WebDAV and by REST.
	if !want("big") {
		return
	}
	mb := int64(1024)
	if v, err := strconv.ParseInt(os.Getenv("BENCH_BIG_MB"), 10, 64); err == nil && v > 0 {
		mb = v
	}
	size := mb << 20
	zero := func() io.Reader { return io.LimitReader(zeroReader{}, size) }
	start := time.Now()
	if status, _ := do("PUT", "/big.bin", zero(), size, nil); status != 201 {
		t.Fatalf("big PUT: %d", status)
	}
	fmt.Printf("WebDAV PUT %d MiB: %7.1f MiB/s, peak RSS %d MiB\n", mb, float64(mb)/time.Since(start).Seconds(), peakRSS())
	start = time.Now()
	if status, n := do("GET", "/big.bin", nil, 0, nil); status != 200 || n != size {
		t.Fatalf("big GET: %d %d", status, n)
	}
	fmt.Printf("WebDAV GET %d MiB: %7.1f MiB/s, peak RSS %d MiB\n", mb, float64(mb)/time.Since(start).Seconds(), peakRSS())

	// REST: an upload session, its chunks sent one after another, as the web
	// app uploads.
	sess := startUpload(t, u.rest, "cloudreve://my/rest.bin", size, nil)
	start = time.Now()
	accepted := true
	for i, off := 0, int64(0); off < size; i, off = i+1, off+sess.ChunkSize {
		n := min(sess.ChunkSize, size-off)
		req, _ := http.NewRequest("POST", env.URL+"/api/v4/file/upload/"+sess.SessionID+"/"+strconv.Itoa(i),
			io.LimitReader(zeroReader{}, n))
		req.ContentLength = n
		req.Header.Set("Authorization", "Bearer "+u.rest.Token)
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		reply, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
		resp.Body.Close()
		if !bytes.Contains(reply, []byte(`"code":0`)) {
			fmt.Printf("REST upload chunk %d refused: %.200s\n", i, reply)
			accepted = false
			break
		}
	}
	if accepted {
		fmt.Printf("REST upload %d MiB (%d MiB chunks): %7.1f MiB/s, peak RSS %d MiB\n",
			mb, sess.ChunkSize>>20, float64(mb)/time.Since(start).Seconds(), peakRSS())
	}
	if accepted {
		target := downloadURL(t, u.rest, "cloudreve://my/rest.bin", nil)
		if !strings.HasPrefix(target, "http") {
			target = env.URL + target
		}
		start = time.Now()
		resp, err := client.Get(target)
		if err != nil {
			t.Fatal(err)
		}
		n, _ := io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		fmt.Printf("REST GET %d MiB: %7.1f MiB/s (status %d, %d bytes), peak RSS %d MiB\n", mb,
			float64(mb)/time.Since(start).Seconds(), resp.StatusCode, n, peakRSS())
	}
	fmt.Println("peak RSS is the test process's: server and client together")
}

type zeroReader struct{}

func (zeroReader) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// peakRSS is the process's peak resident set (VmHWM) in MiB.
func peakRSS() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return -1
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb >> 10
		}
	}
	return -1
}
