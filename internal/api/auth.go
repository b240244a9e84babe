package api

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/stratus-drive/stratus/internal/account"
	"github.com/stratus-drive/stratus/internal/api/wire"
	"github.com/stratus-drive/stratus/internal/auth"
	"github.com/stratus-drive/stratus/internal/drive"
	"github.com/stratus-drive/stratus/internal/errs"
	"github.com/stratus-drive/stratus/internal/throttle"
)

type authErrKey struct{}

// authenticate resolves the bearer token before routing. A bad token leaves
// the request anonymous for public routes, and the error is kept so that
// routes needing a session refuse it instead of serving it as anonymous.
func (h *handler) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		token := strings.TrimSpace(strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer "))
		if strings.HasPrefix(token, "Cr ") {
			token = "" // signed internal requests are verified by their own routes
		}
		ctx := r.Context()
		actor, err := h.Accounts.ResolveActor(ctx, token)
		if err != nil {
			ctx = context.WithValue(ctx, authErrKey{}, sessionError(err))
			anon, aerr := h.Accounts.Anonymous(ctx)
			if aerr != nil {
				h.wire.WriteError(w, r, aerr)
				return
			}
			actor = drive.Actor{User: anon}
		} else if !actor.IsAnonymous() {
			throttle.Vouch(ctx)
		}
		next.ServeHTTP(w, r.WithContext(wire.WithActor(ctx, actor)))
	})
}

// sessionError keeps errors the client must see as such (banned, wrong
// token type, database down) and turns any other token problem into
// "login required", which makes clients sign in again.
func sessionError(err error) error {
	switch {
	case errs.Is(errs.Permission, err), errs.Is(errs.Internal, err), errs.Is(errs.Unavailable, err):
		return err
	case isWrongTokenType(err):
		return err
	}
	// The cause stays for logs and debug output; the outermost condition
	// decides the code, so its own (40020 for a bad signature) does not win
	// over "login required".
	return errs.E("api.authenticate", account.ErrNotSignedIn, err)
}

func authError(r *http.Request) error {
	err, _ := r.Context().Value(authErrKey{}).(error)
	return err
}

func isWrongTokenType(err error) bool {
	return errors.Is(err, auth.ErrNotAccessToken) || errors.Is(err, auth.ErrNotRefreshToken)
}
