package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/stratus-drive/stratus/internal/drive"
	"github.com/stratus-drive/stratus/internal/errs"
)

const fileColumns = `id, type, name, owner_id, size, primary_entity, parent_id, is_symbolic, props, policy_id,
 created_at, updated_at`

var insertFile = define("InsertFile", `INSERT INTO files
 (type, name, owner_id, size, primary_entity, parent_id, is_symbolic, props, policy_id, created_at, updated_at)
 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`)

// InsertFile adds f and sets its ID (and its times when zero). A sibling with
// the same name is errs.Exist.
func (r *runner) InsertFile(ctx context.Context, f *drive.File) error {
	const op = "store.InsertFile"
	props, err := encodeDoc(f.Props)
	if err != nil {
		return errs.E(op, errs.Internal, err)
	}
	t := now()
	if f.CreatedAt.IsZero() {
		f.CreatedAt = t
	}
	if f.UpdatedAt.IsZero() {
		f.UpdatedAt = t
	}
	f.CreatedAt, f.UpdatedAt = f.CreatedAt.UTC().Truncate(time.Microsecond), f.UpdatedAt.UTC().Truncate(time.Microsecond)
	id, err := r.insert(ctx, insertFile, int(f.Type), f.Name, f.OwnerID, f.Size, f.PrimaryEntity,
		nullID(f.ParentID), f.IsSymbolic, props, f.PolicyID, f.CreatedAt, f.UpdatedAt)
	if err != nil {
		return classify(op, err)
	}
	f.ID = id
	return nil
}

var fileByID = define("FileByID", `SELECT `+fileColumns+` FROM files WHERE id = ?`)

// FileByID returns file id, or errs.NotExist.
func (r *runner) FileByID(ctx context.Context, id int) (*drive.File, error) {
	const op = "store.FileByID"
	f, err := scanFile(r.row(ctx, fileByID, id))
	return f, classify(op, err)
}

var rootOf = define("RootOf", `SELECT `+fileColumns+` FROM files
 WHERE owner_id = ? AND parent_id IS NULL AND name = '' AND type = 1 LIMIT 1`)

// RootOf returns the root folder of owner, or errs.NotExist.
func (r *runner) RootOf(ctx context.Context, owner int) (*drive.File, error) {
	const op = "store.RootOf"
	f, err := scanFile(r.row(ctx, rootOf, owner))
	return f, classify(op, err)
}

var childByName = define("ChildByName", `SELECT `+fileColumns+` FROM files WHERE parent_id = ? AND name = ?`)

// ChildByName returns the child of parent named name, or errs.NotExist.
func (r *runner) ChildByName(ctx context.Context, parent int, name string) (*drive.File, error) {
	const op = "store.ChildByName"
	f, err := scanFile(r.row(ctx, childByName, parent, name))
	return f, classify(op, err)
}

// ListOrder is a sort column of folder listings.
type ListOrder string

// The orders a listing supports; anything else sorts by id.
const (
	OrderName    ListOrder = "name"
	OrderSize    ListOrder = "size"
	OrderUpdated ListOrder = "updated_at"
	OrderCreated ListOrder = "created_at"
	OrderID      ListOrder = "id"
)

// Cursor is the position after the last row of a page: its sort value and id.
type Cursor struct {
	Name string
	Int  int64
	Time time.Time
	ID   int
}

type listKey struct {
	order ListOrder
	desc  bool
	after bool
}

// listChildren holds one query per order, direction and first/next page, so
// that each is a plain indexed range scan on (parent_id, type, col, id).
var listChildren = func() map[listKey]*query {
	m := map[listKey]*query{}
	for _, o := range []ListOrder{OrderName, OrderSize, OrderUpdated, OrderCreated, OrderID} {
		for _, desc := range []bool{false, true} {
			dir, cmp := "ASC", ">"
			if desc {
				dir, cmp = "DESC", "<"
			}
			order := fmt.Sprintf(" ORDER BY %s %s, id %s LIMIT ?", o, dir, dir)
			if o == OrderID {
				order = fmt.Sprintf(" ORDER BY id %s LIMIT ?", dir)
			}
			base := `SELECT ` + fileColumns + ` FROM files WHERE parent_id = ? AND type = ?`
			name := fmt.Sprintf("ListChildren/%s/%s", o, dir)
			sqlite := `SELECT ` + sqliteFileColumns + ` FROM files WHERE parent_id = ? AND type = ?`
			m[listKey{o, desc, false}] = defineSQLite(name, base+order, sqlite+order)
			// The leading "col >= v" bounds the index range; without it a
			// deep page would scan from the start of the folder.
			keyset := fmt.Sprintf(" AND %s %s= ? AND (%s %s ? OR id %s ?)", o, cmp, o, cmp, cmp)
			if o == OrderID {
				keyset = fmt.Sprintf(" AND id %s ?", cmp)
			}
			m[listKey{o, desc, true}] = defineSQLite(name+"/after", base+keyset+order, sqlite+keyset+order)
		}
	}
	return m
}()

