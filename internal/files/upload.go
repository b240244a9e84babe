package files

import (
	"context"
	"crypto/rand"
	"errors"
	"io"
	"slices"
	"time"

	"github.com/google/uuid"
	"github.com/stratus-drive/stratus/internal/drive"
	"github.com/stratus-drive/stratus/internal/errs"
	"github.com/stratus-drive/stratus/internal/hashid"
	"github.com/stratus-drive/stratus/internal/storage"
	"github.com/stratus-drive/stratus/internal/store"
)

// UploadRequest is the body of PUT /file/upload.
type UploadRequest struct {
	URI          string
	Size         int64
	LastModified int64 // Unix ms; 0 = now at completion
	MimeType     string
	Metadata     map[string]string
	EntityType   string // "", "version", "live_photo"
	Previous     string // entity hashid the client based its edit on
}

// UploadSession is a created session as the client sees it.
type UploadSession struct {
	ID             string
	ChunkSize      int64
	Expires        time.Time
	URI            drive.URI
	CallbackSecret string
	Policy         *drive.Policy
}

// defaultChunkSize is used when a policy sets none; 0 would force the whole
// file into one request.
const defaultChunkSize = 25 << 20

// CreateUpload reserves quota and a placeholder for an upload and opens the
// storage-side multipart upload. Nothing is visible as content until every
// chunk has arrived.
func (s *Service) CreateUpload(ctx context.Context, actor drive.Actor, req UploadRequest) (*UploadSession, error) {
	out, _, _, err := s.createUpload(ctx, actor, req, false)
	return out, err
}

// createUpload is CreateUpload. With whole, a body that fits in one chunk
// gets no storage-side multipart upload (the stored session's UploadID is
// empty): the caller writes the blob with one Put, which costs a fraction
// of a multipart upload's files and fsyncs. It also returns the stored
// session and the blob's key.
func (s *Service) createUpload(ctx context.Context, actor drive.Actor, req UploadRequest, whole bool) (*UploadSession,
	*store.UploadSession, string, error) {
	const op = "files.CreateUpload"
	u, err := s.newItemURI(actor, req.URI)
	if err != nil {
		return nil, nil, "", errs.E(op, err)
	}
	if u.IsRoot() {
		return nil, nil, "", errs.E(op, ErrUnsupportedAction)
	}
	if req.Size < 0 {
		return nil, nil, "", errs.E(op, errs.Invalid, "size must not be negative")
	}
	switch req.EntityType {
	case "", "version", "live_photo":
	default:
		return nil, nil, "", errs.E(op, errs.Invalid, "unsupported entity_type")
	}
	if err := s.checkMetadata(req.Metadata); err != nil {
		return nil, nil, "", errs.E(op, err)
	}
	pd, err := s.policyFor(ctx, actor)
	if err != nil {
		return nil, nil, "", errs.E(op, err)
	}
	if err := s.checkFileName(ctx, s.db, actor, u.Name()); err != nil {
		return nil, nil, "", errs.E(op, err)
	}
	if pd.policy.MaxSize > 0 && req.Size > pd.policy.MaxSize {
		return nil, nil, "", errs.E(op, ErrFileTooLarge)
	}
	mp, ok := storage.As[storage.Multiparter](pd.driver)
	if !ok {
		return nil, nil, "", errs.E(op, ErrPolicyNotAllowed, "the storage policy cannot take relayed uploads")
	}
	chunk := pd.policy.Settings.ChunkSize
	if chunk <= 0 {
		chunk = defaultChunkSize
	}
	if min := pd.driver.Limits().MinPartSize; chunk < min {
		chunk = min
	}
	parentPath := "/"
	for _, seg := range u.Path[:len(u.Path)-1] {
		parentPath += seg + "/"
	}
	key, err := storage.KeyTemplate{DirRule: pd.policy.DirNameRule, NameRule: pd.policy.FileNameRule}.
		Expand(storage.KeyInput{UID: actor.User.ID, Path: parentPath, Name: u.Name(), Time: s.now()})
	if err != nil {
		return nil, nil, "", errs.E(op, err)
	}
	var mu storage.Upload
	uploadID := ""
	if !whole || req.Size > chunk {
		if mu, err = mp.NewMultipart(ctx, key, req.Size, chunk); err != nil {
			return nil, nil, "", errs.E(op, err)
		}
		uploadID = mu.Info().ID
	}
	sess := &store.UploadSession{
		ID: uuid.NewString(), OwnerID: actor.User.ID, PolicyID: pd.policy.ID, URI: u.WithoutQuery().String(),
		Size: req.Size, ChunkSize: chunk, UploadID: uploadID, CallbackSecret: randomSecret(),
		LastModified: req.LastModified, MimeType: req.MimeType, Metadata: req.Metadata,
		ExpiresAt: s.now().Add(s.settings.Seconds("upload_session_timeout")),
	}
	err = s.inTxRetry(ctx, func(tx *store.Tx) error {
		return s.placeholder(ctx, tx, actor, u, req, sess, key)
	})
	if err != nil {
		if mu != nil {
			if aerr := mu.Abort(context.WithoutCancel(ctx)); aerr != nil {
				s.log.Warn("aborting multipart upload after a failed session", "err", aerr)
			}
		}
		return nil, nil, "", errs.E(op, err)
	}
	return &UploadSession{ID: sess.ID, ChunkSize: chunk, Expires: sess.ExpiresAt, URI: u.WithoutQuery(),
		CallbackSecret: sess.CallbackSecret, Policy: pd.policy}, sess, key, nil
}

