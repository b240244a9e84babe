package store

import (
	"testing"
	"time"
)

func TestParseStoredTime(t *testing.T) {
	for _, c := range []struct {
		in   string
		want time.Time
		bad  bool
	}{
		{in: "2026-12-06 18:40:25.123456+00:00", want: time.Date(2026, 12, 6, 18, 40, 25, 123456000, time.UTC)},
		{in: "2026-12-06 18:40:25+00:00", want: time.Date(2026, 12, 6, 18, 40, 25, 0, time.UTC)},
		{in: "2026-12-06 18:40:25.1+00:00", want: time.Date(2026, 12, 6, 18, 40, 25, 100000000, time.UTC)},
		{in: "2026-12-06 18:40:25.123456789+00:00", want: time.Date(2026, 12, 6, 18, 40, 25, 123456789, time.UTC)},
		// Other layouts and zones go through the general parser.
		{in: "2026-12-06 20:40:25+02:00", want: time.Date(2026, 12, 6, 18, 40, 25, 0, time.UTC)},
		{in: "2026-12-06T18:40:25Z", want: time.Date(2026, 12, 6, 18, 40, 25, 0, time.UTC)},
		{in: "2026-12-06 18:40:25", want: time.Date(2026, 12, 6, 18, 40, 25, 0, time.UTC)},
		{in: "2026-12-06", want: time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC)},
		{in: "2026-02-31 00:00:00+00:00", bad: true},
		{in: "2026-12-06 18:40:25.+00:00", bad: true},
		{in: "2026-12-06 18:4x:25+00:00", bad: true},
		{in: "yesterday", bad: true},
	} {
		got, err := parseStoredTime(c.in)
		if c.bad {
			if err == nil {
				t.Errorf("%q parsed as %v, want an error", c.in, got)
			}
			continue
		}
		if err != nil || !got.Equal(c.want) {
			t.Errorf("%q = %v, %v; want %v", c.in, got, err, c.want)
		}
	}
}