// ListChildren returns up to limit children of parent of one type, in order,
// starting after cursor (nil: from the start).
func (r *runner) ListChildren(ctx context.Context, parent int, typ drive.FileType, order ListOrder, desc bool,
	after *Cursor, limit int) ([]*drive.File, error) {
	const op = "store.ListChildren"
	if _, ok := listChildren[listKey{order, desc, false}]; !ok {
		order = OrderID
	}
	q := listChildren[listKey{order, desc, after != nil}]
	args := []any{parent, int(typ)}
	if after != nil {
		if order != OrderID {
			v := cursorValue(order, after)
			args = append(args, v, v) // "col >= v" and "col > v"
		}
		args = append(args, after.ID)
	}
	args = append(args, limit)
	rows, err := r.rows(ctx, q, args...)
	if err != nil {
		return nil, classify(op, err)
	}
	fs, err := scanFiles(rows)
	return fs, classify(op, err)
}

func cursorValue(o ListOrder, c *Cursor) any {
	switch o {
	case OrderName:
		return c.Name
	case OrderSize:
		return c.Int
	case OrderUpdated, OrderCreated:
		return c.Time.UTC()
	}
	return c.ID
}

// CursorOf returns the cursor positioned after f in order o.
func CursorOf(f *drive.File, o ListOrder) *Cursor {
	c := &Cursor{ID: f.ID}
	switch o {
	case OrderName:
		c.Name = f.Name
	case OrderSize:
		c.Int = f.Size
	case OrderUpdated:
		c.Time = f.UpdatedAt
	case OrderCreated:
		c.Time = f.CreatedAt
	}
	return c
}

var countChildren = define("CountChildren", `SELECT COUNT(*) FROM files WHERE parent_id = ? AND type = ?`)

// CountChildren counts the children of parent of one type.
func (r *runner) CountChildren(ctx context.Context, parent int, typ drive.FileType) (int, error) {
	const op = "store.CountChildren"
	var n int
	err := r.row(ctx, countChildren, parent, int(typ)).Scan(&n)
	return n, classify(op, err)
}

var listTrash = define("ListTrash", `SELECT `+fileColumns+` FROM files
 WHERE owner_id = ? AND parent_id IS NULL AND name <> '' AND id > ? ORDER BY id LIMIT ?`)

// ListTrash returns up to limit trashed items of owner with ids above after.
func (r *runner) ListTrash(ctx context.Context, owner, after, limit int) ([]*drive.File, error) {
	const op = "store.ListTrash"
	rows, err := r.rows(ctx, listTrash, owner, after, limit)
	if err != nil {
		return nil, classify(op, err)
	}
	fs, err := scanFiles(rows)
	return fs, classify(op, err)
}

var trashItem = define("TrashItem", `SELECT `+fileColumns+` FROM files
 WHERE owner_id = ? AND parent_id IS NULL AND name = ?`)

// TrashItem returns the trashed item of owner with the given internal name.
func (r *runner) TrashItem(ctx context.Context, owner int, name string) (*drive.File, error) {
	const op = "store.TrashItem"
	if name == "" {
		return nil, errs.E(op, errs.NotExist)
	}
	f, err := scanFile(r.row(ctx, trashItem, owner, name))
	return f, classify(op, err)
}

var moveFile = define("MoveFile", `UPDATE files SET parent_id = ?, name = ?, updated_at = ? WHERE id = ?`)

// MoveFile sets the parent (0: none) and name of file id. A sibling with the
// new name is errs.Exist.
func (r *runner) MoveFile(ctx context.Context, id, parent int, name string, updatedAt time.Time) error {
	const op = "store.MoveFile"
	return classify(op, r.update(ctx, moveFile, nullID(parent), name, updatedAt.UTC(), id))
}

var setFileContent = define("SetFileContent", `UPDATE files SET size = ?, primary_entity = ?, updated_at = ? WHERE id = ?`)

// SetFileContent points file id at a new current version.
func (r *runner) SetFileContent(ctx context.Context, id int, size int64, primary int, updatedAt time.Time) error {
	const op = "store.SetFileContent"
	return classify(op, r.update(ctx, setFileContent, size, primary, updatedAt.UTC(), id))
}

var setFileProps = define("SetFileProps", `UPDATE files SET props = ? WHERE id = ?`)

// SetFileProps replaces the props document of file id.
func (r *runner) SetFileProps(ctx context.Context, id int, props drive.FileProps) error {
	const op = "store.SetFileProps"
	doc, err := encodeDoc(props)
	if err != nil {
		return errs.E(op, errs.Internal, err)
	}
	return classify(op, r.update(ctx, setFileProps, doc, id))
}

