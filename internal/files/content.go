package files

import (
	"context"
	"io"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/stratus-drive/stratus/internal/auth"
	"github.com/stratus-drive/stratus/internal/drive"
	"github.com/stratus-drive/stratus/internal/errs"
	"github.com/stratus-drive/stratus/internal/hashid"
	"github.com/stratus-drive/stratus/internal/storage"
)

// URLRequest is the body of POST /file/url.
type URLRequest struct {
	URIs      []string
	Download  bool
	Entity    string // entity hashid to serve instead of the current version
	SkipError bool
}

// IssuedURL is a download URL as a path and query on this server; the
// caller puts the site URL in front.
type IssuedURL struct {
	URL string
}

// ContentPathPrefix is where entity content is served.
const ContentPathPrefix = "/api/v4/file/content/"

// IssueURLs returns one signed, expiring download URL per URI, in order,
// and their expiry.
func (s *Service) IssueURLs(ctx context.Context, actor drive.Actor, req URLRequest) ([]IssuedURL, time.Time, error) {
	const op = "files.IssueURLs"
	if err := s.checkBatch(len(req.URIs)); err != nil {
		return nil, time.Time{}, errs.E(op, err)
	}
	expires := s.now().Add(s.urlTTL()).Truncate(time.Second)
	out := make([]IssuedURL, len(req.URIs))
	batch := errs.Batch{}
	for i, raw := range req.URIs {
		u, err := s.issueURL(ctx, actor, raw, req, expires)
		if err != nil {
			if req.SkipError {
				continue
			}
			batch.Add(raw, err)
			continue
		}
		out[i] = IssuedURL{URL: u}
	}
	if err := batch.Err(); err != nil {
		return nil, time.Time{}, errs.E(op, err)
	}
	return out, expires, nil
}

func (s *Service) issueURL(ctx context.Context, actor drive.Actor, raw string, req URLRequest, expires time.Time) (string, error) {
	u, err := parseURI(raw)
	if err != nil {
		return "", err
	}
	n, err := s.resolve(ctx, s.db, actor, u)
	if err != nil {
		return "", err
	}
	if err := requireCap(n, CapDownload); err != nil {
		return "", err
	}
	if n.File.IsFolder() {
		return "", ErrEntityNotExist
	}
	entity := n.File.PrimaryEntity
	if req.Entity != "" {
		id, err := s.ids.Decode(req.Entity, hashid.Entity)
		if err != nil {
			return "", err
		}
		if !s.linked(ctx, n.File.ID, id) {
			return "", ErrEntityNotExist
		}
		entity = id
	}
	// Every URL issued through a share counts as a download (40-share §10).
	if err := s.SpendDownload(ctx, n); err != nil {
		return "", err
	}
	return s.contentURL(entity, speedOf(actor), n.Name, req.Download, expires), nil
}

// SpendDownload counts one download of n: reached through a share, it
// spends one unit of the share's budget, and the guarded write refuses
// (ErrShareNotExist) once the budget is gone. Nodes reached otherwise cost
// nothing. Both REST content URLs and WebDAV GETs through a share-rooted
// account go through here.
func (s *Service) SpendDownload(ctx context.Context, n *Node) error {
	if n.Share == nil {
		return nil
	}
	if err := s.db.SpendShareDownload(ctx, n.Share.ID); errs.Is(errs.NotExist, err) {
		return ErrShareNotExist
	} else if err != nil {
		return err
	}
	return nil
}

// urlTTL is how long issued content URLs stay valid.
func (s *Service) urlTTL() time.Duration {
	ttl := s.settings.Seconds("entity_url_default_ttl")
	if ttl <= 0 {
		ttl = time.Hour
	}
	return ttl
}

// speedOf is the download speed limit of actor's group (0: none).
func speedOf(actor drive.Actor) int {
	if g := actor.Group(); g != nil {
		return g.SpeedLimit
	}
	return 0
}

// contentURL signs the content URL of entity (path and query on this
// server); a zero expires never expires.
func (s *Service) contentURL(entity, speed int, name string, download bool, expires time.Time) string {
	p := &url.URL{Path: ContentPathPrefix + s.ids.Encode(entity, hashid.Entity) + "/" + strconv.Itoa(speed) + "/" + name}
	if download {
		p.RawQuery = "download=true"
	}
	return auth.SignURL(s.settings.SecretKey(), p, expires).String()
}

func (s *Service) linked(ctx context.Context, file, entity int) bool {
	es, err := s.db.EntitiesOfFile(ctx, file)
	if err != nil {
		return false
	}
	for _, e := range es {
		if e.ID == entity && e.UploadSessionID == "" {
			return true
		}
	}
	return false
}

// Content is an entity opened for serving.
type Content struct {
	File    *os.File      // set when the driver stores files locally (sendfile)
	Reader  io.ReadSeeker // set otherwise; an empty reader for empty files
	Size    int64
	ModTime time.Time
}

// Close releases the content.
func (c *Content) Close() error {
	if c.File != nil {
		return c.File.Close()
	}
	return nil
}

// OpenContent opens entity publicID for a signed content URL. The caller has
// verified the signature; an entity that no file links any more is gone.
func (s *Service) OpenContent(ctx context.Context, publicID string) (*Content, error) {
	const op = "files.OpenContent"
	id, err := s.ids.Decode(publicID, hashid.Entity)
	if err != nil {
		return nil, errs.E(op, err)
	}
	if id == 0 { // empty files have no blob
		return &Content{Reader: emptyReader{}}, nil
	}
	e, err := s.db.EntityByID(ctx, id)
	if errs.Is(errs.NotExist, err) || (err == nil && (e.ReferenceCount <= 0 || e.UploadSessionID != "")) {
		return nil, errs.E(op, ErrEntityNotExist)
	} else if err != nil {
		return nil, errs.E(op, err)
	}
	pd, err := s.driverFor(ctx, e.PolicyID)
	if err != nil {
		return nil, errs.E(op, err)
	}
	lf, ok := storage.As[storage.LocalFiler](pd.driver)
	if !ok {
		return nil, errs.E(op, errs.Unsupported, "streaming from this storage is not available yet")
	}
	f, err := lf.OpenFile(ctx, e.Source)
	if err != nil {
		return nil, errs.E(op, err)
	}
	return &Content{File: f, Size: e.Size, ModTime: e.CreatedAt}, nil
}

type emptyReader struct{}

func (emptyReader) Read([]byte) (int, error)       { return 0, io.EOF }
func (emptyReader) Seek(int64, int) (int64, error) { return 0, nil }

// openPrimary opens the current content of f.
func (s *Service) openPrimary(ctx context.Context, f *drive.File) (io.ReadCloser, int64, error) {
	if f.PrimaryEntity == 0 {
		return io.NopCloser(strings.NewReader("")), 0, nil
	}
	e, err := s.db.EntityByID(ctx, f.PrimaryEntity)
	if err != nil {
		return nil, 0, err
	}
	if e.ReferenceCount <= 0 || e.UploadSessionID != "" {
		return nil, 0, ErrEntityNotExist
	}
	pd, err := s.driverFor(ctx, e.PolicyID)
	if err != nil {
		return nil, 0, err
	}
	rc, err := pd.driver.Open(ctx, e.Source, 0, -1)
	if err != nil {
		return nil, 0, err
	}
	return rc, e.Size, nil
}
