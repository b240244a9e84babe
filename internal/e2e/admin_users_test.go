package e2e

import (
	"encoding/base64"
	"fmt"
	"strconv"
	"testing"

	"github.com/stratus-drive/stratus/internal/drive"
	"github.com/stratus-drive/stratus/internal/testenv"
)

func perms(bits ...int) string { return base64.StdEncoding.EncodeToString(drive.BoolsetOf(bits...)) }

func TestAdminGroups(t *testing.T) {
	t.Parallel()
	testenv.EachDialect(t, testenv.Options{}, func(t *testing.T, env *testenv.Env) {
		admin, user := adminUsers(t, env)

		groups, p := adminList[adminGroup](t, admin, "/admin/group", listBody(1, 2, nil), "groups")
		if len(groups) != 2 || p.Page != 0 || p.PageSize != 2 || p.TotalItems != 3 || groups[0].ID != 1 {
			t.Fatalf("page 1 = %+v %+v", groups, p)
		}
		if groups[0].Edges.StoragePolicies == nil || groups[0].Edges.StoragePolicies.ID != 1 {
			t.Errorf("group 1 policy edge = %+v", groups[0].Edges)
		}
		groups, p = adminList[adminGroup](t, admin, "/admin/group",
			map[string]any{"page": 1, "page_size": 10, "order_by": "name", "order_direction": "desc"}, "groups")
		if len(groups) != 3 || groups[0].Name != "User" || groups[2].Name != "Admin" {
			t.Errorf("by name desc = %+v", groups)
		}
		admin.ExpectCode(t, 40001, "POST", "/admin/group", map[string]any{"page": 0, "page_size": 10})
		admin.ExpectCode(t, 40001, "POST", "/admin/group", map[string]any{"page": 1, "page_size": 0})

		// Create a group with a speed limit on the default policy.
		newGroup := map[string]any{"name": "Slow", "max_storage": 1 << 20, "speed_limit": 1024,
			"permissions": perms(2, 7), "settings": map[string]any{"source_batch": 5},
			"edges": map[string]any{"storage_policies": map[string]any{"id": 1}}}
		var g adminGroup
		admin.OK(t, "PUT", "/admin/group", map[string]any{"group": newGroup}).Decode(t, &g)
		if g.ID == 0 || g.SpeedLimit != 1024 || g.StoragePolicyID != 1 || g.TotalUsers == nil || *g.TotalUsers != 0 {
			t.Fatalf("created = %+v", g)
		}
		withID := func(id int, m map[string]any) map[string]any {
			out := map[string]any{"id": id}
			for k, v := range m {
				out[k] = v
			}
			return out
		}
		bad := []struct {
			method, path string
			group        map[string]any
			code         int
		}{
			{"PUT", "/admin/group", withID(5, newGroup), 40001},
			{"PUT", "/admin/group", map[string]any{"name": ""}, 40001},
			{"PUT", "/admin/group", map[string]any{"name": "x", "speed_limit": -1}, 40001},
			{"PUT", "/admin/group", map[string]any{"name": "x", "permissions": "%%%"}, 40001},
			{"PUT", "/admin/group", map[string]any{"name": "x", "permissions": perms(1)}, 40001},
			{"PUT", "/admin/group", map[string]any{"name": "x",
				"edges": map[string]any{"storage_policies": map[string]any{"id": 99}}}, 40035},
			{"PUT", "/admin/group/1", map[string]any{"id": 1, "name": "Admin", "permissions": perms(2)}, 40001},
			{"PUT", "/admin/group/1", map[string]any{"id": 0, "name": "Admin"}, 40001},
			{"PUT", "/admin/group/77", map[string]any{"id": 77, "name": "Ghost"}, 404},
		}
		for _, b := range bad {
			admin.ExpectCode(t, b.code, b.method, b.path, map[string]any{"group": b.group})
		}
		admin.ExpectCode(t, 40001, "PUT", "/admin/group", map[string]any{})

		// Edit: the ID comes from the body.
		edit := withID(g.ID, newGroup)
		edit["speed_limit"] = 2048
		admin.OK(t, "PUT", "/admin/group/999?countUser=1", map[string]any{"group": edit}).Decode(t, &g)
		if g.SpeedLimit != 2048 || g.Settings["source_batch"] != float64(5) {
			t.Errorf("edited = %+v", g)
		}

		// A group with users cannot be deleted; the message is the count.
		var u adminUser
		admin.OK(t, "GET", "/admin/user/2", nil).Decode(t, &u)
		u.GroupUsers = g.ID
		admin.OK(t, "PUT", "/admin/user/2", map[string]any{"user": u})
		e := admin.ExpectCode(t, 40041, "DELETE", fmt.Sprintf("/admin/group/%d", g.ID), nil)
		if e.Msg != "1" {
			t.Errorf("40041 msg = %q", e.Msg)
		}
		admin.OK(t, "GET", fmt.Sprintf("/admin/group/%d?countUser=1", g.ID), nil).Decode(t, &g)
		if *g.TotalUsers != 1 {
			t.Errorf("total_users = %d", *g.TotalUsers)
		}
		// The member sees the group's limit in its own session at once.
		var me struct {
			Group struct {
				Name string `json:"name"`
			} `json:"group"`
		}
		user.OK(t, "GET", "/user/me", nil).Decode(t, &me)
		if me.Group.Name != "Slow" {
			t.Errorf("member's group = %+v", me.Group)
		}

		for _, id := range []int{1, 2, 3} {
			admin.ExpectCode(t, 40040, "DELETE", fmt.Sprintf("/admin/group/%d", id), nil)
		}
		u.GroupUsers = 2
		admin.OK(t, "PUT", "/admin/user/2", map[string]any{"user": u})
		admin.OK(t, "DELETE", fmt.Sprintf("/admin/group/%d", g.ID), nil)
		admin.ExpectCode(t, 404, "GET", fmt.Sprintf("/admin/group/%d", g.ID), nil)
		admin.ExpectCode(t, 404, "DELETE", fmt.Sprintf("/admin/group/%d", g.ID), nil)

		for _, action := range []string{"group.create", "group.update", "group.delete"} {
			if es := auditOf(t, admin, action); len(es) != 1 || es[0].TargetID != strconv.Itoa(g.ID) {
				t.Errorf("audit %s = %+v", action, es)
			}
		}
	})
}