// placeholder creates (or reuses) the file row, reserves quota and links an
// in-flight entity, all in tx.
func (s *Service) placeholder(ctx context.Context, tx *store.Tx, actor drive.Actor, u drive.URI,
	req UploadRequest, sess *store.UploadSession, key string) error {
	if err := lockTree(ctx, tx, actor); err != nil {
		return err
	}
	parent, err := s.mkdirAll(ctx, tx, actor, u.Path[:len(u.Path)-1])
	if err != nil {
		return err
	}
	f, err := tx.ChildByName(ctx, parent.ID, u.Name())
	entityType := drive.EntityVersion
	switch {
	case req.EntityType == "live_photo":
		// The video of a live photo joins the existing image (30-files
		// §9.1) as its live-photo entity; the image stays current.
		if errs.Is(errs.NotExist, err) || err == nil && f.IsFolder() {
			return errs.E("files.placeholder", ErrPathNotExist, "a live photo needs its existing image")
		} else if err != nil {
			return err
		}
		if err := s.checkLocks(ctx, tx, actor.User.ID, itemTarget(u.Path)); err != nil {
			return err
		}
		entityType = drive.EntityLivePhoto
	case err == nil:
		if f.IsFolder() || req.EntityType != "version" {
			return ErrNameConflict
		}
		if err := s.checkPrevious(f, req.Previous); err != nil {
			return err
		}
		if err := s.checkLocks(ctx, tx, actor.User.ID, itemTarget(u.Path)); err != nil {
			return err
		}
	case errs.Is(errs.NotExist, err):
		if err := s.checkLocks(ctx, tx, actor.User.ID, itemTarget(u.Path[:len(u.Path)-1])); err != nil {
			return err
		}
		f = &drive.File{Type: drive.TypeFile, Name: u.Name(), OwnerID: actor.User.ID, ParentID: parent.ID,
			PolicyID: sess.PolicyID}
		if err := tx.InsertFile(ctx, f); err != nil {
			if errs.Is(errs.Exist, err) {
				return ErrNameConflict
			}
			return err
		}
	default:
		return err
	}
	if req.Size > 0 {
		ok, err := tx.ReserveStorage(ctx, actor.User.ID, req.Size, actor.Group().MaxStorage)
		if err != nil {
			return err
		}
		if !ok {
			return ErrInsufficientCapacity
		}
	}
	e := &drive.Entity{Type: entityType, Source: key, Size: req.Size, ReferenceCount: 1,
		PolicyID: sess.PolicyID, CreatedBy: actor.User.ID, UploadSessionID: sess.ID}
	if err := tx.InsertEntity(ctx, e); err != nil {
		return err
	}
	if err := tx.LinkEntity(ctx, f.ID, e.ID); err != nil {
		return err
	}
	if err := tx.SetMetadata(ctx, store.Meta{FileID: f.ID, Name: drive.MetaUploadSessionID, Value: sess.ID, Public: true}); err != nil {
		return err
	}
	sess.FileID, sess.EntityID = f.ID, e.ID
	return tx.InsertUploadSession(ctx, sess)
}

func (s *Service) checkPrevious(f *drive.File, previous string) error {
	if previous == "" {
		return nil
	}
	id, err := s.ids.Decode(previous, hashid.Entity)
	if err != nil {
		return err
	}
	if id != f.PrimaryEntity {
		return ErrStaleVersion
	}
	return nil
}

