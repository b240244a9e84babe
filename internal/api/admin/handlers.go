package admin

import (
	"net/http"
	"time"

	service "github.com/stratus-drive/stratus/internal/admin"
	"github.com/stratus-drive/stratus/internal/api/wire"
	"github.com/stratus-drive/stratus/internal/drive"
	"github.com/stratus-drive/stratus/internal/errs"
)

func (h *routes) summary(w http.ResponseWriter, r *http.Request) (any, error) {
	return h.svc.Summary(r.Context(), h.actor(r), wire.QueryBool(r, "generate"))
}

func (h *routes) settings(w http.ResponseWriter, r *http.Request) (any, error) {
	var body struct {
		Keys []string `json:"keys"`
	}
	if err := wire.Decode(r, &body); err != nil {
		return nil, err
	}
	return h.svc.Settings(r.Context(), h.actor(r), body.Keys)
}

func (h *routes) patchSettings(w http.ResponseWriter, r *http.Request) (any, error) {
	var body struct {
		Settings map[string]string `json:"settings"`
	}
	if err := wire.Decode(r, &body); err != nil {
		return nil, err
	}
	return h.svc.PatchSettings(r.Context(), h.actor(r), body.Settings)
}

// ---- Groups ----

func (h *routes) groups(w http.ResponseWriter, r *http.Request) (any, error) {
	lr, err := decodeList(r)
	if err != nil {
		return nil, err
	}
	gs, p, err := h.svc.Groups(r.Context(), h.actor(r), lr)
	if err != nil {
		return nil, err
	}
	out := make([]*groupJSON, 0, len(gs))
	for _, v := range gs {
		out = append(out, groupOut(v.Group, v.Policy))
	}
	return list("groups", out, p), nil
}

func groupViewOut(v service.GroupView) *groupJSON {
	out := groupOut(v.Group, v.Policy)
	n := v.TotalUsers
	out.TotalUsers = &n
	return out
}

func (h *routes) group(w http.ResponseWriter, r *http.Request) (any, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	v, err := h.svc.Group(r.Context(), h.actor(r), id, r.URL.Query().Get("countUser") != "")
	if err != nil {
		return nil, err
	}
	return groupViewOut(v), nil
}

func (h *routes) saveGroup(r *http.Request, create bool) (any, error) {
	var body struct {
		Group *groupJSON `json:"group"`
	}
	if err := wire.Decode(r, &body); err != nil {
		return nil, err
	}
	if body.Group == nil {
		return nil, errs.E("admin.saveGroup", errs.Invalid, "Group is required")
	}
	g, err := body.Group.group()
	if err != nil {
		return nil, errs.E("admin.saveGroup", errs.Invalid, "Permissions is not a boolset")
	}
	v, err := h.svc.SaveGroup(r.Context(), h.actor(r), g, create, r.URL.Query().Get("countUser") != "")
	if err != nil {
		return nil, err
	}
	return groupViewOut(v), nil
}

func (h *routes) createGroup(w http.ResponseWriter, r *http.Request) (any, error) {
	return h.saveGroup(r, true)
}

// updateGroup takes the ID from the body; the path's is ignored (60-admin §1).
func (h *routes) updateGroup(w http.ResponseWriter, r *http.Request) (any, error) {
	return h.saveGroup(r, false)
}

func (h *routes) deleteGroup(w http.ResponseWriter, r *http.Request) (any, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	return nil, h.svc.DeleteGroup(r.Context(), h.actor(r), id)
}

// ---- Users ----

func (h *routes) users(w http.ResponseWriter, r *http.Request) (any, error) {
	lr, err := decodeList(r)
	if err != nil {
		return nil, err
	}
	us, p, err := h.svc.Users(r.Context(), h.actor(r), lr)
	if err != nil {
		return nil, err
	}
	out := make([]*userJSON, 0, len(us))
	for _, v := range us {
		out = append(out, userViewOut(h.IDs, v, false))
	}
	return list("users", out, p), nil
}

func (h *routes) user(w http.ResponseWriter, r *http.Request) (any, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	v, err := h.svc.User(r.Context(), h.actor(r), id)
	if err != nil {
		return nil, err
	}
	return userViewOut(h.IDs, v, true), nil
}

