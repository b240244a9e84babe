// Command loadgen measures a running Stratus for scripts/bench-foundation.sh,
// so that the benchmark needs nothing beyond Go:
//
//	loadgen cold -bin PATH [-runs 10]        cold start to first ping, idle RSS
//	loadgen freeport                         print a free loopback port
//	loadgen wait -url URL [-timeout 30s]     wait until /api/v4/site/ping answers
//	loadgen signup -url URL -email E -password P
//	loadgen token -url URL -email E -password P   print an access token
//	loadgen signin -url URL -email E -password P [-c 4] [-d 10s]
//	loadgen get -url URL -path /api/v4/user/me -token T [-c 64] [-d 10s]
//	loadgen rss -pid PID [-peak]             print VmRSS (or VmHWM, the peak) in KiB
//
// Results are printed as "key: value" lines.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

func main() {
	if len(os.Args) < 2 {
		fatal(errors.New("usage: loadgen cold|freeport|wait|signup|token|signin|get|rss [flags]"))
	}
	cmd, args := os.Args[1], os.Args[2:]
	fs := flag.NewFlagSet(cmd, flag.ExitOnError)
	bin := fs.String("bin", "", "stratus binary (cold)")
	runs := fs.Int("runs", 10, "cold starts to time (cold)")
	base := fs.String("url", "", "server base URL, http://host:port")
	path := fs.String("path", "/api/v4/user/me", "request path (get)")
	token := fs.String("token", "", "bearer token (get)")
	email := fs.String("email", "", "account e-mail")
	password := fs.String("password", "", "account password")
	conc := fs.Int("c", 64, "concurrent clients")
	dur := fs.Duration("d", 10*time.Second, "load duration")
	timeout := fs.Duration("timeout", 30*time.Second, "wait timeout")
	pid := fs.Int("pid", 0, "process ID (rss)")
	peak := fs.Bool("peak", false, "print the peak resident size, VmHWM (rss)")
	fs.Parse(args)

	var err error
	switch cmd {
	case "cold":
		err = cold(*bin, *runs)
	case "freeport":
		var p int
		if p, err = freePort(); err == nil {
			fmt.Println(p)
		}
	case "wait":
		_, err = waitPing(*base, *timeout)
	case "signup":
		_, err = api(newClient(1), "POST", *base+"/api/v4/user", "", map[string]string{"email": *email, "password": *password})
	case "token":
		var t string
		if t, err = signIn(newClient(1), *base, *email, *password); err == nil {
			fmt.Println(t)
		}
	case "signin":
		body, _ := json.Marshal(map[string]string{"email": *email, "password": *password})
		err = load(*conc, *dur, func(c *http.Client) error {
			_, err := apiRaw(c, "POST", *base+"/api/v4/session/token", "", body)
			return err
		})
	case "get":
		err = load(*conc, *dur, func(c *http.Client) error {
			_, err := apiRaw(c, "GET", *base+*path, *token, nil)
			return err
		})
	case "rss":
		var kb int
		field := "VmRSS:"
		if *peak {
			field = "VmHWM:"
		}
		if kb, err = statusKiB(*pid, field); err == nil {
			fmt.Println(kb)
		}
	default:
		err = fmt.Errorf("unknown command %q", cmd)
	}
	if err != nil {
		fatal(err)
	}
}

func fatal(err error) {
	fmt.Fprintln(os.Stderr, "loadgen:", err)
	os.Exit(1)
}

func newClient(conns int) *http.Client {
	return &http.Client{
		Timeout: 30 * time.Second,
		Transport: &http.Transport{
			MaxIdleConns:        conns,
			MaxIdleConnsPerHost: conns,
			DisableCompression:  true,
		},
	}
}

