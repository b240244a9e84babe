package storage

import (
	"crypto/rand"
	"encoding/hex"
	"io"
	"path"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/stratus-drive/stratus/internal/errs"
)

// The save-path rules of the default local storage policy.
const (
	DefaultDirRule  = "uploads/{uid}/{path}"
	DefaultNameRule = "{uid}_{randomkey8}_{originname}"
)

// KeyTemplate is a storage policy's save-path rules (dir_name_rule and
// file_name_rule), which Expand turns into a storage key.
//
// Variables in both rules: {randomkey16}, {randomkey8} (letters and digits),
// {timestamp} (Unix seconds), {timestamp_nano}, {randomnum2}, {randomnum3},
// {randomnum4}, {randomnum8} (a number in 0..n-1), {uid}, {datetime}
// (YYYYMMDDhhmmss), {date} (YYYYMMDD), {year}, {month}, {day}, {hour},
// {minute}, {second} (zero-padded, in KeyInput.Time's location).
// Dir rule only: {path} (the virtual parent folder followed by "/").
// Name rule only: {originname}, {ext} (with its dot, or empty),
// {originname_without_ext}, {uuid} (random, version 4).
// Any other text, including a variable used in the wrong rule, stays as
// written.
type KeyTemplate struct {
	DirRule  string
	NameRule string
}

// KeyInput is what a key is made from.
type KeyInput struct {
	UID  int
	Path string // virtual parent folder, "/"-separated; "" or "/" is the root
	Name string // the file's original name
	Time time.Time
	Rand io.Reader // source of randomness; nil means crypto/rand
}

// Expand returns the storage key for in: the expanded dir rule and name rule
// joined by "/". The result always satisfies CheckKey, whatever the input:
//
//   - user-supplied text ({path} segments, {originname} and the parts derived
//     from it) has invalid UTF-8, control characters, "/" and "\" replaced
//     by "_", so it can never add or climb a level (the rules' own text is
//     cleaned the same way, except that its "/" separate levels);
//   - empty segments are dropped; a segment that is "." or ".." becomes "_" or
//     "__"; a segment naming a Windows device or starting with ReservedPrefix
//     gets a "_" in front; a segment over MaxSegmentLen bytes is shortened,
//     keeping a short extension.
//
// A name rule that yields nothing, or a key over MaxKeyLen bytes, is
// errs.Invalid.
func (kt KeyTemplate) Expand(in KeyInput) (string, error) {
	const op = "storage.KeyTemplate.Expand"
	x := expander{in: in, rand: in.Rand}
	if x.rand == nil {
		x.rand = rand.Reader
	}
	dir := x.expand(kt.DirRule, true)
	name := x.expand(kt.NameRule, false)
	if x.err != nil {
		return "", errs.E(op, errs.Internal, x.err)
	}
	var segs []string
	segs = appendSegments(segs, dir)
	n := len(segs)
	segs = appendSegments(segs, name)
	if len(segs) == n {
		return "", errs.E(op, errs.Invalid, "the file name rule gives an empty name")
	}
	key := strings.Join(segs, "/")
	if err := CheckKey(key); err != nil {
		return "", errs.E(op, err) // only the length can be wrong here
	}
	return key, nil
}

type expander struct {
	in   KeyInput
	rand io.Reader
	err  error
}

// expand replaces the variables of rule; isDir selects the dir rule's set.
func (x *expander) expand(rule string, isDir bool) string {
	var b strings.Builder
	for {
		i := strings.IndexByte(rule, '{')
		if i < 0 {
			break
		}
		j := strings.IndexByte(rule[i:], '}')
		if j < 0 {
			break
		}
		b.WriteString(rule[:i])
		if v, ok := x.value(rule[i+1:i+j], isDir); ok {
			b.WriteString(v)
			rule = rule[i+j+1:]
		} else {
			// Not a variable: keep the brace and look again after it, so
			// "{{uid}" still expands {uid}.
			b.WriteByte('{')
			rule = rule[i+1:]
		}
	}
	b.WriteString(rule)
	return b.String()
}

