// Package account owns users and groups as the people using the site see
// them: sign-up, sign-in sessions and tokens, profiles, preferences, avatars
// and capacity. Every method that acts for someone takes the acting user.
package account

import (
	"context"
	"log/slog"
	"net"
	"time"

	"github.com/stratus-drive/stratus/internal/auth"
	"github.com/stratus-drive/stratus/internal/captcha"
	"github.com/stratus-drive/stratus/internal/drive"
	"github.com/stratus-drive/stratus/internal/errs"
	"github.com/stratus-drive/stratus/internal/hashid"
	"github.com/stratus-drive/stratus/internal/kv"
	"github.com/stratus-drive/stratus/internal/safedial"
	"github.com/stratus-drive/stratus/internal/setting"
	"github.com/stratus-drive/stratus/internal/storage"
	"github.com/stratus-drive/stratus/internal/store"
	"github.com/stratus-drive/stratus/internal/throttle"
)

// Conditions that Cloudreve gives their own codes.
var (
	ErrInvalidCredentials = errs.NewSentinel(errs.Unauthenticated, "wrong e-mail or password")
	ErrUserBanned         = errs.NewSentinel(errs.Permission, "account is banned")
	ErrUserNotActivated   = errs.NewSentinel(errs.Permission, "account is not activated")
	ErrRegisterDisabled   = errs.NewSentinel(errs.Unsupported, "registration is disabled")
	ErrEmailExists        = errs.NewSentinel(errs.Exist, "e-mail already in use")
	ErrEmailInactive      = errs.NewSentinel(errs.Exist, "account exists but is not activated")
	ErrEmailDomainBanned  = errs.NewSentinel(errs.Permission, "e-mail provider not allowed")
	ErrUserNotFound       = errs.NewSentinel(errs.NotExist, "user not found")
	ErrIncorrectPassword  = errs.NewSentinel(errs.Unauthenticated, "current password is incorrect")
	ErrTwoFactorIncorrect = errs.NewSentinel(errs.Unauthenticated, "2FA code is incorrect")
	ErrTwoFactorSession   = errs.NewSentinel(errs.NotExist, "sign-in session not found or expired")
	ErrTwoFactorNotInit   = errs.NewSentinel(errs.Internal, "no pending 2FA secret")
	ErrAvatarTooLarge     = errs.NewSentinel(errs.TooLarge, "avatar image too large")
	ErrNotSignedIn        = errs.NewSentinel(errs.Unauthenticated, "login required")
)

// Service implements account operations.
type Service struct {
	db       *store.DB
	settings *setting.Service
	kv       kv.Store
	tokens   *auth.Tokens
	captcha  *captcha.Service
	ids      *hashid.Codec
	log      *slog.Logger
	avatars  storage.Driver
	now      func() time.Time
	limits   Limits
	throttle *throttle.Limiter
	dial     func(ctx context.Context, network, addr string) (net.Conn, error) // for SMTP
}

// Limits are the sign-in throttles. Attempts are counted before the password
// is checked (package throttle), so a burst cannot outrun them. Nobody can
// lock an account by knowing its e-mail: the hard limit is per account *and*
// address, so its owner's own address keeps working; attempts on one account
// from everywhere only slow down, each past AccountFree waiting a little
// longer (up to 5 s) before its password is checked.
type Limits struct {
	PerAccount  int           // failed sign-ins per (account, client address) per Window
	PerIP       int           // failed sign-ins per client address per Window, any account
	AccountFree int           // sign-ins per account per Window, any address, before the delay starts; 0 = no delay
	Window      time.Duration // counting window
}

// DefaultLimits are used unless a test overrides them.
var DefaultLimits = Limits{PerAccount: 10, PerIP: 50, AccountFree: 20, Window: time.Minute}

// The growing delay of sign-ins on an account past Limits.AccountFree.
const (
	accountDelayStep = 250 * time.Millisecond
	accountDelayMax  = 5 * time.Second
)

// Deps are the collaborators of the service.
type Deps struct {
	DB       *store.DB
	Settings *setting.Service
	KV       kv.Store
	IDs      *hashid.Codec
	Log      *slog.Logger
	// Avatars stores uploaded avatars, one PNG per user under
	// avatar_<id>.png, so that every process sharing it serves them.
	Avatars storage.Driver
	// Dialer makes every outgoing connection (captcha verifiers, SMTP);
	// nil refuses every non-public address.
	Dialer *safedial.Dialer
	Now    func() time.Time
	Limits Limits
}

// New builds the service.
func New(d Deps) *Service {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Limits == (Limits{}) {
		d.Limits = DefaultLimits
	}
	if d.Dialer == nil {
		d.Dialer = safedial.New(nil)
	}
	s := &Service{db: d.DB, settings: d.Settings, kv: d.KV, ids: d.IDs, log: d.Log,
		now: d.Now, limits: d.Limits, throttle: throttle.New(d.KV, d.Log)}
	s.tokens = auth.NewTokens(d.KV, d.Settings.SecretKey, d.Now)
	s.captcha = captcha.New(d.KV, d.Dialer.HTTPClient(10*time.Second))
	s.dial = d.Dialer.DialContext
	s.avatars = d.Avatars
	return s
}

// withGroup loads u's group.
func (s *Service) withGroup(ctx context.Context, u *drive.User) (*drive.User, error) {
	g, err := s.db.Group(ctx, u.GroupID)
	if err != nil {
		return nil, err
	}
	u.Group = g
	return u, nil
}

// Anonymous returns the signed-out user with the anonymous group loaded.
func (s *Service) Anonymous(ctx context.Context) (*drive.User, error) {
	return s.withGroup(ctx, &drive.User{ID: drive.AnonymousUserID, GroupID: drive.AnonymousGroupID})
}

// userByEmail finds an account by e-mail in any letter case; a missing one
// is ErrUserNotFound.
func (s *Service) userByEmail(ctx context.Context, email string) (*drive.User, error) {
	u, err := s.db.UserByEmail(ctx, lookupEmail(email))
	if errs.Is(errs.NotExist, err) {
		return nil, ErrUserNotFound
	}
	return u, err
}