func TestAdminUsers(t *testing.T) {
	t.Parallel()
	testenv.EachDialect(t, testenv.Options{}, func(t *testing.T, env *testenv.Env) {
		admin, user := adminUsers(t, env)
		upload(t, user, "cloudreve://my/a.txt", []byte("hello admin"), nil)

		// List with conditions and order.
		users, p := adminList[adminUser](t, admin, "/admin/user", listBody(1, 10, map[string]string{"user_email": "USER@"}), "users")
		if len(users) != 1 || users[0].Email != "user@example.com" || p.TotalItems != 1 || users[0].HashID == "" ||
			users[0].Edges.Group == nil || users[0].Edges.Group.ID != 2 {
			t.Fatalf("by email = %+v %+v", users, p)
		}
		users, _ = adminList[adminUser](t, admin, "/admin/user", map[string]any{"page": 1, "page_size": 10,
			"order_by": "storage", "order_direction": "desc"}, "users")
		if len(users) != 2 || users[0].ID != 2 {
			t.Errorf("by storage = %+v", users)
		}
		users, _ = adminList[adminUser](t, admin, "/admin/user", listBody(1, 10, map[string]string{"user_group": "1"}), "users")
		if len(users) != 1 || users[0].ID != 1 {
			t.Errorf("admins = %+v", users)
		}
		admin.ExpectCode(t, 40001, "POST", "/admin/user", listBody(1, 10, map[string]string{"user_group": "one"}))

		var got adminUser
		admin.OK(t, "GET", "/admin/user/2", nil).Decode(t, &got)
		if got.Capacity == nil || got.Capacity.Used != 11 || got.Capacity.Total != 1<<30 {
			t.Errorf("capacity = %+v", got.Capacity)
		}
		admin.ExpectCode(t, 40021, "GET", "/admin/user/99", nil)

		// Create.
		create := func(u map[string]any, password string) *testenv.Envelope {
			return admin.Do(t, "PUT", "/admin/user", map[string]any{"user": u, "password": password})
		}
		e := create(map[string]any{"email": "New@Example.com", "nick": "Newbie", "group_users": 2}, "secret pw")
		if e.Code != 0 {
			t.Fatalf("create: %d %s", e.Code, e.Msg)
		}
		var created adminUser
		e.Decode(t, &created)
		if created.Email != "new@example.com" || created.Status != "active" || created.Nick != "Newbie" {
			t.Errorf("created = %+v", created)
		}
		newbie, _ := env.Client().SignIn(t, "new@example.com", "secret pw")
		newbie.OK(t, "GET", "/file?uri=cloudreve://my", nil)
		for _, c := range []struct {
			user     map[string]any
			password string
			code     int
		}{
			{map[string]any{"email": "x@example.com", "group_users": 2}, "", 40001},
			{map[string]any{"id": 9, "email": "x@example.com", "group_users": 2}, "secret pw", 40001},
			{map[string]any{"email": "not-an-email", "group_users": 2}, "secret pw", 40001},
			{map[string]any{"email": "x@example.com", "group_users": 3}, "secret pw", 40001},
			{map[string]any{"email": "x@example.com", "group_users": 42}, "secret pw", 40001},
			{map[string]any{"email": "x@example.com", "group_users": 2, "status": "happy"}, "secret pw", 40001},
			{map[string]any{"email": "user@example.com", "group_users": 2}, "secret pw", 40032},
		} {
			if e := create(c.user, c.password); e.Code != c.code {
				t.Errorf("create %v: %d %s, want %d", c.user, e.Code, e.Msg, c.code)
			}
		}

		// Edit: ban, password, and the guards of the first administrator.
		created.Status = "manual_banned"
		admin.OK(t, "PUT", fmt.Sprintf("/admin/user/%d", created.ID), map[string]any{"user": created})
		newbie.ExpectCode(t, 40017, "GET", "/user/me", nil)
		env.Client().ExpectCode(t, 40017, "POST", "/session/token",
			map[string]string{"email": "new@example.com", "password": "secret pw"})
		created.Status = "active"
		admin.OK(t, "PUT", fmt.Sprintf("/admin/user/%d", created.ID), map[string]any{"user": created, "password": "changed pw"})
		env.Client().SignIn(t, "new@example.com", "changed pw")
		admin.ExpectCode(t, 40032, "PUT", fmt.Sprintf("/admin/user/%d", created.ID), map[string]any{"user": map[string]any{"id": created.ID,
			"email": "user@example.com", "group_users": 2}})

		var first adminUser
		admin.OK(t, "GET", "/admin/user/1", nil).Decode(t, &first)
		first.Status = "manual_banned"
		admin.ExpectCode(t, 40043, "PUT", "/admin/user/1", map[string]any{"user": first})
		first.Status, first.GroupUsers = "active", 2
		admin.ExpectCode(t, 40043, "PUT", "/admin/user/1", map[string]any{"user": first})

		// A second administrator can be demoted only while another remains.
		created.GroupUsers = 1
		admin.OK(t, "PUT", fmt.Sprintf("/admin/user/%d", created.ID), map[string]any{"user": created})
		second, _ := env.Client().SignIn(t, "new@example.com", "changed pw")
		second.OK(t, "GET", "/admin/summary", nil)
		created.GroupUsers = 2
		admin.OK(t, "PUT", fmt.Sprintf("/admin/user/%d", created.ID), map[string]any{"user": created})
		second.ExpectCode(t, 403, "GET", "/admin/summary", nil)

		// Calibrate corrects drifted usage.
		var cal adminUser
		admin.OK(t, "POST", "/admin/user/2/calibrate", nil).Decode(t, &cal)
		if cal.Storage != 11 || cal.Capacity == nil || cal.Capacity.Used != 11 {
			t.Errorf("calibrated = %+v", cal)
		}

		// Batch delete: the first account and oneself are refused, others go
		// with their files; their blobs are recycled in the background.
		before := blobs(t, env, false)
		e = admin.Do(t, "POST", "/admin/user/batch/delete", map[string]any{"ids": []int{1, 2, 999}})
		if e.Code != 40081 || len(e.AggregatedError) != 2 {
			t.Fatalf("batch delete: %d %s %v", e.Code, e.Msg, e.AggregatedError)
		}
		admin.ExpectCode(t, 40021, "GET", "/admin/user/2", nil)
		user.ExpectCode(t, 401, "GET", "/user/me", nil)
		collect(t, env)
		if after := blobs(t, env, false); len(after) != len(before)-1 {
			t.Errorf("blobs before %d, after %d", len(before), len(after))
		}
		admin.ExpectCode(t, 40001, "POST", "/admin/user/batch/delete", map[string]any{"ids": []int{}})
		if es := auditOf(t, admin, "user.delete"); len(es) != 1 || es[0].TargetID != "2" {
			t.Errorf("audit user.delete = %+v", es)
		}
		// The deleted user's e-mail is free again.
		env.Client().NewUser(t, "user@example.com")
	})
}
