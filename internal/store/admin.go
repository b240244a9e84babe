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

// Queries of the administration pages: offset pages over whole tables with
// optional filters, and the writes only administrators make. The filters
// vary per request, so these statements are built per call (like the IN
// lists) rather than registered; every value is a placeholder argument and
// every identifier comes from the tables below, never from the caller.

// Page selects one page of an admin list. OrderBy is a name the list's
// order table knows; anything else orders by id, as the contract says.
type Page struct {
	Offset, Limit int
	OrderBy       string
	Desc          bool
}

// where collects filter clauses and their arguments.
type where struct {
	clauses []string
	args    []any
}

func (w *where) add(clause string, args ...any) {
	w.clauses = append(w.clauses, clause)
	w.args = append(w.args, args...)
}

func (w *where) sql() string {
	if len(w.clauses) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(w.clauses, " AND ")
}

// likeContains is the LIKE pattern for a case-insensitive substring match
// (compared with lower() on both sides).
func likeContains(s string) string { return "%" + escapeLike(strings.ToLower(s)) + "%" }

// page counts the rows of from that w selects, then reads one page of them.
// orders maps the list's order names to columns.
func (r *runner) page(ctx context.Context, op, cols, from string, w *where, orders map[string]string, p Page,
	scan func(*sql.Rows) error) (int, error) {
	var total int
	count := rewrite(`SELECT COUNT(*) FROM `+from+w.sql(), r.d)
	if err := r.x.QueryRowContext(ctx, count, w.args...).Scan(&total); err != nil {
		return 0, classify(op, err)
	}
	dir := " ASC"
	if p.Desc {
		dir = " DESC"
	}
	order := "id" + dir
	if col, ok := orders[p.OrderBy]; ok {
		order = col + dir + ", id" + dir
	}
	list := rewrite(fmt.Sprintf(`SELECT %s FROM %s%s ORDER BY %s LIMIT ? OFFSET ?`, cols, from, w.sql(), order), r.d)
	rows, err := r.x.QueryContext(ctx, list, append(w.args, p.Limit, p.Offset)...)
	if err != nil {
		return 0, classify(op, err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return 0, classify(op, err)
		}
	}
	return total, classify(op, rows.Err())
}

// ---- Groups ----

var groupOrders = map[string]string{"name": "name", "max_storage": "max_storage"}

// AdminGroups returns one page of groups and the number of groups.
func (r *runner) AdminGroups(ctx context.Context, p Page) ([]*drive.Group, int, error) {
	var out []*drive.Group
	n, err := r.page(ctx, "store.AdminGroups", groupColumns, `"groups"`, &where{clauses: []string{"deleted_at IS NULL"}},
		groupOrders, p, func(rows *sql.Rows) error {
			g, err := scanGroup(rows)
			out = append(out, g)
			return err
		})
	return out, n, err
}

var insertGroup = define("InsertGroup", `INSERT INTO "groups"
 (name, max_storage, speed_limit, permissions, settings, storage_policy_id, created_at, updated_at)
 VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`)

// InsertGroup adds g and sets its ID and times.
func (r *runner) InsertGroup(ctx context.Context, g *drive.Group) error {
	const op = "store.InsertGroup"
	settings, err := encodeDoc(g.Settings)
	if err != nil {
		return errs.E(op, errs.Internal, err)
	}
	t := now()
	id, err := r.insert(ctx, insertGroup, g.Name, g.MaxStorage, g.SpeedLimit, []byte(g.Permissions), settings,
		nullID(g.StoragePolicyID), t, t)
	if err != nil {
		return classify(op, err)
	}
	g.ID, g.CreatedAt, g.UpdatedAt = id, t, t
	return nil
}

var updateGroup = define("UpdateGroup", `UPDATE "groups" SET name = ?, max_storage = ?, speed_limit = ?,
 permissions = ?, settings = ?, storage_policy_id = ?, updated_at = ? WHERE id = ? AND deleted_at IS NULL`)

