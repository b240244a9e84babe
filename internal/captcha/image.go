package captcha

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"image"
	"image/draw"
	"math"
	"math/rand/v2"
	"sync"

	"golang.org/x/image/font/gofont/gomonobold"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

// Size bounds. Settings come from the admin panel; these keep a typo from
// turning every challenge into a multi-megabyte image.
const (
	minSide   = 16
	maxWidth  = 1000
	maxHeight = 400
)

// drawable lists every character an image may show: all answer alphabets,
// arithmetic operators, and the full set used for background noise.
const drawable = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ+-×=?"

// noiseChars are the decoy characters scattered behind the text.
const noiseChars = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"

// render draws text as a PNG data URL, decorated according to s.
// Placement and colours come from math/rand: they hide nothing secret, and
// the answer itself was drawn from crypto/rand.
func (sv *Service) render(s Settings, text string) (string, error) {
	w := min(max(positiveOr(s.Width, DefaultWidth), minSide), maxWidth)
	h := min(max(positiveOr(s.Height, DefaultHeight), minSide), maxHeight)
	runes := []rune(text)

	margin := float64(w) / 20
	slot := (float64(w) - 2*margin) / float64(len(runes))
	// Go Mono Bold advances 0.6 em; 0.7 leaves a little air for rotation. The
	// height bound keeps ascenders and descenders inside the image.
	px := max(int(min(0.75*float64(h), slot/0.7)), 6)
	gs, err := sv.glyphs.get(px)
	if err != nil {
		return "", err
	}

	c := newCanvas(w, h)
	complexText := min(max(s.ComplexNoiseText, 0), 2)
	complexDot := min(max(s.ComplexNoiseDot, 0), 2)

	if s.ShowNoiseText {
		// Decoys go underneath and in lighter colours, so they get in the way
		// of a segmenter more than of a reader.
		noise := []rune(noiseChars)
		n := (w * h / 1500) * (1 + complexText)
		for range n {
			g := gs[noise[rand.IntN(len(noise))]]
			c.drawGlyph(g, rand.Float64()*float64(w), rand.Float64()*float64(h),
				0.3+0.05*float64(complexText)+0.15*rand.Float64(), jitter(math.Pi), 0, randColor(150, 220))
		}
	}

	for i, r := range runes {
		g := gs[r]
		cx := margin + slot*(float64(i)+0.5) + jitter(slot*0.12)
		cy := float64(h)/2 + jitter(float64(h)*0.08)
		c.drawGlyph(g, cx, cy, 0.9+0.2*rand.Float64(), jitter(0.35), jitter(0.2), randColor(0, 120))
	}

	if s.ShowNoiseDot {
		n := (w * h / 200) * (1 + complexDot)
		for range n {
			c.disc(rand.Float64()*float64(w), rand.Float64()*float64(h),
				0.6+0.3*float64(complexDot)+rand.Float64(), randColor(40, 200))
		}
	}
	if s.ShowSlimeLine {
		for range 2 + rand.IntN(2) {
			c.stroke(randomCurve(w, h), 0.5+0.4*rand.Float64(), randColor(20, 140))
		}
	}
	if s.ShowSineLine {
		c.stroke(sineWave(w, h), 0.6+float64(h)/60, randColor(0, 120))
	}
	if s.ShowHollowLine {
		// About a third of Go Mono Bold's stroke width, so glyphs are cut
		// but not erased.
		c.stroke(sineWave(w, h), float64(px)/40, c.bg)
	}
	return sv.encode(c.img)
}

// jitter returns a uniform value in [-d, d).
func jitter(d float64) float64 { return (2*rand.Float64() - 1) * d }

// randColor returns an opaque colour with every channel in [lo, hi).
func randColor(lo, hi int) rgb {
	ch := func() uint8 { return uint8(lo + rand.IntN(hi-lo)) }
	return rgb{ch(), ch(), ch()}
}

// randomCurve is a cubic Bézier across most of the image.
func randomCurve(w, h int) []point {
	fw, fh := float64(w), float64(h)
	p0 := point{rand.Float64() * fw / 4, rand.Float64() * fh}
	p1 := point{rand.Float64() * fw, rand.Float64() * fh}
	p2 := point{rand.Float64() * fw, rand.Float64() * fh}
	p3 := point{fw * (0.75 + rand.Float64()/4), rand.Float64() * fh}
	const steps = 32
	pts := make([]point, steps+1)
	for i := range pts {
		t := float64(i) / steps
		u := 1 - t
		a, b, cc, d := u*u*u, 3*u*u*t, 3*u*t*t, t*t*t
		pts[i] = point{a*p0.x + b*p1.x + cc*p2.x + d*p3.x, a*p0.y + b*p1.y + cc*p2.y + d*p3.y}
	}
	return pts
}

