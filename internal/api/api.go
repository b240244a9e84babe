// Package api serves the Cloudreve v4 REST API under /api/v4. Handlers decode
// a request, call one service method and return the payload; wire writes the
// envelope and maps errors. Handlers never check ownership or touch SQL.
package api

import (
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/stratus-drive/stratus/internal/account"
	adminsvc "github.com/stratus-drive/stratus/internal/admin"
	adminapi "github.com/stratus-drive/stratus/internal/api/admin"
	"github.com/stratus-drive/stratus/internal/api/wire"
	"github.com/stratus-drive/stratus/internal/archiver"
	"github.com/stratus-drive/stratus/internal/auth"
	"github.com/stratus-drive/stratus/internal/config"
	"github.com/stratus-drive/stratus/internal/directlink"
	"github.com/stratus-drive/stratus/internal/files"
	"github.com/stratus-drive/stratus/internal/hashid"
	"github.com/stratus-drive/stratus/internal/media"
	"github.com/stratus-drive/stratus/internal/metrics"
	"github.com/stratus-drive/stratus/internal/setting"
	"github.com/stratus-drive/stratus/internal/share"
	"github.com/stratus-drive/stratus/internal/throttle"
)

// Prefix is where the API lives.
const Prefix = "/api/v4"

// Deps are what the handlers call.
type Deps struct {
	Accounts    *account.Service
	Files       *files.Service
	Media       *media.Service
	Archives    *archiver.Service
	DirectLinks *directlink.Service
	Shares      *share.Service
	Settings    *setting.Service
	Admin       *adminsvc.Service
	IDs         *hashid.Codec
	Version     string
	Config      config.Config
	Log         *slog.Logger
}

type handler struct {
	Deps
	wire   wire.Options
	mux    *http.ServeMux
	chunks *chunkAttempts
}

// New returns the /api/v4 handler tree.
func New(d Deps) http.Handler {
	h := &handler{Deps: d, wire: wire.Options{Debug: d.Config.System.Debug, Log: d.Log}, mux: http.NewServeMux(),
		chunks: &chunkAttempts{m: map[string]*chunkAttempt{}}}
	h.routes()
	var root http.Handler = h.knownRoutes(h.mux)
	root = h.authenticate(root)
	root = h.syncSettings(root)
	root = h.noCache(root)
	if d.Config.CORS.Enabled() {
		root = corsMiddleware(d.Config.CORS, root)
	}
	root = h.logRequests(root)
	root = warnUnconfiguredProxy(d.Log, d.Config.System.ProxyHeader, root)
	root = h.recoverPanics(root)
	return root
}

