package api

import (
	"net/http"

	"github.com/stratus-drive/stratus/internal/account"
	adminsvc "github.com/stratus-drive/stratus/internal/admin"
	"github.com/stratus-drive/stratus/internal/api/wire"
	"github.com/stratus-drive/stratus/internal/errs"
)

// reportAbuse files an abuse report (20-site-session-user §4.4); signed in
// or not.
func (h *handler) reportAbuse(w http.ResponseWriter, r *http.Request) (any, error) {
	var req struct {
		Captcha     string `json:"captcha"`
		Ticket      string `json:"ticket"`
		Category    *int   `json:"category"`
		Description string `json:"description"`
		ShareID     string `json:"share_id"`
		UserID      string `json:"user_id"`
		FileURI     string `json:"file_uri"`
	}
	if err := wire.Decode(r, &req); err != nil {
		return nil, err
	}
	if req.Category == nil {
		return nil, errs.E("api.reportAbuse", errs.Invalid, "Category cannot be empty")
	}
	a := wire.Actor(r)
	a.IP = h.clientIP(r)
	return nil, h.Admin.ReportAbuse(r.Context(), a, adminsvc.AbuseRequest{Category: *req.Category,
		Description: req.Description, ShareID: req.ShareID, UserID: req.UserID, FileURI: req.FileURI,
		Captcha: account.CaptchaAnswer{Captcha: req.Captcha, Ticket: req.Ticket}})
}
