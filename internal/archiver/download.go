package archiver

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
	"github.com/stratus-drive/stratus/internal/files"
	"github.com/stratus-drive/stratus/internal/throttle"
)

// PathPrefix is where archive downloads are served: PathPrefix + session
// ID + "/archive.zip".
const PathPrefix = "/api/v4/file/archive/"

// archiveSession is the KV value of a session: who asked (the anonymous
// user's ID 0 for a signed-out visitor), and the items resolved when it was
// made, by ID (a few bytes each, whatever the URIs).
type archiveSession struct {
	Owner int           `json:"owner"`
	Items []files.Reach `json:"items"`
}

const archiveKeyPrefix = "archive_"

// defaultArchiveTTL applies when archive_timeout is unset or not positive.
const defaultArchiveTTL = 600 * time.Second

// Bounds of archive sessions: items per session, and sessions a user (a
// client address, for anonymous visitors) may make per archive_timeout
// (which is also how long each lives), so that the sessions one of them can
// hold at once are bounded too.
const (
	maxArchiveItems       = 1000
	maxArchiveSessions    = 20
	archiveSessionsBucket = "archive_sessions"
)

// Issue creates an archive session of uris for actor and returns its signed
// URL, as a path and query on this server, and its expiry. The actor's
// group needs the archive-download permission; an anonymous visitor (the
// anonymous group's permission) may archive share URIs only. Every URI is
// resolved now, as a download would be (missing items, others' items, wrong
// share passwords, invalid shares and items the actor may not download fail
// the whole request with their own code), each item reached through a
// share spends a unit of its download budget as a download URL does, and
// the session keeps only the IDs of what they resolved to; fetching the
// archive checks those again.
func (s *Service) Issue(ctx context.Context, actor drive.Actor, uris []string) (files.IssuedURL, time.Time, error) {
	const op = "archiver.Issue"
	if err := s.fs.CheckBatch(len(uris)); err != nil {
		return files.IssuedURL{}, time.Time{}, errs.E(op, err)
	}
	if len(uris) > maxArchiveItems {
		return files.IssuedURL{}, time.Time{}, errs.E(op, files.ErrTooManyURIs)
	}
	if !actor.Can(drive.PermArchiveDownload) {
		return files.IssuedURL{}, time.Time{}, errs.E(op, files.ErrGroupNotAllowed, "archive download not allowed")
	}
	for _, raw := range uris {
		u, err := files.ParseURI(raw)
		if err != nil {
			return files.IssuedURL{}, time.Time{}, errs.E(op, err)
		}
		if actor.IsAnonymous() && u.FS != drive.FSShare {
			return files.IssuedURL{}, time.Time{}, errs.E(op, files.ErrLoginRequired)
		}
	}
	ttl := s.settings.Seconds("archive_timeout")
	if ttl <= 0 {
		ttl = defaultArchiveTTL
	}
	sess := archiveSession{Owner: actor.User.ID, Items: make([]files.Reach, 0, len(uris))}
	nodes := make([]*files.Node, 0, len(uris))
	for _, raw := range uris {
		n, err := s.fs.Resolve(ctx, actor, raw)
		if err != nil {
			return files.IssuedURL{}, time.Time{}, errs.E(op, err)
		}
		if err := archivable(n); err != nil {
			return files.IssuedURL{}, time.Time{}, errs.E(op, err)
		}
		nodes = append(nodes, n)
		sess.Items = append(sess.Items, files.ReachOf(n))
	}
	// Counted once the session is sure to be made: refused requests make
	// no session and use up none of the allowance.
	if _, err := s.limiter.Reserve(ctx, throttle.Bucket{Key: sessionsKey(ctx, actor),
		Limit: maxArchiveSessions, Window: ttl}); err != nil {
		return files.IssuedURL{}, time.Time{}, errs.E(op, err)
	}
	for _, n := range nodes {
		if err := s.fs.SpendDownload(ctx, n); err != nil {
			return files.IssuedURL{}, time.Time{}, errs.E(op, err)
		}
	}
	expires := s.fs.Now().Add(ttl).Truncate(time.Second)
	value, err := json.Marshal(sess)
	if err != nil {
		return files.IssuedURL{}, time.Time{}, errs.E(op, errs.Internal, err)
	}
	id := uuid.NewString()
	if err := s.kv.Set(ctx, archiveKeyPrefix+id, value, ttl); err != nil {
		return files.IssuedURL{}, time.Time{}, errs.E(op, err)
	}
	u := auth.SignURL(s.settings.SecretKey(), &url.URL{Path: PathPrefix + id + "/archive.zip"}, expires)
	return files.IssuedURL{URL: u.String()}, expires, nil
}

