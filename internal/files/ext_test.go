package files

import "testing"

func TestEqualFoldASCII(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want bool
	}{
		{"jpg", "JPG", true}, {"Mp4", "mP4", true}, {"", "", true}, {"tar.gz", "TAR.GZ", true},
		{"jpg", "jpeg", false}, {"jpg", "jpx", false},
		// Bytes that differ only in bit 5 but are not letters.
		{"@", "`", false}, {"[", "{", false}, {"]", "}", false}, {"\\", "|", false}, {"^", "~", false},
		{"_", "\x7f", false}, {"1", "\x11", false}, {".", "\x0e", false},
		// ASCII only: no Unicode folding.
		{"é", "É", false}, {"k", "\u212a", false},
	} {
		if got := equalFoldASCII(c.a, c.b); got != c.want {
			t.Errorf("equalFoldASCII(%q, %q) = %v, want %v", c.a, c.b, got, c.want)
		}
	}
}

func TestExtMatches(t *testing.T) {
	for _, c := range []struct {
		name string
		exts []string
		want bool
	}{
		{"a.JPG", []string{"jpg"}, true}, {"a.jpg", nil, true}, {"a", []string{"jpg"}, false},
		{"a.tar.gz", []string{"gz"}, true}, {"a.@", []string{"`"}, false}, {"a.[x", []string{"{x"}, false},
	} {
		if got := extMatches(c.name, c.exts); got != c.want {
			t.Errorf("extMatches(%q, %q) = %v, want %v", c.name, c.exts, got, c.want)
		}
	}
}
