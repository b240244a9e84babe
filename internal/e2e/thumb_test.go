package e2e

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"net/url"
	"sync"
	"testing"

	"github.com/stratus-drive/stratus/internal/testenv"
)

func pngOf(t *testing.T, w, h int, c color.Color) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Set(x, y, c)
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

type thumbResult struct {
	URL     string `json:"url"`
	Expires string `json:"expires"`
}

func thumbURL(t *testing.T, c *testenv.Client, uri string) string {
	t.Helper()
	var r thumbResult
	c.OK(t, "GET", "/file/thumb?uri="+url.QueryEscape(uri), nil).Decode(t, &r)
	if r.URL == "" || r.Expires == "" {
		t.Fatalf("thumb = %+v", r)
	}
	return r.URL
}

// fetchThumb downloads a thumbnail and returns its decoded size and length.
func fetchThumb(t *testing.T, u string) (image.Point, int) {
	t.Helper()
	resp, body := fetch(t, u, nil)
	if resp.StatusCode != 200 {
		t.Fatalf("thumb download: %d %s", resp.StatusCode, body)
	}
	img, format, err := image.Decode(bytes.NewReader(body))
	if err != nil || format != "png" {
		t.Fatalf("thumb decode: %v (%s)", err, format)
	}
	return img.Bounds().Size(), len(body)
}

func TestThumbnails(t *testing.T) {
	t.Parallel()
	opts := testenv.Options{Environ: []string{"CR_SETTING_thumb_width=40", "CR_SETTING_thumb_height=30"}}
	testenv.EachDialect(t, opts, func(t *testing.T, env *testenv.Env) {
		alice, _ := env.Client().NewUser(t, "alice@example.com")
		pic := pngOf(t, 200, 100, color.NRGBA{200, 10, 10, 255})
		upload(t, alice, "cloudreve://my/pic.png", pic, nil)
		before := capacityUsed(t, alice)

		// Concurrent first requests make one thumbnail.
		urls := make([]string, 4)
		var wg sync.WaitGroup
		for i := range urls {
			wg.Add(1)
			go func() {
				defer wg.Done()
				urls[i] = thumbURL(t, alice, "cloudreve://my/pic.png")
			}()
		}
		wg.Wait()
		size, n := fetchThumb(t, urls[0])
		if size.X != 40 || size.Y != 20 {
			t.Errorf("thumb size = %v, want 40x20", size)
		}
		if used := capacityUsed(t, alice); used != before+int64(n) {
			t.Errorf("used = %d, want %d + %d", used, before, n)
		}
		d := info(t, alice, "cloudreve://my/pic.png", "&extended=true")
		thumbs := 0
		var first string
		for _, e := range d.ExtendedInfo.Entities {
			if e.Type == 1 {
				thumbs++
				first = e.ID
			}
		}
		if thumbs != 1 {
			t.Fatalf("thumbnail entities = %d, want 1 (%+v)", thumbs, d.ExtendedInfo.Entities)
		}
		// Later calls reuse it.
		thumbURL(t, alice, "cloudreve://my/pic.png")
		if used := capacityUsed(t, alice); used != before+int64(n) {
			t.Errorf("used after reuse = %d", used)
		}

		// A new version drops the thumbnail; the next request makes a new one.
		pic2 := pngOf(t, 30, 90, color.NRGBA{0, 0, 255, 128})
		upload(t, alice, "cloudreve://my/pic.png", pic2, map[string]any{"entity_type": "version"})
		// (The old version stays: new accounts keep 10 versions.)
		if used := capacityUsed(t, alice); used != before+int64(len(pic2)) {
			t.Errorf("used after new version = %d, want %d", used, before+int64(len(pic2)))
		}
		size, n = fetchThumb(t, thumbURL(t, alice, "cloudreve://my/pic.png"))
		if size.X != 10 || size.Y != 30 {
			t.Errorf("new thumb size = %v, want 10x30", size)
		}
		if used := capacityUsed(t, alice); used != before+int64(len(pic2)+n) {
			t.Errorf("used = %d, want %d", used, before+int64(len(pic2)+n))
		}
		d = info(t, alice, "cloudreve://my/pic.png", "&extended=true")
		for _, e := range d.ExtendedInfo.Entities {
			if e.Type == 1 && e.ID == first {
				t.Errorf("old thumbnail still linked")
			}
		}

		// Folders, unsupported and broken files answer 40077; the latter two
		// are marked thumb:disabled.
		alice.ExpectCode(t, 40077, "GET", "/file/thumb?uri="+url.QueryEscape("cloudreve://my"), nil)
		upload(t, alice, "cloudreve://my/a.txt", []byte("text"), nil)
		upload(t, alice, "cloudreve://my/broken.jpg", []byte("not a jpeg"), nil)
		for _, name := range []string{"a.txt", "broken.jpg"} {
			uri := "cloudreve://my/" + name
			alice.ExpectCode(t, 40077, "GET", "/file/thumb?uri="+url.QueryEscape(uri), nil)
			if _, ok := info(t, alice, uri, "").Metadata["thumb:disabled"]; !ok {
				t.Errorf("%s: thumb:disabled not set", name)
			}
		}
		// An image declaring a huge canvas is refused before decoding.
		huge := pngOf(t, 1, 1, color.White)
		huge[16], huge[17], huge[18], huge[19] = 0, 0, 0x27, 0x10 // width 10000
		huge[20], huge[21], huge[22], huge[23] = 0, 0, 0x27, 0x10 // height 10000
		upload(t, alice, "cloudreve://my/huge.png", huge, nil)
		alice.ExpectCode(t, 40077, "GET", "/file/thumb?uri="+url.QueryEscape("cloudreve://my/huge.png"), nil)
	})
}
