package admin

import (
	"encoding/json"
	"strconv"
	"time"

	service "github.com/stratus-drive/stratus/internal/admin"
	"github.com/stratus-drive/stratus/internal/api/wire"
	"github.com/stratus-drive/stratus/internal/drive"
	"github.com/stratus-drive/stratus/internal/hashid"
)

// Admin objects are database rows as JSON (60-admin §1, 80-data-model §2):
// every field is omitted when zero, relations sit under "edges" (always
// present), times are RFC 3339 with fractions.

// stamp is a time omitted when zero.
type stamp time.Time

func (t stamp) MarshalJSON() ([]byte, error) { return time.Time(t).UTC().MarshalJSON() }

// IsZero lets omitzero drop unset times.
func (t stamp) IsZero() bool { return time.Time(t).IsZero() }

func (t *stamp) UnmarshalJSON(b []byte) error {
	var v time.Time
	if string(b) == "null" {
		return nil
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*t = stamp(v)
	return nil
}

type groupJSON struct {
	ID              int                  `json:"id,omitempty"`
	CreatedAt       stamp                `json:"created_at,omitzero"`
	UpdatedAt       stamp                `json:"updated_at,omitzero"`
	Name            string               `json:"name,omitempty"`
	MaxStorage      int64                `json:"max_storage,omitempty"`
	SpeedLimit      int                  `json:"speed_limit,omitempty"`
	Permissions     string               `json:"permissions,omitempty"`
	Settings        *drive.GroupSettings `json:"settings,omitempty"`
	StoragePolicyID int                  `json:"storage_policy_id,omitempty"`
	Edges           groupEdges           `json:"edges"`
	TotalUsers      *int                 `json:"total_users,omitempty"`
}

type groupEdges struct {
	StoragePolicies *policyJSON `json:"storage_policies,omitempty"`
}

func groupOut(g *drive.Group, p *drive.Policy) *groupJSON {
	if g == nil {
		return nil
	}
	settings := g.Settings
	out := &groupJSON{ID: g.ID, CreatedAt: stamp(g.CreatedAt), UpdatedAt: stamp(g.UpdatedAt), Name: g.Name,
		MaxStorage: g.MaxStorage, SpeedLimit: g.SpeedLimit, Permissions: wire.Boolset(g.Permissions),
		Settings: &settings, StoragePolicyID: g.StoragePolicyID}
	if len(g.Permissions) == 0 {
		out.Permissions = ""
	}
	if p != nil {
		out.Edges.StoragePolicies = policyOut(p, nil, nil)
	}
	return out
}

func (g *groupJSON) group() (*drive.Group, error) {
	perms, err := wire.ParseBoolset(g.Permissions)
	if err != nil {
		return nil, err
	}
	out := &drive.Group{ID: g.ID, Name: g.Name, MaxStorage: g.MaxStorage, SpeedLimit: g.SpeedLimit,
		Permissions: perms, StoragePolicyID: g.StoragePolicyID}
	if g.Settings != nil {
		out.Settings = *g.Settings
	}
	if g.Edges.StoragePolicies != nil {
		out.StoragePolicyID = g.Edges.StoragePolicies.ID
	}
	return out, nil
}

type policyJSON struct {
	ID            int                  `json:"id,omitempty"`
	CreatedAt     stamp                `json:"created_at,omitzero"`
	UpdatedAt     stamp                `json:"updated_at,omitzero"`
	Name          string               `json:"name,omitempty"`
	Type          string               `json:"type,omitempty"`
	Server        string               `json:"server,omitempty"`
	BucketName    string               `json:"bucket_name,omitempty"`
	IsPrivate     bool                 `json:"is_private,omitempty"`
	AccessKey     string               `json:"access_key,omitempty"`
	SecretKey     string               `json:"secret_key,omitempty"`
	MaxSize       int64                `json:"max_size,omitempty"`
	DirNameRule   string               `json:"dir_name_rule,omitempty"`
	FileNameRule  string               `json:"file_name_rule,omitempty"`
	Settings      drive.PolicySettings `json:"settings"`
	NodeID        int                  `json:"node_id,omitempty"`
	Edges         policyEdges          `json:"edges"`
	EntitiesCount int                  `json:"entities_count,omitempty"`
	EntitiesSize  int64                `json:"entities_size,omitempty"`
}

type policyEdges struct {
	Node   *nodeJSON    `json:"node,omitempty"`
	Groups []*groupJSON `json:"groups,omitempty"`
}

func policyOut(p *drive.Policy, n *drive.Node, groups []*drive.Group) *policyJSON {
	if p == nil {
		return nil
	}
	out := &policyJSON{ID: p.ID, CreatedAt: stamp(p.CreatedAt), UpdatedAt: stamp(p.UpdatedAt), Name: p.Name,
		Type: p.Type, Server: p.Server, BucketName: p.BucketName, IsPrivate: p.IsPrivate, AccessKey: p.AccessKey,
		SecretKey: p.SecretKey, MaxSize: p.MaxSize, DirNameRule: p.DirNameRule, FileNameRule: p.FileNameRule,
		Settings: p.Settings, NodeID: p.NodeID}
	if n != nil {
		out.Edges.Node = nodeOut(n, nil)
	}
	for _, g := range groups {
		out.Edges.Groups = append(out.Edges.Groups, groupOut(g, nil))
	}
	return out
}

func policyViewOut(v service.PolicyView) *policyJSON {
	out := policyOut(v.Policy, v.Node, v.Groups)
	out.EntitiesCount, out.EntitiesSize = v.EntitiesCount, v.EntitiesSize
	return out
}

func (p *policyJSON) policy() *drive.Policy {
	return &drive.Policy{ID: p.ID, Name: p.Name, Type: p.Type, Server: p.Server, BucketName: p.BucketName,
		IsPrivate: p.IsPrivate, AccessKey: p.AccessKey, SecretKey: p.SecretKey, MaxSize: p.MaxSize,
		DirNameRule: p.DirNameRule, FileNameRule: p.FileNameRule, Settings: p.Settings, NodeID: p.NodeID}
}

type nodeJSON struct {
	ID           int            `json:"id,omitempty"`
	CreatedAt    stamp          `json:"created_at,omitzero"`
	UpdatedAt    stamp          `json:"updated_at,omitzero"`
	Status       string         `json:"status,omitempty"`
	Name         string         `json:"name,omitempty"`
	Type         string         `json:"type,omitempty"`
	Server       string         `json:"server,omitempty"`
	SlaveKey     string         `json:"slave_key,omitempty"`
	Capabilities string         `json:"capabilities,omitempty"`
	Settings     map[string]any `json:"settings,omitempty"`
	Weight       int            `json:"weight,omitempty"`
	Edges        nodeEdges      `json:"edges"`
}

type nodeEdges struct {
	StoragePolicy []*policyJSON `json:"storage_policy,omitempty"`
}

func nodeOut(n *drive.Node, policies []*drive.Policy) *nodeJSON {
	out := &nodeJSON{ID: n.ID, CreatedAt: stamp(n.CreatedAt), UpdatedAt: stamp(n.UpdatedAt), Status: n.Status,
		Name: n.Name, Type: n.Type, Server: n.Server, SlaveKey: n.SlaveKey, Settings: n.Settings, Weight: n.Weight}
	if len(n.Capabilities) > 0 {
		out.Capabilities = wire.Boolset(n.Capabilities)
	}
	for _, p := range policies {
		out.Edges.StoragePolicy = append(out.Edges.StoragePolicy, policyOut(p, nil, nil))
	}
	return out
}

func (n *nodeJSON) node() (*drive.Node, error) {
	caps, err := wire.ParseBoolset(n.Capabilities)
	if err != nil {
		return nil, err
	}
	return &drive.Node{ID: n.ID, Name: n.Name, Type: n.Type, Status: n.Status, Server: n.Server,
		SlaveKey: n.SlaveKey, Capabilities: caps, Settings: n.Settings, Weight: n.Weight}, nil
}

type userJSON struct {
	ID           int                 `json:"id,omitempty"`
	CreatedAt    stamp               `json:"created_at,omitzero"`
	UpdatedAt    stamp               `json:"updated_at,omitzero"`
	Email        string              `json:"email,omitempty"`
	Nick         string              `json:"nick,omitempty"`
	Status       string              `json:"status,omitempty"`
	Storage      int64               `json:"storage,omitempty"`
	Avatar       string              `json:"avatar,omitempty"`
	Settings     *drive.UserSettings `json:"settings,omitempty"`
	GroupUsers   int                 `json:"group_users,omitempty"`
	Edges        userEdges           `json:"edges"`
	HashID       string              `json:"hash_id,omitempty"`
	TwoFAEnabled bool                `json:"two_fa_enabled,omitempty"`
	Capacity     *capacityJSON       `json:"capacity,omitempty"`
}

type userEdges struct {
	Group   *groupJSON `json:"group,omitempty"`
	Passkey []any      `json:"passkey,omitempty"`
}

type capacityJSON struct {
	Total int64 `json:"total"`
	Used  int64 `json:"used"`
}

func userOut(ids *hashid.Codec, u *drive.User, g *drive.Group) *userJSON {
	if u == nil {
		return nil
	}
	settings := u.Settings
	return &userJSON{ID: u.ID, CreatedAt: stamp(u.CreatedAt), UpdatedAt: stamp(u.UpdatedAt), Email: u.Email,
		Nick: u.Nick, Status: string(u.Status), Storage: u.Storage, Avatar: u.Avatar, Settings: &settings,
		GroupUsers: u.GroupID, Edges: userEdges{Group: groupOut(g, nil)}, HashID: ids.Encode(u.ID, hashid.User),
		TwoFAEnabled: u.TwoFactorSecret != ""}
}

func userViewOut(ids *hashid.Codec, v service.UserView, withCapacity bool) *userJSON {
	out := userOut(ids, v.User, v.Group)
	if withCapacity {
		out.Capacity = &capacityJSON{Used: v.User.Storage}
		if v.Group != nil {
			out.Capacity.Total = v.Group.MaxStorage
		}
	}
	return out
}

type fileJSON struct {
	ID            int               `json:"id,omitempty"`
	CreatedAt     stamp             `json:"created_at,omitzero"`
	UpdatedAt     stamp             `json:"updated_at,omitzero"`
	Type          int               `json:"type,omitempty"`
	Name          string            `json:"name,omitempty"`
	OwnerID       int               `json:"owner_id,omitempty"`
	Size          int64             `json:"size,omitempty"`
	PrimaryEntity int               `json:"primary_entity,omitempty"`
	FileChildren  int               `json:"file_children,omitempty"`
	IsSymbolic    bool              `json:"is_symbolic,omitempty"`
	Props         *drive.FileProps  `json:"props,omitempty"`
	StoragePolicy int               `json:"storage_policy_files,omitempty"`
	Edges         fileEdges         `json:"edges"`
	UserHashID    string            `json:"user_hash_id,omitempty"`
	FileHashID    string            `json:"file_hash_id,omitempty"`
	DirectLinkMap map[string]string `json:"direct_link_map,omitempty"`
}

type fileEdges struct {
	Owner       *userJSON         `json:"owner,omitempty"`
	Entities    []*entityJSON     `json:"entities,omitempty"`
	Metadata    []metadataJSON    `json:"metadata,omitempty"`
	Shares      []*shareJSON      `json:"shares,omitempty"`
	DirectLinks []*directLinkJSON `json:"direct_links,omitempty"`
}

type metadataJSON struct {
	Name     string `json:"name,omitempty"`
	Value    string `json:"value,omitempty"`
	FileID   int    `json:"file_id,omitempty"`
	IsPublic bool   `json:"is_public,omitempty"`
}

type directLinkJSON struct {
	ID        int    `json:"id,omitempty"`
	CreatedAt stamp  `json:"created_at,omitzero"`
	UpdatedAt stamp  `json:"updated_at,omitzero"`
	Name      string `json:"name,omitempty"`
	Downloads int    `json:"downloads,omitempty"`
	FileID    int    `json:"file_id,omitempty"`
	Speed     int    `json:"speed,omitempty"`
}

func fileOut(ids *hashid.Codec, v service.FileView) *fileJSON {
	f := v.File
	out := &fileJSON{ID: f.ID, CreatedAt: stamp(f.CreatedAt), UpdatedAt: stamp(f.UpdatedAt), Type: int(f.Type),
		Name: f.Name, OwnerID: f.OwnerID, Size: f.Size, PrimaryEntity: f.PrimaryEntity, FileChildren: f.ParentID,
		IsSymbolic: f.IsSymbolic, StoragePolicy: f.PolicyID, FileHashID: ids.Encode(f.ID, hashid.File)}
	if f.Props != (drive.FileProps{}) {
		props := f.Props
		out.Props = &props
	}
	if f.OwnerID != 0 {
		out.UserHashID = ids.Encode(f.OwnerID, hashid.User)
	}
	out.Edges.Owner = userOut(ids, v.Owner, nil)
	for _, e := range v.Entities {
		out.Edges.Entities = append(out.Edges.Entities, entityOut(ids, e))
	}
	for _, m := range v.Metadata {
		out.Edges.Metadata = append(out.Edges.Metadata, metadataJSON{Name: m.Name, Value: m.Value, FileID: m.FileID,
			IsPublic: m.Public})
	}
	for _, sh := range v.Shares {
		out.Edges.Shares = append(out.Edges.Shares, shareOut(ids, service.ShareView{Share: sh}))
	}
	for _, dl := range v.DirectLinks {
		out.Edges.DirectLinks = append(out.Edges.DirectLinks, &directLinkJSON{ID: dl.ID, CreatedAt: stamp(dl.CreatedAt),
			UpdatedAt: stamp(dl.UpdatedAt), Name: dl.Name, Downloads: dl.Downloads, FileID: dl.FileID, Speed: dl.Speed})
	}
	if v.DirectLinkURLs != nil {
		out.DirectLinkMap = map[string]string{}
		for id, u := range v.DirectLinkURLs {
			out.DirectLinkMap[strconv.Itoa(id)] = u
		}
	}
	return out
}

type fileEditJSON struct {
	ID    int    `json:"id"`
	Name  string `json:"name"`
	Edges struct {
		Metadata    []metadataJSON    `json:"metadata"`
		DirectLinks []*directLinkJSON `json:"direct_links"`
	} `json:"edges"`
}

func (f fileEditJSON) edit() service.FileEdit {
	e := service.FileEdit{ID: f.ID, Name: f.Name}
	for _, m := range f.Edges.Metadata {
		e.Metadata = append(e.Metadata, service.MetaEntry{Name: m.Name, Value: m.Value, Public: m.IsPublic})
	}
	for _, dl := range f.Edges.DirectLinks {
		if dl != nil {
			e.DirectLinks = append(e.DirectLinks, dl.ID)
		}
	}
	return e
}

type entityJSON struct {
	ID              int                `json:"id,omitempty"`
	CreatedAt       stamp              `json:"created_at,omitzero"`
	UpdatedAt       stamp              `json:"updated_at,omitzero"`
	Type            int                `json:"type,omitempty"`
	Source          string             `json:"source,omitempty"`
	Size            int64              `json:"size,omitempty"`
	ReferenceCount  int                `json:"reference_count,omitempty"`
	StoragePolicy   int                `json:"storage_policy_entities,omitempty"`
	CreatedBy       int                `json:"created_by,omitempty"`
	UploadSessionID string             `json:"upload_session_id,omitempty"`
	Props           *drive.EntityProps `json:"props,omitempty"`
	Edges           entityEdges        `json:"edges"`
	UserHashID      string             `json:"user_hash_id,omitempty"`
	UserHashIDMap   map[string]string  `json:"user_hash_id_map,omitempty"`
}

type entityEdges struct {
	User          *userJSON   `json:"user,omitempty"`
	StoragePolicy *policyJSON `json:"storage_policy,omitempty"`
	File          []*fileJSON `json:"file,omitempty"`
}

func entityOut(ids *hashid.Codec, v service.EntityView) *entityJSON {
	e := v.Entity
	out := &entityJSON{ID: e.ID, CreatedAt: stamp(e.CreatedAt), UpdatedAt: stamp(e.UpdatedAt), Type: int(e.Type),
		Source: e.Source, Size: e.Size, ReferenceCount: e.ReferenceCount, StoragePolicy: e.PolicyID,
		CreatedBy: e.CreatedBy, UploadSessionID: e.UploadSessionID}
	if e.Props != (drive.EntityProps{}) {
		props := e.Props
		out.Props = &props
	}
	if e.CreatedBy != 0 {
		out.UserHashID = ids.Encode(e.CreatedBy, hashid.User)
	}
	out.Edges.User = userOut(ids, v.User, nil)
	out.Edges.StoragePolicy = policyOut(v.Policy, nil, nil)
	for _, f := range v.Files {
		if out.UserHashIDMap == nil {
			out.UserHashIDMap = map[string]string{}
		}
		out.UserHashIDMap[strconv.Itoa(f.File.OwnerID)] = ids.Encode(f.File.OwnerID, hashid.User)
		out.Edges.File = append(out.Edges.File, fileOut(ids, f))
	}
	return out
}

type shareJSON struct {
	ID              int               `json:"id,omitempty"`
	CreatedAt       stamp             `json:"created_at,omitzero"`
	UpdatedAt       stamp             `json:"updated_at,omitzero"`
	Password        string            `json:"password,omitempty"`
	Views           int               `json:"views,omitempty"`
	Downloads       int               `json:"downloads,omitempty"`
	Expires         stamp             `json:"expires,omitzero"`
	RemainDownloads *int              `json:"remain_downloads,omitempty"`
	Props           *drive.ShareProps `json:"props,omitempty"`
	Edges           shareEdges        `json:"edges"`
	UserHashID      string            `json:"user_hash_id,omitempty"`
	ShareLink       string            `json:"share_link,omitempty"`
}

type shareEdges struct {
	File *fileJSON `json:"file,omitempty"`
	User *userJSON `json:"user,omitempty"`
}

func shareOut(ids *hashid.Codec, v service.ShareView) *shareJSON {
	sh := v.Share
	out := &shareJSON{ID: sh.ID, CreatedAt: stamp(sh.CreatedAt), UpdatedAt: stamp(sh.UpdatedAt),
		Password: sh.Password, Views: sh.Views, Downloads: sh.Downloads, Expires: stamp(sh.Expires),
		UserHashID: ids.Encode(sh.OwnerID, hashid.User), ShareLink: v.Link}
	if sh.RemainDownloads >= 0 {
		n := sh.RemainDownloads
		out.RemainDownloads = &n
	}
	if sh.Props != (drive.ShareProps{}) {
		props := sh.Props
		out.Props = &props
	}
	if v.File != nil {
		out.Edges.File = fileOut(ids, service.FileView{File: v.File})
	}
	out.Edges.User = userOut(ids, v.User, nil)
	return out
}

type auditJSON struct {
	ID            int             `json:"id"`
	CreatedAt     stamp           `json:"created_at"`
	ActorID       int             `json:"actor_id,omitempty"`
	ActorEmail    string          `json:"actor_email,omitempty"`
	ActorHashID   string          `json:"actor_hash_id,omitempty"`
	Action        string          `json:"action"`
	TargetType    string          `json:"target_type,omitempty"`
	TargetID      string          `json:"target_id,omitempty"`
	Before        json.RawMessage `json:"before,omitempty"`
	After         json.RawMessage `json:"after,omitempty"`
	IP            string          `json:"ip,omitempty"`
	CorrelationID string          `json:"correlation_id,omitempty"`
}

func auditOut(ids *hashid.Codec, e *drive.AuditEntry) auditJSON {
	out := auditJSON{ID: e.ID, CreatedAt: stamp(e.CreatedAt), ActorID: e.ActorID, ActorEmail: e.ActorEmail,
		Action: e.Action, TargetType: e.TargetType, TargetID: e.TargetID, IP: e.IP, CorrelationID: e.CorrelationID}
	if e.ActorID != 0 {
		out.ActorHashID = ids.Encode(e.ActorID, hashid.User)
	}
	if e.Before != "" {
		out.Before = json.RawMessage(e.Before)
	}
	if e.After != "" {
		out.After = json.RawMessage(e.After)
	}
	return out
}
