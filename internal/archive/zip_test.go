package archive

import (
	"archive/zip"
	"bytes"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/stratus-drive/stratus/internal/errs"
)

func TestZipRoundTrip(t *testing.T) {
	var buf bytes.Buffer
	z := NewZipWriter(&buf)
	mod := time.Date(2025, 3, 4, 5, 6, 7, 0, time.UTC)
	files := map[string]string{
		"a.txt":          "hello",
		"docs/b ✨.md":    strings.Repeat("b", 70000),
		"docs/empty.bin": "",
	}
	if err := z.AddDir("docs", mod); err != nil {
		t.Fatal(err)
	}
	if err := z.AddDir("docs/sub", mod); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"a.txt", "docs/b ✨.md", "docs/empty.bin"} {
		if err := z.AddFile(name, mod, int64(len(files[name])), strings.NewReader(files[name])); err != nil {
			t.Fatal(err)
		}
	}
	if err := z.AddFile("a.txt", mod, 1, strings.NewReader("x")); !errs.Is(errs.Exist, err) {
		t.Errorf("duplicate name: %v", err)
	}
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	r, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range r.File {
		names = append(names, f.Name)
		if f.Method != zip.Store {
			t.Errorf("%s: method %d, want stored", f.Name, f.Method)
		}
		if !f.Modified.Equal(mod) {
			t.Errorf("%s: modified %v", f.Name, f.Modified)
		}
		if strings.HasSuffix(f.Name, "/") {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(rc) // checks the CRC too
		rc.Close()
		if err != nil || string(got) != files[f.Name] {
			t.Errorf("%s: %d bytes, %v", f.Name, len(got), err)
		}
	}
	want := "docs/ docs/sub/ a.txt docs/b ✨.md docs/empty.bin"
	if strings.Join(names, " ") != want {
		t.Errorf("entries %q, want %q", names, want)
	}
}

func TestZipSizeMismatch(t *testing.T) {
	for _, body := range []string{"abc", "abcde"} {
		z := NewZipWriter(io.Discard)
		if err := z.AddFile("f", time.Now(), 4, strings.NewReader(body)); !errs.Is(errs.Invalid, err) {
			t.Errorf("body %q for size 4: %v", body, err)
		}
	}
}

func TestCheckName(t *testing.T) {
	for _, bad := range []string{"", "/abs", "a//b", "../x", "a/../b", "a/..", "./a", "a\\b", "C:x", "a\x00", "dir/"} {
		if err := CheckName(bad); !errs.Is(errs.Invalid, err) {
			t.Errorf("CheckName(%q) = %v, want Invalid", bad, err)
		}
		if err := NewZipWriter(io.Discard).AddDir(bad, time.Now()); err == nil {
			t.Errorf("AddDir(%q) accepted", bad)
		}
	}
	for _, good := range []string{"a", "a/b", "..a", "a../b", "✨/x y"} {
		if err := CheckName(good); err != nil {
			t.Errorf("CheckName(%q) = %v", good, err)
		}
	}
}

func TestEntryName(t *testing.T) {
	for _, tc := range []struct {
		in   []string
		want string
	}{
		{[]string{"a", "b.txt"}, "a/b.txt"},
		{[]string{"..", "x"}, "_/x"},
		{[]string{"", "."}, "_/_"},
		{[]string{"a/b", "c\\d", "C:e"}, "a_b/c_d/C_e"},
	} {
		got := EntryName(tc.in...)
		if got != tc.want {
			t.Errorf("EntryName(%q) = %q, want %q", tc.in, got, tc.want)
		}
		if err := CheckName(got); err != nil {
			t.Errorf("EntryName(%q) = %q fails CheckName: %v", tc.in, got, err)
		}
	}
}
