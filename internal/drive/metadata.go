package drive

import (
	"encoding/json"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Metadata limits (data model §2.7): the name column holds 255 characters;
// counting bytes keeps every database in bounds.
const (
	maxMetaKeyBytes   = 255
	maxMetaValueBytes = 65535
)

// MetadataOptions carries the site settings and lookups that metadata
// validation needs but drive cannot reach.
type MetadataOptions struct {
	// Emojis is the set of allowed customize:emoji values (the site's
	// emoji presets, flattened).
	Emojis map[string]bool
	// Props are the site's custom properties (setting custom_props).
	Props []CustomProp
}

// CustomProp is one site-defined custom property (newer versions §15), as
// stored in the custom_props setting; its metadata key is "props:" + ID.
type CustomProp struct {
	ID      string   `json:"id"`
	Name    string   `json:"name"`
	Type    string   `json:"type"`
	Min     int      `json:"min,omitempty"`
	Max     int      `json:"max,omitempty"`
	Default string   `json:"default,omitempty"`
	Options []string `json:"options,omitempty"`
	Icon    string   `json:"icon,omitempty"`
}

// MetadataError reports why a metadata patch is refused. Reason is safe to
// show to clients; the files service maps it to an invalid-request error.
type MetadataError struct {
	Reason string
}

// Error implements error.
func (e *MetadataError) Error() string { return "invalid metadata patch: " + e.Reason }

// SafeDetail implements errs.SafeDetailer: the reason names the rule broken.
func (e *MetadataError) SafeDetail() string { return e.Error() }

func metaErr(reason string) error { return &MetadataError{Reason: reason} }

// ValidateMetadataPatch checks one client patch of a file's metadata (files
// 30 §2.7, newer versions §14.1 and §15): set key to value, or remove key.
// Keys are "<namespace>:<name>" with a non-empty name, at most 255 bytes;
// values are valid UTF-8 without NUL, at most 65535 bytes. Writable:
//
//   - no sys: key: the server writes them all (30-files §2.7 lets clients
//     write sys:shared_owner and sys:shared_redirect; Stratus does not).
//   - tag:<name>, the value empty or a CSS color.
//   - customize:icon_color (a CSS color), customize:emoji (a site preset),
//     other customize: keys unchecked.
//   - props:<id> of a defined custom property, the value checked by type.
//   - thumb:disabled; dav:<anything>.
//
// Removals carry no value to check, so apart from sys: they always pass;
// in particular a props: key whose property the admin has since deleted can
// still be cleaned up.
//
// Custom property checks fix two reference quirks that §15 lists: an empty
// value always clears a property (the reference refuses it for text with a
// minimum), and a number bound of 0 is unset like every other bound (the
// reference always applies min, refusing negatives by default). Link values
// must be http(s) or scheme-less, since clients render them as links that
// other people, such as share visitors, click.
func ValidateMetadataPatch(key, value string, remove bool, opts MetadataOptions) error {
	ns, name, ok := strings.Cut(key, ":")
	switch {
	case !ok:
		return metaErr("key must be <namespace>:<name>")
	case name == "":
		return metaErr("key name is empty")
	case len(key) > maxMetaKeyBytes:
		return metaErr("key longer than 255 bytes")
	case !isCleanText(key):
		return metaErr("invalid UTF-8 or control character in key")
	}
	if !remove {
		switch {
		case len(value) > maxMetaValueBytes:
			return metaErr("value longer than 65535 bytes")
		// Values may be multi-line (descriptions, dead properties), but
		// PostgreSQL text cannot hold NUL or invalid UTF-8.
		case !utf8.ValidString(value) || strings.IndexByte(value, 0) >= 0:
			return metaErr("value is not valid UTF-8 text")
		}
	}

	switch ns {
	case "sys":
		// The server writes every system key (shortcuts get theirs from
		// the share they point at): a client-written sys:shared_redirect
		// would send other clients wherever it likes.
		return metaErr("system keys are written by the server")
	case "tag":
		if !remove && value != "" && !isCSSColor(value) {
			return metaErr("tag color must be a CSS color")
		}
	case "customize":
		if remove {
			return nil
		}
		switch name {
		case "icon_color":
			if !isCSSColor(value) {
				return metaErr("icon color must be a CSS color")
			}
		case "emoji":
			if !opts.Emojis[value] {
				return metaErr("emoji is not one of the site's presets")
			}
		}
	case "props":
		if remove {
			return nil
		}
		i := slices.IndexFunc(opts.Props, func(p CustomProp) bool { return p.ID == name })
		if i < 0 {
			return metaErr("unknown custom property")
		}
		return checkProp(opts.Props[i], value)
	case "thumb":
		if name != "disabled" {
			return metaErr("only thumb:disabled is writable")
		}
	case "dav":
	default:
		return metaErr("namespace is not writable")
	}
	return nil
}

// checkProp validates a non-removal value of a custom property.
func checkProp(p CustomProp, v string) error {
	if v == "" {
		return nil
	}
	switch p.Type {
	case "text":
		if !inBounds(len(v), p.Min, p.Max) {
			return metaErr("text length out of range")
		}
	case "link":
		if !inBounds(len(v), p.Min, p.Max) {
			return metaErr("link length out of range")
		}
		if u, err := url.Parse(v); err != nil || u.Scheme != "" && u.Scheme != "http" && u.Scheme != "https" {
			return metaErr("link must be an http or https URL")
		}
	case "number":
		n, err := strconv.Atoi(v)
		if err != nil || !inBounds(n, p.Min, p.Max) {
			return metaErr("number out of range")
		}
	case "rating":
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || !inBounds(n, 0, p.Max) {
			return metaErr("rating out of range")
		}
	case "boolean":
		if v != "true" && v != "false" {
			return metaErr(`boolean must be "true" or "false"`)
		}
	case "select":
		if !slices.Contains(p.Options, v) {
			return metaErr("not one of the options")
		}
	case "multi_select":
		var vs []string
		if json.Unmarshal([]byte(v), &vs) != nil || vs == nil {
			return metaErr("multi-select value must be a JSON array of options")
		}
		for _, s := range vs {
			if !slices.Contains(p.Options, s) {
				return metaErr("not one of the options")
			}
		}
	}
	// Types this version does not know pass unchecked, as in the reference.
	return nil
}

// inBounds reports whether min ≤ n ≤ max, a bound of 0 meaning none.
func inBounds(n, lo, hi int) bool {
	return (lo == 0 || n >= lo) && (hi == 0 || n <= hi)
}

// TouchesUpdatedAt reports whether patching key sets the file's updated_at
// (newer versions §14.2): tag:*, props:*, customize:icon_color,
// customize:emoji do; thumb:, dav: and other customize: keys do not.
func TouchesUpdatedAt(key string) bool {
	ns, name, _ := strings.Cut(key, ":")
	switch ns {
	case "tag", "props":
		return true
	case "customize":
		return name == "icon_color" || name == "emoji"
	}
	return false
}

// isCSSColor reports whether s is a CSS color in hex (#rgb, #rgba,
// #rrggbb, #rrggbbaa) or functional notation (rgb, rgba, hsl, hsla, with
// comma-separated arguments). Keyword colors are not accepted: clients
// only send these forms, and a strict grammar keeps values that clients
// put into style attributes inert.
func isCSSColor(s string) bool {
	if hex, ok := strings.CutPrefix(s, "#"); ok {
		switch len(hex) {
		case 3, 4, 6, 8:
		default:
			return false
		}
		for i := 0; i < len(hex); i++ {
			if !isHexDigit(hex[i]) {
				return false
			}
		}
		return true
	}
	fn, args, ok := strings.Cut(strings.ToLower(s), "(")
	if !ok || !strings.HasSuffix(args, ")") {
		return false
	}
	parts := strings.Split(strings.TrimSuffix(args, ")"), ",")
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	n := len(parts)
	switch fn {
	case "rgb", "rgba":
		if n != 3 && n != 4 {
			return false
		}
		pct := strings.HasSuffix(parts[0], "%")
		for _, p := range parts[:3] {
			if strings.HasSuffix(p, "%") != pct || !cssNumberIn(p, 255) {
				return false
			}
		}
	case "hsl", "hsla":
		if n != 3 && n != 4 || !cssNumberIn(strings.TrimSuffix(parts[0], "deg"), 360) ||
			!strings.HasSuffix(parts[1], "%") || !cssNumberIn(parts[1], 100) ||
			!strings.HasSuffix(parts[2], "%") || !cssNumberIn(parts[2], 100) {
			return false
		}
	default:
		return false
	}
	return n == 3 || cssNumberIn(parts[3], 1)
}

// cssNumberIn reports whether s is an unsigned decimal number (digits with
// at most one dot) within [0, max], or a percentage within [0, 100].
func cssNumberIn(s string, max float64) bool {
	if p, ok := strings.CutSuffix(s, "%"); ok {
		s, max = p, 100
	}
	if s == "" || s == "." || strings.Count(s, ".") > 1 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] != '.' && (s[i] < '0' || s[i] > '9') {
			return false
		}
	}
	f, err := strconv.ParseFloat(s, 64)
	return err == nil && f <= max
}

func isHexDigit(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}
