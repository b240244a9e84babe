package storage_test

import (
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stratus-drive/stratus/internal/errs"
	"github.com/stratus-drive/stratus/internal/storage"
)

// counter is a deterministic source of "random" bytes.
type counter struct{ n byte }

func (c *counter) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = c.n
		c.n++
	}
	return len(p), nil
}

type failing struct{}

func (failing) Read([]byte) (int, error) { return 0, errRead }

const uuidRE = `[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}`

func TestKeyTemplate(t *testing.T) {
	at := time.Date(2024, 3, 5, 7, 8, 9, 123456789, time.UTC)
	in := storage.KeyInput{UID: 7, Path: "/photos/2024", Name: "cat.jpg", Time: at}
	with := func(f func(*storage.KeyInput)) storage.KeyInput {
		i := in
		f(&i)
		return i
	}
	for _, c := range []struct {
		name      string
		dir, file string
		in        storage.KeyInput
		want      string // a regular expression matching the whole key; "" means errs.Invalid
	}{
		{"default local policy", storage.DefaultDirRule, storage.DefaultNameRule, in,
			`uploads/7/photos/2024/7_[A-Za-z0-9]{8}_cat\.jpg`},
		{"admin preset", "uploads/{uid}/{path}", "{uuid}_{originname}", in,
			`uploads/7/photos/2024/` + uuidRE + `_cat\.jpg`},
		{"time", "{year}/{month}/{day}/{hour}{minute}{second}", "{datetime}_{date}_{timestamp}_{timestamp_nano}", in,
			`2024/03/05/070809/20240305070809_20240305_1709622489_1709622489123456789`},
		{"random", "{randomkey16}", "{randomnum2}{randomnum3}{randomnum4}{randomnum8}-{randomkey8}", in,
			`[A-Za-z0-9]{16}/[01][0-2][0-3][0-7]-[A-Za-z0-9]{8}`},
		{"extension", "", "{originname_without_ext}|{ext}", with(func(i *storage.KeyInput) { i.Name = "a.tar.gz" }),
			`a\.tar\|\.gz`},
		{"no extension", "", "{originname_without_ext}{ext}!", with(func(i *storage.KeyInput) { i.Name = "README" }),
			`README!`},
		{"root folder", "u/{path}", "{originname}", with(func(i *storage.KeyInput) { i.Path = "/" }), `u/cat\.jpg`},
		{"empty folder", "u/{path}", "{originname}", with(func(i *storage.KeyInput) { i.Path = "" }), `u/cat\.jpg`},
		{"folder without slashes around", "{path}", "{originname}", with(func(i *storage.KeyInput) { i.Path = "a//b/" }), `a/b/cat\.jpg`},
		{"misplaced and unknown variables stay", "{originname}{uuid}", "{path}{foo}{", in, `\{originname\}\{uuid\}/\{path\}\{foo\}\{`},
		{"brace before a variable", "{{uid}}", "x", in, `\{7\}/x`},
		// Hostile input.
		{"dot-dot folders", "{path}", "{originname}", with(func(i *storage.KeyInput) { i.Path = "/../../etc" }), `__/__/etc/cat\.jpg`},
		{"dot folder", "{path}", "{originname}", with(func(i *storage.KeyInput) { i.Path = "./." }), `_/_/cat\.jpg`},
		{"slashes in the name", "u", "{originname}", with(func(i *storage.KeyInput) { i.Name = "../../etc/passwd" }), `u/\.\._\.\._etc_passwd`},
		{"backslashes in the name", "u", "{originname}", with(func(i *storage.KeyInput) { i.Name = `..\..\win.ini` }), `u/\.\._\.\._win\.ini`},
		{"name is dot-dot", "u", "{originname}", with(func(i *storage.KeyInput) { i.Name = ".." }), `u/__`},
		{"name is dot", "u", "{originname}", with(func(i *storage.KeyInput) { i.Name = "." }), `u/_`},
		{"dot-dot from name parts", "u", "{originname_without_ext}{ext}", with(func(i *storage.KeyInput) { i.Name = ".." }), `u/__`},
		{"control characters", "u", "{originname}", with(func(i *storage.KeyInput) { i.Name = "a\x00b\nc\x7f" }), `u/a_b_c_`},
		{"invalid UTF-8", "u", "{originname}", with(func(i *storage.KeyInput) { i.Name = "bad\xff\xfename" }), `u/bad_name`},
		{"overlong slash", "u", "{originname}", with(func(i *storage.KeyInput) { i.Name = "a\xc0\xafb" }), `u/a_b`},
		{"device names", "{path}", "{originname}", with(func(i *storage.KeyInput) { i.Path = "/aux/x"; i.Name = "nul.txt" }), `_aux/x/_nul\.txt`},
		{"device name exact", "u", "{originname}", with(func(i *storage.KeyInput) { i.Name = "CON" }), `u/_CON`},
		{"reserved name", "u", "{originname}", with(func(i *storage.KeyInput) { i.Name = ".stratus-tmp-1" }), `u/_\.stratus-tmp-1`},
		{"hidden file kept", "u", "{originname}", with(func(i *storage.KeyInput) { i.Name = ".bashrc" }), `u/\.bashrc`},
		{"unicode kept", "{path}", "{originname}", with(func(i *storage.KeyInput) { i.Path = "/写真"; i.Name = "猫 1.jpg" }), `写真/猫 1\.jpg`},
		// Administrators' rules are cleaned too.
		{"climbing rule", "../../{uid}", "{originname}", in, `__/__/7/cat\.jpg`},
		{"absolute rule", "/var/data/{uid}/", "/{originname}", in, `var/data/7/cat\.jpg`},
		{"backslash rule", `uploads\{uid}`, "{originname}", in, `uploads_7/cat\.jpg`},
		{"name rule with a folder", "a", "b/{originname}", in, `a/b/cat\.jpg`},
		{"empty dir rule", "", "{originname}", in, `cat\.jpg`},
		// Length.
		{"long name keeps its extension", "u", "{originname}", with(func(i *storage.KeyInput) { i.Name = strings.Repeat("a", 300) + ".txt" }),
			`u/a{251}\.txt`},
		{"long multibyte name", "u", "{originname}", with(func(i *storage.KeyInput) { i.Name = strings.Repeat("日", 200) }),
			`u/日{85}`},
		{"too long", "{path}", "{originname}", with(func(i *storage.KeyInput) { i.Path = strings.Repeat("/"+strings.Repeat("f", 30), 40) }), ""},
		{"empty name", "u", "{originname}", with(func(i *storage.KeyInput) { i.Name = "" }), ""},
		{"empty name rule", "u", "", in, ""},
		{"name rule of slashes", "u", "//", in, ""},
	} {
		i := c.in
		i.Rand = &counter{}
		key, err := storage.KeyTemplate{DirRule: c.dir, NameRule: c.file}.Expand(i)
		if c.want == "" {
			if !errs.Is(errs.Invalid, err) {
				t.Errorf("%s: Expand = %q, %v; want errs.Invalid", c.name, key, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: Expand: %v", c.name, err)
			continue
		}
		if !regexp.MustCompile(`^` + c.want + `$`).MatchString(key) {
			t.Errorf("%s: Expand = %q, want %s", c.name, key, c.want)
		}
		if err := storage.CheckKey(key); err != nil {
			t.Errorf("%s: Expand = %q, which is no valid key: %v", c.name, key, err)
		}
	}
}

func TestKeyTemplateRandomness(t *testing.T) {
	kt := storage.KeyTemplate{DirRule: "{randomkey16}", NameRule: "{uuid}"}
	seen := map[string]bool{}
	for range 100 {
		key, err := kt.Expand(storage.KeyInput{Name: "x"}) // crypto/rand
		if err != nil {
			t.Fatal(err)
		}
		if seen[key] {
			t.Fatalf("key %q came twice", key)
		}
		seen[key] = true
	}
	_, err := kt.Expand(storage.KeyInput{Name: "x", Rand: failing{}})
	if !errs.Is(errs.Internal, err) {
		t.Errorf("Expand with failing randomness: %v, want errs.Internal", err)
	}
}

// FuzzKeyTemplate checks that whatever the rules and the user's input,
// Expand gives a valid key or an error, never an escape.
func FuzzKeyTemplate(f *testing.F) {
	f.Add(storage.DefaultDirRule, storage.DefaultNameRule, "/a/b", "c.txt")
	f.Add("{path}", "{originname}", "/../..", "..")
	f.Add("..", "{originname_without_ext}{ext}", "/./x/", ".\\..")
	f.Add("/{path}/", "/{originname}/", "//", "CON.txt")
	f.Add("{year}/{uid}", "{uuid}\x00{originname}", "/\xff/\xc0\xae", "\xed\xa0\x80")
	f.Fuzz(func(t *testing.T, dir, name, folder, orig string) {
		key, err := storage.KeyTemplate{DirRule: dir, NameRule: name}.Expand(
			storage.KeyInput{UID: 1, Path: folder, Name: orig, Time: time.Unix(0, 0), Rand: &counter{}})
		if err != nil {
			if !errs.Is(errs.Invalid, err) {
				t.Fatalf("Expand error %v is not errs.Invalid", err)
			}
			return
		}
		if err := storage.CheckKey(key); err != nil || !utf8.ValidString(key) {
			t.Fatalf("Expand(%q, %q, %q, %q) = %q: %v", dir, name, folder, orig, key, err)
		}
	})
}