// sineWave crosses the whole width through the text band.
func sineWave(w, h int) []point {
	fw, fh := float64(w), float64(h)
	amp := fh * (0.12 + 0.12*rand.Float64())
	period := fw * (0.4 + 0.6*rand.Float64())
	phase := rand.Float64() * 2 * math.Pi
	mid := fh/2 + jitter(fh/8)
	var pts []point
	for x := -4.0; x <= fw+4; x += 3 {
		pts = append(pts, point{x, mid + amp*math.Sin(2*math.Pi*x/period+phase)})
	}
	return pts
}

type point struct{ x, y float64 }

type rgb struct{ r, g, b uint8 }

// canvas is an opaque RGBA image with the few drawing operations a
// challenge needs. It works on the pixel slice directly: glyphs are rotated
// per pixel anyway, so image/draw would only add an interface call per pixel.
type canvas struct {
	img  *image.RGBA
	w, h int
	bg   rgb
	cov  []uint8 // stroke coverage scratch, w*h, kept all zero between strokes
}

func newCanvas(w, h int) *canvas {
	c := &canvas{img: image.NewRGBA(image.Rect(0, 0, w, h)), w: w, h: h, cov: make([]uint8, w*h)}
	c.bg = randColor(225, 256)
	p := c.img.Pix
	for i := 0; i < len(p); i += 4 {
		p[i], p[i+1], p[i+2], p[i+3] = c.bg.r, c.bg.g, c.bg.b, 0xff
	}
	return c
}

// blend paints col with coverage a (0–255) over pixel i.
func (c *canvas) blend(i int, col rgb, a uint32) {
	p := c.img.Pix[4*i : 4*i+3 : 4*i+3]
	na := 255 - a
	p[0] = uint8((uint32(p[0])*na + uint32(col.r)*a + 127) / 255)
	p[1] = uint8((uint32(p[1])*na + uint32(col.g)*a + 127) / 255)
	p[2] = uint8((uint32(p[2])*na + uint32(col.b)*a + 127) / 255)
}

// drawGlyph paints g centred at (cx, cy), sheared, scaled and rotated by
// angle radians. Each destination pixel is mapped back into the glyph's
// mask and sampled bilinearly, which keeps edges smooth at any angle.
func (c *canvas) drawGlyph(g *glyph, cx, cy, scale, angle, shear float64, col rgb) {
	sin, cos := math.Sincos(angle)
	rad := scale*math.Hypot(float64(g.w), float64(g.h))/2*(1+math.Abs(shear)) + 1
	x0, x1 := max(0, int(cx-rad)), min(c.w, int(cx+rad)+1)
	y0, y1 := max(0, int(cy-rad)), min(c.h, int(cy+rad)+1)
	inv := 1 / scale
	hw, hh := float64(g.w)/2-0.5, float64(g.h)/2-0.5
	// Rotation back to glyph space, per unit step in x.
	drx, dry := cos*inv, -sin*inv
	for y := y0; y < y1; y++ {
		dx := float64(x0) + 0.5 - cx
		dy := float64(y) + 0.5 - cy
		rx := (cos*dx + sin*dy) * inv
		ry := (-sin*dx + cos*dy) * inv
		row := y * c.w
		for x := x0; x < x1; x++ {
			if a := g.sample(rx-shear*ry+hw, ry+hh); a != 0 {
				c.blend(row+x, col, a)
			}
			rx += drx
			ry += dry
		}
	}
}

// disc paints an anti-aliased filled circle.
func (c *canvas) disc(cx, cy, r float64, col rgb) {
	x0, x1 := max(0, int(cx-r-1)), min(c.w, int(cx+r)+2)
	y0, y1 := max(0, int(cy-r-1)), min(c.h, int(cy+r)+2)
	for y := y0; y < y1; y++ {
		for x := x0; x < x1; x++ {
			dx, dy := float64(x)+0.5-cx, float64(y)+0.5-cy
			d := math.Sqrt(dx*dx + dy*dy)
			if a := coverage(r, d); a != 0 {
				c.blend(y*c.w+x, col, a)
			}
		}
	}
}

// stroke paints the polyline pts with half-width r. Coverage is collected
// first (the maximum over segments) and painted once, so joints where
// segments overlap are not darker than the rest of the line.
func (c *canvas) stroke(pts []point, r float64, col rgb) {
	bx0, by0, bx1, by1 := c.w, c.h, 0, 0
	for i := 1; i < len(pts); i++ {
		a, b := pts[i-1], pts[i]
		x0, x1 := max(0, int(min(a.x, b.x)-r-1)), min(c.w, int(max(a.x, b.x)+r)+2)
		y0, y1 := max(0, int(min(a.y, b.y)-r-1)), min(c.h, int(max(a.y, b.y)+r)+2)
		if x0 >= x1 || y0 >= y1 {
			continue
		}
		bx0, by0, bx1, by1 = min(bx0, x0), min(by0, y0), max(bx1, x1), max(by1, y1)
		for y := y0; y < y1; y++ {
			for x := x0; x < x1; x++ {
				d := segmentDistance(point{float64(x) + 0.5, float64(y) + 0.5}, a, b)
				if v := uint8(coverage(r, d)); v > c.cov[y*c.w+x] {
					c.cov[y*c.w+x] = v
				}
			}
		}
	}
	for y := by0; y < by1; y++ {
		for x := bx0; x < bx1; x++ {
			i := y*c.w + x
			if a := c.cov[i]; a != 0 {
				c.blend(i, col, uint32(a))
				c.cov[i] = 0
			}
		}
	}
}

