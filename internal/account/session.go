package account

import (
	"context"
	"strconv"
	"time"

	"github.com/google/uuid"
	"github.com/stratus-drive/stratus/internal/auth"
	"github.com/stratus-drive/stratus/internal/captcha"
	"github.com/stratus-drive/stratus/internal/drive"
	"github.com/stratus-drive/stratus/internal/errs"
	"github.com/stratus-drive/stratus/internal/hashid"
	"github.com/stratus-drive/stratus/internal/throttle"
)

// Login is a finished sign-in: the user with its group and a token pair.
type Login struct {
	User  *drive.User
	Token auth.Pair
}

// SignInResult is either a Login or, for accounts with 2FA, the ID of the
// pending 2FA session.
type SignInResult struct {
	Login            *Login
	TwoFactorSession string
}

// PrepareResult tells the sign-in page which methods an account has.
type PrepareResult struct {
	WebAuthnEnabled bool `json:"webauthn_enabled"`
	PasswordEnabled bool `json:"password_enabled"`
}

// CaptchaAnswer is what a client sends with a captcha-protected request.
type CaptchaAnswer struct {
	Captcha string
	Ticket  string
}

const twoFactorTTL = 600 * time.Second

// Prepare reports the sign-in methods of the account with email.
func (s *Service) Prepare(ctx context.Context, email string) (PrepareResult, error) {
	const op = "account.Prepare"
	u, err := s.db.UserByEmail(ctx, lookupEmail(email))
	if err != nil {
		return PrepareResult{}, errs.E(op, err)
	}
	// Passkeys arrive with their own issue; until then no account has one.
	return PrepareResult{PasswordEnabled: u.Password != ""}, nil
}

// NewCaptcha issues an image captcha challenge.
func (s *Service) NewCaptcha(ctx context.Context) (captcha.Challenge, error) {
	return s.captcha.Generate(ctx, s.captchaSettings())
}

func (s *Service) checkCaptcha(ctx context.Context, setting string, a CaptchaAnswer) error {
	if !s.settings.Bool(setting) {
		return nil
	}
	return s.captcha.Verify(ctx, s.captchaSettings(), a.Captcha, a.Ticket)
}

// RefuseSignIn is for a sign-in request the API refuses before calling
// SignIn (malformed or invalid body): it returns the captcha error when the
// captcha fails, spending the ticket, so that a wrong captcha masks other
// errors as Cloudreve's does; nil means the caller's own error stands.
func (s *Service) RefuseSignIn(ctx context.Context, ca CaptchaAnswer) error {
	return s.checkCaptcha(ctx, "login_captcha", ca)
}

// SignIn verifies an e-mail and password. Each attempt is counted before
// the password is checked (see Limits); only a right password gives it back.
func (s *Service) SignIn(ctx context.Context, clientIP, email, password string, ca CaptchaAnswer) (SignInResult, error) {
	const op = "account.SignIn"
	if err := s.checkCaptcha(ctx, "login_captcha", ca); err != nil {
		return SignInResult{}, errs.E(op, err)
	}
	email = lookupEmail(email)
	res, pair, err := s.reserveSignIn(ctx, email, clientIP)
	if err != nil {
		return SignInResult{}, errs.E(op, err)
	}
	u, err := s.checkPassword(ctx, email, password)
	if err != nil {
		if !errs.Is(errs.Unauthenticated, err) {
			res.Refund(ctx) // not a guess: the store failed
		}
		return SignInResult{}, errs.E(op, err)
	}
	// The right password: this was no guess, and the failures of this
	// address on this account are forgiven.
	res.Refund(ctx)
	s.throttle.Forget(ctx, pair)
	if err := checkStatus(u); err != nil {
		return SignInResult{}, errs.E(op, err)
	}
	if u.TwoFactorSecret != "" {
		sid := uuid.NewString()
		if err := s.kv.Set(ctx, "user_2fa_"+sid, []byte(strconv.Itoa(u.ID)), twoFactorTTL); err != nil {
			return SignInResult{}, errs.E(op, errs.Unavailable, err)
		}
		return SignInResult{TwoFactorSession: sid}, nil
	}
	login, err := s.issue(ctx, u)
	if err != nil {
		return SignInResult{}, errs.E(op, err)
	}
	return SignInResult{Login: login}, nil
}

