package api

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/stratus-drive/stratus/internal/api/wire"
	"github.com/stratus-drive/stratus/internal/drive"
	"github.com/stratus-drive/stratus/internal/hashid"
	"github.com/stratus-drive/stratus/internal/share"
)

// shareJSON is the Share object (40-share §1, newer-versions §20.1).
type shareJSON struct {
	ID                string     `json:"id"`
	Name              string     `json:"name,omitempty"`
	SourceType        int        `json:"source_type"`
	Owner             *userJSON  `json:"owner"`
	CreatedAt         time.Time  `json:"created_at"`
	URL               string     `json:"url"`
	Visited           int        `json:"visited"`
	Expired           bool       `json:"expired"`
	Unlocked          bool       `json:"unlocked"`
	PasswordProtected bool       `json:"password_protected,omitempty"`
	Size              int64      `json:"size"`
	Downloaded        int        `json:"downloaded,omitempty"`
	RemainDownloads   *int       `json:"remain_downloads,omitempty"`
	Expires           *time.Time `json:"expires,omitempty"`
	Password          string     `json:"password,omitempty"`
	ShowReadme        bool       `json:"show_readme,omitempty"`
	IsPrivate         bool       `json:"is_private,omitempty"`
	ShareView         bool       `json:"share_view,omitempty"`
	SourceURI         string     `json:"source_uri,omitempty"`
}

// shareURL is the short link of sh, with the password when shown.
func (h *handler) shareURL(r *http.Request, sh *drive.Share, withPassword bool) string {
	u := h.siteBase(r, true) + "/s/" + h.IDs.Encode(sh.ID, hashid.Share)
	if withPassword && sh.HasPassword() {
		u += "/" + url.PathEscape(sh.Password)
	}
	return u
}

func (h *handler) shareView(r *http.Request, l *share.Link) *shareJSON {
	sh := l.Share
	out := &shareJSON{
		ID:                h.IDs.Encode(sh.ID, hashid.Share),
		CreatedAt:         localTime(sh.CreatedAt),
		URL:               h.shareURL(r, sh, l.Unlocked),
		Visited:           sh.Views,
		Expired:           l.Expired,
		Unlocked:          l.Unlocked,
		PasswordProtected: sh.HasPassword(),
		SourceURI:         l.SourceURI,
	}
	if l.Owner != nil {
		out.Owner = h.redactedUser(l.Owner, h.Accounts.ExposeEmail(wire.Actor(r)))
	}
	if f := l.File; f != nil {
		out.Name = f.Name
		out.SourceType = int(f.Type)
		if l.Unlocked && !f.IsFolder() {
			out.Size = f.Size
		}
	}
	if l.Unlocked {
		out.Downloaded = sh.Downloads
		if sh.RemainDownloads >= 0 {
			n := sh.RemainDownloads
			out.RemainDownloads = &n
		}
		if !sh.Expires.IsZero() {
			e := localTime(sh.Expires)
			out.Expires = &e
		}
		out.Password = sh.Password
		out.ShowReadme = sh.Props.ShowReadMe
	}
	if l.IsOwner {
		out.IsPrivate = sh.HasPassword()
		out.ShareView = sh.Props.ShareView
	}
	return out
}

type shareRequest struct {
	URI        string `json:"uri"`
	IsPrivate  bool   `json:"is_private"`
	Password   string `json:"password"`
	Downloads  int    `json:"downloads"`
	Expire     int    `json:"expire"`
	ShareView  bool   `json:"share_view"`
	ShowReadme bool   `json:"show_readme"`
}

func (req shareRequest) options() share.Options {
	return share.Options{URI: req.URI, IsPrivate: req.IsPrivate, Password: req.Password, Downloads: req.Downloads,
		Expire: req.Expire, ShareView: req.ShareView, ShowReadme: req.ShowReadme}
}

func decodeShareRequest(r *http.Request) (shareRequest, error) {
	var req shareRequest
	if err := wire.Decode(r, &req); err != nil {
		return req, err
	}
	var c wire.Check
	return req, c.Required("URI", req.URI).Err()
}

func (h *handler) createShare(w http.ResponseWriter, r *http.Request) (any, error) {
	req, err := decodeShareRequest(r)
	if err != nil {
		return nil, err
	}
	l, err := h.Shares.Create(r.Context(), wire.Actor(r), req.options())
	if err != nil {
		return nil, err
	}
	return h.shareURL(r, l.Share, true), nil
}

