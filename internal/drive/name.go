package drive

import (
	"regexp"
	"strings"
)

// maxNameBytes is the longest name, in bytes as files 30 §2.2 counts it.
// 255 UTF-8 bytes are never more than 255 UTF-16 units, so such a name also
// fits Windows, macOS and Linux.
const maxNameBytes = 255

// NameError reports why a file or folder name is refused. Reason is safe to
// show to clients. The files service maps it to its illegal-name sentinel.
type NameError struct {
	Reason string
}

// Error implements error.
func (e *NameError) Error() string { return "invalid name: " + e.Reason }

// SafeDetail implements errs.SafeDetailer: the reason names the rule broken.
func (e *NameError) SafeDetail() string { return e.Error() }

// ValidateName checks a file or folder name (files 30 §2.2): 1–255 bytes of
// valid UTF-8, none of \ / : * ? " < > |, no control characters, and not
// "." or "..". Beyond the reference, no invisible or bidi control
// characters either (HiddenRune): "invoice\u202Efdp.exe" shows as
// "invoiceexe.pdf".
//
// Beyond the reference, and deliberately, it also refuses what Windows
// cannot store, so that every file can be synced to a Windows client: a
// trailing space or dot (Windows silently drops them, so "a." and "a" would
// collide there), and the device names CON, PRN, AUX, NUL, CONIN$, CONOUT$,
// COM1–COM9, LPT1–LPT9 (also with the superscript digits ¹ ² ³), in any
// case, alone or before an extension ("nul.txt", "Com1.tar.gz"). Leading
// spaces are legal everywhere and stay allowed.
func ValidateName(name string) error {
	switch {
	case name == "":
		return &NameError{Reason: "empty"}
	case len(name) > maxNameBytes:
		return &NameError{Reason: "longer than 255 bytes"}
	case name == "." || name == "..":
		return &NameError{Reason: `"." and ".." are reserved`}
	case strings.ContainsAny(name, `\/:*?"<>|`):
		return &NameError{Reason: `contains one of \ / : * ? " < > |`}
	case !isCleanText(name):
		return &NameError{Reason: "invalid UTF-8 or control character"}
	case hasHidden(name):
		return &NameError{Reason: "contains an invisible or bidirectional control character"}
	case strings.HasSuffix(name, " ") || strings.HasSuffix(name, "."):
		return &NameError{Reason: "ends with a space or dot"}
	case isWindowsDevice(name):
		return &NameError{Reason: "reserved device name on Windows"}
	}
	return nil
}

func hasHidden(s string) bool { _, found := HiddenRune(s); return found }

// isWindowsDevice reports whether Windows would open a device for name. It
// looks at the part before the first dot, without trailing spaces, because
// that is what Windows matches.
func isWindowsDevice(name string) bool {
	base, _, _ := strings.Cut(name, ".")
	base = strings.TrimRight(base, " ")
	if len(base) < 3 || len(base) > 7 {
		return false
	}
	up := asciiUpper(base)
	switch up {
	case "CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$":
		return true
	}
	if !strings.HasPrefix(up, "COM") && !strings.HasPrefix(up, "LPT") {
		return false
	}
	switch up[3:] {
	case "1", "2", "3", "4", "5", "6", "7", "8", "9", "¹", "²", "³":
		return true
	}
	return false
}

// asciiUpper upper-cases ASCII letters only: Unicode case mapping would
// turn look-alikes such as the Kelvin sign into device names Windows never
// reserved.
func asciiUpper(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'a' <= c && c <= 'z' {
			b[i] = c - 'a' + 'A'
		}
	}
	return string(b)
}

// NameRules are a storage policy's name rules for files (newer versions
// §12.4). The zero value allows every name.
type NameRules struct {
	// AllowedExt, when it has any non-empty entry, is the list of allowed
	// extensions; a name without one of them, or without any extension, is
	// refused. DeniedExt lists refused extensions. Entries are compared
	// case-insensitively, with or without a leading dot, and may span dots
	// ("tar.gz").
	AllowedExt, DeniedExt []string
	// AllowedRegexp, if set, must match the name; DeniedRegexp, if set,
	// must not. Case sensitivity is the pattern's own ((?i)).
	AllowedRegexp, DeniedRegexp *regexp.Regexp
}

// Check applies the rules to a file name. It does not repeat ValidateName;
// callers run both, and only Check for files, since policies do not apply to
// folders.
func (r NameRules) Check(name string) error {
	lower := strings.ToLower(name)
	if allowed, listed := hasExt(lower, r.AllowedExt); listed && !allowed {
		return &NameError{Reason: "file extension not allowed"}
	}
	if denied, _ := hasExt(lower, r.DeniedExt); denied {
		return &NameError{Reason: "file extension not allowed"}
	}
	if r.AllowedRegexp != nil && !r.AllowedRegexp.MatchString(name) {
		return &NameError{Reason: "name not allowed by the storage policy"}
	}
	if r.DeniedRegexp != nil && r.DeniedRegexp.MatchString(name) {
		return &NameError{Reason: "name not allowed by the storage policy"}
	}
	return nil
}

// hasExt reports whether the lower-cased name ends in one of exts, and
// whether exts has any usable entry at all. Empty entries come from
// splitting an empty setting and are not an extension.
func hasExt(lower string, exts []string) (found, listed bool) {
	for _, e := range exts {
		e = strings.TrimPrefix(strings.ToLower(strings.TrimSpace(e)), ".")
		if e == "" {
			continue
		}
		listed = true
		if strings.HasSuffix(lower, "."+e) {
			return true, true
		}
	}
	return false, listed
}
