package e2e

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stratus-drive/stratus/internal/drive"
	"github.com/stratus-drive/stratus/internal/testenv"
	"github.com/stratus-drive/stratus/internal/testenv/services"
)

func TestAdminPolicies(t *testing.T) {
	t.Parallel()
	testenv.EachDialect(t, testenv.Options{}, func(t *testing.T, env *testenv.Env) {
		admin, user := adminUsers(t, env)
		policies, p := adminList[adminPolicy](t, admin, "/admin/policy", listBody(1, 10, map[string]string{"policy_type": "local"}), "policies")
		if len(policies) != 1 || p.TotalItems != 1 || len(policies[0].Edges.Groups) != 2 {
			t.Fatalf("policies = %+v", policies)
		}

		// A second local policy in its own directory.
		root := filepath.Join(env.Config.System.DataDir, "second")
		body := map[string]any{"name": "Second", "type": "local", "max_size": 1 << 20,
			"dir_name_rule": "u{uid}", "file_name_rule": "{originname}", "settings": map[string]any{"root": root,
				"chunk_size": 1 << 20, "custom_key": "kept"}}
		var pol adminPolicy
		admin.OK(t, "PUT", "/admin/policy", map[string]any{"policy": body}).Decode(t, &pol)
		if pol.ID == 0 || pol.Settings["custom_key"] != "kept" || pol.Settings["root"] != root {
			t.Fatalf("created = %+v", pol)
		}
		for _, bad := range []map[string]any{
			{"name": "S3", "type": "s3"},
			{"name": "", "type": "local"},
			{"name": "x", "type": "local", "max_size": -1},
			{"name": "x", "type": "local", "settings": map[string]any{"root": 5}},
			{"name": "x", "type": "local", "node_id": 99},
		} {
			admin.ExpectCode(t, 40001, "PUT", "/admin/policy", map[string]any{"policy": bad})
		}
		admin.ExpectCode(t, 40001, "PUT", "/admin/policy/x", map[string]any{"policy": body})
		admin.ExpectCode(t, 40035, "GET", "/admin/policy/99", nil)

		// Move the user's group onto it: uploads land in the new directory.
		var g adminGroup
		admin.OK(t, "GET", "/admin/group/2", nil).Decode(t, &g)
		g.StoragePolicyID = pol.ID
		g.Edges.StoragePolicies = nil
		admin.OK(t, "PUT", "/admin/group/2", map[string]any{"group": g})
		upload(t, user, "cloudreve://my/p.txt", []byte("on second"), nil)
		if b, err := os.ReadFile(filepath.Join(root, "u2", "p.txt")); err != nil || string(b) != "on second" {
			t.Fatalf("blob on the second policy: %q %v", b, err)
		}
		admin.OK(t, "GET", fmt.Sprintf("/admin/policy/%d?countEntity=1", pol.ID), nil).Decode(t, &pol)
		if pol.EntitiesCount != 1 || pol.EntitiesSize != 9 || len(pol.Edges.Groups) != 1 {
			t.Errorf("usage = %+v", pol)
		}

		// An edit applies to the next upload: a new directory rule.
		body["dir_name_rule"] = "moved{uid}"
		admin.OK(t, "PUT", fmt.Sprintf("/admin/policy/%d", pol.ID), map[string]any{"policy": body})
		upload(t, user, "cloudreve://my/q.txt", []byte("after edit"), nil)
		if _, err := os.Stat(filepath.Join(root, "moved2", "q.txt")); err != nil {
			t.Errorf("edit not applied: %v", err)
		}
		// The edited size limit applies at once too.
		body["max_size"] = 4
		admin.OK(t, "PUT", fmt.Sprintf("/admin/policy/%d", pol.ID), map[string]any{"policy": body})
		user.ExpectCode(t, 40049, "PUT", "/file/upload", map[string]any{"uri": "cloudreve://my/big.txt", "size": 5})

		// Deleting: policy 1 never, a used one not, an unused one yes.
		admin.ExpectCode(t, 40036, "DELETE", "/admin/policy/1", nil)
		if e := admin.ExpectCode(t, 40038, "DELETE", fmt.Sprintf("/admin/policy/%d", pol.ID), nil); e.Msg != "1" {
			t.Errorf("40038 msg = %q", e.Msg)
		}
		g.StoragePolicyID = 1
		admin.OK(t, "PUT", "/admin/group/2", map[string]any{"group": g})
		admin.ExpectCode(t, 40037, "DELETE", fmt.Sprintf("/admin/policy/%d", pol.ID), nil)
		admin.ExpectCode(t, 40035, "DELETE", "/admin/policy/99", nil)
		var spare adminPolicy
		admin.OK(t, "PUT", "/admin/policy", map[string]any{"policy": map[string]any{"name": "Spare", "type": "local"}}).Decode(t, &spare)
		if spare.DirNameRule == "" || spare.FileNameRule == "" {
			t.Errorf("default rules not filled: %+v", spare)
		}
		admin.OK(t, "DELETE", fmt.Sprintf("/admin/policy/%d", spare.ID), nil)
		admin.ExpectCode(t, 40035, "GET", fmt.Sprintf("/admin/policy/%d", spare.ID), nil)
		if es := auditOf(t, admin, "policy.update"); len(es) != 2 {
			t.Errorf("audit policy.update = %d", len(es))
		}
	})
}

