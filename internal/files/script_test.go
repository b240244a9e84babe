package files

import (
	"errors"
	"slices"
	"testing"

	"github.com/stratus-drive/stratus/internal/drive"
	"github.com/stratus-drive/stratus/internal/hashid"
)

// TestCopyVersionsMetadataSearch is a script: a copy shares blobs and is
// charged, versions are switched and deleted, metadata is patched, and
// search finds items by name and metadata.
func TestCopyVersionsMetadataSearch(t *testing.T) {
	h := newHarness(t)
	alice := h.user("alice@example.com")
	must := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	must("settings", h.s.updateSettings(h.ctx, alice, func(st *drive.UserSettings) error {
		st.VersionRetention, st.VersionRetentionMax = true, 5
		return nil
	}))
	must("upload", h.upload(alice, "cloudreve://my/docs/report.txt", []byte("v1")))
	must("upload v2", h.upload(alice, "cloudreve://my/docs/report.txt", []byte("v2-longer")))
	must("folder", errOf(h.s.Create(h.ctx, alice, "cloudreve://my/backup", drive.TypeFolder, nil, true)))
	before := h.used(alice)
	must("copy", h.s.Move(h.ctx, alice, []string{"cloudreve://my/docs"}, "cloudreve://my/backup", true))
	if got := h.names(alice, "cloudreve://my/backup/docs"); !slices.Equal(got, []string{"report.txt"}) {
		t.Fatalf("copy holds %v", got)
	}
	if used := h.used(alice); used != before+int64(len("v1")+len("v2-longer")) {
		t.Errorf("a copy charged %d, want its versions' %d", h.used(alice)-before, len("v1")+len("v2-longer"))
	}

	// Versions: back to v1, then v2 deleted; the copy keeps its own.
	d, err := h.s.Details(h.ctx, alice, InfoRequest{URI: "cloudreve://my/docs/report.txt", Extended: true})
	must("details", err)
	if len(d.Extended.Entities) != 2 {
		t.Fatalf("%d versions", len(d.Extended.Entities))
	}
	ids := hashid.New("test")
	v2, v1 := d.Extended.Entities[0].Entity, d.Extended.Entities[1].Entity
	must("set v1 current", h.s.SetCurrentVersion(h.ctx, alice, "cloudreve://my/docs/report.txt", ids.Encode(v1.ID, hashid.Entity)))
	if n, _ := h.s.Info(h.ctx, alice, "cloudreve://my/docs/report.txt"); n.File.Size != 2 {
		t.Errorf("size after switching to v1: %d", n.File.Size)
	}
	if err := h.s.DeleteVersion(h.ctx, alice, "cloudreve://my/docs/report.txt", ids.Encode(v1.ID, hashid.Entity)); err == nil {
		t.Error("deleted the current version")
	}
	must("delete v2", h.s.DeleteVersion(h.ctx, alice, "cloudreve://my/docs/report.txt", ids.Encode(v2.ID, hashid.Entity)))
	if n, _ := h.s.Info(h.ctx, alice, "cloudreve://my/backup/docs/report.txt"); n.File.Size != int64(len("v2-longer")) {
		t.Errorf("the copy changed with the original: size %d", n.File.Size)
	}

	// Metadata: set, refuse private and sys:, remove.
	must("tag", h.s.PatchMetadata(h.ctx, alice, []string{"cloudreve://my/docs/report.txt"},
		[]MetadataPatch{{Key: "tag:color", Value: "#0000ff"}}))
	for _, bad := range []MetadataPatch{{Key: "tag:x", Value: "y", Private: true}, {Key: "sys:restore_uri", Value: "x"}} {
		if err := h.s.PatchMetadata(h.ctx, alice, []string{"cloudreve://my/docs/report.txt"},
			[]MetadataPatch{bad}); err == nil {
			t.Errorf("patch %+v accepted", bad)
		}
	}

	// Search by name (case folded) and by metadata.
	for query, want := range map[string][]string{
		"name=REPORT&case_folding":    {"report.txt", "report.txt"},
		"name=report&meta_tag:color=": {"report.txt"},
		"name=nothing":                nil,
		"type=folder":                 {"backup", "docs", "docs"},
	} {
		l, err := h.s.List(h.ctx, alice, "cloudreve://my?"+query, ListOptions{PageSize: 100})
		must("search "+query, err)
		var got []string
		for _, n := range l.Files {
			got = append(got, n.Name)
		}
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("search %s = %v, want %v", query, got, want)
		}
	}

	// A pin (in the settings document) and a view (on the folder) stay
	// beside the retention settings written earlier.
	must("pin", h.s.Pin(h.ctx, alice, "cloudreve://my/docs", "Docs"))
	must("view", h.s.SetView(h.ctx, alice, "cloudreve://my", &drive.ExplorerView{PageSize: 100, View: "list", GalleryWidth: 200,
		OrderDirection: "asc"}))
	u, err := h.db.UserByID(h.ctx, alice.User.ID)
	must("user", err)
	if len(u.Settings.Pined) != 1 || !u.Settings.VersionRetention {
		t.Errorf("settings after pin and view: %+v", u.Settings)
	}
	must("unpin", h.s.Unpin(h.ctx, alice, "cloudreve://my/docs"))
	if l, err := h.s.List(h.ctx, alice, "cloudreve://my", ListOptions{}); err != nil || l.View == nil || l.View.View != "list" {
		t.Errorf("the stored view does not come back: %+v, %v", l, err)
	}
	if !errors.Is(h.s.Unpin(h.ctx, drive.Actor{}, "cloudreve://my/docs"), ErrLoginRequired) {
		t.Error("anonymous unpin")
	}
}

func errOf[T any](_ T, err error) error { return err }
