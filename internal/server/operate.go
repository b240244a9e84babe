package server

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"github.com/stratus-drive/stratus/internal/metrics"
)

// MetricsTokenKey is the site setting that turns GET /metrics on: empty (the
// default) serves nothing; otherwise a scrape must send it as a bearer token.
const MetricsTokenKey = "metrics_token"

// metricsSources registers the figures other packages keep: the task
// queues and the database pool.
func (s *Server) metricsSources() {
	s.metrics.AddSource(func() []metrics.Sample {
		var out []metrics.Sample
		for _, q := range s.scheduler.Metrics() {
			l := map[string]string{"queue": q.Name}
			out = append(out,
				metrics.Sample{Name: "stratus_queue_busy_workers", Type: "gauge", Help: "Workers running a task, by queue.",
					Labels: l, Value: float64(q.BusyWorkers)},
				metrics.Sample{Name: "stratus_queue_submitted_tasks_total", Type: "counter",
					Help: "Tasks submitted, by queue (scheduled job runs count in recycle).", Labels: l,
					Value: float64(q.SubmittedTasks)},
				metrics.Sample{Name: "stratus_queue_finished_tasks_total", Type: "counter", Help: "Tasks finished, by queue and outcome.",
					Labels: map[string]string{"queue": q.Name, "outcome": "success"}, Value: float64(q.SuccessTasks)},
				metrics.Sample{Name: "stratus_queue_finished_tasks_total", Type: "counter", Help: "Tasks finished, by queue and outcome.",
					Labels: map[string]string{"queue": q.Name, "outcome": "failure"}, Value: float64(q.FailureTasks)},
			)
		}
		st := s.db.Stats()
		return append(out,
			metrics.Sample{Name: "stratus_db_open_connections", Type: "gauge", Help: "Open database connections.",
				Value: float64(st.OpenConnections)},
			metrics.Sample{Name: "stratus_db_in_use_connections", Type: "gauge", Help: "Database connections in use.",
				Value: float64(st.InUse)},
			metrics.Sample{Name: "stratus_db_idle_connections", Type: "gauge", Help: "Idle database connections.",
				Value: float64(st.Idle)},
			metrics.Sample{Name: "stratus_db_max_open_connections", Type: "gauge", Help: "The pool's connection limit.",
				Value: float64(st.MaxOpenConnections)},
			metrics.Sample{Name: "stratus_db_wait_total", Type: "counter", Help: "Waits for a free connection.",
				Value: float64(st.WaitCount)},
			metrics.Sample{Name: "stratus_db_wait_seconds_total", Type: "counter", Help: "Time spent waiting for a connection.",
				Value: st.WaitDuration.Seconds()},
		)
	})
}

// serveMetrics answers GET /metrics in the Prometheus text format when the
// metrics token is set and the request carries it; otherwise 404, so that a
// site that has not turned metrics on does not show that the route exists.
func (s *Server) serveMetrics(w http.ResponseWriter, r *http.Request) {
	token := s.settings.String(MetricsTokenKey)
	if token == "" {
		http.NotFound(w, r)
		return
	}
	got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || subtle.ConstantTimeCompare([]byte(got), []byte(token)) != 1 {
		w.Header().Set("WWW-Authenticate", `Bearer realm="metrics"`)
		http.Error(w, "metrics token required", http.StatusUnauthorized)
		return
	}
	w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	s.metrics.WriteTo(w)
}

// healthKey is what the health check reads from the KV store.
const healthKey = "health_probe"

// serveHealth answers GET /healthz for load balancers: 200 when the
// database and the KV store answer within two seconds, else 503; the body
// says which failed (and nothing about why, which goes to the log).
func (s *Server) serveHealth(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	status := map[string]string{"status": "ok", "database": "ok", "kv": "ok"}
	code := http.StatusOK
	if err := s.db.Ping(ctx); err != nil {
		s.log.Warn("health: database", "err", err)
		status["database"], status["status"], code = "unavailable", "unavailable", http.StatusServiceUnavailable
	}
	if _, _, err := s.kv.Get(ctx, healthKey); err != nil {
		s.log.Warn("health: kv", "err", err)
		status["kv"], status["status"], code = "unavailable", "unavailable", http.StatusServiceUnavailable
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(status)
}
