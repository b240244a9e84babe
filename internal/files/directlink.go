package files

import (
	"context"
	"net/url"
	"time"

	"github.com/stratus-drive/stratus/internal/drive"
	"github.com/stratus-drive/stratus/internal/errs"
	"github.com/stratus-drive/stratus/internal/hashid"
	"github.com/stratus-drive/stratus/internal/store"
)

// Direct-link conditions with their own codes.
var (
	ErrDirectLinkNotExist = errs.NewSentinel(errs.NotExist, "direct link not found")
	ErrSourceBatchLimit   = errs.NewSentinel(errs.Invalid, "too many files for direct links")
)

// DirectLinkPathPrefix is where persistent direct links are served.
const DirectLinkPathPrefix = "/f/"

// DirectLinkItem is one created direct link: Link is a path and query on
// this server (the caller puts the site URL in front), FileURI the file.
type DirectLinkItem struct {
	Link    string
	FileURI string
}

// CreateDirectLinks makes a direct link for each URI (30-files §7.5). Items
// that fail are collected in an errs.Batch; the links made for the others
// are returned with it, in request order.
func (s *Service) CreateDirectLinks(ctx context.Context, actor drive.Actor, rawURIs []string) ([]DirectLinkItem, error) {
	const op = "files.CreateDirectLinks"
	if actor.IsAnonymous() {
		return nil, errs.E(op, ErrLoginRequired)
	}
	g := actor.Group()
	if g == nil || g.Settings.SourceBatch <= 0 {
		return nil, errs.E(op, ErrGroupNotAllowed, "the group may not create direct links")
	}
	if err := s.checkBatch(len(rawURIs)); err != nil {
		return nil, errs.E(op, err)
	}
	if len(rawURIs) > g.Settings.SourceBatch {
		return nil, errs.E(op, ErrSourceBatchLimit)
	}
	var out []DirectLinkItem
	batch := errs.Batch{}
	for _, raw := range rawURIs {
		item, err := s.createDirectLink(ctx, actor, raw)
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

func (s *Service) createDirectLink(ctx context.Context, actor drive.Actor, raw string) (DirectLinkItem, error) {
	u, err := parseURI(raw)
	if err != nil {
		return DirectLinkItem{}, err
	}
	n, err := s.resolve(ctx, s.db, actor, u)
	if err != nil {
		return DirectLinkItem{}, err
	}
	if !n.Owned && !actor.Can(drive.PermAdmin) {
		return DirectLinkItem{}, ErrNotOwner
	}
	f := n.File
	if f.IsFolder() || f.ParentID == 0 {
		return DirectLinkItem{}, ErrEntityNotExist
	}
	item := DirectLinkItem{FileURI: n.URI.String()}
	speed := speedOf(actor)
	if !actor.Group().Settings.RedirectedSource {
		// A source URL of the current version that never expires.
		item.Link = s.contentURL(f.PrimaryEntity, speed, f.Name, false, time.Time{})
		return item, nil
	}
	var link *drive.DirectLink
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		// The owner's tree lock: two requests for the same link make one.
		if err := tx.UserStorageAdd(ctx, f.OwnerID, 0); err != nil {
			return err
		}
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
		return DirectLinkItem{}, err
	}
	item.Link = s.DirectLinkPath(link)
	return item, nil
}

// DirectLinkPath is the path of link on this server: /f/<hashid>/<name>.
func (s *Service) DirectLinkPath(l *drive.DirectLink) string {
	return DirectLinkPathPrefix + s.ids.Encode(l.ID, hashid.SourceLink) + "/" + url.PathEscape(l.Name)
}

// DeleteDirectLink removes a persistent direct link of a file the actor
// owns (30-files §7.6). Anything else is ErrDirectLinkNotExist.
func (s *Service) DeleteDirectLink(ctx context.Context, actor drive.Actor, publicID string) error {
	const op = "files.DeleteDirectLink"
	id, err := s.ids.Decode(publicID, hashid.SourceLink)
	if err != nil {
		return errs.E(op, err)
	}
	if actor.IsAnonymous() {
		return errs.E(op, ErrDirectLinkNotExist)
	}
	l, err := s.db.DirectLinkByID(ctx, id)
	if errs.Is(errs.NotExist, err) {
		return errs.E(op, ErrDirectLinkNotExist)
	} else if err != nil {
		return errs.E(op, err)
	}
	f, err := s.db.FileByID(ctx, l.FileID)
	if errs.Is(errs.NotExist, err) || (err == nil && f.OwnerID != actor.User.ID) {
		return errs.E(op, ErrDirectLinkNotExist)
	} else if err != nil {
		return errs.E(op, err)
	}
	if err := s.db.DeleteDirectLink(ctx, id); errs.Is(errs.NotExist, err) {
		return errs.E(op, ErrDirectLinkNotExist)
	} else if err != nil {
		return errs.E(op, err)
	}
	return nil
}

// FollowDirectLink counts a visit of direct link publicID under name and
// returns a fresh signed content URL of the file's current version, with the
// link's speed and name, and its expiry (30-files §7.7). The name must be the
// one the link was made for, the owner active and the file not in the trash;
// every failure is ErrDirectLinkNotExist.
func (s *Service) FollowDirectLink(ctx context.Context, publicID, name string, download bool) (string, time.Time, error) {
	const op = "files.FollowDirectLink"
	id, err := s.ids.Decode(publicID, hashid.SourceLink)
	if err != nil {
		return "", time.Time{}, errs.E(op, ErrDirectLinkNotExist, "bad link ID")
	}
	l, err := s.db.DirectLinkByID(ctx, id)
	if errs.Is(errs.NotExist, err) || (err == nil && l.Name != name) {
		return "", time.Time{}, errs.E(op, ErrDirectLinkNotExist)
	} else if err != nil {
		return "", time.Time{}, errs.E(op, err)
	}
	f, err := s.db.FileByID(ctx, l.FileID)
	if errs.Is(errs.NotExist, err) || (err == nil && (f.IsFolder() || f.ParentID == 0)) {
		return "", time.Time{}, errs.E(op, ErrDirectLinkNotExist, "file gone or in the trash")
	} else if err != nil {
		return "", time.Time{}, errs.E(op, err)
	}
	owner, err := s.db.UserByID(ctx, f.OwnerID)
	if errs.Is(errs.NotExist, err) || (err == nil && owner.Status != drive.StatusActive) {
		return "", time.Time{}, errs.E(op, ErrDirectLinkNotExist, "owner not active")
	} else if err != nil {
		return "", time.Time{}, errs.E(op, err)
	}
	if err := s.db.CountDirectLinkDownload(ctx, l.ID); errs.Is(errs.NotExist, err) {
		return "", time.Time{}, errs.E(op, ErrDirectLinkNotExist)
	} else if err != nil {
		return "", time.Time{}, errs.E(op, err)
	}
	expires := s.now().Add(s.urlTTL()).Truncate(time.Second)
	return s.contentURL(f.PrimaryEntity, l.Speed, l.Name, download, expires), expires, nil
}