// sessionsKey is the allowance actor's sessions count against: the user's,
// or for anonymous visitors (all user 0) the client address's.
func sessionsKey(ctx context.Context, actor drive.Actor) string {
	if actor.IsAnonymous() {
		return throttle.Key(archiveSessionsBucket, "addr", throttle.ClientIPFrom(ctx))
	}
	return throttle.Key(archiveSessionsBucket, strconv.Itoa(actor.User.ID))
}

// archivable refuses what an archive cannot hold: virtual roots, shortcuts,
// items without the download capability, and folders of someone else (a
// share's folders are walked only by their owner).
func archivable(n *files.Node) error {
	if err := n.Require(files.CapDownload); err != nil {
		return err
	}
	if n.File.ID == 0 || n.File.IsSymbolic || (n.File.IsFolder() && !n.Owned) {
		return files.ErrUnsupportedAction
	}
	return nil
}

// Archive is an archive session resolved for streaming: the entries it
// will hold, decided before the first byte is written.
type Archive struct {
	s       *Service
	entries []archiveEntry
	// SpeedLimit is the owner's group download speed limit, bytes/s (0: none).
	SpeedLimit int
}

type archiveEntry struct {
	name string // passes archive.CheckName
	file *drive.File
}

// Open resolves session id for streaming, as the user who created it (for a
// signed-out visitor, the anonymous user with the anonymous group as it is
// now): each URI the user may still download becomes entries, folders with
// all they hold under relative paths. URIs that no longer resolve are skipped, as in
// Cloudreve. An unknown or expired session is errs.NotExist; more items than
// the owner's group max_walked_files is ErrWalkLimit.
func (s *Service) Open(ctx context.Context, id string) (*Archive, error) {
	const op = "archiver.Open"
	if _, err := uuid.Parse(id); err != nil {
		return nil, errs.E(op, errs.NotExist, "archive session not found")
	}
	raw, ok, err := s.kv.Get(ctx, archiveKeyPrefix+id)
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
	actor, err := s.sessionActor(ctx, sess.Owner)
	if err != nil {
		return nil, errs.E(op, err)
	}
	if !actor.Can(drive.PermArchiveDownload) {
		return nil, errs.E(op, files.ErrGroupNotAllowed, "archive download not allowed")
	}
	out := &Archive{s: s, SpeedLimit: actor.Group().SpeedLimit}
	limit := files.WalkLimit(*actor)
	top := map[string]bool{}
	for _, item := range sess.Items {
		entries, err := s.archiveEntries(ctx, *actor, item, top)
		if err != nil {
			if errs.Is(errs.TooLarge, err) {
				return nil, errs.E(op, err)
			}
			s.log.Debug("archive: skipping an item", "file", item.File, "err", err)
			continue
		}
		out.entries = append(out.entries, entries...)
		if limit > 0 && len(out.entries) > limit {
			return nil, errs.E(op, files.ErrWalkLimit)
		}
	}
	return out, nil
}

// sessionActor is who a session acts as when fetched: the user who made it
// as they are now (gone or no longer active is errs.NotExist), or the
// anonymous user with the anonymous group's current permissions.
func (s *Service) sessionActor(ctx context.Context, owner int) (*drive.Actor, error) {
	if owner == drive.AnonymousUserID {
		g, err := s.db.Group(ctx, drive.AnonymousGroupID)
		if err != nil {
			return nil, err
		}
		return &drive.Actor{User: &drive.User{ID: drive.AnonymousUserID, GroupID: g.ID, Group: g}}, nil
	}
	actor, err := s.fs.ActorOf(ctx, owner)
	if errs.Is(errs.NotExist, err) || (err == nil && actor.User.Status != drive.StatusActive) {
		return nil, errs.E("archiver.sessionActor", errs.NotExist, "archive session owner is gone")
	}
	return actor, err
}

// archiveEntries lists what item contributes, named relative to the
// archive root, found again as actor (files.NodeOf). top holds the
// top-level names taken so far: two items with the same name get distinct
// ones.
func (s *Service) archiveEntries(ctx context.Context, actor drive.Actor, item files.Reach, top map[string]bool) ([]archiveEntry, error) {
	n, err := s.fs.NodeOf(ctx, actor, item)
	if err != nil {
		return nil, err
	}
	if err := archivable(n); err != nil {
		return nil, err
	}
	name := uniqueName(archive.EntryName(n.Name), top)
	if !n.File.IsFolder() {
		return []archiveEntry{{name: name, file: n.File}}, nil
	}
	tree, err := s.fs.Walk(ctx, actor, n.File)
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
	const op = "archiver.Archive.Write"
	s := a.s
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
		rc, size, err := s.fs.OpenPrimary(ctx, f)
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
