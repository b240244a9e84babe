package files

import (
	"context"
	"encoding/json"
	"io"
	"net/url"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/stratus-drive/stratus/internal/archive"
	"github.com/stratus-drive/stratus/internal/auth"
	"github.com/stratus-drive/stratus/internal/drive"
	"github.com/stratus-drive/stratus/internal/errs"
	"github.com/stratus-drive/stratus/internal/kv"
)

// ArchivePathPrefix is where archive downloads are served:
// ArchivePathPrefix + session ID + "/archive.zip".
const ArchivePathPrefix = "/api/v4/file/archive/"

// Archives issues and serves archive downloads (30-files §7.1, §7.3): a
// session, kept in the KV store until site setting archive_timeout passes,
// records who asked for which URIs; its signed URL streams a zip of them,
// resolved as that user when it is fetched, as often as wanted until the
// session expires. The KV store (Redis for several processes) lets any
// process serve a session another issued.
type Archives struct {
	fs *Service
	kv kv.Store
}

// NewArchives returns the archive downloads of fs, with sessions in store.
func NewArchives(fs *Service, store kv.Store) *Archives {
	return &Archives{fs: fs, kv: store}
}

// archiveSession is the KV value of a session.
type archiveSession struct {
	Owner int      `json:"owner"`
	URIs  []string `json:"uris"`
}

const archiveKeyPrefix = "archive_"

// defaultArchiveTTL applies when archive_timeout is unset or not positive.
const defaultArchiveTTL = 600 * time.Second

// Issue creates an archive session of uris for actor and returns its signed
// URL, as a path and query on this server, and its expiry. The actor's
// group needs the archive-download permission. URIs are only checked for
// syntax here; they are resolved when the archive is fetched.
func (a *Archives) Issue(ctx context.Context, actor drive.Actor, uris []string) (IssuedURL, time.Time, error) {
	const op = "files.Archives.Issue"
	s := a.fs
	if err := s.checkBatch(len(uris)); err != nil {
		return IssuedURL{}, time.Time{}, errs.E(op, err)
	}
	if !actor.Can(drive.PermArchiveDownload) {
		return IssuedURL{}, time.Time{}, errs.E(op, ErrGroupNotAllowed, "archive download not allowed")
	}
	if actor.IsAnonymous() {
		return IssuedURL{}, time.Time{}, errs.E(op, ErrLoginRequired)
	}
	for _, raw := range uris {
		if _, err := parseURI(raw); err != nil {
			return IssuedURL{}, time.Time{}, errs.E(op, err)
		}
	}
	ttl := s.settings.Seconds("archive_timeout")
	if ttl <= 0 {
		ttl = defaultArchiveTTL
	}
	expires := s.now().Add(ttl).Truncate(time.Second)
	value, err := json.Marshal(archiveSession{Owner: actor.User.ID, URIs: uris})
	if err != nil {
		return IssuedURL{}, time.Time{}, errs.E(op, errs.Internal, err)
	}
	id := uuid.NewString()
	if err := a.kv.Set(ctx, archiveKeyPrefix+id, value, ttl); err != nil {
		return IssuedURL{}, time.Time{}, errs.E(op, err)
	}
	u := auth.SignURL(s.settings.SecretKey(), &url.URL{Path: ArchivePathPrefix + id + "/archive.zip"}, expires)
	return IssuedURL{URL: u.String()}, expires, nil
}

// Archive is an archive session resolved for streaming: the entries it
// will hold, decided before the first byte is written.
type Archive struct {
	fs      *Service
	entries []archiveEntry
	// SpeedLimit is the owner's group download speed limit, bytes/s (0: none).
	SpeedLimit int
}

type archiveEntry struct {
	name string // passes archive.CheckName
	file *drive.File
}

