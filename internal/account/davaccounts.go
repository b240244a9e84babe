package account

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"unicode/utf8"

	"github.com/stratus-drive/stratus/internal/drive"
	"github.com/stratus-drive/stratus/internal/errs"
	"github.com/stratus-drive/stratus/internal/hashid"
)

// Conditions of WebDAV accounts that Cloudreve gives their own codes.
var (
	ErrWebDAVNotAllowed   = errs.NewSentinel(errs.Permission, "the group may not use WebDAV")
	ErrDavAccountNotExist = errs.NewSentinel(errs.NotExist, "WebDAV account not found")
)

// DavAccountOptions are the attributes of a WebDAV account set by create and
// edit (20-site-session-user §8).
type DavAccountOptions struct {
	Name            string
	URI             string
	ReadOnly        bool
	Proxy           bool
	DisableSysFiles bool
}

// DavAccountPage is one page of the actor's WebDAV accounts.
type DavAccountPage struct {
	Accounts  []*drive.DavAccount
	PageSize  int
	NextToken string
}

// davPasswordAlphabet is what generated WebDAV passwords are made of.
const davPasswordAlphabet = "0123456789abcdefghijklmnopqrstuvwxyz"

// CreateDavAccount makes a WebDAV account of the actor with a fresh random
// password.
func (s *Service) CreateDavAccount(ctx context.Context, actor drive.Actor, opt DavAccountOptions) (*drive.DavAccount, error) {
	const op = "account.CreateDavAccount"
	if err := checkWebDAV(actor); err != nil {
		return nil, errs.E(op, err)
	}
	a := &drive.DavAccount{OwnerID: actor.User.ID}
	if err := s.applyDavOptions(actor, a, opt); err != nil {
		return nil, errs.E(op, err)
	}
	// The password is unique per owner; a collision of 32 random characters
	// is next to impossible, but a retry costs nothing.
	var err error
	for range 3 {
		a.Password = davPassword()
		if err = s.db.InsertDavAccount(ctx, a); !errs.Is(errs.Exist, err) {
			break
		}
	}
	if err != nil {
		return nil, errs.E(op, err)
	}
	return a, nil
}

// EditDavAccount replaces the name, URI and options of the actor's account
// id; the password stays.
func (s *Service) EditDavAccount(ctx context.Context, actor drive.Actor, id string, opt DavAccountOptions) (*drive.DavAccount, error) {
	const op = "account.EditDavAccount"
	if err := checkWebDAV(actor); err != nil {
		return nil, errs.E(op, err)
	}
	a, err := s.ownDavAccount(ctx, actor, id)
	if err != nil {
		return nil, errs.E(op, err)
	}
	if err := s.applyDavOptions(actor, a, opt); err != nil {
		return nil, errs.E(op, err)
	}
	if err := s.db.UpdateDavAccount(ctx, a); errs.Is(errs.NotExist, err) {
		return nil, errs.E(op, ErrDavAccountNotExist)
	} else if err != nil {
		return nil, errs.E(op, err)
	}
	return a, nil
}

// DeleteDavAccount removes the actor's account id.
func (s *Service) DeleteDavAccount(ctx context.Context, actor drive.Actor, id string) error {
	const op = "account.DeleteDavAccount"
	if actor.IsAnonymous() {
		return errs.E(op, ErrNotSignedIn)
	}
	a, err := s.ownDavAccount(ctx, actor, id)
	if err != nil {
		return errs.E(op, err)
	}
	if err := s.db.DeleteDavAccount(ctx, a.ID); errs.Is(errs.NotExist, err) {
		return errs.E(op, ErrDavAccountNotExist)
	} else if err != nil {
		return errs.E(op, err)
	}
	return nil
}

// davPageToken is the opaque cursor: the hashid of the page's last account.
type davPageToken struct {
	ID string `json:"id"`
}

// ListDavAccounts returns one page of the actor's accounts, newest first.
// pageSize must be 10–100; token is the NextToken of the previous page, or
// "" for the first.
func (s *Service) ListDavAccounts(ctx context.Context, actor drive.Actor, pageSize int, token string) (*DavAccountPage, error) {
	const op = "account.ListDavAccounts"
	if actor.IsAnonymous() {
		return nil, errs.E(op, ErrNotSignedIn)
	}
	if pageSize < 10 || pageSize > 100 {
		return nil, errs.E(op, errs.Invalid, "page_size must be between 10 and 100")
	}
	after := 0
	if token != "" {
		var t davPageToken
		raw, err := base64.StdEncoding.DecodeString(token)
		if err != nil || json.Unmarshal(raw, &t) != nil {
			return nil, errs.E(op, errs.Invalid, "Invalid page token")
		}
		if after, err = s.ids.Decode(t.ID, hashid.DavAccount); err != nil || after <= 0 {
			return nil, errs.E(op, errs.Invalid, "Invalid page token")
		}
	}
	rows, err := s.db.ListDavAccounts(ctx, actor.User.ID, after, pageSize+1)
	if err != nil {
		return nil, errs.E(op, err)
	}
	p := &DavAccountPage{PageSize: pageSize, Accounts: rows}
	if len(rows) > pageSize {
		p.Accounts = rows[:pageSize]
		raw, _ := json.Marshal(davPageToken{ID: s.ids.Encode(p.Accounts[pageSize-1].ID, hashid.DavAccount)})
		p.NextToken = base64.StdEncoding.EncodeToString(raw)
	}
	return p, nil
}

