package metrics

import (
	"strings"
	"testing"
	"time"
)

func TestWriteTo(t *testing.T) {
	r := New()
	r.Observe("GET", "GET /a", 200, 3*time.Millisecond, 0, 10)
	r.Observe("GET", "GET /a", 200, 2*time.Second, 5, 20)
	r.Observe("GET", "GET /a", 404, 20*time.Millisecond, 0, 0)
	r.AddSource(func() []Sample {
		return []Sample{{Name: "x_total", Type: "counter", Help: "line\nbreak", Labels: map[string]string{"q": `a"b\c`}, Value: 2}}
	})
	var b strings.Builder
	if _, err := r.WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	text := b.String()
	for _, want := range []string{
		`stratus_http_requests_total{method="GET",route="GET /a",code="200"} 2`,
		`stratus_http_requests_total{method="GET",route="GET /a",code="404"} 1`,
		`stratus_http_request_duration_seconds_bucket{method="GET",route="GET /a",le="0.005"} 1`,
		`stratus_http_request_duration_seconds_bucket{method="GET",route="GET /a",le="0.025"} 2`,
		`stratus_http_request_duration_seconds_bucket{method="GET",route="GET /a",le="2.5"} 3`,
		`stratus_http_request_duration_seconds_bucket{method="GET",route="GET /a",le="+Inf"} 3`,
		`stratus_http_request_duration_seconds_count{method="GET",route="GET /a"} 3`,
		`stratus_http_received_bytes_total{method="GET",route="GET /a"} 5`,
		`stratus_http_sent_bytes_total{method="GET",route="GET /a"} 30`,
		"# HELP x_total line\\nbreak",
		`x_total{q="a\"b\\c"} 2`,
		`go_info{version="go`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("missing %q in:\n%s", want, text)
		}
	}
}
