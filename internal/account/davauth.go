package account

import (
	"context"
	"crypto/subtle"

	"github.com/stratus-drive/stratus/internal/drive"
	"github.com/stratus-drive/stratus/internal/errs"
)

// DavLogin is a WebDAV request's signed-in account.
type DavLogin struct {
	Actor   drive.Actor
	Account *drive.DavAccount
}

// DavSignIn checks HTTP Basic credentials of /dav: the user's e-mail and the
// password of one of their WebDAV accounts. Every request carries them, so
// it is checked on every request: a disabled account, a banned user or a
// group that lost WebDAV is refused at once. Each attempt counts against
// the same throttle as sign-in (reserveSignIn) and is given back when the
// credentials are right, so only wrong ones use the limits up.
//
// Unknown e-mails, wrong passwords and users who are not active are
// ErrInvalidCredentials; a group without WebDAV is ErrWebDAVNotAllowed.
func (s *Service) DavSignIn(ctx context.Context, clientIP, email, password string) (*DavLogin, error) {
	const op = "account.DavSignIn"
	email = lookupEmail(email)
	res, pair, err := s.reserveSignIn(ctx, email, clientIP)
	if err != nil {
		return nil, errs.E(op, err)
	}
	u, a, err := s.davAccount(ctx, email, password)
	if err != nil {
		if !errs.Is(errs.Unauthenticated, err) {
			res.Refund(ctx) // not a guess: the store failed
		}
		return nil, errs.E(op, err)
	}
	res.Refund(ctx)
	if res.Counts[0] > 1 { // earlier failures of this address on this account
		s.throttle.Forget(ctx, pair)
	}
	if u.Status != drive.StatusActive {
		return nil, errs.E(op, ErrInvalidCredentials, "the user is not active")
	}
	if _, err := s.withGroup(ctx, u); errs.Is(errs.NotExist, err) {
		// A broken installation rather than a client's mistake (§B: 500).
		return nil, errs.E(op, errs.Internal, "the user's group does not exist")
	} else if err != nil {
		return nil, errs.E(op, err)
	}
	actor := drive.Actor{User: u}
	if err := checkWebDAV(actor); err != nil {
		return nil, errs.E(op, err)
	}
	if err := s.CheckDavRoot(u, a.URI); err != nil {
		return nil, errs.E(op, errs.Permission, "the account's root is not the owner's")
	}
	return &DavLogin{Actor: actor, Account: a}, nil
}

// davAccount finds the user by e-mail and their account by password.
func (s *Service) davAccount(ctx context.Context, email, password string) (*drive.User, *drive.DavAccount, error) {
	if password == "" || len(password) > 255 {
		return nil, nil, ErrInvalidCredentials
	}
	u, err := s.db.UserByEmail(ctx, email)
	if errs.Is(errs.NotExist, err) {
		return nil, nil, ErrInvalidCredentials
	} else if err != nil {
		return nil, nil, err
	}
	a, err := s.db.DavAccountByPassword(ctx, u.ID, password)
	if errs.Is(errs.NotExist, err) {
		return nil, nil, ErrInvalidCredentials
	} else if err != nil {
		return nil, nil, err
	}
	// The index found the row; compare again in constant time so that the
	// answer never depends on how much of the password matched.
	if subtle.ConstantTimeCompare([]byte(a.Password), []byte(password)) != 1 {
		return nil, nil, ErrInvalidCredentials
	}
	return u, a, nil
}