// TestAdminPolicyAcrossProcesses: a policy edit made through one process
// applies to the next upload through another.
func TestAdminPolicyAcrossProcesses(t *testing.T) {
	t.Parallel()
	a := testenv.Start(t, testenv.Options{Dialect: "postgres", Redis: true})
	b := testenv.Start(t, testenv.Options{Database: &a.Database, DataDir: a.Config.System.DataDir, Redis: true})
	admin, _ := a.Client().NewUser(t, "admin@example.com")
	onB, _ := b.Client().NewUser(t, "user@example.com")
	upload(t, onB, "cloudreve://my/before.txt", []byte("before"), nil)
	body := map[string]any{"name": "Default storage policy", "type": "local", "max_size": 3,
		"dir_name_rule": "uploads/{uid}/{path}", "file_name_rule": "{uid}_{randomkey8}_{originname}"}
	admin.OK(t, "PUT", "/admin/policy/1", map[string]any{"policy": body})
	onB.ExpectCode(t, 40049, "PUT", "/file/upload", map[string]any{"uri": "cloudreve://my/big.txt", "size": 4})
}

func TestAdminNodes(t *testing.T) {
	t.Parallel()
	testenv.EachDialect(t, testenv.Options{}, func(t *testing.T, env *testenv.Env) {
		admin, _ := adminUsers(t, env)
		nodes, _ := adminList[adminNode](t, admin, "/admin/node", listBody(1, 10, nil), "nodes")
		if len(nodes) != 1 || nodes[0].Type != "master" {
			t.Fatalf("nodes = %+v", nodes)
		}
		master := nodes[0]
		master.Settings = map[string]any{"provider": "qbittorrent", "interval": 10}
		master.Type = "slave" // ignored: the type never changes
		var got adminNode
		admin.OK(t, "PUT", "/admin/node/1", map[string]any{"node": master}).Decode(t, &got)
		if got.Type != "master" || got.Settings["provider"] != "qbittorrent" {
			t.Errorf("master = %+v", got)
		}
		master.Status = "suspended"
		admin.ExpectCode(t, 40046, "PUT", "/admin/node/1", map[string]any{"node": master})
		admin.ExpectCode(t, 40046, "DELETE", "/admin/node/1", nil)

		slave := map[string]any{"name": "Edge", "type": "master", "server": "https://edge.example.com",
			"slave_key": strings.Repeat("k", 32), "capabilities": base64.StdEncoding.EncodeToString(drive.BoolsetOf(3)),
			"weight": 2}
		var created adminNode
		admin.OK(t, "PUT", "/admin/node", map[string]any{"node": slave}).Decode(t, &created)
		if created.Type != "slave" || created.SlaveKey == "" || created.Capabilities == "" || created.Status != "active" {
			t.Errorf("created = %+v", created)
		}
		for _, bad := range []map[string]any{
			{"name": "", "server": "https://x.example.com", "slave_key": strings.Repeat("k", 32)},
			{"name": "x", "server": "ftp://x", "slave_key": strings.Repeat("k", 32)},
			{"name": "x", "server": "https://x.example.com", "slave_key": "short"},
			{"name": "x", "server": "https://x.example.com", "slave_key": strings.Repeat("k", 32), "status": "odd"},
			{"id": 7, "name": "x", "server": "https://x.example.com", "slave_key": strings.Repeat("k", 32)},
		} {
			admin.ExpectCode(t, 40001, "PUT", "/admin/node", map[string]any{"node": bad})
		}
		nodes, _ = adminList[adminNode](t, admin, "/admin/node", listBody(1, 10, map[string]string{"node_status": "active"}), "nodes")
		if len(nodes) != 2 {
			t.Errorf("active nodes = %d", len(nodes))
		}

		// A node bound to a policy cannot be deleted; the message names it.
		admin.OK(t, "PUT", "/admin/policy", map[string]any{"policy": map[string]any{"name": "Remote-ish", "type": "local",
			"node_id": created.ID}})
		if e := admin.ExpectCode(t, 40086, "DELETE", fmt.Sprintf("/admin/node/%d", created.ID), nil); e.Msg != "Remote-ish" {
			t.Errorf("40086 msg = %q", e.Msg)
		}
		admin.OK(t, "GET", fmt.Sprintf("/admin/node/%d", created.ID), nil).Decode(t, &got)
		if len(got.Edges.StoragePolicy) != 1 {
			t.Errorf("node policies = %+v", got.Edges)
		}
		var other adminNode
		admin.OK(t, "PUT", "/admin/node", map[string]any{"node": map[string]any{"name": "Spare",
			"server": "http://spare.example.com", "slave_key": strings.Repeat("s", 16)}}).Decode(t, &other)
		admin.OK(t, "DELETE", fmt.Sprintf("/admin/node/%d", other.ID), nil)
		admin.ExpectCode(t, 404, "GET", fmt.Sprintf("/admin/node/%d", other.ID), nil)
	})
}