func (h *handler) editShare(w http.ResponseWriter, r *http.Request) (any, error) {
	req, err := decodeShareRequest(r)
	if err != nil {
		return nil, err
	}
	l, err := h.Shares.Edit(r.Context(), wire.Actor(r), r.PathValue("id"), req.options())
	if err != nil {
		return nil, err
	}
	return h.shareURL(r, l.Share, true), nil
}

func (h *handler) deleteShare(w http.ResponseWriter, r *http.Request) (any, error) {
	return nil, h.Shares.Delete(r.Context(), wire.Actor(r), r.PathValue("id"))
}

func (h *handler) shareInfo(w http.ResponseWriter, r *http.Request) (any, error) {
	q := r.URL.Query()
	countViews, _ := strconv.ParseBool(q.Get("count_views"))
	ownerExtended, _ := strconv.ParseBool(q.Get("owner_extended"))
	l, err := h.Shares.Info(r.Context(), wire.Actor(r), r.PathValue("id"), share.InfoOptions{
		Password: q.Get("password"), CountViews: countViews, OwnerExtended: ownerExtended})
	if err != nil {
		return nil, err
	}
	return h.shareView(r, l), nil
}

type sharePaginationJSON struct {
	Page          int    `json:"page"`
	PageSize      int    `json:"page_size"`
	IsCursor      bool   `json:"is_cursor"`
	NextPageToken string `json:"next_token,omitempty"`
}

type shareListJSON struct {
	Shares     []*shareJSON        `json:"shares"`
	Pagination sharePaginationJSON `json:"pagination"`
}

func (h *handler) listShares(w http.ResponseWriter, r *http.Request) (any, error) {
	q := r.URL.Query()
	size, _ := strconv.Atoi(q.Get("page_size"))
	p, err := h.Shares.List(r.Context(), wire.Actor(r), share.ListOptions{PageSize: size,
		OrderBy: q.Get("order_by"), OrderDirection: q.Get("order_direction"), NextPageToken: q.Get("next_page_token")})
	if err != nil {
		return nil, err
	}
	return h.shareList(r, p), nil
}

// shareList renders a page of links; shares is null, not [], when empty.
func (h *handler) shareList(r *http.Request, p *share.Page) shareListJSON {
	out := shareListJSON{Pagination: sharePaginationJSON{PageSize: p.PageSize, IsCursor: true, NextPageToken: p.NextToken}}
	for _, l := range p.Links {
		out.Shares = append(out.Shares, h.shareView(r, l))
	}
	return out
}

// ShareRedirect serves the short links /s/{id} and /s/{id}/{password}
// (40-share §9): a 302 to the web app's share page. A path query is
// appended to the share URI (v3 links); other query parameters are kept.
func ShareRedirect() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u := drive.URI{FS: drive.FSShare, ID: r.PathValue("id"), Password: r.PathValue("password")}
		target := u.String()
		q := r.URL.Query()
		if p := q.Get("path"); p != "" {
			if withPath, err := drive.ParseURI(target + "/" + strings.TrimPrefix(p, "/")); err == nil {
				target = withPath.String()
			}
		}
		q.Del("path")
		q.Set("path", target)
		// The target may carry the share's password: no cache keeps it.
		w.Header().Set("Cache-Control", "private, no-store")
		http.Redirect(w, r, "/home?"+q.Encode(), http.StatusFound)
	})
}

func (h *handler) deleteShares(w http.ResponseWriter, r *http.Request) (any, error) {
	var req struct {
		IDs []string `json:"ids"`
	}
	if err := wire.Decode(r, &req); err != nil {
		return nil, err
	}
	return nil, h.Shares.DeleteMany(r.Context(), wire.Actor(r), req.IDs)
}

func (h *handler) userShares(w http.ResponseWriter, r *http.Request) (any, error) {
	q := r.URL.Query()
	size, _ := strconv.Atoi(q.Get("page_size"))
	p, err := h.Shares.UserShares(r.Context(), wire.Actor(r), r.PathValue("id"), share.ListOptions{PageSize: size,
		OrderBy: q.Get("order_by"), OrderDirection: q.Get("order_direction"), NextPageToken: q.Get("next_page_token")})
	if err != nil {
		return nil, err
	}
	return h.shareList(r, p), nil
}
