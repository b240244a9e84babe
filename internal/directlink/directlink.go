// Package directlink owns persistent direct links to files (/f/{id}/{name}):
// creating them for the owner, deleting them, and following them to a fresh
// signed content URL. It sits beside share and reaches files only through
// the surface files exports for the rooms above it.
package directlink

import (
	"context"
	"net/url"
	"time"

	"github.com/stratus-drive/stratus/internal/drive"
	"github.com/stratus-drive/stratus/internal/errs"
	"github.com/stratus-drive/stratus/internal/files"
	"github.com/stratus-drive/stratus/internal/hashid"
	"github.com/stratus-drive/stratus/internal/store"
)

// Service makes, deletes and follows direct links.
type Service struct {
	db  *store.DB
	fs  *files.Service
	ids *hashid.Codec
}

// New returns the direct-link service over the filesystem fs.
func New(db *store.DB, fs *files.Service, ids *hashid.Codec) *Service {
	return &Service{db: db, fs: fs, ids: ids}
}

// Direct-link conditions with their own codes.
var (
	ErrNotExist   = errs.NewSentinel(errs.NotExist, "direct link not found")
	ErrBatchLimit = errs.NewSentinel(errs.Invalid, "too many files for direct links")
)

// PathPrefix is where persistent direct links are served.
const PathPrefix = "/f/"

// Item is one created direct link: Link is a path and query on
// this server (the caller puts the site URL in front), FileURI the file.
type Item struct {
	Link    string
	FileURI string
}

// Create makes a direct link for each URI (30-files §7.5). Items
// that fail are collected in an errs.Batch; the links made for the others
// are returned with it, in request order.
func (s *Service) Create(ctx context.Context, actor drive.Actor, rawURIs []string) ([]Item, error) {
	const op = "directlink.Create"
	if actor.IsAnonymous() {
		return nil, errs.E(op, files.ErrLoginRequired)
	}
	g := actor.Group()
	if g == nil || g.Settings.SourceBatch <= 0 {
		return nil, errs.E(op, files.ErrGroupNotAllowed, "the group may not create direct links")
	}
	if err := s.fs.CheckBatch(len(rawURIs)); err != nil {
		return nil, errs.E(op, err)
	}
	if len(rawURIs) > g.Settings.SourceBatch {
		return nil, errs.E(op, ErrBatchLimit)
	}
	var out []Item
	batch := errs.Batch{}
	for _, raw := range rawURIs {
		item, err := s.create(ctx, actor, raw)
		if err != nil {
			batch.Add(raw, err)
			continue
		}
		out = append(out, item)
	}
	if err := batch.Err(); err != nil {
		return out, errs.E(op, err)
	}
	return out, nil
}

func (s *Service) create(ctx context.Context, actor drive.Actor, raw string) (Item, error) {
	n, err := s.fs.Resolve(ctx, actor, raw)
	if err != nil {
		return Item{}, err
	}
	if !n.Owned && !actor.Can(drive.PermAdmin) {
		return Item{}, files.ErrNotOwner
	}
	f := n.File
	if f.IsFolder() || f.ParentID == 0 {
		return Item{}, files.ErrEntityNotExist
	}
	item := Item{FileURI: n.URI.String()}
	speed := files.SpeedOf(actor)
	if !actor.Group().Settings.RedirectedSource {
		// A source URL of the current version that never expires.
		item.Link = s.fs.ContentURL(f.PrimaryEntity, speed, f.Name, false, time.Time{})
		return item, nil
	}
	var link *drive.DirectLink
	// The owner's tree lock: two requests for the same link make one.
	err = s.fs.InTreeLock(ctx, f.OwnerID, func(tx *store.Tx) error {
		if !actor.Can(drive.PermUniqueDirectLink) {
			l, err := tx.FindDirectLink(ctx, f.ID, f.Name, speed)
			if err == nil {
				link = l
				return nil
			} else if !errs.Is(errs.NotExist, err) {
				return err
			}
		}
		link = &drive.DirectLink{FileID: f.ID, Name: f.Name, Speed: speed}
		return tx.InsertDirectLink(ctx, link)
	})
	if err != nil {
		return Item{}, err
	}
	item.Link = s.Path(link)
	return item, nil
}

// Path is the path of link on this server: /f/<hashid>/<name>.
func (s *Service) Path(l *drive.DirectLink) string {
	return PathPrefix + s.ids.Encode(l.ID, hashid.SourceLink) + "/" + url.PathEscape(l.Name)
}

// Delete removes a persistent direct link of a file the actor
// owns (30-files §7.6). Anything else is ErrNotExist.
func (s *Service) Delete(ctx context.Context, actor drive.Actor, publicID string) error {
	const op = "directlink.Delete"
	id, err := s.ids.Decode(publicID, hashid.SourceLink)
	if err != nil {
		return errs.E(op, err)
	}
	if actor.IsAnonymous() {
		return errs.E(op, ErrNotExist)
	}
	l, err := s.db.DirectLinkByID(ctx, id)
	if errs.Is(errs.NotExist, err) {
		return errs.E(op, ErrNotExist)
	} else if err != nil {
		return errs.E(op, err)
	}
	f, err := s.db.FileByID(ctx, l.FileID)
	if errs.Is(errs.NotExist, err) || (err == nil && f.OwnerID != actor.User.ID) {
		return errs.E(op, ErrNotExist)
	} else if err != nil {
		return errs.E(op, err)
	}
	if err := s.db.DeleteDirectLink(ctx, id); errs.Is(errs.NotExist, err) {
		return errs.E(op, ErrNotExist)
	} else if err != nil {
		return errs.E(op, err)
	}
	return nil
}

// Follow counts a visit of direct link publicID under name and
// returns a fresh signed content URL of the file's current version, with the
// link's speed and name, and its expiry (30-files §7.7). The name must be the
// one the link was made for, the owner active and the file not in the trash;
// every failure is ErrNotExist.
func (s *Service) Follow(ctx context.Context, publicID, name string, download bool) (string, time.Time, error) {
	const op = "directlink.Follow"
	id, err := s.ids.Decode(publicID, hashid.SourceLink)
	if err != nil {
		return "", time.Time{}, errs.E(op, ErrNotExist, "bad link ID")
	}
	l, err := s.db.DirectLinkByID(ctx, id)
	if errs.Is(errs.NotExist, err) || (err == nil && l.Name != name) {
		return "", time.Time{}, errs.E(op, ErrNotExist)
	} else if err != nil {
		return "", time.Time{}, errs.E(op, err)
	}
	f, err := s.db.FileByID(ctx, l.FileID)
	if errs.Is(errs.NotExist, err) || (err == nil && (f.IsFolder() || f.ParentID == 0)) {
		return "", time.Time{}, errs.E(op, ErrNotExist, "file gone or in the trash")
	} else if err != nil {
		return "", time.Time{}, errs.E(op, err)
	}
	owner, err := s.db.UserByID(ctx, f.OwnerID)
	if errs.Is(errs.NotExist, err) || (err == nil && owner.Status != drive.StatusActive) {
		return "", time.Time{}, errs.E(op, ErrNotExist, "owner not active")
	} else if err != nil {
		return "", time.Time{}, errs.E(op, err)
	}
	if err := s.db.CountDirectLinkDownload(ctx, l.ID); errs.Is(errs.NotExist, err) {
		return "", time.Time{}, errs.E(op, ErrNotExist)
	} else if err != nil {
		return "", time.Time{}, errs.E(op, err)
	}
	expires := s.fs.URLExpiry()
	return s.fs.ContentURL(f.PrimaryEntity, l.Speed, l.Name, download, expires), expires, nil
}
