package account

import (
	"context"

	"github.com/stratus-drive/stratus/internal/auth"
	"github.com/stratus-drive/stratus/internal/drive"
	"github.com/stratus-drive/stratus/internal/errs"
	"github.com/stratus-drive/stratus/internal/store"
)

// CreateByAdmin adds an account as an administrator describes it: e-mail,
// nick, status and group as given (the caller has checked the group), the
// password hashed, empty settings, and its root folder, like every account.
// A taken e-mail is ErrEmailExists.
func (s *Service) CreateByAdmin(ctx context.Context, u *drive.User, password string) error {
	const op = "account.CreateByAdmin"
	email, err := validateNewAccount(u.Email, password)
	if err != nil {
		return errs.E(op, err)
	}
	u.Email = email
	if u.Nick == "" {
		u.Nick = nickFromEmail(u.Email)
	}
	hash, err := auth.HashPassword(password)
	if err != nil {
		return errs.E(op, errs.Internal, err)
	}
	u.Password = hash
	if err := s.create(ctx, u); err != nil {
		if errs.Is(errs.Exist, err) {
			return errs.E(op, ErrEmailExists)
		}
		return errs.E(op, err)
	}
	return nil
}

// SetPasswordIn replaces the password of user id inside tx; refresh tokens
// of the account stop working, because their state hash covers the
// password.
func SetPasswordIn(ctx context.Context, tx *store.Tx, id int, password string) error {
	const op = "account.SetPassword"
	if err := validatePassword(password); err != nil {
		return errs.E(op, err)
	}
	hash, err := auth.HashPassword(password)
	if err != nil {
		return errs.E(op, errs.Internal, err)
	}
	if err := tx.SetUserPassword(ctx, id, hash); err != nil {
		return errs.E(op, err)
	}
	return nil
}

// NormalizeEmail returns email in its stored form and whether it is
// acceptable as an account's address (see drive.NormalizeEmail).
func NormalizeEmail(email string) (string, bool) {
	email, ok := drive.NormalizeEmail(email)
	return email, ok && len(email) <= 100
}

// CheckAbuseCaptcha verifies the captcha of an abuse report when the site
// asks for one (abuse_report_captcha).
func (s *Service) CheckAbuseCaptcha(ctx context.Context, ca CaptchaAnswer) error {
	return s.checkCaptcha(ctx, "abuse_report_captcha", ca)
}
