package e2e

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stratus-drive/stratus/internal/testenv"
	"github.com/stratus-drive/stratus/internal/testenv/services"
)

// TestWebDAVRclone uses rclone's WebDAV backend as a real client: a tree of
// 1,000 files in nested folders is synced up and checked by content, edited
// and partly deleted, synced and checked again, then synced down into an
// empty folder and compared byte for byte.
func TestWebDAVRclone(t *testing.T) {
	bin, err := exec.LookPath("rclone")
	if err != nil {
		services.Unavailable(t, "rclone", err)
	}
	env := testenv.Start(t, testenv.Options{})
	u := newDavUser(t, env, "rclone@example.com", nil)
	work := t.TempDir()
	obscured, err := exec.Command(bin, "obscure", u.password).Output()
	if err != nil {
		t.Fatalf("rclone obscure: %v", err)
	}
	conf := filepath.Join(work, "rclone.conf")
	if err := os.WriteFile(conf, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	rclone := func(args ...string) {
		t.Helper()
		cmd := exec.Command(bin, append([]string{"--config", conf, "--transfers", "4", "--checkers", "8",
			"--low-level-retries", "1", "--retries", "1"}, args...)...)
		cmd.Env = append(os.Environ(), "RCLONE_CONFIG_S_TYPE=webdav", "RCLONE_CONFIG_S_URL="+u.url("/"),
			"RCLONE_CONFIG_S_VENDOR=other", "RCLONE_CONFIG_S_USER="+u.email,
			"RCLONE_CONFIG_S_PASS="+strings.TrimSpace(string(obscured)))
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("rclone %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}

	src := filepath.Join(work, "src")
	n := 0
	for a := range 10 {
		for b := range 10 {
			for c := range 10 {
				p := filepath.Join(src, fmt.Sprintf("d%d", a), fmt.Sprintf("e%d", b), fmt.Sprintf("f%d-%d%d.bin", c, a, b))
				writeFile(t, p, randomBytes((n*37)%8192))
				n++
			}
		}
	}
	rclone("sync", src, "S:tree")
	rclone("check", "--download", src, "S:tree")

	// Edit 50 files, delete 50 and a whole folder, add 20.
	for i := range 50 {
		writeFile(t, filepath.Join(src, fmt.Sprintf("d%d", i%10), fmt.Sprintf("e%d", i/10), fmt.Sprintf("f0-%d%d.bin", i%10, i/10)),
			randomBytes(100+i))
		os.Remove(filepath.Join(src, fmt.Sprintf("d%d", i%10), fmt.Sprintf("e%d", i/10), fmt.Sprintf("f1-%d%d.bin", i%10, i/10)))
	}
	os.RemoveAll(filepath.Join(src, "d9", "e9"))
	for i := range 20 {
		writeFile(t, filepath.Join(src, "new", fmt.Sprintf("n%d.bin", i)), randomBytes(1000+i))
	}
	rclone("sync", src, "S:tree")
	rclone("check", "--download", src, "S:tree")

	down := filepath.Join(work, "down")
	rclone("sync", "S:tree", down)
	compareTrees(t, src, down)
}

func writeFile(t *testing.T, p string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// compareTrees fails unless both trees hold the same files with the same
// bytes.
func compareTrees(t *testing.T, a, b string) {
	t.Helper()
	files := func(root string) map[string][]byte {
		out := map[string][]byte{}
		filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				t.Fatal(err)
			}
			if d.Type().IsRegular() {
				rel, _ := filepath.Rel(root, p)
				data, err := os.ReadFile(p)
				if err != nil {
					t.Fatal(err)
				}
				out[rel] = data
			}
			return nil
		})
		return out
	}
	fa, fb := files(a), files(b)
	if len(fa) != len(fb) {
		t.Errorf("%d files up, %d down", len(fa), len(fb))
	}
	for name, data := range fa {
		if got, ok := fb[name]; !ok || !bytes.Equal(got, data) {
			t.Errorf("%s differs after the round trip", name)
		}
	}
}