// session loads a live session of the actor.
func (s *Service) session(ctx context.Context, actor drive.Actor, id string) (*store.UploadSession, error) {
	if actor.IsAnonymous() {
		return nil, ErrLoginRequired
	}
	sess, err := s.db.UploadSessionByID(ctx, id)
	if errs.Is(errs.NotExist, err) {
		return nil, ErrUploadSessionExpired
	} else if err != nil {
		return nil, err
	}
	if sess.OwnerID != actor.User.ID || !s.now().Before(sess.ExpiresAt) {
		return nil, ErrUploadSessionExpired
	}
	return sess, nil
}

// UploadChunk stores chunk index of an upload from body, which must carry
// exactly length bytes. The chunk that completes the set completes the
// upload. Chunks may arrive in any order, in parallel, and again.
func (s *Service) UploadChunk(ctx context.Context, actor drive.Actor, sessionID string, index int, body io.Reader,
	length int64) error {
	const op = "files.UploadChunk"
	sess, err := s.session(ctx, actor, sessionID)
	if err != nil {
		return errs.E(op, err)
	}
	pd, err := s.driverFor(ctx, sess.PolicyID)
	if err != nil {
		return errs.E(op, err)
	}
	mp, ok := storage.As[storage.Multiparter](pd.driver)
	if !ok {
		return errs.E(op, ErrPolicyNotAllowed)
	}
	info := storage.UploadInfo{Size: sess.Size, PartSize: sess.ChunkSize}
	_, want, ok := info.Part(index)
	if !ok {
		return errs.E(op, ErrInvalidChunkIndex)
	}
	if length != want {
		return errs.E(op, ErrInvalidContentLength)
	}
	up, err := mp.ResumeMultipart(ctx, sess.UploadID)
	if errs.Is(errs.NotExist, err) {
		// Completed by a request that then failed before the database
		// caught up: finish the bookkeeping.
		_, err := s.finishUpload(ctx, sess, pd, false)
		return err
	} else if err != nil {
		return errs.E(op, err)
	}
	if err := up.WritePart(ctx, index, body, length); err != nil {
		if errs.Is(errs.Invalid, err) || errors.Is(err, io.ErrUnexpectedEOF) {
			return errs.E(op, ErrIO, err)
		}
		return errs.E(op, err)
	}
	parts, err := up.Parts(ctx)
	if err != nil {
		return errs.E(op, err)
	}
	if len(parts) < info.NumParts() {
		return nil
	}
	if err := up.Complete(ctx); err != nil {
		if errs.Is(errs.NotExist, err) { // a concurrent chunk completed it
			return nil
		}
		return errs.E(op, err)
	}
	_, err = s.finishUpload(ctx, sess, pd, false)
	return err
}

// finishUpload makes an uploaded blob the file's current content, once: the
// session row is deleted in the same transaction, so a racing completion
// finds it gone and does nothing. stored says that the caller's own Put
// wrote exactly the session's size, which then needs no Stat to check.
func (s *Service) finishUpload(ctx context.Context, sess *store.UploadSession, pd policyDriver, stored bool) (*drive.File, error) {
	const op = "files.finishUpload"
	e, err := s.db.EntityByID(ctx, sess.EntityID)
	if err != nil {
		return nil, errs.E(op, err)
	}
	if !stored {
		if obj, err := pd.driver.Stat(ctx, e.Source); err != nil || obj.Size != sess.Size {
			return nil, errs.E(op, ErrIO, "stored object does not match the upload")
		}
	}
	updated := s.now()
	if sess.LastModified > 0 {
		updated = time.UnixMilli(sess.LastModified)
	}
	var done *drive.File
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		if err := tx.DeleteUploadSession(ctx, sess.ID); err != nil {
			if errs.Is(errs.NotExist, err) {
				return errAlreadyDone
			}
			return err
		}
		if err := tx.FinishEntity(ctx, sess.EntityID, sess.Size); err != nil {
			return err
		}
		f, err := tx.FileByID(ctx, sess.FileID)
		if err != nil {
			return err
		}
		if e.Type == drive.EntityLivePhoto {
			if err := s.replaceLivePhoto(ctx, tx, f, sess.EntityID); err != nil {
				return err
			}
		} else {
			if err := s.replaceVersion(ctx, tx, f, sess.EntityID, sess.Size, updated); err != nil {
				return err
			}
			f.Size, f.PrimaryEntity, f.UpdatedAt = sess.Size, sess.EntityID, updated.UTC()
			if err := tx.DeleteMetadata(ctx, f.ID, drive.MetaThumbDisabled); err != nil {
				return err
			}
		}
		if err := s.clearUploadMarker(ctx, tx, sess); err != nil {
			return err
		}
		for k, v := range sess.Metadata {
			if err := tx.SetMetadata(ctx, store.Meta{FileID: f.ID, Name: k, Value: v, Public: true}); err != nil {
				return err
			}
		}
		done = f
		return nil
	})
	if errors.Is(err, errAlreadyDone) {
		return nil, nil
	}
	if err != nil {
		return nil, errs.E(op, err)
	}
	return done, nil
}

