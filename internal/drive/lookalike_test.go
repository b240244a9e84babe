package drive

import "testing"

func TestNormalizeEmail(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"alice@example.com", "alice@example.com", true},
		{"  Alice@Example.COM ", "alice@example.com", true},
		{"ａｌｉｃｅ@ｅｘａｍｐｌｅ.com", "alice@example.com", true}, // full-width folds to ASCII
		{"alice@EXAMPLE.com", "alice@example.com", true},
		{"bob@bücher.example", "bob@xn--bcher-kva.example", true}, // IDNA ASCII form
		{"bob@пример.рф", "bob@xn--e1afmkfd.xn--p1ai", true},      // one script: stored as what it is
		{"bob@аррle.com", "", false},                              // Cyrillic арр, Latin le
		{"alice@exаmple.com", "", false},                          // Cyrillic а among Latin letters
		{"аlice@example.com", "", false},                          // same in the local part
		{"al\u200bice@example.com", "", false},                    // zero-width space
		{"al\u200dice@example.com", "", false},                    // zero-width joiner
		{"alice\u202e@example.com", "", false},                    // bidi override
		{"alice@exa\u00admple.com", "", false},                    // soft hyphen
		{"alice@", "", false},
		{"@example.com", "", false},
		{"not an email", "", false},
		{"üñí.çødé@例え.jp", "üñí.çødé@xn--r8jz45g.jp", true},
	}
	for _, tc := range tests {
		got, ok := NormalizeEmail(tc.in)
		if ok != tc.ok || (tc.ok && got != tc.want) {
			t.Errorf("NormalizeEmail(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestHiddenRune(t *testing.T) {
	for in, want := range map[string]rune{
		"plain": 0, "emoji 👨\u200d👩": 0, "a\u202eb": 0x202e, "x\u2060y": 0x2060, "\u3164": 0x3164,
	} {
		r, found := HiddenRune(in)
		if found != (want != 0) || r != want {
			t.Errorf("HiddenRune(%q) = %U, %v; want %U", in, r, found, want)
		}
	}
}

func FuzzNormalizeEmail(f *testing.F) {
	for _, s := range []string{"a@example.com", "ａ@ｂ.c", "a@xn--", "a@\u202e.com"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, ok := NormalizeEmail(s)
		if !ok {
			return
		}
		// The stored form is a fixed point: normalising it again changes nothing.
		if again, ok2 := NormalizeEmail(n); !ok2 || again != n {
			t.Errorf("NormalizeEmail(%q) = %q, then %q, %v", s, n, again, ok2)
		}
	})
}