// reserveSignIn counts one sign-in attempt of email from clientIP against
// the limits (see Limits), waiting first when the account is past its free
// attempts. The caller refunds the reservation and forgets pair on success.
func (s *Service) reserveSignIn(ctx context.Context, email, clientIP string) (*throttle.Reservation, string, error) {
	pair := throttle.Key("signin_acct_addr", email, clientIP)
	res, err := s.throttle.Reserve(ctx,
		throttle.Bucket{Key: pair, Limit: s.limits.PerAccount, Window: s.limits.Window},
		throttle.Bucket{Key: throttle.Key("signin_addr", clientIP), Limit: s.limits.PerIP, Window: s.limits.Window},
		throttle.Bucket{Key: throttle.Key("signin_acct", email), Window: s.limits.Window})
	if err != nil {
		return nil, "", err
	}
	if free := s.limits.AccountFree; free > 0 {
		if err := throttle.Wait(ctx, throttle.Backoff(res.Counts[2], free, accountDelayStep, accountDelayMax)); err != nil {
			res.Refund(ctx)
			return nil, "", err
		}
	}
	return res, pair, nil
}

// checkPassword finds the account and verifies the password, upgrading a
// legacy or outdated hash on success. Unknown accounts cost the same time as
// known ones and fail the same way.
func (s *Service) checkPassword(ctx context.Context, email, password string) (*drive.User, error) {
	u, err := s.db.UserByEmail(ctx, email)
	if errs.Is(errs.NotExist, err) {
		auth.DummyVerify(password)
		return nil, ErrInvalidCredentials
	}
	if err != nil {
		return nil, err
	}
	ok, rehash := auth.VerifyPassword(u.Password, password)
	if !ok {
		return nil, ErrInvalidCredentials
	}
	if rehash {
		if h, err := auth.HashPassword(password); err == nil {
			if err := s.db.SetUserPassword(ctx, u.ID, h); err == nil {
				u.Password = h
			} else {
				s.log.Warn("upgrading password hash failed", "user", u.ID, "err", err)
			}
		}
	}
	return u, nil
}

func checkStatus(u *drive.User) error {
	switch {
	case u.Status.IsBanned():
		return ErrUserBanned
	case u.Status == drive.StatusInactive:
		return ErrUserNotActivated
	}
	return nil
}

// SignInTwoFactor finishes a sign-in that needed a TOTP code. A wrong code
// leaves the session usable until it expires.
func (s *Service) SignInTwoFactor(ctx context.Context, sessionID, code string) (*Login, error) {
	const op = "account.SignInTwoFactor"
	key := "user_2fa_" + sessionID
	// Each code is counted before it is checked: six digits must not be
	// guessable by a burst.
	if _, err := s.throttle.Reserve(ctx, throttle.Bucket{Key: throttle.Key("2fa", sessionID),
		Limit: s.limits.PerAccount, Window: s.limits.Window}); err != nil {
		return nil, errs.E(op, err)
	}
	raw, ok, err := s.kv.Get(ctx, key)
	if err != nil {
		return nil, errs.E(op, errs.Unavailable, err)
	}
	if !ok {
		return nil, errs.E(op, ErrTwoFactorSession)
	}
	id, _ := strconv.Atoi(string(raw))
	u, err := s.db.UserByID(ctx, id)
	if errs.Is(errs.NotExist, err) {
		return nil, errs.E(op, ErrTwoFactorSession)
	} else if err != nil {
		return nil, errs.E(op, err)
	}
	if u.TwoFactorSecret == "" || !auth.VerifyTOTP(u.TwoFactorSecret, code, s.now()) {
		return nil, errs.E(op, ErrTwoFactorIncorrect)
	}
	if err := checkStatus(u); err != nil {
		return nil, errs.E(op, err)
	}
	// Take makes the session single-use even if two correct codes race.
	if _, ok, err := s.kv.Take(ctx, key); err != nil || !ok {
		return nil, errs.E(op, ErrTwoFactorSession)
	}
	login, err := s.issue(ctx, u)
	if err != nil {
		return nil, errs.E(op, err)
	}
	return login, nil
}

