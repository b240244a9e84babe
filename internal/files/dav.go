package files

import (
	"context"
	"errors"
	"io"
	"time"

	"github.com/stratus-drive/stratus/internal/drive"
	"github.com/stratus-drive/stratus/internal/errs"
	"github.com/stratus-drive/stratus/internal/hashid"
	"github.com/stratus-drive/stratus/internal/store"
)

// What the WebDAV server needs beyond the REST operations: a stat that
// includes roots, children streamed page by page, content writes without the
// online-edit limit, dead properties, COPY/MOVE to a named destination and
// MKCOL with RFC 4918's parent rule. Locks are in davlock.go.

// LoadMetadata fills File.Metadata of nodes with their public entries.
func (s *Service) LoadMetadata(ctx context.Context, nodes []*Node) error {
	if err := s.loadMetadata(ctx, nodes); err != nil {
		return errs.E("files.LoadMetadata", err)
	}
	return nil
}

// EachChild calls fn with the children of folder n, folders first, in id
// order, at most page at a time, so that a folder of any size is walked in
// bounded memory. fn's error stops the walk and is returned.
func (s *Service) EachChild(ctx context.Context, actor drive.Actor, n *Node, page int, fn func([]*Node) error) error {
	const op = "files.EachChild"
	if err := enter(n.File); err != nil {
		return errs.E(op, err)
	}
	if err := requireCap(n, CapList); err != nil {
		return errs.E(op, err)
	}
	if n.singleFile != nil {
		c := s.node(n.URI.Join(n.singleFile.Name), drive.FSShare, n.singleFile, actor)
		c.Share = n.Share
		return fn([]*Node{c})
	}
	for _, typ := range []drive.FileType{drive.TypeFolder, drive.TypeFile} {
		var after *store.Cursor
		for {
			rows, err := s.db.ListChildren(ctx, n.File.ID, typ, store.OrderID, false, after, page)
			if err != nil {
				return errs.E(op, err)
			}
			if len(rows) > 0 {
				if err := fn(s.children(n, rows, actor)); err != nil {
					return err
				}
			}
			if len(rows) < page {
				break
			}
			after = &store.Cursor{ID: rows[len(rows)-1].ID}
		}
	}
	return nil
}

// OpenNode opens the current content of file n for reading.
func (s *Service) OpenNode(ctx context.Context, n *Node) (*Content, error) {
	const op = "files.OpenNode"
	if err := requireCap(n, CapDownload); err != nil {
		return nil, errs.E(op, err)
	}
	if n.File.IsFolder() {
		return nil, errs.E(op, ErrEntityNotExist)
	}
	c, err := s.OpenContent(ctx, s.ids.Encode(n.File.PrimaryEntity, hashid.Entity))
	if err != nil {
		return nil, errs.E(op, err)
	}
	c.ModTime = n.File.UpdatedAt
	return c, nil
}

// PutOptions qualify a content write.
type PutOptions struct {
	// ModTime is the modification time to record (X-OC-Mtime); zero: now.
	ModTime time.Time
	// Check, when set, sees the file now at the URI (nil: none) before
	// anything is stored, and refuses the write by returning an error, which
	// PutContent returns as is (conditional headers).
	Check func(existing *drive.File) error
}

// davParent applies holdItems to the parent of a WebDAV write: a parent
// that cannot hold items is ErrParentNotExist, WebDAV's 409 (RFC 4918
// §9.7.1), rather than the REST API's 403.
func davParent(f *drive.File) error {
	if err := holdItems(f); err != nil {
		return errs.E("files.davParent", ErrParentNotExist, err)
	}
	return nil
}

