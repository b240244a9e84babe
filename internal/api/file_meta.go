package api

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/stratus-drive/stratus/internal/api/wire"
	"github.com/stratus-drive/stratus/internal/drive"
	"github.com/stratus-drive/stratus/internal/errs"
	"github.com/stratus-drive/stratus/internal/files"
	"github.com/stratus-drive/stratus/internal/hashid"
)

// searchProps sets the sort options a search offers (files 30 §4.1): none
// in tree filesystems, creation time in the flat ones.
func searchProps(l *files.Listing, p *listPropsJSON) {
	p.OrderByOptions, p.OrderDirectionOptions = nil, nil
	if l.Parent.FS == drive.FSTrash || l.Parent.FS == drive.FSSharedWithMe {
		p.OrderByOptions, p.OrderDirectionOptions = files.SearchOrderByOptions, []string{"asc", "desc"}
	}
}

// fileInfoJSON is a FileResponse with the optional parts of /file/info.
type fileInfoJSON struct {
	*fileJSON
	FolderSummary *folderSummaryJSON `json:"folder_summary,omitempty"`
	ExtendedInfo  *extendedInfoJSON  `json:"extended_info,omitempty"`
}

type folderSummaryJSON struct {
	Size         int64     `json:"size"`
	Files        int       `json:"files"`
	Folders      int       `json:"folders"`
	Completed    bool      `json:"completed"`
	CalculatedAt time.Time `json:"calculated_at"`
}

type extendedInfoJSON struct {
	StoragePolicy *policyJSON          `json:"storage_policy,omitempty"`
	StorageUsed   int64                `json:"storage_used"`
	Entities      []entityJSON         `json:"entities,omitempty"`
	View          *drive.ExplorerView  `json:"view,omitempty"`
	DirectLinks   []directLinkInfoJSON `json:"direct_links,omitempty"`
	Shares        []*shareJSON         `json:"shares,omitempty"`
}

// directLinkInfoJSON is a DirectLink of extended_info (newer-versions §11).
type directLinkInfoJSON struct {
	ID         string    `json:"id"`
	URL        string    `json:"url"`
	Downloaded int       `json:"downloaded"`
	CreatedAt  time.Time `json:"created_at"`
}

// entityJSON is an Entity (files 30 §1.4).
type entityJSON struct {
	ID            string           `json:"id"`
	Size          int64            `json:"size"`
	Type          drive.EntityType `json:"type"`
	CreatedAt     time.Time        `json:"created_at"`
	StoragePolicy *policyJSON      `json:"storage_policy,omitempty"`
	CreatedBy     *userJSON        `json:"created_by,omitempty"`
}

func (h *handler) fileInfo(w http.ResponseWriter, r *http.Request) (any, error) {
	q := r.URL.Query()
	d, err := h.Files.Details(r.Context(), wire.Actor(r), files.InfoRequest{
		URI: q.Get("uri"), ID: q.Get("id"),
		Extended: wire.QueryBool(r, "extended"), FolderSummary: wire.QueryBool(r, "folder_summary"),
	})
	if err != nil {
		return nil, err
	}
	out := fileInfoJSON{fileJSON: h.file(d.Node)}
	if s := d.Summary; s != nil {
		out.FolderSummary = &folderSummaryJSON{Size: s.Size, Files: s.Files, Folders: s.Folders,
			Completed: s.Completed, CalculatedAt: localTime(s.CalculatedAt)}
	}
	if x := d.Extended; x != nil {
		ext := &extendedInfoJSON{StorageUsed: x.StorageUsed, View: x.View}
		if x.Policy != nil {
			p := h.policy(x.Policy)
			ext.StoragePolicy = &p
		}
		for _, e := range x.Entities {
			ej := entityJSON{ID: h.IDs.Encode(e.ID, hashid.Entity), Size: e.Size, Type: e.Type,
				CreatedAt: localTime(e.CreatedAt)}
			if e.Policy != nil {
				p := h.policy(e.Policy)
				ej.StoragePolicy = &p
			}
			if e.Creator != nil {
				ej.CreatedBy = h.redactedUser(e.Creator, false)
			}
			ext.Entities = append(ext.Entities, ej)
		}
		for _, l := range x.DirectLinks {
			ext.DirectLinks = append(ext.DirectLinks, directLinkInfoJSON{ID: h.IDs.Encode(l.ID, hashid.SourceLink),
				URL: h.siteBase(r, false) + h.DirectLinks.Path(l), Downloaded: l.Downloads,
				CreatedAt: localTime(l.CreatedAt)})
		}
		links, err := h.Shares.FileLinks(r.Context(), wire.Actor(r), d.File)
		if err != nil {
			return nil, err
		}
		for _, l := range links {
			ext.Shares = append(ext.Shares, h.shareView(r, l))
		}
		out.ExtendedInfo = ext
	}
	return out, nil
}

