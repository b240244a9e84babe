// Package share manages share links (40-share): creating, editing, listing
// and deleting them, and the public information a visitor sees. Browsing
// and downloading through a link is the share filesystem of package files,
// which also decides whether a link is still valid.
package share

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/stratus-drive/stratus/internal/drive"
	"github.com/stratus-drive/stratus/internal/errs"
	"github.com/stratus-drive/stratus/internal/files"
	"github.com/stratus-drive/stratus/internal/hashid"
	"github.com/stratus-drive/stratus/internal/setting"
	"github.com/stratus-drive/stratus/internal/store"
)

// Conditions that Cloudreve gives their own codes.
var (
	ErrNotFound     = errs.NewSentinel(errs.NotExist, "share link not found")
	ErrUserNotFound = errs.NewSentinel(errs.NotExist, "user not found")
)

// Service manages share links.
type Service struct {
	db       *store.DB
	files    *files.Service
	ids      *hashid.Codec
	settings *setting.Service
	now      func() time.Time
}

// New builds the service.
func New(db *store.DB, fs *files.Service, ids *hashid.Codec, settings *setting.Service) *Service {
	return &Service{db: db, files: fs, ids: ids, settings: settings, now: time.Now}
}

// Options are the attributes of a link set by create and edit (40-share §3).
type Options struct {
	URI       string
	IsPrivate bool
	// Password is used when IsPrivate; blank means a generated one.
	Password   string
	Downloads  int // > 0: download budget
	Expire     int // > 0: seconds until the link expires
	ShareView  bool
	ShowReadme bool
}

// Link is a share with what its views need: the target, its owner, and how
// the caller sees it.
type Link struct {
	Share *drive.Share
	// File is the target; nil when it is gone.
	File *drive.File
	// Owner is the link's creator with the group loaded.
	Owner *drive.User
	// Expired reports that the link is invalid (40-share §1).
	Expired bool
	// Unlocked reports that the caller may see the protected fields.
	Unlocked bool
	// IsOwner reports that the caller created the link.
	IsOwner bool
	// SourceURI is the owner's URI of the share root, when asked for.
	SourceURI string
}

// Create makes a link to the item at opt.URI, which the actor must own in
// their own filesystem.
func (s *Service) Create(ctx context.Context, actor drive.Actor, opt Options) (*Link, error) {
	const op = "share.Create"
	if err := checkAllowed(actor); err != nil {
		return nil, errs.E(op, err)
	}
	n, err := s.source(ctx, actor, opt.URI)
	if err != nil {
		return nil, errs.E(op, err)
	}
	sh := &drive.Share{FileID: n.File.ID, OwnerID: actor.User.ID}
	if opt.IsPrivate {
		if sh.Password, err = password(opt.Password, int(s.settings.Int("share_password_min_length"))); err != nil {
			return nil, errs.E(op, err)
		}
	}
	s.apply(sh, opt)
	if err := s.db.InsertShare(ctx, sh); err != nil {
		return nil, errs.E(op, err)
	}
	return &Link{Share: sh, File: n.File, Owner: actor.User, Unlocked: true, IsOwner: true}, nil
}

// Edit replaces the budget, expiry and props of link id (40-share §4). The
// password cannot change, and opt.URI must address the link's target.
func (s *Service) Edit(ctx context.Context, actor drive.Actor, id string, opt Options) (*Link, error) {
	const op = "share.Edit"
	if err := checkAllowed(actor); err != nil {
		return nil, errs.E(op, err)
	}
	sh, err := s.load(ctx, id)
	if err != nil {
		return nil, errs.E(op, err)
	}
	if sh.OwnerID != actor.User.ID {
		return nil, errs.E(op, ErrNotFound)
	}
	n, err := s.source(ctx, actor, opt.URI)
	if err != nil {
		return nil, errs.E(op, err)
	}
	if n.File.ID != sh.FileID {
		return nil, errs.E(op, ErrNotFound, "the URI is not the shared item")
	}
	s.apply(sh, opt)
	if err := s.db.UpdateShare(ctx, sh); err != nil {
		return nil, errs.E(op, err)
	}
	return &Link{Share: sh, File: n.File, Owner: actor.User, Unlocked: true, IsOwner: true}, nil
}

// Delete removes link id: the owner's, or any link for an administrator.
func (s *Service) Delete(ctx context.Context, actor drive.Actor, id string) error {
	const op = "share.Delete"
	if actor.IsAnonymous() {
		return errs.E(op, files.ErrLoginRequired)
	}
	sh, err := s.load(ctx, id)
	if err != nil {
		return errs.E(op, err)
	}
	if sh.OwnerID != actor.User.ID && !actor.IsAdmin() {
		return errs.E(op, ErrNotFound)
	}
	if err := s.db.DeleteShare(ctx, sh.ID); errs.Is(errs.NotExist, err) {
		return errs.E(op, ErrNotFound)
	} else if err != nil {
		return errs.E(op, err)
	}
	return nil
}