// issue starts a new sign-in family for u.
func (s *Service) issue(ctx context.Context, u *drive.User) (*Login, error) {
	if _, err := s.withGroup(ctx, u); err != nil {
		return nil, err
	}
	pair, err := s.tokens.Issue(s.ids.Encode(u.ID, hashid.User), s.stateHash(u),
		s.settings.Seconds("access_token_ttl"), s.settings.Seconds("refresh_token_ttl"), "")
	if err != nil {
		return nil, err
	}
	return &Login{User: u, Token: pair}, nil
}

func (s *Service) stateHash(u *drive.User) string {
	return auth.StateHash(u.Email, u.Password, s.settings.String("siteID"))
}

// Refresh exchanges a refresh token for a new pair of the same family. The
// presented token is consumed; it works again only within the site's
// refresh_token_reuse_window of its first use.
func (s *Service) Refresh(ctx context.Context, refreshToken string) (auth.Pair, error) {
	const op = "account.Refresh"
	pair, err := s.tokens.Refresh(ctx, refreshToken,
		s.settings.Seconds("access_token_ttl"), s.settings.Seconds("refresh_token_ttl"),
		s.settings.Seconds("refresh_token_reuse_window"),
		func(sub string) (string, error) {
			id, err := s.ids.Decode(sub, hashid.User)
			if err != nil {
				return "", auth.ErrInvalidCredential
			}
			u, err := s.db.UserByID(ctx, id)
			if errs.Is(errs.NotExist, err) {
				return "", auth.ErrInvalidCredential
			} else if err != nil {
				return "", err
			}
			if u.Status != drive.StatusActive {
				return "", auth.ErrInvalidCredential
			}
			return s.stateHash(u), nil
		})
	if err != nil {
		return auth.Pair{}, errs.E(op, err)
	}
	return pair, nil
}

// SignOut revokes the sign-in family of a refresh token.
func (s *Service) SignOut(ctx context.Context, token string) error {
	const op = "account.SignOut"
	if err := s.tokens.Revoke(ctx, token, s.settings.Seconds("refresh_token_ttl")); err != nil {
		return errs.E(op, err)
	}
	return nil
}

// ResolveActor turns a bearer access token into the acting user. An empty
// token is the anonymous user; a bad token is an error, so that routes that
// need a session can refuse it instead of silently treating it as anonymous.
func (s *Service) ResolveActor(ctx context.Context, bearer string) (drive.Actor, error) {
	const op = "account.ResolveActor"
	if bearer == "" {
		u, err := s.Anonymous(ctx)
		return drive.Actor{User: u}, err
	}
	claims, err := s.tokens.ParseAccess(bearer)
	if err != nil {
		return drive.Actor{}, errs.E(op, err)
	}
	id, err := s.ids.Decode(claims.Sub, hashid.User)
	if err != nil {
		return drive.Actor{}, errs.E(op, errs.Unauthenticated, err)
	}
	u, err := s.db.UserByID(ctx, id)
	if errs.Is(errs.NotExist, err) {
		return drive.Actor{}, errs.E(op, ErrNotSignedIn)
	} else if err != nil {
		return drive.Actor{}, errs.E(op, err)
	}
	if err := checkStatus(u); err != nil {
		return drive.Actor{}, errs.E(op, err)
	}
	if _, err := s.withGroup(ctx, u); err != nil {
		return drive.Actor{}, errs.E(op, err)
	}
	return drive.Actor{User: u, Scopes: claims.Scopes, ClientID: claims.ClientID}, nil
}

// lookupEmail is the stored form of an e-mail typed at sign-in or reset; an
// unacceptable address keeps a normalised form that matches no account.
func lookupEmail(e string) string {
	n, _ := drive.NormalizeEmail(e)
	return n
}
