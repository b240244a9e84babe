package drive

import (
	"strings"
	"unicode"

	"golang.org/x/net/idna"
	"golang.org/x/text/unicode/norm"
)

// HiddenRune finds the first character that changes how text looks without
// being seen itself: bidirectional controls (a right-to-left override turns
// "evil\u202Egpj.exe" into "evilexe.jpg" on screen) and invisible characters
// (zero-width space, word joiner, BOM, soft hyphen, invisible operators,
// Hangul fillers, tags). It is the one rule for e-mails, nicknames and file
// names. The zero-width joiner and non-joiner stay allowed: emoji sequences
// and several scripts (Persian, the Indic ones) need them.
func HiddenRune(s string) (rune, bool) {
	for _, r := range s {
		if isHidden(r) {
			return r, true
		}
	}
	return 0, false
}

func isHidden(r rune) bool {
	switch {
	case r == 0x061C, r == 0x200E, r == 0x200F, // bidi marks
		0x202A <= r && r <= 0x202E, // bidi embeddings and overrides
		0x2066 <= r && r <= 0x2069: // bidi isolates
		return true
	case r == 0x00AD, r == 0x034F, r == 0x115F, r == 0x1160, r == 0x17B4, r == 0x17B5,
		r == 0x180E, r == 0x200B, r == 0x3164, r == 0xFEFF, r == 0xFFA0,
		0x2060 <= r && r <= 0x2064,   // word joiner, invisible operators
		0x206A <= r && r <= 0x206F,   // deprecated format characters
		0xFFF9 <= r && r <= 0xFFFB,   // interlinear annotation
		0xE0000 <= r && r <= 0xE007F: // tags
		return true
	}
	return false
}

// confusableScripts are scripts with letters that look like each other's;
// one word mixing two of them ("exаmple" with a Cyrillic а) is a look-alike.
var confusableScripts = []*unicode.RangeTable{unicode.Latin, unicode.Cyrillic, unicode.Greek,
	unicode.Armenian, unicode.Cherokee, unicode.Coptic}

// mixesScripts reports whether s has letters of two confusable scripts.
func mixesScripts(s string) bool {
	seen := -1
	for _, r := range s {
		if !unicode.IsLetter(r) {
			continue
		}
		for i, t := range confusableScripts {
			if unicode.Is(t, r) {
				if seen >= 0 && seen != i {
					return true
				}
				seen = i
			}
		}
	}
	return false
}

// NormalizeEmail is the one form in which e-mails are stored and looked up:
// trimmed, NFKC (full-width ａｌｉｃｅ is alice), lower-cased, and with the
// domain in its IDNA ASCII form, so that a look-alike Unicode domain is
// stored, and shown, as the xn-- name it really is. ok is false when the
// result is no acceptable address: not an e-mail, a hidden or format
// character, a local part or domain label mixing look-alike scripts, or a
// domain IDNA refuses. Lookups may still use the returned form: nothing
// stored matches it.
func NormalizeEmail(s string) (normalized string, ok bool) {
	_, hidden := HiddenRune(s)
	s = strings.ToLower(norm.NFKC.String(strings.TrimSpace(s)))
	at := strings.LastIndexByte(s, '@')
	if hidden || at <= 0 || at == len(s)-1 {
		return s, false
	}
	local, domain := s[:at], s[at+1:]
	ascii, err := idna.Lookup.ToASCII(domain)
	if err != nil {
		return s, false
	}
	normalized = local + "@" + strings.ToLower(ascii)
	if !IsEmail(normalized) || mixesScripts(local) {
		return normalized, false
	}
	for _, label := range strings.Split(domain, ".") {
		if mixesScripts(label) {
			return normalized, false
		}
	}
	return normalized, true
}