// InfoOptions are the query of GET /share/info/{id}.
type InfoOptions struct {
	Password      string
	CountViews    bool
	OwnerExtended bool
}

// Info returns link id as the actor sees it. An invalid link is
// files.ErrShareNotExist; a wrong password only leaves it locked.
func (s *Service) Info(ctx context.Context, actor drive.Actor, id string, opt InfoOptions) (*Link, error) {
	const op = "share.Info"
	sh, err := s.load(ctx, id)
	if err != nil {
		return nil, errs.E(op, err)
	}
	target, owner, err := s.files.ShareTarget(ctx, sh)
	if err != nil {
		return nil, errs.E(op, err)
	}
	if owner.Group, err = s.db.Group(ctx, owner.GroupID); err != nil && !errs.Is(errs.NotExist, err) {
		return nil, errs.E(op, err)
	}
	isOwner := !actor.IsAnonymous() && actor.User.ID == sh.OwnerID
	// A password given here is a guess like any other: counted, and a
	// throttled one answers 429 rather than "locked".
	passwordOK := opt.Password != "" || !sh.HasPassword()
	if passwordOK {
		if err := s.files.CheckSharePassword(ctx, sh, opt.Password); errs.Is(errs.RateLimited, err) {
			return nil, errs.E(op, err)
		} else if err != nil {
			passwordOK = false
		}
	}
	l := &Link{Share: sh, File: target, Owner: owner, IsOwner: isOwner, Unlocked: isOwner || passwordOK}
	if opt.CountViews {
		if err := s.db.CountShareView(ctx, sh.ID); err != nil && !errs.Is(errs.NotExist, err) {
			return nil, errs.E(op, err)
		}
		sh.Views++
	}
	if opt.OwnerExtended && isOwner {
		if !passwordOK {
			return nil, errs.E(op, files.ErrSharePassword)
		}
		if l.SourceURI, err = s.sourceURI(ctx, target); err != nil {
			return nil, errs.E(op, err)
		}
	}
	return l, nil
}

// ListOptions are the query of GET /share.
type ListOptions struct {
	PageSize       int
	OrderBy        string
	OrderDirection string
	NextPageToken  string
}

// Page is one page of the actor's links.
type Page struct {
	Links     []*Link
	PageSize  int
	NextToken string
}

// pageToken is the opaque cursor: the last link and its sort value.
type pageToken struct {
	ID    string `json:"id"`
	Value int64  `json:"v,omitempty"`
}

var errBadToken = errs.E("share.List", errs.Invalid, "Invalid page token")

// List returns one page of the actor's links, all rendered for the owner;
// invalid ones are flagged Expired.
func (s *Service) List(ctx context.Context, actor drive.Actor, opt ListOptions) (*Page, error) {
	const op = "share.List"
	if actor.IsAnonymous() {
		return nil, errs.E(op, files.ErrLoginRequired)
	}
	rows, p, err := s.page(ctx, actor.User.ID, opt, nil)
	if err != nil {
		return nil, errs.E(op, err)
	}
	for _, sh := range rows {
		l, err := s.link(ctx, sh, actor.User, true, true)
		if err != nil {
			return nil, errs.E(op, err)
		}
		p.Links = append(p.Links, l)
	}
	return p, nil
}

// UserShares returns one page of the links user userID shows on their
// profile (40-share §7): none with "hide_share", all with "all_share",
// otherwise those without a password. All are rendered locked.
func (s *Service) UserShares(ctx context.Context, actor drive.Actor, userID string, opt ListOptions) (*Page, error) {
	const op = "share.UserShares"
	id, err := s.ids.Decode(userID, hashid.User)
	if err != nil {
		return nil, errs.E(op, errs.Invalid, "Failed to parse object ID")
	}
	owner, err := s.db.UserByID(ctx, id)
	if errs.Is(errs.NotExist, err) || (err == nil && owner.Status != drive.StatusActive) {
		return nil, errs.E(op, ErrUserNotFound)
	} else if err != nil {
		return nil, errs.E(op, err)
	}
	if owner.Group, err = s.db.Group(ctx, owner.GroupID); err != nil && !errs.Is(errs.NotExist, err) {
		return nil, errs.E(op, err)
	}
	var keep func(*drive.Share) bool
	switch owner.Settings.ShareLinksInProfile {
	case "hide_share":
		return nil, errs.E(op, errs.Invalid, "This user hides their shares")
	case "all_share":
	default:
		keep = func(sh *drive.Share) bool { return !sh.HasPassword() }
	}
	rows, p, err := s.page(ctx, owner.ID, opt, keep)
	if err != nil {
		return nil, errs.E(op, err)
	}
	isOwner := !actor.IsAnonymous() && actor.User.ID == owner.ID
	for _, sh := range rows {
		l, err := s.link(ctx, sh, owner, false, isOwner)
		if err != nil {
			return nil, errs.E(op, err)
		}
		p.Links = append(p.Links, l)
	}
	return p, nil
}

