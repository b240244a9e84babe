// Package metrics counts what the server does and writes it in the
// Prometheus text exposition format (version 0.0.4): requests and their
// latencies per route, bytes received and sent, plus whatever gauges the
// composition root adds (task queues, the database pool) and the Go
// runtime. It uses only the standard library.
package metrics

import (
	"context"
	"fmt"
	"io"
	"math"
	"net/http"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// buckets are the latency histogram's upper bounds in seconds.
var buckets = []float64{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30}

// Registry collects request figures. The zero value is not usable; use New.
type Registry struct {
	mu     sync.Mutex
	routes map[routeKey]*routeStats
	gauges []func() []Sample
}

type routeKey struct {
	method, route string
}

type routeStats struct {
	codes             map[int]uint64
	counts            []uint64 // per bucket, not cumulative; the last is +Inf
	sum               float64
	bytesIn, bytesOut uint64
}

// Sample is one value of a gauge or counter that another package reports.
type Sample struct {
	Name   string // metric name, e.g. stratus_db_open_connections
	Help   string
	Type   string // "gauge" or "counter"
	Labels map[string]string
	Value  float64
}

// New returns an empty registry.
func New() *Registry { return &Registry{routes: map[routeKey]*routeStats{}} }

// AddSource registers fn, called at every scrape for its current samples.
func (r *Registry) AddSource(fn func() []Sample) {
	r.mu.Lock()
	r.gauges = append(r.gauges, fn)
	r.mu.Unlock()
}

// Observe records one request.
func (r *Registry) Observe(method, route string, code int, d time.Duration, bytesIn, bytesOut int64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	k := routeKey{method, route}
	st := r.routes[k]
	if st == nil {
		st = &routeStats{codes: map[int]uint64{}, counts: make([]uint64, len(buckets)+1)}
		r.routes[k] = st
	}
	st.codes[code]++
	sec := d.Seconds()
	i := sort.SearchFloat64s(buckets, sec)
	st.counts[i]++
	st.sum += sec
	st.bytesIn += uint64(max(bytesIn, 0))
	st.bytesOut += uint64(max(bytesOut, 0))
}

type routeCtxKey struct{}

// SetRoute names the route of r more precisely than the outer router can
// (the API's own pattern, say); the middleware uses the last name set.
func SetRoute(r *http.Request, route string) {
	if p, ok := r.Context().Value(routeCtxKey{}).(*string); ok {
		*p = route
	}
}

// Middleware measures every request next serves. route names the request
// when no handler calls SetRoute; it must return a bounded set of names
// (router patterns, never raw paths).
func (r *Registry) Middleware(route func(*http.Request) string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		start := time.Now()
		name := new(string)
		req2 := req.WithContext(context.WithValue(req.Context(), routeCtxKey{}, name))
		body := &countingBody{ReadCloser: req.Body}
		if req.Body != nil && req.Body != http.NoBody {
			req2.Body = body
		}
		cw := &countingWriter{ResponseWriter: w, code: http.StatusOK}
		defer func() {
			if *name == "" {
				*name = route(req)
			}
			r.Observe(req.Method, *name, cw.code, time.Since(start), body.n, cw.n)
		}()
		next.ServeHTTP(cw, req2)
	})
}

type countingBody struct {
	io.ReadCloser
	n int64
}

func (b *countingBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	b.n += int64(n)
	return n, err
}

// countingWriter counts bytes and keeps the status. It forwards Unwrap (so
// http.ResponseController reaches the real writer) and ReadFrom (so
// sendfile stays reachable).
type countingWriter struct {
	http.ResponseWriter
	code        int
	n           int64
	wroteHeader bool
}

