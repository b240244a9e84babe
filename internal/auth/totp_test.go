package auth

import (
	"strings"
	"testing"
	"time"
)

// rfcSecret is RFC 6238 Appendix B's SHA-1 key "12345678901234567890" in base32.
const rfcSecret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"

// RFC 6238 Appendix B, SHA-1 rows. The RFC lists 8 digits; 6-digit codes are
// the same truncated value mod 10^6, i.e. the last six digits.
var rfcVectors = []struct {
	unix  int64
	eight string
}{
	{59, "94287082"},
	{1111111109, "07081804"},
	{1111111111, "14050471"},
	{1234567890, "89005924"},
	{2000000000, "69279037"},
	{20000000000, "65353130"},
}

func TestTOTPVectors(t *testing.T) {
	for _, v := range rfcVectors {
		code := v.eight[2:]
		now := time.Unix(v.unix, 0)
		if !VerifyTOTP(rfcSecret, code, now) {
			t.Errorf("t=%d: code %s rejected", v.unix, code)
		}
		// ±1 step of drift is accepted; two steps are not.
		for _, d := range []time.Duration{-30 * time.Second, 30 * time.Second} {
			if !VerifyTOTP(rfcSecret, code, now.Add(d)) {
				t.Errorf("t=%d%+v: code %s rejected within skew", v.unix, d, code)
			}
		}
		for _, d := range []time.Duration{-90 * time.Second, 90 * time.Second} {
			if VerifyTOTP(rfcSecret, code, now.Add(d)) {
				t.Errorf("t=%d%+v: code %s accepted outside skew", v.unix, d, code)
			}
		}
	}
}

func TestVerifyTOTPRejects(t *testing.T) {
	now := time.Unix(1111111109, 0)
	tests := []struct{ name, secret, code string }{
		{"wrong code", rfcSecret, "081805"},
		{"8 digits", rfcSecret, "07081804"},
		{"5 digits", rfcSecret, "81804"},
		{"empty code", rfcSecret, ""},
		{"letter", rfcSecret, "08180a"},
		{"space", rfcSecret, " 81804"},
		{"sign", rfcSecret, "+81804"},
		{"full-width digits", rfcSecret, "０８１８０４"},
		{"empty secret", "", "081804"},
		{"short secret", "GEZDGNBVGY3TQOJQ", "081804"}, // 10 bytes
		{"bad base32", rfcSecret[:31] + "1", "081804"},
	}
	for _, tt := range tests {
		if VerifyTOTP(tt.secret, tt.code, now) {
			t.Errorf("%s: VerifyTOTP(%q, %q) = true", tt.name, tt.secret, tt.code)
		}
	}
	// Lower case and padding are tolerated: apps and older rows vary.
	for _, s := range []string{strings.ToLower(rfcSecret), rfcSecret + "===="} {
		if !VerifyTOTP(s, "081804", now) {
			t.Errorf("secret spelling %q rejected", s)
		}
	}
	// Before the epoch there is no valid step.
	if VerifyTOTP(rfcSecret, "287082", time.Unix(-1, 0)) {
		t.Error("negative time accepted")
	}
}

func TestNewTOTPSecret(t *testing.T) {
	s1, s2 := NewTOTPSecret(), NewTOTPSecret()
	if len(s1) != 32 || strings.ContainsRune(s1, '=') {
		t.Errorf("secret %q: want 32 base32 characters without padding", s1)
	}
	if s1 == s2 {
		t.Error("two secrets are equal")
	}
	key, err := totpB32.DecodeString(s1)
	if err != nil || len(key) != 20 {
		t.Fatalf("secret decodes to %d bytes, %v", len(key), err)
	}
	now := time.Unix(1_700_000_000, 0)
	if !VerifyTOTP(s1, totpCode(key, uint64(now.Unix()/30)), now) {
		t.Error("own code rejected")
	}
}
