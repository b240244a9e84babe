package drive

import (
	"testing"
	"time"
)

func TestShareUsable(t *testing.T) {
	now := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		share  Share
		usable bool
	}{
		{"no limits", Share{RemainDownloads: UnlimitedDownloads}, true},
		{"budget left", Share{RemainDownloads: 1}, true},
		{"budget spent", Share{RemainDownloads: 0}, false},
		{"expires later", Share{RemainDownloads: UnlimitedDownloads, Expires: now.Add(time.Second)}, true},
		{"expires now", Share{RemainDownloads: UnlimitedDownloads, Expires: now}, false},
		{"expired", Share{RemainDownloads: 3, Expires: now.Add(-time.Hour)}, false},
	}
	for _, tt := range tests {
		if got := tt.share.Usable(now); got != tt.usable {
			t.Errorf("%s: Usable = %v, want %v", tt.name, got, tt.usable)
		}
	}
}
