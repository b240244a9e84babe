package api

import (
	"mime"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/stratus-drive/stratus/internal/api/wire"
	"github.com/stratus-drive/stratus/internal/auth"
	"github.com/stratus-drive/stratus/internal/bandwidth"
	"github.com/stratus-drive/stratus/internal/files"
	"github.com/stratus-drive/stratus/internal/httprange"
)

type urlRequest struct {
	URIs              []string `json:"uris"`
	Download          bool     `json:"download"`
	Redirect          bool     `json:"redirect"`
	Entity            string   `json:"entity"`
	UsePrimarySiteURL bool     `json:"use_primary_site_url"`
	SkipError         bool     `json:"skip_error"`
	Archive           bool     `json:"archive"`
	NoCache           bool     `json:"no_cache"`
}

type urlItemJSON struct {
	URL string `json:"url"`
}

type urlsJSON struct {
	URLs    []urlItemJSON `json:"urls"`
	Expires *time.Time    `json:"expires"`
}

func (h *handler) fileURLs(w http.ResponseWriter, r *http.Request) (any, error) {
	var req urlRequest
	if err := wire.Decode(r, &req); err != nil {
		return nil, err
	}
	if req.Archive {
		return h.archiveURL(w, r, req)
	}
	urls, expires, err := h.Files.IssueURLs(r.Context(), wire.Actor(r), files.URLRequest{
		URIs: req.URIs, Download: req.Download, Entity: req.Entity, SkipError: req.SkipError,
	})
	if err != nil {
		return nil, err
	}
	base := h.siteBase(r, req.UsePrimarySiteURL)
	out := urlsJSON{URLs: make([]urlItemJSON, len(urls))}
	for i, u := range urls {
		if u.URL != "" {
			out.URLs[i].URL = base + u.URL
		}
	}
	e := localTime(expires)
	out.Expires = &e
	if req.Redirect && len(out.URLs) == 1 && out.URLs[0].URL != "" {
		http.Redirect(w, r, out.URLs[0].URL, http.StatusFound)
		return wire.Written, nil
	}
	return out, nil
}

type thumbJSON struct {
	URL     string     `json:"url"`
	Expires *time.Time `json:"expires"`
}

func (h *handler) thumbnail(w http.ResponseWriter, r *http.Request) (any, error) {
	u, expires, err := h.Media.Thumbnail(r.Context(), wire.Actor(r), r.URL.Query().Get("uri"))
	if err != nil {
		return nil, err
	}
	e := localTime(expires)
	return thumbJSON{URL: h.siteBase(r, false) + u.URL, Expires: &e}, nil
}

// siteBase is the origin generated links start with: the configured site
// URL whose host the request used, else the primary one (always when asked).
// The request's Host is never copied into a link: it is the client's to
// choose, and a link built from it could point at an attacker's host from a
// cached or forwarded answer.
func (h *handler) siteBase(r *http.Request, primary bool) string {
	sites := h.Settings.SiteURLs()
	if !primary {
		for _, s := range sites {
			if u, err := url.Parse(s); err == nil && strings.EqualFold(u.Host, r.Host) {
				return strings.TrimSuffix(s, "/")
			}
		}
	}
	return strings.TrimSuffix(sites[0], "/")
}

// entityContent streams a blob for a signed URL, with ranges, conditional
// requests and the group speed limit. User content never runs as a page of
// this origin: it is sandboxed by CSP and never MIME-sniffed.
func (h *handler) entityContent(w http.ResponseWriter, r *http.Request) error {
	if err := auth.VerifyURL(h.Settings.SecretKey(), r.URL, time.Now()); err != nil {
		return err
	}
	speed, _ := strconv.ParseInt(r.PathValue("speed"), 10, 64)
	name := r.PathValue("name")
	c, err := h.Files.OpenContent(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	defer c.Close()
	hd := w.Header()
	ctype := mime.TypeByExtension(strings.ToLower(path.Ext(name)))
	if ctype == "" {
		ctype = "application/octet-stream"
	}
	hd.Set("Content-Type", ctype)
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Content-Security-Policy", "sandbox")
	hd.Set("ETag", `"`+r.PathValue("id")+`"`)
	hd.Set("Cache-Control", "public, max-age="+strconv.FormatInt(h.Settings.Int("public_resource_maxage"), 10))
	disposition := "inline"
	if wire.QueryBool(r, "download") {
		disposition = "attachment"
	}
	hd.Set("Content-Disposition", contentDisposition(disposition, name))
	if speed > 0 {
		w = bandwidth.NewWriter(w, speed, time.Now, time.Sleep)
	}
	if c.File != nil {
		httprange.ServeContent(w, r, "", c.ModTime, c.File)
	} else {
		httprange.ServeContent(w, r, "", c.ModTime, c.Reader)
	}
	return nil
}

// contentDisposition builds the header with an ASCII fallback and the
// RFC 5987 UTF-8 form for other names.
func contentDisposition(kind, name string) string {
	ascii := make([]byte, 0, len(name))
	plain := true
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case c >= 0x80 || c < 0x20 || c == 0x7f:
			plain = false
			if c < 0x80 || c >= 0xc0 { // one _ per character, not per byte
				ascii = append(ascii, '_')
			}
		case c == '"' || c == '\\':
			ascii = append(ascii, '_')
		default:
			ascii = append(ascii, c)
		}
	}
	v := kind + `; filename="` + string(ascii) + `"`
	if !plain {
		v += "; filename*=UTF-8''" + url.PathEscape(name)
	}
	return v
}

// contentCORS answers content routes for any origin, as Cloudreve does, so
// that viewers on other origins can fetch blobs with ranges.
func contentCORS(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("Access-Control-Allow-Origin", "*")
		hd.Set("Access-Control-Expose-Headers", "Content-Range, Accept-Ranges, Content-Length, Content-Disposition, ETag")
		if r.Method == http.MethodOptions {
			hd.Set("Access-Control-Allow-Methods", "GET, HEAD, OPTIONS")
			hd.Set("Access-Control-Allow-Headers", "Range, If-Range, Authorization, Content-Type")
			w.WriteHeader(http.StatusNoContent)
			return
		}
		next.ServeHTTP(w, r)
	})
}
