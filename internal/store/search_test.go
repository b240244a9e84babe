package store_test

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stratus-drive/stratus/internal/drive"
	"github.com/stratus-drive/stratus/internal/store"
	"github.com/stratus-drive/stratus/internal/store/storetest"
)

func TestLikeToGlob(t *testing.T) {
	t.Parallel()
	for like, glob := range map[string]string{
		"%abc%":     "*abc*",
		"%a!%b!_c%": "*a%b_c*",
		"x!!y":      "x!y",
		"%[*?]%":    "*[[][*][?]]*",
		"IMG!_%":    "IMG_*",
	} {
		if got := store.LikeToGlob(like); got != glob {
			t.Errorf("LikeToGlob(%q) = %q, want %q", like, got, glob)
		}
	}
}

// TestSearchChildren checks every search condition in SQL on each database,
// where LIKE and collations differ the most.
func TestSearchChildren(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		u := mustCreate(t, db, newUser("search@example.com"))
		base := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
		var root, sub, link *drive.File
		err := db.InTx(ctx, func(tx *store.Tx) error {
			root = &drive.File{Type: drive.TypeFolder, OwnerID: u.ID}
			if err := tx.InsertFile(ctx, root); err != nil {
				return err
			}
			sub = &drive.File{Type: drive.TypeFolder, Name: "Sub", OwnerID: u.ID, ParentID: root.ID, CreatedAt: base}
			if err := tx.InsertFile(ctx, sub); err != nil {
				return err
			}
			link = &drive.File{Type: drive.TypeFolder, Name: "Shortcut", OwnerID: u.ID, ParentID: root.ID,
				IsSymbolic: true, CreatedAt: base.Add(time.Second)}
			if err := tx.InsertFile(ctx, link); err != nil {
				return err
			}
			for i, name := range []string{"Report.PDF", "report.txt", "50%_off.txt", "IMG_0001.jpg", "a*b?.txt", "Ärger.md"} {
				f := &drive.File{Type: drive.TypeFile, Name: name, OwnerID: u.ID, ParentID: sub.ID, Size: int64(100 * i),
					CreatedAt: base.Add(time.Duration(i+2) * time.Hour), UpdatedAt: base.Add(time.Duration(10-i) * time.Hour)}
				if err := tx.InsertFile(ctx, f); err != nil {
					return err
				}
				if i%2 == 0 {
					if err := tx.SetMetadata(ctx, store.Meta{FileID: f.ID, Name: "tag:Work", Value: "Blue Sky", Public: true}); err != nil {
						return err
					}
				}
				if i == 1 {
					if err := tx.SetMetadata(ctx, store.Meta{FileID: f.ID, Name: "tag:Work", Value: "blue sky", Public: true}); err != nil {
						return err
					}
					if err := tx.SetMetadata(ctx, store.Meta{FileID: f.ID, Name: "customize:x", Value: "1", Public: true}); err != nil {
						return err
					}
				}
				if i == 3 {
					if err := tx.SetMetadata(ctx, store.Meta{FileID: f.ID, Name: "secret:k", Value: "v", Public: false}); err != nil {
						return err
					}
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}

		folders, err := db.ChildFolders(ctx, []int{root.ID})
		if err != nil || len(folders) != 1 || folders[0].ID != sub.ID || folders[0].Name != "Sub" || folders[0].ParentID != root.ID {
			t.Fatalf("ChildFolders = %+v, %v (shortcuts are not entered)", folders, err)
		}

		search := func(query string) []string {
			t.Helper()
			v, err := url.ParseQuery(query)
			if err != nil {
				t.Fatal(err)
			}
			q, err := drive.ParseSearch(v, nil)
			if err != nil {
				t.Fatal(err)
			}
			fs, err := db.SearchChildren(ctx, []int{sub.ID}, &q, false, nil, 100)
			if err != nil {
				t.Fatalf("%s: %v", query, err)
			}
			var out []string
			for _, f := range fs {
				out = append(out, f.Name)
			}
			return out
		}
		for _, c := range []struct{ query, want string }{
			{"name=report", "report.txt"},
			{"name=report&case_folding", "Report.PDF,report.txt"},
			{"name=REPORT&case_folding", "Report.PDF,report.txt"},
			{`name="Report"&case_folding`, "Report.PDF"},
			{"name=*.txt", "report.txt,50%_off.txt,a*b?.txt"},
			{"name=*.TXT&case_folding", "report.txt,50%_off.txt,a*b?.txt"},
			{"name=IMG_*", "IMG_0001.jpg"},
			{"name=img_*", ""},
			{"name=%25_", "50%_off.txt"},
			{"name=_", "50%_off.txt,IMG_0001.jpg"},
			{`name="*b?"`, "a*b?.txt"},
			{"name=r*t", "Report.PDF,report.txt"},
			{"name=Ärger", "Ärger.md"},
			{"name=ärger&case_folding", "Ärger.md"},
			{"name=report&name=txt", "report.txt"},
			{"name=report&name=jpg&use_or", "report.txt,IMG_0001.jpg"},
			{"name=Report&name=jpg&name_op_or", "Report.PDF,IMG_0001.jpg"},
			{"type=folder", ""},
			{"type=file&size_gte=200&size_lte=400", "50%_off.txt,IMG_0001.jpg,a*b?.txt"},
			{"size_gte=300", "IMG_0001.jpg,a*b?.txt,Ärger.md"},
			{"size_lte=100&size_gte=0", "Report.PDF,report.txt"},
			{fmt.Sprintf("created_gte=%d&created_lte=%d", base.Add(3*time.Hour).Unix(), base.Add(4*time.Hour).Unix()), "report.txt,50%_off.txt"},
			{fmt.Sprintf("updated_lte=%d", base.Add(6*time.Hour).Unix()), "a*b?.txt,Ärger.md"},
			{fmt.Sprintf("updated_gte=%d", base.Add(9*time.Hour).Unix()), "Report.PDF,report.txt"},
			{"meta_tag:Work=", "Report.PDF,report.txt,50%_off.txt,a*b?.txt"},
			{"meta_tag:Work=SKY", "Report.PDF,report.txt,50%_off.txt,a*b?.txt"},
			{"exact_meta_tag:Work=blue sky", "report.txt"},
			{"exact_meta_tag:Work=Blue Sky", "Report.PDF,50%_off.txt,a*b?.txt"},
			{"exact_meta_tag:Work=Blue", ""},
			{"meta_tag:Work=sky&meta_customize:x=", "report.txt"},
			{"meta_secret:k=", ""},
			{"meta_tag:work=", ""},
		} {
			if got := strings.Join(search(c.query), ","); got != c.want {
				t.Errorf("%s: got %q, want %q", c.query, got, c.want)
			}
		}

		// Keyset pages in both directions, over two parents.
		q := drive.Search{}
		all, err := db.SearchChildren(ctx, []int{root.ID, sub.ID}, &q, false, nil, 100)
		if err != nil || len(all) != 8 {
			t.Fatalf("all = %d, %v", len(all), err)
		}
		for _, desc := range []bool{false, true} {
			var got []int
			var after *store.Cursor
			for {
				page, err := db.SearchChildren(ctx, []int{root.ID, sub.ID}, &q, desc, after, 3)
				if err != nil {
					t.Fatal(err)
				}
				for _, f := range page {
					got = append(got, f.ID)
				}
				if len(page) < 3 {
					break
				}
				last := page[len(page)-1]
				after = &store.Cursor{ID: last.ID, Time: last.CreatedAt}
			}
			want := make([]int, len(all))
			for i, f := range all {
				want[i] = f.ID
			}
			if desc {
				slices.Reverse(want)
			}
			if !slices.Equal(got, want) {
				t.Errorf("desc=%v pages = %v, want %v", desc, got, want)
			}
		}
	})
}

// TestSearchQueriesUseIndexes EXPLAINs the dynamic search statements, which
// TestQueriesUseIndexes cannot list, with every condition switched on.
func TestSearchQueriesUseIndexes(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		err := db.InTx(ctx, func(tx *store.Tx) error {
			for i := range 30 {
				u := newUser(fmt.Sprintf("user%d@example.com", i))
				if err := tx.CreateUser(ctx, u); err != nil {
					return err
				}
				if err := seedTree(ctx, tx, u.ID); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		switch db.Dialect() {
		case "mysql":
			err = store.Exec(ctx, db, `ANALYZE TABLE files, metadata`)
		case "postgres":
			err = store.Exec(ctx, db, `ANALYZE files, metadata`)
		}
		if err != nil {
			t.Fatal(err)
		}
		v, _ := url.ParseQuery(`name=a*b&name="Q"&case_folding&use_or&type=file&size_gte=1&size_lte=9&created_gte=1&created_lte=2000000000&updated_gte=1&updated_lte=2000000000&meta_tag:x=v&exact_meta_tag:y=w&meta_tag:z=`)
		q, err := drive.ParseSearch(v, nil)
		if err != nil {
			t.Fatal(err)
		}
		after := &store.Cursor{ID: 3, Time: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}
		for name, c := range map[string]struct {
			text string
			args []any
		}{
			"ChildFolders": {store.ChildFoldersQuery(db, 3), []any{1, 2, 3}},
		} {
			check(t, ctx, db, name, c.text, c.args)
		}
		for _, desc := range []bool{false, true} {
			for _, cur := range []*store.Cursor{nil, after} {
				text, args := store.SearchQuery(db, []int{1, 2, 3}, &q, desc, cur, 51)
				check(t, ctx, db, fmt.Sprintf("SearchChildren/desc=%v/after=%v", desc, cur != nil), text, args)
				empty := drive.Search{}
				text, args = store.SearchQuery(db, []int{1}, &empty, desc, cur, 51)
				check(t, ctx, db, fmt.Sprintf("SearchChildren/plain/desc=%v/after=%v", desc, cur != nil), text, args)
			}
		}
	})
}

func check(t *testing.T, ctx context.Context, db *store.DB, name, text string, args []any) {
	t.Helper()
	plan, scans, err := fullScans(ctx, db, text, args)
	if err != nil {
		t.Errorf("EXPLAIN %s: %v\n%s", name, err, text)
		return
	}
	t.Logf("%s: %s", name, strings.Join(plan, " | "))
	if len(scans) > 0 {
		t.Errorf("%s reads whole tables %v:\n%s\nplan: %s", name, scans, text, strings.Join(plan, " | "))
	}
}
