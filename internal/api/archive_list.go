package api

import (
	"net/http"
	"time"

	"github.com/stratus-drive/stratus/internal/api/wire"
	"github.com/stratus-drive/stratus/internal/archiver"
)

type archiveItemJSON struct {
	Name        string     `json:"name"`
	Size        int64      `json:"size"`
	UpdatedAt   *time.Time `json:"updated_at"`
	IsDirectory bool       `json:"is_directory"`
}

type archiveListJSON struct {
	Files []archiveItemJSON `json:"files"`
}

// listArchive serves GET /file/archive: the entries of a zip file.
func (h *handler) listArchive(w http.ResponseWriter, r *http.Request) (any, error) {
	q := r.URL.Query()
	items, err := h.Archives.List(r.Context(), wire.Actor(r), archiver.ListRequest{
		URI: q.Get("uri"), Entity: q.Get("entity"), Encoding: q.Get("text_encoding"),
	})
	if err != nil {
		return nil, err
	}
	out := archiveListJSON{Files: make([]archiveItemJSON, len(items))}
	for i, it := range items {
		out.Files[i] = archiveItemJSON{Name: it.Name, Size: it.Size, IsDirectory: it.IsDirectory}
		if !it.Modified.IsZero() {
			m := it.Modified
			out.Files[i].UpdatedAt = &m
		}
	}
	return out, nil
}
