package files

import (
	"context"
	"log/slog"
	"net/url"
	"testing"
	"time"

	"github.com/stratus-drive/stratus/internal/drive"
	"github.com/stratus-drive/stratus/internal/hashid"
	"github.com/stratus-drive/stratus/internal/kv/memory"
	"github.com/stratus-drive/stratus/internal/setting"
	"github.com/stratus-drive/stratus/internal/storage"
	"github.com/stratus-drive/stratus/internal/store/storetest"
	"github.com/stratus-drive/stratus/internal/throttle"
)

// TestFolderSummaryWalkLimit checks that a summary stops, incomplete, at the
// group's max_walked_files, which the HTTP tests cannot change.
func TestFolderSummaryWalkLimit(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t, "sqlite")
	log := slog.New(slog.DiscardHandler)
	store := memory.New()
	settings, err := setting.New(ctx, db, store, nil, log)
	if err != nil {
		t.Fatal(err)
	}
	s := New(db, settings, hashid.New("test"), storage.NewRegistry(), storage.Env{}, log, throttle.New(store, log))
	u := &drive.User{Email: "a@example.com", Nick: "a", Status: drive.StatusActive, GroupID: drive.UserGroupID}
	if err := db.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	u.Group = &drive.Group{ID: drive.UserGroupID, MaxStorage: 1 << 30}
	actor := drive.Actor{User: u}
	for _, p := range []string{"d/a.txt", "d/b.txt", "d/sub/c.txt"} {
		if _, err := s.Create(ctx, actor, "cloudreve://my/"+p, drive.TypeFile, nil, false); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []struct {
		limit          int
		complete       bool
		files, folders int
	}{{0, true, 3, 1}, {4, true, 3, 1}, {3, false, -1, -1}, {1, false, -1, -1}} {
		u.Group.Settings.MaxWalkedFiles = c.limit
		d, err := s.Details(ctx, actor, InfoRequest{URI: "cloudreve://my/d", FolderSummary: true})
		if err != nil {
			t.Fatal(err)
		}
		sum := d.Summary
		if sum.Completed != c.complete || c.complete && (sum.Files != c.files || sum.Folders != c.folders) ||
			!c.complete && sum.Files+sum.Folders != c.limit {
			t.Errorf("limit %d: summary %+v", c.limit, sum)
		}
	}
}

func TestMatchSearch(t *testing.T) {
	t0 := time.Unix(1_700_000_000, 0).UTC()
	n := &Node{Name: "Report.txt", File: &drive.File{Type: drive.TypeFile, Size: 10, CreatedAt: t0, UpdatedAt: t0,
		Metadata: map[string]string{"tag:a": "Blue Sky"}}}
	for query, want := range map[string]bool{
		"name=Report": true, "name=report": false, "name=report&case_folding": true, "name=*.txt": true,
		"name=q&name=txt&use_or": true, "name=q&name=txt": false, "type=folder": false, "type=file": true,
		"size_gte=10&size_lte=10": true, "size_gte=11": false,
		"created_gte=1700000000": true, "created_gte=1700000001": false, "updated_lte=1699999999": false,
		"meta_tag:a=": true, "meta_tag:a=SKY": true, "exact_meta_tag:a=blue sky": false,
		"exact_meta_tag:a=Blue Sky": true, "meta_tag:b=": false,
	} {
		v, _ := url.ParseQuery(query)
		q, err := drive.ParseSearch(v, nil)
		if err != nil {
			t.Fatal(err)
		}
		if got := matchSearch(n, &q); got != want {
			t.Errorf("%s: %v, want %v", query, got, want)
		}
	}
}

func TestValidateView(t *testing.T) {
	good := func() *drive.ExplorerView {
		return &drive.ExplorerView{PageSize: 50, OrderDirection: "asc", View: "grid", GalleryWidth: 50,
			Columns: []map[string]any{{"type": 1.0, "width": 100.0, "props": map[string]any{"metadata_key": "tag:x"}}}}
	}
	if err := validateView(good()); err != nil {
		t.Errorf("good view: %v", err)
	}
	for name, spoil := range map[string]func(v *drive.ExplorerView){
		"page size":       func(v *drive.ExplorerView) { v.PageSize = 49 },
		"direction":       func(v *drive.ExplorerView) { v.OrderDirection = "" },
		"view":            func(v *drive.ExplorerView) { v.View = "table" },
		"gallery width":   func(v *drive.ExplorerView) { v.GalleryWidth = 501 },
		"column type":     func(v *drive.ExplorerView) { v.Columns[0]["type"] = 1.5 },
		"no column type":  func(v *drive.ExplorerView) { delete(v.Columns[0], "type") },
		"column width":    func(v *drive.ExplorerView) { v.Columns[0]["width"] = "wide" },
		"column props":    func(v *drive.ExplorerView) { v.Columns[0]["props"] = "x" },
		"metadata key":    func(v *drive.ExplorerView) { v.Columns[0]["props"] = map[string]any{"metadata_key": 3.0} },
		"too many column": func(v *drive.ExplorerView) { v.Columns = make([]map[string]any, 1001) },
	} {
		v := good()
		spoil(v)
		if validateView(v) == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}