var errAlreadyDone = errors.New("upload already completed")

// replaceLivePhoto makes entity the live-photo entity of f: a file has one,
// so an earlier one is unlinked and its bytes credited.
func (s *Service) replaceLivePhoto(ctx context.Context, tx *store.Tx, f *drive.File, entity int) error {
	entities, err := tx.EntitiesOfFile(ctx, f.ID)
	if err != nil {
		return err
	}
	var freed int64
	for _, e := range entities {
		if e.Type == drive.EntityLivePhoto && e.ID != entity && e.UploadSessionID == "" {
			if err := s.unlink(ctx, tx, f.ID, e); err != nil {
				return err
			}
			freed += e.Size
		}
	}
	if freed > 0 {
		return tx.UserStorageAdd(ctx, f.OwnerID, -freed)
	}
	return nil
}

// clearUploadMarker removes sys:upload_session_id from the file of sess if
// it names sess: it may name a newer upload that started after this one
// expired, which keeps it.
func (s *Service) clearUploadMarker(ctx context.Context, tx *store.Tx, sess *store.UploadSession) error {
	metas, err := tx.MetadataOf(ctx, []int{sess.FileID})
	if err != nil {
		return err
	}
	for _, m := range metas {
		if m.Name == drive.MetaUploadSessionID && m.Value == sess.ID {
			return tx.DeleteMetadata(ctx, sess.FileID, drive.MetaUploadSessionID)
		}
	}
	return nil
}

// replaceVersion makes entity the current version of f and drops old
// versions beyond what the owner's retention keeps, crediting their bytes.
func (s *Service) replaceVersion(ctx context.Context, tx *store.Tx, f *drive.File, entity int, size int64,
	updated time.Time) error {
	if err := tx.SetFileContent(ctx, f.ID, size, entity, updated); err != nil {
		return err
	}
	owner, err := tx.UserByID(ctx, f.OwnerID)
	if err != nil {
		return err
	}
	keep := 1
	if st := owner.Settings; st.VersionRetention && extMatches(f.Name, st.VersionRetentionExt) {
		keep = st.VersionRetentionMax
	}
	entities, err := tx.EntitiesOfFile(ctx, f.ID) // newest first
	if err != nil {
		return err
	}
	versions := 0
	var freed int64
	for _, e := range entities {
		if e.Type == drive.EntityThumbnail {
			if err := s.unlink(ctx, tx, f.ID, e); err != nil {
				return err
			}
			freed += e.Size
			continue
		}
		if e.Type != drive.EntityVersion || e.UploadSessionID != "" {
			continue
		}
		versions++
		if e.ID != entity && keep > 0 && versions > keep {
			if err := s.unlink(ctx, tx, f.ID, e); err != nil {
				return err
			}
			freed += e.Size
		}
	}
	if freed > 0 {
		return tx.UserStorageAdd(ctx, f.OwnerID, -freed)
	}
	return nil
}

func (s *Service) unlink(ctx context.Context, tx *store.Tx, file int, e *drive.Entity) error {
	if err := tx.UnlinkEntity(ctx, file, e.ID); err != nil {
		return err
	}
	return tx.AddEntityRefs(ctx, e.ID, -1)
}

func extMatches(name string, exts []string) bool {
	if len(exts) == 0 {
		return true
	}
	x := ext(name)
	for _, e := range exts {
		if equalFoldASCII(e, x) {
			return true
		}
	}
	return false
}

// equalFoldASCII compares a and b with ASCII letters folded to lower case
// and every other byte exact: extensions are matched the way file
// managers match them, without Unicode look-alikes.
func equalFoldASCII(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		if lowerASCII(a[i]) != lowerASCII(b[i]) {
			return false
		}
	}
	return true
}

func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// CancelUpload aborts an upload: the placeholder entity is unlinked and its
// quota released, a file that held nothing else is removed, and the storage
// side is discarded. An unknown session is not an error. rawURI must name
// the session's file, either where it is now or by the URI the session was
// created with, so a cancel always frees the reservation even when the file
// is gone or elsewhere.
func (s *Service) CancelUpload(ctx context.Context, actor drive.Actor, sessionID, rawURI string) error {
	const op = "files.CancelUpload"
	u, err := parseURI(rawURI)
	if err != nil {
		return errs.E(op, err)
	}
	if actor.IsAnonymous() {
		return errs.E(op, ErrLoginRequired)
	}
	sess, err := s.db.UploadSessionByID(ctx, sessionID)
	if errs.Is(errs.NotExist, err) {
		return nil
	} else if err != nil {
		return errs.E(op, err)
	}
	if sess.OwnerID != actor.User.ID || !s.namesSessionFile(ctx, actor, u, sess) {
		return errs.E(op, errs.NotExist, "upload session not found")
	}
	return s.discardUpload(ctx, sess)
}