// coverage approximates how much of a pixel whose centre lies d from a
// shape's spine is inside a shape of half-width r, as 0–255.
func coverage(r, d float64) uint32 {
	f := r + 0.5 - d
	switch {
	case f <= 0:
		return 0
	case f >= 1:
		return 255
	}
	return uint32(f * 255)
}

func segmentDistance(p, a, b point) float64 {
	vx, vy := b.x-a.x, b.y-a.y
	wx, wy := p.x-a.x, p.y-a.y
	t := 0.0
	if l := vx*vx + vy*vy; l > 0 {
		t = min(max((wx*vx+wy*vy)/l, 0), 1)
	}
	dx, dy := wx-t*vx, wy-t*vy
	return math.Sqrt(dx*dx + dy*dy)
}

// encode returns img as a PNG data URL.
func (sv *Service) encode(img *image.RGBA) (string, error) {
	var buf bytes.Buffer
	buf.Grow(len(img.Pix) / 3) // about what the images compress to
	if err := sv.png.encode(&buf, img); err != nil {
		return "", err
	}
	const prefix = "data:image/png;base64,"
	out := make([]byte, len(prefix)+base64.StdEncoding.EncodedLen(buf.Len()))
	copy(out, prefix)
	base64.StdEncoding.Encode(out[len(prefix):], buf.Bytes())
	return string(out), nil
}

// glyph is one character's anti-aliased coverage mask, cropped to its ink.
type glyph struct {
	w, h int
	a    []uint8 // w*h, row-major
}

// sample returns the mask's coverage at (u, v) in pixel-centre coordinates,
// interpolated bilinearly, with zero outside the mask.
func (g *glyph) sample(u, v float64) uint32 {
	if u <= -1 || v <= -1 || u >= float64(g.w) || v >= float64(g.h) {
		return 0
	}
	fu, fv := math.Floor(u), math.Floor(v)
	x, y := int(fu), int(fv)
	tx, ty := u-fu, v-fv
	top := (1-tx)*g.at(x, y) + tx*g.at(x+1, y)
	bot := (1-tx)*g.at(x, y+1) + tx*g.at(x+1, y+1)
	return uint32((1-ty)*top + ty*bot)
}

func (g *glyph) at(x, y int) float64 {
	if x < 0 || y < 0 || x >= g.w || y >= g.h {
		return 0
	}
	return float64(g.a[y*g.w+x])
}

// glyphSet holds every drawable character at one pixel size. It is not
// changed after it is built, so renders share it without locking.
type glyphSet map[rune]*glyph

// glyphCache keeps rasterised glyph sets by pixel size. Rasterising with
// opentype costs far more than drawing a challenge, and the size only
// changes when an admin edits the settings.
type glyphCache struct {
	mu   sync.Mutex
	sets map[int]glyphSet
}

// maxGlyphSets bounds the cache; sizes beyond it are from settings that
// have since changed, so dropping everything is fine.
const maxGlyphSets = 8

func (gc *glyphCache) get(px int) (glyphSet, error) {
	gc.mu.Lock()
	defer gc.mu.Unlock()
	if gs, ok := gc.sets[px]; ok {
		return gs, nil
	}
	gs, err := rasterise(px)
	if err != nil {
		return nil, err
	}
	if len(gc.sets) >= maxGlyphSets || gc.sets == nil {
		gc.sets = make(map[int]glyphSet)
	}
	gc.sets[px] = gs
	return gs, nil
}

// monoBold is the challenge font: monospaced so every glyph fits the same
// slot, bold so strokes survive the noise.
var monoBold = sync.OnceValues(func() (*opentype.Font, error) { return opentype.Parse(gomonobold.TTF) })

func rasterise(px int) (glyphSet, error) {
	f, err := monoBold()
	if err != nil {
		return nil, err
	}
	face, err := opentype.NewFace(f, &opentype.FaceOptions{Size: float64(px), DPI: 72})
	if err != nil {
		return nil, err
	}
	defer face.Close()
	gs := make(glyphSet)
	for _, r := range drawable {
		dr, mask, mp, _, ok := face.Glyph(fixed.Point26_6{}, r)
		if !ok || dr.Empty() {
			return nil, fmt.Errorf("font has no glyph for %q", r)
		}
		// Copy: the face reuses its mask buffer on the next call.
		a := image.NewAlpha(image.Rect(0, 0, dr.Dx(), dr.Dy()))
		draw.Draw(a, a.Bounds(), mask, mp, draw.Src)
		gs[r] = &glyph{w: dr.Dx(), h: dr.Dy(), a: a.Pix}
	}
	return gs, nil
}
