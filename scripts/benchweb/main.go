// Command benchweb prepares a real Stratus for the web app's benchmark: it
// starts the binary on loopback with a fresh SQLite data directory, creates
// a user with folders of 10,000 and 100,000 files (seeded through a second
// handle on the database, as benchfiles does), then runs web/e2e/bench.mjs
// in Chromium against it and stops the server.
//
//	benchweb -bin ./stratus -dir /var/tmp/benchweb
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"syscall"
	"time"

	"github.com/stratus-drive/stratus/internal/config"
	"github.com/stratus-drive/stratus/internal/drive"
	"github.com/stratus-drive/stratus/internal/store"
)

const (
	email    = "bench@example.com"
	password = "bench password"
)

func main() {
	bin := flag.String("bin", "", "stratus binary")
	dir := flag.String("dir", "", "work directory")
	web := flag.String("web", "web", "the web/ directory (with node_modules)")
	flag.Parse()
	if *bin == "" || *dir == "" {
		fail(errors.New("-bin and -dir are required"))
	}
	data := filepath.Join(*dir, "data")
	proc, base, err := start(*bin, data, *dir)
	if err != nil {
		fail(err)
	}
	err = run(base, data, *web)
	proc.Process.Signal(syscall.SIGTERM)
	proc.Wait()
	if err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "benchweb:", err)
	os.Exit(1)
}

func run(base, data, web string) error {
	if err := call(base, "", "POST", "/user", map[string]any{"email": email, "password": password}, nil); err != nil {
		return err
	}
	var login struct {
		Token struct {
			AccessToken string `json:"access_token"`
		} `json:"token"`
	}
	if err := call(base, "", "POST", "/session/token", map[string]any{"email": email, "password": password}, &login); err != nil {
		return err
	}
	sizes := []int{10_000, 100_000}
	for _, n := range sizes {
		name := fmt.Sprintf("f%d", n)
		if err := call(base, login.Token.AccessToken, "POST", "/file/create",
			map[string]any{"uri": "cloudreve://my/" + name, "type": "folder"}, nil); err != nil {
			return err
		}
		if err := seed(data, name, n); err != nil {
			return err
		}
	}
	cmd := exec.Command("node", "e2e/bench.mjs")
	cmd.Dir = web
	cmd.Env = append(os.Environ(), "STRATUS_URL="+base, "STRATUS_EMAIL="+email, "STRATUS_PASSWORD="+password)
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	return cmd.Run()
}

var listening = regexp.MustCompile(`stratus listening.* addr=(http://\S+)`)

func start(bin, data, dir string) (*exec.Cmd, string, error) {
	proc := exec.Command(bin, "server", "--data", data, "--listen", "127.0.0.1:0")
	proc.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir}
	stderr, err := proc.StderrPipe()
	if err != nil {
		return nil, "", err
	}
	if err := proc.Start(); err != nil {
		return nil, "", err
	}
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			if m := listening.FindStringSubmatch(sc.Text()); m != nil {
				select {
				case addr <- m[1]:
				default:
				}
			}
		}
	}()
	select {
	case base := <-addr:
		return proc, base, nil
	case <-time.After(30 * time.Second):
		proc.Process.Kill()
		return nil, "", errors.New("the server did not start")
	}
}

func call(base, token, method, path string, body, out any) error {
	raw, err := json.Marshal(body)
	if err != nil {
		return err
	}
	req, err := http.NewRequest(method, base+"/api/v4"+path, bytes.NewReader(raw))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	var e struct {
		Code int             `json:"code"`
		Msg  string          `json:"msg"`
		Data json.RawMessage `json:"data"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&e); err != nil {
		return err
	}
	if e.Code != 0 {
		return fmt.Errorf("%s %s: %d %s", method, path, e.Code, e.Msg)
	}
	if out != nil {
		return json.Unmarshal(e.Data, out)
	}
	return nil
}

// seed inserts n files into folder name of the benchmark user in one
// transaction.
func seed(data, name string, n int) error {
	ctx := context.Background()
	st, err := store.Open(ctx, config.Default().Database, data)
	if err != nil {
		return err
	}
	defer st.Close()
	u, err := st.UserByEmail(ctx, email)
	if err != nil {
		return err
	}
	root, err := st.RootOf(ctx, u.ID)
	if err != nil {
		return err
	}
	dir, err := st.ChildByName(ctx, root.ID, name)
	if err != nil {
		return err
	}
	return st.InTx(ctx, func(tx *store.Tx) error {
		for i := range n {
			f := &drive.File{Type: drive.TypeFile, Name: fmt.Sprintf("file-%07d.txt", i), OwnerID: u.ID,
				ParentID: dir.ID, PolicyID: 1, Size: int64(i)}
			if err := tx.InsertFile(ctx, f); err != nil {
				return err
			}
		}
		return nil
	})
}
