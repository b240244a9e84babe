package captcha

import (
	"bytes"
	"context"
	"encoding/base64"
	"image"
	"image/color"
	"image/png"
	"math/rand/v2"
	"strings"
	"testing"
)

func decodeImage(t *testing.T, dataURL string) image.Image {
	t.Helper()
	b64, ok := strings.CutPrefix(dataURL, "data:image/png;base64,")
	if !ok {
		t.Fatalf("not a PNG data URL: %.40q", dataURL)
	}
	raw, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		t.Fatalf("base64: %v", err)
	}
	img, err := png.Decode(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("png: %v", err)
	}
	return img
}

var allNoise = Settings{
	ShowNoiseDot: true, ShowSlimeLine: true, ShowSineLine: true, ShowHollowLine: true,
	ShowNoiseText: true, ComplexNoiseText: 2, ComplexNoiseDot: 2,
}

func TestImageSize(t *testing.T) {
	tests := []struct {
		name         string
		s            Settings
		wantW, wantH int
	}{
		{"defaults", Settings{}, 240, 60},
		{"cloudreve defaults", defaultSettings, 240, 60},
		{"all noise", allNoise, 240, 60},
		{"small", Settings{Width: 100, Height: 30, Mode: ModeDigits}, 100, 30},
		{"tall", Settings{Width: 200, Height: 150, Mode: ModeLetters}, 200, 150},
		{"many characters", Settings{Width: 120, Height: 60, Length: 16}, 120, 60},
		{"arithmetic", Settings{Width: 300, Height: 90, Mode: ModeArithmetic}, 300, 90},
		{"tiny is raised", Settings{Width: 3, Height: 2}, minSide, minSide},
		{"huge is capped", Settings{Width: 50000, Height: 50000}, maxWidth, maxHeight},
	}
	sv := New(newFakeKV(), nil)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			img := decodeImage(t, generate(t, sv, tt.s).Image)
			if b := img.Bounds(); b.Dx() != tt.wantW || b.Dy() != tt.wantH {
				t.Fatalf("image is %dx%d, want %dx%d", b.Dx(), b.Dy(), tt.wantW, tt.wantH)
			}
		})
	}
}

// TestImageHasText checks that glyphs were drawn: a fair share of pixels
// must be much darker than any background colour.
func TestImageHasText(t *testing.T) {
	sv := New(newFakeKV(), nil)
	img := decodeImage(t, generate(t, sv, Settings{Mode: ModeDigits}).Image)
	b := img.Bounds()
	dark := 0
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			if (r+g+bl)/3 < 0x8000 {
				dark++
			}
		}
	}
	if share := float64(dark) / float64(b.Dx()*b.Dy()); share < 0.05 || share > 0.5 {
		t.Errorf("%.0f%% of pixels are dark, want text to cover 5–50%%", share*100)
	}
}

func TestFontCoversDrawable(t *testing.T) {
	for _, px := range []int{6, 20, 45, 300} {
		gs, err := rasterise(px)
		if err != nil {
			t.Fatalf("rasterise(%d): %v", px, err)
		}
		if len(gs) != len([]rune(drawable)) {
			t.Errorf("rasterise(%d) has %d glyphs, want %d", px, len(gs), len([]rune(drawable)))
		}
	}
}

// TestPNGRoundTrip checks the hand-rolled encoder against image/png's
// decoder, reusing one writer across sizes as concurrent renders do.
func TestPNGRoundTrip(t *testing.T) {
	var pw pngWriter
	for _, size := range []image.Point{{1, 1}, {300, 7}, {17, 5}, {240, 60}} {
		img := image.NewRGBA(image.Rectangle{Max: size})
		for i := range img.Pix {
			img.Pix[i] = byte(rand.IntN(256))
			if i%4 == 3 {
				img.Pix[i] = 0xff
			}
		}
		var buf bytes.Buffer
		if err := pw.encode(&buf, img); err != nil {
			t.Fatal(err)
		}
		got, err := png.Decode(&buf)
		if err != nil {
			t.Fatalf("%v: decode: %v", size, err)
		}
		if got.Bounds() != img.Bounds() {
			t.Fatalf("%v: decoded bounds %v", size, got.Bounds())
		}
		for y := range size.Y {
			for x := range size.X {
				if g, w := color.RGBAModel.Convert(got.At(x, y)), img.At(x, y); g != w {
					t.Fatalf("%v: pixel (%d,%d) = %v, want %v", size, x, y, g, w)
				}
			}
		}
	}
}

func BenchmarkGenerate(b *testing.B) {
	for _, bc := range []struct {
		name string
		s    Settings
	}{
		{"defaults", defaultSettings},
		{"all-noise", allNoise},
		{"arithmetic", Settings{Mode: ModeArithmetic, ShowNoiseDot: true, ShowSlimeLine: true}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			sv := New(newFakeKV(), nil)
			ctx := context.Background()
			b.ReportAllocs()
			for b.Loop() {
				if _, err := sv.Generate(ctx, bc.s); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