// PutContent stores size bytes from body as the content of the file at
// rawURI: a new file, or a new current version of an existing one. It is
// ReplaceContent without the online-edit size limit: quota is reserved
// before the first byte is stored, the body is relayed part by part, and
// any failure (a client that drops mid-body included) discards the session,
// leaving neither a partial file nor a reservation. The parent folder must
// exist. Locks on the file or its folder (WebDAV locks need their token in
// ctx) refuse it before anything is stored. It returns the file as stored.
func (s *Service) PutContent(ctx context.Context, actor drive.Actor, rawURI string, body io.Reader, size int64,
	opt PutOptions) (*drive.File, error) {
	const op = "files.PutContent"
	if size < 0 {
		return nil, errs.E(op, ErrInvalidContentLength)
	}
	u, err := s.newItemURI(actor, rawURI)
	if err != nil {
		return nil, errs.E(op, err)
	}
	if u.IsRoot() {
		return nil, errs.E(op, ErrUnsupportedAction)
	}
	parentURI, _ := u.Parent()
	parent, err := s.resolve(ctx, s.db, actor, parentURI)
	if err != nil {
		return nil, errs.E(op, ErrParentNotExist, err)
	}
	if err := davParent(parent.File); err != nil {
		return nil, errs.E(op, err)
	}
	existing, err := s.db.ChildByName(ctx, parent.File.ID, u.Name())
	if errs.Is(errs.NotExist, err) {
		existing = nil
	} else if err != nil {
		return nil, errs.E(op, err)
	}
	if opt.Check != nil {
		if err := opt.Check(existing); err != nil {
			return nil, err
		}
	}
	if existing != nil && existing.IsFolder() {
		return nil, errs.E(op, ErrNameConflict, "a folder has that name")
	}
	var lastModified int64
	if !opt.ModTime.IsZero() {
		lastModified = opt.ModTime.UnixMilli()
	}
	sess, stored, key, err := s.createUpload(ctx, actor, UploadRequest{URI: u.String(), Size: size,
		EntityType: "version", LastModified: lastModified}, true)
	if err != nil {
		return nil, errs.E(op, err)
	}
	var f *drive.File
	if stored.UploadID == "" {
		f, err = s.putWhole(ctx, stored, key, body)
	} else {
		err = s.relay(ctx, actor, sess, body, size)
	}
	if err == nil && f == nil { // relayed, or completed by a racing request
		f, err = s.db.FileByID(ctx, stored.FileID)
	}
	if err != nil {
		return nil, errs.E(op, err)
	}
	return f, nil
}

// putWhole stores the blob of a one-chunk upload with a single Put (a
// temporary file renamed into place) and completes the session; any
// failure discards it. It returns the file as stored, or nil when a racing
// request completed the session first.
func (s *Service) putWhole(ctx context.Context, sess *store.UploadSession, key string, body io.Reader) (*drive.File, error) {
	pd, err := s.driverFor(ctx, sess.PolicyID)
	if err != nil {
		s.discard(ctx, sess.ID)
		return nil, err
	}
	err = pd.driver.Put(ctx, key, io.LimitReader(body, sess.Size), sess.Size)
	if err != nil {
		s.discard(ctx, sess.ID)
		if errs.Is(errs.Invalid, err) || errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, errs.E("files.putWhole", ErrIO, err)
		}
		return nil, err
	}
	f, err := s.finishUpload(ctx, sess, pd, true)
	if err != nil {
		s.discard(ctx, sess.ID)
		// Cancelled meanwhile (force unlock) with its entity row gone: no
		// recycler will find the blob, so it goes now.
		if _, e := s.db.EntityByID(ctx, sess.EntityID); errs.Is(errs.NotExist, e) {
			if derr := pd.driver.Delete(context.WithoutCancel(ctx), key); derr != nil {
				s.log.Warn("deleting the blob of a cancelled upload", "key", key, "err", derr)
			}
		}
		return nil, err
	}
	return f, nil
}

// ErrParentNotExist is a new item whose folder is missing (RFC 4918: 409).
var ErrParentNotExist = errs.NewSentinel(errs.Conflict, "parent folder does not exist")

