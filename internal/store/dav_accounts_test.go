package store_test

import (
	"bytes"
	"context"
	"fmt"
	"testing"

	"github.com/stratus-drive/stratus/internal/drive"
	"github.com/stratus-drive/stratus/internal/errs"
	"github.com/stratus-drive/stratus/internal/store"
	"github.com/stratus-drive/stratus/internal/store/storetest"
)

func TestDavAccounts(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		u := mustCreate(t, db, newUser("dav@example.com"))
		var ids []int
		for i := range 5 {
			a := &drive.DavAccount{Name: fmt.Sprintf("acc%d", i), URI: "cloudreve://my", OwnerID: u.ID,
				Password: fmt.Sprintf("%032d", i), Options: drive.BoolsetOf(int(drive.DavReadOnly))}
			if err := db.InsertDavAccount(ctx, a); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, a.ID)
		}
		dup := &drive.DavAccount{Name: "dup", URI: "cloudreve://my", OwnerID: u.ID, Password: fmt.Sprintf("%032d", 0)}
		if err := db.InsertDavAccount(ctx, dup); !errs.Is(errs.Exist, err) {
			t.Fatalf("a repeated password: %v, want Exist", err)
		}
		got, err := db.DavAccountByID(ctx, ids[0])
		if err != nil || got.Name != "acc0" || !got.Has(drive.DavReadOnly) || got.Has(drive.DavProxy) ||
			got.Password != fmt.Sprintf("%032d", 0) || got.OwnerID != u.ID {
			t.Fatalf("DavAccountByID = %+v, %v", got, err)
		}
		got.Name, got.URI, got.Options = "renamed", "cloudreve://my/sub", nil
		if err := db.UpdateDavAccount(ctx, got); err != nil {
			t.Fatal(err)
		}
		got, _ = db.DavAccountByID(ctx, ids[0])
		if got.Name != "renamed" || got.URI != "cloudreve://my/sub" || !bytes.Equal(got.Options, []byte{}) {
			t.Fatalf("after update: %+v", got)
		}
		// Newest first, in pages of two.
		var seen []int
		after := 0
		for {
			page, err := db.ListDavAccounts(ctx, u.ID, after, 2)
			if err != nil {
				t.Fatal(err)
			}
			for _, a := range page {
				seen = append(seen, a.ID)
			}
			if len(page) < 2 {
				break
			}
			after = page[len(page)-1].ID
		}
		if fmt.Sprint(seen) != fmt.Sprint([]int{ids[4], ids[3], ids[2], ids[1], ids[0]}) {
			t.Fatalf("pages = %v, ids %v", seen, ids)
		}
		if err := db.DeleteDavAccount(ctx, ids[0]); err != nil {
			t.Fatal(err)
		}
		if err := db.DeleteDavAccount(ctx, ids[0]); !errs.Is(errs.NotExist, err) {
			t.Fatalf("second delete: %v", err)
		}
		if _, err := db.DavAccountByID(ctx, ids[0]); !errs.Is(errs.NotExist, err) {
			t.Fatalf("deleted account: %v", err)
		}
	})
}
