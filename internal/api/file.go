package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/stratus-drive/stratus/internal/api/wire"
	"github.com/stratus-drive/stratus/internal/drive"
	"github.com/stratus-drive/stratus/internal/errs"
	"github.com/stratus-drive/stratus/internal/files"
	"github.com/stratus-drive/stratus/internal/hashid"
)

// fileJSON is the FileResponse object (30-files §1.1).
type fileJSON struct {
	Type          drive.FileType    `json:"type"`
	ID            string            `json:"id"`
	Name          string            `json:"name"`
	CreatedAt     time.Time         `json:"created_at"`
	UpdatedAt     time.Time         `json:"updated_at"`
	Size          int64             `json:"size"`
	Metadata      map[string]string `json:"metadata"`
	Path          string            `json:"path,omitempty"`
	Shared        bool              `json:"shared,omitempty"`
	Capability    string            `json:"capability,omitempty"`
	Owned         bool              `json:"owned,omitempty"`
	PrimaryEntity string            `json:"primary_entity,omitempty"`
}

func (h *handler) file(n *files.Node) *fileJSON {
	f := n.File
	out := &fileJSON{
		Type:       f.Type,
		Name:       n.Name,
		CreatedAt:  localTime(f.CreatedAt),
		UpdatedAt:  localTime(f.UpdatedAt),
		Size:       f.Size,
		Metadata:   f.Metadata,
		Path:       n.URI.String(),
		Capability: wire.Boolset(n.Capability),
		Owned:      n.Owned,
		Shared:     n.Shared,
	}
	if f.ID != 0 {
		out.ID = h.IDs.Encode(f.ID, hashid.File)
	}
	if f.PrimaryEntity != 0 {
		out.PrimaryEntity = h.IDs.Encode(f.PrimaryEntity, hashid.Entity)
	}
	return out
}

type listPropsJSON struct {
	Capability            string   `json:"capability"`
	MaxPageSize           int64    `json:"max_page_size"`
	OrderByOptions        []string `json:"order_by_options"`
	OrderDirectionOptions []string `json:"order_direction_options"`
}

type listJSON struct {
	Files                 []*fileJSON         `json:"files"`
	Parent                *fileJSON           `json:"parent"`
	Pagination            files.Pagination    `json:"pagination"`
	Props                 listPropsJSON       `json:"props"`
	ContextHint           string              `json:"context_hint"`
	RecursionLimitReached bool                `json:"recursion_limit_reached,omitempty"`
	MixedType             bool                `json:"mixed_type"`
	SingleFileView        bool                `json:"single_file_view,omitempty"`
	StoragePolicy         *policyJSON         `json:"storage_policy,omitempty"`
	View                  *drive.ExplorerView `json:"view,omitempty"`
}

func (h *handler) listFiles(w http.ResponseWriter, r *http.Request) (any, error) {
	q := r.URL.Query()
	uri := q.Get("uri")
	var c wire.Check
	if err := c.Required("Path", uri).Err(); err != nil {
		return nil, err
	}
	page, _ := strconv.Atoi(q.Get("page"))
	size, _ := strconv.Atoi(q.Get("page_size"))
	actor := wire.Actor(r)
	l, err := h.Files.List(r.Context(), actor, uri, files.ListOptions{
		Page: page, PageSize: size, OrderBy: q.Get("order_by"), OrderDirection: q.Get("order_direction"),
		NextPageToken: q.Get("next_page_token"),
	})
	if err != nil {
		return nil, err
	}
	out := listJSON{
		Files:       make([]*fileJSON, 0, len(l.Files)),
		Parent:      h.file(l.Parent),
		Pagination:  l.Pagination,
		ContextHint: l.ContextHint,
		MixedType:   l.MixedType,

		SingleFileView: l.SingleFileView,
		View:           l.View,

		RecursionLimitReached: l.RecursionLimitReached,
		Props: listPropsJSON{
			Capability:            wire.Boolset(l.Parent.Capability),
			MaxPageSize:           h.Settings.Int("max_page_size"),
			OrderByOptions:        files.OrderByOptions,
			OrderDirectionOptions: []string{"asc", "desc"},
		},
	}
	if l.Searching {
		searchProps(l, &out.Props)
	}
	for _, n := range l.Files {
		out.Files = append(out.Files, h.file(n))
	}
	if l.Parent.FS == drive.FSMy && l.Parent.Owned {
		if ps, err := h.Accounts.Policies(r.Context(), actor); err == nil && len(ps) > 0 {
			p := h.policy(ps[0])
			out.StoragePolicy = &p
		}
	}
	return out, nil
}

