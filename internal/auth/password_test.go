package auth

import (
	"strings"
	"testing"
)

// The Cloudreve vectors below were computed independently (Python hashlib)
// for password "Stratus!2024" and salt "aB3dE5gH7jK9mN1p".
const (
	legacyPW     = "Stratus!2024"
	legacyV4     = "aB3dE5gH7jK9mN1p:9c574eca1c05e067b83fa03e9c06955461e1d38156227b1568b96bcb3e99aabf"
	legacyV3     = "aB3dE5gH7jK9mN1p:912f701c67d2c310e695441317278f26c4ff128f"
	legacyV2     = "md5:3dc395f10f7e2691a8721d51835b03ae:aB3dE5gH7jK9mN1p"
	referencePHC = "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc"
)

func TestHashPasswordRoundTrip(t *testing.T) {
	h1, err := HashPassword("correct horse")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h1, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("hash %q lacks the current PHC prefix", h1)
	}
	if ok, rehash := VerifyPassword(h1, "correct horse"); !ok || rehash {
		t.Errorf("VerifyPassword(own hash) = %v, %v; want true, false", ok, rehash)
	}
	if ok, _ := VerifyPassword(h1, "correct horsE"); ok {
		t.Error("wrong password verified")
	}
	h2, err := HashPassword("correct horse")
	if err != nil {
		t.Fatal(err)
	}
	if h1 == h2 {
		t.Error("two hashes of one password are equal: salt not random")
	}
}

func TestVerifyPassword(t *testing.T) {
	weak := phcHash{params: argon2Params{memory: 64, time: 1, threads: 1, keyLen: 32}, salt: []byte("0123456789abcdef")}
	weak.key = weak.derive("pw")
	tests := []struct {
		name       string
		stored, pw string
		ok, rehash bool
	}{
		{"argon2id reference vector", referencePHC, "password", true, true},
		{"argon2id reference wrong pw", referencePHC, "passwore", false, false},
		{"argon2id weak params", weak.String(), "pw", true, true},
		{"argon2id weak params wrong pw", weak.String(), "pW", false, false},
		{"v4 sha256", legacyV4, legacyPW, true, true},
		{"v4 salt is case-sensitive", strings.ToUpper(legacyV4[:16]) + legacyV4[16:], legacyPW, false, false},
		{"v4 digest upper-case", legacyV4[:17] + strings.ToUpper(legacyV4[17:]), legacyPW, true, true},
		{"v4 sha256 wrong pw", legacyV4, legacyPW + "x", false, false},
		{"v4 salt not first", "9c574eca1c05e067b83fa03e9c06955461e1d38156227b1568b96bcb3e99aabf:aB3dE5gH7jK9mN1p", legacyPW, false, false},
		{"v3 sha1", legacyV3, legacyPW, true, true},
		{"v3 sha1 wrong pw", legacyV3, "stratus!2024", false, false},
		{"v2 md5", legacyV2, legacyPW, true, true},
		{"v2 md5 wrong pw", legacyV2, "Stratus!2025", false, false},
		// md5(pw+salt): the v2 order is salt first, so this must fail.
		{"v2 md5 swapped order", "md5:737da7366c3a89d9d540c9181fe66336:aB3dE5gH7jK9mN1p", legacyPW, false, false},
		{"v2 no salt part", "md5:3dc395f10f7e2691a8721d51835b03ae", legacyPW, false, false},
		{"bare md5 digest length", "aB3dE5gH7jK9mN1p:3dc395f10f7e2691a8721d51835b03ae", legacyPW, false, false},
		{"empty salt", ":9c574eca1c05e067b83fa03e9c06955461e1d38156227b1568b96bcb3e99aabf", legacyPW, false, false},
		{"non-hex digest", "aB3dE5gH7jK9mN1p:zz574eca1c05e067b83fa03e9c06955461e1d38156227b1568b96bcb3e99aabf", legacyPW, false, false},
		{"passwordless", "", "", false, false},
		{"passwordless with pw", "", "anything", false, false},
		{"garbage", "not a hash", "not a hash", false, false},
		{"argon2i", strings.Replace(referencePHC, "argon2id", "argon2i", 1), "password", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ok, rehash := VerifyPassword(tt.stored, tt.pw)
			if ok != tt.ok || rehash != tt.rehash {
				t.Errorf("VerifyPassword = %v, %v; want %v, %v", ok, rehash, tt.ok, tt.rehash)
			}
		})
	}
}