// namesSessionFile reports whether u names the file of sess.
func (s *Service) namesSessionFile(ctx context.Context, actor drive.Actor, u drive.URI, sess *store.UploadSession) bool {
	if created, err := drive.ParseURI(sess.URI); err == nil && u.FS == drive.FSMy && slices.Equal(u.Path, created.Path) {
		return true
	}
	n, err := s.resolve(ctx, s.db, actor, u)
	return err == nil && n.File.ID == sess.FileID
}

// discardUpload removes a session and everything it reserved.
func (s *Service) discardUpload(ctx context.Context, sess *store.UploadSession) error {
	if pd, err := s.driverFor(ctx, sess.PolicyID); err == nil {
		if mp, ok := storage.As[storage.Multiparter](pd.driver); ok {
			if up, err := mp.ResumeMultipart(ctx, sess.UploadID); err == nil {
				if err := up.Abort(ctx); err != nil {
					s.log.Warn("aborting multipart upload", "session", sess.ID, "err", err)
				}
			}
		}
	}
	return s.db.InTx(ctx, func(tx *store.Tx) error {
		if err := tx.DeleteUploadSession(ctx, sess.ID); err != nil {
			if errs.Is(errs.NotExist, err) {
				return nil
			}
			return err
		}
		e, err := tx.EntityByID(ctx, sess.EntityID)
		if err != nil {
			return err
		}
		// A link already gone means the file was deleted meanwhile, and that
		// delete gave the owner the bytes back.
		switch err := s.unlink(ctx, tx, sess.FileID, e); {
		case err == nil:
			if err := tx.UserStorageAdd(ctx, sess.OwnerID, -e.Size); err != nil {
				return err
			}
		case !errs.Is(errs.NotExist, err):
			return err
		}
		rest, err := tx.EntitiesOfFile(ctx, sess.FileID)
		if err != nil {
			return err
		}
		if len(rest) == 0 {
			f, err := tx.FileByID(ctx, sess.FileID)
			if err == nil && f.PrimaryEntity == 0 {
				return tx.DeleteFiles(ctx, []int{f.ID})
			}
		}
		return s.clearUploadMarker(ctx, tx, sess)
	})
}

// uploadCleanupBatch is how many expired sessions the cleanup loads at once.
const uploadCleanupBatch = 100

// CleanExpiredUploads discards sessions that expired, then sweeps the
// storage of what no session holds any more (SweepStorage), and reports how
// many sessions and leftovers it removed. A session that cannot be loaded
// is left for a later run and reported in the error; the others are still
// cleaned.
func (s *Service) CleanExpiredUploads(ctx context.Context) (int, error) {
	n, err := s.discardExpiredUploads(ctx)
	m, serr := s.SweepStorage(ctx)
	return n + m, errors.Join(err, serr)
}

// discardExpiredUploads discards sessions that expired, in batches.
func (s *Service) discardExpiredUploads(ctx context.Context) (int, error) {
	const op = "files.CleanExpiredUploads"
	n := 0
	unreadable := map[string]bool{}
	var failed error
	for {
		// Unreadable sessions come back in every batch (oldest first), so
		// each batch is that much larger and still brings new ones.
		ids, err := s.db.ExpiredUploadSessions(ctx, s.now(), len(unreadable)+uploadCleanupBatch)
		if err != nil {
			return n, errs.E(op, errors.Join(err, failed))
		}
		progress := false
		for _, id := range ids {
			if unreadable[id] {
				continue
			}
			progress = true
			sess, err := s.db.UploadSessionByID(ctx, id)
			if errs.Is(errs.NotExist, err) {
				continue // removed meanwhile
			} else if err != nil {
				unreadable[id] = true
				failed = errors.Join(failed, err)
				continue
			}
			if err := s.discardUpload(ctx, sess); err != nil {
				return n, errs.E(op, errors.Join(err, failed))
			}
			n++
		}
		if !progress {
			if failed != nil {
				return n, errs.E(op, failed)
			}
			return n, nil
		}
	}
}

func randomSecret() string {
	const alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	b := make([]byte, 32)
	rand.Read(b)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}
