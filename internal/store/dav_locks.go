package store

import (
	"context"
	"time"
)

// DavLock is a WebDAV lock (70-nodes-webdav-config §B) on a file of
// OwnerID's tree: the file, and with DepthInfinity everything below it.
type DavLock struct {
	Token         string
	OwnerID       int
	FileID        int
	DepthInfinity bool
	Shared        bool
	// Root is the path the lock was taken on, as the client named it.
	Root string
	// Holder is the client's <owner> element, kept verbatim.
	Holder    string
	Timeout   time.Duration // as granted; refreshes extend by it
	CreatedAt time.Time
	ExpiresAt time.Time
}

const davLockColumns = `token, owner_id, file_id, depth_infinity, shared, root, holder, timeout, created_at, expires_at`

var insertDavLock = define("InsertDavLock", `INSERT INTO dav_locks (`+davLockColumns+`)
 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)

// InsertDavLock stores l.
func (r *runner) InsertDavLock(ctx context.Context, l *DavLock) error {
	const op = "store.InsertDavLock"
	l.CreatedAt = now()
	_, err := r.exec(ctx, insertDavLock, l.Token, l.OwnerID, l.FileID, l.DepthInfinity, l.Shared, l.Root, l.Holder,
		int64(l.Timeout/time.Second), l.CreatedAt, l.ExpiresAt.UTC())
	return classify(op, err)
}

var liveDavLocks = define("LiveDavLocks", `SELECT `+davLockColumns+` FROM dav_locks
 WHERE owner_id = ? AND expires_at > ? ORDER BY created_at, token`)

// LiveDavLocks returns the locks on owner's tree that have not expired at t.
func (r *runner) LiveDavLocks(ctx context.Context, owner int, t time.Time) ([]*DavLock, error) {
	const op = "store.LiveDavLocks"
	rows, err := r.rows(ctx, liveDavLocks, owner, t.UTC())
	if err != nil {
		return nil, classify(op, err)
	}
	defer rows.Close()
	var out []*DavLock
	for rows.Next() {
		l, err := scanDavLock(rows)
		if err != nil {
			return nil, classify(op, err)
		}
		out = append(out, l)
	}
	return out, classify(op, rows.Err())
}

var davLockByToken = define("DavLockByToken", `SELECT `+davLockColumns+` FROM dav_locks WHERE token = ?`)

// DavLockByToken returns the lock with token (expired or not), or
// errs.NotExist.
func (r *runner) DavLockByToken(ctx context.Context, token string) (*DavLock, error) {
	const op = "store.DavLockByToken"
	l, err := scanDavLock(r.row(ctx, davLockByToken, token))
	return l, classify(op, err)
}

var refreshDavLock = define("RefreshDavLock", `UPDATE dav_locks SET expires_at = ? WHERE token = ?`)

// RefreshDavLock sets the expiry of lock token; a missing one is
// errs.NotExist.
func (r *runner) RefreshDavLock(ctx context.Context, token string, expires time.Time) error {
	const op = "store.RefreshDavLock"
	return classify(op, r.update(ctx, refreshDavLock, expires.UTC(), token))
}

var deleteDavLock = define("DeleteDavLock", `DELETE FROM dav_locks WHERE token = ?`)

// DeleteDavLock removes lock token; a missing one is errs.NotExist.
func (r *runner) DeleteDavLock(ctx context.Context, token string) error {
	const op = "store.DeleteDavLock"
	return classify(op, r.update(ctx, deleteDavLock, token))
}

var deleteExpiredDavLocks = define("DeleteExpiredDavLocks", `DELETE FROM dav_locks WHERE owner_id = ? AND expires_at <= ?`)

// DeleteExpiredDavLocks forgets owner's locks that expired by t.
func (r *runner) DeleteExpiredDavLocks(ctx context.Context, owner int, t time.Time) error {
	const op = "store.DeleteExpiredDavLocks"
	_, err := r.exec(ctx, deleteExpiredDavLocks, owner, t.UTC())
	return classify(op, err)
}

func scanDavLock(s scanner) (*DavLock, error) {
	var (
		l       DavLock
		timeout int64
	)
	if err := s.Scan(&l.Token, &l.OwnerID, &l.FileID, &l.DepthInfinity, &l.Shared, &l.Root, &l.Holder, &timeout,
		&l.CreatedAt, &l.ExpiresAt); err != nil {
		return nil, err
	}
	l.Timeout = time.Duration(timeout) * time.Second
	l.CreatedAt, l.ExpiresAt = l.CreatedAt.UTC(), l.ExpiresAt.UTC()
	return &l, nil
}