// Open resolves session id for streaming, as the user who created it: each
// URI the user may still download becomes entries, folders with all they
// hold under relative paths. URIs that no longer resolve are skipped, as in
// Cloudreve. An unknown or expired session is errs.NotExist; more items than
// the owner's group max_walked_files is ErrWalkLimit.
func (a *Archives) Open(ctx context.Context, id string) (*Archive, error) {
	const op = "files.Archives.Open"
	s := a.fs
	if _, err := uuid.Parse(id); err != nil {
		return nil, errs.E(op, errs.NotExist, "archive session not found")
	}
	raw, ok, err := a.kv.Get(ctx, archiveKeyPrefix+id)
	if err != nil {
		return nil, errs.E(op, err)
	}
	if !ok {
		return nil, errs.E(op, errs.NotExist, "archive session not found")
	}
	var sess archiveSession
	if err := json.Unmarshal(raw, &sess); err != nil {
		return nil, errs.E(op, errs.NotExist, "archive session unreadable")
	}
	actor, err := s.actorOf(ctx, sess.Owner)
	if errs.Is(errs.NotExist, err) || (err == nil && actor.User.Status != drive.StatusActive) {
		return nil, errs.E(op, errs.NotExist, "archive session owner is gone")
	} else if err != nil {
		return nil, errs.E(op, err)
	}
	if !actor.Can(drive.PermArchiveDownload) {
		return nil, errs.E(op, ErrGroupNotAllowed, "archive download not allowed")
	}
	out := &Archive{fs: s, SpeedLimit: actor.Group().SpeedLimit}
	limit := s.walkLimit(*actor)
	top := map[string]bool{}
	for _, rawURI := range sess.URIs {
		entries, err := s.archiveEntries(ctx, *actor, rawURI, top)
		if err != nil {
			if errs.Is(errs.TooLarge, err) {
				return nil, errs.E(op, err)
			}
			s.log.Debug("archive: skipping an item", "uri", rawURI, "err", err)
			continue
		}
		out.entries = append(out.entries, entries...)
		if limit > 0 && len(out.entries) > limit {
			return nil, errs.E(op, ErrWalkLimit)
		}
	}
	return out, nil
}

// archiveEntries lists what rawURI contributes, named relative to the
// archive root. top holds the top-level names taken so far: two URIs with
// the same name get distinct ones.
func (s *Service) archiveEntries(ctx context.Context, actor drive.Actor, rawURI string, top map[string]bool) ([]archiveEntry, error) {
	u, err := parseURI(rawURI)
	if err != nil {
		return nil, err
	}
	n, err := s.resolve(ctx, s.db, actor, u)
	if err != nil {
		return nil, err
	}
	if err := requireCap(n, CapDownload); err != nil {
		return nil, err
	}
	if n.File.ID == 0 || n.File.IsSymbolic || (n.File.IsFolder() && !n.Owned) {
		return nil, ErrUnsupportedAction
	}
	name := uniqueName(archive.EntryName(n.Name), top)
	if !n.File.IsFolder() {
		return []archiveEntry{{name: name, file: n.File}}, nil
	}
	tree, err := walk(ctx, s.db, n.File, s.walkLimit(actor))
	if err != nil {
		return nil, err
	}
	names := map[int]string{n.File.ID: name}
	out := make([]archiveEntry, 0, len(tree))
	for _, f := range tree { // parents come before their children
		if f.ID != n.File.ID {
			parent, ok := names[f.ParentID]
			if !ok || f.IsSymbolic {
				continue
			}
			names[f.ID] = parent + "/" + archive.EntryName(f.Name)
		}
		out = append(out, archiveEntry{name: names[f.ID], file: f})
	}
	return out, nil
}

// uniqueName returns name, or "name (2).ext" and so on when name is taken.
func uniqueName(name string, taken map[string]bool) string {
	candidate := name
	ext := path.Ext(name)
	for i := 2; taken[candidate]; i++ {
		candidate = strings.TrimSuffix(name, ext) + " (" + strconv.Itoa(i) + ")" + ext
	}
	taken[candidate] = true
	return candidate
}

// Write streams the archive to w as a zip of stored entries. A file whose
// content cannot be opened is left out; a failure once an entry has begun
// (or of w) is returned, and the output is then incomplete.
func (a *Archive) Write(ctx context.Context, w io.Writer) error {
	const op = "files.Archive.Write"
	s := a.fs
	zw := archive.NewZipWriter(w)
	for _, e := range a.entries {
		if err := ctx.Err(); err != nil {
			return errs.E(op, err)
		}
		f := e.file
		if f.IsFolder() {
			if err := zw.AddDir(e.name, f.UpdatedAt); err != nil {
				return errs.E(op, err)
			}
			continue
		}
		rc, size, err := s.openPrimary(ctx, f)
		if err != nil {
			s.log.Debug("archive: skipping a file", "file", f.ID, "err", err)
			continue
		}
		err = zw.AddFile(e.name, f.UpdatedAt, size, rc)
		rc.Close()
		if err != nil {
			return errs.E(op, err)
		}
	}
	if err := zw.Close(); err != nil {
		return errs.E(op, err)
	}
	return nil
}

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
