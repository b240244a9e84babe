package files

import (
	"context"
	"crypto/subtle"
	"strconv"
	"time"

	"github.com/stratus-drive/stratus/internal/drive"
	"github.com/stratus-drive/stratus/internal/errs"
	"github.com/stratus-drive/stratus/internal/hashid"
	"github.com/stratus-drive/stratus/internal/throttle"
)

// Conditions of the share filesystem (40-share §10) that Cloudreve gives
// their own codes.
var (
	ErrShareNotExist     = errs.NewSentinel(errs.NotExist, "share link not found or no longer valid")
	ErrSharePassword     = errs.NewSentinel(errs.Permission, "incorrect share password")
	ErrShareAnonymous    = errs.NewSentinel(errs.Unauthenticated, "anonymous users may not open shares")
	ErrShareNotPermitted = errs.NewSentinel(errs.Permission, "this group may not open shares")
	errShareWalkTooDeep  = errs.E("files.shareTarget", errs.Internal, "folder chain too deep")
	maxShareTargetDepth  = 4096
)

// SharePasswordLimits bound guesses at share passwords, counted before the
// comparison (package throttle) on every path that takes one: listing, file
// info, downloads, thumbnails, archives (all through the share filesystem)
// and GET /share/info. A right password gives its attempt back.
var SharePasswordLimits = struct {
	PerAddress, PerShare int
	Window               time.Duration
}{PerAddress: 20, PerShare: 100, Window: time.Minute}

// CheckSharePassword compares given with the password of sh in constant
// time, after counting the attempt per client address (throttle.ClientIPFrom)
// and per share: past either limit it is errs.RateLimited whatever the
// password, a wrong one is ErrSharePassword. A share without a password
// takes anything; an empty guess is refused uncounted (it guesses nothing).
func (s *Service) CheckSharePassword(ctx context.Context, sh *drive.Share, given string) error {
	if !sh.HasPassword() {
		return nil
	}
	if given == "" {
		return ErrSharePassword
	}
	res, err := s.limiter.Reserve(ctx,
		throttle.Bucket{Key: throttle.Key("share_pw_addr", throttle.ClientIPFrom(ctx)),
			Limit: SharePasswordLimits.PerAddress, Window: SharePasswordLimits.Window},
		throttle.Bucket{Key: throttle.Key("share_pw_share", strconv.Itoa(sh.ID)),
			Limit: SharePasswordLimits.PerShare, Window: SharePasswordLimits.Window})
	if err != nil {
		return err
	}
	if subtle.ConstantTimeCompare([]byte(given), []byte(sh.Password)) != 1 {
		return ErrSharePassword
	}
	res.Refund(ctx)
	return nil
}

// ShareTarget returns the file sh points at and its owner if the share is
// valid (40-share §1): not expired, budget left, owner active, and the
// target still in its owner's live tree (not in the trash). Otherwise it
// returns ErrShareNotExist.
func (s *Service) ShareTarget(ctx context.Context, sh *drive.Share) (*drive.File, *drive.User, error) {
	return s.shareTarget(ctx, s.db, sh)
}

func (s *Service) shareTarget(ctx context.Context, r reader, sh *drive.Share) (*drive.File, *drive.User, error) {
	if !sh.Usable(s.now()) {
		return nil, nil, errs.E("files.ShareTarget", ErrShareNotExist)
	}
	return s.liveShareTarget(ctx, r, sh)
}

// liveShareTarget is shareTarget without the download budget: the owner
// active, the target still in their live tree, the expiry not passed.
func (s *Service) liveShareTarget(ctx context.Context, r reader, sh *drive.Share) (*drive.File, *drive.User, error) {
	const op = "files.ShareTarget"
	if sh.Expired(s.now()) {
		return nil, nil, errs.E(op, ErrShareNotExist)
	}
	owner, err := r.UserByID(ctx, sh.OwnerID)
	if errs.Is(errs.NotExist, err) || (err == nil && owner.Status != drive.StatusActive) {
		return nil, nil, errs.E(op, ErrShareNotExist)
	} else if err != nil {
		return nil, nil, errs.E(op, err)
	}
	target, err := r.FileByID(ctx, sh.FileID)
	if errs.Is(errs.NotExist, err) || (err == nil && (target.OwnerID != sh.OwnerID || target.IsSymbolic)) {
		return nil, nil, errs.E(op, ErrShareNotExist)
	} else if err != nil {
		return nil, nil, errs.E(op, err)
	}
	// Walk up to a parentless item: the owner's root (unnamed folder) means
	// the target is live; anything else is in the trash.
	f := target
	for depth := 0; f.ParentID != 0; depth++ {
		if depth > maxShareTargetDepth {
			return nil, nil, errs.E(op, errShareWalkTooDeep)
		}
		if f, err = r.FileByID(ctx, f.ParentID); err != nil {
			return nil, nil, errs.E(op, err)
		}
	}
	if f.Name != "" || !f.IsFolder() || f.ID == target.ID {
		return nil, nil, errs.E(op, ErrShareNotExist)
	}
	return target, owner, nil
}