// apiRaw sends one request and fails unless the envelope code is 0.
func apiRaw(c *http.Client, method, url, token string, body []byte) (json.RawMessage, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		return nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := c.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var env struct {
		Code int             `json:"code"`
		Msg  string          `json:"msg"`
		Data json.RawMessage `json:"data"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&env); err != nil {
		return nil, fmt.Errorf("%s %s: status %d: %w", method, url, resp.StatusCode, err)
	}
	if env.Code != 0 {
		return nil, fmt.Errorf("%s %s: code %d %s", method, url, env.Code, env.Msg)
	}
	return env.Data, nil
}

func api(c *http.Client, method, url, token string, body any) (json.RawMessage, error) {
	raw, err := json.Marshal(body)
	if err != nil {
		return nil, err
	}
	return apiRaw(c, method, url, token, raw)
}

func signIn(c *http.Client, base, email, password string) (string, error) {
	data, err := api(c, "POST", base+"/api/v4/session/token", "", map[string]string{"email": email, "password": password})
	if err != nil {
		return "", err
	}
	var l struct {
		Token struct {
			AccessToken string `json:"access_token"`
		} `json:"token"`
	}
	if err := json.Unmarshal(data, &l); err != nil {
		return "", err
	}
	return l.Token.AccessToken, nil
}

// load runs fn from conc goroutines for d and prints throughput and latency.
func load(conc int, d time.Duration, fn func(*http.Client) error) error {
	c := newClient(conc)
	// Warm the connection pool so that dials are not timed.
	var wg sync.WaitGroup
	for range conc {
		wg.Go(func() { fn(c) })
	}
	wg.Wait()

	var errCount atomic.Int64
	var firstErr atomic.Value
	lat := make([][]time.Duration, conc)
	stop := time.Now().Add(d)
	start := time.Now()
	for i := range conc {
		wg.Go(func() {
			for time.Now().Before(stop) {
				t0 := time.Now()
				if err := fn(c); err != nil {
					errCount.Add(1)
					firstErr.CompareAndSwap(nil, err.Error())
					continue
				}
				lat[i] = append(lat[i], time.Since(t0))
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	all := slices.Concat(lat...)
	slices.Sort(all)
	fmt.Printf("requests: %d ok, %d failed in %.1fs\n", len(all), errCount.Load(), elapsed.Seconds())
	if e := firstErr.Load(); e != nil {
		fmt.Printf("first error: %s\n", e)
	}
	if len(all) == 0 {
		return errors.New("no successful requests")
	}
	fmt.Printf("rps: %.0f\n", float64(len(all))/elapsed.Seconds())
	fmt.Printf("p50: %s\n", pct(all, 50))
	fmt.Printf("p90: %s\n", pct(all, 90))
	fmt.Printf("p99: %s\n", pct(all, 99))
	fmt.Printf("max: %s\n", all[len(all)-1])
	return nil
}

func pct(sorted []time.Duration, p int) time.Duration {
	i := (len(sorted)*p + 99) / 100
	return sorted[max(0, min(len(sorted)-1, i-1))].Round(10 * time.Microsecond)
}

// cold starts the binary runs times on an empty data directory and times
// exec to the first successful ping; one second later it reads VmRSS.
func cold(bin string, runs int) error {
	if bin == "" {
		return errors.New("cold: -bin required")
	}
	var starts []time.Duration
	var rss []int
	for i := range runs {
		d, kb, err := coldOnce(bin)
		if err != nil {
			return fmt.Errorf("run %d: %w", i+1, err)
		}
		starts = append(starts, d)
		rss = append(rss, kb)
	}
	slices.Sort(starts)
	slices.Sort(rss)
	fmt.Printf("cold_start_runs: %d\n", runs)
	fmt.Printf("cold_start_median: %s\n", starts[len(starts)/2].Round(100*time.Microsecond))
	fmt.Printf("cold_start_min: %s\n", starts[0].Round(100*time.Microsecond))
	fmt.Printf("cold_start_max: %s\n", starts[len(starts)-1].Round(100*time.Microsecond))
	fmt.Printf("idle_rss_median_kib: %d\n", rss[len(rss)/2])
	return nil
}

func coldOnce(bin string) (time.Duration, int, error) {
	dir, err := os.MkdirTemp("", "stratus-cold-")
	if err != nil {
		return 0, 0, err
	}
	defer os.RemoveAll(dir)
	port, err := freePort()
	if err != nil {
		return 0, 0, err
	}
	base := "http://127.0.0.1:" + strconv.Itoa(port)
	cmd := exec.Command(bin, "server", "--listen", "127.0.0.1:"+strconv.Itoa(port), "--data", filepath.Join(dir, "data"))
	cmd.Env = []string{"PATH=" + os.Getenv("PATH")}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return 0, 0, err
	}
	defer func() {
		cmd.Process.Signal(os.Interrupt)
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			<-done
		}
	}()
	if _, err := waitPing(base, 30*time.Second); err != nil {
		return 0, 0, fmt.Errorf("%w\n%s", err, stderr.String())
	}
	d := time.Since(start)
	time.Sleep(time.Second)
	kb, err := statusKiB(cmd.Process.Pid, "VmRSS:")
	return d, kb, err
}

// waitPing polls /api/v4/site/ping until it answers with code 0.
func waitPing(base string, timeout time.Duration) (time.Duration, error) {
	c := &http.Client{Timeout: time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	start := time.Now()
	for {
		if _, err := apiRaw(c, "GET", base+"/api/v4/site/ping", "", nil); err == nil {
			return time.Since(start), nil
		} else if time.Since(start) > timeout {
			return 0, fmt.Errorf("no ping from %s within %v: %w", base, timeout, err)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// statusKiB reads a "Field:   N kB" line of /proc/PID/status.
func statusKiB(pid int, field string) (int, error) {
	f, err := os.Open("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), field); ok {
			return strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(v), " kB"))
		}
	}
	return 0, fmt.Errorf("no %s in /proc/%d/status", field, pid)
}
