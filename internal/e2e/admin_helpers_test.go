package e2e

import (
	"encoding/json"
	"testing"

	"github.com/stratus-drive/stratus/internal/testenv"
)

// adminPage is the pagination of an admin list.
type adminPage struct {
	Page       int `json:"page"`
	PageSize   int `json:"page_size"`
	TotalItems int `json:"total_items"`
}

// listBody is an admin list request.
func listBody(page, size int, conds map[string]string) map[string]any {
	body := map[string]any{"page": page, "page_size": size}
	if conds != nil {
		body["conditions"] = conds
	}
	return body
}

// adminList posts a list request to path and decodes the items under key.
func adminList[T any](t *testing.T, c *testenv.Client, path string, body map[string]any, key string) ([]T, adminPage) {
	t.Helper()
	var raw map[string]json.RawMessage
	c.OK(t, "POST", path, body).Decode(t, &raw)
	var items []T
	if err := json.Unmarshal(raw[key], &items); err != nil {
		t.Fatalf("%s: items under %q: %v (%s)", path, key, err, raw[key])
	}
	var p adminPage
	if err := json.Unmarshal(raw["pagination"], &p); err != nil {
		t.Fatalf("%s: pagination: %v", path, err)
	}
	return items, p
}

// adminUsers signs up the first account (the administrator) and a normal
// user.
func adminUsers(t *testing.T, env *testenv.Env) (admin, user *testenv.Client) {
	t.Helper()
	admin, _ = env.Client().NewUser(t, "admin@example.com")
	user, _ = env.Client().NewUser(t, "user@example.com")
	return admin, user
}

type adminGroup struct {
	ID              int            `json:"id"`
	Name            string         `json:"name"`
	MaxStorage      int64          `json:"max_storage"`
	SpeedLimit      int            `json:"speed_limit"`
	Permissions     string         `json:"permissions"`
	Settings        map[string]any `json:"settings"`
	StoragePolicyID int            `json:"storage_policy_id"`
	TotalUsers      *int           `json:"total_users"`
	Edges           struct {
		StoragePolicies *adminPolicy `json:"storage_policies"`
	} `json:"edges"`
}

type adminPolicy struct {
	ID            int            `json:"id"`
	Name          string         `json:"name"`
	Type          string         `json:"type"`
	DirNameRule   string         `json:"dir_name_rule"`
	FileNameRule  string         `json:"file_name_rule"`
	MaxSize       int64          `json:"max_size"`
	Settings      map[string]any `json:"settings"`
	EntitiesCount int            `json:"entities_count"`
	EntitiesSize  int64          `json:"entities_size"`
	Edges         struct {
		Groups []adminGroup `json:"groups"`
	} `json:"edges"`
}

type adminUser struct {
	ID           int    `json:"id"`
	Email        string `json:"email"`
	Nick         string `json:"nick"`
	Status       string `json:"status"`
	Storage      int64  `json:"storage"`
	GroupUsers   int    `json:"group_users"`
	HashID       string `json:"hash_id"`
	TwoFAEnabled bool   `json:"two_fa_enabled"`
	Capacity     *struct {
		Total int64 `json:"total"`
		Used  int64 `json:"used"`
	} `json:"capacity"`
	Edges struct {
		Group *adminGroup `json:"group"`
	} `json:"edges"`
}

type adminFile struct {
	ID            int               `json:"id"`
	Name          string            `json:"name"`
	Size          int64             `json:"size"`
	OwnerID       int               `json:"owner_id"`
	PrimaryEntity int               `json:"primary_entity"`
	UserHashID    string            `json:"user_hash_id"`
	FileHashID    string            `json:"file_hash_id"`
	DirectLinkMap map[string]string `json:"direct_link_map"`
	Edges         struct {
		Owner    *adminUser    `json:"owner"`
		Entities []adminEntity `json:"entities"`
		Metadata []struct {
			Name  string `json:"name"`
			Value string `json:"value"`
		} `json:"metadata"`
		Shares      []adminShare `json:"shares"`
		DirectLinks []struct {
			ID int `json:"id"`
		} `json:"direct_links"`
	} `json:"edges"`
}

type adminEntity struct {
	ID             int               `json:"id"`
	Type           int               `json:"type"`
	Source         string            `json:"source"`
	Size           int64             `json:"size"`
	ReferenceCount int               `json:"reference_count"`
	CreatedBy      int               `json:"created_by"`
	UserHashID     string            `json:"user_hash_id"`
	UserHashIDMap  map[string]string `json:"user_hash_id_map"`
	Edges          struct {
		User          *adminUser   `json:"user"`
		StoragePolicy *adminPolicy `json:"storage_policy"`
		File          []adminFile  `json:"file"`
	} `json:"edges"`
}

type adminShare struct {
	ID        int    `json:"id"`
	Password  string `json:"password"`
	Views     int    `json:"views"`
	ShareLink string `json:"share_link"`
	Edges     struct {
		File *adminFile `json:"file"`
		User *adminUser `json:"user"`
	} `json:"edges"`
}

type adminNode struct {
	ID           int            `json:"id"`
	Name         string         `json:"name"`
	Type         string         `json:"type"`
	Status       string         `json:"status"`
	Server       string         `json:"server"`
	SlaveKey     string         `json:"slave_key"`
	Capabilities string         `json:"capabilities"`
	Settings     map[string]any `json:"settings"`
	Weight       int            `json:"weight"`
	Edges        struct {
		StoragePolicy []adminPolicy `json:"storage_policy"`
	} `json:"edges"`
}

type auditEntry struct {
	ID         int             `json:"id"`
	ActorID    int             `json:"actor_id"`
	ActorEmail string          `json:"actor_email"`
	Action     string          `json:"action"`
	TargetType string          `json:"target_type"`
	TargetID   string          `json:"target_id"`
	Before     json.RawMessage `json:"before"`
	After      json.RawMessage `json:"after"`
	IP         string          `json:"ip"`
}

// auditOf returns the newest audit entries with action.
func auditOf(t *testing.T, admin *testenv.Client, action string) []auditEntry {
	t.Helper()
	es, _ := adminList[auditEntry](t, admin, "/admin/audit", listBody(1, 100, map[string]string{"action": action}), "logs")
	return es
}