// MakeFolder creates the folder at rawURI; unlike Create, its parent must
// exist already, and an existing item of any type is ErrNameConflict.
func (s *Service) MakeFolder(ctx context.Context, actor drive.Actor, rawURI string) (*Node, error) {
	const op = "files.MakeFolder"
	u, err := s.newItemURI(actor, rawURI)
	if err != nil {
		return nil, errs.E(op, err)
	}
	if u.IsRoot() {
		return nil, errs.E(op, ErrNameConflict, "the root already exists")
	}
	if err := s.checkName(ctx, s.db, actor, u.Name(), drive.TypeFolder); err != nil {
		return nil, errs.E(op, err)
	}
	var f *drive.File
	err = s.inTxRetry(ctx, func(tx *store.Tx) error {
		if err := lockTree(ctx, tx, actor); err != nil {
			return err
		}
		parentURI, _ := u.Parent()
		parent, err := s.resolve(ctx, tx, actor, parentURI)
		if errs.Is(errs.NotExist, err) {
			return ErrParentNotExist
		} else if err != nil {
			return err
		}
		if err := davParent(parent.File); err != nil {
			return err
		}
		if _, err := tx.ChildByName(ctx, parent.File.ID, u.Name()); err == nil {
			return ErrNameConflict
		} else if !errs.Is(errs.NotExist, err) {
			return err
		}
		if err := s.checkLocks(ctx, tx, actor.User.ID, itemTarget(parentURI.Path)); err != nil {
			return err
		}
		f = &drive.File{Type: drive.TypeFolder, Name: u.Name(), OwnerID: actor.User.ID, ParentID: parent.File.ID,
			PolicyID: policyOf(actor)}
		if err := tx.InsertFile(ctx, f); err != nil {
			if errs.Is(errs.Exist, err) {
				return ErrNameConflict
			}
			return err
		}
		return nil
	})
	if err != nil {
		return nil, errs.E(op, err)
	}
	return s.node(u, drive.FSMy, f, actor), nil
}

// TransferOptions qualify Transfer.
type TransferOptions struct {
	Copy bool
	// Overwrite trashes an item already at the destination; without it an
	// existing destination is ErrNameConflict.
	Overwrite bool
	// Shallow copies a folder without its members (COPY with Depth: 0).
	Shallow bool
}

// Transfer moves or copies the item at rawSrc to rawDst, a path in the
// actor's tree whose parent folder must exist (else ErrParentNotExist). It
// reports whether an existing item was replaced. Everything happens in one
// transaction: a failure leaves both places as they were.
func (s *Service) Transfer(ctx context.Context, actor drive.Actor, rawSrc, rawDst string, opt TransferOptions) (bool, error) {
	const op = "files.Transfer"
	srcURI, err := parseURI(rawSrc)
	if err != nil {
		return false, errs.E(op, err)
	}
	dstURI, err := s.newItemURI(actor, rawDst)
	if err != nil {
		return false, errs.E(op, err)
	}
	if dstURI.IsRoot() {
		return false, errs.E(op, ErrNameConflict, "the destination is a root")
	}
	replaced := false
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		replaced = false
		if err := lockTree(ctx, tx, actor); err != nil {
			return err
		}
		src, err := s.resolve(ctx, tx, actor, srcURI)
		if err != nil {
			return err
		}
		if src.File.ID == 0 || src.File.IsRoot() {
			return errs.E(op, ErrUnsupportedAction, "cannot move or copy a root")
		}
		if src.FS != drive.FSMy || !src.Owned {
			return ErrNotOwner
		}
		parentURI, _ := dstURI.Parent()
		parent, err := s.resolve(ctx, tx, actor, parentURI)
		if errs.Is(errs.NotExist, err) {
			return ErrParentNotExist
		} else if err != nil {
			return err
		}
		if err := davParent(parent.File); err != nil {
			return err
		}
		ancestors, err := ancestorsOf(ctx, tx, parent.File)
		if err != nil {
			return err
		}
		if ancestors[src.File.ID] {
			return errs.E(op, ErrUnsupportedAction, "cannot move or copy a folder into itself")
		}
		name := dstURI.Name()
		if err := s.checkName(ctx, tx, actor, name, src.File.Type); err != nil {
			return err
		}
		targets := []lockTarget{itemTarget(parentURI.Path)}
		if !opt.Copy {
			from, _ := srcURI.Parent()
			targets = append(targets, treeTarget(srcURI.Path), itemTarget(from.Path))
		}
		if err := s.checkLocks(ctx, tx, actor.User.ID, targets...); err != nil {
			return err
		}
		existing, err := tx.ChildByName(ctx, parent.File.ID, name)
		switch {
		case err == nil && existing.ID == src.File.ID:
			return nil // onto itself: nothing to do
		case err == nil:
			if !opt.Overwrite {
				return ErrNameConflict
			}
			if err := s.checkLocks(ctx, tx, actor.User.ID, treeTarget(dstURI.Path)); err != nil {
				return err
			}
			gone := s.node(parentURI.Join(name), drive.FSMy, existing, actor)
			if err := s.trash(ctx, tx, actor, gone); err != nil {
				return err
			}
			replaced = true
		case !errs.Is(errs.NotExist, err):
			return err
		}
		switch {
		case !opt.Copy:
			err = tx.MoveFile(ctx, src.File.ID, parent.File.ID, name, src.File.UpdatedAt)
		case opt.Shallow && src.File.IsFolder():
			err = s.copyShallow(ctx, tx, actor, src.File, parent.File, name)
		default:
			err = s.copyTree(ctx, tx, actor, src.File, parent.File, name)
		}
		if errs.Is(errs.Exist, err) {
			return ErrNameConflict
		}
		return err
	})
	if err != nil {
		return false, errs.E(op, err)
	}
	return replaced, nil
}