func (x *expander) value(name string, isDir bool) (string, bool) {
	t := x.in.Time
	switch name {
	case "randomkey16":
		return x.randomKey(16), true
	case "randomkey8":
		return x.randomKey(8), true
	case "timestamp":
		return strconv.FormatInt(t.Unix(), 10), true
	case "timestamp_nano":
		return strconv.FormatInt(t.UnixNano(), 10), true
	case "randomnum2":
		return strconv.Itoa(x.randomInt(2)), true
	case "randomnum3":
		return strconv.Itoa(x.randomInt(3)), true
	case "randomnum4":
		return strconv.Itoa(x.randomInt(4)), true
	case "randomnum8":
		return strconv.Itoa(x.randomInt(8)), true
	case "uid":
		return strconv.Itoa(x.in.UID), true
	case "datetime":
		return t.Format("20060102150405"), true
	case "date":
		return t.Format("20060102"), true
	case "year":
		return t.Format("2006"), true
	case "month":
		return t.Format("01"), true
	case "day":
		return t.Format("02"), true
	case "hour":
		return t.Format("15"), true
	case "minute":
		return t.Format("04"), true
	case "second":
		return t.Format("05"), true
	}
	if isDir {
		if name == "path" {
			var b strings.Builder
			for seg := range strings.SplitSeq(x.in.Path, "/") {
				if seg != "" {
					b.WriteString(sanitize(seg))
					b.WriteByte('/')
				}
			}
			return b.String(), true
		}
		return "", false
	}
	switch name {
	case "originname":
		return sanitize(x.in.Name), true
	case "ext":
		return path.Ext(sanitize(x.in.Name)), true
	case "originname_without_ext":
		s := sanitize(x.in.Name)
		return strings.TrimSuffix(s, path.Ext(s)), true
	case "uuid":
		return x.uuid(), true
	}
	return "", false
}

const alphanum = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

// randomKey returns n letters and digits, uniformly chosen.
func (x *expander) randomKey(n int) string {
	out := make([]byte, 0, n)
	var buf [32]byte
	for len(out) < n && x.err == nil {
		if _, err := io.ReadFull(x.rand, buf[:]); err != nil {
			x.err = err
			break
		}
		for _, c := range buf {
			// 248 = 4×62: dropping larger bytes keeps the choice uniform.
			if c < 248 && len(out) < n {
				out = append(out, alphanum[c%62])
			}
		}
	}
	return string(out)
}

// randomInt returns a uniform number in [0, n) for small n.
func (x *expander) randomInt(n int) int {
	limit := 256 - 256%n
	var b [1]byte
	for x.err == nil {
		if _, err := io.ReadFull(x.rand, b[:]); err != nil {
			x.err = err
			break
		}
		if int(b[0]) < limit {
			return int(b[0]) % n
		}
	}
	return 0
}

func (x *expander) uuid() string {
	var u [16]byte
	if _, err := io.ReadFull(x.rand, u[:]); err != nil {
		x.err = err
		return ""
	}
	u[6] = u[6]&0x0f | 0x40 // version 4
	u[8] = u[8]&0x3f | 0x80 // RFC 9562 variant
	var s [36]byte
	hex.Encode(s[0:8], u[0:4])
	s[8] = '-'
	hex.Encode(s[9:13], u[4:6])
	s[13] = '-'
	hex.Encode(s[14:18], u[6:8])
	s[18] = '-'
	hex.Encode(s[19:23], u[8:10])
	s[23] = '-'
	hex.Encode(s[24:], u[10:])
	return string(s[:])
}

// sanitize makes user-supplied text safe inside one key segment.
func sanitize(s string) string {
	s = strings.ToValidUTF8(s, "_")
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == '/' || r == '\\' {
			return '_'
		}
		return r
	}, s)
}

// appendSegments appends the non-empty segments of p to segs, each made valid.
// The rules are an administrator's text, so their literal parts are cleaned as
// well.
func appendSegments(segs []string, p string) []string {
	for seg := range strings.SplitSeq(p, "/") {
		seg = sanitize(seg)
		switch {
		case seg == "":
			continue
		case seg == ".":
			seg = "_"
		case seg == "..":
			seg = "__"
		case isReserved(seg) || isDeviceName(seg):
			seg = "_" + seg
		}
		segs = append(segs, shorten(seg))
	}
	return segs
}

// shorten cuts seg to MaxSegmentLen bytes at a rune boundary, keeping an
// extension of up to 16 bytes.
func shorten(seg string) string {
	if len(seg) <= MaxSegmentLen {
		return seg
	}
	ext := path.Ext(seg)
	if len(ext) > 16 {
		ext = ""
	}
	stem := seg[:len(seg)-len(ext)]
	n := MaxSegmentLen - len(ext)
	for n > 0 && !utf8.RuneStart(stem[n]) {
		n--
	}
	return stem[:n] + ext
}
