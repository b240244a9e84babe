package store

import (
	"context"
	"database/sql"

	"github.com/stratus-drive/stratus/internal/drive"
)

const entityColumns = `id, type, source, size, reference_count, policy_id, created_by, upload_session_id,
 props, created_at, updated_at`

var insertEntity = define("InsertEntity", `INSERT INTO entities
 (type, source, size, reference_count, policy_id, created_by, upload_session_id, props, created_at, updated_at)
 VALUES (?, ?, ?, ?, ?, ?, ?, '{}', ?, ?) RETURNING id`)

// InsertEntity adds e and sets its ID and times.
func (r *runner) InsertEntity(ctx context.Context, e *drive.Entity) error {
	const op = "store.InsertEntity"
	t := now()
	id, err := r.insert(ctx, insertEntity, int(e.Type), e.Source, e.Size, e.ReferenceCount, e.PolicyID,
		nullID(e.CreatedBy), e.UploadSessionID, t, t)
	if err != nil {
		return classify(op, err)
	}
	e.ID, e.CreatedAt, e.UpdatedAt = id, t, t
	return nil
}

var entityByID = define("EntityByID", `SELECT `+entityColumns+` FROM entities WHERE id = ?`)

// EntityByID returns entity id, or errs.NotExist.
func (r *runner) EntityByID(ctx context.Context, id int) (*drive.Entity, error) {
	const op = "store.EntityByID"
	e, err := scanEntity(r.row(ctx, entityByID, id))
	return e, classify(op, err)
}

var entitiesOfFile = define("EntitiesOfFile", `SELECT e.id, e.type, e.source, e.size, e.reference_count,
 e.policy_id, e.created_by, e.upload_session_id, e.props, e.created_at, e.updated_at
 FROM file_entities fe JOIN entities e ON e.id = fe.entity_id WHERE fe.file_id = ? ORDER BY e.id DESC`)

// EntitiesOfFile returns every entity linked to file, newest first.
func (r *runner) EntitiesOfFile(ctx context.Context, file int) ([]*drive.Entity, error) {
	const op = "store.EntitiesOfFile"
	rows, err := r.rows(ctx, entitiesOfFile, file)
	if err != nil {
		return nil, classify(op, err)
	}
	es, err := scanEntities(rows)
	return es, classify(op, err)
}

var linkEntity = define("LinkEntity", `INSERT INTO file_entities (file_id, entity_id) VALUES (?, ?)`)

// LinkEntity links entity to file. The caller adjusts the reference count.
func (r *runner) LinkEntity(ctx context.Context, file, entity int) error {
	const op = "store.LinkEntity"
	_, err := r.exec(ctx, linkEntity, file, entity)
	return classify(op, err)
}

var unlinkEntity = define("UnlinkEntity", `DELETE FROM file_entities WHERE file_id = ? AND entity_id = ?`)

// UnlinkEntity removes the link between file and entity; a missing link is
// errs.NotExist. The caller adjusts the reference count.
func (r *runner) UnlinkEntity(ctx context.Context, file, entity int) error {
	const op = "store.UnlinkEntity"
	return classify(op, r.update(ctx, unlinkEntity, file, entity))
}

var addEntityRefs = define("AddEntityRefs", `UPDATE entities SET reference_count = reference_count + ?, updated_at = ? WHERE id = ?`)

// AddEntityRefs changes the reference count of entity by delta.
func (r *runner) AddEntityRefs(ctx context.Context, entity, delta int) error {
	const op = "store.AddEntityRefs"
	return classify(op, r.update(ctx, addEntityRefs, delta, now(), entity))
}

var finishEntity = define("FinishEntity", `UPDATE entities SET upload_session_id = '', size = ?, updated_at = ? WHERE id = ?`)

// FinishEntity marks an uploaded blob complete with its final size.
func (r *runner) FinishEntity(ctx context.Context, entity int, size int64) error {
	const op = "store.FinishEntity"
	return classify(op, r.update(ctx, finishEntity, size, now(), entity))
}

// EntityLink is one file→entity link with what a hard delete must settle:
// the entity's size (charged to the file's owner) and id.
type EntityLink struct {
	FileID   int
	OwnerID  int
	EntityID int
	Size     int64
}

