package account

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/stratus-drive/stratus/internal/auth"
	"github.com/stratus-drive/stratus/internal/drive"
	"github.com/stratus-drive/stratus/internal/errs"
	"github.com/stratus-drive/stratus/internal/hashid"
	"github.com/stratus-drive/stratus/internal/store"
	"github.com/stratus-drive/stratus/internal/throttle"
)

// Capacity is a user's quota and usage in bytes.
type Capacity struct {
	Total int64 `json:"total"`
	Used  int64 `json:"used"`
}

// Me returns the actor's own account with its group.
func (s *Service) Me(ctx context.Context, actor drive.Actor) (*drive.User, error) {
	const op = "account.Me"
	if actor.IsAnonymous() {
		return nil, errs.E(op, ErrNotSignedIn)
	}
	u, err := s.db.UserByID(ctx, actor.User.ID)
	if err != nil {
		return nil, errs.E(op, err)
	}
	if _, err := s.withGroup(ctx, u); err != nil {
		return nil, errs.E(op, err)
	}
	return u, nil
}

// Info returns any user by public ID, for redacted display.
func (s *Service) Info(ctx context.Context, publicID string) (*drive.User, error) {
	const op = "account.Info"
	id, err := s.ids.Decode(publicID, hashid.User)
	if err != nil {
		return nil, errs.E(op, err)
	}
	if id == drive.AnonymousUserID {
		return s.Anonymous(ctx)
	}
	u, err := s.db.UserByID(ctx, id)
	if errs.Is(errs.NotExist, err) {
		return nil, errs.E(op, ErrUserNotFound)
	} else if err != nil {
		return nil, errs.E(op, err)
	}
	if _, err := s.withGroup(ctx, u); err != nil {
		return nil, errs.E(op, err)
	}
	return u, nil
}

// ExposeEmail reports whether other users' e-mails may be shown to the
// actor (signed in, and the site allows it).
func (s *Service) ExposeEmail(actor drive.Actor) bool {
	return !actor.IsAnonymous() && s.settings.Bool("expose_user_email")
}

// Search finds active users whose e-mail or nickname contains keyword.
func (s *Service) Search(ctx context.Context, actor drive.Actor, keyword string) ([]*drive.User, error) {
	const op = "account.Search"
	if actor.IsAnonymous() {
		return nil, errs.E(op, ErrNotSignedIn)
	}
	if utf8.RuneCountInString(keyword) < 2 {
		return nil, errs.E(op, errs.Invalid, "Keyword too short")
	}
	users, err := s.db.SearchUsers(ctx, keyword, 10)
	if err != nil {
		return nil, errs.E(op, err)
	}
	return users, nil
}

// Capacity returns the actor's quota and usage.
func (s *Service) Capacity(ctx context.Context, actor drive.Actor) (Capacity, error) {
	const op = "account.Capacity"
	u, err := s.Me(ctx, actor)
	if err != nil {
		return Capacity{}, errs.E(op, err)
	}
	return Capacity{Total: u.Group.MaxStorage, Used: u.Storage}, nil
}

// Preferences is what GET /user/setting shows.
type Preferences struct {
	VersionRetentionEnabled bool     `json:"version_retention_enabled"`
	VersionRetentionExt     []string `json:"version_retention_ext,omitempty"`
	VersionRetentionMax     int      `json:"version_retention_max,omitempty"`
	Passwordless            bool     `json:"passwordless"`
	TwoFAEnabled            bool     `json:"two_fa_enabled"`
	DisableViewSync         bool     `json:"disable_view_sync"`
	ShareLinksInProfile     string   `json:"share_links_in_profile"`
}

// Preferences returns the actor's settings page.
func (s *Service) Preferences(ctx context.Context, actor drive.Actor) (Preferences, error) {
	const op = "account.Preferences"
	u, err := s.Me(ctx, actor)
	if err != nil {
		return Preferences{}, errs.E(op, err)
	}
	st := u.Settings
	return Preferences{
		VersionRetentionEnabled: st.VersionRetention,
		VersionRetentionExt:     st.VersionRetentionExt,
		VersionRetentionMax:     st.VersionRetentionMax,
		Passwordless:            u.Password == "",
		TwoFAEnabled:            u.TwoFactorSecret != "",
		DisableViewSync:         st.DisableViewSync,
		ShareLinksInProfile:     st.ShareLinksInProfile,
	}, nil
}

// maxRetentionExts bounds the version retention extension list.
const maxRetentionExts = 256