// UpdateGroup replaces the writable columns of group g.ID. A missing group
// is errs.NotExist.
func (r *runner) UpdateGroup(ctx context.Context, g *drive.Group) error {
	const op = "store.UpdateGroup"
	settings, err := encodeDoc(g.Settings)
	if err != nil {
		return errs.E(op, errs.Internal, err)
	}
	return classify(op, r.update(ctx, updateGroup, g.Name, g.MaxStorage, g.SpeedLimit, []byte(g.Permissions),
		settings, nullID(g.StoragePolicyID), now(), g.ID))
}

var deleteGroup = define("DeleteGroup", `UPDATE "groups" SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL`)

// DeleteGroup soft-deletes group id. A missing group is errs.NotExist.
func (r *runner) DeleteGroup(ctx context.Context, id int) error {
	return classify("store.DeleteGroup", r.update(ctx, deleteGroup, now(), id))
}

var countGroupUsers = define("CountGroupUsers",
	`SELECT COUNT(*) FROM users WHERE group_users = ? AND deleted_at IS NULL`)

// CountGroupUsers returns how many users belong to group id.
func (r *runner) CountGroupUsers(ctx context.Context, id int) (int, error) {
	var n int
	err := r.row(ctx, countGroupUsers, id).Scan(&n)
	return n, classify("store.CountGroupUsers", err)
}

// CountActiveUsersIn returns how many active users belong to any of groups.
func (r *runner) CountActiveUsersIn(ctx context.Context, groups []int) (int, error) {
	const op = "store.CountActiveUsersIn"
	if len(groups) == 0 {
		return 0, nil
	}
	q := r.inQuery(`SELECT COUNT(*) FROM users WHERE status = 'active' AND deleted_at IS NULL AND group_users IN (%s)`,
		len(groups))
	var n int
	err := r.x.QueryRowContext(ctx, q, intArgs(groups)...).Scan(&n)
	return n, classify(op, err)
}

var lockGroupRow = define("LockGroupRow", `UPDATE "groups" SET updated_at = updated_at WHERE id = ?`)

// LockGroupRow takes the row lock of group id until the transaction ends:
// changes that must see each other's effect on who is an administrator
// queue on group 1's row.
func (r *runner) LockGroupRow(ctx context.Context, id int) error {
	return classify("store.LockGroupRow", r.update(ctx, lockGroupRow, id))
}

// ---- Users ----

// UserFilter selects users in the admin list; zero fields select all.
type UserFilter struct {
	Status  string
	GroupID int
	Nick    string // case-insensitive substring
	Email   string // case-insensitive substring
}

var userOrders = map[string]string{"nick": "nick", "storage": "storage", "email": "email", "updated_at": "updated_at"}

// AdminUsers returns one page of the users f selects and their number.
func (r *runner) AdminUsers(ctx context.Context, f UserFilter, p Page) ([]*drive.User, int, error) {
	w := &where{}
	w.add("deleted_at IS NULL")
	if f.Status != "" {
		w.add("status = ?", f.Status)
	}
	if f.GroupID != 0 {
		w.add("group_users = ?", f.GroupID)
	}
	if f.Nick != "" {
		w.add("lower(nick) LIKE ? ESCAPE '!'", likeContains(f.Nick))
	}
	if f.Email != "" {
		w.add("email_lower LIKE ? ESCAPE '!'", likeContains(f.Email))
	}
	var out []*drive.User
	n, err := r.page(ctx, "store.AdminUsers", userColumns, "users", w, userOrders, p, func(rows *sql.Rows) error {
		u, err := scanUser(rows)
		out = append(out, u)
		return err
	})
	return out, n, err
}

var updateUserAdmin = define("UpdateUserAdmin", `UPDATE users SET email = ?, nick = ?, avatar = ?, status = ?,
 group_users = ?, updated_at = ? WHERE id = ? AND deleted_at IS NULL`)

// UpdateUserAdmin replaces what an administrator edits of user u.ID: email,
// nick, avatar, status and group. A missing user is errs.NotExist; an email
// another account has is errs.Exist.
func (r *runner) UpdateUserAdmin(ctx context.Context, u *drive.User) error {
	return classify("store.UpdateUserAdmin", r.update(ctx, updateUserAdmin, u.Email, u.Nick, u.Avatar,
		string(u.Status), u.GroupID, now(), u.ID))
}

var fileIDsOfOwner = define("FileIDsOfOwner", `SELECT id FROM files WHERE owner_id = ? ORDER BY id`)

