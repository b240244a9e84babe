package api

import (
	"net/http"
	"time"

	"github.com/stratus-drive/stratus/internal/api/wire"
	"github.com/stratus-drive/stratus/internal/auth"
	"github.com/stratus-drive/stratus/internal/bandwidth"
)

// archiveURL answers POST /file/url with archive:true (30-files §7.1): one
// signed URL that streams a zip of every URI.
func (h *handler) archiveURL(w http.ResponseWriter, r *http.Request, req urlRequest) (any, error) {
	u, expires, err := h.Archives.Issue(r.Context(), wire.Actor(r), req.URIs)
	if err != nil {
		return nil, err
	}
	full := h.siteBase(r, req.UsePrimarySiteURL) + u.URL
	if req.Redirect {
		http.Redirect(w, r, full, http.StatusFound)
		return wire.Written, nil
	}
	e := localTime(expires)
	return urlsJSON{URLs: []urlItemJSON{{URL: full}}, Expires: &e}, nil
}

// archiveContent streams an archive session (30-files §7.3). Errors found
// before the first byte are envelopes; a failure in the middle of the
// stream aborts the connection, so that the client sees a broken download
// rather than a zip with an envelope inside.
func (h *handler) archiveContent(w http.ResponseWriter, r *http.Request) error {
	if err := auth.VerifyURL(h.Settings.SecretKey(), r.URL, time.Now()); err != nil {
		return err
	}
	a, err := h.Archives.Open(r.Context(), r.PathValue("session"))
	if err != nil {
		return err
	}
	hd := w.Header()
	hd.Set("Content-Type", "application/zip")
	hd.Set("Content-Disposition", contentDisposition("attachment", "archive.zip"))
	hd.Set("X-Content-Type-Options", "nosniff")
	cw := &countingWriter{ResponseWriter: w}
	var out http.ResponseWriter = cw
	if a.SpeedLimit > 0 {
		out = bandwidth.NewWriter(cw, int64(a.SpeedLimit), time.Now, time.Sleep)
	}
	if err := a.Write(r.Context(), out); err != nil {
		if cw.n == 0 { // nothing sent yet: answer with an envelope instead
			hd.Del("Content-Disposition")
			return err
		}
		if r.Context().Err() == nil {
			h.Log.Warn("archive stream failed", "err", err, "correlation_id", wire.CorrelationID(r.Context()))
		}
		panic(http.ErrAbortHandler)
	}
	return nil
}

// countingWriter records whether the body has begun.
type countingWriter struct {
	http.ResponseWriter
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.ResponseWriter.Write(p)
	c.n += int64(n)
	return n, err
}

func (c *countingWriter) Unwrap() http.ResponseWriter { return c.ResponseWriter }
