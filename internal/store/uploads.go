package store

import (
	"context"
	"time"

	"github.com/stratus-drive/stratus/internal/errs"
)

// UploadSession is a pending upload: a placeholder entity on a file that
// becomes visible content when every byte has arrived. It lives in the
// database, not the cache, so an upload survives a restart.
type UploadSession struct {
	ID             string
	OwnerID        int
	FileID         int
	EntityID       int
	PolicyID       int
	URI            string
	Size           int64
	ChunkSize      int64
	UploadID       string // the storage driver's multipart upload ID
	CallbackSecret string
	LastModified   int64 // Unix ms; 0 = none
	MimeType       string
	Metadata       map[string]string
	ExpiresAt      time.Time
	CreatedAt      time.Time
}

const uploadColumns = `id, owner_id, file_id, entity_id, policy_id, uri, size, chunk_size, upload_id, callback_secret,
 last_modified, mime_type, metadata, expires_at, created_at`

var insertUpload = define("InsertUploadSession", `INSERT INTO upload_sessions
 (id, owner_id, file_id, entity_id, policy_id, uri, size, chunk_size, upload_id, callback_secret, last_modified,
 mime_type, metadata, expires_at, created_at, updated_at)
 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)

// InsertUploadSession stores s.
func (r *runner) InsertUploadSession(ctx context.Context, s *UploadSession) error {
	const op = "store.InsertUploadSession"
	meta, err := encodeDoc(s.Metadata)
	if err != nil {
		return errs.E(op, errs.Internal, err)
	}
	t := now()
	s.CreatedAt = t
	_, err = r.exec(ctx, insertUpload, s.ID, s.OwnerID, s.FileID, s.EntityID, s.PolicyID, s.URI, s.Size,
		s.ChunkSize, s.UploadID, s.CallbackSecret, s.LastModified, s.MimeType, meta, s.ExpiresAt.UTC(), t, t)
	return classify(op, err)
}

var uploadByID = define("UploadSession", `SELECT `+uploadColumns+` FROM upload_sessions WHERE id = ?`)

// UploadSessionByID returns session id, or errs.NotExist.
func (r *runner) UploadSessionByID(ctx context.Context, id string) (*UploadSession, error) {
	const op = "store.UploadSession"
	s, err := scanUpload(r.row(ctx, uploadByID, id))
	if err != nil {
		return nil, classify(op, err)
	}
	return s, nil
}

func scanUpload(sc scanner) (*UploadSession, error) {
	var (
		s    UploadSession
		meta string
	)
	err := sc.Scan(&s.ID, &s.OwnerID, &s.FileID, &s.EntityID, &s.PolicyID, &s.URI,
		&s.Size, &s.ChunkSize, &s.UploadID, &s.CallbackSecret, &s.LastModified, &s.MimeType, &meta, &s.ExpiresAt, &s.CreatedAt)
	if err != nil {
		return nil, err
	}
	if err := decodeDoc(meta, &s.Metadata); err != nil {
		return nil, errs.E("store.scanUpload", errs.Internal, err)
	}
	s.ExpiresAt, s.CreatedAt = s.ExpiresAt.UTC(), s.CreatedAt.UTC()
	return &s, nil
}

var deleteUpload = define("DeleteUploadSession", `DELETE FROM upload_sessions WHERE id = ?`)

// DeleteUploadSession removes session id; it reports errs.NotExist when it
// was already gone, so that exactly one of two racing completions wins.
func (r *runner) DeleteUploadSession(ctx context.Context, id string) error {
	const op = "store.DeleteUploadSession"
	return classify(op, r.update(ctx, deleteUpload, id))
}

var expiredUploads = define("ExpiredUploadSessions", `SELECT id FROM upload_sessions
 WHERE expires_at < ? ORDER BY expires_at LIMIT ?`)

// ExpiredUploadSessions returns up to limit ids of sessions that expired
// before t.
func (r *runner) ExpiredUploadSessions(ctx context.Context, t time.Time, limit int) ([]string, error) {
	ids, err := column[string](ctx, r, expiredUploads, t.UTC(), limit)
	return ids, classify("store.ExpiredUploadSessions", err)
}

var sessionUploadIDs = define("SessionUploadIDs", `SELECT upload_id FROM upload_sessions WHERE upload_id <> ''`)

// SessionUploadIDs returns the set of storage multipart upload IDs that
// sessions, expired or not, still hold.
func (r *runner) SessionUploadIDs(ctx context.Context) (map[string]bool, error) {
	ids, err := column[string](ctx, r, sessionUploadIDs)
	if err != nil {
		return nil, classify("store.SessionUploadIDs", err)
	}
	out := make(map[string]bool, len(ids))
	for _, id := range ids {
		out[id] = true
	}
	return out, nil
}

// UploadTarget is what a live upload session locks: its ID and the URI of
// its target file.
type UploadTarget struct {
	ID  string
	URI string
}

var liveUploads = define("LiveUploadTargets", `SELECT id, uri FROM upload_sessions
 WHERE owner_id = ? AND expires_at > ? ORDER BY expires_at, id`)

// LiveUploadTargets returns the targets of owner's sessions that have not
// expired at t.
func (r *runner) LiveUploadTargets(ctx context.Context, owner int, t time.Time) ([]UploadTarget, error) {
	const op = "store.LiveUploadTargets"
	rows, err := r.rows(ctx, liveUploads, owner, t.UTC())
	if err != nil {
		return nil, classify(op, err)
	}
	defer rows.Close()
	var out []UploadTarget
	for rows.Next() {
		var u UploadTarget
		if err := rows.Scan(&u.ID, &u.URI); err != nil {
			return nil, classify(op, err)
		}
		out = append(out, u)
	}
	return out, classify(op, rows.Err())
}