func (h *handler) routes() {
	// Site.
	h.handle("GET /site/ping", h.public(h.ping))
	h.handle("GET /site/captcha", h.public(h.captcha))
	h.handle("GET /site/config/{section}", h.public(h.siteConfig))

	// Session.
	h.handle("GET /session/prepare", h.public(h.prepareLogin))
	h.handle("POST /session/token", h.public(h.signIn))
	h.handle("POST /session/token/2fa", h.public(h.signIn2FA))
	h.handle("POST /session/token/refresh", h.public(h.refresh))
	h.handle("DELETE /session/token", h.public(h.signOut))

	// User.
	h.handle("POST /user", h.public(h.signUp))
	h.handle("GET /user/activate/{id}", h.public(h.activate))
	h.handle("POST /user/reset", h.public(h.requestReset))
	h.handle("PATCH /user/reset/{id}", h.public(h.resetPassword))
	h.handle("GET /user/me", h.login("UserInfo.Read", h.me))
	h.handle("GET /user/info/{id}", h.public(h.userInfo))
	h.mux.Handle("GET "+Prefix+"/user/avatar/{id}", h.wire.HandleRaw(h.avatar))
	h.handle("PUT /user/setting/avatar", h.login("UserInfo.Write", h.setAvatar))
	h.handle("GET /user/capacity", h.login("UserInfo.Read", h.capacity))
	h.handle("GET /user/search", h.login("UserInfo.Read", h.searchUsers))
	h.handle("GET /user/setting", h.login("UserInfo.Read", h.preferences))
	h.handle("PATCH /user/setting", h.login("UserInfo.Write", h.updatePreferences))
	h.handle("GET /user/setting/2fa", h.login("UserInfo.Read", h.prepare2FA))
	h.handle("GET /user/setting/policies", h.login("UserInfo.Read", h.policies))
	h.handle("GET /user/setting/nodes", h.login("UserInfo.Read", h.nodes))
	h.handle("GET /group/list", h.login("", h.groups))

	// Files. The filesystem itself decides who may do what (my and trash
	// need a session; shares may not), so these routes take any caller.
	h.handle("GET /file", h.scoped("Files.Read", h.listFiles))
	h.handle("GET /file/info", h.scoped("Files.Read", h.fileInfo))
	h.handle("POST /file/create", h.scoped("Files.Write", h.createFile))
	h.handle("POST /file/rename", h.scoped("Files.Write", h.renameFile))
	h.handle("POST /file/move", h.scoped("Files.Write", h.moveFiles))
	h.handle("DELETE /file", h.scoped("Files.Write", h.deleteFiles))
	h.handle("POST /file/restore", h.scoped("Files.Write", h.restoreFiles))
	h.handle("DELETE /file/trash", h.scoped("Files.Write", h.emptyTrash))
	h.handle("PATCH /file/metadata", h.scoped("Files.Write", h.patchMetadata))
	h.handle("PUT /file/pin", h.scoped("Files.Write", h.pinFile))
	h.handle("DELETE /file/pin", h.scoped("Files.Write", h.unpinFile))
	h.handle("PATCH /file/view", h.scoped("Files.Write", h.patchView))
	h.handle("POST /file/version/current", h.scoped("Files.Write", h.setCurrentVersion))
	h.handle("DELETE /file/version", h.scoped("Files.Write", h.deleteVersion))
	h.handle("PUT /file/upload", h.scoped("Files.Write", h.createUpload))
	h.handle("POST /file/upload/{session}/{index}", h.scoped("Files.Write", h.uploadChunk))
	h.handle("DELETE /file/upload", h.scoped("Files.Write", h.cancelUpload))
	h.handle("DELETE /file/lock", h.scoped("Files.Write", h.forceUnlock))
	h.handle("POST /file/url", h.scoped("Files.Read", h.fileURLs))
	h.handle("GET /file/thumb", h.scoped("Files.Read", h.thumbnail))
	h.handle("GET /file/archive", h.scoped("Files.Read", h.listArchive))
	h.handle("PUT /file/source", h.login("Files.Write", h.createDirectLinks))
	h.handle("DELETE /file/source/{id}", h.scoped("Files.Read", h.deleteDirectLink))
	h.handle("PUT /file/content", h.scoped("Files.Write", h.replaceContent))
	// Shares.
	h.handle("PUT /share", h.login("Shares.Write", h.createShare))
	h.handle("GET /share", h.login("Shares.Read", h.listShares))
	h.handle("POST /share/{id}", h.login("Shares.Write", h.editShare))
	h.handle("DELETE /share/{id}", h.login("Shares.Write", h.deleteShare))
	h.handle("DELETE /share", h.login("Shares.Write", h.deleteShares))
	h.handle("GET /user/shares/{id}", h.scoped("Shares.Read", h.userShares))
	h.handle("GET /share/info/{id}", h.scoped("Shares.Read", h.shareInfo))

	// WebDAV accounts.
	h.handle("GET /devices/dav", h.login("DavAccount.Read", h.listDavAccounts))
	h.handle("PUT /devices/dav", h.login("DavAccount.Write", h.createDavAccount))
	h.handle("PATCH /devices/dav/{id}", h.login("DavAccount.Write", h.editDavAccount))
	h.handle("DELETE /devices/dav/{id}", h.login("DavAccount.Write", h.deleteDavAccount))

	// Administration, and the abuse reports it reads.
	if h.Admin != nil {
		h.handle("POST /site/abuse", h.scoped("", h.reportAbuse))
		adminapi.Register(h.mux, Prefix+"/admin", adminapi.Deps{Service: h.Admin, IDs: h.IDs, Wire: h.wire,
			Guard: h.login, ClientIP: h.clientIP})
	}

	h.mux.Handle("GET "+Prefix+"/file/archive/{session}/archive.zip", h.wire.HandleRaw(h.archiveContent))
	content := contentCORS(h.wire.HandleRaw(h.entityContent))
	for _, m := range []string{"GET", "HEAD", "OPTIONS"} {
		h.mux.Handle(m+" "+Prefix+"/file/content/{id}/{speed}/{name}", content)
	}
}

func (h *handler) handle(pattern string, fn wire.HandlerFunc) {
	method, path, _ := strings.Cut(pattern, " ")
	h.mux.Handle(method+" "+Prefix+path, h.wire.Handle(fn))
}

// public wraps a handler that works for anyone, signed in or not.
func (h *handler) public(fn wire.HandlerFunc) wire.HandlerFunc { return fn }

// scoped wraps a handler open to anonymous callers that still checks a
// scoped token's scope and refuses a bad token outright.
func (h *handler) scoped(scope string, fn wire.HandlerFunc) wire.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) (any, error) {
		if err := authError(r); err != nil {
			return nil, err
		}
		a := wire.Actor(r)
		if err := auth.CheckScope(a.Scopes, a.ClientID, scope); err != nil {
			return nil, err
		}
		return fn(w, r)
	}
}

