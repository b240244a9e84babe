package e2e

import (
	"bufio"
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"image/color"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/stratus-drive/stratus/internal/testenv"
)

// png16 is a w×h 16-bit RGBA PNG of one colour, written row by row so that
// making it never holds the image: 8000×8000 is 512 MB decoded but about
// 500 KB compressed.
func png16(t *testing.T, w, h int) []byte {
	t.Helper()
	var out bytes.Buffer
	out.WriteString("\x89PNG\r\n\x1a\n")
	chunk := func(typ string, data []byte) {
		binary.Write(&out, binary.BigEndian, uint32(len(data)))
		crc := crc32.NewIEEE()
		crc.Write([]byte(typ))
		crc.Write(data)
		out.WriteString(typ)
		out.Write(data)
		binary.Write(&out, binary.BigEndian, crc.Sum32())
	}
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], uint32(w))
	binary.BigEndian.PutUint32(ihdr[4:], uint32(h))
	ihdr[8], ihdr[9] = 16, 6 // 16 bits, RGBA
	chunk("IHDR", ihdr)
	var idat bytes.Buffer
	zw, _ := zlib.NewWriterLevel(&idat, zlib.BestCompression)
	row := bytes.Repeat([]byte{0x80}, 1+w*8)
	row[0] = 0 // filter: none
	for range h {
		if _, err := zw.Write(row); err != nil {
			t.Fatal(err)
		}
	}
	zw.Close()
	chunk("IDAT", idat.Bytes())
	chunk("IEND", nil)
	return out.Bytes()
}

// processPeakRSS reads the peak resident set size of process pid, in bytes.
func processPeakRSS(t *testing.T, pid int) int64 {
	t.Helper()
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			if err != nil {
				t.Fatal(err)
			}
			return kb << 10
		}
	}
	t.Fatal("no VmHWM in /proc status")
	return 0
}

// TestThumbnailMemory runs the real server and asks, at once, for the
// thumbnails of eight 16-bit 8000×8000 PNGs (512 MB each decoded, 500 KB
// stored): two anonymously through a public share, six as the owner. The
// decoded size is checked from the header against the decode budget, so
// the process's peak RSS stays far below one such image.
func TestThumbnailMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bomb := png16(t, 8000, 8000)
	p := startStratus(t, buildStratus(t), t.TempDir())
	alice, _ := clientAt(p.URL, "").NewUser(t, "memory@example.com")
	for i := range 8 {
		upload(t, alice, fmt.Sprintf("cloudreve://my/pics/bomb%d.png", i), bomb, nil)
	}
	id, _ := createShare(t, alice, map[string]any{"uri": "cloudreve://my/pics"})
	before := processPeakRSS(t, p.cmd.Process.Pid)
	anon := clientAt(p.URL, "")
	var wg sync.WaitGroup
	codes := make([]int, 8)
	for i := range 8 {
		c, uri := alice, fmt.Sprintf("cloudreve://my/pics/bomb%d.png", i)
		if i < 2 {
			c, uri = anon, fmt.Sprintf("cloudreve://%s@share/bomb%d.png", id, i)
		}
		wg.Go(func() {
			codes[i] = c.Do(t, "GET", "/file/thumb?uri="+url.QueryEscape(uri), nil).Code
		})
	}
	wg.Wait()
	peak := processPeakRSS(t, p.cmd.Process.Pid)
	t.Logf("peak RSS %d MiB before the requests, %d MiB after; codes %v (%d-byte PNGs)", before>>20, peak>>20, codes, len(bomb))
	if peak > 300<<20 {
		t.Errorf("peak RSS %d MiB; want under 300 MiB", peak>>20)
	}
	for i, code := range codes {
		if code != 40077 {
			t.Errorf("thumbnail %d: code %d; want 40077 (no thumbnail for an image over the budget)", i, code)
		}
	}
}

// TestAnonymousThumbnailGenerations: a visitor without an account starts at
// most 20 thumbnail generations a minute from one address; thumbnails that
// exist stay free to fetch.
func TestAnonymousThumbnailGenerations(t *testing.T) {
	testenv.EachDialect(t, testenv.Options{Configure: behindProxy}, func(t *testing.T, env *testenv.Env) {
		alice, _ := env.Client().NewUser(t, "pics@example.com")
		pic := pngOf(t, 20, 10, color.NRGBA{10, 200, 10, 255})
		for i := range 21 {
			upload(t, alice, fmt.Sprintf("cloudreve://my/pics/p%d.png", i), pic, nil)
		}
		id, _ := createShare(t, alice, map[string]any{"uri": "cloudreve://my/pics"})
		visitor := randomAddr()
		thumb := func(i int) int {
			code, _, err := getFrom(env, visitor, "/file/thumb?uri="+url.QueryEscape(fmt.Sprintf("cloudreve://%s@share/p%d.png", id, i)))
			if err != nil {
				t.Fatal(err)
			}
			return code
		}
		for i := range 20 {
			if code := thumb(i); code != 0 {
				t.Fatalf("generation %d: code %d", i+1, code)
			}
		}
		if code := thumb(20); code != 429 {
			t.Errorf("21st generation: code %d; want 429", code)
		}
		if code := thumb(0); code != 0 {
			t.Errorf("an existing thumbnail: code %d; want 0", code)
		}
	})
}
