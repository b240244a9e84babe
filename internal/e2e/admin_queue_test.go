package e2e

import (
	"context"
	"testing"

	"github.com/stratus-drive/stratus/internal/testenv"
)

func TestAdminQueue(t *testing.T) {
	t.Parallel()
	testenv.EachDialect(t, testenv.Options{}, func(t *testing.T, env *testenv.Env) {
		admin, user := adminUsers(t, env)
		if _, err := env.Server.Jobs().RunNow(context.Background(), "entity_collect"); err != nil {
			t.Fatal(err)
		}
		if _, err := env.Server.Jobs().RunNow(context.Background(), "no_such_job"); err == nil {
			t.Error("an unknown job ran")
		}
		var metrics []struct {
			Name           string `json:"name"`
			SuccessTasks   int    `json:"success_tasks"`
			SubmittedTasks int    `json:"submitted_tasks"`
		}
		admin.OK(t, "GET", "/admin/queue/metrics", nil).Decode(t, &metrics)
		names := []string{"media_meta", "recycle", "io_intense", "remote_download", "thumb"}
		if len(metrics) != len(names) {
			t.Fatalf("metrics = %+v", metrics)
		}
		for i, m := range metrics {
			if m.Name != names[i] {
				t.Errorf("queue %d = %s, want %s", i, m.Name, names[i])
			}
		}
		if metrics[1].SuccessTasks != 1 || metrics[1].SubmittedTasks != 1 {
			t.Errorf("recycle = %+v", metrics[1])
		}
		tasks, p := adminList[map[string]any](t, admin, "/admin/queue", listBody(1, 10,
			map[string]string{"task_status": "completed"}), "tasks")
		if len(tasks) != 0 || p.Page != 0 {
			t.Errorf("tasks = %v %+v", tasks, p)
		}
		admin.ExpectCode(t, 40001, "POST", "/admin/queue", listBody(1, 10, map[string]string{"task_correlation_id": "x"}))
		admin.ExpectCode(t, 40001, "POST", "/admin/queue", listBody(1, 10, map[string]string{"task_status": "odd"}))
		admin.ExpectCode(t, 404, "GET", "/admin/queue/1", nil)
		admin.ExpectCode(t, 40081, "POST", "/admin/queue/batch/delete", map[string]any{"ids": []int{1}})
		admin.OK(t, "POST", "/admin/queue/cleanup", map[string]any{"not_after": "2030-01-01T00:00:00Z"})
		admin.ExpectCode(t, 40001, "POST", "/admin/queue/cleanup", map[string]any{})
		admin.ExpectCode(t, 40001, "POST", "/admin/queue/cleanup", map[string]any{"not_after": "2030-01-01T00:00:00Z",
			"status": []string{"odd"}})
		user.ExpectCode(t, 403, "GET", "/admin/queue/metrics", nil)
		user.ExpectCode(t, 403, "POST", "/admin/queue/cleanup", map[string]any{"not_after": "2030-01-01T00:00:00Z"})
	})
}