// login wraps a handler that needs a signed-in user and, for OAuth-scoped
// tokens, the given scope ("" = none).
func (h *handler) login(scope string, fn wire.HandlerFunc) wire.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) (any, error) {
		if err := authError(r); err != nil {
			return nil, err
		}
		a := wire.Actor(r)
		if a.IsAnonymous() {
			return nil, account.ErrNotSignedIn
		}
		if err := auth.CheckScope(a.Scopes, a.ClientID, scope); err != nil {
			return nil, err
		}
		return fn(w, r)
	}
}

// clientIP is the address the request came from (see throttle.ClientIP).
func (h *handler) clientIP(r *http.Request) string {
	return throttle.ClientIP(r, h.Config.System.ProxyHeader)
}

// warnUnconfiguredProxy logs once, on the first request that arrives
// through a reverse proxy while no proxy header is configured: until it is,
// every client shares the proxy's address in the sign-in and share-password
// throttles.
func warnUnconfiguredProxy(log *slog.Logger, proxyHeader string, next http.Handler) http.Handler {
	var once sync.Once
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if hdr, ok := throttle.FromUnconfiguredProxy(r, proxyHeader); ok {
			once.Do(func() {
				log.Warn("requests arrive through a reverse proxy but [System] ProxyHeader is not set: "+
					"all clients share the proxy's address in rate limits", "peer", r.RemoteAddr, "header", hdr)
			})
		}
		next.ServeHTTP(w, r)
	})
}

// knownRoutes answers a plain 404 for every request no route takes
// (10-conventions §5), an unknown path or a known path with another
// method, where the router would answer 405.
func (h *handler) knownRoutes(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, pattern := h.mux.Handler(r)
		if pattern == "" {
			http.NotFound(w, r)
			return
		}
		metrics.SetRoute(r, pattern)
		next.ServeHTTP(w, r)
	})
}

// syncSettings reloads the site settings before a request when another
// process changed them, so an administrator's change applies to the very
// next request on every process (one KV read per request otherwise). A KV
// failure is logged and the request goes on with the settings it has.
func (h *handler) syncSettings(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := h.Settings.Sync(r.Context()); err != nil && r.Context().Err() == nil {
			h.Log.Warn("syncing settings failed", "err", err)
		}
		next.ServeHTTP(w, r)
	})
}

func (h *handler) noCache(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "private, no-cache")
		next.ServeHTTP(w, r)
	})
}

func (h *handler) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				h.Log.Error("panic serving request", "path", r.URL.Path, "panic", v,
					"correlation_id", wire.CorrelationID(r.Context()))
				w.WriteHeader(http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(w, r)
	})
}

func (h *handler) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		r, id := wire.WithCorrelationID(r)
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(sw, r)
		h.Log.Debug("request", "method", r.Method, "path", r.URL.Path, "status", sw.status,
			"duration", time.Since(start), "correlation_id", id)
	})
}

// statusWriter records the status for the access log. It forwards Unwrap so
// http.ResponseController still reaches the real writer.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// ReadFrom keeps the sendfile path of the real writer reachable: without it
// io.Copy from an *os.File would fall back to a user-space copy.
func (w *statusWriter) ReadFrom(r io.Reader) (int64, error) {
	if rf, ok := w.ResponseWriter.(io.ReaderFrom); ok {
		return rf.ReadFrom(r)
	}
	return io.Copy(w.ResponseWriter, r)
}

func corsMiddleware(c config.CORS, next http.Handler) http.Handler {
	methods := strings.Join(c.AllowMethods, ", ")
	headers := strings.Join(c.AllowHeaders, ", ")
	expose := strings.Join(c.ExposeHeaders, ", ")
	allowed := func(origin string) bool {
		for _, o := range c.AllowOrigins {
			if o == "*" || strings.EqualFold(o, origin) {
				return true
			}
		}
		return false
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		origin := r.Header.Get("Origin")
		if origin != "" && allowed(origin) {
			hd := w.Header()
			hd.Add("Vary", "Origin")
			hd.Set("Access-Control-Allow-Origin", origin)
			if c.AllowCredentials {
				hd.Set("Access-Control-Allow-Credentials", "true")
			}
			if expose != "" {
				hd.Set("Access-Control-Expose-Headers", expose)
			}
			if r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" {
				hd.Set("Access-Control-Allow-Methods", methods)
				hd.Set("Access-Control-Allow-Headers", headers)
				hd.Set("Access-Control-Max-Age", "43200")
				w.WriteHeader(http.StatusNoContent)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}
