package media

import "testing"

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