// SettingsPatch is a PATCH /user/setting body; nil fields stay unchanged.
type SettingsPatch struct {
	Nick                    *string   `json:"nick"`
	Language                *string   `json:"language"`
	PreferredTheme          *string   `json:"preferred_theme"`
	VersionRetentionEnabled *bool     `json:"version_retention_enabled"`
	VersionRetentionExt     *[]string `json:"version_retention_ext"`
	VersionRetentionMax     *int      `json:"version_retention_max"`
	CurrentPassword         *string   `json:"current_password"`
	NewPassword             *string   `json:"new_password"`
	TwoFAEnabled            *bool     `json:"two_fa_enabled"`
	TwoFACode               *string   `json:"two_fa_code"`
	DisableViewSync         *bool     `json:"disable_view_sync"`
	ShareLinksInProfile     *string   `json:"share_links_in_profile"`
}

// ChangesSecurity reports whether the patch touches the password or 2FA,
// which scoped tokens need UserSecurityInfo.Write for.
func (p SettingsPatch) ChangesSecurity() bool {
	return (p.CurrentPassword != nil && p.NewPassword != nil) || p.TwoFAEnabled != nil
}

var colorRe = regexp.MustCompile(`^(#[0-9a-fA-F]{3,8}|(rgb|rgba|hsl|hsla)\([0-9.,%\s]+\))$`)

// UpdateSettings validates the whole patch first and then applies it in one
// transaction, so a failed request changes nothing.
func (s *Service) UpdateSettings(ctx context.Context, actor drive.Actor, p SettingsPatch) error {
	const op = "account.UpdateSettings"
	u, err := s.Me(ctx, actor)
	if err != nil {
		return errs.E(op, err)
	}
	// The patch is checked here and applied to the document as it is in
	// the transaction, so that a pin or view change made meanwhile stays.
	var nick *string
	if p.Nick != nil {
		n := strings.TrimSpace(*p.Nick)
		if c := utf8.RuneCountInString(n); c < 1 || c > 100 || !utf8.ValidString(n) || hasControl(n) || hasHidden(n) {
			return errs.E(op, errs.Invalid, "Nickname invalid")
		}
		nick = &n
	}
	if p.Language != nil {
		if c := len(*p.Language); c < 1 || c > 255 {
			return errs.E(op, errs.Invalid, "Language invalid")
		}
	}
	if p.PreferredTheme != nil && !colorRe.MatchString(*p.PreferredTheme) {
		return errs.E(op, errs.Invalid, "Preferred theme must be a color")
	}
	if p.VersionRetentionExt != nil {
		if len(*p.VersionRetentionExt) > maxRetentionExts {
			return errs.E(op, errs.Invalid, "Too many version retention extensions")
		}
		for _, ext := range *p.VersionRetentionExt {
			if len(ext) > 64 || !utf8.ValidString(ext) || hasControl(ext) {
				return errs.E(op, errs.Invalid, "Version retention extension invalid")
			}
		}
	}
	if p.VersionRetentionMax != nil && *p.VersionRetentionMax < 0 {
		return errs.E(op, errs.Invalid, "Version retention max must not be negative")
	}
	if p.ShareLinksInProfile != nil {
		switch *p.ShareLinksInProfile {
		case "", "all_share", "hide_share":
		default:
			return errs.E(op, errs.Invalid, "share_links_in_profile must be \"\", all_share or hide_share")
		}
	}
	apply := func(n *string, st *drive.UserSettings) error {
		setIf(n, nick)
		setIf(&st.Language, p.Language)
		setIf(&st.PreferredTheme, p.PreferredTheme)
		setIf(&st.VersionRetention, p.VersionRetentionEnabled)
		setIf(&st.VersionRetentionExt, p.VersionRetentionExt)
		setIf(&st.VersionRetentionMax, p.VersionRetentionMax)
		setIf(&st.DisableViewSync, p.DisableViewSync)
		setIf(&st.ShareLinksInProfile, p.ShareLinksInProfile)
		if err := drive.CheckSettingsSize(*st); err != nil {
			return errs.E(op, errs.Invalid, err)
		}
		return nil
	}
	newHash := ""
	if p.CurrentPassword != nil && p.NewPassword != nil {
		if u.Password == "" {
			return errs.E(op, ErrIncorrectPassword)
		}
		// A stolen session must not become a way to guess the password.
		res, err := s.throttle.Reserve(ctx, throttle.Bucket{Key: throttle.Key("current_password",
			strconv.Itoa(u.ID)), Limit: s.limits.PerAccount, Window: s.limits.Window})
		if err != nil {
			return errs.E(op, err)
		}
		if ok, _ := auth.VerifyPassword(u.Password, *p.CurrentPassword); !ok {
			return errs.E(op, ErrIncorrectPassword)
		}
		res.Refund(ctx)
		if err := validatePassword(*p.NewPassword); err != nil {
			return errs.E(op, err)
		}
		if newHash, err = auth.HashPassword(*p.NewPassword); err != nil {
			return errs.E(op, errs.Internal, err)
		}
	}
	twoFA, setTwoFA := "", false
	if p.TwoFAEnabled != nil {
		if p.TwoFACode == nil {
			return errs.E(op, errs.Invalid, "two_fa_code cannot be empty")
		}
		if twoFA, err = s.checkTwoFactorChange(ctx, u, *p.TwoFAEnabled, *p.TwoFACode); err != nil {
			return errs.E(op, err)
		}
		setTwoFA = true
	}
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		if err := tx.ModifyUserProfile(ctx, u.ID, apply); err != nil {
			return err
		}
		if newHash != "" {
			if err := tx.SetUserPassword(ctx, u.ID, newHash); err != nil {
				return err
			}
		}
		if setTwoFA {
			return tx.SetUserTwoFactor(ctx, u.ID, twoFA)
		}
		return nil
	})
	if err != nil {
		return errs.E(op, err)
	}
	return nil
}

