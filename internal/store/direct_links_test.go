package store_test

import (
	"context"
	"testing"

	"github.com/stratus-drive/stratus/internal/drive"
	"github.com/stratus-drive/stratus/internal/errs"
	"github.com/stratus-drive/stratus/internal/store"
	"github.com/stratus-drive/stratus/internal/store/storetest"
)

func TestDirectLinks(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		u := newUser("linker@example.com")
		if err := db.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		f := &drive.File{Type: drive.TypeFile, Name: "a.txt", OwnerID: u.ID}
		if err := db.InsertFile(ctx, f); err != nil {
			t.Fatal(err)
		}
		a := &drive.DirectLink{FileID: f.ID, Name: "a.txt", Speed: 0}
		b := &drive.DirectLink{FileID: f.ID, Name: "a.txt", Speed: 100}
		for _, l := range []*drive.DirectLink{a, b} {
			if err := db.InsertDirectLink(ctx, l); err != nil {
				t.Fatal(err)
			}
		}
		got, err := db.FindDirectLink(ctx, f.ID, "a.txt", 100)
		if err != nil || got.ID != b.ID || got.Speed != 100 {
			t.Fatalf("FindDirectLink = %+v, %v", got, err)
		}
		if _, err := db.FindDirectLink(ctx, f.ID, "A.txt", 0); !errs.Is(errs.NotExist, err) {
			t.Fatalf("names compare exactly: %v", err)
		}
		if ls, err := db.DirectLinksOfFile(ctx, f.ID); err != nil || len(ls) != 2 || ls[0].ID != a.ID {
			t.Fatalf("DirectLinksOfFile = %v, %v", ls, err)
		}
		for range 2 {
			if err := db.CountDirectLinkDownload(ctx, a.ID); err != nil {
				t.Fatal(err)
			}
		}
		if got, _ := db.DirectLinkByID(ctx, a.ID); got.Downloads != 2 || got.Name != "a.txt" {
			t.Fatalf("after downloads: %+v", got)
		}
		if err := db.DeleteDirectLink(ctx, a.ID); err != nil {
			t.Fatal(err)
		}
		if err := db.DeleteDirectLink(ctx, a.ID); !errs.Is(errs.NotExist, err) {
			t.Fatalf("second delete: %v", err)
		}
		// Deleting the file deletes its links.
		if err := db.InTx(ctx, func(tx *store.Tx) error { return tx.DeleteFiles(ctx, []int{f.ID}) }); err != nil {
			t.Fatal(err)
		}
		if _, err := db.DirectLinkByID(ctx, b.ID); !errs.Is(errs.NotExist, err) {
			t.Fatalf("link of a deleted file: %v", err)
		}
	})
}
