package store

import (
	"context"

	"github.com/stratus-drive/stratus/internal/drive"
)

const davAccountColumns = `id, name, uri, password, options, owner_id, created_at, updated_at`

var insertDavAccount = define("InsertDavAccount", `INSERT INTO dav_accounts
 (name, uri, password, options, props, owner_id, created_at, updated_at) VALUES (?, ?, ?, ?, '{}', ?, ?, ?) RETURNING id`)

// InsertDavAccount adds a and sets its ID and times. A password the owner
// already uses is errs.Exist.
func (r *runner) InsertDavAccount(ctx context.Context, a *drive.DavAccount) error {
	const op = "store.InsertDavAccount"
	t := now()
	id, err := r.insert(ctx, insertDavAccount, a.Name, a.URI, a.Password, davOptions(a.Options), a.OwnerID, t, t)
	if err != nil {
		return classify(op, err)
	}
	a.ID, a.CreatedAt, a.UpdatedAt = id, t, t
	return nil
}

var davAccountByID = define("DavAccountByID", `SELECT `+davAccountColumns+` FROM dav_accounts WHERE id = ?`)

// DavAccountByID returns account id, or errs.NotExist.
func (r *runner) DavAccountByID(ctx context.Context, id int) (*drive.DavAccount, error) {
	const op = "store.DavAccountByID"
	a, err := scanDavAccount(r.row(ctx, davAccountByID, id))
	return a, classify(op, err)
}

// listDavAccounts pages an owner's accounts newest first, each a range scan
// on (owner_id, id).
var (
	listDavAccounts = define("ListDavAccounts", `SELECT `+davAccountColumns+` FROM dav_accounts
 WHERE owner_id = ? ORDER BY id DESC LIMIT ?`)
	listDavAccountsAfter = define("ListDavAccounts/after", `SELECT `+davAccountColumns+` FROM dav_accounts
 WHERE owner_id = ? AND id < ? ORDER BY id DESC LIMIT ?`)
)

// ListDavAccounts returns up to limit accounts of owner, newest first,
// older than account after (0: from the newest).
func (r *runner) ListDavAccounts(ctx context.Context, owner, after, limit int) ([]*drive.DavAccount, error) {
	const op = "store.ListDavAccounts"
	q, args := listDavAccounts, []any{owner, limit}
	if after > 0 {
		q, args = listDavAccountsAfter, []any{owner, after, limit}
	}
	rows, err := r.rows(ctx, q, args...)
	if err != nil {
		return nil, classify(op, err)
	}
	defer rows.Close()
	var out []*drive.DavAccount
	for rows.Next() {
		a, err := scanDavAccount(rows)
		if err != nil {
			return nil, classify(op, err)
		}
		out = append(out, a)
	}
	return out, classify(op, rows.Err())
}

var updateDavAccount = define("UpdateDavAccount", `UPDATE dav_accounts SET name = ?, uri = ?, options = ?, updated_at = ?
 WHERE id = ?`)

// UpdateDavAccount writes the name, URI and options of a; the password
// stays. A missing account is errs.NotExist.
func (r *runner) UpdateDavAccount(ctx context.Context, a *drive.DavAccount) error {
	const op = "store.UpdateDavAccount"
	a.UpdatedAt = now()
	return classify(op, r.update(ctx, updateDavAccount, a.Name, a.URI, davOptions(a.Options), a.UpdatedAt, a.ID))
}

var deleteDavAccount = define("DeleteDavAccount", `DELETE FROM dav_accounts WHERE id = ?`)

// DeleteDavAccount removes account id; a missing one is errs.NotExist.
func (r *runner) DeleteDavAccount(ctx context.Context, id int) error {
	const op = "store.DeleteDavAccount"
	return classify(op, r.update(ctx, deleteDavAccount, id))
}

// davOptions is the stored form of a boolset: never NULL.
func davOptions(b drive.Boolset) []byte {
	if b == nil {
		return []byte{}
	}
	return []byte(b)
}

func scanDavAccount(s scanner) (*drive.DavAccount, error) {
	var (
		a    drive.DavAccount
		opts []byte
	)
	if err := s.Scan(&a.ID, &a.Name, &a.URI, &a.Password, &opts, &a.OwnerID, &a.CreatedAt, &a.UpdatedAt); err != nil {
		return nil, err
	}
	a.Options = drive.Boolset(opts)
	a.CreatedAt, a.UpdatedAt = a.CreatedAt.UTC(), a.UpdatedAt.UTC()
	return &a, nil
}

var davAccountByPassword = define("DavAccountByPassword", `SELECT `+davAccountColumns+` FROM dav_accounts
 WHERE owner_id = ? AND password = ?`)

// DavAccountByPassword returns owner's account with password, or
// errs.NotExist.
func (r *runner) DavAccountByPassword(ctx context.Context, owner int, password string) (*drive.DavAccount, error) {
	const op = "store.DavAccountByPassword"
	a, err := scanDavAccount(r.row(ctx, davAccountByPassword, owner, password))
	return a, classify(op, err)
}