// ShareSource returns the file sh points at, valid or not, under the name
// its owner knows it by: a target in the trash keeps its original name (from
// sys:restore_uri), not the name it has there. errs.NotExist when the file
// is gone.
func (s *Service) ShareSource(ctx context.Context, sh *drive.Share) (*drive.File, error) {
	const op = "files.ShareSource"
	f, err := s.db.FileByID(ctx, sh.FileID)
	if err != nil {
		return nil, errs.E(op, err)
	}
	n := &Node{File: f, Name: f.Name}
	if err := s.loadMetadata(ctx, []*Node{n}); err != nil {
		return nil, errs.E(op, err)
	}
	f.Name = n.Name
	return f, nil
}

// resolveShare resolves cloudreve://<share>[:<password>]@share/<path>
// (40-share §10): the share must be valid, the password right (even for the
// owner), and a visitor's group must have "download shares".
func (s *Service) resolveShare(ctx context.Context, r reader, actor drive.Actor, u drive.URI) (*Node, error) {
	const op = "files.resolveShare"
	id, err := s.ids.Decode(u.ID, hashid.Share)
	if err != nil {
		return nil, errs.E(op, ErrShareNotExist)
	}
	sh, err := r.ShareByID(ctx, id)
	if errs.Is(errs.NotExist, err) {
		return nil, errs.E(op, ErrShareNotExist)
	} else if err != nil {
		return nil, errs.E(op, err)
	}
	if !sh.Usable(s.now()) {
		return nil, errs.E(op, ErrShareNotExist)
	}
	if err := s.CheckSharePassword(ctx, sh, u.Password); err != nil {
		return nil, errs.E(op, err)
	}
	target, _, err := s.shareTarget(ctx, r, sh)
	if err != nil {
		return nil, errs.E(op, err)
	}
	owned := !actor.IsAnonymous() && actor.User.ID == sh.OwnerID
	if !owned && !actor.Can(drive.PermShareDownload) {
		if actor.IsAnonymous() {
			return nil, errs.E(op, ErrShareAnonymous)
		}
		return nil, errs.E(op, ErrShareNotPermitted)
	}
	base := drive.URI{FS: drive.FSShare, ID: u.ID, Password: u.Password}
	if !target.IsFolder() {
		switch {
		case len(u.Path) == 0:
			// The root of a single-file share is virtual: it lists the file.
			root := &drive.File{Type: drive.TypeFolder, OwnerID: sh.OwnerID}
			n := s.node(base, drive.FSShare, root, actor)
			n.Share, n.singleFile = sh, target
			return n, nil
		case len(u.Path) == 1 && u.Path[0] == target.Name:
			n := s.node(base.Join(target.Name), drive.FSShare, target, actor)
			n.Share = sh
			return n, nil
		}
		return nil, errs.E(op, ErrPathNotExist)
	}
	f, inherited, err := s.walk(ctx, r, u, target)
	if err != nil {
		return nil, errs.E(op, err)
	}
	n := s.node(u.WithoutQuery(), drive.FSShare, f, actor)
	n.Share, n.InheritedView = sh, inherited
	return n, nil
}

// markShared sets Shared on those of nodes, items of the actor's own
// filesystem, that have a share link.
func (s *Service) markShared(ctx context.Context, nodes []*Node) error {
	ids := make([]int, 0, len(nodes))
	for _, n := range nodes {
		if n.FS == drive.FSMy && n.Owned && n.File.ID != 0 {
			ids = append(ids, n.File.ID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	shared, err := s.db.SharedFiles(ctx, ids)
	if err != nil {
		return err
	}
	for _, n := range nodes {
		n.Shared = n.FS == drive.FSMy && shared[n.File.ID]
	}
	return nil
}