// copyShallow copies folder src into dst as name, with its metadata but
// without its members.
func (s *Service) copyShallow(ctx context.Context, tx *store.Tx, actor drive.Actor, src, dst *drive.File, name string) error {
	c := &drive.File{Type: src.Type, Name: name, OwnerID: actor.User.ID, ParentID: dst.ID, Props: src.Props,
		PolicyID: src.PolicyID, CreatedAt: s.now(), UpdatedAt: src.UpdatedAt}
	if err := tx.InsertFile(ctx, c); err != nil {
		return err
	}
	metas, err := tx.MetadataOf(ctx, []int{src.ID})
	if err != nil {
		return err
	}
	for _, m := range metas {
		if !copiedMeta(m.Name) {
			continue
		}
		m.FileID = c.ID
		if err := tx.SetMetadata(ctx, m); err != nil {
			return err
		}
	}
	return nil
}

// PropPatch is one change of a dead property.
type PropPatch struct {
	Key    string // metadata key, dav:<namespace>|<local>
	Value  string
	Remove bool
}

// PropTimes are file times a PROPPATCH sets beside its dead properties
// (Windows' Win32CreationTime and Win32LastModifiedTime); zero leaves a time
// as it is.
type PropTimes struct {
	Created, Modified time.Time
}

// PatchDeadProps applies patches, in order and all or nothing, to the item
// at rawURI, and sets its times. Dead properties are metadata the owner may
// change; WebDAV locks on the item need their token in ctx.
func (s *Service) PatchDeadProps(ctx context.Context, actor drive.Actor, rawURI string, patches []PropPatch,
	times PropTimes) error {
	const op = "files.PatchDeadProps"
	u, err := parseURI(rawURI)
	if err != nil {
		return errs.E(op, err)
	}
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		if err := lockTree(ctx, tx, actor); err != nil {
			return err
		}
		n, err := s.resolve(ctx, tx, actor, u)
		if err != nil {
			return err
		}
		if n.File.ID == 0 || !n.Owned || n.FS != drive.FSMy {
			return ErrNotOwner
		}
		if err := s.checkLocks(ctx, tx, actor.User.ID, itemTarget(n.URI.Path)); err != nil {
			return err
		}
		for _, p := range patches {
			if p.Remove {
				err = tx.DeleteMetadata(ctx, n.File.ID, p.Key)
			} else {
				err = tx.SetMetadata(ctx, store.Meta{FileID: n.File.ID, Name: p.Key, Value: p.Value, Public: true})
			}
			if err != nil {
				return err
			}
		}
		if times.Created.IsZero() && times.Modified.IsZero() {
			return nil
		}
		created, modified := n.File.CreatedAt, n.File.UpdatedAt
		if !times.Created.IsZero() {
			created = times.Created
		}
		if !times.Modified.IsZero() {
			modified = times.Modified
		}
		return tx.SetFileTimes(ctx, n.File.ID, created, modified)
	})
	if err != nil {
		return errs.E(op, err)
	}
	return nil
}

// CheckWalk fails with ErrWalkLimit when the subtree of folder n holds more
// items than the actor's group may walk (max_walked_files), so that a
// recursive listing can be refused before its first byte.
func (s *Service) CheckWalk(ctx context.Context, actor drive.Actor, n *Node) error {
	if _, err := walk(ctx, s.db, n.File, WalkLimit(actor)); err != nil {
		return errs.E("files.CheckWalk", err)
	}
	return nil
}