func (h *handler) patchMetadata(w http.ResponseWriter, r *http.Request) (any, error) {
	var req struct {
		URIs    []string `json:"uris"`
		Patches []struct {
			Key     string `json:"key"`
			Value   string `json:"value"`
			Remove  bool   `json:"remove"`
			Private bool   `json:"private"`
		} `json:"patches"`
	}
	if err := wire.Decode(r, &req); err != nil {
		return nil, err
	}
	patches := make([]files.MetadataPatch, len(req.Patches))
	for i, p := range req.Patches {
		var c wire.Check
		if err := c.Required("key", p.Key).Err(); err != nil {
			return nil, err
		}
		patches[i] = files.MetadataPatch{Key: p.Key, Value: p.Value, Remove: p.Remove, Private: p.Private}
	}
	return nil, h.Files.PatchMetadata(r.Context(), wire.Actor(r), req.URIs, patches)
}

type pinRequest struct {
	URI  string `json:"uri"`
	Name string `json:"name"`
}

func (h *handler) pinFile(w http.ResponseWriter, r *http.Request) (any, error) {
	var req pinRequest
	if err := wire.Decode(r, &req); err != nil {
		return nil, err
	}
	var c wire.Check
	if err := c.Required("uri", req.URI).Err(); err != nil {
		return nil, err
	}
	return nil, h.Files.Pin(r.Context(), wire.Actor(r), req.URI, req.Name)
}

func (h *handler) unpinFile(w http.ResponseWriter, r *http.Request) (any, error) {
	var req pinRequest
	if err := wire.Decode(r, &req); err != nil {
		return nil, err
	}
	var c wire.Check
	if err := c.Required("uri", req.URI).Err(); err != nil {
		return nil, err
	}
	return nil, h.Files.Unpin(r.Context(), wire.Actor(r), req.URI)
}

func (h *handler) patchView(w http.ResponseWriter, r *http.Request) (any, error) {
	var req struct {
		URI  string          `json:"uri"`
		View json.RawMessage `json:"view"`
	}
	if err := wire.Decode(r, &req); err != nil {
		return nil, err
	}
	var c wire.Check
	if err := c.Required("uri", req.URI).Err(); err != nil {
		return nil, err
	}
	var view *drive.ExplorerView
	if len(req.View) > 0 && string(req.View) != "null" {
		view = new(drive.ExplorerView)
		if err := json.Unmarshal(req.View, view); err != nil {
			return nil, errs.E("api.patchView", errs.Invalid, "view is not an ExplorerView object")
		}
	}
	return nil, h.Files.SetView(r.Context(), wire.Actor(r), req.URI, view)
}

type versionRequest struct {
	URI     string `json:"uri"`
	Version string `json:"version"`
}

func (h *handler) decodeVersion(r *http.Request) (versionRequest, error) {
	var req versionRequest
	if err := wire.Decode(r, &req); err != nil {
		return req, err
	}
	var c wire.Check
	return req, c.Required("uri", req.URI).Required("version", req.Version).Err()
}

func (h *handler) setCurrentVersion(w http.ResponseWriter, r *http.Request) (any, error) {
	req, err := h.decodeVersion(r)
	if err != nil {
		return nil, err
	}
	return nil, h.Files.SetCurrentVersion(r.Context(), wire.Actor(r), req.URI, req.Version)
}

func (h *handler) deleteVersion(w http.ResponseWriter, r *http.Request) (any, error) {
	req, err := h.decodeVersion(r)
	if err != nil {
		return nil, err
	}
	return nil, h.Files.DeleteVersion(r.Context(), wire.Actor(r), req.URI, req.Version)
}
