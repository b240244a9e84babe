package admin

import (
	"context"
	"net/url"
	"path"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/stratus-drive/stratus/internal/drive"
	"github.com/stratus-drive/stratus/internal/errs"
	"github.com/stratus-drive/stratus/internal/files"
	"github.com/stratus-drive/stratus/internal/hashid"
	"github.com/stratus-drive/stratus/internal/store"
)

// FileView is a file with what the admin pages show beside it.
type FileView struct {
	File        *drive.File
	Owner       *drive.User
	Entities    []EntityView
	Metadata    []store.Meta
	Shares      []*drive.Share
	DirectLinks []*drive.DirectLink
	// DirectLinkURLs maps a direct link's id to its URL (single file only).
	DirectLinkURLs map[int]string
}

// EntityView is a blob with its creator, policy and (single entity only)
// the files that link it with their owners.
type EntityView struct {
	Entity *drive.Entity
	User   *drive.User
	Policy *drive.Policy
	Files  []FileView
}

// urlTTL is how long the blob URLs the admin pages hand out are valid.
const urlTTL = time.Hour

func (lr ListRequest) boolCondition(key string) bool {
	v := strings.ToLower(lr.Conditions[key])
	return v == "1" || v == "true"
}

// Files lists files, never folders (60-admin §7, 90-newer-versions §6).
func (s *Service) Files(ctx context.Context, actor drive.Actor, lr ListRequest) ([]FileView, Pagination, error) {
	const op = "admin.Files"
	p, err := lr.authorizedPage(op, actor)
	if err != nil {
		return nil, Pagination{}, err
	}
	f := store.FileFilter{Name: lr.Conditions["file_name"], Metadata: lr.Conditions["file_metadata"],
		Shared: lr.boolCondition("file_shared"), DirectLink: lr.boolCondition("file_direct_link")}
	if f.OwnerID, err = lr.intCondition(op, "file_user"); err != nil {
		return nil, Pagination{}, err
	}
	if f.PolicyID, err = lr.intCondition(op, "file_policy"); err != nil {
		return nil, Pagination{}, err
	}
	fs, total, err := s.db.AdminFiles(ctx, f, p)
	if err != nil {
		return nil, Pagination{}, errs.E(op, err)
	}
	out, err := newLoader(s).files(ctx, fs)
	if err != nil {
		return nil, Pagination{}, errs.E(op, err)
	}
	return out, lr.pagination(total), nil
}

// files loads the edges of a page of files with one query per relation.
func (l *loader) files(ctx context.Context, fs []*drive.File) ([]FileView, error) {
	ids := make([]int, len(fs))
	for i, f := range fs {
		ids[i] = f.ID
	}
	entities, err := l.s.db.EntitiesOfFiles(ctx, ids)
	if err != nil {
		return nil, err
	}
	metas, err := l.s.db.MetadataOf(ctx, ids)
	if err != nil {
		return nil, err
	}
	metaOf := map[int][]store.Meta{}
	for _, m := range metas {
		metaOf[m.FileID] = append(metaOf[m.FileID], m)
	}
	shares, err := l.s.db.SharesOfFiles(ctx, ids)
	if err != nil {
		return nil, err
	}
	links, err := l.s.db.DirectLinksOfFiles(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]FileView, 0, len(fs))
	for _, f := range fs {
		v := FileView{File: f, Metadata: metaOf[f.ID], Shares: shares[f.ID], DirectLinks: links[f.ID]}
		if v.Owner, err = l.user(ctx, f.OwnerID); err != nil {
			return nil, err
		}
		for _, e := range entities[f.ID] {
			v.Entities = append(v.Entities, EntityView{Entity: e})
		}
		out = append(out, v)
	}
	return out, nil
}

// File returns any file or folder with its blobs (each with creator and
// policy), metadata, shares and direct links.
func (s *Service) File(ctx context.Context, actor drive.Actor, id int) (FileView, error) {
	const op = "admin.File"
	if err := authorize(op, actor); err != nil {
		return FileView{}, err
	}
	f, err := s.db.FileByID(ctx, id)
	if err != nil {
		return FileView{}, errs.E(op, err)
	}
	v, err := newLoader(s).file(ctx, f, true)
	if err != nil {
		return FileView{}, errs.E(op, err)
	}
	return v, nil
}

// loader loads the edges of admin views, each user and policy once.
type loader struct {
	s        *Service
	users    map[int]*drive.User
	policies map[int]*drive.Policy
}

func newLoader(s *Service) *loader {
	return &loader{s: s, users: map[int]*drive.User{}, policies: map[int]*drive.Policy{}}
}

