package api

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stratus-drive/stratus/internal/account"
	"github.com/stratus-drive/stratus/internal/api/wire"
	"github.com/stratus-drive/stratus/internal/config"
	"github.com/stratus-drive/stratus/internal/directlink"
	"github.com/stratus-drive/stratus/internal/drive"
	"github.com/stratus-drive/stratus/internal/files/filestest"
	"github.com/stratus-drive/stratus/internal/hashid"
	"github.com/stratus-drive/stratus/internal/share"
)

// TestBadInputCodes is the table of bad requests per endpoint and the
// Cloudreve code each must answer, against the handlers over real services
// on SQLite (the whole server over loopback is e2e's).
func TestBadInputCodes(t *testing.T) {
	env := filestest.New(t)
	accounts := account.New(account.Deps{DB: env.DB, Settings: env.Settings, KV: env.KV, IDs: env.IDs, Log: env.Log,
		Now: env.Clock.Now})
	h := New(Deps{Accounts: accounts, Files: env.Files, Shares: share.New(env.DB, env.Files, env.IDs, env.Settings),
		DirectLinks: directlink.New(env.DB, env.Files, env.IDs), Settings: env.Settings, IDs: env.IDs,
		Config: config.Default(), Log: slog.New(slog.DiscardHandler)})
	if _, err := accounts.SignUp(env.Ctx, "alice@example.com", "password 1", "en-US", account.CaptchaAnswer{}); err != nil {
		t.Fatal(err)
	}
	res, err := accounts.SignIn(env.Ctx, "192.0.2.1", "alice@example.com", "password 1", account.CaptchaAnswer{})
	if err != nil {
		t.Fatal(err)
	}
	token := res.Login.Token.AccessToken
	if _, err := env.Files.Create(env.Ctx, mustActor(t, accounts, token), "cloudreve://my/a.txt", 0, nil, true); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, method, path, body string
		signedIn                 bool
		want                     wire.Code
	}{
		{"sign in, body not JSON", "POST", "/session/token", "{", false, wire.CodeParamErr},
		{"sign in, wrong password", "POST", "/session/token", `{"email":"alice@example.com","password":"nope"}`,
			false, wire.CodeInvalidEmailOrPassword},
		{"refresh, garbage token", "POST", "/session/token/refresh", `{"refresh_token":"x.y.z"}`, false,
			wire.CodeCredentialInvalid},
		{"me, signed out", "GET", "/user/me", "", false, wire.CodeLoginRequired},
		{"list, a URI that is not one", "GET", "/file?uri=http://x", "", true, wire.CodeParamErr},
		{"list, a missing folder", "GET", "/file?uri=cloudreve://my/missing", "", true, wire.CodeParentNotExist},
		{"list, someone's trash signed out", "GET", "/file?uri=cloudreve://trash", "", false, wire.CodeLoginRequired},
		{"create, an existing name", "POST", "/file/create", `{"uri":"cloudreve://my/a.txt","type":"file","err_on_conflict":true}`,
			true, wire.CodeObjectExist},
		{"create, an unknown type", "POST", "/file/create", `{"uri":"cloudreve://my/b","type":"pipe"}`, true,
			wire.CodeParamErr},
		{"rename, an illegal name", "POST", "/file/rename", `{"uri":"cloudreve://my/a.txt","new_name":"a/b"}`, true,
			wire.CodeIllegalObjectName},
		{"delete, no URIs", "DELETE", "/file", `{"uris":[]}`, true, wire.CodeParamErr},
		{"share, the root", "PUT", "/share", `{"uri":"cloudreve://my"}`, true, wire.CodeNoPermission},
		{"share info, a malformed ID", "GET", "/share/info/!!", "", false, wire.CodeParamErr},
		{"share info, an unknown ID", "GET", "/share/info/" + env.IDs.Encode(9999, hashid.Share), "", false,
			wire.CodeNotFound},
		{"direct link, a malformed ID", "DELETE", "/file/source/!!", "", true, wire.CodeParamErr},
		{"direct link, an unknown ID", "DELETE", "/file/source/" + env.IDs.Encode(9999, hashid.SourceLink), "", true,
			wire.CodeNotFound},
	} {
		req := httptest.NewRequest(c.method, Prefix+c.path, strings.NewReader(c.body))
		if c.body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		if c.signedIn {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		var resp wire.Response
		if err := json.NewDecoder(rec.Body).Decode(&resp); err != nil {
			t.Errorf("%s: HTTP %d, body not an envelope: %v", c.name, rec.Code, err)
			continue
		}
		if resp.Code != c.want || rec.Code != http.StatusOK && rec.Code != http.StatusUnauthorized {
			t.Errorf("%s: HTTP %d code %d %q, want code %d", c.name, rec.Code, resp.Code, resp.Msg, c.want)
		}
	}
}

func mustActor(t *testing.T, accounts *account.Service, token string) drive.Actor {
	t.Helper()
	actor, err := accounts.ResolveActor(t.Context(), token)
	if err != nil {
		t.Fatal(err)
	}
	return actor
}
