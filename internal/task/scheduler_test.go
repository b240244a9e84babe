package task

import (
	"testing"
	"time"
)

func TestParseSchedule(t *testing.T) {
	for spec, want := range map[string]time.Duration{
		"@every 15m": 15 * time.Minute, "@every 33m": 33 * time.Minute, " @every 1h30m ": 90 * time.Minute,
		"@hourly": time.Hour, "": time.Hour, "@daily": 24 * time.Hour, "@every 1ms": time.Second,
	} {
		if got, ok := ParseSchedule(spec); !ok || got != want {
			t.Errorf("ParseSchedule(%q) = %v, %v; want %v", spec, got, ok, want)
		}
	}
	for _, bad := range []string{"*/5 * * * *", "@every", "@every -1m", "@every soon", "@yearly"} {
		if got, ok := ParseSchedule(bad); ok || got != time.Hour {
			t.Errorf("ParseSchedule(%q) = %v, %v; want an hour, false", bad, got, ok)
		}
	}
}