// setIf copies *from to *to when from is set.
func setIf[T any](to, from *T) {
	if from != nil {
		*to = *from
	}
}

func hasHidden(s string) bool { _, found := drive.HiddenRune(s); return found }

// checkTwoFactorChange returns the secret to store: the pending one when
// enabling, "" when disabling, after the code proves possession.
func (s *Service) checkTwoFactorChange(ctx context.Context, u *drive.User, enable bool, code string) (string, error) {
	// Six digits must not be guessable with a stolen session: each code is
	// counted before it is checked, like sign-in's.
	if _, err := s.throttle.Reserve(ctx, throttle.Bucket{Key: throttle.Key("2fa_change", strconv.Itoa(u.ID)),
		Limit: s.limits.PerAccount, Window: s.limits.Window}); err != nil {
		return "", err
	}
	if !enable {
		if u.TwoFactorSecret == "" || !auth.VerifyTOTP(u.TwoFactorSecret, code, s.now()) {
			return "", ErrTwoFactorIncorrect
		}
		return "", nil
	}
	pending, ok, err := s.kv.Get(ctx, twoFactorInitKey(u.ID))
	if err != nil {
		return "", errs.E("account.checkTwoFactorChange", errs.Unavailable, err)
	}
	if !ok {
		return "", ErrTwoFactorNotInit
	}
	if !auth.VerifyTOTP(string(pending), code, s.now()) {
		return "", ErrTwoFactorIncorrect
	}
	return string(pending), nil
}

// PrepareTwoFactor makes a new pending TOTP secret for the actor.
func (s *Service) PrepareTwoFactor(ctx context.Context, actor drive.Actor) (string, error) {
	const op = "account.PrepareTwoFactor"
	if actor.IsAnonymous() {
		return "", errs.E(op, ErrNotSignedIn)
	}
	secret := auth.NewTOTPSecret()
	if err := s.kv.Set(ctx, twoFactorInitKey(actor.User.ID), []byte(secret), twoFactorTTL); err != nil {
		return "", errs.E(op, errs.Unavailable, err)
	}
	return secret, nil
}

func twoFactorInitKey(uid int) string { return "2fa_init_" + itoa(uid) }

// Policies returns the storage policies the actor's group may use.
func (s *Service) Policies(ctx context.Context, actor drive.Actor) ([]*drive.Policy, error) {
	const op = "account.Policies"
	if actor.IsAnonymous() {
		return nil, errs.E(op, ErrNotSignedIn)
	}
	g := actor.Group()
	if g == nil || g.StoragePolicyID == 0 {
		return []*drive.Policy{}, nil
	}
	p, err := s.db.Policy(ctx, g.StoragePolicyID)
	if errs.Is(errs.NotExist, err) {
		return []*drive.Policy{}, nil
	} else if err != nil {
		return nil, errs.E(op, err)
	}
	return []*drive.Policy{p}, nil
}

// Groups lists every group but the anonymous one, for permission editors.
func (s *Service) Groups(ctx context.Context, actor drive.Actor) ([]*drive.Group, error) {
	const op = "account.Groups"
	if actor.IsAnonymous() {
		return nil, errs.E(op, ErrNotSignedIn)
	}
	all, err := s.db.Groups(ctx)
	if err != nil {
		return nil, errs.E(op, err)
	}
	out := all[:0]
	for _, g := range all {
		if g.ID != drive.AnonymousGroupID {
			out = append(out, g)
		}
	}
	return out, nil
}

func hasControl(s string) bool {
	for _, r := range s {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return true
		}
	}
	return false
}

// Nodes lists the nodes the actor may choose to run its tasks on: none
// unless the group may select nodes.
func (s *Service) Nodes(ctx context.Context, actor drive.Actor) ([]*drive.Node, error) {
	const op = "account.Nodes"
	if actor.IsAnonymous() {
		return nil, errs.E(op, ErrNotSignedIn)
	}
	if !actor.Can(drive.PermSelectNode) {
		return []*drive.Node{}, nil
	}
	nodes, err := s.db.ActiveNodes(ctx)
	if err != nil {
		return nil, errs.E(op, err)
	}
	return nodes, nil
}
