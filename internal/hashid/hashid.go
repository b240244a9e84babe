// Package hashid turns database IDs into the short public object IDs of the
// Cloudreve v4 API and back.
//
// The codec is Hashids v1 (hashids.org) with the default alphabet, the default
// separators and a minimum length of 0, encoding the pair [id, type]. Every
// parameter is fixed by existing Cloudreve links, tokens and databases: change
// nothing here without the interop test vectors still passing.
//
// IDs are encoded for every object in every response, so Encode writes into a
// stack buffer and allocates only the returned string, and Decode allocates
// nothing on success.
package hashid

import (
	"bytes"
	"strings"

	"github.com/stratus-drive/stratus/internal/errs"
)

// Type is the second number of every encoded pair. It keeps an ID of one
// kind of object from being accepted where another kind is expected.
type Type int

// The type tags, numbered as Cloudreve numbers them.
const (
	Share      Type = 0
	User       Type = 1
	File       Type = 2
	Folder     Type = 3 // reserved by Cloudreve; unused by the v4 API
	Tag        Type = 4 // reserved by Cloudreve; unused
	Policy     Type = 5
	SourceLink Type = 6
	Group      Type = 7
	Entity     Type = 8
	AuditLog   Type = 9
	Node       Type = 10
	Task       Type = 11
	DavAccount Type = 12
	Payment    Type = 13
)

const (
	defaultAlphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ1234567890"
	defaultSeps     = "cfhistuCFHISTU"

	// maxAlphabet bounds the per-call scratch arrays, which live on the stack.
	maxAlphabet = len(defaultAlphabet)
	// maxPairLen is the longest encoding of two non-negative ints: a lottery
	// character, a separator, and two numbers of at most 12 digits each
	// (44^12 > 2^63 for the 44-letter working alphabet).
	maxPairLen = 32
)

// errInvalid is shared by every failed decode: the caller learns only that
// the ID is bad, and a flood of garbage IDs costs no allocations.
var errInvalid = errs.E("hashid.Decode", errs.Invalid, "Failed to parse object ID")

// class tells what role a byte plays in an encoded ID.
type class uint8

const (
	classNone class = iota
	classAlphabet
	classSep
	classGuard
)

// Codec encodes and decodes IDs for one salt. It is immutable after New and
// safe for concurrent use.
type Codec struct {
	salt     []rune // shuffle keys use code points, so non-ASCII salts match other implementations
	alphabet []byte // the working alphabet after separators and guards are removed
	seps     []byte
	class    [256]class
	// steps holds, per lottery character, the alphabets of the first
	// preSteps numbers. Each reshuffle depends only on the lottery, the salt
	// and the alphabet before it, so they are computed once here rather than
	// twice per ID (the shuffles were most of an ID's cost in listings).
	steps [256]*[preSteps][]byte
}

// preSteps is how many per-number alphabets New precomputes: an ID is a pair.
const preSteps = 2

// New precomputes the alphabet, separators and guards for salt, which is the
// site setting hash_id_salt.
func New(salt string) *Codec {
	c := &Codec{salt: []rune(salt)}

	// Separators are the default separator letters, taken out of the
	// alphabet. Hashids tops the separators up from the alphabet when there
	// are more than 3.5 letters per separator; the default alphabet has
	// 48:14, so that step never applies and is left out.
	alphabet := make([]byte, 0, maxAlphabet)
	seps := make([]byte, 0, len(defaultSeps))
	for i := 0; i < len(defaultAlphabet); i++ {
		if strings.IndexByte(defaultSeps, defaultAlphabet[i]) >= 0 {
			seps = append(seps, defaultAlphabet[i])
		} else {
			alphabet = append(alphabet, defaultAlphabet[i])
		}
	}
	shuffle(seps, c.salt)
	shuffle(alphabet, c.salt)

	// Guards come off the front of the shuffled alphabet (the default
	// alphabet is never shorter than 3, the only case that takes them from
	// the separators instead).
	nGuards := ceilDiv(len(alphabet), 12)
	guards := alphabet[:nGuards]
	alphabet = alphabet[nGuards:]

	c.alphabet = alphabet
	c.seps = seps
	for _, b := range alphabet {
		c.class[b] = classAlphabet
	}
	for _, b := range seps {
		c.class[b] = classSep
	}
	for _, b := range guards {
		c.class[b] = classGuard
	}
	for _, lottery := range alphabet {
		work := append([]byte(nil), alphabet...)
		var st [preSteps][]byte
		for i := range st {
			c.reshuffle(work, lottery)
			st[i] = append([]byte(nil), work...)
		}
		c.steps[lottery] = &st
	}
	return c
}

// alphabetFor returns the alphabet of number i of an ID with lottery
// character lottery, given prev, number i-1's. Past the precomputed steps it
// reshuffles a copy in scratch.
func (c *Codec) alphabetFor(scratch *[maxAlphabet]byte, prev []byte, lottery byte, i int) []byte {
	if i < preSteps {
		return c.steps[lottery][i]
	}
	work := scratch[:len(c.alphabet)]
	if i == preSteps {
		copy(work, prev)
	}
	c.reshuffle(work, lottery)
	return work
}

