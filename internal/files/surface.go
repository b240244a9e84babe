package files

import (
	"context"
	"io"
	"time"

	"github.com/stratus-drive/stratus/internal/drive"
	"github.com/stratus-drive/stratus/internal/storage"
	"github.com/stratus-drive/stratus/internal/store"
)

// The surface the rooms built on the filesystem use (media, archiver,
// directlink, task): resolving a URI for an actor, opening what an entity
// stores, and running a change under an owner's tree lock. Everything else
// they need from the database they read through *store.DB themselves.

// ParseURI parses a cloudreve:// URI; a malformed one is ErrInvalidURI.
func ParseURI(raw string) (drive.URI, error) { return parseURI(raw) }

// Resolve parses raw and resolves it for actor through its filesystem's
// rules (ownership, the trash, share passwords and validity). The caller
// checks the capability it needs with Node.Require.
func (s *Service) Resolve(ctx context.Context, actor drive.Actor, raw string) (*Node, error) {
	u, err := parseURI(raw)
	if err != nil {
		return nil, err
	}
	return s.resolve(ctx, s.db, actor, u)
}

// Require fails with ErrUnsupportedAction unless the filesystem n was
// reached through grants capability bit (one of the Cap constants).
func (n *Node) Require(bit int) error { return requireCap(n, bit) }

// Enter fails unless n's members may be looked at: a file is
// ErrPathNotExist, a shortcut ErrUnsupportedAction (clients follow its
// sys:shared_redirect instead).
func (n *Node) Enter() error { return enter(n.File) }

// Driver returns the storage driver of policy id, built once per process.
func (s *Service) Driver(ctx context.Context, policyID int) (storage.Driver, error) {
	pd, err := s.driverFor(ctx, policyID)
	if err != nil {
		return nil, err
	}
	return pd.driver, nil
}

// OpenPrimary opens the current content of file f and returns its size. An
// empty file reads as empty; a version no file links any more, or one still
// uploading, is ErrEntityNotExist.
func (s *Service) OpenPrimary(ctx context.Context, f *drive.File) (io.ReadCloser, int64, error) {
	return s.openPrimary(ctx, f)
}

// InTreeLock runs fn in a transaction that first takes owner's tree lock,
// so it is ordered with every other change of that user's tree (lock.go).
func (s *Service) InTreeLock(ctx context.Context, owner int, fn func(tx *store.Tx) error) error {
	return s.db.InTx(ctx, func(tx *store.Tx) error {
		if err := tx.UserStorageAdd(ctx, owner, 0); err != nil {
			return err
		}
		return fn(tx)
	})
}

// ContentURL signs the content URL of entity (a path and query on this
// server) served under name at speed bytes/s (0: unlimited); a zero expires
// never expires.
func (s *Service) ContentURL(entity, speed int, name string, download bool, expires time.Time) string {
	return s.contentURL(entity, speed, name, download, expires)
}

// URLExpiry is when a content URL issued now expires (entity_url_default_ttl).
func (s *Service) URLExpiry() time.Time { return s.now().Add(s.urlTTL()).Truncate(time.Second) }

// Now is the filesystem's clock.
func (s *Service) Now() time.Time { return s.now() }

// SetClock replaces the filesystem's clock (time.Now) before the service is
// used: tests move a fake one instead of sleeping.
func (s *Service) SetClock(now func() time.Time) { s.now = now }

// SpeedOf is the download speed limit of actor's group, bytes/s (0: none).
func SpeedOf(actor drive.Actor) int { return speedOf(actor) }

// CheckBatch bounds the number of URIs of one request (max_batched_file):
// none is errs.Invalid, too many ErrTooManyURIs.
func (s *Service) CheckBatch(n int) error { return s.checkBatch(n) }

// Walk returns folder f and everything below it, parents before children,
// failing with ErrWalkLimit past the actor's group max_walked_files.
func (s *Service) Walk(ctx context.Context, actor drive.Actor, f *drive.File) ([]*drive.File, error) {
	return walk(ctx, s.db, f, WalkLimit(actor))
}

// WalkLimit is the most items actor's group may walk at once (0: no bound).
func WalkLimit(actor drive.Actor) int {
	if g := actor.Group(); g != nil {
		return g.Settings.MaxWalkedFiles
	}
	return 0
}

// ActorOf loads user id with its group, for acting as that user outside a
// request (a job, an archive session). A missing user or group is
// errs.NotExist.
func (s *Service) ActorOf(ctx context.Context, id int) (*drive.Actor, error) {
	return s.actorOf(ctx, id)
}

// ExtMatches reports whether name's extension is one of exts (ASCII case
// folded); an empty list matches everything.
func ExtMatches(name string, exts []string) bool { return extMatches(name, exts) }
