package e2e

import (
	"context"
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stratus-drive/stratus/internal/drive"
	"github.com/stratus-drive/stratus/internal/store"
	"github.com/stratus-drive/stratus/internal/testenv"
	"github.com/stratus-drive/stratus/internal/testenv/services"
)

// fakeSlave speaks the slave side of the node protocol
// (70-nodes-webdav-config §A) for the two routes the admin tests call: it
// checks each request's signature the way a slave does, and answers ping
// by calling the master back.
type fakeSlave struct {
	key     string
	version string // what the slave requires of the master's ping
	*httptest.Server

	mu      sync.Mutex
	headers http.Header // of the last signed request
	called  string      // the callback the last ping used
}

func newFakeSlave(t *testing.T, key string) *fakeSlave {
	s := &fakeSlave{key: key}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

func (s *fakeSlave) reply(w http.ResponseWriter, code int, data any, msg string) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{"code": code, "data": data, "msg": msg})
}

func (s *fakeSlave) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	if err := checkSlaveSignature(r, s.key, body); err != nil {
		s.reply(w, 40071, nil, "Invalid sign: "+err.Error())
		return
	}
	s.mu.Lock()
	s.headers = r.Header.Clone()
	s.mu.Unlock()
	switch r.URL.Path {
	case "/api/v4/slave/ping":
		var req struct {
			Callback string `json:"callback"`
		}
		json.Unmarshal(body, &req)
		s.mu.Lock()
		s.called = req.Callback
		s.mu.Unlock()
		resp, err := http.Get(req.Callback + "/api/v4/site/ping")
		if err != nil {
			s.reply(w, 40060, nil, "Cannot reach the master")
			return
		}
		defer resp.Body.Close()
		var env struct {
			Data string `json:"data"`
		}
		json.NewDecoder(resp.Body).Decode(&env)
		if master := strings.TrimSuffix(env.Data, "-pro"); master != s.version {
			s.reply(w, 40061, nil, fmt.Sprintf("Master: %s, Slave: %s", master, s.version))
			return
		}
		s.reply(w, 0, nil, "")
	case "/api/v4/slave/download/test":
		var req struct {
			Setting json.RawMessage `json:"node_setting"`
			Hash    string          `json:"node_setting_hash"`
		}
		json.Unmarshal(body, &req)
		sum := sha1.Sum(req.Setting)
		if hex.EncodeToString(sum[:]) != req.Hash {
			s.reply(w, 40001, nil, "node_setting_hash does not match")
			return
		}
		var setting struct {
			Provider string `json:"provider"`
		}
		json.Unmarshal(req.Setting, &setting)
		s.reply(w, 0, "fake "+setting.Provider+" 9.9", "")
	default:
		s.reply(w, 404, nil, "Not found")
	}
}

func (s *fakeSlave) last() (http.Header, string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.headers, s.called
}

// checkSlaveSignature verifies the Authorization header of a signed
// master→slave request as 70-nodes-webdav-config §A.2 describes it, written
// from the contract rather than with the server's own signer.
func checkSlaveSignature(r *http.Request, key string, body []byte) error {
	sig, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer Cr ")
	if !ok {
		return fmt.Errorf("no signature")
	}
	i := strings.LastIndexByte(sig, ':')
	if i < 0 {
		return fmt.Errorf("no expiry")
	}
	exp, err := strconv.ParseInt(sig[i+1:], 10, 64)
	if err != nil || exp < time.Now().Unix() || exp > time.Now().Add(2*time.Minute).Unix() {
		return fmt.Errorf("expiry %q is not within slave_api_timeout", sig[i+1:])
	}
	var hs []string
	for k, v := range r.Header {
		if strings.HasPrefix(k, "X-Cr-") && k != "X-Cr-Filename" {
			hs = append(hs, k+"="+v[0])
		}
	}
	sort.Strings(hs)
	// Members in this order: Path, Header, Body.
	content, _ := json.Marshal(struct{ Path, Header, Body string }{r.URL.Path, strings.Join(hs, "&"), string(body)})
	m := hmac.New(sha256.New, []byte(key))
	m.Write([]byte(string(content) + ":" + sig[i+1:]))
	if !hmac.Equal([]byte(base64.URLEncoding.EncodeToString(m.Sum(nil))), []byte(sig[:i])) {
		return fmt.Errorf("mismatch")
	}
	return nil
}

