package storage

import (
	"strings"
	"unicode/utf8"

	"github.com/stratus-drive/stratus/internal/errs"
)

// Key length limits. MaxKeyLen is S3's; MaxSegmentLen is the usual file-name
// limit (NAME_MAX) of local file systems.
const (
	MaxKeyLen     = 1024
	MaxSegmentLen = 255
)

// ReservedPrefix starts the names drivers use for their own bookkeeping
// (temporary files, pending uploads). No key segment may start with it, in any
// letter case, so bookkeeping can never collide with an object.
const ReservedPrefix = ".stratus"

// CheckKey reports whether key is a valid storage key, returning nil or an
// errs.Invalid error. Every driver accepts exactly these keys:
//
//   - 1 to MaxKeyLen bytes of valid UTF-8 (which excludes overlong and
//     surrogate encodings), with no control characters (U+0000–U+001F, U+007F);
//   - segments separated by "/", none empty (no leading, trailing or doubled
//     "/"), none "." or "..", none longer than MaxSegmentLen bytes;
//   - no backslash at all: it is a separator on Windows, and refusing it
//     keeps keys meaning the same on every system;
//   - no segment that Windows treats as a device (CON, PRN, AUX, NUL,
//     COM0–COM9, LPT0–LPT9, CONIN$, CONOUT$, also with an extension or
//     trailing spaces, in any case);
//   - no segment starting with ReservedPrefix.
//
// Keys are case-sensitive and compared byte for byte (no Unicode
// normalisation). KeyTemplate only produces valid keys.
func CheckKey(key string) error {
	if reason := keyProblem(key); reason != "" {
		return errs.E("storage.CheckKey", errs.Invalid, "invalid storage key: "+reason)
	}
	return nil
}

func keyProblem(key string) string {
	switch {
	case key == "":
		return "empty"
	case len(key) > MaxKeyLen:
		return "too long"
	case !utf8.ValidString(key):
		return "not UTF-8"
	}
	for i := 0; i < len(key); i++ {
		if c := key[i]; c < 0x20 || c == 0x7f {
			return "control character"
		} else if c == '\\' {
			return "backslash"
		}
	}
	for seg := range strings.SplitSeq(key, "/") {
		if reason := segmentProblem(seg); reason != "" {
			return reason
		}
	}
	return ""
}

func segmentProblem(seg string) string {
	switch {
	case seg == "":
		return "empty segment"
	case seg == "." || seg == "..":
		return "dot segment"
	case len(seg) > MaxSegmentLen:
		return "segment too long"
	case isReserved(seg):
		return "reserved name"
	case isDeviceName(seg):
		return "device name"
	}
	return ""
}

func isReserved(seg string) bool {
	return len(seg) >= len(ReservedPrefix) && strings.EqualFold(seg[:len(ReservedPrefix)], ReservedPrefix)
}

// isDeviceName reports whether Windows would open a device for seg: the part
// before the first dot, without trailing spaces, is a reserved device name.
func isDeviceName(seg string) bool {
	base, _, _ := strings.Cut(seg, ".")
	base = strings.TrimRight(base, " ")
	if len(base) < 3 {
		return false
	}
	head, tail := base[:3], base[3:]
	switch {
	case strings.EqualFold(head, "CON"):
		return tail == "" || strings.EqualFold(tail, "IN$") || strings.EqualFold(tail, "OUT$")
	case strings.EqualFold(head, "PRN"), strings.EqualFold(head, "AUX"), strings.EqualFold(head, "NUL"):
		return tail == ""
	case strings.EqualFold(head, "COM"), strings.EqualFold(head, "LPT"):
		// Superscript digits name devices too.
		return len(tail) == 1 && tail[0] >= '0' && tail[0] <= '9' || tail == "¹" || tail == "²" || tail == "³"
	}
	return false
}
