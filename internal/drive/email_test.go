package drive

import "testing"

func TestIsEmail(t *testing.T) {
	tests := map[string]bool{
		"a@example.com":           true,
		"o'brien--@example.com":   true,
		"üñí.çødé@例え.jp":          true,
		"a+tag@sub.example.co.uk": true,
		"":                        false,
		"a@":                      false,
		"@example.com":            false,
		"not an email":            false,
		"Bob <bob@example.com>":   false,
		"a\x00b@example.com":      false,
		"a@b@c":                   false,
		"\"quoted\"@example.com":  false,
		"a@example.com\n":         false,
	}
	for in, want := range tests {
		if got := IsEmail(in); got != want {
			t.Errorf("IsEmail(%q) = %v, want %v", in, got, want)
		}
	}
}

func FuzzIsEmail(f *testing.F) {
	for _, s := range []string{"a@example.com", "Bob <b@c.d>", "\xff@x.y", "a@@b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { _ = IsEmail(s) })
}
