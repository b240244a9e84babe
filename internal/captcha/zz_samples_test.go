package captcha

import (
	"context"
	"encoding/base64"
	"fmt"
	"os"
	"strings"
	"testing"
)

func TestZZSamples(t *testing.T) {
	sv := New(newFakeKV(), nil)
	for i, s := range []Settings{defaultSettings, defaultSettings, allNoise, {Mode: ModeArithmetic, ShowNoiseDot: true, ShowSlimeLine: true}, {Mode: ModeDigits, Width: 120, Height: 40, ShowSineLine: true, ShowHollowLine: true}, {Mode: ModeLetters, ShowNoiseText: true}, {Length: 16, ShowNoiseDot: true}} {
		ch, _ := sv.Generate(context.Background(), s)
		raw, _ := base64.StdEncoding.DecodeString(strings.TrimPrefix(ch.Image, "data:image/png;base64,"))
		os.WriteFile(fmt.Sprintf("/tmp/capsamples/%d.png", i), raw, 0o644)
		t.Logf("%d %d bytes", i, len(raw))
	}
}
