package services

import (
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha512"
	"encoding/base64"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// QBittorrent names the download program (STRATUS_TEST_REQUIRE=qbittorrent
// or all).
const QBittorrent = "qbittorrent"

// QBittorrentServer is a running qbittorrent-nox with its WebUI on loopback.
type QBittorrentServer struct {
	URL      string // the WebUI base URL
	User     string
	Password string
	Version  string // as `qbittorrent-nox --version` reports it ("v4.5.2")
}

// StartQBittorrent runs qbittorrent-nox for the test with its WebUI on a free
// loopback port, signed in with user and password (also from localhost),
// no peer discovery, in a temporary profile, and stops it at cleanup.
func StartQBittorrent(t testing.TB, user, password string) *QBittorrentServer {
	t.Helper()
	bin, err := exec.LookPath("qbittorrent-nox")
	if err != nil {
		Unavailable(t, QBittorrent, err)
	}
	out, err := exec.Command(bin, "--version").Output()
	if err != nil {
		Unavailable(t, QBittorrent, err)
	}
	version := strings.TrimSpace(string(out))
	version = version[strings.LastIndexByte(version, ' ')+1:]

	// The WebUI keeps the password as PBKDF2-HMAC-SHA512 (100000 rounds, a
	// 16-byte salt, a 64-byte key).
	salt := make([]byte, 16)
	rand.Read(salt)
	key, err := pbkdf2.Key(sha512.New, password, salt, 100000, 64)
	if err != nil {
		t.Fatal(err)
	}
	port := freePort(t)
	profile := t.TempDir()
	conf := strings.Join([]string{
		"[LegalNotice]", "Accepted=true", "",
		"[BitTorrent]", "Session\\DHTEnabled=false", "Session\\PeXEnabled=false", "Session\\LSDEnabled=false",
		"Session\\Interface=lo", "Session\\InterfaceName=lo", "Session\\DefaultSavePath=" + filepath.Join(profile, "downloads"), "",
		"[Preferences]", "Connection\\UPnP=false", "WebUI\\Address=127.0.0.1", "WebUI\\Port=" + strconv.Itoa(port),
		"WebUI\\LocalHostAuth=true", "WebUI\\CSRFProtection=true", "WebUI\\HostHeaderValidation=false",
		"WebUI\\Username=" + user,
		"WebUI\\Password_PBKDF2=\"@ByteArray(" + base64.StdEncoding.EncodeToString(salt) + ":" +
			base64.StdEncoding.EncodeToString(key) + ")\"", "",
	}, "\n")
	dir := filepath.Join(profile, "qBittorrent", "config")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "qBittorrent.conf"), []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "--profile="+profile, "--webui-port="+strconv.Itoa(port))
	if err := cmd.Start(); err != nil {
		Unavailable(t, QBittorrent, err)
	}
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-done
	})
	q := &QBittorrentServer{URL: "http://127.0.0.1:" + strconv.Itoa(port), User: user, Password: password, Version: version}
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get(q.URL + "/api/v2/app/webapiVersion")
		if err == nil {
			resp.Body.Close()
			return q
		}
		select {
		case <-done:
			t.Fatalf("qbittorrent-nox exited during start")
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("qbittorrent-nox did not come up: %v", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
