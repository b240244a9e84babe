package services

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

// Mailpit names the test mail server (STRATUS_TEST_REQUIRE=mailpit or all).
const Mailpit = "mailpit"

// MailpitPath finds the mailpit binary in PATH, then in $GOPATH/bin (where
// `go install github.com/axllent/mailpit@v1.33.1` puts it).
func MailpitPath() (string, error) {
	if p, err := exec.LookPath("mailpit"); err == nil {
		return p, nil
	}
	gopath := os.Getenv("GOPATH")
	if gopath == "" {
		if out, err := exec.Command("go", "env", "GOPATH").Output(); err == nil {
			gopath = string(trimNL(out))
		}
	}
	if gopath == "" {
		if home, err := os.UserHomeDir(); err == nil {
			gopath = filepath.Join(home, "go")
		}
	}
	for _, dir := range filepath.SplitList(gopath) {
		p := filepath.Join(dir, "bin", "mailpit")
		if st, err := os.Stat(p); err == nil && !st.IsDir() {
			return p, nil
		}
	}
	return "", fmt.Errorf("mailpit not found in PATH or GOPATH/bin")
}

func trimNL(b []byte) []byte {
	for len(b) > 0 && (b[len(b)-1] == '\n' || b[len(b)-1] == '\r') {
		b = b[:len(b)-1]
	}
	return b
}

// MailServer is a running mailpit.
type MailServer struct {
	SMTPHost string
	SMTPPort int
	api      string
}

// MailSummary is one entry of mailpit's message list.
type MailSummary struct {
	ID      string
	Subject string
	To      []struct{ Address string }
}

// MailMessage is one message as mailpit decodes it.
type MailMessage struct {
	ID      string
	Subject string
	From    struct{ Name, Address string }
	To      []struct{ Name, Address string }
	ReplyTo []struct{ Name, Address string }
	Text    string
}

// StartMailpit runs a mailpit for the test on free loopback ports, accepting
// any SMTP credentials, and stops it at cleanup.
func StartMailpit(t testing.TB) *MailServer {
	t.Helper()
	bin, err := MailpitPath()
	if err != nil {
		Unavailable(t, Mailpit, err)
	}
	httpPort, smtpPort := freePort(t), freePort(t)
	dir := t.TempDir()
	cmd := exec.Command(bin,
		"--listen", "127.0.0.1:"+strconv.Itoa(httpPort),
		"--smtp", "127.0.0.1:"+strconv.Itoa(smtpPort),
		"--disable-version-check", "--smtp-auth-accept-any", "--smtp-auth-allow-insecure",
		"-d", filepath.Join(dir, "m.db"))
	cmd.Stdout, cmd.Stderr = nil, nil
	if err := cmd.Start(); err != nil {
		Unavailable(t, Mailpit, err)
	}
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-done
	})
	m := &MailServer{SMTPHost: "127.0.0.1", SMTPPort: smtpPort, api: "http://127.0.0.1:" + strconv.Itoa(httpPort)}
	deadline := time.Now().Add(15 * time.Second)
	for {
		resp, err := http.Get(m.api + "/api/v1/messages")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				if c, err := net.DialTimeout("tcp", net.JoinHostPort(m.SMTPHost, strconv.Itoa(smtpPort)), time.Second); err == nil {
					c.Close()
					return m
				}
			}
		}
		select {
		case <-done:
			t.Fatalf("mailpit exited during start")
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("mailpit did not come up: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Messages lists the stored messages, newest first.
func (m *MailServer) Messages(t testing.TB) []MailSummary {
	t.Helper()
	var out struct{ Messages []MailSummary }
	m.get(t, "/api/v1/messages", &out)
	return out.Messages
}

// Message returns one message.
func (m *MailServer) Message(t testing.TB, id string) MailMessage {
	t.Helper()
	var out MailMessage
	m.get(t, "/api/v1/message/"+id, &out)
	return out
}

// WaitFor returns the newest message to addr, waiting up to 10 s for it.
func (m *MailServer) WaitFor(t testing.TB, addr string, after int) MailMessage {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		var hits []MailSummary
		for _, s := range m.Messages(t) {
			for _, to := range s.To {
				if to.Address == addr {
					hits = append(hits, s)
				}
			}
		}
		if len(hits) > after {
			return m.Message(t, hits[0].ID)
		}
		if time.Now().After(deadline) {
			t.Fatalf("no new mail to %s (have %d)", addr, len(hits))
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Count returns how many stored messages went to addr.
func (m *MailServer) Count(t testing.TB, addr string) int {
	t.Helper()
	n := 0
	for _, s := range m.Messages(t) {
		for _, to := range s.To {
			if to.Address == addr {
				n++
			}
		}
	}
	return n
}

func (m *MailServer) get(t testing.TB, path string, v any) {
	t.Helper()
	resp, err := http.Get(m.api + path)
	if err != nil {
		t.Fatalf("mailpit %s: %v", path, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("mailpit %s: %s", path, resp.Status)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatalf("mailpit %s: %v", path, err)
	}
}

func freePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("free port: %v", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}
