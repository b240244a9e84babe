package drive

import (
	"net/mail"
	"strings"
	"unicode"
	"unicode/utf8"
)

// IsEmail reports whether s is a bare e-mail address without display name,
// control, format (zero-width, bidi) or space characters.
func IsEmail(s string) bool {
	if len(s) > 254 || strings.ContainsAny(s, " \t\r\n<>\"") || !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if r < 0x20 || r == 0x7f || unicode.Is(unicode.Cf, r) || unicode.IsSpace(r) || isHidden(r) {
			return false
		}
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" {
		return false
	}
	at := strings.LastIndexByte(s, '@')
	return at > 0 && at < len(s)-1
}
