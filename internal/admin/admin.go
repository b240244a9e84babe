// Package admin is the site administration: settings, groups, users, files,
// blobs, shares, storage policies, nodes, tools and the audit log. It owns
// the rules only administrators meet (the last administrator stays, system
// groups and the default policy cannot go, a policy in use cannot be
// deleted, settings that would lock everyone out are refused) and records
// every change in the audit log. The filesystem's own accounting (deleting a
// user's tree, a blob, a file) stays in files; account creation stays in
// account.
package admin

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/stratus-drive/stratus/internal/account"
	"github.com/stratus-drive/stratus/internal/directlink"
	"github.com/stratus-drive/stratus/internal/drive"
	"github.com/stratus-drive/stratus/internal/errs"
	"github.com/stratus-drive/stratus/internal/files"
	"github.com/stratus-drive/stratus/internal/hashid"
	"github.com/stratus-drive/stratus/internal/kv"
	"github.com/stratus-drive/stratus/internal/safedial"
	"github.com/stratus-drive/stratus/internal/setting"
	"github.com/stratus-drive/stratus/internal/storage"
	"github.com/stratus-drive/stratus/internal/store"
	"github.com/stratus-drive/stratus/internal/task"
)

// Conditions the contract gives their own codes (60-admin §15).
var (
	ErrNotAdmin            = errs.NewSentinel(errs.Permission, "administrators only")
	ErrPolicyNotExist      = errs.NewSentinel(errs.NotExist, "storage policy does not exist")
	ErrDefaultPolicy       = errs.NewSentinel(errs.Permission, "the default storage policy cannot be deleted")
	ErrPolicyHasBlobs      = errs.NewSentinel(errs.Conflict, "blobs are stored on this policy")
	ErrPolicyHasGroups     = errs.NewSentinel(errs.Conflict, "groups use this policy")
	ErrSystemGroup         = errs.NewSentinel(errs.Permission, "system groups cannot be deleted")
	ErrGroupHasUsers       = errs.NewSentinel(errs.Conflict, "the group still has users")
	ErrProtectedUser       = errs.NewSentinel(errs.Permission, "this user is protected")
	ErrMasterNode          = errs.NewSentinel(errs.Permission, "the master node cannot be deleted")
	ErrNodeHasPolicies     = errs.NewSentinel(errs.Conflict, "storage policies use this node")
	ErrIntegration         = errs.NewSentinel(errs.Unavailable, "an external service failed")
	ErrPrimaryEntityAbsent = errs.NewSentinel(errs.NotExist, "Primary entity not exist")
)

// Version is what the dashboard reports about the build.
type Version struct {
	Version string `json:"version"`
	Pro     bool   `json:"pro"`
	Commit  string `json:"commit"`
}

// Deps are what the service uses.
type Deps struct {
	DB       *store.DB
	KV       kv.Store
	Settings *setting.Service
	Accounts *account.Service
	Files    *files.Service
	Links    *directlink.Service
	Jobs     *task.Scheduler
	IDs      *hashid.Codec
	Drivers  *storage.Registry
	Env      storage.Env
	Version  Version
	Log      *slog.Logger
	// Dialer makes the tools' outgoing connections (WOPI discovery, test
	// mail); nil refuses every non-public address.
	Dialer *safedial.Dialer
	// APIVersion is the Cloudreve API level this server reports (site
	// ping); slave nodes are told it.
	APIVersion string
}

// Service administers the site. Every method takes the acting user and
// refuses anyone but an administrator.
type Service struct {
	dialer      *safedial.Dialer
	http        *http.Client // through dialer
	db          *store.DB
	kv          kv.Store
	settings    *setting.Service
	accounts    *account.Service
	files       *files.Service
	directLinks *directlink.Service
	jobs        *task.Scheduler
	ids         *hashid.Codec
	drivers     *storage.Registry
	env         storage.Env
	version     Version
	apiVersion  string
	log         *slog.Logger

	bgCtx    context.Context
	bgCancel context.CancelFunc
	bg       sync.WaitGroup
}