// page reads one page of owner's links in the requested order, keeping
// only those keep accepts (nil: all).
func (s *Service) page(ctx context.Context, owner int, opt ListOptions, keep func(*drive.Share) bool) (
	[]*drive.Share, *Page, error) {
	if opt.PageSize < 10 || opt.PageSize > 100 {
		return nil, nil, errs.E("share.page", errs.Invalid, "page_size must be between 10 and 100")
	}
	order := store.ShareOrder(opt.OrderBy)
	switch order {
	case "":
		order = store.ShareOrderID
	case store.ShareOrderID, store.ShareOrderViews, store.ShareOrderDownloads, store.ShareOrderRemain:
	default:
		return nil, nil, errs.E("share.page", errs.Invalid, "order_by is invalid")
	}
	if !slices.Contains([]string{"", "asc", "desc"}, opt.OrderDirection) {
		return nil, nil, errs.E("share.page", errs.Invalid, "order_direction is invalid")
	}
	var after *store.ShareCursor
	if opt.NextPageToken != "" {
		var t pageToken
		raw, err := base64.RawURLEncoding.DecodeString(opt.NextPageToken)
		if err != nil || json.Unmarshal(raw, &t) != nil {
			return nil, nil, errBadToken
		}
		id, err := s.ids.Decode(t.ID, hashid.Share)
		if err != nil {
			return nil, nil, errBadToken
		}
		after = &store.ShareCursor{ID: id, Value: t.Value}
	}
	// Filtered pages read on until they have one row more than a page (so
	// that they know whether another page follows) or the list ends.
	var out []*drive.Share
	for {
		rows, err := s.db.ListShares(ctx, owner, order, opt.OrderDirection == "desc", after, opt.PageSize+1)
		if err != nil {
			return nil, nil, err
		}
		for _, sh := range rows {
			if keep == nil || keep(sh) {
				out = append(out, sh)
			}
		}
		if len(out) > opt.PageSize || len(rows) <= opt.PageSize {
			break
		}
		after = store.ShareCursorOf(rows[len(rows)-1], order)
	}
	p := &Page{PageSize: opt.PageSize}
	if len(out) > opt.PageSize {
		out = out[:opt.PageSize]
		c := store.ShareCursorOf(out[len(out)-1], order)
		raw, _ := json.Marshal(pageToken{ID: s.ids.Encode(c.ID, hashid.Share), Value: c.Value})
		p.NextToken = base64.RawURLEncoding.EncodeToString(raw)
	}
	return out, p, nil
}

// link is sh of owner as a list shows it: with its target, flagged Expired
// when invalid.
func (s *Service) link(ctx context.Context, sh *drive.Share, owner *drive.User, unlocked, isOwner bool) (*Link, error) {
	l := &Link{Share: sh, Owner: owner, Unlocked: unlocked, IsOwner: isOwner}
	target, _, err := s.files.ShareTarget(ctx, sh)
	switch {
	case err == nil:
		l.File = target
	case errs.Is(errs.NotExist, err):
		l.Expired = true
		f, err := s.files.ShareSource(ctx, sh)
		if err == nil {
			l.File = f
		} else if !errs.Is(errs.NotExist, err) {
			return nil, err
		}
	default:
		return nil, err
	}
	return l, nil
}

// FileLinks returns every link to the actor's file f, rendered for the
// owner (30-files §1.3 extended_info.shares). Anyone else gets none.
func (s *Service) FileLinks(ctx context.Context, actor drive.Actor, f *drive.File) ([]*Link, error) {
	const op = "share.FileLinks"
	if actor.IsAnonymous() || f.OwnerID != actor.User.ID || f.ID == 0 {
		return nil, nil
	}
	rows, err := s.db.SharesOfFile(ctx, f.ID)
	if err != nil {
		return nil, errs.E(op, err)
	}
	links := make([]*Link, 0, len(rows))
	for _, sh := range rows {
		l, err := s.link(ctx, sh, actor.User, true, true)
		if err != nil {
			return nil, errs.E(op, err)
		}
		links = append(links, l)
	}
	return links, nil
}