func (l *loader) user(ctx context.Context, id int) (*drive.User, error) {
	if id == 0 {
		return nil, nil
	}
	if u, ok := l.users[id]; ok {
		return u, nil
	}
	u, err := l.s.db.UserByID(ctx, id)
	if errs.Is(errs.NotExist, err) {
		u, err = nil, nil
	}
	if err != nil {
		return nil, err
	}
	l.users[id] = u
	return u, nil
}

func (l *loader) file(ctx context.Context, f *drive.File, detailed bool) (FileView, error) {
	v := FileView{File: f}
	var err error
	if v.Owner, err = l.user(ctx, f.OwnerID); err != nil {
		return v, err
	}
	es, err := l.s.db.EntitiesOfFile(ctx, f.ID)
	if err != nil {
		return v, err
	}
	for _, e := range es {
		ev := EntityView{Entity: e}
		if detailed {
			if ev.User, err = l.user(ctx, e.CreatedBy); err != nil {
				return v, err
			}
			if ev.Policy, err = l.s.policyCached(ctx, l.policies, e.PolicyID); err != nil {
				return v, err
			}
		}
		v.Entities = append(v.Entities, ev)
	}
	if v.Metadata, err = l.s.db.MetadataOf(ctx, []int{f.ID}); err != nil {
		return v, err
	}
	if v.Shares, _, err = l.s.db.AdminShares(ctx, store.ShareFilter{FileID: f.ID}, store.Page{Limit: 1000}); err != nil {
		return v, err
	}
	if v.DirectLinks, err = l.s.db.DirectLinksOfFile(ctx, f.ID); err != nil {
		return v, err
	}
	if detailed {
		site := strings.TrimRight(l.s.settings.SiteURLs()[0], "/")
		v.DirectLinkURLs = map[int]string{}
		for _, dl := range v.DirectLinks {
			v.DirectLinkURLs[dl.ID] = site + l.s.directLinks.Path(dl)
		}
	}
	return v, nil
}

// FileEdit is an administrator's edit of a file (60-admin §7): its name and
// the metadata entries and direct links to keep.
type FileEdit struct {
	ID          int
	Name        string
	Metadata    []MetaEntry // entries to keep, with new values
	DirectLinks []int       // ids of the direct links to keep
}

// MetaEntry is one metadata entry of a file edit.
type MetaEntry struct {
	Name, Value string
	Public      bool
}

// UpdateFile renames a file and prunes its metadata and direct links.
func (s *Service) UpdateFile(ctx context.Context, actor drive.Actor, e FileEdit) (FileView, error) {
	const op = "admin.UpdateFile"
	if err := authorize(op, actor); err != nil {
		return FileView{}, err
	}
	if e.ID <= 0 {
		return FileView{}, errs.E(op, errs.Invalid, "ID is required")
	}
	if err := drive.ValidateName(e.Name); err != nil || !utf8.ValidString(e.Name) {
		return FileView{}, errs.E(op, files.ErrIllegalName)
	}
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		f, err := tx.FileByID(ctx, e.ID)
		if err != nil {
			return err
		}
		if f.IsRoot() {
			return errs.E(op, errs.Invalid, "a root folder has no name")
		}
		if err := tx.UserStorageAdd(ctx, f.OwnerID, 0); err != nil { // the owner's tree lock
			return err
		}
		if f.Name != e.Name {
			if err := tx.RenameFile(ctx, f.ID, e.Name); errs.Is(errs.Exist, err) {
				return files.ErrNameConflict
			} else if err != nil {
				return err
			}
		}
		metas, err := tx.MetadataOf(ctx, []int{f.ID})
		if err != nil {
			return err
		}
		keep := map[string]MetaEntry{}
		for _, m := range e.Metadata {
			keep[m.Name] = m
		}
		for _, m := range metas {
			if _, ok := keep[m.Name]; !ok {
				if err := tx.DeleteMetadata(ctx, f.ID, m.Name); err != nil {
					return err
				}
			}
		}
		for _, m := range e.Metadata {
			if m.Name == "" || len(m.Value) > 65535 {
				return errs.E(op, errs.Invalid, "metadata needs a name and at most 65535 bytes of value")
			}
			if err := tx.SetMetadata(ctx, store.Meta{FileID: f.ID, Name: m.Name, Value: m.Value, Public: m.Public}); err != nil {
				return err
			}
		}
		links, err := tx.DirectLinksOfFile(ctx, f.ID)
		if err != nil {
			return err
		}
		keepLinks := map[int]bool{}
		for _, id := range e.DirectLinks {
			keepLinks[id] = true
		}
		for _, dl := range links {
			if !keepLinks[dl.ID] {
				if err := tx.DeleteDirectLink(ctx, dl.ID); err != nil {
					return err
				}
			}
		}
		return s.record(ctx, tx, actor, "file.update", "file", f.ID, map[string]any{"name": f.Name},
			map[string]any{"name": e.Name})
	})
	if err != nil {
		return FileView{}, errs.E(op, err)
	}
	return s.File(ctx, actor, e.ID)
}