func (h *routes) decodeUser(r *http.Request) (service.UserEdit, error) {
	var body struct {
		User     *userJSON `json:"user"`
		Password string    `json:"password"`
		TwoFA    string    `json:"two_fa"`
	}
	if err := wire.Decode(r, &body); err != nil {
		return service.UserEdit{}, err
	}
	if body.User == nil {
		return service.UserEdit{}, errs.E("admin.decodeUser", errs.Invalid, "User is required")
	}
	u := body.User
	e := service.UserEdit{Password: body.Password, TwoFA: body.TwoFA}
	e.User.ID, e.User.Email, e.User.Nick, e.User.Avatar = u.ID, u.Email, u.Nick, u.Avatar
	e.User.Status, e.User.GroupID = drive.UserStatus(u.Status), u.GroupUsers
	if e.User.GroupID == 0 && u.Edges.Group != nil {
		e.User.GroupID = u.Edges.Group.ID
	}
	return e, nil
}

func (h *routes) createUser(w http.ResponseWriter, r *http.Request) (any, error) {
	e, err := h.decodeUser(r)
	if err != nil {
		return nil, err
	}
	v, err := h.svc.CreateUser(r.Context(), h.actor(r), e)
	if err != nil {
		return nil, err
	}
	return userViewOut(h.IDs, v, true), nil
}

// updateUser takes the ID from the body; the path's is ignored (60-admin §1).
func (h *routes) updateUser(w http.ResponseWriter, r *http.Request) (any, error) {
	e, err := h.decodeUser(r)
	if err != nil {
		return nil, err
	}
	v, err := h.svc.UpdateUser(r.Context(), h.actor(r), e)
	if err != nil {
		return nil, err
	}
	return userViewOut(h.IDs, v, true), nil
}

func (h *routes) deleteUsers(w http.ResponseWriter, r *http.Request) (any, error) {
	var body idsBody
	if err := wire.Decode(r, &body); err != nil {
		return nil, err
	}
	return nil, h.svc.DeleteUsers(r.Context(), h.actor(r), body.IDs)
}

func (h *routes) calibrateUser(w http.ResponseWriter, r *http.Request) (any, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	v, err := h.svc.CalibrateUser(r.Context(), h.actor(r), id)
	if err != nil {
		return nil, err
	}
	return userViewOut(h.IDs, v, true), nil
}

// ---- Files and blobs ----

func (h *routes) files(w http.ResponseWriter, r *http.Request) (any, error) {
	lr, err := decodeList(r)
	if err != nil {
		return nil, err
	}
	fs, p, err := h.svc.Files(r.Context(), h.actor(r), lr)
	if err != nil {
		return nil, err
	}
	out := make([]*fileJSON, 0, len(fs))
	for _, v := range fs {
		out = append(out, fileOut(h.IDs, v))
	}
	return list("files", out, p), nil
}

func (h *routes) file(w http.ResponseWriter, r *http.Request) (any, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	v, err := h.svc.File(r.Context(), h.actor(r), id)
	if err != nil {
		return nil, err
	}
	return fileOut(h.IDs, v), nil
}

// updateFile takes the ID from the body; the path's is ignored (60-admin §1).
func (h *routes) updateFile(w http.ResponseWriter, r *http.Request) (any, error) {
	var body struct {
		File *fileEditJSON `json:"file"`
	}
	if err := wire.Decode(r, &body); err != nil {
		return nil, err
	}
	if body.File == nil {
		return nil, errs.E("admin.updateFile", errs.Invalid, "File is required")
	}
	v, err := h.svc.UpdateFile(r.Context(), h.actor(r), body.File.edit())
	if err != nil {
		return nil, err
	}
	return fileOut(h.IDs, v), nil
}

func (h *routes) fileURL(w http.ResponseWriter, r *http.Request) (any, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	return h.svc.FileURL(r.Context(), h.actor(r), id)
}

func (h *routes) deleteFiles(w http.ResponseWriter, r *http.Request) (any, error) {
	var body idsBody
	if err := wire.Decode(r, &body); err != nil {
		return nil, err
	}
	return nil, h.svc.DeleteFiles(r.Context(), h.actor(r), body.IDs)
}

func (h *routes) entities(w http.ResponseWriter, r *http.Request) (any, error) {
	lr, err := decodeList(r)
	if err != nil {
		return nil, err
	}
	es, p, err := h.svc.Entities(r.Context(), h.actor(r), lr)
	if err != nil {
		return nil, err
	}
	out := make([]*entityJSON, 0, len(es))
	for _, v := range es {
		out = append(out, entityOut(h.IDs, v))
	}
	return list("entities", out, p), nil
}