func (w *countingWriter) WriteHeader(code int) {
	if !w.wroteHeader {
		w.code, w.wroteHeader = code, true
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *countingWriter) Write(p []byte) (int, error) {
	w.wroteHeader = true
	n, err := w.ResponseWriter.Write(p)
	w.n += int64(n)
	return n, err
}

func (w *countingWriter) ReadFrom(src io.Reader) (int64, error) {
	w.wroteHeader = true
	var n int64
	var err error
	if rf, ok := w.ResponseWriter.(io.ReaderFrom); ok {
		n, err = rf.ReadFrom(src)
	} else {
		n, err = io.Copy(w.ResponseWriter, src)
	}
	w.n += n
	return n, err
}

func (w *countingWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// WriteTo writes every metric in the Prometheus text format.
func (r *Registry) WriteTo(out io.Writer) (int64, error) {
	var b strings.Builder
	r.mu.Lock()
	keys := make([]routeKey, 0, len(r.routes))
	for k := range r.routes {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b routeKey) int {
		return strings.Compare(a.route+" "+a.method, b.route+" "+b.method)
	})
	header(&b, "stratus_http_requests_total", "counter", "HTTP requests by method, route and status code.")
	for _, k := range keys {
		st := r.routes[k]
		codes := make([]int, 0, len(st.codes))
		for c := range st.codes {
			codes = append(codes, c)
		}
		slices.Sort(codes)
		for _, c := range codes {
			line(&b, "stratus_http_requests_total", float64(st.codes[c]), "method", k.method, "route", k.route,
				"code", strconv.Itoa(c))
		}
	}
	header(&b, "stratus_http_request_duration_seconds", "histogram", "HTTP request latency by method and route.")
	for _, k := range keys {
		st := r.routes[k]
		var cum, total uint64
		for _, c := range st.counts {
			total += c
		}
		for i, le := range buckets {
			cum += st.counts[i]
			line(&b, "stratus_http_request_duration_seconds_bucket", float64(cum), "method", k.method,
				"route", k.route, "le", formatFloat(le))
		}
		line(&b, "stratus_http_request_duration_seconds_bucket", float64(total), "method", k.method,
			"route", k.route, "le", "+Inf")
		line(&b, "stratus_http_request_duration_seconds_sum", st.sum, "method", k.method, "route", k.route)
		line(&b, "stratus_http_request_duration_seconds_count", float64(total), "method", k.method, "route", k.route)
	}
	header(&b, "stratus_http_received_bytes_total", "counter", "Request body bytes read (uploads), by route.")
	for _, k := range keys {
		line(&b, "stratus_http_received_bytes_total", float64(r.routes[k].bytesIn), "method", k.method, "route", k.route)
	}
	header(&b, "stratus_http_sent_bytes_total", "counter", "Response body bytes written (downloads), by route.")
	for _, k := range keys {
		line(&b, "stratus_http_sent_bytes_total", float64(r.routes[k].bytesOut), "method", k.method, "route", k.route)
	}
	sources := slices.Clone(r.gauges)
	r.mu.Unlock()

	var samples []Sample
	for _, src := range sources {
		samples = append(samples, src()...)
	}
	samples = append(samples, runtimeSamples()...)
	seen := map[string]bool{}
	for _, s := range samples {
		if !seen[s.Name] {
			seen[s.Name] = true
			header(&b, s.Name, s.Type, s.Help)
		}
		kv := make([]string, 0, 2*len(s.Labels))
		for _, name := range slices.Sorted(mapKeys(s.Labels)) {
			kv = append(kv, name, s.Labels[name])
		}
		line(&b, s.Name, s.Value, kv...)
	}
	n, err := io.WriteString(out, b.String())
	return int64(n), err
}

// runtimeSamples are the Go runtime's figures.
func runtimeSamples() []Sample {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return []Sample{
		{Name: "go_goroutines", Type: "gauge", Help: "Goroutines that currently exist.", Value: float64(runtime.NumGoroutine())},
		{Name: "go_memstats_heap_alloc_bytes", Type: "gauge", Help: "Heap bytes allocated and in use.", Value: float64(ms.HeapAlloc)},
		{Name: "go_memstats_sys_bytes", Type: "gauge", Help: "Bytes obtained from the system.", Value: float64(ms.Sys)},
		{Name: "go_gc_cycles_total", Type: "counter", Help: "Completed GC cycles.", Value: float64(ms.NumGC)},
		{Name: "go_gc_pause_seconds_total", Type: "counter", Help: "Total GC stop-the-world pause.", Value: float64(ms.PauseTotalNs) / 1e9},
		{Name: "go_info", Type: "gauge", Help: "The Go version the server was built with.",
			Labels: map[string]string{"version": runtime.Version()}, Value: 1},
	}
}

func mapKeys(m map[string]string) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

func header(b *strings.Builder, name, typ, help string) {
	fmt.Fprintf(b, "# HELP %s %s\n# TYPE %s %s\n", name, escapeHelp(help), name, typ)
}

// line writes one sample; labels come as name, value pairs.
func line(b *strings.Builder, name string, v float64, labels ...string) {
	b.WriteString(name)
	if len(labels) > 0 {
		b.WriteByte('{')
		for i := 0; i+1 < len(labels); i += 2 {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(labels[i])
			b.WriteString(`="`)
			b.WriteString(escapeLabel(labels[i+1]))
			b.WriteByte('"')
		}
		b.WriteByte('}')
	}
	b.WriteByte(' ')
	b.WriteString(formatFloat(v))
	b.WriteByte('\n')
}

func formatFloat(v float64) string {
	switch {
	case math.IsInf(v, 1):
		return "+Inf"
	case math.IsInf(v, -1):
		return "-Inf"
	case math.IsNaN(v):
		return "NaN"
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

var labelEscaper = strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)
var helpEscaper = strings.NewReplacer(`\`, `\\`, "\n", `\n`)

func escapeLabel(s string) string { return labelEscaper.Replace(s) }
func escapeHelp(s string) string  { return helpEscaper.Replace(s) }
