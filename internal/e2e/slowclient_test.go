package e2e

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stratus-drive/stratus/internal/server"
	"github.com/stratus-drive/stratus/internal/testenv"
)

// slowLimits are tight enough for a test: a body may start a second late
// and must then keep up 100 B/s; four anonymous connections per address.
var slowLimits = server.SlowClients{BodyGrace: time.Second, MinBodyRate: 100, PerAddress: 4, IdleTimeout: time.Second}

// safety bounds how long a test waits for what should happen at once; it is
// a guard against hanging, not a timing assertion.
const safety = 20 * time.Second

func dial(t *testing.T, addr string) net.Conn {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// ping sends GET /api/v4/site/ping on c (with a bearer token when given)
// and reads the answer; it reports whether one came.
func ping(c net.Conn, br *bufio.Reader, token string) error {
	auth := ""
	if token != "" {
		auth = "Authorization: Bearer " + token + "\r\n"
	}
	c.SetDeadline(time.Now().Add(safety))
	if _, err := fmt.Fprintf(c, "GET /api/v4/site/ping HTTP/1.1\r\nHost: t\r\n%s\r\n", auth); err != nil {
		return err
	}
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		return err
	}
	_, err = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return err
}

// closedByServer reports whether the server has closed c: a read returns
// EOF or a reset rather than waiting.
func closedByServer(c net.Conn) bool {
	c.SetReadDeadline(time.Now().Add(safety))
	_, err := c.Read(make([]byte, 1))
	var ne net.Error
	return err != nil && !(errors.As(err, &ne) && ne.Timeout())
}

// TestSlowBodyCut: a body trickling a byte every 200 ms falls below the
// minimum rate once its grace is over, and the server ends the exchange
// before the body is complete.
func TestSlowBodyCut(t *testing.T) {
	env := testenv.Start(t, testenv.Options{SlowClients: slowLimits})
	c := dial(t, env.Serve(t))
	const length = 1000
	fmt.Fprintf(c, "POST /api/v4/session/token HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n", length)
	ended := make(chan struct{})
	go func() {
		io.Copy(io.Discard, c) // a response or the close, either ends the exchange
		close(ended)
	}()
	sent := 0
	deadline := time.Now().Add(safety)
	for ; sent < length; sent++ {
		select {
		case <-ended:
			t.Logf("server ended the exchange after %d of %d body bytes", sent, length)
			return
		case <-time.After(200 * time.Millisecond):
		}
		if _, err := c.Write([]byte(" ")); err != nil {
			return // the server closed the connection
		}
		if time.Now().After(deadline) {
			break
		}
	}
	t.Fatalf("the server still waited for the trickling body after %d bytes", sent)
}

// TestSlowButRealBodySurvives: a body that keeps above the minimum rate may
// take longer than the grace.
func TestSlowButRealBodySurvives(t *testing.T) {
	env := testenv.Start(t, testenv.Options{SlowClients: slowLimits})
	c := dial(t, env.Serve(t))
	body := `{"email":"nobody@example.com","password":"wrong"` + strings.Repeat(" ", 550) + `}`
	fmt.Fprintf(c, "POST /api/v4/session/token HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n", len(body))
	// 30 bytes every 100 ms (300 B/s) for two seconds: twice the grace.
	for i := 0; i < len(body); i += 30 {
		time.Sleep(100 * time.Millisecond)
		if _, err := io.WriteString(c, body[i:min(i+30, len(body))]); err != nil {
			t.Fatalf("write after %d bytes: %v", i, err)
		}
	}
	c.SetReadDeadline(time.Now().Add(safety))
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatalf("no answer to the slow but steady body: %v", err)
	}
	raw, _ := io.ReadAll(resp.Body)
	if !strings.Contains(string(raw), `"code":40080`) {
		t.Errorf("answer %d %s; want the wrong-credentials envelope", resp.StatusCode, raw)
	}
}

// TestAnonymousConnectionCap: an address holds at most four connections
// that have not carried a signed-in request; a signed-in request frees its
// connection's place.
func TestAnonymousConnectionCap(t *testing.T) {
	env := testenv.Start(t, testenv.Options{SlowClients: slowLimits})
	_, login := env.Client().NewUser(t, "conns@example.com")
	addr := env.Serve(t)
	conns := make([]net.Conn, 4)
	readers := make([]*bufio.Reader, 4)
	for i := range conns {
		conns[i] = dial(t, addr)
		readers[i] = bufio.NewReader(conns[i])
		if err := ping(conns[i], readers[i], ""); err != nil {
			t.Fatalf("connection %d within the cap: %v", i+1, err)
		}
	}
	if !closedByServer(dial(t, addr)) {
		t.Fatal("a fifth anonymous connection was kept open")
	}
	// Signing in on the first connection takes it off the count.
	if err := ping(conns[0], readers[0], login.Token.AccessToken); err != nil {
		t.Fatal(err)
	}
	fifth := dial(t, addr)
	if err := ping(fifth, bufio.NewReader(fifth), ""); err != nil {
		t.Fatalf("a new connection after one was signed in: %v", err)
	}
	// That place is taken again now.
	if !closedByServer(dial(t, addr)) {
		t.Fatal("the cap let a connection in while four anonymous ones were open")
	}
}

// TestIdleConnectionClosed: a keep-alive connection that sends nothing more
// is closed after the idle timeout.
func TestIdleConnectionClosed(t *testing.T) {
	env := testenv.Start(t, testenv.Options{SlowClients: slowLimits})
	c := dial(t, env.Serve(t))
	if err := ping(c, bufio.NewReader(c), ""); err != nil {
		t.Fatal(err)
	}
	if !closedByServer(c) {
		t.Fatal("an idle connection stayed open")
	}
}