func (h *routes) entity(w http.ResponseWriter, r *http.Request) (any, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	v, err := h.svc.Entity(r.Context(), h.actor(r), id)
	if err != nil {
		return nil, err
	}
	return entityOut(h.IDs, v), nil
}

func (h *routes) entityURL(w http.ResponseWriter, r *http.Request) (any, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	return h.svc.EntityURL(r.Context(), h.actor(r), id)
}

func (h *routes) deleteEntities(w http.ResponseWriter, r *http.Request) (any, error) {
	var body idsBody
	if err := wire.Decode(r, &body); err != nil {
		return nil, err
	}
	return nil, h.svc.DeleteEntities(r.Context(), h.actor(r), body.IDs, body.Force)
}

// ---- Task queue ----

func (h *routes) queueMetrics(w http.ResponseWriter, r *http.Request) (any, error) {
	return h.svc.QueueMetrics(r.Context(), h.actor(r))
}

func (h *routes) tasks(w http.ResponseWriter, r *http.Request) (any, error) {
	lr, err := decodeList(r)
	if err != nil {
		return nil, err
	}
	ts, p, err := h.svc.Tasks(r.Context(), h.actor(r), lr)
	if err != nil {
		return nil, err
	}
	return list("tasks", ts, p), nil
}

func (h *routes) task(w http.ResponseWriter, r *http.Request) (any, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	return h.svc.Task(r.Context(), h.actor(r), id)
}

func (h *routes) deleteTasks(w http.ResponseWriter, r *http.Request) (any, error) {
	var body idsBody
	if err := wire.Decode(r, &body); err != nil {
		return nil, err
	}
	return nil, h.svc.DeleteTasks(r.Context(), h.actor(r), body.IDs)
}

func (h *routes) cleanupTasks(w http.ResponseWriter, r *http.Request) (any, error) {
	var body struct {
		NotAfter time.Time `json:"not_after"`
		Types    []string  `json:"types"`
		Status   []string  `json:"status"`
	}
	if err := wire.Decode(r, &body); err != nil {
		return nil, err
	}
	return nil, h.svc.CleanupTasks(r.Context(), h.actor(r), body.NotAfter, body.Types, body.Status)
}

// ---- Shares ----

func (h *routes) shares(w http.ResponseWriter, r *http.Request) (any, error) {
	lr, err := decodeList(r)
	if err != nil {
		return nil, err
	}
	ss, p, err := h.svc.Shares(r.Context(), h.actor(r), lr)
	if err != nil {
		return nil, err
	}
	out := make([]*shareJSON, 0, len(ss))
	for _, v := range ss {
		out = append(out, shareOut(h.IDs, v))
	}
	return list("shares", out, p), nil
}

func (h *routes) share(w http.ResponseWriter, r *http.Request) (any, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	v, err := h.svc.Share(r.Context(), h.actor(r), id)
	if err != nil {
		return nil, err
	}
	return shareOut(h.IDs, v), nil
}

func (h *routes) deleteShares(w http.ResponseWriter, r *http.Request) (any, error) {
	var body idsBody
	if err := wire.Decode(r, &body); err != nil {
		return nil, err
	}
	return nil, h.svc.DeleteShares(r.Context(), h.actor(r), body.IDs)
}

// ---- Storage policies ----

func (h *routes) policies(w http.ResponseWriter, r *http.Request) (any, error) {
	lr, err := decodeList(r)
	if err != nil {
		return nil, err
	}
	ps, p, err := h.svc.Policies(r.Context(), h.actor(r), lr)
	if err != nil {
		return nil, err
	}
	out := make([]*policyJSON, 0, len(ps))
	for _, v := range ps {
		out = append(out, policyViewOut(v))
	}
	return list("policies", out, p), nil
}

func (h *routes) policy(w http.ResponseWriter, r *http.Request) (any, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	v, err := h.svc.Policy(r.Context(), h.actor(r), id, r.URL.Query().Get("countEntity") != "")
	if err != nil {
		return nil, err
	}
	return policyViewOut(v), nil
}

// decodePolicy reads the {policy} body of a policy save or test.
func decodePolicy(r *http.Request) (*drive.Policy, error) {
	var body struct {
		Policy *policyJSON `json:"policy"`
	}
	if err := wire.Decode(r, &body); err != nil {
		return nil, err
	}
	if body.Policy == nil {
		return nil, errs.E("admin.decodePolicy", errs.Invalid, "Policy is required")
	}
	return body.Policy.policy(), nil
}

