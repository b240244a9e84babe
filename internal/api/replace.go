package api

import (
	"net/http"
	"strconv"

	"github.com/stratus-drive/stratus/internal/api/wire"
	"github.com/stratus-drive/stratus/internal/files"
)

// replaceContent answers PUT /file/content (30-files §8.3): the raw body
// becomes the file's content, streamed through to storage.
func (h *handler) replaceContent(w http.ResponseWriter, r *http.Request) (any, error) {
	q := r.URL.Query()
	uri := q.Get("uri")
	var c wire.Check
	if err := c.Required("uri", uri).Err(); err != nil {
		drain(r)
		return nil, err
	}
	length := r.ContentLength
	if length < 0 {
		var err error
		length, err = strconv.ParseInt(r.Header.Get("X-Expected-Entity-Length"), 10, 64)
		if err != nil || length < 0 {
			drain(r)
			return nil, files.ErrInvalidContentLength
		}
	}
	n, err := h.Files.ReplaceContent(r.Context(), wire.Actor(r), uri, q.Get("previous"), r.Body, length)
	if err != nil {
		drain(r)
		return nil, err
	}
	return h.file(n), nil
}
