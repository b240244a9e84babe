package e2e

import (
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stratus-drive/stratus/internal/testenv"
)

func TestHealthAndMetrics(t *testing.T) {
	t.Parallel()
	testenv.EachDialect(t, testenv.Options{}, func(t *testing.T, env *testenv.Env) {
		resp := rawGet(t, env, "/healthz")
		var health map[string]string
		json.NewDecoder(resp.Body).Decode(&health)
		resp.Body.Close()
		if resp.StatusCode != 200 || health["status"] != "ok" || health["database"] != "ok" || health["kv"] != "ok" {
			t.Errorf("healthz = %d %v", resp.StatusCode, health)
		}

		scrape := func(token string) (int, string) {
			t.Helper()
			req, _ := http.NewRequest("GET", env.URL+"/metrics", nil)
			if token != "" {
				req.Header.Set("Authorization", "Bearer "+token)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			return resp.StatusCode, string(b)
		}
		if code, _ := scrape(""); code != 404 {
			t.Errorf("metrics while off: %d", code)
		}
		admin, user := adminUsers(t, env)
		const token = "scrape-token-0123456789"
		admin.OK(t, "PATCH", "/admin/settings", map[string]any{"settings": map[string]string{"metrics_token": token}})
		var got map[string]string
		admin.OK(t, "POST", "/admin/settings", map[string]any{"keys": []string{"metrics_token"}}).Decode(t, &got)
		if _, shown := got["metrics_token"]; shown {
			t.Error("the metrics token is readable")
		}
		if code, _ := scrape(""); code != 401 {
			t.Errorf("metrics without token: %d", code)
		}
		if code, _ := scrape("wrong"); code != 401 {
			t.Errorf("metrics with a wrong token: %d", code)
		}

		data := strings.Repeat("m", 3000)
		upload(t, user, "cloudreve://my/m.txt", []byte(data), nil)
		env.Client().OK(t, "GET", "/site/ping", nil)
		code, text := scrape(token)
		if code != 200 {
			t.Fatalf("metrics: %d %s", code, text)
		}
		for _, want := range []string{
			`stratus_http_requests_total{method="GET",route="GET /api/v4/site/ping",code="200"} 1`,
			`stratus_http_request_duration_seconds_count{method="GET",route="GET /api/v4/site/ping"} 1`,
			`stratus_http_requests_total{method="GET",route="GET /healthz",code="200"} 1`,
			"# TYPE stratus_http_request_duration_seconds histogram",
			`stratus_queue_busy_workers{queue="recycle"} 0`,
			"stratus_db_open_connections ",
			"go_goroutines ",
		} {
			if !strings.Contains(text, want) {
				t.Errorf("metrics lack %q", want)
			}
		}
		m := regexp.MustCompile(`stratus_http_received_bytes_total\{method="POST",route="POST /api/v4/file/upload/\{session\}/\{index\}"\} (\d+)`).
			FindStringSubmatch(text)
		if m == nil {
			t.Fatalf("no upload bytes in metrics")
		}
		if n, _ := strconv.Atoi(m[1]); n != len(data) {
			t.Errorf("upload bytes = %s, want %d", m[1], len(data))
		}
		// Raw paths never become labels: an unknown path counts under no route.
		rawGet(t, env, "/api/v4/no/such/thing").Body.Close()
		if _, text = scrape(token); strings.Contains(text, "no/such/thing") {
			t.Error("a raw path became a label")
		}
	})
}
