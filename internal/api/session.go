package api

import (
	"net/http"

	"github.com/stratus-drive/stratus/internal/account"
	"github.com/stratus-drive/stratus/internal/api/wire"
	"github.com/stratus-drive/stratus/internal/auth"
)

type loginJSON struct {
	User  *userJSON `json:"user"`
	Token any       `json:"token"`
}

func (h *handler) loginResponse(l *account.Login) loginJSON {
	return loginJSON{User: h.fullUser(l.User), Token: l.Token}
}

func (h *handler) prepareLogin(w http.ResponseWriter, r *http.Request) (any, error) {
	email := r.URL.Query().Get("email")
	var c wire.Check
	if err := c.Required("Email", email).Email("Email", email).Err(); err != nil {
		return nil, err
	}
	return h.Accounts.Prepare(r.Context(), email)
}

type signInRequest struct {
	Email    string `json:"email"`
	Password string `json:"password"`
	Captcha  string `json:"captcha"`
	Ticket   string `json:"ticket"`
}

func (h *handler) signIn(w http.ResponseWriter, r *http.Request) (any, error) {
	var req signInRequest
	err := wire.Decode(r, &req)
	if err == nil {
		var c wire.Check
		err = c.Required("Email", req.Email).Email("Email", req.Email).
			Required("Password", req.Password).Len("Password", req.Password, 4, 128).Err()
	}
	ca := account.CaptchaAnswer{Captcha: req.Captcha, Ticket: req.Ticket}
	if err != nil {
		// The captcha comes first (20-site-session-user §3).
		if cerr := h.Accounts.RefuseSignIn(r.Context(), ca); cerr != nil {
			return nil, cerr
		}
		return nil, err
	}
	res, err := h.Accounts.SignIn(r.Context(), h.clientIP(r), req.Email, req.Password, ca)
	if err != nil {
		return nil, err
	}
	if res.TwoFactorSession != "" {
		return wire.Reply{Code: wire.CodeContinue, Data: res.TwoFactorSession}, nil
	}
	return h.loginResponse(res.Login), nil
}

func (h *handler) signIn2FA(w http.ResponseWriter, r *http.Request) (any, error) {
	var req struct {
		OTP       string `json:"otp"`
		SessionID string `json:"session_id"`
	}
	if err := wire.Decode(r, &req); err != nil {
		return nil, err
	}
	var c wire.Check
	if err := c.Required("otp", req.OTP).Required("session_id", req.SessionID).Err(); err != nil {
		return nil, err
	}
	login, err := h.Accounts.SignInTwoFactor(r.Context(), req.SessionID, req.OTP)
	if err != nil {
		return nil, err
	}
	return h.loginResponse(login), nil
}

type tokenRequest struct {
	RefreshToken string `json:"refresh_token"`
}

func (h *handler) refresh(w http.ResponseWriter, r *http.Request) (any, error) {
	var req tokenRequest
	if err := wire.Decode(r, &req); err != nil {
		return nil, err
	}
	var c wire.Check
	if err := c.Required("refresh_token", req.RefreshToken).Err(); err != nil {
		return nil, err
	}
	if a := wire.Actor(r); !a.IsAnonymous() {
		if err := auth.CheckScope(a.Scopes, a.ClientID, "offline_access"); err != nil {
			return nil, err
		}
	}
	return h.Accounts.Refresh(r.Context(), req.RefreshToken)
}

func (h *handler) signOut(w http.ResponseWriter, r *http.Request) (any, error) {
	var req tokenRequest
	if err := wire.Decode(r, &req); err != nil {
		return nil, err
	}
	var c wire.Check
	if err := c.Required("refresh_token", req.RefreshToken).Err(); err != nil {
		return nil, err
	}
	if err := h.Accounts.SignOut(r.Context(), req.RefreshToken); err != nil {
		return nil, err
	}
	return "", nil
}