// New builds the service.
func New(d Deps) *Service {
	ctx, cancel := context.WithCancel(context.Background())
	if d.Dialer == nil {
		d.Dialer = safedial.New(nil)
	}
	return &Service{dialer: d.Dialer, http: d.Dialer.HTTPClient(15 * time.Second), db: d.DB, kv: d.KV, settings: d.Settings, accounts: d.Accounts, files: d.Files, directLinks: d.Links, jobs: d.Jobs, ids: d.IDs,
		drivers: d.Drivers, env: d.Env, version: d.Version, apiVersion: d.APIVersion, log: d.Log, bgCtx: ctx, bgCancel: cancel}
}

// Close stops background work started by administrator actions and waits
// for it.
func (s *Service) Close() {
	s.bgCancel()
	s.bg.Wait()
}

// background runs fn after the request that asked for it has been answered.
func (s *Service) background(name string, fn func(ctx context.Context) error) {
	s.bg.Add(1)
	go func() {
		defer s.bg.Done()
		if err := fn(s.bgCtx); err != nil && s.bgCtx.Err() == nil {
			s.log.Warn("admin background work failed", "work", name, "err", err)
		}
	}()
}

// commandLineActorID marks the stratus command in the audit log.
const commandLineActorID = -1

// CommandLine is the actor of the stratus command's maintenance
// subcommands. Whoever can run them controls the server's host and its
// database, so they act as an administrator; the audit log shows them as
// actor -1, "command line".
func CommandLine() drive.Actor {
	return drive.Actor{User: &drive.User{ID: commandLineActorID, Email: "command line", Status: drive.StatusActive,
		Group: &drive.Group{ID: drive.AdminGroupID, Permissions: drive.BoolsetOf(int(drive.PermAdmin))}}}
}

// Authorize refuses anyone but a signed-in administrator. Every method
// starts with it; the routes call it too, before they read a request body.
func Authorize(actor drive.Actor) error { return authorize("admin.Authorize", actor) }

func authorize(op string, actor drive.Actor) error {
	if actor.IsAnonymous() {
		return errs.E(op, account.ErrNotSignedIn)
	}
	if !actor.IsAdmin() {
		return errs.E(op, ErrNotAdmin)
	}
	return nil
}

// ListRequest is the shared list request of every admin list (60-admin §1.1).
type ListRequest struct {
	Page           int               `json:"page"`
	PageSize       int               `json:"page_size"`
	OrderBy        string            `json:"order_by"`
	OrderDirection string            `json:"order_direction"`
	Conditions     map[string]string `json:"conditions"`
	Searches       map[string]string `json:"searches"`
}

// MaxPageSize bounds one page of an admin list.
const MaxPageSize = 2000

// Pagination is the page part of a list response (60-admin §1.2): Page is
// the 0-based echo of the requested page.
type Pagination struct {
	Page       int `json:"page"`
	PageSize   int `json:"page_size"`
	TotalItems int `json:"total_items,omitempty"`
}

// authorizedPage is where every administrator's list starts: the actor must
// be an administrator and lr's paging valid.
func (lr ListRequest) authorizedPage(op string, actor drive.Actor) (store.Page, error) {
	if err := authorize(op, actor); err != nil {
		return store.Page{}, err
	}
	if lr.Page < 1 {
		return store.Page{}, errs.E(op, errs.Invalid, "Page must be at least 1")
	}
	if lr.PageSize < 1 || lr.PageSize > MaxPageSize {
		return store.Page{}, errs.E(op, errs.Invalid, "PageSize must be between 1 and "+strconv.Itoa(MaxPageSize))
	}
	return store.Page{Offset: (lr.Page - 1) * lr.PageSize, Limit: lr.PageSize, OrderBy: lr.OrderBy,
		Desc: lr.OrderDirection == "desc"}, nil
}

func (lr ListRequest) pagination(total int) Pagination {
	return Pagination{Page: lr.Page - 1, PageSize: lr.PageSize, TotalItems: total}
}