func (h *routes) savePolicy(r *http.Request, id int, create bool) (any, error) {
	p, err := decodePolicy(r)
	if err != nil {
		return nil, err
	}
	v, err := h.svc.SavePolicy(r.Context(), h.actor(r), id, p, create)
	if err != nil {
		return nil, err
	}
	return policyViewOut(v), nil
}

func (h *routes) createPolicy(w http.ResponseWriter, r *http.Request) (any, error) {
	return h.savePolicy(r, 0, true)
}

func (h *routes) updatePolicy(w http.ResponseWriter, r *http.Request) (any, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	return h.savePolicy(r, id, false)
}

func (h *routes) deletePolicy(w http.ResponseWriter, r *http.Request) (any, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	return nil, h.svc.DeletePolicy(r.Context(), h.actor(r), id)
}

func (h *routes) policyCORS(w http.ResponseWriter, r *http.Request) (any, error) {
	p, err := decodePolicy(r)
	if err != nil {
		return nil, err
	}
	return nil, h.svc.SetPolicyCORS(r.Context(), h.actor(r), p)
}

func (h *routes) oauthSignIn(w http.ResponseWriter, r *http.Request) (any, error) {
	var body struct {
		ID     int    `json:"id"`
		Secret string `json:"secret"`
		AppID  string `json:"app_id"`
	}
	if err := wire.Decode(r, &body); err != nil {
		return nil, err
	}
	return h.svc.OAuthSignIn(r.Context(), h.actor(r), body.ID, body.Secret, body.AppID)
}

func (h *routes) oauthRedirect(w http.ResponseWriter, r *http.Request) (any, error) {
	return h.svc.OAuthRedirect(r.Context(), h.actor(r))
}

func (h *routes) oauthStatus(w http.ResponseWriter, r *http.Request) (any, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	return h.svc.PolicyOAuthStatus(r.Context(), h.actor(r), id)
}

func (h *routes) oauthCallback(w http.ResponseWriter, r *http.Request) (any, error) {
	var body struct {
		Code  string `json:"code"`
		State string `json:"state"`
	}
	if err := wire.Decode(r, &body); err != nil {
		return nil, err
	}
	return nil, h.svc.OAuthCallback(r.Context(), h.actor(r), body.Code, body.State)
}

func (h *routes) sharePointDrive(w http.ResponseWriter, r *http.Request) (any, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	return h.svc.SharePointDrive(r.Context(), h.actor(r), id, r.URL.Query().Get("url"))
}

// ---- Nodes ----

func (h *routes) nodes(w http.ResponseWriter, r *http.Request) (any, error) {
	lr, err := decodeList(r)
	if err != nil {
		return nil, err
	}
	ns, p, err := h.svc.Nodes(r.Context(), h.actor(r), lr)
	if err != nil {
		return nil, err
	}
	out := make([]*nodeJSON, 0, len(ns))
	for _, v := range ns {
		out = append(out, nodeOut(v.Node, v.Policies))
	}
	return list("nodes", out, p), nil
}

func (h *routes) node(w http.ResponseWriter, r *http.Request) (any, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	v, err := h.svc.Node(r.Context(), h.actor(r), id)
	if err != nil {
		return nil, err
	}
	return nodeOut(v.Node, v.Policies), nil
}

// decodeNode reads the {node} body of a node save or test.
func decodeNode(r *http.Request) (*drive.Node, error) {
	var body struct {
		Node *nodeJSON `json:"node"`
	}
	if err := wire.Decode(r, &body); err != nil {
		return nil, err
	}
	if body.Node == nil {
		return nil, errs.E("admin.decodeNode", errs.Invalid, "Node is required")
	}
	n, err := body.Node.node()
	if err != nil {
		return nil, errs.E("admin.decodeNode", errs.Invalid, "Capabilities is not a boolset")
	}
	return n, nil
}

func (h *routes) saveNode(r *http.Request, create bool) (any, error) {
	n, err := decodeNode(r)
	if err != nil {
		return nil, err
	}
	v, err := h.svc.SaveNode(r.Context(), h.actor(r), n, create)
	if err != nil {
		return nil, err
	}
	return nodeOut(v.Node, v.Policies), nil
}

func (h *routes) createNode(w http.ResponseWriter, r *http.Request) (any, error) {
	return h.saveNode(r, true)
}

