package api

import (
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"github.com/stratus-drive/stratus/internal/api/wire"
	"github.com/stratus-drive/stratus/internal/directlink"
	"github.com/stratus-drive/stratus/internal/errs"
)

type directLinkJSON struct {
	Link    string `json:"link"`
	FileURL string `json:"file_url"`
}

// createDirectLinks is PUT /file/source. A partial failure answers 40081
// with the links that were made in data, beside aggregated_error.
func (h *handler) createDirectLinks(w http.ResponseWriter, r *http.Request) (any, error) {
	var req struct {
		URIs []string `json:"uris"`
	}
	if err := wire.Decode(r, &req); err != nil {
		return nil, err
	}
	items, err := h.DirectLinks.Create(r.Context(), wire.Actor(r), req.URIs)
	out := make([]directLinkJSON, len(items))
	base := h.siteBase(r, false)
	for i, it := range items {
		out[i] = directLinkJSON{Link: base + it.Link, FileURL: it.FileURI}
	}
	if err != nil {
		if len(out) == 0 {
			return nil, err
		}
		resp := wire.ErrorResponse(err, wire.CorrelationID(r.Context()), h.wire.Debug)
		resp.Data = out
		wire.WriteJSON(w, resp)
		return wire.Written, nil
	}
	return out, nil
}

// deleteDirectLink is DELETE /file/source/{id}.
func (h *handler) deleteDirectLink(w http.ResponseWriter, r *http.Request) (any, error) {
	return nil, h.DirectLinks.Delete(r.Context(), wire.Actor(r), r.PathValue("id"))
}

// DirectLinks serves GET /f/{id}/{name} and /f/d/{id}/{name} (30-files
// §7.7): a 302 to a fresh signed content URL, with the content CORS policy.
// Failures answer HTTP 404 with an envelope.
func DirectLinks(d Deps) http.Handler {
	h := &handler{Deps: d, wire: wire.Options{Debug: d.Config.System.Debug, Log: d.Log}, mux: http.NewServeMux()}
	for _, m := range []string{"GET", "HEAD", "OPTIONS"} {
		h.mux.Handle(m+" "+directlink.PathPrefix+"{id}/{name}", h.followDirectLink(false))
		h.mux.Handle(m+" "+directlink.PathPrefix+"d/{id}/{name}", h.followDirectLink(true))
	}
	// Every failure under /f/ is a 404 envelope (30-files §7.7), a path or
	// method no route takes included, never the router's 405.
	known := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, pattern := h.mux.Handler(r); pattern == "" {
			h.directLinkNotFound(w, r, errs.E("api.DirectLinks", directlink.ErrNotExist))
			return
		}
		h.mux.ServeHTTP(w, r)
	})
	var root http.Handler = contentCORS(known)
	root = h.logRequests(root)
	root = h.recoverPanics(root)
	return root
}

func (h *handler) followDirectLink(download bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u, expires, err := h.DirectLinks.Follow(r.Context(), r.PathValue("id"), r.PathValue("name"), download)
		if err != nil {
			h.directLinkNotFound(w, r, err)
			return
		}
		// The target is a signed URL to the owner's file, good until it
		// expires: a browser may keep it, a shared cache may not (it would
		// go on handing it out after the owner deleted the link).
		age := max(int64(time.Until(expires)/time.Second), 0)
		w.Header().Set("Cache-Control", "private, max-age="+strconv.FormatInt(age, 10))
		http.Redirect(w, r, h.siteBase(r, false)+u, http.StatusFound)
	})
}

// directLinkNotFound answers a failed direct link: HTTP 404 with err's
// envelope.
func (h *handler) directLinkNotFound(w http.ResponseWriter, r *http.Request, err error) {
	resp := wire.ErrorResponse(err, wire.CorrelationID(r.Context()), h.wire.Debug)
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "private, no-cache")
	w.WriteHeader(http.StatusNotFound)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(resp)
}