// intCondition reads a numeric condition; absent or empty is 0.
func (lr ListRequest) intCondition(op, key string) (int, error) {
	v, ok := lr.Conditions[key]
	if !ok || v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, errs.E(op, errs.Invalid, "condition "+key+" must be a number")
	}
	return n, nil
}

// auditor is where an entry is written: the pool or the transaction of the
// change it records.
type auditor interface {
	InsertAudit(ctx context.Context, e *drive.AuditEntry) error
}

// record writes one audit entry. before and after are rendered as JSON
// (nil: none).
func (s *Service) record(ctx context.Context, w auditor, actor drive.Actor, action, targetType string, targetID any,
	before, after any) error {
	e := &drive.AuditEntry{ActorID: actor.User.ID, ActorEmail: actor.User.Email, Action: action,
		TargetType: targetType, IP: actor.IP, CorrelationID: actor.RequestID}
	switch id := targetID.(type) {
	case int:
		e.TargetID = strconv.Itoa(id)
	case string:
		e.TargetID = id
	}
	var err error
	if e.Before, err = auditDoc(before); err != nil {
		return err
	}
	if e.After, err = auditDoc(after); err != nil {
		return err
	}
	if err := w.InsertAudit(ctx, e); err != nil {
		return errs.E("admin.record", err)
	}
	return nil
}

func auditDoc(v any) (string, error) {
	if v == nil {
		return "", nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return "", errs.E("admin.record", errs.Internal, err)
	}
	return string(b), nil
}

// ids decodes nothing: admin IDs are plain integers (60-admin §1). It
// checks a batch body instead.
func checkIDs(op string, ids []int) error {
	if len(ids) == 0 {
		return errs.E(op, errs.Invalid, "IDs is required")
	}
	if len(ids) > 1000 {
		return errs.E(op, errs.Invalid, "IDs has more than 1000 items")
	}
	for _, id := range ids {
		if id <= 0 {
			return errs.E(op, errs.Invalid, "IDs must be positive")
		}
	}
	return nil
}

// checkSaveID checks the ID of a save: none when creating, one when editing.
func checkSaveID(op string, id int, create bool) error {
	if create && id != 0 {
		return errs.E(op, errs.Invalid, "ID must be 0")
	}
	if !create && id <= 0 {
		return errs.E(op, errs.Invalid, "ID is required")
	}
	return nil
}

// eachID answers a batch request: the actor must be an administrator and
// ids a valid list (checkIDs); one runs for every id, and the ids it fails
// for come back together as one errs.Batch.
func eachID(op string, actor drive.Actor, ids []int, one func(id int) error) error {
	if err := authorize(op, actor); err != nil {
		return err
	}
	if err := checkIDs(op, ids); err != nil {
		return err
	}
	batch := errs.Batch{}
	for _, id := range ids {
		batch.Add(strconv.Itoa(id), one(id))
	}
	if err := batch.Err(); err != nil {
		return errs.E(op, err)
	}
	return nil
}

// adminGroups returns the ids of the groups holding the admin bit.
func adminGroups(ctx context.Context, tx *store.Tx) ([]int, error) {
	gs, err := tx.Groups(ctx)
	if err != nil {
		return nil, err
	}
	var ids []int
	for _, g := range gs {
		if g.Has(drive.PermAdmin) {
			ids = append(ids, g.ID)
		}
	}
	return ids, nil
}

// ensureAdminRemains fails a transaction that would leave the site without
// an active administrator. Called last in every transaction that changes
// groups' permissions, users' groups or statuses, or deletes users.
func ensureAdminRemains(ctx context.Context, tx *store.Tx) error {
	// Two demotions at once must not each see the other's admin remaining.
	if err := tx.LockGroupRow(ctx, drive.AdminGroupID); err != nil {
		return err
	}
	ids, err := adminGroups(ctx, tx)
	if err != nil {
		return err
	}
	n, err := tx.CountActiveUsersIn(ctx, ids)
	if err != nil {
		return err
	}
	if n == 0 {
		return errs.E("admin.ensureAdminRemains", ErrProtectedUser, "the last active administrator cannot be removed")
	}
	return nil
}