// FileIDsOfOwner returns the id of every file and folder user owns,
// trashed ones included.
func (r *runner) FileIDsOfOwner(ctx context.Context, user int) ([]int, error) {
	ids, err := column[int](ctx, r, fileIDsOfOwner, user)
	return ids, classify("store.FileIDsOfOwner", err)
}

// DeleteUserRows removes user id and everything that belongs to it besides
// its files (which the caller deletes first, with their entity links): upload
// sessions, shares, WebDAV accounts, then the row itself. Entities the user
// created keep existing without a creator. A missing user is errs.NotExist.
func (r *runner) DeleteUserRows(ctx context.Context, id int) error {
	const op = "store.DeleteUserRows"
	for _, stmt := range []string{
		`DELETE FROM upload_sessions WHERE owner_id = ?`,
		`DELETE FROM shares WHERE owner_id = ?`,
		`DELETE FROM dav_accounts WHERE owner_id = ?`,
		`UPDATE entities SET created_by = NULL WHERE created_by = ?`,
	} {
		if _, err := r.x.ExecContext(ctx, rewrite(stmt, r.d), id); err != nil {
			return classify(op, err)
		}
	}
	res, err := r.x.ExecContext(ctx, rewrite(`DELETE FROM users WHERE id = ?`, r.d), id)
	if err != nil {
		return classify(op, err)
	}
	if n, err := res.RowsAffected(); err == nil && n == 0 {
		return errs.E(op, errs.NotExist)
	}
	return nil
}

// ---- Files ----

// FileFilter selects files in the admin list (files only, never folders).
type FileFilter struct {
	Name       string // case-insensitive substring
	OwnerID    int
	PolicyID   int
	Metadata   string // has a metadata entry with exactly this name
	Shared     bool   // has a share link
	DirectLink bool   // has a direct link
}

var fileOrders = map[string]string{"name": "name", "size": "size", "updated_at": "updated_at"}

// AdminFiles returns one page of the files f selects and their number.
func (r *runner) AdminFiles(ctx context.Context, f FileFilter, p Page) ([]*drive.File, int, error) {
	w := &where{}
	w.add("type = ?", int(drive.TypeFile))
	w.add("is_symbolic = ?", false)
	if f.Name != "" {
		w.add("lower(name) LIKE ? ESCAPE '!'", likeContains(f.Name))
	}
	if f.OwnerID != 0 {
		w.add("owner_id = ?", f.OwnerID)
	}
	if f.PolicyID != 0 {
		w.add("policy_id = ?", f.PolicyID)
	}
	if f.Metadata != "" {
		w.add("EXISTS (SELECT 1 FROM metadata m WHERE m.file_id = files.id AND m.name = ?)", f.Metadata)
	}
	if f.Shared {
		w.add("EXISTS (SELECT 1 FROM shares s WHERE s.file_id = files.id)")
	}
	if f.DirectLink {
		w.add("EXISTS (SELECT 1 FROM direct_links d WHERE d.file_id = files.id)")
	}
	var out []*drive.File
	n, err := r.page(ctx, "store.AdminFiles", fileColumns, "files", w, fileOrders, p, func(rows *sql.Rows) error {
		f, err := scanFile(rows)
		out = append(out, f)
		return err
	})
	return out, n, err
}

// FilesByIDs returns the files of ids that exist, in id order.
func (r *runner) FilesByIDs(ctx context.Context, ids []int) ([]*drive.File, error) {
	var out []*drive.File
	err := r.eachRowIn(ctx, ids, `SELECT `+fileColumns+` FROM files WHERE id IN (%s) ORDER BY id`, func(rows *sql.Rows) error {
		f, err := scanFile(rows)
		out = append(out, f)
		return err
	})
	return out, classify("store.FilesByIDs", err)
}

var renameFileAdmin = define("RenameFileAdmin", `UPDATE files SET name = ?, updated_at = ? WHERE id = ?`)

// RenameFile sets the name of file id. A missing file is errs.NotExist; a
// sibling with that name is errs.Exist.
func (r *runner) RenameFile(ctx context.Context, id int, name string) error {
	return classify("store.RenameFile", r.update(ctx, renameFileAdmin, name, now(), id))
}

