package files

import (
	"context"
	"regexp"
	"strconv"

	"github.com/stratus-drive/stratus/internal/drive"
	"github.com/stratus-drive/stratus/internal/errs"
	"github.com/stratus-drive/stratus/internal/hashid"
	"github.com/stratus-drive/stratus/internal/store"
)

// Info returns the node at rawURI with its public metadata.
func (s *Service) Info(ctx context.Context, actor drive.Actor, rawURI string) (*Node, error) {
	const op = "files.Info"
	u, err := parseURI(rawURI)
	if err != nil {
		return nil, errs.E(op, err)
	}
	n, err := s.resolve(ctx, s.db, actor, u)
	if err != nil {
		return nil, errs.E(op, err)
	}
	if n.File.ID == 0 || n.File.IsRoot() {
		return nil, errs.E(op, ErrUnsupportedAction, "info on a filesystem root")
	}
	if err := s.loadMetadata(ctx, []*Node{n}); err != nil {
		return nil, errs.E(op, err)
	}
	if err := s.markShared(ctx, []*Node{n}); err != nil {
		return nil, errs.E(op, err)
	}
	return n, nil
}

// Create makes a file or folder at rawURI, creating missing parent folders.
// An existing item of the same type is returned unless errOnConflict.
func (s *Service) Create(ctx context.Context, actor drive.Actor, rawURI string, typ drive.FileType,
	metadata map[string]string, errOnConflict bool) (*Node, error) {
	const op = "files.Create"
	u, err := s.newItemURI(actor, rawURI)
	if err != nil {
		return nil, errs.E(op, err)
	}
	if u.IsRoot() {
		return nil, errs.E(op, ErrNameConflict, "the root already exists")
	}
	if err := s.checkName(ctx, s.db, actor, u.Name(), typ); err != nil {
		return nil, errs.E(op, err)
	}
	metadata, system, err := s.shortcutMetadata(ctx, metadata)
	if err != nil {
		return nil, errs.E(op, err)
	}
	if err := s.checkMetadata(metadata); err != nil {
		return nil, errs.E(op, err)
	}
	var f *drive.File
	err = s.inTxRetry(ctx, func(tx *store.Tx) error {
		if err := lockTree(ctx, tx, actor); err != nil {
			return err
		}
		parent, err := s.mkdirAll(ctx, tx, actor, u.Path[:len(u.Path)-1])
		if err != nil {
			return err
		}
		existing, err := tx.ChildByName(ctx, parent.ID, u.Name())
		if err == nil {
			if existing.Type != typ || errOnConflict {
				return ErrNameConflict
			}
			f = existing
			return nil
		} else if !errs.Is(errs.NotExist, err) {
			return err
		}
		if err := s.checkLocks(ctx, tx, actor.User.ID, itemTarget(u.Path[:len(u.Path)-1])); err != nil {
			return err
		}
		f = &drive.File{Type: typ, Name: u.Name(), OwnerID: actor.User.ID, ParentID: parent.ID,
			PolicyID: policyOf(actor), IsSymbolic: system != nil}
		if err := tx.InsertFile(ctx, f); err != nil {
			if errs.Is(errs.Exist, err) {
				if errOnConflict {
					return ErrNameConflict
				}
				return errRaced // made meanwhile: the next attempt returns it
			}
			return err
		}
		for _, m := range []map[string]string{metadata, system} {
			for k, v := range m {
				if err := tx.SetMetadata(ctx, store.Meta{FileID: f.ID, Name: k, Value: v, Public: true}); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, errs.E(op, err)
	}
	n := s.node(u.WithoutQuery(), drive.FSMy, f, actor)
	if err := s.loadMetadata(ctx, []*Node{n}); err != nil {
		return nil, errs.E(op, err)
	}
	return n, nil
}

// shortcutMetadata takes the shortcut keys out of a create request's
// metadata. sys:shared_redirect makes the new item a shortcut (30-files
// §5.1) to a share that must exist; sys:shared_owner is then written by the
// server from that share (a client may send it only with the same value).
// It returns the rest of the client's metadata, checked as usual by
// checkMetadata, and the system keys to write (nil: not a shortcut).
func (s *Service) shortcutMetadata(ctx context.Context, m map[string]string) (map[string]string, map[string]string, error) {
	const op = "files.shortcutMetadata"
	redirect, ok := m[drive.MetaSharedRedirect]
	if !ok {
		return m, nil, nil
	}
	u, err := drive.ParseURI(redirect)
	if err != nil || u.FS != drive.FSShare {
		return nil, nil, errs.E(op, errs.Invalid, "sys:shared_redirect must be a share URI")
	}
	id, err := s.ids.Decode(u.ID, hashid.Share)
	if err != nil {
		return nil, nil, errs.E(op, errs.Invalid, "sys:shared_redirect names no share")
	}
	sh, err := s.db.ShareByID(ctx, id)
	if errs.Is(errs.NotExist, err) {
		return nil, nil, errs.E(op, errs.Invalid, "sys:shared_redirect names no share")
	} else if err != nil {
		return nil, nil, errs.E(op, err)
	}
	owner := s.ids.Encode(sh.OwnerID, hashid.User)
	if v, ok := m[drive.MetaSharedOwner]; ok && v != owner {
		return nil, nil, errs.E(op, errs.Invalid, "sys:shared_owner is not the owner of the share")
	}
	rest := make(map[string]string, len(m))
	for k, v := range m {
		if k != drive.MetaSharedRedirect && k != drive.MetaSharedOwner {
			rest[k] = v
		}
	}
	return rest, map[string]string{drive.MetaSharedRedirect: u.WithoutQuery().String(), drive.MetaSharedOwner: owner}, nil
}

// mkdirAll walks path from the actor's root inside tx, creating missing
// folders, and returns the last folder. Every folder on the way, the last
// one included, must be able to hold items (holdItems).
func (s *Service) mkdirAll(ctx context.Context, tx *store.Tx, actor drive.Actor, path []string) (*drive.File, error) {
	f, err := s.root(ctx, tx, actor.User.ID)
	if err != nil {
		return nil, err
	}
	for _, name := range path {
		if err := holdItems(f); err != nil {
			return nil, err
		}
		child, err := tx.ChildByName(ctx, f.ID, name)
		if errs.Is(errs.NotExist, err) {
			if err := s.checkName(ctx, tx, actor, name, drive.TypeFolder); err != nil {
				return nil, err
			}
			child = &drive.File{Type: drive.TypeFolder, Name: name, OwnerID: actor.User.ID, ParentID: f.ID,
				PolicyID: policyOf(actor)}
			if err := tx.InsertFile(ctx, child); err != nil {
				if errs.Is(errs.Exist, err) {
					return nil, errRaced // made meanwhile by a concurrent request
				}
				return nil, err
			}
		} else if err != nil {
			return nil, err
		}
		f = child
	}
	if err := holdItems(f); err != nil {
		return nil, err
	}
	return f, nil
}

func policyOf(actor drive.Actor) int {
	if g := actor.Group(); g != nil {
		return g.StoragePolicyID
	}
	return 0
}

// Rename gives the item at rawURI a new name in the same folder.
func (s *Service) Rename(ctx context.Context, actor drive.Actor, rawURI, newName string) (*Node, error) {
	const op = "files.Rename"
	u, err := parseURI(rawURI)
	if err != nil {
		return nil, errs.E(op, err)
	}
	var n *Node
	err = s.inTxRetry(ctx, func(tx *store.Tx) error {
		if err := lockTree(ctx, tx, actor); err != nil {
			return err
		}
		n, err = s.resolve(ctx, tx, actor, u)
		if err != nil {
			return err
		}
		if err := requireCap(n, CapRename); err != nil {
			return err
		}
		if n.File.IsRoot() || n.File.ParentID == 0 {
			return errs.E(op, ErrUnsupportedAction, "cannot rename a root")
		}
		if !n.Owned {
			return ErrNotOwner
		}
		if err := s.checkName(ctx, tx, actor, newName, n.File.Type); err != nil {
			return err
		}
		if newName == n.File.Name {
			return nil
		}
		if err := s.checkLocks(ctx, tx, actor.User.ID, treeTarget(n.URI.Path),
			itemTarget(n.URI.Path[:len(n.URI.Path)-1])); err != nil {
			return err
		}
		if err := tx.MoveFile(ctx, n.File.ID, n.File.ParentID, newName, s.now()); err != nil {
			if errs.Is(errs.Exist, err) {
				return ErrNameConflict
			}
			return err
		}
		if ext(newName) != ext(n.File.Name) && !n.File.IsFolder() {
			if err := tx.DeleteMetadata(ctx, n.File.ID, drive.MetaThumbDisabled); err != nil {
				return err
			}
		}
		n.File.Name, n.Name = newName, newName
		parent, _ := u.WithoutQuery().Parent()
		n.URI = parent.Join(newName)
		return nil
	})
	if err != nil {
		return nil, errs.E(op, err)
	}
	if err := s.loadMetadata(ctx, []*Node{n}); err != nil {
		return nil, errs.E(op, err)
	}
	return n, nil
}

func ext(name string) string {
	for i := len(name) - 1; i >= 0; i-- {
		if name[i] == '.' {
			return name[i+1:]
		}
	}
	return ""
}

// checkName applies the name rules, and for files the policy rules too.
// Inside a transaction r must be that transaction: another connection could
// wait for one the transaction's peers hold (SQLite's pool is small).
func (s *Service) checkName(ctx context.Context, r reader, actor drive.Actor, name string, typ drive.FileType) error {
	if typ == drive.TypeFile {
		return s.checkFileName(ctx, r, actor, name)
	}
	if err := drive.ValidateName(name); err != nil {
		return errs.E("files.checkName", ErrIllegalName, err)
	}
	return nil
}

// expectedCollect renders the trash expiry for a group's retention.
func (s *Service) expectedCollect(actor drive.Actor) string {
	retention := 0
	if g := actor.Group(); g != nil {
		retention = g.Settings.TrashRetention
	}
	return strconv.FormatInt(s.now().Unix()+int64(retention), 10)
}

// InfoByID returns the actor's own file by public ID, reached through "my"
// (or the trash, for trashed items).
func (s *Service) InfoByID(ctx context.Context, actor drive.Actor, publicID string) (*Node, error) {
	const op = "files.InfoByID"
	if actor.IsAnonymous() {
		return nil, errs.E(op, ErrLoginRequired)
	}
	id, err := s.ids.Decode(publicID, hashid.File)
	if err != nil {
		return nil, errs.E(op, err)
	}
	f, err := s.db.FileByID(ctx, id)
	if errs.Is(errs.NotExist, err) {
		return nil, errs.E(op, ErrPathNotExist)
	} else if err != nil {
		return nil, errs.E(op, err)
	}
	if f.OwnerID != actor.User.ID {
		return nil, errs.E(op, ErrNotOwner)
	}
	if f.IsRoot() {
		return nil, errs.E(op, ErrUnsupportedAction, "info on a filesystem root")
	}
	var path []string
	top := f
	for top.ParentID != 0 {
		path = append([]string{top.Name}, path...)
		if top, err = s.db.FileByID(ctx, top.ParentID); err != nil {
			return nil, errs.E(op, err)
		}
	}
	u := drive.URI{FS: drive.FSMy, Path: path}
	fs := drive.FSMy
	if !top.IsRoot() { // the chain ends at a trashed item
		fs = drive.FSTrash
		u = drive.URI{FS: drive.FSTrash, Path: append([]string{top.Name}, path[:0]...)}
	}
	n := s.node(u, fs, f, actor)
	if err := s.loadMetadata(ctx, []*Node{n}); err != nil {
		return nil, errs.E(op, err)
	}
	return n, nil
}

// checkFileName applies the name rules and the actor's storage policy rules
// for file names: extension allow/deny lists and name patterns.
func (s *Service) checkFileName(ctx context.Context, r reader, actor drive.Actor, name string) error {
	if err := drive.ValidateName(name); err != nil {
		return errs.E("files.checkFileName", ErrIllegalName, err)
	}
	id := policyOf(actor)
	if id == 0 {
		return nil
	}
	p, err := r.Policy(ctx, id)
	if err != nil {
		return err
	}
	rules, err := nameRules(p)
	if err != nil {
		return err
	}
	if err := rules.Check(name); err != nil {
		return errs.E("files.checkFileName", ErrIllegalName, err)
	}
	return nil
}

// nameRules compiles a policy's name rules. A pattern that does not compile
// is a broken policy, reported as such rather than silently ignored.
func nameRules(p *drive.Policy) (drive.NameRules, error) {
	r := drive.NameRules{AllowedExt: p.Settings.FileType, DeniedExt: p.Settings.DeniedSuffix}
	var err error
	if x := p.Settings.AllowedNameRegexp; x != "" {
		if r.AllowedRegexp, err = regexp.Compile(x); err != nil {
			return r, errs.E("files.nameRules", errs.Internal, "policy name pattern does not compile", err)
		}
	}
	if x := p.Settings.DeniedNameRegexp; x != "" {
		if r.DeniedRegexp, err = regexp.Compile(x); err != nil {
			return r, errs.E("files.nameRules", errs.Internal, "policy name pattern does not compile", err)
		}
	}
	return r, nil
}