// ownDavAccount loads account id of the actor; anyone else's is
// ErrDavAccountNotExist.
func (s *Service) ownDavAccount(ctx context.Context, actor drive.Actor, id string) (*drive.DavAccount, error) {
	n, err := s.ids.Decode(id, hashid.DavAccount)
	if err != nil {
		return nil, errs.E("account.ownDavAccount", errs.Invalid, "Failed to parse object ID")
	}
	a, err := s.db.DavAccountByID(ctx, n)
	if errs.Is(errs.NotExist, err) || (err == nil && a.OwnerID != actor.User.ID) {
		return nil, ErrDavAccountNotExist
	}
	return a, err
}

func checkWebDAV(actor drive.Actor) error {
	if actor.IsAnonymous() {
		return ErrNotSignedIn
	}
	if !actor.Can(drive.PermWebDAV) {
		return ErrWebDAVNotAllowed
	}
	return nil
}

// applyDavOptions validates opt and writes it to a. Proxy needs group
// bit 6 and is dropped silently without it.
func (s *Service) applyDavOptions(actor drive.Actor, a *drive.DavAccount, opt DavAccountOptions) error {
	if n := utf8.RuneCountInString(opt.Name); n < 1 || n > 255 {
		return errs.E("account.davOptions", errs.Invalid, "name must be 1 to 255 characters")
	}
	u, err := drive.ParseURI(opt.URI)
	if err != nil {
		return errs.E("account.davOptions", errs.Invalid, err)
	}
	if u.FS != drive.FSMy && u.FS != drive.FSShare {
		return errs.E("account.davOptions", errs.Invalid, "the URI must be in my files or a share")
	}
	if len(u.Query) > 0 {
		return errs.E("account.davOptions", errs.Invalid, "the URI cannot have a search query")
	}
	if err := s.checkDavRoot(actor.User, u); err != nil {
		return err
	}
	var opts drive.Boolset
	if opt.ReadOnly {
		opts = opts.With(int(drive.DavReadOnly))
	}
	if opt.Proxy && actor.Can(drive.PermWebDAVProxy) {
		opts = opts.With(int(drive.DavProxy))
	}
	if opt.DisableSysFiles {
		opts = opts.With(int(drive.DavDisableSysFiles))
	}
	a.Name, a.URI, a.Options = opt.Name, u.String(), opts
	return nil
}

// CheckDavRoot reports whether the account root uri may serve owner: a
// "my" root must be owner's own files (a URI naming another user's, as
// cloudreve://<their hashid>@my/… does, is errs.Invalid, the contract's
// 40001). Share roots pass: the share filesystem is read-only and checks
// the password and validity itself on every request. Creation and edit
// check it; the WebDAV endpoint checks it again when it serves an account,
// so that a row written before this rule, or by hand, serves nothing foreign.
func (s *Service) CheckDavRoot(owner *drive.User, uri string) error {
	u, err := drive.ParseURI(uri)
	if err != nil {
		return errs.E("account.CheckDavRoot", errs.Invalid, err)
	}
	return s.checkDavRoot(owner, u)
}

func (s *Service) checkDavRoot(owner *drive.User, u drive.URI) error {
	switch u.FS {
	case drive.FSShare:
		return nil
	case drive.FSMy:
		if u.ID == "" {
			return nil
		}
		if id, err := s.ids.Decode(u.ID, hashid.User); err == nil && id == owner.ID {
			return nil
		}
		return errs.E("account.CheckDavRoot", errs.Invalid, "the URI must be in your own files or a share")
	}
	return errs.E("account.CheckDavRoot", errs.Invalid, "the URI must be in my files or a share")
}

// davPassword returns 32 characters of davPasswordAlphabet from
// crypto/rand, without modulo bias.
func davPassword() string {
	const n = 32
	out := make([]byte, 0, n)
	buf := make([]byte, 64)
	for len(out) < n {
		rand.Read(buf)
		for _, b := range buf {
			// 252 = 7 × 36: larger bytes would favour the first letters.
			if b < 252 && len(out) < n {
				out = append(out, davPasswordAlphabet[b%36])
			}
		}
	}
	return string(out)
}