// updateNode takes the ID from the body; the path's is ignored (60-admin §1).
func (h *routes) updateNode(w http.ResponseWriter, r *http.Request) (any, error) {
	return h.saveNode(r, false)
}

func (h *routes) deleteNode(w http.ResponseWriter, r *http.Request) (any, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	return nil, h.svc.DeleteNode(r.Context(), h.actor(r), id)
}

func (h *routes) testNode(w http.ResponseWriter, r *http.Request) (any, error) {
	n, err := decodeNode(r)
	if err != nil {
		return nil, err
	}
	return nil, h.svc.TestNode(r.Context(), h.actor(r), n)
}

func (h *routes) testNodeDownloader(w http.ResponseWriter, r *http.Request) (any, error) {
	n, err := decodeNode(r)
	if err != nil {
		return nil, err
	}
	return h.svc.TestNodeDownloader(r.Context(), h.actor(r), n)
}

// ---- Tools and the audit log ----

func (h *routes) wopi(w http.ResponseWriter, r *http.Request) (any, error) {
	endpoint := r.URL.Query().Get("endpoint")
	if endpoint == "" {
		return nil, errs.E("admin.wopi", errs.Invalid, "Endpoint is required")
	}
	return h.svc.DiscoverWOPI(r.Context(), h.actor(r), endpoint)
}

func (h *routes) thumbExecutable(w http.ResponseWriter, r *http.Request) (any, error) {
	var body struct {
		Name       string `json:"name"`
		Executable string `json:"executable"`
	}
	if err := wire.Decode(r, &body); err != nil {
		return nil, err
	}
	return h.svc.TestThumbGenerator(r.Context(), h.actor(r), body.Name, body.Executable)
}

func (h *routes) testMail(w http.ResponseWriter, r *http.Request) (any, error) {
	var body struct {
		To       string            `json:"to"`
		Settings map[string]string `json:"settings"`
	}
	if err := wire.Decode(r, &body); err != nil {
		return nil, err
	}
	return nil, h.svc.SendTestMail(r.Context(), h.actor(r), service.MailTest{To: body.To, Settings: body.Settings})
}

func (h *routes) flushCaches(w http.ResponseWriter, r *http.Request) (any, error) {
	return nil, h.svc.FlushCaches(r.Context(), h.actor(r))
}

func (h *routes) audit(w http.ResponseWriter, r *http.Request) (any, error) {
	lr, err := decodeList(r)
	if err != nil {
		return nil, err
	}
	es, p, err := h.svc.AuditLog(r.Context(), h.actor(r), lr)
	if err != nil {
		return nil, err
	}
	out := make([]auditJSON, 0, len(es))
	for _, e := range es {
		out = append(out, auditOut(h.IDs, e))
	}
	return list("logs", out, p), nil
}

type abuseJSON struct {
	ID             int    `json:"id"`
	CreatedAt      stamp  `json:"created_at"`
	Category       int    `json:"category"`
	Description    string `json:"description,omitempty"`
	ShareID        int    `json:"share_id,omitempty"`
	ReportedUserID int    `json:"reported_user_id,omitempty"`
	ReporterID     int    `json:"reporter_id,omitempty"`
	FileURI        string `json:"file_uri,omitempty"`
	IP             string `json:"ip,omitempty"`
}

func (h *routes) abuseReports(w http.ResponseWriter, r *http.Request) (any, error) {
	lr, err := decodeList(r)
	if err != nil {
		return nil, err
	}
	rs, p, err := h.svc.AbuseReports(r.Context(), h.actor(r), lr)
	if err != nil {
		return nil, err
	}
	out := make([]abuseJSON, 0, len(rs))
	for _, a := range rs {
		out = append(out, abuseJSON{ID: a.ID, CreatedAt: stamp(a.CreatedAt), Category: a.Category,
			Description: a.Description, ShareID: a.ShareID, ReportedUserID: a.ReportedUserID, ReporterID: a.ReporterID,
			FileURI: a.FileURI, IP: a.IP})
	}
	return list("reports", out, p), nil
}

func (h *routes) dismissAbuseReports(w http.ResponseWriter, r *http.Request) (any, error) {
	var body idsBody
	if err := wire.Decode(r, &body); err != nil {
		return nil, err
	}
	return nil, h.svc.DismissAbuseReports(r.Context(), h.actor(r), body.IDs)
}
