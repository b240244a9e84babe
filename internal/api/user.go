package api

import (
	"io"
	"net/http"
	"slices"
	"strconv"

	"github.com/stratus-drive/stratus/internal/account"
	"github.com/stratus-drive/stratus/internal/api/wire"
	"github.com/stratus-drive/stratus/internal/auth"
	"github.com/stratus-drive/stratus/internal/drive"
	"github.com/stratus-drive/stratus/internal/errs"
	"github.com/stratus-drive/stratus/internal/hashid"
	"github.com/stratus-drive/stratus/internal/httprange"
)

type signUpRequest struct {
	Email    string `json:"email"`
	Password string `json:"password"`
	Language string `json:"language"`
	Captcha  string `json:"captcha"`
	Ticket   string `json:"ticket"`
}

func (h *handler) signUp(w http.ResponseWriter, r *http.Request) (any, error) {
	var req signUpRequest
	err := wire.Decode(r, &req)
	if err == nil {
		var c wire.Check
		err = c.Required("Email", req.Email).Email("Email", req.Email).Len("Email", req.Email, 3, 100).
			Required("Password", req.Password).Len("Password", req.Password, 6, 128).
			Len("language", req.Language, 0, 32).Err()
	}
	ca := account.CaptchaAnswer{Captcha: req.Captcha, Ticket: req.Ticket}
	if err != nil {
		// The registration switch, then the captcha, come first
		// (20-site-session-user §3, §6.1).
		if cerr := h.Accounts.RefuseSignUp(r.Context(), ca); cerr != nil {
			return nil, cerr
		}
		return nil, err
	}
	res, err := h.Accounts.SignUp(r.Context(), req.Email, req.Password, req.Language, ca)
	if err != nil {
		return nil, err
	}
	if res.NeedsActivation {
		return wire.Reply{Code: wire.CodeContinue}, nil
	}
	u := *res.User
	u.Group = nil // sign-up responses do not load the group
	return h.fullUser(&u), nil
}

func (h *handler) me(w http.ResponseWriter, r *http.Request) (any, error) {
	u, err := h.Accounts.Me(r.Context(), wire.Actor(r))
	if err != nil {
		return nil, err
	}
	return h.fullUser(u), nil
}

