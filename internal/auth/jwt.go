package auth

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/stratus-drive/stratus/internal/errs"
)

// Token types, the values of Claims.TokenType.
const (
	TypeAccess  = "access"
	TypeRefresh = "refresh"
)

// Claims is the payload of a Stratus token (conventions §11). There is
// deliberately no iat, jti or iss: the wire contract has none.
type Claims struct {
	TokenType   string   `json:"token_type"`
	Sub         string   `json:"sub"` // the user's hashid
	NotBefore   int64    `json:"nbf"` // Unix seconds
	Expires     int64    `json:"exp"` // Unix seconds
	StateHash   string   `json:"state_hash,omitempty"`
	RootTokenID string   `json:"root_token_id,omitempty"`
	Scopes      []string `json:"scopes,omitempty"`
	ClientID    string   `json:"client_id,omitempty"`
}

// ErrInvalidCredential means a token is malformed, badly signed, expired,
// revoked, replayed or no longer matches its user; the client should sign in
// again. Errors for an expired token carry Kind Expired and still match this
// sentinel with errors.Is.
var ErrInvalidCredential = errs.NewSentinel(errs.Unauthenticated, "credential invalid or expired")

// b64 is JWT base64url without padding. Decode with decodeCanonical.
var b64 = base64.RawURLEncoding.Strict()

// decodeCanonical decodes s and insists that s is the one spelling of the
// result. encoding/base64 skips \r and \n and, unless Strict, ignores the
// unused trailing bits; either would give a token several spellings, and a
// stolen refresh token could be replayed under a new one past the
// single-use record, which is keyed by the token text.
func decodeCanonical(enc *base64.Encoding, s string) ([]byte, error) {
	b, err := enc.DecodeString(s)
	if err != nil {
		return nil, err
	}
	if enc.EncodedLen(len(b)) != len(s) {
		return nil, errNotCanonical
	}
	return b, nil
}

var errNotCanonical = errors.New("auth: base64 not in canonical form")

// jwtHeader is the only header Stratus writes or accepts, already encoded.
// golang-jwt, which Cloudreve uses, writes the same bytes, so tokens issued
// by a Cloudreve install with the same secret_key keep working.
var jwtHeader = b64.EncodeToString([]byte(`{"alg":"HS256","typ":"JWT"}`))

// SignJWT returns an HS256 token over claims. An empty key is refused: it
// would sign tokens anyone can forge.
func SignJWT(key []byte, claims Claims) (string, error) {
	const op = "auth.SignJWT"
	if len(key) == 0 {
		return "", errs.E(op, errs.Internal, "empty signing key")
	}
	payload, err := json.Marshal(claims)
	if err != nil {
		return "", errs.E(op, errs.Internal, err)
	}
	signed := jwtHeader + "." + b64.EncodeToString(payload)
	return signed + "." + b64.EncodeToString(mac(key, signed)), nil
}

// ParseJWT checks token's header, signature and validity period at now and
// returns its claims. The header must be exactly {"alg":"HS256","typ":"JWT"}
// (so "none", RS256 and the rest are refused before any other work), the
// signature must match under key, exp must be present and after now, and
// nbf, when set, must not be after now; there is no leeway.
//
// Every failure matches ErrInvalidCredential; its Kind is Expired for a
// token past exp and Unauthenticated otherwise. ParseJWT does not look at
// token_type: callers do.
func ParseJWT(key []byte, token string, now time.Time) (Claims, error) {
	const op = "auth.ParseJWT"
	bad := func(why string) (Claims, error) {
		return Claims{}, errs.E(op, errs.Unauthenticated, fmt.Errorf("%w: %s", ErrInvalidCredential, why))
	}
	header, rest, ok := strings.Cut(token, ".")
	if !ok || header != jwtHeader {
		return bad("unsupported header")
	}
	payload, sig, ok := strings.Cut(rest, ".")
	if !ok || strings.Contains(sig, ".") {
		return bad("malformed")
	}
	if len(key) == 0 {
		return bad("empty key")
	}
	got, err := decodeCanonical(b64, sig)
	if err != nil || !hmac.Equal(got, mac(key, token[:len(header)+1+len(payload)])) {
		return bad("bad signature")
	}
	raw, err := decodeCanonical(b64, payload)
	if err != nil {
		return bad("malformed payload")
	}
	var c Claims
	if err := json.Unmarshal(raw, &c); err != nil {
		return bad("malformed claims")
	}
	if c.Expires == 0 {
		return bad("no exp")
	}
	if !now.Before(time.Unix(c.Expires, 0)) {
		return Claims{}, errs.E(op, errs.Expired, fmt.Errorf("%w: expired", ErrInvalidCredential))
	}
	if c.NotBefore != 0 && now.Before(time.Unix(c.NotBefore, 0)) {
		return bad("not valid yet")
	}
	return c, nil
}

func mac(key []byte, msg string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(msg))
	return m.Sum(nil)
}
