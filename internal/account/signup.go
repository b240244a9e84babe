package account

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/stratus-drive/stratus/internal/auth"
	"github.com/stratus-drive/stratus/internal/drive"
	"github.com/stratus-drive/stratus/internal/errs"
	"github.com/stratus-drive/stratus/internal/store"
)

// SignUpResult is the new user, or NeedsActivation when the site requires
// e-mail activation before sign-in.
type SignUpResult struct {
	User            *drive.User
	NeedsActivation bool
}

// RefuseSignUp is RefuseSignIn for sign-up: the registration switch, then
// the captcha.
func (s *Service) RefuseSignUp(ctx context.Context, ca CaptchaAnswer) error {
	if !s.settings.Bool("register_enabled") {
		return ErrRegisterDisabled
	}
	return s.checkCaptcha(ctx, "reg_captcha", ca)
}

// SignUp registers a new account. The registration switch is checked before
// the captcha, the captcha before anything else, as in the contract.
func (s *Service) SignUp(ctx context.Context, email, password, language string, ca CaptchaAnswer) (SignUpResult, error) {
	const op = "account.SignUp"
	if !s.settings.Bool("register_enabled") {
		return SignUpResult{}, errs.E(op, ErrRegisterDisabled)
	}
	if err := s.checkCaptcha(ctx, "reg_captcha", ca); err != nil {
		return SignUpResult{}, errs.E(op, err)
	}
	email, err := validateNewAccount(email, password)
	if err != nil {
		return SignUpResult{}, errs.E(op, err)
	}
	if !s.emailDomainAllowed(email) {
		return SignUpResult{}, errs.E(op, ErrEmailDomainBanned)
	}
	if existing, err := s.db.UserByEmail(ctx, email); err == nil {
		if existing.Status == drive.StatusInactive {
			// The owner may have lost the first mail: send it again.
			if err := s.sendActivation(ctx, existing); err != nil {
				return SignUpResult{}, errs.E(op, err)
			}
			return SignUpResult{}, errs.E(op, ErrEmailInactive)
		}
		return SignUpResult{}, errs.E(op, ErrEmailExists)
	} else if !errs.Is(errs.NotExist, err) {
		return SignUpResult{}, errs.E(op, err)
	}
	hash, err := auth.HashPassword(password)
	if err != nil {
		return SignUpResult{}, errs.E(op, errs.Internal, err)
	}
	needsActivation := s.settings.Bool("email_active")
	u := &drive.User{
		Email:    email,
		Nick:     nickFromEmail(email),
		Password: hash,
		Status:   drive.StatusActive,
		GroupID:  int(s.settings.Int("default_group")),
		Settings: drive.UserSettings{VersionRetention: true, VersionRetentionMax: 10, Language: language},
	}
	if needsActivation {
		u.Status = drive.StatusInactive
	}
	if err := s.create(ctx, u); err != nil {
		if errs.Is(errs.Exist, err) { // lost a race with a concurrent sign-up
			return SignUpResult{}, errs.E(op, ErrEmailExists)
		}
		return SignUpResult{}, errs.E(op, err)
	}
	if needsActivation {
		// The account stays even when the mail fails; signing up again
		// re-sends it (ErrEmailInactive).
		if err := s.sendActivation(ctx, u); err != nil {
			return SignUpResult{}, errs.E(op, err)
		}
	}
	return SignUpResult{User: u, NeedsActivation: needsActivation}, nil
}

// create inserts u in one transaction and makes the very first account (ID 1)
// an administrator, so a fresh site's first sign-up owns it.
func (s *Service) create(ctx context.Context, u *drive.User) error {
	if u.GroupID == 0 {
		u.GroupID = drive.UserGroupID
	}
	return s.db.InTx(ctx, func(tx *store.Tx) error {
		if _, err := tx.Group(ctx, u.GroupID); err != nil {
			return errs.E("account.create", errs.Internal, "default group missing", err)
		}
		if err := tx.CreateUser(ctx, u); err != nil {
			return err
		}
		// Every account owns one root folder from the start, so concurrent
		// first requests never race to create two.
		if err := tx.InsertFile(ctx, &drive.File{Type: drive.TypeFolder, OwnerID: u.ID}); err != nil {
			return err
		}
		if u.ID == 1 && u.GroupID != drive.AdminGroupID {
			u.GroupID = drive.AdminGroupID
			return tx.SetUserGroup(ctx, u.ID, drive.AdminGroupID)
		}
		return nil
	})
}

// CreateUser adds an account from the command line. It skips captcha and the
// registration switch; admin puts it in the administrators' group.
func (s *Service) CreateUser(ctx context.Context, email, password string, admin bool) (*drive.User, error) {
	const op = "account.CreateUser"
	email, err := validateNewAccount(email, password)
	if err != nil {
		return nil, errs.E(op, err)
	}
	hash, err := auth.HashPassword(password)
	if err != nil {
		return nil, errs.E(op, errs.Internal, err)
	}
	u := &drive.User{Email: email, Nick: nickFromEmail(email), Password: hash,
		Status: drive.StatusActive, GroupID: int(s.settings.Int("default_group"))}
	if admin {
		u.GroupID = drive.AdminGroupID
	}
	if err := s.create(ctx, u); err != nil {
		if errs.Is(errs.Exist, err) {
			return nil, errs.E(op, ErrEmailExists)
		}
		return nil, errs.E(op, err)
	}
	return u, nil
}

// ResetPassword sets a new password from the command line; it signs the user
// out everywhere because the refresh-token state hash changes.
func (s *Service) ResetPassword(ctx context.Context, email, password string) error {
	const op = "account.ResetPassword"
	if err := validatePassword(password); err != nil {
		return errs.E(op, err)
	}
	u, err := s.userByEmail(ctx, email)
	if err != nil {
		return errs.E(op, err)
	}
	hash, err := auth.HashPassword(password)
	if err != nil {
		return errs.E(op, errs.Internal, err)
	}
	return s.db.SetUserPassword(ctx, u.ID, hash)
}

// validateNewAccount returns the e-mail in its stored form (see
// drive.NormalizeEmail) when it and the password are acceptable.
func validateNewAccount(email, password string) (string, error) {
	email, ok := drive.NormalizeEmail(email)
	if !ok || len(email) > 100 {
		return "", errs.E("account.validate", errs.Invalid, "Email format error")
	}
	return email, validatePassword(password)
}

func validatePassword(pw string) error {
	n := utf8.RuneCountInString(pw)
	switch {
	case !utf8.ValidString(pw):
		return errs.E("account.validate", errs.Invalid, "Password format error")
	case n < 6:
		return errs.E("account.validate", errs.Invalid, "Password too short")
	case n > 128:
		return errs.E("account.validate", errs.Invalid, "Password too long")
	}
	return nil
}

// emailDomainAllowed applies the mail_domain_filter setting: 1 allows only
// the listed domains, 2 refuses them.
func (s *Service) emailDomainAllowed(email string) bool {
	mode := s.settings.Int("mail_domain_filter")
	if mode == 0 {
		return true
	}
	domain := email[strings.LastIndexByte(email, '@')+1:]
	listed := false
	for _, d := range s.settings.List("mail_domain_filter_list") {
		if strings.EqualFold(d, domain) {
			listed = true
			break
		}
	}
	if mode == 1 {
		return listed
	}
	return !listed
}

func nickFromEmail(email string) string {
	nick, _, _ := strings.Cut(email, "@")
	if utf8.RuneCountInString(nick) > 100 {
		nick = string([]rune(nick)[:100])
	}
	return nick
}
