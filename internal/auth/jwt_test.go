package auth

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"errors"
	"hash"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/stratus-drive/stratus/internal/errs"
)

var (
	testKey = []byte("test-secret-key")
	testNow = time.Unix(1_700_000_000, 0)
)

func testClaims() Claims {
	return Claims{
		TokenType:   TypeRefresh,
		Sub:         "lxfJ",
		NotBefore:   testNow.Unix() - 60,
		Expires:     testNow.Unix() + 3600,
		StateHash:   "OYiStU23hGwn3Vw5oB+bUYmokZgULU8yNi5YyPz8ivQ=",
		RootTokenID: "0b7c1f4e-4a0b-4d53-9b3e-2f1d7b7a9c11",
	}
}

// craft builds a token from raw header and payload JSON, MACed with h.
func craft(key []byte, header, payload string, h func() hash.Hash) string {
	enc := base64.RawURLEncoding
	signed := enc.EncodeToString([]byte(header)) + "." + enc.EncodeToString([]byte(payload))
	m := hmac.New(h, key)
	m.Write([]byte(signed))
	return signed + "." + enc.EncodeToString(m.Sum(nil))
}

// flip replaces the byte at i with another base64url character, so the
// segment still decodes but to different bytes.
func flip(s string, i int) string {
	c := byte('A')
	if s[i] == 'A' {
		c = 'B'
	}
	return s[:i] + string(c) + s[i+1:]
}

func TestJWTRoundTrip(t *testing.T) {
	for _, c := range []Claims{
		testClaims(),
		{TokenType: TypeAccess, Sub: "x", NotBefore: testNow.Unix(), Expires: testNow.Unix() + 1},
		{TokenType: TypeAccess, Sub: "x", Expires: testNow.Unix() + 1, Scopes: []string{"Files.Read"}, ClientID: "c"},
	} {
		tok, err := SignJWT(testKey, c)
		if err != nil {
			t.Fatal(err)
		}
		got, err := ParseJWT(testKey, tok, testNow)
		if err != nil {
			t.Fatalf("ParseJWT(SignJWT(%+v)): %v", c, err)
		}
		if !reflect.DeepEqual(got, c) {
			t.Errorf("round trip = %+v, want %+v", got, c)
		}
		h, _ := base64.RawURLEncoding.DecodeString(strings.Split(tok, ".")[0])
		if string(h) != `{"alg":"HS256","typ":"JWT"}` {
			t.Errorf("header = %s", h)
		}
	}
}

// TestJWTWireClaims pins the claim names and omissions of conventions §11.
func TestJWTWireClaims(t *testing.T) {
	tok, err := SignJWT(testKey, Claims{TokenType: TypeAccess, Sub: "lxfJ", NotBefore: 1, Expires: 2})
	if err != nil {
		t.Fatal(err)
	}
	p, _ := base64.RawURLEncoding.DecodeString(strings.Split(tok, ".")[1])
	if want := `{"token_type":"access","sub":"lxfJ","nbf":1,"exp":2}`; string(p) != want {
		t.Errorf("payload = %s, want %s", p, want)
	}
}

