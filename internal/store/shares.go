package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/stratus-drive/stratus/internal/drive"
	"github.com/stratus-drive/stratus/internal/errs"
)

const shareColumns = `id, password, views, downloads, remain_downloads, expires, props, file_id, owner_id,
 created_at, updated_at`

var insertShare = define("InsertShare", `INSERT INTO shares
 (password, views, downloads, remain_downloads, expires, props, file_id, owner_id, created_at, updated_at)
 VALUES (?, 0, 0, ?, ?, ?, ?, ?, ?, ?) RETURNING id`)

// InsertShare adds sh with zero counters and sets its ID and times.
func (r *runner) InsertShare(ctx context.Context, sh *drive.Share) error {
	const op = "store.InsertShare"
	props, err := encodeDoc(sh.Props)
	if err != nil {
		return errs.E(op, errs.Internal, err)
	}
	sh.CreatedAt = now()
	sh.UpdatedAt = sh.CreatedAt
	sh.Views, sh.Downloads = 0, 0
	id, err := r.insert(ctx, insertShare, sh.Password, sh.RemainDownloads, nullTime(sh.Expires), props,
		sh.FileID, sh.OwnerID, sh.CreatedAt, sh.UpdatedAt)
	if err != nil {
		return classify(op, err)
	}
	sh.ID = id
	return nil
}

var shareByID = define("ShareByID", `SELECT `+shareColumns+` FROM shares WHERE id = ?`)

// ShareByID returns share id, or errs.NotExist.
func (r *runner) ShareByID(ctx context.Context, id int) (*drive.Share, error) {
	const op = "store.ShareByID"
	sh, err := scanShare(r.row(ctx, shareByID, id))
	return sh, classify(op, err)
}

// ShareOrder is a sort column of share lists.
type ShareOrder string

// The orders a share list supports; anything else sorts by id.
const (
	ShareOrderID        ShareOrder = "id"
	ShareOrderViews     ShareOrder = "views"
	ShareOrderDownloads ShareOrder = "downloads"
	ShareOrderRemain    ShareOrder = "remain_downloads"
)

// ShareCursor is the position after the last share of a page.
type ShareCursor struct {
	Value int64
	ID    int
}

// listShares holds one query per order, direction and first/next page, each
// a range scan on (owner_id, col, id).
var listShares = func() map[listKey]*query {
	m := map[listKey]*query{}
	for _, o := range []ShareOrder{ShareOrderID, ShareOrderViews, ShareOrderDownloads, ShareOrderRemain} {
		for _, desc := range []bool{false, true} {
			dir, cmp := "ASC", ">"
			if desc {
				dir, cmp = "DESC", "<"
			}
			order := fmt.Sprintf(" ORDER BY %s %s, id %s LIMIT ?", o, dir, dir)
			keyset := fmt.Sprintf(" AND %s %s= ? AND (%s %s ? OR id %s ?)", o, cmp, o, cmp, cmp)
			if o == ShareOrderID {
				order = fmt.Sprintf(" ORDER BY id %s LIMIT ?", dir)
				keyset = fmt.Sprintf(" AND id %s ?", cmp)
			}
			base := `SELECT ` + shareColumns + ` FROM shares WHERE owner_id = ?`
			name := fmt.Sprintf("ListShares/%s/%s", o, dir)
			m[listKey{ListOrder(o), desc, false}] = define(name, base+order)
			m[listKey{ListOrder(o), desc, true}] = define(name+"/after", base+keyset+order)
		}
	}
	return m
}()

// ListShares returns up to limit shares of owner in order, after cursor
// (nil: from the start).
func (r *runner) ListShares(ctx context.Context, owner int, order ShareOrder, desc bool, after *ShareCursor,
	limit int) ([]*drive.Share, error) {
	const op = "store.ListShares"
	if _, ok := listShares[listKey{ListOrder(order), desc, false}]; !ok {
		order = ShareOrderID
	}
	args := []any{owner}
	if after != nil {
		if order != ShareOrderID {
			args = append(args, after.Value, after.Value)
		}
		args = append(args, after.ID)
	}
	args = append(args, limit)
	rows, err := r.rows(ctx, listShares[listKey{ListOrder(order), desc, after != nil}], args...)
	if err != nil {
		return nil, classify(op, err)
	}
	defer rows.Close()
	var out []*drive.Share
	for rows.Next() {
		sh, err := scanShare(rows)
		if err != nil {
			return nil, classify(op, err)
		}
		out = append(out, sh)
	}
	return out, classify(op, rows.Err())
}

