package account

import (
	"context"
	"crypto/subtle"
	"net/url"
	"strings"
	"time"

	"github.com/stratus-drive/stratus/internal/auth"
	"github.com/stratus-drive/stratus/internal/drive"
	"github.com/stratus-drive/stratus/internal/errs"
	"github.com/stratus-drive/stratus/internal/hashid"
	"github.com/stratus-drive/stratus/internal/mail"
	"github.com/stratus-drive/stratus/internal/throttle"
)

// Conditions of activation and password reset that Cloudreve gives codes.
var (
	ErrMailFailed         = errs.NewSentinel(errs.Unavailable, "e-mail could not be sent")
	ErrTempLinkExpired    = errs.NewSentinel(errs.Permission, "link expired or already used")
	ErrUserCannotActivate = errs.NewSentinel(errs.Permission, "account is not waiting for activation")
)

const (
	activationTTL = 24 * time.Hour
	resetTTL      = 3600 * time.Second
)

func resetKey(uid int) string { return "user_reset_" + itoa(uid) }

// mailConfig reads the SMTP settings.
func (s *Service) mailConfig() mail.Config {
	st := s.settings
	return mail.Config{
		Host: st.String("smtpHost"), Port: int(st.Int("smtpPort")),
		User: st.String("smtpUser"), Pass: st.String("smtpPass"),
		ImplicitTLS: st.Bool("smtpEncryption"),
		FromName:    st.String("fromName"), FromAddress: st.String("fromAdress"), ReplyTo: st.String("replyTo"),
		Timeout: 30 * time.Second, Dial: s.dial,
	}
}

func (s *Service) site() mail.Site {
	return mail.Site{Name: s.settings.String("siteName"), URL: s.primarySite()}
}

func (s *Service) primarySite() string { return strings.TrimRight(s.settings.SiteURLs()[0], "/") }

// send delivers m; any failure is ErrMailFailed (logged with its cause).
func (s *Service) send(ctx context.Context, m mail.Message) error {
	// Anyone may ask for an activation or reset mail to any address: bound
	// how often, per recipient and per asking address, so the site cannot be
	// turned into a mail cannon.
	if _, err := s.throttle.Reserve(ctx,
		throttle.Bucket{Key: throttle.Key("mail_to", m.To), Limit: mailsPerRecipient, Window: mailWindow},
		throttle.Bucket{Key: throttle.Key("mail_addr", throttle.ClientIPFrom(ctx)), Limit: mailsPerAddress, Window: mailWindow}); err != nil {
		return err
	}
	if err := mail.Send(ctx, s.mailConfig(), m); err != nil {
		s.log.WarnContext(ctx, "sending mail failed", "subject", m.Subject, "err", err)
		return ErrMailFailed
	}
	return nil
}

// Bounds of the mails anyone can trigger (activation, reset), per
// mailWindow.
const (
	mailsPerRecipient = 5
	mailsPerAddress   = 30
	mailWindow        = 10 * time.Minute
)

// sendActivation mails u the signed activation link.
func (s *Service) sendActivation(ctx context.Context, u *drive.User) error {
	hid := s.ids.Encode(u.ID, hashid.User)
	signed := auth.SignURL(s.settings.SecretKey(), &url.URL{Path: "/api/v4/user/activate/" + hid}, s.now().Add(activationTTL))
	link := s.primarySite() + "/session/activate?" + url.Values{"id": {hid}, "sign": {signed.Query().Get("sign")}}.Encode()
	return s.send(ctx, mail.Activation(s.site(), u.Email, u.Nick, link))
}

