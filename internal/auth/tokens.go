package auth

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strconv"
	"time"

	"github.com/google/uuid"

	"github.com/stratus-drive/stratus/internal/errs"
	"github.com/stratus-drive/stratus/internal/kv"
)

// A valid token used where the other type is required: a refresh token as
// an access token, or an access token at the refresh endpoint.
var (
	ErrNotAccessToken  = errs.NewSentinel(errs.Unauthenticated, "not an access token")
	ErrNotRefreshToken = errs.NewSentinel(errs.Unauthenticated, "not a refresh token")
)

// KV key prefixes. jwt_revoke_ is the reference's name, kept so that a
// revocation list shared with it means the same thing.
const (
	revokePrefix = "jwt_revoke_"
	usedPrefix   = "jwt_used_"
)

// revokeSlack outlives the last token of a family by a little, so that nodes
// whose clocks run slightly behind still see the revocation.
const revokeSlack = 10 * time.Second

// Pair is a freshly issued access and refresh token (the wire "token pair").
type Pair struct {
	AccessToken    string    `json:"access_token"`
	RefreshToken   string    `json:"refresh_token"`
	AccessExpires  time.Time `json:"access_expires"`
	RefreshExpires time.Time `json:"refresh_expires"`
}

// Tokens issues, refreshes and revokes sign-in token pairs. Refresh tokens
// are single-use: refreshing consumes the presented token, and presenting a
// consumed one again is taken as theft and revokes its whole sign-in family.
// Safe for concurrent use.
type Tokens struct {
	store kv.Store
	key   func() []byte
	now   func() time.Time
}

// NewTokens returns a token service keeping revocations and used refresh
// tokens in store. key returns the current signing key (the secret_key
// setting) on every call, so a changed key takes effect at once. now is the
// clock.
func NewTokens(store kv.Store, key func() []byte, now func() time.Time) *Tokens {
	return &Tokens{store: store, key: key, now: now}
}

// Issue signs a new pair for the user whose hashid is userHash. stateHash
// (see StateHash) goes into the refresh token. rootID names the sign-in
// family; "" starts a new family with a random UUID. Both TTLs must be at
// least two seconds: exp has whole-second precision, and a shorter TTL could
// yield a token that is never valid.
func (t *Tokens) Issue(userHash, stateHash string, accessTTL, refreshTTL time.Duration, rootID string) (Pair, error) {
	return t.issue(t.now(), userHash, stateHash, accessTTL, refreshTTL, rootID, nil)
}

// issue signs a pair at now; prev is the refresh token being exchanged, if
// any. Refreshing within the second prev was issued would sign the same
// claims again, and the new token, byte-identical to prev, would count as
// already used. So the new exp is then put a second before prev's: within one
// second a family's exps strictly decrease and no token repeats.
func (t *Tokens) issue(now time.Time, userHash, stateHash string, accessTTL, refreshTTL time.Duration,
	rootID string, prev *Claims) (Pair, error) {
	const op = "auth.Tokens.Issue"
	if accessTTL < 2*time.Second || refreshTTL < 2*time.Second {
		return Pair{}, errs.E(op, errs.Internal, "token TTL under two seconds")
	}
	if rootID == "" {
		id, err := uuid.NewRandom()
		if err != nil {
			return Pair{}, errs.E(op, errs.Internal, err)
		}
		rootID = id.String()
	}
	key := t.key()
	// exp is truncated to whole seconds and the returned times are built from
	// it, so a client refreshing at access_expires never holds an expired token.
	access := Claims{TokenType: TypeAccess, Sub: userHash, NotBefore: now.Unix(), Expires: now.Add(accessTTL).Unix()}
	refresh := Claims{TokenType: TypeRefresh, Sub: userHash, NotBefore: now.Unix(), Expires: now.Add(refreshTTL).Unix(),
		StateHash: stateHash, RootTokenID: rootID}
	if prev != nil && prev.NotBefore == refresh.NotBefore && refresh.Expires >= prev.Expires {
		refresh.Expires = prev.Expires - 1
	}
	at, err := SignJWT(key, access)
	if err != nil {
		return Pair{}, errs.E(op, err)
	}
	rt, err := SignJWT(key, refresh)
	if err != nil {
		return Pair{}, errs.E(op, err)
	}
	return Pair{
		AccessToken:    at,
		RefreshToken:   rt,
		AccessExpires:  time.Unix(access.Expires, 0),
		RefreshExpires: time.Unix(refresh.Expires, 0),
	}, nil
}

// ParseAccess validates an access token and returns its claims. A valid
// refresh token fails with ErrNotAccessToken; anything else that fails
// matches ErrInvalidCredential (see ParseJWT).
func (t *Tokens) ParseAccess(token string) (Claims, error) {
	const op = "auth.Tokens.ParseAccess"
	c, err := ParseJWT(t.key(), token, t.now())
	if err != nil {
		return Claims{}, errs.E(op, err)
	}
	if c.TokenType != TypeAccess {
		return Claims{}, errs.E(op, ErrNotAccessToken)
	}
	return c, nil
}

