package files

import (
	"context"
	"slices"

	"github.com/stratus-drive/stratus/internal/drive"
	"github.com/stratus-drive/stratus/internal/errs"
	"github.com/stratus-drive/stratus/internal/hashid"
)

// Reach remembers a resolved item by IDs rather than by URI, for state
// that outlives a request (archive sessions): the file, and the share it
// was reached through (0: its owner's own files). Two integers, whatever
// the URI the client sent looked like.
type Reach struct {
	File  int `json:"f"`
	Share int `json:"s,omitempty"`
}

// ReachOf is what n is remembered by. The virtual root of a single-file
// share is remembered as the file it lists.
func ReachOf(n *Node) Reach {
	r := Reach{File: n.File.ID}
	if n.singleFile != nil {
		r.File = n.singleFile.ID
	}
	if n.Share != nil {
		r.Share = n.Share.ID
	}
	return r
}

// NodeOf finds a remembered item again for actor, as resolving its URI
// would now: in the owner's own files, the file must still be actor's and in
// the live tree (not the trash); through a share, the share must still be
// valid, the file its target or below it, and a non-owner's group still
// allowed to open shares. The share password and download budget are not
// asked again: the password was checked, and the download paid for
// (SpendDownload), when the item was first resolved; an expired share no
// longer reaches anything. Anything else is ErrPathNotExist.
func (s *Service) NodeOf(ctx context.Context, actor drive.Actor, r Reach) (*Node, error) {
	const op = "files.NodeOf"
	f, err := s.db.FileByID(ctx, r.File)
	if errs.Is(errs.NotExist, err) {
		return nil, errs.E(op, ErrPathNotExist)
	} else if err != nil {
		return nil, errs.E(op, err)
	}
	if r.Share == 0 {
		if actor.IsAnonymous() || f.OwnerID != actor.User.ID {
			return nil, errs.E(op, ErrPathNotExist)
		}
		names, top, err := s.namesUpTo(ctx, f, 0)
		if err != nil {
			return nil, errs.E(op, err)
		}
		if top.Name != "" || !top.IsFolder() {
			return nil, errs.E(op, ErrPathNotExist) // in the trash
		}
		return s.node(drive.URI{FS: drive.FSMy, Path: names}, drive.FSMy, f, actor), nil
	}
	sh, err := s.db.ShareByID(ctx, r.Share)
	if errs.Is(errs.NotExist, err) {
		return nil, errs.E(op, ErrPathNotExist)
	} else if err != nil {
		return nil, errs.E(op, err)
	}
	target, _, err := s.liveShareTarget(ctx, s.db, sh)
	if err != nil {
		return nil, errs.E(op, ErrPathNotExist)
	}
	owned := !actor.IsAnonymous() && actor.User.ID == sh.OwnerID
	if !owned && !actor.Can(drive.PermShareDownload) {
		return nil, errs.E(op, ErrShareNotPermitted)
	}
	names, top, err := s.namesUpTo(ctx, f, target.ID)
	if err != nil {
		return nil, errs.E(op, err)
	}
	if top.ID != target.ID {
		return nil, errs.E(op, ErrPathNotExist) // no longer inside the share
	}
	base := drive.URI{FS: drive.FSShare, ID: s.ids.Encode(sh.ID, hashid.Share)}
	if !target.IsFolder() {
		names = []string{target.Name} // a single-file share shows the file at its root
	}
	n := s.node(drive.URI{FS: base.FS, ID: base.ID, Path: names}, drive.FSShare, f, actor)
	n.Share = sh
	return n, nil
}

// namesUpTo walks up from f to the item stop (or, with stop 0, to a
// parentless item) and returns the names below it, top first, and the item
// the walk ended on.
func (s *Service) namesUpTo(ctx context.Context, f *drive.File, stop int) ([]string, *drive.File, error) {
	var names []string
	for depth := 0; f.ID != stop && f.ParentID != 0; depth++ {
		if depth > maxShareTargetDepth {
			return nil, nil, errShareWalkTooDeep
		}
		names = append(names, f.Name)
		parent, err := s.db.FileByID(ctx, f.ParentID)
		if err != nil {
			return nil, nil, err
		}
		f = parent
	}
	slices.Reverse(names)
	return names, f, nil
}