func TestAdminSummaryAndTools(t *testing.T) {
	t.Parallel()
	mp := services.StartMailpit(t)
	testenv.EachDialect(t, testenv.Options{}, func(t *testing.T, env *testenv.Env) {
		admin, user := adminUsers(t, env)
		upload(t, user, "cloudreve://my/a.txt", []byte("a"), nil)

		var sum struct {
			Metrics *struct {
				Dates     []string `json:"dates"`
				Files     []int    `json:"files"`
				Users     []int    `json:"users"`
				FileTotal int      `json:"file_total"`
				UserTotal int      `json:"user_total"`
			} `json:"metrics_summary"`
			SiteURLs []string `json:"site_urls"`
			Version  struct {
				Version string `json:"version"`
			} `json:"version"`
		}
		admin.OK(t, "GET", "/admin/summary", nil).Decode(t, &sum)
		if sum.Metrics != nil || len(sum.SiteURLs) != 1 || sum.Version.Version == "" {
			t.Errorf("summary without generate = %+v", sum)
		}
		admin.OK(t, "GET", "/admin/summary?generate=true", nil).Decode(t, &sum)
		if sum.Metrics == nil || len(sum.Metrics.Dates) != 12 || sum.Metrics.Users[11] != 2 ||
			sum.Metrics.UserTotal != 2 || sum.Metrics.FileTotal != 3 {
			t.Fatalf("summary = %+v", sum.Metrics)
		}
		// Cached: a new user does not show until the cache is flushed.
		env.Client().NewUser(t, "third@example.com")
		admin.OK(t, "GET", "/admin/summary", nil).Decode(t, &sum)
		if sum.Metrics == nil || sum.Metrics.UserTotal != 2 {
			t.Errorf("cached summary = %+v", sum.Metrics)
		}
		admin.OK(t, "DELETE", "/admin/tool/entityUrlCache", nil)
		sum.Metrics = nil
		admin.OK(t, "GET", "/admin/summary?generate=1", nil).Decode(t, &sum)
		if sum.Metrics == nil || sum.Metrics.UserTotal != 3 {
			t.Errorf("recomputed summary = %+v", sum.Metrics)
		}

		// Test mail with unsaved settings, read back from Mailpit.
		to := strings.ToLower(strings.ReplaceAll(t.Name(), "/", "-")) + "@example.com"
		settings := map[string]string{"smtpHost": mp.SMTPHost, "smtpPort": fmt.Sprint(mp.SMTPPort),
			"fromAdress": "admin@drive.example", "fromName": "Drive"}
		// Mailpit is on loopback: refused until the administrator allows it.
		refusedMail := admin.ExpectCode(t, 40001, "POST", "/admin/tool/mail", map[string]any{"to": to, "settings": settings})
		if !strings.Contains(refusedMail.Msg, "outgoing_allow_private") {
			t.Errorf("refused mail msg = %q, want the setting that allows it", refusedMail.Msg)
		}
		admin.OK(t, "PATCH", "/admin/settings", map[string]any{"settings": map[string]string{"outgoing_allowed_cidrs": mp.SMTPHost}})
		admin.OK(t, "POST", "/admin/tool/mail", map[string]any{"to": to, "settings": settings})
		if m := mp.WaitFor(t, to, 0); !strings.Contains(m.Text, "test the mail settings") {
			t.Errorf("mail = %q", m.Text)
		}
		settings["smtpPort"] = "nope"
		admin.ExpectCode(t, 40001, "POST", "/admin/tool/mail", map[string]any{"to": to, "settings": settings})
		settings["smtpPort"] = "1"
		admin.ExpectCode(t, 50005, "POST", "/admin/tool/mail", map[string]any{"to": to, "settings": settings})
		admin.ExpectCode(t, 40001, "POST", "/admin/tool/mail", map[string]any{"to": "nobody", "settings": settings})
		admin.OK(t, "PATCH", "/admin/settings", map[string]any{"settings": map[string]string{"outgoing_allowed_cidrs": ""}})

		// Generator test: a stand-in executable that prints a version.
		exe := filepath.Join(t.TempDir(), "fake-ffmpeg")
		if err := os.WriteFile(exe, []byte("#!/bin/sh\necho \"ffmpeg version 6.1 test\"\n"), 0o755); err != nil {
			t.Fatal(err)
		}
		var out string
		admin.OK(t, "POST", "/admin/tool/thumbExecutable", map[string]any{"name": "ffmpeg", "executable": exe}).Decode(t, &out)
		if !strings.Contains(out, "ffmpeg version 6.1") {
			t.Errorf("version output = %q", out)
		}
		admin.ExpectCode(t, 40001, "POST", "/admin/tool/thumbExecutable", map[string]any{"name": "vips", "executable": exe})
		admin.ExpectCode(t, 40001, "POST", "/admin/tool/thumbExecutable", map[string]any{"name": "gimp", "executable": exe})
		admin.ExpectCode(t, 40001, "POST", "/admin/tool/thumbExecutable", map[string]any{"name": "ffmpeg",
			"executable": "/nonexistent/ffmpeg"})

		// WOPI discovery from a loopback document.
		wopi := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path != "/hosting/discovery" {
				http.NotFound(w, r)
				return
			}
			w.Write([]byte(`<?xml version="1.0"?><wopi-discovery><net-zone name="external-https">
<app name="Word" favIconUrl="https://office.example/word.ico">
<action name="view" ext="docx" urlsrc="https://office.example/wv?"/>
<action name="edit" ext="docx" urlsrc="https://office.example/we?"/>
<action name="embedview" ext="doc" urlsrc="https://office.example/wv?"/></app>
<app name="Nothing"><action name="convert" ext="x" urlsrc="https://office.example/c?"/></app>
</net-zone></wopi-discovery>`))
		}))
		defer wopi.Close()
		var group struct {
			Viewers []struct {
				ID          string                       `json:"id"`
				Type        string                       `json:"type"`
				DisplayName string                       `json:"display_name"`
				Exts        []string                     `json:"exts"`
				WopiActions map[string]map[string]string `json:"wopi_actions"`
			} `json:"viewers"`
		}
		// Refused by default: a loopback address is not public.
		refused := admin.ExpectCode(t, 40001, "GET", "/admin/tool/wopi?endpoint="+wopi.URL+"/hosting/discovery", nil)
		if !strings.Contains(refused.Msg, "127.0.0.1 is not a public address") ||
			!strings.Contains(refused.Msg, "outgoing_allow_private") {
			t.Errorf("refused WOPI msg = %q", refused.Msg)
		}
		// A name resolving to loopback is refused too (checked at connect).
		byName := strings.Replace(wopi.URL, "127.0.0.1", "localhost", 1)
		admin.ExpectCode(t, 40001, "GET", "/admin/tool/wopi?endpoint="+byName+"/hosting/discovery", nil)
		admin.OK(t, "PATCH", "/admin/settings", map[string]any{"settings": map[string]string{"outgoing_allow_private": "1"}})
		admin.OK(t, "GET", "/admin/tool/wopi?endpoint="+wopi.URL+"/hosting/discovery", nil).Decode(t, &group)
		if len(group.Viewers) != 1 || group.Viewers[0].Type != "wopi" || group.Viewers[0].DisplayName != "Word" ||
			len(group.Viewers[0].Exts) != 2 || group.Viewers[0].WopiActions["docx"]["edit"] == "" {
			t.Errorf("viewers = %+v", group)
		}
		admin.ExpectCode(t, 50005, "GET", "/admin/tool/wopi?endpoint="+wopi.URL+"/missing", nil)
		admin.ExpectCode(t, 40001, "GET", "/admin/tool/wopi?endpoint=file:///etc/passwd", nil)
		admin.ExpectCode(t, 40001, "GET", "/admin/tool/wopi", nil)
	})
}