// Refresh exchanges a refresh token for a new pair in the same family.
// The token must be valid, of type refresh, carry a family that is not
// revoked, and carry the state hash that stateHashFor returns now for its
// subject. stateHashFor should fail with ErrInvalidCredential when the user
// is gone or not active; its errors are returned wrapped, keeping their kind.
//
// Beyond the reference, the presented token is consumed: it is recorded as
// used, with the time of its first use, until it would have expired.
// Presenting it again within reuseWindow of that first use (two tabs
// refreshing at once, a retry after a lost response) gets another pair of
// the same family. Later, it is taken as theft: the family is revoked and
// the call fails, so the legitimate holder has to sign in again, but so does
// a thief holding a copy, whichever of them refreshed first.
func (t *Tokens) Refresh(ctx context.Context, refreshToken string, accessTTL, refreshTTL, reuseWindow time.Duration,
	stateHashFor func(sub string) (string, error)) (Pair, error) {
	const op = "auth.Tokens.Refresh"
	now := t.now()
	c, err := ParseJWT(t.key(), refreshToken, now)
	if err != nil {
		return Pair{}, errs.E(op, err)
	}
	if c.TokenType != TypeRefresh {
		return Pair{}, errs.E(op, ErrNotRefreshToken)
	}
	if c.RootTokenID == "" || c.StateHash == "" {
		return Pair{}, errs.E(op, fmt.Errorf("%w: no family or state", ErrInvalidCredential))
	}
	_, revoked, err := t.store.Get(ctx, revokePrefix+c.RootTokenID)
	if err != nil {
		return Pair{}, errs.E(op, err)
	}
	if revoked {
		return Pair{}, errs.E(op, fmt.Errorf("%w: family revoked", ErrInvalidCredential))
	}
	want, err := stateHashFor(c.Sub)
	if err != nil {
		return Pair{}, errs.E(op, err)
	}
	if subtle.ConstantTimeCompare([]byte(c.StateHash), []byte(want)) != 1 {
		return Pair{}, errs.E(op, fmt.Errorf("%w: state changed", ErrInvalidCredential))
	}
	// SetNX records the first use, once, however many refreshes race;
	// keying on a digest keeps tokens out of the store.
	key := usedPrefix + tokenDigest(refreshToken)
	left := time.Unix(c.Expires, 0).Sub(now) + revokeSlack
	first, err := t.store.SetNX(ctx, key, []byte(strconv.FormatInt(now.UnixMilli(), 10)), left)
	if err != nil {
		return Pair{}, errs.E(op, err)
	}
	if !first {
		used, _, err := t.store.Get(ctx, key)
		if err != nil {
			return Pair{}, errs.E(op, err)
		}
		firstUse, perr := strconv.ParseInt(string(used), 10, 64)
		if perr != nil || now.Sub(time.UnixMilli(firstUse)) >= reuseWindow {
			if err := t.revokeFamily(ctx, c.RootTokenID, refreshTTL); err != nil {
				return Pair{}, errs.E(op, err)
			}
			return Pair{}, errs.E(op, fmt.Errorf("%w: refresh token reused; family revoked", ErrInvalidCredential))
		}
	}
	p, err := t.issue(now, c.Sub, want, accessTTL, refreshTTL, c.RootTokenID, &c)
	if err != nil {
		return Pair{}, errs.E(op, err)
	}
	return p, nil
}

// Revoke signs out the family of a refresh token, so that none of its
// refresh tokens works again; refreshTTL must be the current refresh TTL so
// that the revocation outlives every token of the family. An access token
// is accepted and revokes nothing (it expires on its own), as in the
// reference. A token that fails ParseJWT is an error.
func (t *Tokens) Revoke(ctx context.Context, token string, refreshTTL time.Duration) error {
	const op = "auth.Tokens.Revoke"
	c, err := ParseJWT(t.key(), token, t.now())
	if err != nil {
		return errs.E(op, err)
	}
	if c.TokenType != TypeRefresh {
		return nil
	}
	if c.RootTokenID == "" {
		return errs.E(op, fmt.Errorf("%w: no family", ErrInvalidCredential))
	}
	if err := t.revokeFamily(ctx, c.RootTokenID, refreshTTL); err != nil {
		return errs.E(op, err)
	}
	return nil
}

func (t *Tokens) revokeFamily(ctx context.Context, rootID string, refreshTTL time.Duration) error {
	return t.store.Set(ctx, revokePrefix+rootID, []byte{'1'}, refreshTTL+revokeSlack)
}

func tokenDigest(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// StateHash is the refresh-token state hash of conventions §11: standard
// base64 of SHA-256 over "<email>/<stored password hash>/<site ID>". It
// changes when the e-mail, the password or the site ID does, and with it
// every refresh token of the user stops working.
func StateHash(email, passwordHash, siteID string) string {
	sum := sha256.Sum256([]byte(email + "/" + passwordHash + "/" + siteID))
	return base64.StdEncoding.EncodeToString(sum[:])
}