// LinksOf returns the entity links of the given files.
func (r *runner) LinksOf(ctx context.Context, files []int) ([]EntityLink, error) {
	var out []EntityLink
	err := r.eachRowIn(ctx, files, `SELECT fe.file_id, f.owner_id, e.id, e.size
 FROM file_entities fe JOIN entities e ON e.id = fe.entity_id JOIN files f ON f.id = fe.file_id
 WHERE fe.file_id IN (%s)`, func(rows *sql.Rows) error {
		var l EntityLink
		err := rows.Scan(&l.FileID, &l.OwnerID, &l.EntityID, &l.Size)
		out = append(out, l)
		return err
	})
	return out, classify("store.LinksOf", err)
}

var orphanEntities = define("OrphanEntities", `SELECT `+entityColumns+` FROM entities
 WHERE reference_count <= 0 AND id > ? ORDER BY id LIMIT ?`)

// OrphanEntities returns up to limit entities that no file links, with ids
// above after, for the recycler.
func (r *runner) OrphanEntities(ctx context.Context, after, limit int) ([]*drive.Entity, error) {
	const op = "store.OrphanEntities"
	rows, err := r.rows(ctx, orphanEntities, after, limit)
	if err != nil {
		return nil, classify(op, err)
	}
	es, err := scanEntities(rows)
	return es, classify(op, err)
}

var deleteEntity = define("DeleteEntity", `DELETE FROM entities WHERE id = ? AND reference_count <= 0
 AND NOT EXISTS (SELECT 1 FROM file_entities WHERE entity_id = ?)`)

// DeleteEntity removes the row of an entity nobody links; a linked or
// missing entity is errs.NotExist, so a blob that gained a link meanwhile
// is never forgotten. The link table is checked too, so that a reference
// count gone wrong can never cost a blob that a file still uses.
func (r *runner) DeleteEntity(ctx context.Context, id int) error {
	const op = "store.DeleteEntity"
	return classify(op, r.update(ctx, deleteEntity, id, id))
}

func scanEntity(s scanner) (*drive.Entity, error) {
	var (
		e         drive.Entity
		typ       int
		createdBy sql.NullInt64
		props     string
	)
	err := s.Scan(&e.ID, &typ, &e.Source, &e.Size, &e.ReferenceCount, &e.PolicyID, &createdBy,
		&e.UploadSessionID, &props, &e.CreatedAt, &e.UpdatedAt)
	if err != nil {
		return nil, err
	}
	if err := decodeDoc(props, &e.Props); err != nil {
		return nil, err
	}
	e.Type, e.CreatedBy = drive.EntityType(typ), int(createdBy.Int64)
	e.CreatedAt, e.UpdatedAt = e.CreatedAt.UTC(), e.UpdatedAt.UTC()
	return &e, nil
}

var reserveStorage = define("ReserveStorage", `UPDATE users SET storage = storage + ?
 WHERE id = ? AND storage + ? <= ?`)

// ReserveStorage adds size bytes to user's usage only if the result stays
// within quota; it reports whether it did. One statement, so concurrent
// reservations can never overshoot the quota together.
func (r *runner) ReserveStorage(ctx context.Context, user int, size, quota int64) (bool, error) {
	const op = "store.ReserveStorage"
	err := r.update(ctx, reserveStorage, size, user, size, quota)
	if err == sql.ErrNoRows {
		return false, nil
	}
	return err == nil, classify(op, err)
}

var calibrateStorage = define("CalibrateStorage", `UPDATE users SET storage = (
 SELECT COALESCE(SUM(e.size), 0) FROM files f
 JOIN file_entities fe ON fe.file_id = f.id JOIN entities e ON e.id = fe.entity_id
 WHERE f.owner_id = ?) WHERE id = ?`)

// CalibrateStorage recomputes user's usage from the blobs its files link,
// in one statement, so it sees one consistent state of the tree.
func (r *runner) CalibrateStorage(ctx context.Context, user int) error {
	const op = "store.CalibrateStorage"
	return classify(op, r.update(ctx, calibrateStorage, user, user))
}

var userIDsAfter = define("UserIDsAfter", `SELECT id FROM users WHERE id > ? AND deleted_at IS NULL ORDER BY id LIMIT ?`)

// UserIDsAfter returns up to limit user ids above after, in order.
func (r *runner) UserIDsAfter(ctx context.Context, after, limit int) ([]int, error) {
	ids, err := column[int](ctx, r, userIDsAfter, after, limit)
	return ids, classify("store.UserIDsAfter", err)
}

func scanEntities(rows *sql.Rows) ([]*drive.Entity, error) {
	defer rows.Close()
	var out []*drive.Entity
	for rows.Next() {
		e, err := scanEntity(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}