// ---- Entities ----

// EntityFilter selects entities in the admin list.
type EntityFilter struct {
	CreatedBy int
	PolicyID  int
	Type      int // -1: any
}

var entityOrders = map[string]string{"size": "size", "updated_at": "updated_at", "reference_count": "reference_count"}

// AdminEntities returns one page of the entities f selects and their number.
func (r *runner) AdminEntities(ctx context.Context, f EntityFilter, p Page) ([]*drive.Entity, int, error) {
	w := &where{}
	if f.CreatedBy != 0 {
		w.add("created_by = ?", f.CreatedBy)
	}
	if f.PolicyID != 0 {
		w.add("policy_id = ?", f.PolicyID)
	}
	if f.Type >= 0 {
		w.add("type = ?", f.Type)
	}
	var out []*drive.Entity
	n, err := r.page(ctx, "store.AdminEntities", entityColumns, "entities", w, entityOrders, p,
		func(rows *sql.Rows) error {
			e, err := scanEntity(rows)
			out = append(out, e)
			return err
		})
	return out, n, err
}

var filesOfEntity = define("FilesOfEntity", `SELECT `+prefixed("f.", fileColumns)+` FROM file_entities fe
 JOIN files f ON f.id = fe.file_id WHERE fe.entity_id = ? ORDER BY f.id`)

// FilesOfEntity returns the files that link entity.
func (r *runner) FilesOfEntity(ctx context.Context, entity int) ([]*drive.File, error) {
	const op = "store.FilesOfEntity"
	rows, err := r.rows(ctx, filesOfEntity, entity)
	if err != nil {
		return nil, classify(op, err)
	}
	fs, err := scanFiles(rows)
	return fs, classify(op, err)
}

var forceDeleteEntity = define("ForceDeleteEntity", `DELETE FROM entities WHERE id = ?`)

// ForceDeleteEntity removes entity id's row even while files link it; the
// links go with it (ON DELETE CASCADE). A missing entity is errs.NotExist.
func (r *runner) ForceDeleteEntity(ctx context.Context, id int) error {
	return classify("store.ForceDeleteEntity", r.update(ctx, forceDeleteEntity, id))
}

// ---- Shares ----

// ShareFilter selects shares in the admin list.
type ShareFilter struct {
	OwnerID int
	FileID  int
	IDs     []int
}

var shareOrders = map[string]string{"views": "views", "downloads": "downloads", "remain_downloads": "remain_downloads"}

// AdminShares returns one page of the shares f selects and their number.
func (r *runner) AdminShares(ctx context.Context, f ShareFilter, p Page) ([]*drive.Share, int, error) {
	w := &where{}
	if f.OwnerID != 0 {
		w.add("owner_id = ?", f.OwnerID)
	}
	if f.FileID != 0 {
		w.add("file_id = ?", f.FileID)
	}
	if len(f.IDs) > 0 {
		if len(f.IDs) > maxIn {
			return nil, 0, errs.E("store.AdminShares", errs.Invalid, "too many share ids")
		}
		w.add("id IN ("+strings.TrimSuffix(strings.Repeat("?,", len(f.IDs)), ",")+")", intArgs(f.IDs)...)
	}
	var out []*drive.Share
	n, err := r.page(ctx, "store.AdminShares", shareColumns, "shares", w, shareOrders, p, func(rows *sql.Rows) error {
		sh, err := scanShare(rows)
		out = append(out, sh)
		return err
	})
	return out, n, err
}

// ---- Storage policies ----

var policyOrders = map[string]string{"updated_at": "updated_at"}

// AdminPolicies returns one page of policies (of type typ, if set) and
// their number.
func (r *runner) AdminPolicies(ctx context.Context, typ string, p Page) ([]*drive.Policy, int, error) {
	w := &where{}
	w.add("deleted_at IS NULL")
	if typ != "" {
		w.add("type = ?", typ)
	}
	var out []*drive.Policy
	n, err := r.page(ctx, "store.AdminPolicies", policyColumns, "storage_policies", w, policyOrders, p,
		func(rows *sql.Rows) error {
			pol, err := scanPolicy(rows)
			out = append(out, pol)
			return err
		})
	return out, n, err
}

