package media

import (
	"image"
	"image/color"
	"testing"
)

func TestFitWithin(t *testing.T) {
	for _, c := range []struct{ w, h, mw, mh, ww, wh int }{
		{200, 100, 40, 30, 40, 20},
		{30, 90, 40, 30, 10, 30},
		{20, 10, 40, 30, 20, 10}, // never enlarged
		{10000, 1, 400, 300, 400, 1},
		{1, 10000, 400, 300, 1, 300},
		{800, 600, 400, 300, 400, 300},
	} {
		if w, h := fitWithin(c.w, c.h, c.mw, c.mh); w != c.ww || h != c.wh {
			t.Errorf("fitWithin(%d, %d, %d, %d) = %d×%d, want %d×%d", c.w, c.h, c.mw, c.mh, w, h, c.ww, c.wh)
		}
	}
}

func TestDecodedBytes(t *testing.T) {
	for _, c := range []struct {
		model color.Model
		want  int64
	}{
		{color.NRGBA64Model, 8 * 100}, {color.RGBA64Model, 8 * 100}, {color.Gray16Model, 2 * 100},
		{color.NRGBAModel, 4 * 100}, {color.RGBAModel, 4 * 100}, {color.GrayModel, 100},
		{color.YCbCrModel, 3 * 100}, {color.CMYKModel, 4 * 100}, {color.Palette{color.Black}, 100},
	} {
		if got := decodedBytes(image.Config{ColorModel: c.model, Width: 10, Height: 10}); got != c.want {
			t.Errorf("%T: %d bytes; want %d", c.model, got, c.want)
		}
	}
	// The bomb: 64 M pixels, within the pixel cap, 512 MB decoded.
	if got := decodedBytes(image.Config{ColorModel: color.NRGBA64Model, Width: 8000, Height: 8000}); got <= decodeBudgetBytes {
		t.Errorf("16-bit 8000×8000 = %d bytes fits the budget", got)
	}
}
