package services

import (
	"bytes"
	"net/http"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Aria2 names the download program (STRATUS_TEST_REQUIRE=aria2 or all).
const Aria2 = "aria2"

// Aria2Server is a running aria2c with its JSON-RPC interface on loopback.
type Aria2Server struct {
	RPC     string // the JSON-RPC URL
	Secret  string // the --rpc-secret
	Version string // as `aria2c --version` reports it
}

// StartAria2 runs aria2c for the test with RPC on a free loopback port and
// the given secret, downloading into a temporary directory, and stops it at
// cleanup.
func StartAria2(t testing.TB, secret string) *Aria2Server {
	t.Helper()
	bin, err := exec.LookPath("aria2c")
	if err != nil {
		Unavailable(t, Aria2, err)
	}
	out, err := exec.Command(bin, "--version").Output()
	if err != nil {
		Unavailable(t, Aria2, err)
	}
	// The first line is "aria2 version 1.36.0".
	first, _, _ := strings.Cut(string(out), "\n")
	version := first[strings.LastIndexByte(first, ' ')+1:]
	port := freePort(t)
	cmd := exec.Command(bin, "--enable-rpc", "--rpc-listen-all=false", "--rpc-listen-port="+strconv.Itoa(port),
		"--rpc-secret="+secret, "--dir="+t.TempDir(), "--no-conf=true", "--quiet=true")
	if err := cmd.Start(); err != nil {
		Unavailable(t, Aria2, err)
	}
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-done
	})
	a := &Aria2Server{RPC: "http://127.0.0.1:" + strconv.Itoa(port) + "/jsonrpc", Secret: secret, Version: version}
	deadline := time.Now().Add(15 * time.Second)
	for {
		// Any JSON-RPC answer, even a refusal, means the server is up.
		resp, err := http.Post(a.RPC, "application/json", bytes.NewReader([]byte(`{"jsonrpc":"2.0","id":"up","method":"system.listMethods"}`)))
		if err == nil {
			resp.Body.Close()
			return a
		}
		select {
		case <-done:
			t.Fatalf("aria2c exited during start")
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("aria2c did not come up: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
