package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stratus-drive/stratus/internal/drive"
	"github.com/stratus-drive/stratus/internal/errs"
	"github.com/stratus-drive/stratus/internal/store"
	"github.com/stratus-drive/stratus/internal/store/storetest"
)

// The share queries, added to readQueries: every order and direction, first
// page and keyset continuation.
func init() {
	for _, o := range []string{"id", "views", "downloads", "remain_downloads"} {
		for _, dir := range []string{"ASC", "DESC"} {
			name := fmt.Sprintf("ListShares/%s/%s", o, dir)
			readQueries[name] = struct {
				args     []any
				fullScan string
			}{args: []any{1, 100}}
			after := []any{1, 7, 100}
			if o != "id" {
				after = []any{1, 3, 3, 7, 100}
			}
			readQueries[name+"/after"] = struct {
				args     []any
				fullScan string
			}{args: after}
		}
	}
	readQueries["ShareByID"] = struct {
		args     []any
		fullScan string
	}{args: []any{1}}
}

func TestShares(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		u := newUser("sharer@example.com")
		if err := db.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		f := &drive.File{Type: drive.TypeFolder, OwnerID: u.ID}
		if err := db.InsertFile(ctx, f); err != nil {
			t.Fatal(err)
		}
		exp := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
		var ids []int
		for i := range 5 {
			sh := &drive.Share{Password: "pw", RemainDownloads: drive.UnlimitedDownloads, FileID: f.ID,
				OwnerID: u.ID, Props: drive.ShareProps{ShareView: true}}
			if i == 0 {
				sh.RemainDownloads, sh.Expires = 2, exp
			}
			if err := db.InsertShare(ctx, sh); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, sh.ID)
		}
		got, err := db.ShareByID(ctx, ids[0])
		if err != nil {
			t.Fatal(err)
		}
		if got.Password != "pw" || got.RemainDownloads != 2 || !got.Expires.Equal(exp) || !got.Props.ShareView {
			t.Fatalf("ShareByID = %+v", got)
		}
		// The budget runs out after two downloads, and stays out.
		for i := range 3 {
			err := db.SpendShareDownload(ctx, ids[0])
			if (i < 2) != (err == nil) {
				t.Fatalf("spend %d: %v", i, err)
			}
		}
		if err := db.CountShareView(ctx, ids[1]); err != nil {
			t.Fatal(err)
		}
		got, _ = db.ShareByID(ctx, ids[0])
		if got.Downloads != 2 || got.RemainDownloads != 0 {
			t.Fatalf("after spending: %+v", got)
		}
		// Pages of two by views, descending, meet every share once.
		var seen []int
		var after *store.ShareCursor
		for {
			page, err := db.ListShares(ctx, u.ID, store.ShareOrderViews, true, after, 2)
			if err != nil {
				t.Fatal(err)
			}
			for _, sh := range page {
				seen = append(seen, sh.ID)
			}
			if len(page) < 2 {
				break
			}
			after = store.ShareCursorOf(page[len(page)-1], store.ShareOrderViews)
		}
		if len(seen) != 5 || seen[0] != ids[1] {
			t.Fatalf("pages = %v, ids %v", seen, ids)
		}
		got.RemainDownloads, got.Expires, got.Props = drive.UnlimitedDownloads, time.Time{}, drive.ShareProps{}
		if err := db.UpdateShare(ctx, got); err != nil {
			t.Fatal(err)
		}
		got, _ = db.ShareByID(ctx, ids[0])
		if got.RemainDownloads != drive.UnlimitedDownloads || !got.Expires.IsZero() || got.Props.ShareView {
			t.Fatalf("after update: %+v", got)
		}
		if err := db.DeleteShare(ctx, ids[0]); err != nil {
			t.Fatal(err)
		}
		if _, err := db.ShareByID(ctx, ids[0]); !errs.Is(errs.NotExist, err) {
			t.Fatalf("deleted share: %v", err)
		}
		// Deleting the target deletes its links.
		if err := store.Exec(ctx, db, `DELETE FROM files WHERE id = ?`, f.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := db.ShareByID(ctx, ids[1]); !errs.Is(errs.NotExist, err) {
			t.Fatalf("share of a deleted file: %v", err)
		}
	})
}
