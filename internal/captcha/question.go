package captcha

import (
	"crypto/rand"
	"strconv"
)

// Alphabets for answers. Glyphs that a person could misread once rotated and
// half-covered by noise are left out: 0/O, 1/I/L, and in the mixed alphabet
// also S/5 and Z/2. Answers are upper case; Verify ignores case.
const (
	digits  = "23456789"
	letters = "ABCDEFGHJKMNPQRSTUVWXYZ"
	mixed   = "23456789ABCDEFGHJKMNPQRTUVWXY"
	alnum   = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
)

// maxLength bounds Settings.Length so a mistyped setting cannot ask for an
// image with thousands of glyphs.
const maxLength = 16

// newQuestion returns the text to draw and the answer to expect.
// Unknown modes fall back to ModeMixed, Cloudreve's default.
func newQuestion(m Mode, length int) (text, answer string) {
	length = min(length, maxLength)
	switch m {
	case ModeDigits:
		text = randomString(digits, length)
	case ModeLetters:
		text = randomString(letters, length)
	case ModeArithmetic:
		return arithmetic()
	default:
		text = randomString(mixed, length)
	}
	return text, text
}

// arithmetic returns a one-digit sum, difference or product such as "7+3=?",
// with a non-negative answer.
func arithmetic() (text, answer string) {
	ab := randomString("123456789", 2)
	a, b := int(ab[0]-'0'), int(ab[1]-'0')
	var r int
	op := randomString("+-×", 1)
	switch op {
	case "+":
		r = a + b
	case "-":
		if a < b {
			a, b = b, a
		}
		r = a - b
	default:
		r = a * b
	}
	return strconv.Itoa(a) + op + strconv.Itoa(b) + "=?", strconv.Itoa(r)
}

// randomString returns n symbols drawn uniformly from alphabet (at most 256
// single-byte symbols, or runes picked whole) using crypto/rand, since
// answers and tickets are secrets.
func randomString(alphabet string, n int) string {
	syms := []rune(alphabet)
	limit := 256 - 256%len(syms) // reject bytes that would bias the modulo
	out := make([]rune, 0, n)
	var buf [64]byte
	for len(out) < n {
		rand.Read(buf[:])
		for _, b := range buf {
			if int(b) >= limit {
				continue
			}
			out = append(out, syms[int(b)%len(syms)])
			if len(out) == n {
				break
			}
		}
	}
	return string(out)
}