// TestAdminAuditLog: entries can be filtered by actor, action and target.
func TestAdminAuditLog(t *testing.T) {
	t.Parallel()
	testenv.EachDialect(t, testenv.Options{}, func(t *testing.T, env *testenv.Env) {
		admin, _ := adminUsers(t, env)
		admin.OK(t, "PATCH", "/admin/settings", map[string]any{"settings": map[string]string{"siteName": "One"}})
		admin.OK(t, "PUT", "/admin/group", map[string]any{"group": map[string]any{"name": "Audited"}})
		admin.OK(t, "POST", "/admin/user/2/calibrate", nil)
		all, p := adminList[auditEntry](t, admin, "/admin/audit", listBody(1, 10, nil), "logs")
		if len(all) != 3 || p.TotalItems != 3 || all[0].Action != "user.calibrate" || all[2].Action != "settings.update" {
			t.Fatalf("log = %+v", all)
		}
		if all[0].ActorID != 1 || all[0].IP == "" || all[0].TargetType != "user" || all[0].TargetID != "2" {
			t.Errorf("entry = %+v", all[0])
		}
		byTarget, _ := adminList[auditEntry](t, admin, "/admin/audit", listBody(1, 10,
			map[string]string{"target_type": "group"}), "logs")
		if len(byTarget) != 1 || byTarget[0].Action != "group.create" {
			t.Errorf("by target = %+v", byTarget)
		}
		none, _ := adminList[auditEntry](t, admin, "/admin/audit", listBody(1, 10, map[string]string{"actor_id": "2"}), "logs")
		if len(none) != 0 {
			t.Errorf("by other actor = %+v", none)
		}
		oldest, _ := adminList[auditEntry](t, admin, "/admin/audit", map[string]any{"page": 1, "page_size": 1,
			"order_direction": "asc"}, "logs")
		if len(oldest) != 1 || oldest[0].Action != "settings.update" {
			t.Errorf("oldest = %+v", oldest)
		}
		admin.ExpectCode(t, 40001, "POST", "/admin/audit", listBody(1, 10, map[string]string{"since": "yesterday"}))
	})
}