// Activate turns an inactive account active. reqURL is the request URL as
// received; its sign parameter must sign its path.
func (s *Service) Activate(ctx context.Context, reqURL *url.URL, publicID string) (*drive.User, error) {
	const op = "account.Activate"
	if err := auth.VerifyURL(s.settings.SecretKey(), reqURL, s.now()); err != nil {
		return nil, errs.E(op, err)
	}
	id, err := s.ids.Decode(publicID, hashid.User)
	if err != nil {
		return nil, errs.E(op, err)
	}
	u, err := s.db.UserByID(ctx, id)
	if errs.Is(errs.NotExist, err) {
		return nil, errs.E(op, ErrUserNotFound)
	} else if err != nil {
		return nil, errs.E(op, err)
	}
	if u.Status != drive.StatusInactive {
		return nil, errs.E(op, ErrUserCannotActivate)
	}
	if err := s.db.SetUserStatus(ctx, u.ID, drive.StatusActive); err != nil {
		return nil, errs.E(op, err)
	}
	u.Status = drive.StatusActive
	return u, nil
}

// RequestPasswordReset mails a reset link to the account with email. A new
// request replaces the previous secret.
func (s *Service) RequestPasswordReset(ctx context.Context, email string, ca CaptchaAnswer) error {
	const op = "account.RequestPasswordReset"
	if err := s.checkCaptcha(ctx, "forget_captcha", ca); err != nil {
		return errs.E(op, err)
	}
	u, err := s.userByEmail(ctx, email)
	if err != nil {
		return errs.E(op, err)
	}
	if err := checkStatus(u); err != nil {
		return errs.E(op, err)
	}
	secret := davPassword()
	if err := s.kv.Set(ctx, resetKey(u.ID), []byte(secret), resetTTL); err != nil {
		return errs.E(op, errs.Unavailable, err)
	}
	link := s.primarySite() + "/session/reset?" +
		url.Values{"id": {s.ids.Encode(u.ID, hashid.User)}, "secret": {secret}}.Encode()
	if err := s.send(ctx, mail.Reset(s.site(), u.Email, u.Nick, link)); err != nil {
		return errs.E(op, err)
	}
	return nil
}

// ResetPasswordWithSecret sets a new password for the user with publicID
// when secret matches the pending reset. The secret is spent only on a
// match; the new password signs the user out everywhere.
func (s *Service) ResetPasswordWithSecret(ctx context.Context, publicID, secret, password string) (*drive.User, error) {
	const op = "account.ResetPasswordWithSecret"
	if err := validatePassword(password); err != nil {
		return nil, errs.E(op, err)
	}
	id, err := s.ids.Decode(publicID, hashid.User)
	if err != nil {
		return nil, errs.E(op, err)
	}
	key := resetKey(id)
	match := func(v []byte) bool { return subtle.ConstantTimeCompare(v, []byte(secret)) == 1 }
	pending, ok, err := s.kv.Get(ctx, key)
	if err != nil {
		return nil, errs.E(op, errs.Unavailable, err)
	}
	if !ok || secret == "" || !match(pending) {
		return nil, errs.E(op, ErrTempLinkExpired)
	}
	u, err := s.db.UserByID(ctx, id)
	if errs.Is(errs.NotExist, err) || (err == nil && u.Status != drive.StatusActive) {
		return nil, errs.E(op, ErrUserNotFound)
	} else if err != nil {
		return nil, errs.E(op, err)
	}
	hash, err := auth.HashPassword(password)
	if err != nil {
		return nil, errs.E(op, errs.Internal, err)
	}
	// Take makes the secret single-use when two requests race with it; a
	// different value means a newer request replaced it meanwhile.
	taken, ok, err := s.kv.Take(ctx, key)
	if err != nil {
		return nil, errs.E(op, errs.Unavailable, err)
	}
	if !ok || !match(taken) {
		if ok { // not ours: put the newer secret back
			s.kv.Set(ctx, key, taken, resetTTL)
		}
		return nil, errs.E(op, ErrTempLinkExpired)
	}
	if err := s.db.SetUserPassword(ctx, u.ID, hash); err != nil {
		return nil, errs.E(op, err)
	}
	u.Password = hash
	return u, nil
}
