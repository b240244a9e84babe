package files

import (
	"encoding/base64"
	"testing"

	"github.com/stratus-drive/stratus/internal/drive"
)

// TestCapabilities pins the per-filesystem capability sets to the values
// Cloudreve clients expect (conventions §8.2).
func TestCapabilities(t *testing.T) {
	want := map[drive.FS]string{
		drive.FSMy:           "w8edAQ==",
		drive.FSShare:        "gIaYAQ==",
		drive.FSTrash:        "AMIK",
		drive.FSSharedWithMe: "gAKA",
	}
	for fs, w := range want {
		if got := base64.StdEncoding.EncodeToString(Capabilities(fs)); got != w {
			t.Errorf("%s: %s, want %s", fs, got, w)
		}
	}
}