// closedURL is an http URL on which nothing listens.
func closedURL(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return "http://" + addr
}

func TestAdminNodeTest(t *testing.T) {
	t.Parallel()
	aria := services.StartAria2(t, "aria-secret")
	qb := services.StartQBittorrent(t, "stratus", "qb-password")
	testenv.EachDialect(t, testenv.Options{}, func(t *testing.T, env *testenv.Env) {
		admin, user := adminUsers(t, env)
		// The slave calls the master back at the primary site URL.
		admin.OK(t, "PATCH", "/admin/settings", map[string]any{"settings": map[string]string{"siteURL": env.URL}})
		var masterVersion string
		env.Client().OK(t, "GET", "/site/ping", nil).Decode(t, &masterVersion)

		key := strings.Repeat("s", 64)
		slave := newFakeSlave(t, key)
		slave.version = masterVersion
		node := map[string]any{"id": 7, "name": "Edge", "type": "slave", "server": slave.URL, "slave_key": key}
		test := func(n map[string]any) map[string]any { return map[string]any{"node": n} }

		// The fake slave and aria2 are on loopback: refused until allowed.
		if e := admin.ExpectCode(t, 40001, "POST", "/admin/node/test", test(node)); !strings.HasPrefix(e.Msg,
			"Failed to connect to node: 127.0.0.1 is not a public address") || !strings.Contains(e.Msg, "outgoing_allow_private") {
			t.Errorf("loopback slave: msg %q", e.Msg)
		}
		admin.OK(t, "PATCH", "/admin/settings", map[string]any{"settings": map[string]string{"outgoing_allow_private": "1"}})
		admin.OK(t, "POST", "/admin/node/test", test(node))
		h, callback := slave.last()
		if callback != env.URL || h.Get("X-Cr-Site-Url") != env.URL || h.Get("X-Cr-Node-Id") != "7" ||
			h.Get("X-Cr-Version") != masterVersion || h.Get("X-Cr-Site-Id") == "" {
			t.Errorf("ping: callback %q, headers %v", callback, h)
		}

		slave.version = "0.0.1"
		e := admin.ExpectCode(t, 40001, "POST", "/admin/node/test", test(node))
		if want := "Successfully connected to slave node, but slave returns: Master: " + masterVersion + ", Slave: 0.0.1"; e.Msg != want {
			t.Errorf("version mismatch: msg %q, want %q", e.Msg, want)
		}
		slave.version = masterVersion
		wrongKey := map[string]any{"id": 7, "type": "slave", "server": slave.URL, "slave_key": strings.Repeat("x", 64)}
		if e := admin.ExpectCode(t, 40001, "POST", "/admin/node/test", test(wrongKey)); !strings.HasPrefix(e.Msg,
			"Successfully connected to slave node, but slave returns: Invalid sign") {
			t.Errorf("wrong key: msg %q", e.Msg)
		}
		down := map[string]any{"id": 7, "type": "slave", "server": closedURL(t), "slave_key": key}
		if e := admin.ExpectCode(t, 40001, "POST", "/admin/node/test", test(down)); !strings.HasPrefix(e.Msg, "Failed to connect to node: ") {
			t.Errorf("unreachable: msg %q", e.Msg)
		}
		admin.ExpectCode(t, 40001, "POST", "/admin/node/test", test(map[string]any{"type": "slave", "server": "ftp://x"}))
		admin.ExpectCode(t, 40001, "POST", "/admin/node/test", map[string]any{})
		user.ExpectCode(t, 403, "POST", "/admin/node/test", test(node))

		// A slave tests its own downloader with the node's settings.
		node["settings"] = map[string]any{"provider": "qbittorrent", "interval": 5, "qbittorrent": map[string]any{"server": "http://q.example"}}
		var version string
		admin.OK(t, "POST", "/admin/node/test/downloader", test(node)).Decode(t, &version)
		if version != "fake qbittorrent 9.9" {
			t.Errorf("slave downloader version = %q", version)
		}
		if e := admin.ExpectCode(t, 40001, "POST", "/admin/node/test/downloader", test(down)); !strings.HasPrefix(e.Msg, "Failed to connect to node: ") {
			t.Errorf("unreachable: msg %q", e.Msg)
		}

		// The master asks its aria2 directly.
		master := map[string]any{"id": 1, "type": "master", "settings": map[string]any{"provider": "aria2",
			"aria2": map[string]any{"server": aria.RPC, "token": aria.Secret}}}
		admin.OK(t, "POST", "/admin/node/test/downloader", test(master)).Decode(t, &version)
		if version != aria.Version {
			t.Errorf("aria2 version = %q, want %q", version, aria.Version)
		}
		master["settings"].(map[string]any)["aria2"] = map[string]any{"server": aria.RPC, "token": "wrong"}
		if e := admin.ExpectCode(t, 40001, "POST", "/admin/node/test/downloader", test(master)); !strings.Contains(e.Msg, "Unauthorized") {
			t.Errorf("wrong aria2 token: msg %q", e.Msg)
		}
		master["settings"] = map[string]any{"provider": "aria2", "aria2": map[string]any{"server": closedURL(t) + "/jsonrpc"}}
		if e := admin.ExpectCode(t, 40001, "POST", "/admin/node/test/downloader", test(master)); !strings.HasPrefix(e.Msg, "Failed to test downloader: ") {
			t.Errorf("aria2 down: msg %q", e.Msg)
		}

		// And its qBittorrent, signing in first.
		master["settings"] = map[string]any{"provider": "qbittorrent", "qbittorrent": map[string]any{
			"server": qb.URL, "user": qb.User, "password": qb.Password}}
		admin.OK(t, "POST", "/admin/node/test/downloader", test(master)).Decode(t, &version)
		if version != qb.Version {
			t.Errorf("qBittorrent version = %q, want %q", version, qb.Version)
		}
		master["settings"].(map[string]any)["qbittorrent"] = map[string]any{"server": qb.URL, "user": qb.User, "password": "wrong"}
		if e := admin.ExpectCode(t, 40001, "POST", "/admin/node/test/downloader", test(master)); !strings.Contains(e.Msg, "refused the sign-in") {
			t.Errorf("wrong qBittorrent password: msg %q", e.Msg)
		}
		master["settings"] = map[string]any{}
		admin.ExpectCode(t, 40001, "POST", "/admin/node/test/downloader", test(master))
		user.ExpectCode(t, 403, "POST", "/admin/node/test/downloader", test(master))
	})
}