// DeleteMany deletes those of the links ids that belong to the actor and
// silently skips the others. Every id must decode.
func (s *Service) DeleteMany(ctx context.Context, actor drive.Actor, ids []string) error {
	const op = "share.DeleteMany"
	if actor.IsAnonymous() {
		return errs.E(op, files.ErrLoginRequired)
	}
	if len(ids) == 0 {
		return errs.E(op, errs.Invalid, "ids cannot be empty")
	}
	nums := make([]int, len(ids))
	for i, id := range ids {
		n, err := s.ids.Decode(id, hashid.Share)
		if err != nil {
			return errs.E(op, errs.Invalid, "Failed to parse object ID")
		}
		nums[i] = n
	}
	for _, n := range nums {
		sh, err := s.db.ShareByID(ctx, n)
		if errs.Is(errs.NotExist, err) {
			continue
		} else if err != nil {
			return errs.E(op, err)
		}
		if sh.OwnerID != actor.User.ID {
			continue
		}
		if err := s.db.DeleteShare(ctx, n); err != nil && !errs.Is(errs.NotExist, err) {
			return errs.E(op, err)
		}
	}
	return nil
}

// source resolves the item a link is made for: in the actor's own
// filesystem, not a root, not a shortcut.
func (s *Service) source(ctx context.Context, actor drive.Actor, raw string) (*files.Node, error) {
	u, err := drive.ParseURI(raw)
	if err != nil {
		return nil, errs.E("share.source", files.ErrInvalidURI, err)
	}
	if u.FS != drive.FSMy {
		return nil, files.ErrUnsupportedAction
	}
	n, err := s.files.Info(ctx, actor, raw)
	if err != nil {
		return nil, err
	}
	if n.File.IsSymbolic || !n.Owned {
		return nil, files.ErrUnsupportedAction
	}
	return n, nil
}

func (s *Service) load(ctx context.Context, id string) (*drive.Share, error) {
	n, err := s.ids.Decode(id, hashid.Share)
	if err != nil {
		return nil, errs.E("share.load", errs.Invalid, "Failed to parse object ID")
	}
	sh, err := s.db.ShareByID(ctx, n)
	if errs.Is(errs.NotExist, err) {
		return nil, ErrNotFound
	}
	return sh, err
}

func (s *Service) apply(sh *drive.Share, opt Options) {
	sh.RemainDownloads = drive.UnlimitedDownloads
	if opt.Downloads > 0 {
		sh.RemainDownloads = opt.Downloads
	}
	sh.Expires = time.Time{}
	if opt.Expire > 0 {
		sh.Expires = s.now().Add(time.Duration(opt.Expire) * time.Second).UTC().Truncate(time.Second)
	}
	sh.Props = drive.ShareProps{ShareView: opt.ShareView, ShowReadMe: opt.ShowReadme}
}

// sourceURI is the owner's URI of the share root: the folder itself, or the
// folder holding a shared file.
func (s *Service) sourceURI(ctx context.Context, target *drive.File) (string, error) {
	f := target
	if !f.IsFolder() {
		parent, err := s.db.FileByID(ctx, f.ParentID)
		if err != nil {
			return "", err
		}
		f = parent
	}
	var names []string
	for f.ParentID != 0 {
		names = append(names, f.Name)
		parent, err := s.db.FileByID(ctx, f.ParentID)
		if err != nil {
			return "", err
		}
		f = parent
	}
	slices.Reverse(names)
	return drive.URI{FS: drive.FSMy, Path: names}.String(), nil
}

func checkAllowed(actor drive.Actor) error {
	if actor.IsAnonymous() {
		return files.ErrLoginRequired
	}
	if !actor.Can(drive.PermShare) {
		return files.ErrGroupNotAllowed
	}
	return nil
}

const passwordAlphabet = "0123456789abcdefghijklmnopqrstuvwxyz"

// password checks a chosen password (minLen to 32 letters and digits) or
// makes one of 8 characters from [0-9a-z] when none is given. The minimum
// (setting share_password_min_length, 6 by default) is Stratus's: a
// one-character password fell to guessing in well under a second.
func password(chosen string, minLen int) (string, error) {
	if chosen == "" {
		out := make([]byte, 0, 8)
		var b [1]byte
		for len(out) < 8 {
			rand.Read(b[:])
			if b[0] < 252 { // 252 = 7·36: no bias towards the first letters
				out = append(out, passwordAlphabet[int(b[0])%len(passwordAlphabet)])
			}
		}
		return string(out), nil
	}
	minLen = min(max(minLen, 1), 32)
	if len(chosen) > 32 || strings.IndexFunc(chosen, func(r rune) bool {
		return !('0' <= r && r <= '9' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z')
	}) >= 0 {
		return "", errs.E("share.password", errs.Invalid, "password must be up to 32 letters and digits")
	}
	if len(chosen) < minLen {
		return "", errs.E("share.password", errs.Invalid, "password must be at least "+strconv.Itoa(minLen)+" characters")
	}
	return chosen, nil
}
