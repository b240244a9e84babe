// Package admin serves /api/v4/admin/*: it decodes each request, calls one
// method of the admin service and renders database rows the way the
// contract shows them (60-admin). The service decides who may do what; the
// routes only add the session and scope checks every API route has.
package admin

import (
	"net/http"
	"strconv"
	"strings"

	service "github.com/stratus-drive/stratus/internal/admin"
	"github.com/stratus-drive/stratus/internal/api/wire"
	"github.com/stratus-drive/stratus/internal/drive"
	"github.com/stratus-drive/stratus/internal/errs"
	"github.com/stratus-drive/stratus/internal/hashid"
)

// Deps are what the routes need.
type Deps struct {
	Service *service.Service
	IDs     *hashid.Codec
	Wire    wire.Options
	// Guard wraps a handler with the API's session checks: a signed-in user
	// and, for scoped tokens, the scope.
	Guard func(scope string, fn wire.HandlerFunc) wire.HandlerFunc
	// ClientIP is the caller's address as the API sees it (proxy header
	// aware), for the audit log.
	ClientIP func(*http.Request) string
}

// Scopes an OAuth token needs (90-newer-versions §2.1).
const (
	scopeRead  = "Admin.Read"
	scopeWrite = "Admin.Write"
)

type routes struct {
	Deps
	svc *service.Service
}

// Register mounts the admin routes on mux below prefix (/api/v4/admin).
func Register(mux *http.ServeMux, prefix string, d Deps) {
	h := &routes{Deps: d, svc: d.Service}
	read := func(pattern string, fn wire.HandlerFunc) { h.mount(mux, prefix, pattern, scopeRead, fn) }
	write := func(pattern string, fn wire.HandlerFunc) { h.mount(mux, prefix, pattern, scopeWrite, fn) }

	read("GET /summary", h.summary)
	read("POST /settings", h.settings)
	write("PATCH /settings", h.patchSettings)

	read("POST /group", h.groups)
	read("GET /group/{id}", h.group)
	write("PUT /group", h.createGroup)
	write("PUT /group/{id}", h.updateGroup)
	write("DELETE /group/{id}", h.deleteGroup)

	read("POST /user", h.users)
	read("GET /user/{id}", h.user)
	write("PUT /user", h.createUser)
	write("PUT /user/{id}", h.updateUser)
	write("POST /user/batch/delete", h.deleteUsers)
	write("POST /user/{id}/calibrate", h.calibrateUser)

	read("POST /file", h.files)
	read("GET /file/{id}", h.file)
	write("PUT /file/{id}", h.updateFile)
	read("GET /file/url/{id}", h.fileURL)
	write("POST /file/batch/delete", h.deleteFiles)

	read("POST /entity", h.entities)
	read("GET /entity/{id}", h.entity)
	read("GET /entity/url/{id}", h.entityURL)
	write("POST /entity/batch/delete", h.deleteEntities)

	read("GET /queue/metrics", h.queueMetrics)
	read("POST /queue", h.tasks)
	read("GET /queue/{id}", h.task)
	write("POST /queue/batch/delete", h.deleteTasks)
	write("POST /queue/cleanup", h.cleanupTasks)

	read("POST /share", h.shares)
	read("GET /share/{id}", h.share)
	write("POST /share/batch/delete", h.deleteShares)

	read("POST /policy", h.policies)
	read("GET /policy/{id}", h.policy)
	write("PUT /policy", h.createPolicy)
	write("PUT /policy/{id}", h.updatePolicy)
	write("DELETE /policy/{id}", h.deletePolicy)
	write("POST /policy/cors", h.policyCORS)
	write("POST /policy/oauth/signin", h.oauthSignIn)
	read("GET /policy/oauth/redirect", h.oauthRedirect)
	read("GET /policy/oauth/status/{id}", h.oauthStatus)
	write("POST /policy/oauth/callback", h.oauthCallback)
	read("GET /policy/oauth/root/{id}", h.sharePointDrive)

	read("POST /node", h.nodes)
	read("GET /node/{id}", h.node)
	write("PUT /node", h.createNode)
	write("PUT /node/{id}", h.updateNode)
	write("DELETE /node/{id}", h.deleteNode)
	write("POST /node/test", h.testNode)
	write("POST /node/test/downloader", h.testNodeDownloader)

	write("GET /tool/wopi", h.wopi)
	write("POST /tool/thumbExecutable", h.thumbExecutable)
	write("POST /tool/mail", h.testMail)
	write("DELETE /tool/entityUrlCache", h.flushCaches)

	read("POST /audit", h.audit)
	read("POST /abuse", h.abuseReports)
	write("POST /abuse/batch/delete", h.dismissAbuseReports)
}

func (h *routes) mount(mux *http.ServeMux, prefix, pattern, scope string, fn wire.HandlerFunc) {
	method, path, _ := strings.Cut(pattern, " ")
	mux.Handle(method+" "+prefix+path, h.Wire.Handle(h.Guard(scope, func(w http.ResponseWriter, r *http.Request) (any, error) {
		if err := service.Authorize(wire.Actor(r)); err != nil {
			return nil, err
		}
		return fn(w, r)
	})))
}

// actor is the caller with where the call came from, for the audit log.
func (h *routes) actor(r *http.Request) drive.Actor {
	a := wire.Actor(r)
	a.IP = h.ClientIP(r)
	a.RequestID = wire.CorrelationID(r.Context())
	return a
}

var errBadID = errs.E("admin.pathID", errs.Invalid, "ID must be a positive number")

// pathID reads the plain integer id of an admin path (60-admin §1).
func pathID(r *http.Request) (int, error) {
	id, err := strconv.Atoi(r.PathValue("id"))
	if err != nil || id <= 0 {
		return 0, errBadID
	}
	return id, nil
}

// list is the response of every admin list: the items under key.
func list(key string, items any, p service.Pagination) map[string]any {
	return map[string]any{key: items, "pagination": p}
}

type idsBody struct {
	IDs   []int `json:"ids"`
	Force bool  `json:"force"`
}

func decodeList(r *http.Request) (service.ListRequest, error) {
	var lr service.ListRequest
	err := wire.Decode(r, &lr)
	return lr, err
}