func TestParseJWTRejects(t *testing.T) {
	good, err := SignJWT(testKey, testClaims())
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(good, ".")
	payload := `{"token_type":"access","sub":"lxfJ","nbf":1699999000,"exp":1700003600}`
	sign := func(c Claims) string {
		tok, err := SignJWT(testKey, c)
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	with := func(f func(*Claims)) string {
		c := testClaims()
		f(&c)
		return sign(c)
	}
	// The signature is 32 bytes: 43 characters whose last carries two unused
	// bits. Toggling one gives a second spelling of the same bytes.
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	sig := parts[2]
	respelt := parts[0] + "." + parts[1] + "." + sig[:len(sig)-1] +
		string(alphabet[strings.IndexByte(alphabet, sig[len(sig)-1])^1])
	if a, b := mustDecode(t, sig), mustDecode(t, respelt[len(parts[0])+len(parts[1])+2:]); !bytes.Equal(a, b) {
		t.Fatal("respelt signature decodes to different bytes; the case tests nothing")
	}

	tests := []struct {
		name  string
		token string
		key   []byte
		kind  errs.Kind
	}{
		{"empty", "", testKey, errs.Unauthenticated},
		{"one part", parts[0], testKey, errs.Unauthenticated},
		{"two parts", parts[0] + "." + parts[1], testKey, errs.Unauthenticated},
		{"four parts", good + ".x", testKey, errs.Unauthenticated},
		{"alg none", craft(testKey, `{"alg":"none","typ":"JWT"}`, payload, sha256.New), testKey, errs.Unauthenticated},
		{"alg none empty sig", base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"none","typ":"JWT"}`)) + "." + parts[1] + ".", testKey, errs.Unauthenticated},
		{"alg RS256 with HMAC", craft(testKey, `{"alg":"RS256","typ":"JWT"}`, payload, sha256.New), testKey, errs.Unauthenticated},
		{"alg HS512", craft(testKey, `{"alg":"HS512","typ":"JWT"}`, payload, sha512.New), testKey, errs.Unauthenticated},
		{"alg hs256 lower", craft(testKey, `{"alg":"hs256","typ":"JWT"}`, payload, sha256.New), testKey, errs.Unauthenticated},
		{"header reordered", craft(testKey, `{"typ":"JWT","alg":"HS256"}`, payload, sha256.New), testKey, errs.Unauthenticated},
		{"header extra field", craft(testKey, `{"alg":"HS256","typ":"JWT","kid":"1"}`, payload, sha256.New), testKey, errs.Unauthenticated},
		{"flip header", flip(parts[0], 5) + "." + parts[1] + "." + parts[2], testKey, errs.Unauthenticated},
		{"flip payload", parts[0] + "." + flip(parts[1], 10) + "." + parts[2], testKey, errs.Unauthenticated},
		{"flip signature", parts[0] + "." + parts[1] + "." + flip(parts[2], 3), testKey, errs.Unauthenticated},
		{"signature respelt", respelt, testKey, errs.Unauthenticated},
		{"signature padded", good + "=", testKey, errs.Unauthenticated},
		{"newline in signature", parts[0] + "." + parts[1] + "." + parts[2][:10] + "\n" + parts[2][10:], testKey, errs.Unauthenticated},
		{"CR in payload", parts[0] + "." + parts[1][:10] + "\r" + parts[1][10:] + "." + parts[2], testKey, errs.Unauthenticated},
		{"newline in header", parts[0][:10] + "\n" + parts[0][10:] + "." + parts[1] + "." + parts[2], testKey, errs.Unauthenticated},
		{"signature std alphabet", parts[0] + "." + parts[1] + "." + strings.NewReplacer("-", "+", "_", "/").Replace(parts[2]) + "+", testKey, errs.Unauthenticated},
		{"signature dropped", parts[0] + "." + parts[1] + ".", testKey, errs.Unauthenticated},
		{"wrong key", good, []byte("other-key"), errs.Unauthenticated},
		{"empty key", craft(nil, `{"alg":"HS256","typ":"JWT"}`, payload, sha256.New), nil, errs.Unauthenticated},
		{"payload not JSON", craft(testKey, `{"alg":"HS256","typ":"JWT"}`, `not json`, sha256.New), testKey, errs.Unauthenticated},
		{"payload wrong types", craft(testKey, `{"alg":"HS256","typ":"JWT"}`, `{"exp":"soon"}`, sha256.New), testKey, errs.Unauthenticated},
		{"payload float exp", craft(testKey, `{"alg":"HS256","typ":"JWT"}`, `{"exp":1700003600.5}`, sha256.New), testKey, errs.Unauthenticated},
		{"no exp", with(func(c *Claims) { c.Expires = 0 }), testKey, errs.Unauthenticated},
		{"nbf in future", with(func(c *Claims) { c.NotBefore = testNow.Unix() + 1 }), testKey, errs.Unauthenticated},
		{"expired at exp", with(func(c *Claims) { c.Expires = testNow.Unix() }), testKey, errs.Expired},
		{"expired before", with(func(c *Claims) { c.Expires = testNow.Unix() - 3600 }), testKey, errs.Expired},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseJWT(tt.key, tt.token, testNow)
			if err == nil {
				t.Fatalf("ParseJWT(%q) accepted", tt.token)
			}
			if !errors.Is(err, ErrInvalidCredential) {
				t.Errorf("error %v does not match ErrInvalidCredential", err)
			}
			if k := errs.KindOf(err); k != tt.kind {
				t.Errorf("kind = %v, want %v (%v)", k, tt.kind, err)
			}
		})
	}
}

// mustDecode decodes leniently, as a careless parser would.
func mustDecode(t *testing.T, s string) []byte {
	t.Helper()
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParseJWTBoundaries(t *testing.T) {
	tests := []struct {
		name     string
		nbf, exp int64
	}{
		{"last valid second", 0, testNow.Unix() + 1},
		{"nbf is now", testNow.Unix(), testNow.Unix() + 1},
		{"no nbf", 0, testNow.Unix() + 3600},
	}
	for _, tt := range tests {
		tok, err := SignJWT(testKey, Claims{TokenType: TypeAccess, Sub: "x", NotBefore: tt.nbf, Expires: tt.exp})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ParseJWT(testKey, tok, testNow); err != nil {
			t.Errorf("%s: %v", tt.name, err)
		}
	}
	// Sub-second: 0.9 s before exp is still valid, exp itself is not.
	tok, _ := SignJWT(testKey, Claims{Expires: testNow.Unix() + 1})
	if _, err := ParseJWT(testKey, tok, testNow.Add(900*time.Millisecond)); err != nil {
		t.Errorf("0.9 s before exp: %v", err)
	}
	if _, err := ParseJWT(testKey, tok, testNow.Add(time.Second)); !errs.Is(errs.Expired, err) {
		t.Errorf("at exp: %v, want Expired", err)
	}
}

func TestSignJWTEmptyKey(t *testing.T) {
	if _, err := SignJWT(nil, testClaims()); !errs.Is(errs.Internal, err) {
		t.Errorf("SignJWT(nil key) = %v, want Internal", err)
	}
}

// FuzzParseJWT checks that ParseJWT never panics, that every failure is an
// ErrInvalidCredential of kind Unauthenticated or Expired, and that whatever
// it accepts is unexpired and spelt exactly as SignJWT spells its claims
// (single-use refresh tokens rely on a token having one spelling).
// Seeds are in testdata/fuzz/FuzzParseJWT.
func FuzzParseJWT(f *testing.F) {
	f.Fuzz(func(t *testing.T, token string) {
		c, err := ParseJWT(testKey, token, testNow)
		if err != nil {
			if k := errs.KindOf(err); !errors.Is(err, ErrInvalidCredential) || (k != errs.Unauthenticated && k != errs.Expired) {
				t.Errorf("ParseJWT(%q) = %v (kind %v)", token, err, k)
			}
			return
		}
		if !testNow.Before(time.Unix(c.Expires, 0)) {
			t.Errorf("ParseJWT(%q) accepted an expired token", token)
		}
		if again, _ := SignJWT(testKey, c); again != token {
			t.Errorf("ParseJWT accepted %q, a second spelling of %q", token, again)
		}
	})
}

func BenchmarkSignJWT(b *testing.B) {
	c := testClaims()
	for b.Loop() {
		if _, err := SignJWT(testKey, c); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseJWT(b *testing.B) {
	tok, err := SignJWT(testKey, testClaims())
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseJWT(testKey, tok, testNow); err != nil {
			b.Fatal(err)
		}
	}
}