// FileURL signs a URL of the file's current version, valid for an hour.
func (s *Service) FileURL(ctx context.Context, actor drive.Actor, id int) (string, error) {
	const op = "admin.FileURL"
	if err := authorize(op, actor); err != nil {
		return "", err
	}
	f, err := s.db.FileByID(ctx, id)
	if err != nil {
		return "", errs.E(op, err)
	}
	if f.PrimaryEntity == 0 {
		return "", errs.E(op, ErrPrimaryEntityAbsent)
	}
	u, err := s.files.BlobURL(ctx, f.PrimaryEntity, f.Name, false, urlTTL)
	if errs.Is(errs.NotExist, err) {
		return "", errs.E(op, ErrPrimaryEntityAbsent)
	} else if err != nil {
		return "", errs.E(op, err)
	}
	return u, nil
}

// DeleteFiles permanently deletes files with their subtrees, crediting the
// owners (60-admin §7). Unlike the reference, a folder takes its children
// with it: a child without its folder would be unreachable.
func (s *Service) DeleteFiles(ctx context.Context, actor drive.Actor, ids []int) error {
	return eachID("admin.DeleteFiles", actor, ids, func(id int) error {
		if err := s.files.PurgeByID(ctx, id); err != nil {
			return err
		}
		return s.record(ctx, s.db, actor, "file.delete", "file", id, nil, nil)
	})
}

// Entities lists blobs (60-admin §8).
func (s *Service) Entities(ctx context.Context, actor drive.Actor, lr ListRequest) ([]EntityView, Pagination, error) {
	const op = "admin.Entities"
	p, err := lr.authorizedPage(op, actor)
	if err != nil {
		return nil, Pagination{}, err
	}
	f := store.EntityFilter{Type: -1}
	if f.CreatedBy, err = lr.intCondition(op, "entity_user"); err != nil {
		return nil, Pagination{}, err
	}
	if f.PolicyID, err = lr.intCondition(op, "entity_policy"); err != nil {
		return nil, Pagination{}, err
	}
	if v := lr.Conditions["entity_type"]; v != "" {
		if f.Type, err = lr.intCondition(op, "entity_type"); err != nil {
			return nil, Pagination{}, err
		}
	}
	es, total, err := s.db.AdminEntities(ctx, f, p)
	if err != nil {
		return nil, Pagination{}, errs.E(op, err)
	}
	l := newLoader(s)
	out := make([]EntityView, 0, len(es))
	for _, e := range es {
		v := EntityView{Entity: e}
		if v.User, err = l.user(ctx, e.CreatedBy); err != nil {
			return nil, Pagination{}, errs.E(op, err)
		}
		if v.Policy, err = s.policyCached(ctx, l.policies, e.PolicyID); err != nil {
			return nil, Pagination{}, errs.E(op, err)
		}
		out = append(out, v)
	}
	return out, lr.pagination(total), nil
}

// Entity returns blob id with the files that link it and their owners.
func (s *Service) Entity(ctx context.Context, actor drive.Actor, id int) (EntityView, error) {
	const op = "admin.Entity"
	if err := authorize(op, actor); err != nil {
		return EntityView{}, err
	}
	e, err := s.db.EntityByID(ctx, id)
	if err != nil {
		return EntityView{}, errs.E(op, err)
	}
	l := newLoader(s)
	v := EntityView{Entity: e}
	if v.User, err = l.user(ctx, e.CreatedBy); err != nil {
		return EntityView{}, errs.E(op, err)
	}
	if v.Policy, err = s.policyCached(ctx, l.policies, e.PolicyID); err != nil {
		return EntityView{}, errs.E(op, err)
	}
	fs, err := s.db.FilesOfEntity(ctx, id)
	if err != nil {
		return EntityView{}, errs.E(op, err)
	}
	for _, f := range fs {
		owner, err := l.user(ctx, f.OwnerID)
		if err != nil {
			return EntityView{}, errs.E(op, err)
		}
		v.Files = append(v.Files, FileView{File: f, Owner: owner})
	}
	return v, nil
}

