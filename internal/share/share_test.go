package share

import (
	"strings"
	"testing"

	"github.com/stratus-drive/stratus/internal/errs"
)

func TestPassword(t *testing.T) {
	for range 100 {
		p, err := password("", 6)
		if err != nil || len(p) != 8 || strings.Trim(p, passwordAlphabet) != "" {
			t.Fatalf("generated %q, %v", p, err)
		}
	}
	for chosen, ok := range map[string]bool{
		"abc123":                true,
		"ABCxyz09":              true,
		"abc12":                 false, // below the minimum of 6
		"1":                     false,
		strings.Repeat("a", 32): true,
		strings.Repeat("a", 33): false,
		"with space":            false,
		"ümlaut":                false,
		"semi;colon":            false,
	} {
		p, err := password(chosen, 6)
		if ok != (err == nil) || (ok && p != chosen) {
			t.Errorf("password(%q) = %q, %v", chosen, p, err)
		}
		if err != nil && !errs.Is(errs.Invalid, err) {
			t.Errorf("password(%q) error kind: %v", chosen, err)
		}
	}
}