var insertPolicy = define("InsertPolicy", `INSERT INTO storage_policies
 (name, type, server, bucket_name, is_private, access_key, secret_key, max_size, dir_name_rule, file_name_rule,
 settings, node_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`)

// InsertPolicy adds p and sets its ID and times.
func (r *runner) InsertPolicy(ctx context.Context, p *drive.Policy) error {
	const op = "store.InsertPolicy"
	settings, err := encodePolicySettings(p.Settings)
	if err != nil {
		return errs.E(op, errs.Internal, err)
	}
	t := now()
	id, err := r.insert(ctx, insertPolicy, p.Name, p.Type, p.Server, p.BucketName, p.IsPrivate, p.AccessKey,
		p.SecretKey, p.MaxSize, p.DirNameRule, p.FileNameRule, settings, nullID(p.NodeID), t, t)
	if err != nil {
		return classify(op, err)
	}
	p.ID, p.CreatedAt, p.UpdatedAt = id, t, t
	return nil
}

var updatePolicy = define("UpdatePolicy", `UPDATE storage_policies SET name = ?, type = ?, server = ?,
 bucket_name = ?, is_private = ?, access_key = ?, secret_key = ?, max_size = ?, dir_name_rule = ?,
 file_name_rule = ?, settings = ?, node_id = ?, updated_at = ? WHERE id = ? AND deleted_at IS NULL`)

// UpdatePolicy replaces every column of policy p.ID. A missing policy is
// errs.NotExist.
func (r *runner) UpdatePolicy(ctx context.Context, p *drive.Policy) error {
	const op = "store.UpdatePolicy"
	settings, err := encodePolicySettings(p.Settings)
	if err != nil {
		return errs.E(op, errs.Internal, err)
	}
	p.UpdatedAt = now()
	return classify(op, r.update(ctx, updatePolicy, p.Name, p.Type, p.Server, p.BucketName, p.IsPrivate,
		p.AccessKey, p.SecretKey, p.MaxSize, p.DirNameRule, p.FileNameRule, settings, nullID(p.NodeID),
		p.UpdatedAt, p.ID))
}

var deletePolicy = define("DeletePolicy",
	`UPDATE storage_policies SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL`)

// DeletePolicy soft-deletes policy id. A missing policy is errs.NotExist.
func (r *runner) DeletePolicy(ctx context.Context, id int) error {
	return classify("store.DeletePolicy", r.update(ctx, deletePolicy, now(), id))
}

var groupsOfPolicy = define("GroupsOfPolicy", `SELECT `+groupColumns+` FROM "groups"
 WHERE storage_policy_id = ? AND deleted_at IS NULL ORDER BY id`)

// GroupsOfPolicy returns the groups that store new files on policy id.
func (r *runner) GroupsOfPolicy(ctx context.Context, id int) ([]*drive.Group, error) {
	const op = "store.GroupsOfPolicy"
	rows, err := r.rows(ctx, groupsOfPolicy, id)
	if err != nil {
		return nil, classify(op, err)
	}
	defer rows.Close()
	var out []*drive.Group
	for rows.Next() {
		g, err := scanGroup(rows)
		if err != nil {
			return nil, classify(op, err)
		}
		out = append(out, g)
	}
	return out, classify(op, rows.Err())
}

var policyUsage = define("PolicyUsage",
	`SELECT COUNT(*), COALESCE(SUM(size), 0) FROM entities WHERE policy_id = ?`)

// PolicyUsage returns how many entities policy id stores and their bytes.
func (r *runner) PolicyUsage(ctx context.Context, id int) (count int, size int64, err error) {
	err = r.row(ctx, policyUsage, id).Scan(&count, &size)
	return count, size, classify("store.PolicyUsage", err)
}

// ---- Nodes ----

const nodeColumns = `id, name, type, status, server, slave_key, capabilities, settings, weight, created_at, updated_at`

var nodeOrders = map[string]string{"name": "name", "weight": "weight", "updated_at": "updated_at"}