func TestAdminPolicyCORSAndOAuth(t *testing.T) {
	t.Parallel()
	testenv.EachDialect(t, testenv.Options{}, func(t *testing.T, env *testenv.Env) {
		admin, user := adminUsers(t, env)

		// No driver of this build can set a bucket's CORS: local has none,
		// and the object-store types have no driver yet.
		for _, typ := range []string{"local", "s3", "onedrive", ""} {
			e := admin.ExpectCode(t, 40001, "POST", "/admin/policy/cors", map[string]any{"policy": map[string]any{"name": "p", "type": typ}})
			if e.Msg != "Unsupported policy type" {
				t.Errorf("cors %q: msg %q", typ, e.Msg)
			}
		}
		admin.ExpectCode(t, 40001, "POST", "/admin/policy/cors", map[string]any{})
		user.ExpectCode(t, 403, "POST", "/admin/policy/cors", map[string]any{"policy": map[string]any{"type": "s3"}})

		// The redirect URI is the primary site URL over https.
		admin.OK(t, "PATCH", "/admin/settings", map[string]any{"settings": map[string]string{
			"siteURL": "http://drive.example.com:8080/,https://other.example"}})
		var redirect string
		admin.OK(t, "GET", "/admin/policy/oauth/redirect", nil).Decode(t, &redirect)
		if redirect != "https://drive.example.com:8080/admin/policy/oauth" {
			t.Errorf("redirect = %q", redirect)
		}
		user.ExpectCode(t, 403, "GET", "/admin/policy/oauth/redirect", nil)

		// Every OAuth step needs an existing OneDrive policy; policy 1 is local.
		admin.ExpectCode(t, 40035, "POST", "/admin/policy/oauth/signin", map[string]any{"id": 1, "secret": "s", "app_id": "a"})
		admin.ExpectCode(t, 40035, "POST", "/admin/policy/oauth/signin", map[string]any{"id": 99, "secret": "s", "app_id": "a"})
		admin.ExpectCode(t, 40001, "POST", "/admin/policy/oauth/signin", map[string]any{"id": 1, "app_id": "a"})
		admin.ExpectCode(t, 40035, "GET", "/admin/policy/oauth/status/1", nil)
		admin.ExpectCode(t, 40001, "GET", "/admin/policy/oauth/status/x", nil)
		admin.ExpectCode(t, 40001, "POST", "/admin/policy/oauth/callback", map[string]any{"code": "c", "state": "one"})
		admin.ExpectCode(t, 40001, "POST", "/admin/policy/oauth/callback", map[string]any{"code": "c", "state": ""})
		admin.ExpectCode(t, 40035, "POST", "/admin/policy/oauth/callback", map[string]any{"code": "c", "state": "1"})
		admin.ExpectCode(t, 40035, "GET", "/admin/policy/oauth/root/1?url=https://contoso.sharepoint.com/sites/team", nil)
		admin.ExpectCode(t, 40001, "GET", "/admin/policy/oauth/root/1?url=not-a-url", nil)
		user.ExpectCode(t, 403, "POST", "/admin/policy/oauth/callback", map[string]any{"code": "c", "state": "1"})

		// A OneDrive row as an import from Cloudreve leaves it (the API
		// creates none while no OneDrive driver exists): sign-in saves the
		// app's credentials and points at Microsoft's authorize page.
		ctx := context.Background()
		db, err := store.Open(ctx, env.Config.Database, env.Config.System.DataDir)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		od := &drive.Policy{Name: "OneDrive", Type: "onedrive", Server: "https://microsoftgraph.chinacloudapi.cn/v1.0",
			DirNameRule: "uploads/{uid}", FileNameRule: "{originname}"}
		if err := db.InsertPolicy(ctx, od); err != nil {
			t.Fatal(err)
		}
		var signIn string
		admin.OK(t, "POST", "/admin/policy/oauth/signin", map[string]any{"id": od.ID, "secret": "client-secret", "app_id": "app-1"}).Decode(t, &signIn)
		u, err := url.Parse(signIn)
		if err != nil || u.Host != "login.chinacloudapi.cn" || u.Path != "/common/oauth2/v2.0/authorize" {
			t.Fatalf("sign-in URL = %q", signIn)
		}
		q := u.Query()
		if q.Get("client_id") != "app-1" || q.Get("scope") != "offline_access files.readwrite.all" ||
			q.Get("response_type") != "code" || q.Get("redirect_uri") != redirect || q.Get("state") != strconv.Itoa(od.ID) {
			t.Errorf("sign-in query = %v", q)
		}
		var saved struct {
			BucketName string         `json:"bucket_name"`
			SecretKey  string         `json:"secret_key"`
			Settings   map[string]any `json:"settings"`
		}
		admin.OK(t, "GET", fmt.Sprintf("/admin/policy/%d", od.ID), nil).Decode(t, &saved)
		if saved.BucketName != "app-1" || saved.SecretKey != "client-secret" || saved.Settings["od_redirect"] != redirect {
			t.Errorf("saved = %+v", saved)
		}
		var status struct {
			Valid           bool    `json:"valid"`
			LastRefreshTime *string `json:"last_refresh_time"`
		}
		admin.OK(t, "GET", fmt.Sprintf("/admin/policy/oauth/status/%d", od.ID), nil).Decode(t, &status)
		if status.Valid || status.LastRefreshTime != nil {
			t.Errorf("status before the callback = %+v", status)
		}
		// Without a credential there is no token to ask Graph with.
		e := admin.ExpectCode(t, 40001, "GET", fmt.Sprintf("/admin/policy/oauth/root/%d?url=https://contoso.sharepoint.com/sites/team", od.ID), nil)
		if !strings.Contains(e.Msg, "sign in first") {
			t.Errorf("root without a credential: msg %q", e.Msg)
		}
	})
}