// EntityURL signs a download URL of blob id, valid for an hour, named after
// the last element of its storage key.
func (s *Service) EntityURL(ctx context.Context, actor drive.Actor, id int) (string, error) {
	const op = "admin.EntityURL"
	if err := authorize(op, actor); err != nil {
		return "", err
	}
	e, err := s.db.EntityByID(ctx, id)
	if err != nil {
		return "", errs.E(op, err)
	}
	u, err := s.files.BlobURL(ctx, id, path.Base(e.Source), true, urlTTL)
	if err != nil {
		return "", errs.E(op, err)
	}
	return u, nil
}

// DeleteEntities deletes blobs and their objects even while files link
// them (60-admin §8); see files.DeleteBlob.
func (s *Service) DeleteEntities(ctx context.Context, actor drive.Actor, ids []int, force bool) error {
	return eachID("admin.DeleteEntities", actor, ids, func(id int) error {
		if err := s.files.DeleteBlob(ctx, id, force); err != nil {
			return err
		}
		return s.record(ctx, s.db, actor, "entity.delete", "entity", id, nil, map[string]bool{"force": force})
	})
}

// ShareView is a share link with its target, creator and URL.
type ShareView struct {
	Share *drive.Share
	File  *drive.File
	User  *drive.User
	Link  string
}

// Shares lists share links (60-admin §10).
func (s *Service) Shares(ctx context.Context, actor drive.Actor, lr ListRequest) ([]ShareView, Pagination, error) {
	const op = "admin.Shares"
	p, err := lr.authorizedPage(op, actor)
	if err != nil {
		return nil, Pagination{}, err
	}
	var f store.ShareFilter
	if f.OwnerID, err = lr.intCondition(op, "share_user_id"); err != nil {
		return nil, Pagination{}, err
	}
	if f.FileID, err = lr.intCondition(op, "share_file_id"); err != nil {
		return nil, Pagination{}, err
	}
	if v := lr.Conditions["share_id"]; v != "" {
		for _, item := range strings.Split(v, ",") {
			id, err := strconv.Atoi(strings.TrimSpace(item))
			if err != nil || id <= 0 {
				return nil, Pagination{}, errs.E(op, errs.Invalid, "condition share_id must list numbers")
			}
			f.IDs = append(f.IDs, id)
		}
	}
	shs, total, err := s.db.AdminShares(ctx, f, p)
	if err != nil {
		return nil, Pagination{}, errs.E(op, err)
	}
	l := newLoader(s)
	out := make([]ShareView, 0, len(shs))
	for _, sh := range shs {
		v, err := l.share(ctx, sh)
		if err != nil {
			return nil, Pagination{}, errs.E(op, err)
		}
		out = append(out, v)
	}
	return out, lr.pagination(total), nil
}

func (l *loader) share(ctx context.Context, sh *drive.Share) (ShareView, error) {
	v := ShareView{Share: sh}
	var err error
	if v.User, err = l.user(ctx, sh.OwnerID); err != nil {
		return v, err
	}
	if v.File, err = l.s.db.FileByID(ctx, sh.FileID); errs.Is(errs.NotExist, err) {
		err = nil
	}
	if err != nil {
		return v, err
	}
	v.Link = strings.TrimRight(l.s.settings.SiteURLs()[0], "/") + "/s/" + l.s.ids.Encode(sh.ID, hashid.Share)
	if sh.Password != "" {
		v.Link += "/" + url.PathEscape(sh.Password)
	}
	return v, nil
}

// Share returns share link id.
func (s *Service) Share(ctx context.Context, actor drive.Actor, id int) (ShareView, error) {
	const op = "admin.Share"
	if err := authorize(op, actor); err != nil {
		return ShareView{}, err
	}
	sh, err := s.db.ShareByID(ctx, id)
	if err != nil {
		return ShareView{}, errs.E(op, err)
	}
	v, err := newLoader(s).share(ctx, sh)
	if err != nil {
		return ShareView{}, errs.E(op, err)
	}
	return v, nil
}

// DeleteShares deletes share links; unknown ids fail per item.
func (s *Service) DeleteShares(ctx context.Context, actor drive.Actor, ids []int) error {
	return eachID("admin.DeleteShares", actor, ids, func(id int) error {
		return s.db.InTx(ctx, func(tx *store.Tx) error {
			sh, err := tx.ShareByID(ctx, id)
			if err != nil {
				return err
			}
			if err := tx.DeleteShare(ctx, id); err != nil {
				return err
			}
			return s.record(ctx, tx, actor, "share.delete", "share", id,
				map[string]any{"owner": sh.OwnerID, "file": sh.FileID}, nil)
		})
	})
}