// AdminNodes returns one page of nodes (with status, if set) and their
// number.
func (r *runner) AdminNodes(ctx context.Context, status string, p Page) ([]*drive.Node, int, error) {
	w := &where{}
	w.add("deleted_at IS NULL")
	if status != "" {
		w.add("status = ?", status)
	}
	var out []*drive.Node
	n, err := r.page(ctx, "store.AdminNodes", nodeColumns, "nodes", w, nodeOrders, p, func(rows *sql.Rows) error {
		nd, err := scanNode(rows)
		out = append(out, nd)
		return err
	})
	return out, n, err
}

var nodeByID = define("NodeByID", `SELECT `+nodeColumns+` FROM nodes WHERE id = ? AND deleted_at IS NULL`)

// NodeByID returns node id, or errs.NotExist.
func (r *runner) NodeByID(ctx context.Context, id int) (*drive.Node, error) {
	n, err := scanNode(r.row(ctx, nodeByID, id))
	return n, classify("store.NodeByID", err)
}

var insertNode = define("InsertNode", `INSERT INTO nodes
 (name, type, status, server, slave_key, capabilities, settings, weight, created_at, updated_at)
 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`)

// InsertNode adds n and sets its ID and times.
func (r *runner) InsertNode(ctx context.Context, n *drive.Node) error {
	const op = "store.InsertNode"
	settings, err := encodeDoc(nodeSettings(n))
	if err != nil {
		return errs.E(op, errs.Internal, err)
	}
	t := now()
	id, err := r.insert(ctx, insertNode, n.Name, n.Type, n.Status, n.Server, n.SlaveKey, []byte(n.Capabilities),
		settings, n.Weight, t, t)
	if err != nil {
		return classify(op, err)
	}
	n.ID, n.CreatedAt, n.UpdatedAt = id, t, t
	return nil
}

var updateNode = define("UpdateNode", `UPDATE nodes SET name = ?, status = ?, server = ?, slave_key = ?,
 capabilities = ?, settings = ?, weight = ?, updated_at = ? WHERE id = ? AND deleted_at IS NULL`)

// UpdateNode replaces the writable columns of node n.ID (not its type). A
// missing node is errs.NotExist.
func (r *runner) UpdateNode(ctx context.Context, n *drive.Node) error {
	const op = "store.UpdateNode"
	settings, err := encodeDoc(nodeSettings(n))
	if err != nil {
		return errs.E(op, errs.Internal, err)
	}
	return classify(op, r.update(ctx, updateNode, n.Name, n.Status, n.Server, n.SlaveKey, []byte(n.Capabilities),
		settings, n.Weight, now(), n.ID))
}

var deleteNode = define("DeleteNode", `UPDATE nodes SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL`)

// DeleteNode soft-deletes node id. A missing node is errs.NotExist.
func (r *runner) DeleteNode(ctx context.Context, id int) error {
	return classify("store.DeleteNode", r.update(ctx, deleteNode, now(), id))
}

var policiesOfNode = define("PoliciesOfNode", `SELECT `+policyColumns+` FROM storage_policies
 WHERE node_id = ? AND deleted_at IS NULL ORDER BY id`)

// PoliciesOfNode returns the storage policies bound to node id.
func (r *runner) PoliciesOfNode(ctx context.Context, id int) ([]*drive.Policy, error) {
	const op = "store.PoliciesOfNode"
	rows, err := r.rows(ctx, policiesOfNode, id)
	if err != nil {
		return nil, classify(op, err)
	}
	defer rows.Close()
	var out []*drive.Policy
	for rows.Next() {
		p, err := scanPolicy(rows)
		if err != nil {
			return nil, classify(op, err)
		}
		out = append(out, p)
	}
	return out, classify(op, rows.Err())
}

func nodeSettings(n *drive.Node) map[string]any {
	if n.Settings == nil {
		return map[string]any{}
	}
	return n.Settings
}

func scanNode(s scanner) (*drive.Node, error) {
	var (
		n        drive.Node
		caps     []byte
		settings string
	)
	err := s.Scan(&n.ID, &n.Name, &n.Type, &n.Status, &n.Server, &n.SlaveKey, &caps, &settings, &n.Weight,
		&n.CreatedAt, &n.UpdatedAt)
	if err != nil {
		return nil, err
	}
	if err := decodeDoc(settings, &n.Settings); err != nil {
		return nil, err
	}
	n.Capabilities = drive.Boolset(caps)
	n.CreatedAt, n.UpdatedAt = n.CreatedAt.UTC(), n.UpdatedAt.UTC()
	return &n, nil
}

