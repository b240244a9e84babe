package auth

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1"
	"crypto/subtle"
	"encoding/base32"
	"encoding/binary"
	"fmt"
	"strings"
	"time"
)

// TOTP parameters fixed by the wire contract (RFC 6238 defaults).
const (
	totpPeriod = 30
	totpDigits = 6
	totpSkew   = 1 // steps accepted either side of now, for clock drift
	totpMod    = 1_000_000
)

// minTOTPSecret is RFC 4226's minimum shared-secret length (128 bits). A
// shorter secret, such as an empty one from a damaged row, would make codes
// guessable.
const minTOTPSecret = 16

var totpB32 = base32.StdEncoding.WithPadding(base32.NoPadding)

// NewTOTPSecret returns a new random 160-bit TOTP secret in base32 without
// padding, the form authenticator apps take in otpauth:// URIs.
func NewTOTPSecret() string {
	b := make([]byte, 20)
	// crypto/rand.Read never fails on supported platforms (Go 1.24+).
	rand.Read(b)
	return totpB32.EncodeToString(b)
}

// VerifyTOTP reports whether code is the 6-digit RFC 6238 code (HMAC-SHA-1,
// 30 s steps) of secret for now or one step either side. secret is base32,
// case-insensitive, padding optional. All candidate steps are computed and
// compared in constant time. VerifyTOTP does not stop a code being replayed
// within its window; callers that care remember the last accepted step.
func VerifyTOTP(secret, code string, now time.Time) bool {
	if len(code) != totpDigits || strings.Trim(code, "0123456789") != "" {
		return false
	}
	key, err := totpB32.DecodeString(strings.TrimRight(strings.ToUpper(secret), "="))
	if err != nil || len(key) < minTOTPSecret || now.Unix() < 0 {
		return false
	}
	step := now.Unix() / totpPeriod
	ok := 0
	for s := step - totpSkew; s <= step+totpSkew; s++ {
		if s >= 0 {
			ok |= subtle.ConstantTimeCompare([]byte(totpCode(key, uint64(s))), []byte(code))
		}
	}
	return ok == 1
}

// totpCode is RFC 4226 HOTP with dynamic truncation, zero-padded.
func totpCode(key []byte, counter uint64) string {
	m := hmac.New(sha1.New, key)
	var msg [8]byte
	binary.BigEndian.PutUint64(msg[:], counter)
	m.Write(msg[:])
	sum := m.Sum(nil)
	off := sum[len(sum)-1] & 0x0f
	v := binary.BigEndian.Uint32(sum[off:]) & 0x7fffffff
	return fmt.Sprintf("%0*d", totpDigits, v%totpMod)
}
