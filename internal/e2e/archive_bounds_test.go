package e2e

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/stratus-drive/stratus/internal/testenv"
)

// TestArchiveSessionBounds: archive sessions hold what their items resolved
// to (a share item survives only as long as its share), at most 1,000 items
// each, and a user makes at most 20 per archive_timeout.
func TestArchiveSessionBounds(t *testing.T) {
	testenv.EachDialect(t, testenv.Options{}, func(t *testing.T, env *testenv.Env) {
		root, _ := env.Client().NewUser(t, "root@example.com") // administrators may download archives
		alice, _ := env.Client().NewUser(t, "alice@example.com")
		upload(t, alice, "cloudreve://my/pub/a.txt", []byte("alpha"), nil)
		sid, _ := createShare(t, alice, map[string]any{"uri": "cloudreve://my/pub"})

		u := archiveURL(t, root, "cloudreve://"+sid+"@share/a.txt")
		if _, body := fetch(t, u, nil); strings.Join(keys(unzip(t, body)), ",") != "a.txt" {
			t.Errorf("archive through a share: %v", keys(unzip(t, body)))
		}
		alice.OK(t, "DELETE", "/share/"+sid, nil)
		if _, body := fetch(t, u, nil); len(unzip(t, body)) != 0 {
			t.Errorf("after the share was deleted: %v", keys(unzip(t, body)))
		}

		many := make([]string, 1001)
		for i := range many {
			many[i] = fmt.Sprintf("cloudreve://my/f%d.txt", i)
		}
		root.ExpectCode(t, 40074, "POST", "/file/url", map[string]any{"uris": many, "archive": true})

		upload(t, root, "cloudreve://my/x.txt", []byte("x"), nil)
		for range 19 { // 20 sessions in all, one made above
			archiveURL(t, root, "cloudreve://my/x.txt")
		}
		root.ExpectCode(t, 429, "POST", "/file/url", map[string]any{"uris": []string{"cloudreve://my/x.txt"}, "archive": true})
	})
}

// TestArchiveSessionMemory runs the real server and sends it 200 archive
// requests of 1,000 invented 1,200-character URIs each (a session used to
// keep them all for archive_timeout): every one is refused when its first
// item does not resolve, and the process's peak RSS stays low.
func TestArchiveSessionMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	p := startStratus(t, buildStratus(t), t.TempDir())
	root, _ := clientAt(p.URL, "").NewUser(t, "root@example.com")
	uris := make([]string, 1000)
	for i := range uris {
		uris[i] = fmt.Sprintf("cloudreve://my/%04d-%s", i, strings.Repeat("x", 1180))
	}
	body := map[string]any{"uris": uris, "archive": true}
	before := processPeakRSS(t, p.cmd.Process.Pid)
	var wg sync.WaitGroup
	var mu sync.Mutex
	codes := map[int]int{}
	for range 8 {
		wg.Go(func() {
			for range 25 {
				code := root.Do(t, "POST", "/file/url", body).Code
				mu.Lock()
				codes[code]++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	peak := processPeakRSS(t, p.cmd.Process.Pid)
	t.Logf("peak RSS %d MiB before, %d MiB after 200 requests of 1,000 × 1,200-character URIs; codes %v", before>>20, peak>>20, codes)
	if codes[40016] != 200 {
		t.Errorf("codes %v; want 200 × 40016 (the first item does not exist)", codes)
	}
	if peak > 300<<20 {
		t.Errorf("peak RSS %d MiB; want under 300 MiB", peak>>20)
	}
}