// ---- Dashboard ----

// CreatedBetween counts the rows of table created in [from, to). table is
// one of "files", "users", "shares".
func (r *runner) CreatedBetween(ctx context.Context, table string, from, to time.Time) (int, error) {
	const op = "store.CreatedBetween"
	if !countable[table] {
		return 0, errs.E(op, errs.Invalid, "not a countable table: "+table)
	}
	q := `SELECT COUNT(*) FROM ` + table + ` WHERE created_at >= ? AND created_at < ?`
	if table == "users" {
		q += ` AND deleted_at IS NULL`
	}
	var n int
	err := r.x.QueryRowContext(ctx, rewrite(q, r.d), from.UTC(), to.UTC()).Scan(&n)
	return n, classify(op, err)
}

// CountRows counts the live rows of table: "files", "users", "shares" or
// "entities".
func (r *runner) CountRows(ctx context.Context, table string) (int, error) {
	const op = "store.CountRows"
	if !countable[table] {
		return 0, errs.E(op, errs.Invalid, "not a countable table: "+table)
	}
	q := `SELECT COUNT(*) FROM ` + table
	if table == "users" {
		q += ` WHERE deleted_at IS NULL`
	}
	var n int
	err := r.x.QueryRowContext(ctx, q).Scan(&n)
	return n, classify(op, err)
}

var countable = map[string]bool{"files": true, "users": true, "shares": true, "entities": true}

// prefixed qualifies every column of a column list with p ("f.").
func prefixed(p, cols string) string {
	parts := strings.Split(cols, ",")
	for i, c := range parts {
		parts[i] = p + strings.TrimSpace(c)
	}
	return strings.Join(parts, ", ")
}

// ---- Edges of a page of files, one query per relation ----

// EntitiesOfFiles returns the entities linked to each of files, newest
// first per file.
func (r *runner) EntitiesOfFiles(ctx context.Context, files []int) (map[int][]*drive.Entity, error) {
	out := map[int][]*drive.Entity{}
	err := r.eachRowIn(ctx, files, `SELECT fe.file_id, `+prefixed("e.", entityColumns)+`
 FROM file_entities fe JOIN entities e ON e.id = fe.entity_id WHERE fe.file_id IN (%s) ORDER BY fe.file_id, e.id DESC`,
		func(rows *sql.Rows) error {
			var file int
			e, err := scanEntity(prefixScanner{rows, &file})
			out[file] = append(out[file], e)
			return err
		})
	return out, classify("store.EntitiesOfFiles", err)
}

// DirectLinksOfFiles returns the direct links of each of files, oldest first.
func (r *runner) DirectLinksOfFiles(ctx context.Context, files []int) (map[int][]*drive.DirectLink, error) {
	out := map[int][]*drive.DirectLink{}
	err := r.eachRowIn(ctx, files, `SELECT `+directLinkColumns+` FROM direct_links
 WHERE file_id IN (%s) ORDER BY file_id, id`, func(rows *sql.Rows) error {
		l, err := scanDirectLink(rows)
		if err == nil {
			out[l.FileID] = append(out[l.FileID], l)
		}
		return err
	})
	return out, classify("store.DirectLinksOfFiles", err)
}

// SharesOfFiles returns the share links of each of files, oldest first.
func (r *runner) SharesOfFiles(ctx context.Context, files []int) (map[int][]*drive.Share, error) {
	out := map[int][]*drive.Share{}
	err := r.eachRowIn(ctx, files, `SELECT `+shareColumns+` FROM shares
 WHERE file_id IN (%s) ORDER BY file_id, id`, func(rows *sql.Rows) error {
		sh, err := scanShare(rows)
		if err == nil {
			out[sh.FileID] = append(out[sh.FileID], sh)
		}
		return err
	})
	return out, classify("store.SharesOfFiles", err)
}

// prefixScanner scans a leading column into first, then hands the rest to
// a row scanner written for the table's own columns.
type prefixScanner struct {
	rows  *sql.Rows
	first *int
}

func (p prefixScanner) Scan(dest ...any) error {
	return p.rows.Scan(append([]any{p.first}, dest...)...)
}