func (h *handler) userInfo(w http.ResponseWriter, r *http.Request) (any, error) {
	u, err := h.Accounts.Info(r.Context(), r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	return h.redactedUser(u, h.Accounts.ExposeEmail(wire.Actor(r))), nil
}

func (h *handler) searchUsers(w http.ResponseWriter, r *http.Request) (any, error) {
	actor := wire.Actor(r)
	users, err := h.Accounts.Search(r.Context(), actor, r.URL.Query().Get("keyword"))
	if err != nil {
		return nil, err
	}
	expose := h.Accounts.ExposeEmail(actor)
	out := make([]*userJSON, 0, len(users))
	for _, u := range users {
		out = append(out, h.redactedUser(u, expose))
	}
	return out, nil
}

// avatar serves GET /user/avatar/{id}: PNG bytes, a Gravatar redirect, or a
// bare 404 when the user has none.
func (h *handler) avatar(w http.ResponseWriter, r *http.Request) error {
	av, err := h.Accounts.Avatar(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	if !wire.QueryBool(r, "nocache") {
		w.Header().Set("Cache-Control", "public, max-age="+strconv.FormatInt(h.Settings.Int("public_resource_maxage"), 10))
	}
	switch {
	case av.Redirect != "":
		http.Redirect(w, r, av.Redirect, http.StatusFound)
	case av.Content != nil:
		defer av.Content.Close()
		w.Header().Set("Content-Type", "image/png")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		if rs, ok := av.Content.(io.ReadSeeker); ok {
			httprange.ServeContent(w, r, "", av.ModTime, rs)
			return nil
		}
		// Storage without seeking: the whole (small) image, no ranges.
		w.Header().Set("Content-Length", strconv.FormatInt(av.Size, 10))
		w.Header().Set("Last-Modified", av.ModTime.UTC().Format(http.TimeFormat))
		if r.Method != http.MethodHead {
			io.Copy(w, av.Content)
		}
	default:
		w.WriteHeader(http.StatusNotFound)
	}
	return nil
}

func (h *handler) setAvatar(w http.ResponseWriter, r *http.Request) (any, error) {
	if r.ContentLength < 0 {
		return nil, errs.E("api.setAvatar", errs.Invalid, "Content-Length required")
	}
	return nil, h.Accounts.SetAvatar(r.Context(), wire.Actor(r), r.Body, r.ContentLength, r.Header.Get("Content-Type"))
}

func (h *handler) capacity(w http.ResponseWriter, r *http.Request) (any, error) {
	return h.Accounts.Capacity(r.Context(), wire.Actor(r))
}

func (h *handler) preferences(w http.ResponseWriter, r *http.Request) (any, error) {
	return h.Accounts.Preferences(r.Context(), wire.Actor(r))
}

func (h *handler) updatePreferences(w http.ResponseWriter, r *http.Request) (any, error) {
	var p account.SettingsPatch
	if err := wire.Decode(r, &p); err != nil {
		return nil, err
	}
	actor := wire.Actor(r)
	if p.ChangesSecurity() {
		if err := auth.CheckScope(actor.Scopes, actor.ClientID, "UserSecurityInfo.Write"); err != nil {
			return nil, err
		}
	}
	return nil, h.Accounts.UpdateSettings(r.Context(), actor, p)
}

func (h *handler) prepare2FA(w http.ResponseWriter, r *http.Request) (any, error) {
	return h.Accounts.PrepareTwoFactor(r.Context(), wire.Actor(r))
}

func (h *handler) policies(w http.ResponseWriter, r *http.Request) (any, error) {
	ps, err := h.Accounts.Policies(r.Context(), wire.Actor(r))
	if err != nil {
		return nil, err
	}
	out := make([]policyJSON, 0, len(ps))
	for _, p := range ps {
		out = append(out, h.policy(p))
	}
	return out, nil
}

type groupItemJSON struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

func (h *handler) groups(w http.ResponseWriter, r *http.Request) (any, error) {
	gs, err := h.Accounts.Groups(r.Context(), wire.Actor(r))
	if err != nil {
		return nil, err
	}
	out := make([]groupItemJSON, 0, len(gs))
	for _, g := range gs {
		out = append(out, groupItemJSON{ID: h.IDs.Encode(g.ID, hashid.Group), Name: g.Name})
	}
	return out, nil
}

type nodeJSON struct {
	ID           string `json:"id"`
	Name         string `json:"name"`
	Type         string `json:"type"`
	Capabilities string `json:"capabilities"`
}

func (h *handler) nodes(w http.ResponseWriter, r *http.Request) (any, error) {
	ns, err := h.Accounts.Nodes(r.Context(), wire.Actor(r))
	if err != nil {
		return nil, err
	}
	out := make([]nodeJSON, 0, len(ns))
	for _, n := range ns {
		out = append(out, nodeJSON{ID: h.IDs.Encode(n.ID, hashid.Node), Name: n.Name, Type: n.Type,
			Capabilities: wire.Boolset(h.servedCapabilities(n.Capabilities))})
	}
	return out, nil
}

// groupTaskRoutes are the routes that start what a group permission bit
// (10-conventions §8.1) offers in clients' menus, for the bits that only
// offer a task: remote download. (Bit 5 also gates archive listing, which
// is served.)
var groupTaskRoutes = map[int]string{
	int(drive.PermRemoteDownload): "/workflow/download",
}

// servedPermissions is what a group's permissions advertise to its members:
// a bit whose task this server cannot start is left out, so clients do not
// offer it. The group keeps it; only the advertisement changes.
func (h *handler) servedPermissions(p drive.Boolset) drive.Boolset {
	for bit, path := range groupTaskRoutes {
		if p.Has(bit) && !h.serves("POST", path) {
			p = slices.Clone(p).Without(bit) // Without clears in place
		}
	}
	return p
}

// nodeTaskRoutes are the routes that start the task each node capability
// bit (70-nodes §A.8) lets a node run.
var nodeTaskRoutes = map[int]string{
	1: "/workflow/archive",  // create_archive
	2: "/workflow/extract",  // extract_archive
	3: "/workflow/download", // remote_download
}

// servedCapabilities keeps the capability bits whose tasks this server can
// start: a node may be able to extract, but without the route to ask for it
// the client must not offer it.
func (h *handler) servedCapabilities(c drive.Boolset) drive.Boolset {
	var out drive.Boolset
	for bit, path := range nodeTaskRoutes {
		if c.Has(bit) && h.serves("POST", path) {
			out = out.With(bit)
		}
	}
	return out
}

// activate serves GET /user/activate/{id}?sign=..., the link of the
// activation mail.
func (h *handler) activate(w http.ResponseWriter, r *http.Request) (any, error) {
	u, err := h.Accounts.Activate(r.Context(), r.URL, r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	return h.fullUser(u), nil
}

type resetRequest struct {
	Email    string `json:"email"`
	Captcha  string `json:"captcha"`
	Ticket   string `json:"ticket"`
	Language string `json:"language"`
}

func (h *handler) requestReset(w http.ResponseWriter, r *http.Request) (any, error) {
	var req resetRequest
	if err := wire.Decode(r, &req); err != nil {
		return nil, err
	}
	var c wire.Check
	if err := c.Required("Email", req.Email).Email("Email", req.Email).Len("Email", req.Email, 3, 100).Err(); err != nil {
		return nil, err
	}
	return nil, h.Accounts.RequestPasswordReset(r.Context(), req.Email, account.CaptchaAnswer{Captcha: req.Captcha, Ticket: req.Ticket})
}

type resetPasswordRequest struct {
	Password string `json:"password"`
	Secret   string `json:"secret"`
}

func (h *handler) resetPassword(w http.ResponseWriter, r *http.Request) (any, error) {
	var req resetPasswordRequest
	if err := wire.Decode(r, &req); err != nil {
		return nil, err
	}
	var c wire.Check
	if err := c.Required("Password", req.Password).Len("Password", req.Password, 6, 128).
		Required("Secret", req.Secret).Err(); err != nil {
		return nil, err
	}
	u, err := h.Accounts.ResetPasswordWithSecret(r.Context(), r.PathValue("id"), req.Secret, req.Password)
	if err != nil {
		return nil, err
	}
	return h.fullUser(u), nil
}
