package files

import (
	"testing"
	"time"
)

func TestCollectDue(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	for value, want := range map[string]bool{
		"1699999999": true, "1700000000": false, "1700000001": false, " 1699999999 ": true,
		"": true, "soon": true, "1.5e9": true, "-1": true,
	} {
		if got := collectDue(value, now); got != want {
			t.Errorf("collectDue(%q) = %v, want %v", value, got, want)
		}
	}
}