var touchFile = define("TouchFile", `UPDATE files SET updated_at = ? WHERE id = ?`)

// TouchFile sets the modification time of file id.
func (r *runner) TouchFile(ctx context.Context, id int, t time.Time) error {
	const op = "store.TouchFile"
	return classify(op, r.update(ctx, touchFile, t.UTC(), id))
}

var setFileTimes = define("SetFileTimes", `UPDATE files SET created_at = ?, updated_at = ? WHERE id = ?`)

// SetFileTimes sets the creation and modification times of file id.
func (r *runner) SetFileTimes(ctx context.Context, id int, created, updated time.Time) error {
	const op = "store.SetFileTimes"
	return classify(op, r.update(ctx, setFileTimes, created.UTC(), updated.UTC(), id))
}

// ChildrenOf returns every child of the given folders, for tree walks.
func (r *runner) ChildrenOf(ctx context.Context, parents []int) ([]*drive.File, error) {
	const op = "store.ChildrenOf"
	var out []*drive.File
	for _, chunk := range chunks(parents) {
		rows, err := r.x.QueryContext(ctx, r.inQuery(`SELECT `+fileColumns+` FROM files WHERE parent_id IN (%s)`, len(chunk)), intArgs(chunk)...)
		if err != nil {
			return nil, classify(op, err)
		}
		fs, err := scanFiles(rows)
		if err != nil {
			return nil, classify(op, err)
		}
		out = append(out, fs...)
	}
	return out, nil
}

// DeleteFiles hard-deletes files with their entity links and metadata. The
// caller passes whole subtrees: a file whose parent survives is fine, but a
// deleted folder's children must be in ids too.
func (r *runner) DeleteFiles(ctx context.Context, ids []int) error {
	const op = "store.DeleteFiles"
	for _, chunk := range chunks(ids) {
		args := intArgs(chunk)
		for _, stmt := range []string{
			`DELETE FROM file_entities WHERE file_id IN (%s)`,
			`DELETE FROM metadata WHERE file_id IN (%s)`,
		} {
			if _, err := r.x.ExecContext(ctx, r.inQuery(stmt, len(chunk)), args...); err != nil {
				return classify(op, err)
			}
		}
	}
	// Detach first: parent_id references files(id), and MySQL checks that
	// row by row, so a parent and its child in one DELETE would fail.
	for _, chunk := range chunks(ids) {
		args := intArgs(chunk)
		for _, stmt := range []string{
			`UPDATE files SET parent_id = NULL WHERE id IN (%s)`,
			`DELETE FROM files WHERE id IN (%s)`,
		} {
			if _, err := r.x.ExecContext(ctx, r.inQuery(stmt, len(chunk)), args...); err != nil {
				return classify(op, err)
			}
		}
	}
	return nil
}

// maxIn bounds the size of IN lists (SQLite allows 32766 parameters; staying
// far below keeps statements small).
const maxIn = 500

func chunks(ids []int) [][]int {
	var out [][]int
	for len(ids) > maxIn {
		out = append(out, ids[:maxIn])
		ids = ids[maxIn:]
	}
	if len(ids) > 0 {
		out = append(out, ids)
	}
	return out
}

// inQuery renders a statement with an IN list of n placeholders for the
// runner's dialect. These statements vary in length, so they are rewritten
// per call rather than registered.
func (r *runner) inQuery(format string, n int) string {
	marks := strings.TrimSuffix(strings.Repeat("?,", n), ",")
	return rewrite(fmt.Sprintf(format, marks), r.d)
}

func intArgs(ids []int) []any {
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	return args
}

func nullID(id int) any {
	if id == 0 {
		return nil
	}
	return id
}

func scanFile(s scanner) (*drive.File, error) {
	var (
		f      drive.File
		typ    int
		parent sql.NullInt64
		props  string
	)
	err := s.Scan(&f.ID, &typ, &f.Name, &f.OwnerID, &f.Size, &f.PrimaryEntity, &parent, &f.IsSymbolic,
		&props, &f.PolicyID, storedTime{&f.CreatedAt}, storedTime{&f.UpdatedAt})
	if err != nil {
		return nil, err
	}
	if props != "{}" { // most files have no props: skip the JSON decoder for them
		if err := decodeDoc(props, &f.Props); err != nil {
			return nil, err
		}
	}
	f.Type, f.ParentID = drive.FileType(typ), int(parent.Int64)
	f.CreatedAt, f.UpdatedAt = f.CreatedAt.UTC(), f.UpdatedAt.UTC()
	return &f, nil
}

func scanFiles(rows *sql.Rows) ([]*drive.File, error) {
	defer rows.Close()
	var out []*drive.File
	for rows.Next() {
		f, err := scanFile(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, rows.Err()
}
