package account

import (
	"regexp"
	"testing"
)

func TestDavPassword(t *testing.T) {
	valid := regexp.MustCompile(`^[0-9a-z]{32}$`)
	seen := map[string]bool{}
	counts := map[rune]int{}
	for range 1000 {
		p := davPassword()
		if !valid.MatchString(p) {
			t.Fatalf("password %q", p)
		}
		if seen[p] {
			t.Fatalf("password %q twice", p)
		}
		seen[p] = true
		for _, c := range p {
			counts[c]++
		}
	}
	// 32,000 characters over 36 symbols: every symbol shows up.
	if len(counts) != 36 {
		t.Fatalf("%d distinct characters", len(counts))
	}
}