func TestParsePHCRejects(t *testing.T) {
	const salt, key = "c29tZXNhbHQ", "CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc"
	tests := []struct{ name, s string }{
		{"empty", ""},
		{"argon2i", "$argon2i$v=19$m=65536,t=2,p=1$" + salt + "$" + key},
		{"argon2d", "$argon2d$v=19$m=65536,t=2,p=1$" + salt + "$" + key},
		{"version 16", "$argon2id$v=16$m=65536,t=2,p=1$" + salt + "$" + key},
		{"no version", "$argon2id$m=65536,t=2,p=1$" + salt + "$" + key},
		{"params reordered", "$argon2id$v=19$t=2,m=65536,p=1$" + salt + "$" + key},
		{"extra param", "$argon2id$v=19$m=65536,t=2,p=1,keyid=x$" + salt + "$" + key},
		{"zero passes", "$argon2id$v=19$m=65536,t=0,p=1$" + salt + "$" + key},
		{"zero lanes", "$argon2id$v=19$m=65536,t=2,p=0$" + salt + "$" + key},
		{"memory too high", "$argon2id$v=19$m=4194304,t=2,p=1$" + salt + "$" + key},
		{"memory under 8p", "$argon2id$v=19$m=7,t=1,p=1$" + salt + "$" + key},
		{"passes too high", "$argon2id$v=19$m=65536,t=1000,p=1$" + salt + "$" + key},
		{"lanes too high", "$argon2id$v=19$m=65536,t=2,p=256$" + salt + "$" + key},
		{"leading zero", "$argon2id$v=19$m=065536,t=2,p=1$" + salt + "$" + key},
		{"sign", "$argon2id$v=19$m=+65536,t=2,p=1$" + salt + "$" + key},
		{"uint32 overflow", "$argon2id$v=19$m=4294967297,t=2,p=1$" + salt + "$" + key},
		{"padded salt", "$argon2id$v=19$m=65536,t=2,p=1$" + salt + "=$" + key},
		{"short salt", "$argon2id$v=19$m=65536,t=2,p=1$c29tZQ$" + key},
		{"short key", "$argon2id$v=19$m=65536,t=2,p=1$" + salt + "$c29tZXNhbHQ"},
		{"non-canonical key bits", "$argon2id$v=19$m=65536,t=2,p=1$" + salt + "$" + key[:len(key)-1] + "d"},
		{"newline in key", "$argon2id$v=19$m=65536,t=2,p=1$" + salt + "$" + key[:5] + "\n" + key[5:]},
		{"CR in salt", "$argon2id$v=19$m=65536,t=2,p=1$" + salt[:3] + "\r" + salt[3:] + "$" + key},
		{"trailing field", "$argon2id$v=19$m=65536,t=2,p=1$" + salt + "$" + key + "$"},
	}
	for _, tt := range tests {
		if _, err := parsePHC(tt.s); err == nil {
			t.Errorf("%s: parsePHC(%q) accepted", tt.name, tt.s)
		}
	}
	if _, err := parsePHC(referencePHC); err != nil {
		t.Errorf("reference vector rejected: %v", err)
	}
}

// FuzzParsePHC checks that the parser never panics and accepts exactly one
// spelling of each hash: whatever it accepts, String writes back unchanged.
// Seeds are in testdata/fuzz/FuzzParsePHC.
func FuzzParsePHC(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		h, err := parsePHC(s)
		if err != nil {
			return
		}
		if got := h.String(); got != s {
			t.Errorf("parsePHC(%q).String() = %q", s, got)
		}
	})
}

func BenchmarkHashPassword(b *testing.B) {
	for b.Loop() {
		if _, err := HashPassword("correct horse battery staple"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerifyPassword(b *testing.B) {
	current, err := HashPassword(legacyPW)
	if err != nil {
		b.Fatal(err)
	}
	for _, bb := range []struct{ name, stored string }{
		{"argon2id", current},
		{"sha256", legacyV4},
		{"sha1", legacyV3},
		{"md5", legacyV2},
	} {
		b.Run(bb.name, func(b *testing.B) {
			for b.Loop() {
				if ok, _ := VerifyPassword(bb.stored, legacyPW); !ok {
					b.Fatal("no match")
				}
			}
		})
	}
}

// BenchmarkVerifyLegacy measures the legacy digests alone, without the
// argon2id work VerifyPassword adds to hide them.
func BenchmarkVerifyLegacy(b *testing.B) {
	for b.Loop() {
		if !verifyLegacy(legacyV4, legacyPW) {
			b.Fatal("no match")
		}
	}
}

func BenchmarkDummyVerify(b *testing.B) {
	for b.Loop() {
		DummyVerify(legacyPW)
	}
}