// ShareCursorOf is the cursor after sh in order.
func ShareCursorOf(sh *drive.Share, order ShareOrder) *ShareCursor {
	c := &ShareCursor{ID: sh.ID}
	switch order {
	case ShareOrderViews:
		c.Value = int64(sh.Views)
	case ShareOrderDownloads:
		c.Value = int64(sh.Downloads)
	case ShareOrderRemain:
		c.Value = int64(sh.RemainDownloads)
	}
	return c
}

var updateShare = define("UpdateShare", `UPDATE shares SET remain_downloads = ?, expires = ?, props = ?, updated_at = ?
 WHERE id = ?`)

// UpdateShare writes the editable attributes of sh: budget, expiry, props.
func (r *runner) UpdateShare(ctx context.Context, sh *drive.Share) error {
	const op = "store.UpdateShare"
	props, err := encodeDoc(sh.Props)
	if err != nil {
		return errs.E(op, errs.Internal, err)
	}
	sh.UpdatedAt = now()
	return classify(op, r.update(ctx, updateShare, sh.RemainDownloads, nullTime(sh.Expires), props, sh.UpdatedAt, sh.ID))
}

var deleteShare = define("DeleteShare", `DELETE FROM shares WHERE id = ?`)

// DeleteShare removes share id; a missing one is errs.NotExist.
func (r *runner) DeleteShare(ctx context.Context, id int) error {
	const op = "store.DeleteShare"
	return classify(op, r.update(ctx, deleteShare, id))
}

var countShareView = define("CountShareView", `UPDATE shares SET views = views + 1 WHERE id = ?`)

// CountShareView adds one visit to share id.
func (r *runner) CountShareView(ctx context.Context, id int) error {
	const op = "store.CountShareView"
	return classify(op, r.update(ctx, countShareView, id))
}

var spendShareDownload = define("SpendShareDownload", `UPDATE shares SET downloads = downloads + 1,
 remain_downloads = CASE WHEN remain_downloads > 0 THEN remain_downloads - 1 ELSE remain_downloads END
 WHERE id = ? AND remain_downloads <> 0`)

// SpendShareDownload counts one download of share id and takes it from the
// budget, in one guarded write: a share whose budget is spent (or that is
// gone) is errs.NotExist, so concurrent downloads never overspend.
func (r *runner) SpendShareDownload(ctx context.Context, id int) error {
	const op = "store.SpendShareDownload"
	return classify(op, r.update(ctx, spendShareDownload, id))
}

func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC().Truncate(time.Microsecond)
}

func scanShare(s scanner) (*drive.Share, error) {
	var (
		sh      drive.Share
		expires sql.NullTime
		props   string
	)
	err := s.Scan(&sh.ID, &sh.Password, &sh.Views, &sh.Downloads, &sh.RemainDownloads, &expires, &props,
		&sh.FileID, &sh.OwnerID, &sh.CreatedAt, &sh.UpdatedAt)
	if err != nil {
		return nil, err
	}
	if err := decodeDoc(props, &sh.Props); err != nil {
		return nil, err
	}
	if expires.Valid {
		sh.Expires = expires.Time.UTC()
	}
	sh.CreatedAt, sh.UpdatedAt = sh.CreatedAt.UTC(), sh.UpdatedAt.UTC()
	return &sh, nil
}

// SharedFiles reports which of files have at least one share link.
func (r *runner) SharedFiles(ctx context.Context, files []int) (map[int]bool, error) {
	out := map[int]bool{}
	err := r.eachRowIn(ctx, files, `SELECT DISTINCT file_id FROM shares WHERE file_id IN (%s)`, func(rows *sql.Rows) error {
		var id int
		err := rows.Scan(&id)
		out[id] = true
		return err
	})
	return out, classify("store.SharedFiles", err)
}

var sharesOfFile = define("SharesOfFile", `SELECT `+shareColumns+` FROM shares WHERE file_id = ? ORDER BY id`)

// SharesOfFile returns every share link of file, oldest first.
func (r *runner) SharesOfFile(ctx context.Context, file int) ([]*drive.Share, error) {
	const op = "store.SharesOfFile"
	rows, err := r.rows(ctx, sharesOfFile, file)
	if err != nil {
		return nil, classify(op, err)
	}
	defer rows.Close()
	var out []*drive.Share
	for rows.Next() {
		sh, err := scanShare(rows)
		if err != nil {
			return nil, classify(op, err)
		}
		out = append(out, sh)
	}
	return out, classify(op, rows.Err())
}
