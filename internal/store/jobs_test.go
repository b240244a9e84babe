package store_test

import (
	"context"
	"testing"

	"github.com/stratus-drive/stratus/internal/drive"
	"github.com/stratus-drive/stratus/internal/errs"
	"github.com/stratus-drive/stratus/internal/store"
	"github.com/stratus-drive/stratus/internal/store/storetest"
)

// The background jobs' read queries.
func init() {
	readQueries["MetadataByName"] = struct {
		args     []any
		fullScan string
	}{args: []any{drive.MetaExpectedCollectTime, 0, 100}}
	readQueries["SessionUploadIDs"] = struct {
		args     []any
		fullScan string
	}{fullScan: "the storage sweep needs the upload ID of every pending session; they are few"}
	readQueries["PolicyIDs"] = struct {
		args     []any
		fullScan string
	}{fullScan: "storage_policies holds a handful of rows"}
}

func TestRecycleQueries(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		u := mustCreate(t, db, newUser("jobs@example.com"))
		root := &drive.File{Type: drive.TypeFolder, OwnerID: u.ID}
		f := &drive.File{Type: drive.TypeFile, Name: "a", OwnerID: u.ID}
		linked := &drive.Entity{Source: "k1", Size: 3, ReferenceCount: 0, PolicyID: 1}
		orphan := &drive.Entity{Source: "k2", Size: 3, ReferenceCount: 0, PolicyID: 1}
		err := db.InTx(ctx, func(tx *store.Tx) error {
			if err := tx.InsertFile(ctx, root); err != nil {
				return err
			}
			f.ParentID = root.ID
			for _, err := range []error{tx.InsertFile(ctx, f), tx.InsertEntity(ctx, linked), tx.InsertEntity(ctx, orphan)} {
				if err != nil {
					return err
				}
			}
			return tx.LinkEntity(ctx, f.ID, linked.ID)
		})
		if err != nil {
			t.Fatal(err)
		}

		// A wrong reference count never deletes a linked row.
		if err := db.DeleteEntity(ctx, linked.ID); !errs.Is(errs.NotExist, err) {
			t.Errorf("DeleteEntity(linked) = %v, want NotExist", err)
		}
		if err := db.MarkOrphanEntity(ctx, orphan.ID, drive.EntityProps{UnlinkOnly: true}); err != nil {
			t.Fatal(err)
		}
		got, err := db.OrphanEntities(ctx, 0, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 || got[1].ID != orphan.ID || !got[1].Props.UnlinkOnly || got[0].Props.UnlinkOnly {
			t.Errorf("OrphanEntities = %+v %+v", got[0], got[1])
		}
		if err := db.DeleteEntity(ctx, orphan.ID); err != nil {
			t.Errorf("DeleteEntity(orphan) = %v", err)
		}
		if err := db.DeleteEntity(ctx, orphan.ID); !errs.Is(errs.NotExist, err) {
			t.Errorf("second DeleteEntity = %v, want NotExist", err)
		}
		// A linked entity keeps its props whatever its count says.
		if err := db.AddEntityRefs(ctx, linked.ID, 1); err != nil {
			t.Fatal(err)
		}
		if err := db.MarkOrphanEntity(ctx, linked.ID, drive.EntityProps{UnlinkOnly: true}); err != nil {
			t.Fatal(err)
		}
		if e, err := db.EntityByID(ctx, linked.ID); err != nil || e.Props.UnlinkOnly {
			t.Errorf("linked entity = %+v, %v", e, err)
		}

		// Metadata by name, and claiming an entry once.
		for _, m := range []store.Meta{
			{FileID: f.ID, Name: drive.MetaExpectedCollectTime, Value: "100"},
			{FileID: root.ID, Name: drive.MetaExpectedCollectTime, Value: "bad"},
			{FileID: f.ID, Name: drive.MetaRestoreURI, Value: "cloudreve://my/a"},
		} {
			if err := db.SetMetadata(ctx, m); err != nil {
				t.Fatal(err)
			}
		}
		ms, err := db.MetadataByName(ctx, drive.MetaExpectedCollectTime, 0, 10)
		if err != nil || len(ms) != 2 || ms[0].FileID != root.ID || ms[1].Value != "100" {
			t.Fatalf("MetadataByName = %+v, %v", ms, err)
		}
		if ms, _ := db.MetadataByName(ctx, drive.MetaExpectedCollectTime, root.ID, 10); len(ms) != 1 || ms[0].FileID != f.ID {
			t.Errorf("MetadataByName after %d = %+v", root.ID, ms)
		}
		if ok, err := db.ClaimMetadata(ctx, f.ID, drive.MetaExpectedCollectTime, "101"); ok || err != nil {
			t.Errorf("claim with another value = %v, %v", ok, err)
		}
		if ok, err := db.ClaimMetadata(ctx, f.ID, drive.MetaExpectedCollectTime, "100"); !ok || err != nil {
			t.Errorf("claim = %v, %v", ok, err)
		}
		if ok, err := db.ClaimMetadata(ctx, f.ID, drive.MetaExpectedCollectTime, "100"); ok || err != nil {
			t.Errorf("second claim = %v, %v", ok, err)
		}
	})
}