// Encode returns the public ID of object id of type typ. It panics if id or
// typ is negative: database IDs never are, so that is a bug in the caller.
func (c *Codec) Encode(id int, typ Type) string {
	if id < 0 || typ < 0 {
		panic("hashid: negative id or type")
	}
	var buf [maxPairLen]byte
	nums := [2]int{id, int(typ)}
	return string(c.appendNumbers(buf[:0], nums[:]))
}

// Decode returns the database ID in s, which must be an ID that Encode
// produces for typ. Anything else, including an ID of another type, is an
// errs.Invalid error.
func (c *Codec) Decode(s string, typ Type) (int, error) {
	var nums [2]int
	if n, ok := c.decodeNumbers(s, nums[:]); !ok || n != 2 || nums[1] != int(typ) {
		return 0, errInvalid
	}
	return nums[0], nil
}

// appendNumbers appends the Hashids encoding of nums, which must be
// non-negative, to dst.
func (c *Codec) appendNumbers(dst []byte, nums []int) []byte {
	var scratch [maxAlphabet]byte
	sum := 0
	for i, n := range nums {
		sum += n % (i + 100)
	}
	lottery := c.alphabet[sum%len(c.alphabet)]
	dst = append(dst, lottery)

	var alphabet []byte
	for i, n := range nums {
		alphabet = c.alphabetFor(&scratch, alphabet, lottery, i)
		start := len(dst)
		dst = appendBase(dst, n, alphabet)
		if i+1 < len(nums) {
			// The separator depends on the number and its leading digit so
			// that separators do not repeat in a visible pattern.
			n %= int(dst[start]) + i
			dst = append(dst, c.seps[n%len(c.seps)])
		}
	}
	return dst
}

// decodeNumbers decodes s into nums and returns how many numbers s holds. It
// reports false when s is not exactly what appendNumbers would produce for
// those numbers, or holds more numbers than fit in nums.
func (c *Codec) decodeNumbers(s string, nums []int) (int, bool) {
	if len(s) < 2 || c.class[s[0]] != classAlphabet {
		return 0, false
	}
	// Guards appear only as padding up to a minimum length, which is 0
	// here, so an ID containing one can never pass the re-encode check
	// below: reject it now rather than split on guards.
	for i := 1; i < len(s); i++ {
		if k := c.class[s[i]]; k != classAlphabet && k != classSep {
			return 0, false
		}
	}

	var (
		scratch  [maxAlphabet]byte
		alphabet []byte
	)
	lottery := s[0]
	rest := s[1:]
	n := 0
	for {
		end := 0
		for end < len(rest) && c.class[rest[end]] != classSep {
			end++
		}
		if n == len(nums) {
			return 0, false
		}
		alphabet = c.alphabetFor(&scratch, alphabet, lottery, n)
		v, ok := parseBase(rest[:end], alphabet)
		if !ok {
			return 0, false
		}
		nums[n] = v
		n++
		if end == len(rest) {
			break
		}
		rest = rest[end+1:]
	}

	// The sanity check: many strings decode to numbers, but only the one
	// Encode produces is the canonical ID for them.
	var buf [maxPairLen]byte
	if string(c.appendNumbers(buf[:0], nums[:n])) != s {
		return 0, false
	}
	return n, true
}

// reshuffle permutes alphabet before each number, keyed by the lottery
// character, the salt and the alphabet itself, cut to the alphabet's length.
func (c *Codec) reshuffle(alphabet []byte, lottery byte) {
	var kbuf [maxAlphabet]rune
	key := append(kbuf[:0], rune(lottery))
	for _, r := range c.salt {
		if len(key) == len(alphabet) {
			break
		}
		key = append(key, r)
	}
	for _, b := range alphabet {
		if len(key) == len(alphabet) {
			break
		}
		key = append(key, rune(b))
	}
	shuffle(alphabet, key)
}

// shuffle is the Hashids consistent shuffle: a deterministic permutation of
// chars driven by key.
func shuffle(chars []byte, key []rune) {
	if len(key) == 0 {
		return
	}
	v, p := 0, 0
	for i := len(chars) - 1; i > 0; i-- {
		k := int(key[v])
		p += k
		j := (k + v + p) % i
		chars[i], chars[j] = chars[j], chars[i]
		v = (v + 1) % len(key)
	}
}

// appendBase appends n written in base len(alphabet) with alphabet as the
// digits, most significant first.
func appendBase(dst []byte, n int, alphabet []byte) []byte {
	var tmp [maxPairLen]byte
	i := len(tmp)
	for {
		i--
		tmp[i] = alphabet[n%len(alphabet)]
		n /= len(alphabet)
		if n == 0 {
			break
		}
	}
	return append(dst, tmp[i:]...)
}

// parseBase is the inverse of appendBase. It reports false for an empty
// string, a digit outside alphabet, or a value that overflows int.
func parseBase(s string, alphabet []byte) (int, bool) {
	if s == "" {
		return 0, false
	}
	base := len(alphabet)
	const maxInt = int(^uint(0) >> 1)
	n := 0
	for i := 0; i < len(s); i++ {
		d := bytes.IndexByte(alphabet, s[i])
		if d < 0 || n > (maxInt-d)/base {
			return 0, false
		}
		n = n*base + d
	}
	return n, true
}

func ceilDiv(a, b int) int { return (a + b - 1) / b }