type createFileRequest struct {
	URI           string            `json:"uri"`
	Type          string            `json:"type"`
	Metadata      map[string]string `json:"metadata"`
	ErrOnConflict bool              `json:"err_on_conflict"`
}

func (h *handler) createFile(w http.ResponseWriter, r *http.Request) (any, error) {
	var req createFileRequest
	if err := wire.Decode(r, &req); err != nil {
		return nil, err
	}
	var c wire.Check
	if err := c.Required("Path", req.URI).Required("type", req.Type).Err(); err != nil {
		return nil, err
	}
	typ := drive.TypeFile
	switch req.Type {
	case "file":
	case "folder":
		typ = drive.TypeFolder
	default:
		return nil, errs.E("api.createFile", errs.Invalid, "type must be file or folder")
	}
	n, err := h.Files.Create(r.Context(), wire.Actor(r), req.URI, typ, req.Metadata, req.ErrOnConflict)
	if err != nil {
		return nil, err
	}
	return h.file(n), nil
}

func (h *handler) renameFile(w http.ResponseWriter, r *http.Request) (any, error) {
	var req struct {
		URI     string `json:"uri"`
		NewName string `json:"new_name"`
	}
	if err := wire.Decode(r, &req); err != nil {
		return nil, err
	}
	var c wire.Check
	if err := c.Required("Path", req.URI).Required("new_name", req.NewName).Len("new_name", req.NewName, 1, 255).Err(); err != nil {
		return nil, err
	}
	n, err := h.Files.Rename(r.Context(), wire.Actor(r), req.URI, req.NewName)
	if err != nil {
		return nil, err
	}
	return h.file(n), nil
}

func (h *handler) moveFiles(w http.ResponseWriter, r *http.Request) (any, error) {
	var req struct {
		URIs []string `json:"uris"`
		Dst  string   `json:"dst"`
		Copy bool     `json:"copy"`
	}
	if err := wire.Decode(r, &req); err != nil {
		return nil, err
	}
	var c wire.Check
	if err := c.Required("Destination", req.Dst).Err(); err != nil {
		return nil, err
	}
	return nil, h.Files.Move(r.Context(), wire.Actor(r), req.URIs, req.Dst, req.Copy)
}

func (h *handler) deleteFiles(w http.ResponseWriter, r *http.Request) (any, error) {
	var req struct {
		URIs           []string `json:"uris"`
		SkipSoftDelete bool     `json:"skip_soft_delete"`
		Unlink         bool     `json:"unlink"`
	}
	if err := wire.Decode(r, &req); err != nil {
		return nil, err
	}
	return nil, h.Files.Delete(r.Context(), wire.Actor(r), req.URIs,
		files.DeleteOptions{SkipSoftDelete: req.SkipSoftDelete, Unlink: req.Unlink})
}

func (h *handler) restoreFiles(w http.ResponseWriter, r *http.Request) (any, error) {
	var req struct {
		URIs []string `json:"uris"`
	}
	if err := wire.Decode(r, &req); err != nil {
		return nil, err
	}
	return nil, h.Files.Restore(r.Context(), wire.Actor(r), req.URIs)
}

func (h *handler) emptyTrash(w http.ResponseWriter, r *http.Request) (any, error) {
	return nil, h.Files.EmptyTrash(r.Context(), wire.Actor(r))
}
