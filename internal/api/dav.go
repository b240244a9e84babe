package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/stratus-drive/stratus/internal/account"
	"github.com/stratus-drive/stratus/internal/api/wire"
	"github.com/stratus-drive/stratus/internal/drive"
	"github.com/stratus-drive/stratus/internal/hashid"
)

// davAccountJSON is the WebDAV account object (20-site-session-user §2.7).
type davAccountJSON struct {
	ID        string    `json:"id"`
	CreatedAt time.Time `json:"created_at"`
	Name      string    `json:"name"`
	URI       string    `json:"uri"`
	Password  string    `json:"password"`
	Options   string    `json:"options"`
}

func (h *handler) davAccountView(a *drive.DavAccount) *davAccountJSON {
	return &davAccountJSON{
		ID:        h.IDs.Encode(a.ID, hashid.DavAccount),
		CreatedAt: localTime(a.CreatedAt),
		Name:      a.Name,
		URI:       a.URI,
		Password:  a.Password,
		Options:   wire.Boolset(a.Options),
	}
}

type davAccountRequest struct {
	URI             string `json:"uri"`
	Name            string `json:"name"`
	ReadOnly        bool   `json:"readonly"`
	Proxy           bool   `json:"proxy"`
	DisableSysFiles bool   `json:"disable_sys_files"`
}

func decodeDavAccountRequest(r *http.Request) (account.DavAccountOptions, error) {
	var req davAccountRequest
	if err := wire.Decode(r, &req); err != nil {
		return account.DavAccountOptions{}, err
	}
	var c wire.Check
	if err := c.Required("URI", req.URI).Required("Name", req.Name).Err(); err != nil {
		return account.DavAccountOptions{}, err
	}
	return account.DavAccountOptions{Name: req.Name, URI: req.URI, ReadOnly: req.ReadOnly, Proxy: req.Proxy,
		DisableSysFiles: req.DisableSysFiles}, nil
}

type davAccountListJSON struct {
	Accounts   []*davAccountJSON   `json:"accounts"`
	Pagination sharePaginationJSON `json:"pagination"`
}

func (h *handler) listDavAccounts(w http.ResponseWriter, r *http.Request) (any, error) {
	q := r.URL.Query()
	size, _ := strconv.Atoi(q.Get("page_size"))
	p, err := h.Accounts.ListDavAccounts(r.Context(), wire.Actor(r), size, q.Get("next_page_token"))
	if err != nil {
		return nil, err
	}
	out := davAccountListJSON{Accounts: []*davAccountJSON{},
		Pagination: sharePaginationJSON{PageSize: p.PageSize, IsCursor: true, NextPageToken: p.NextToken}}
	for _, a := range p.Accounts {
		out.Accounts = append(out.Accounts, h.davAccountView(a))
	}
	return out, nil
}

func (h *handler) createDavAccount(w http.ResponseWriter, r *http.Request) (any, error) {
	opt, err := decodeDavAccountRequest(r)
	if err != nil {
		return nil, err
	}
	a, err := h.Accounts.CreateDavAccount(r.Context(), wire.Actor(r), opt)
	if err != nil {
		return nil, err
	}
	return h.davAccountView(a), nil
}

func (h *handler) editDavAccount(w http.ResponseWriter, r *http.Request) (any, error) {
	opt, err := decodeDavAccountRequest(r)
	if err != nil {
		return nil, err
	}
	a, err := h.Accounts.EditDavAccount(r.Context(), wire.Actor(r), r.PathValue("id"), opt)
	if err != nil {
		return nil, err
	}
	return h.davAccountView(a), nil
}

func (h *handler) deleteDavAccount(w http.ResponseWriter, r *http.Request) (any, error) {
	return nil, h.Accounts.DeleteDavAccount(r.Context(), wire.Actor(r), r.PathValue("id"))
}
