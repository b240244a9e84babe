package drive

import (
	"errors"
	"net/url"
	"slices"
	"strings"
	"testing"
)

func TestParseURI(t *testing.T) {
	tests := []struct {
		in   string
		want URI
		str  string // canonical form; "" means in is canonical
	}{
		{in: "cloudreve://my", want: URI{FS: FSMy}},
		{in: "cloudreve://my/", want: URI{FS: FSMy}, str: "cloudreve://my"},
		{in: "CloudReve://MY//", want: URI{FS: FSMy}, str: "cloudreve://my"},
		{in: "cloudreve://my/a/b", want: URI{FS: FSMy, Path: []string{"a", "b"}}},
		{in: "cloudreve://my/a/b/", want: URI{FS: FSMy, Path: []string{"a", "b"}}, str: "cloudreve://my/a/b"},
		{in: "cloudreve://my//a///b", want: URI{FS: FSMy, Path: []string{"a", "b"}}, str: "cloudreve://my/a/b"},
		{in: "cloudreve://my/a/./b/../c", want: URI{FS: FSMy, Path: []string{"a", "c"}}, str: "cloudreve://my/a/c"},
		{in: "cloudreve://my/a/../../b", want: URI{FS: FSMy, Path: []string{"b"}}, str: "cloudreve://my/b"},
		{in: "cloudreve://my/../../..", want: URI{FS: FSMy}, str: "cloudreve://my"},
		{in: "cloudreve://my/%2e%2e/%2E/x", want: URI{FS: FSMy, Path: []string{"x"}}, str: "cloudreve://my/x"},
		{in: "cloudreve://my/a/...", want: URI{FS: FSMy, Path: []string{"a", "..."}}},
		{in: "cloudreve://my/My%20Docs/%E4%B8%AD%E6%96%87.txt", want: URI{FS: FSMy, Path: []string{"My Docs", "中文.txt"}}},
		{in: "cloudreve://my/中文 x.txt", want: URI{FS: FSMy, Path: []string{"中文 x.txt"}},
			str: "cloudreve://my/%E4%B8%AD%E6%96%87%20x.txt"},
		{in: "cloudreve://my/a+b", want: URI{FS: FSMy, Path: []string{"a+b"}}, str: "cloudreve://my/a%2Bb"},
		{in: "cloudreve://my/%3F%23%25%40%26%3D", want: URI{FS: FSMy, Path: []string{"?#%@&="}}},
		{in: "cloudreve://my/-_.!~*'()", want: URI{FS: FSMy, Path: []string{"-_.!~*'()"}}},
		{in: "cloudreve://my/a%5Cb", want: URI{FS: FSMy, Path: []string{`a\b`}}},
		{in: "cloudreve://my/CON/nul.txt", want: URI{FS: FSMy, Path: []string{"CON", "nul.txt"}}},
		{in: "cloudreve://dPhJ@my/x", want: URI{FS: FSMy, ID: "dPhJ", Path: []string{"x"}}},
		{in: "cloudreve://0LhR@share", want: URI{FS: FSShare, ID: "0LhR"}},
		{in: "cloudreve://0LhR:k3v9q2pa@share/folder/child",
			want: URI{FS: FSShare, ID: "0LhR", Password: "k3v9q2pa", Path: []string{"folder", "child"}}},
		{in: "cloudreve://0LhR:p%40ss%3Aw@share", want: URI{FS: FSShare, ID: "0LhR", Password: "p@ss:w"}},
		{in: "cloudreve://0LhR:@share", want: URI{FS: FSShare, ID: "0LhR"}, str: "cloudreve://0LhR@share"},
		{in: "cloudreve://trash/3f0e4c1a-1b2c-4d5e-8f90-a1b2c3d4e5f6",
			want: URI{FS: FSTrash, Path: []string{"3f0e4c1a-1b2c-4d5e-8f90-a1b2c3d4e5f6"}}},
		{in: "cloudreve://shared_with_me/dPhJ", want: URI{FS: FSSharedWithMe, Path: []string{"dPhJ"}}},
		{in: "cloudreve://Shared_With_Me", want: URI{FS: FSSharedWithMe}, str: "cloudreve://shared_with_me"},
		{in: "cloudreve://my/docs?name=report&case_folding",
			want: URI{FS: FSMy, Path: []string{"docs"}, Query: url.Values{"name": {"report"}, "case_folding": {""}}},
			str:  "cloudreve://my/docs?case_folding=&name=report"},
		{in: "cloudreve://my?type=file&name=b&name=a",
			want: URI{FS: FSMy, Query: url.Values{"type": {"file"}, "name": {"b", "a"}}},
			str:  "cloudreve://my?name=b&name=a&type=file"},
		{in: "cloudreve://my?name=a+b%2Bc", want: URI{FS: FSMy, Query: url.Values{"name": {"a b+c"}}}},
		{in: "cloudreve://my/x?", want: URI{FS: FSMy, Path: []string{"x"}}, str: "cloudreve://my/x"},
		{in: "cloudreve://my?&", want: URI{FS: FSMy}, str: "cloudreve://my"},
	}
	for _, tt := range tests {
		u, err := ParseURI(tt.in)
		if err != nil {
			t.Errorf("ParseURI(%q): %v", tt.in, err)
			continue
		}
		if !u.Equal(tt.want) {
			t.Errorf("ParseURI(%q) = %#v, want %#v", tt.in, u, tt.want)
		}
		want := tt.str
		if want == "" {
			want = tt.in
		}
		if got := u.String(); got != want {
			t.Errorf("ParseURI(%q).String() = %q, want %q", tt.in, got, want)
		}
	}
}

func TestParseURIErrors(t *testing.T) {
	tests := []struct{ in, reason string }{
		{"", "scheme"},
		{"my/a", "scheme"},
		{"http://my/a", "scheme"},
		{"cloudreve:my/a", "missing file system"},
		{"cloudreve:/my/a", "missing file system"},
		{"cloudreve:///a", "missing file system"},
		{"cloudreve://", "missing file system"},
		{"cloudreve://alice@", "missing file system"},
		{"cloudreve://mine/a", "unknown file system"},
		{"cloudreve://my:80/a", "unknown file system"},
		{"cloudreve://m%79/a", "malformed URL"},
		{"cloudreve://share/a", "share URI without a share ID"},
		{"cloudreve://:pw@share", "share URI without a share ID"},
		{"cloudreve://my/a#b", "fragment"},
		{"cloudreve://my/a#", "fragment"},
		{"cloudreve://my/a%", "malformed"},
		{"cloudreve://my/a%zz", "malformed"},
		{"cloudreve://my/a\x00b", "malformed URL"},
		{"cloudreve://my/a\nb", "malformed URL"},
		{"cloudreve://my/a%00b", "control character"},
		{"cloudreve://my/a%0Ab", "control character"},
		{"cloudreve://my/a%7F", "control character"},
		{"cloudreve://my/a%C2%85", "control character"}, // U+0085 NEL
		{"cloudreve://my/%c0%ae%c0%ae/etc", "UTF-8"},
		{"cloudreve://my/%ff", "UTF-8"},
		{"cloudreve://my/\xff", "UTF-8"},
		{"cloudreve://my/..%2f..%2fetc", "encoded slash"},
		{"cloudreve://my/a%2Fb", "encoded slash"},
		{"cloudreve://a%00@my", "user or password"},
		{"cloudreve://a:%ff@my", "user or password"},
		{"cloudreve://my?name=%00", "query"},
		{"cloudreve://my?na%0Ame=x", "query"},
		{"cloudreve://my?name=%zz", "malformed query"},
		{"cloudreve://my?a=1;b=2", "malformed query"},
	}
	for _, tt := range tests {
		_, err := ParseURI(tt.in)
		var ue *URIError
		if !errors.As(err, &ue) {
			t.Errorf("ParseURI(%q) error = %v, want *URIError", tt.in, err)
			continue
		}
		if !strings.Contains(ue.Reason, tt.reason) {
			t.Errorf("ParseURI(%q) reason = %q, want it to mention %q", tt.in, ue.Reason, tt.reason)
		}
	}
}

// The error text is shown to clients and logged; it must not carry the
// share password.
func TestURIErrorHidesInput(t *testing.T) {
	_, err := ParseURI("cloudreve://id:s3cret@share/a%zz")
	if err == nil || strings.Contains(err.Error(), "s3cret") {
		t.Fatalf("error = %v", err)
	}
}

func TestURIHelpers(t *testing.T) {
	u, err := ParseURI("cloudreve://dPhJ@my/a/b?name=x")
	if err != nil {
		t.Fatal(err)
	}
	if u.IsRoot() || u.Name() != "b" {
		t.Errorf("IsRoot, Name = %v, %q", u.IsRoot(), u.Name())
	}
	p, ok := u.Parent()
	if !ok || p.String() != "cloudreve://dPhJ@my/a" {
		t.Errorf("Parent = %q, %v", p, ok)
	}
	pp, _ := p.Parent()
	if !pp.IsRoot() || pp.Name() != "" || pp.String() != "cloudreve://dPhJ@my" {
		t.Errorf("grandparent = %q", pp)
	}
	if r, ok := pp.Parent(); ok || !r.Equal(pp) {
		t.Errorf("root Parent = %q, %v", r, ok)
	}

	tests := []struct{ name, want string }{
		{"c", "cloudreve://dPhJ@my/a/b/c"},
		{"c d/e", "cloudreve://dPhJ@my/a/b/c%20d/e"},
		{"", "cloudreve://dPhJ@my/a/b"},
		{".", "cloudreve://dPhJ@my/a/b"},
		{"..", "cloudreve://dPhJ@my/a"},
		{"../../../x", "cloudreve://dPhJ@my/x"},
		{"/c/", "cloudreve://dPhJ@my/a/b/c"},
		{"a?b#c", "cloudreve://dPhJ@my/a/b/a%3Fb%23c"},
	}
	for _, tt := range tests {
		j := u.Join(tt.name)
		if got := j.String(); got != tt.want {
			t.Errorf("Join(%q) = %q, want %q", tt.name, got, tt.want)
		}
		if back, err := ParseURI(j.String()); err != nil || !back.Equal(j) {
			t.Errorf("Join(%q) does not round-trip: %v", tt.name, err)
		}
	}
	// Join and Parent must not share the backing array with u.
	a := p.Join("x")
	b := p.Join("y")
	if a.Name() != "x" || b.Name() != "y" || u.Name() != "b" {
		t.Errorf("aliasing: %q %q %q", a, b, u)
	}
	if !u.IsSearch() || u.WithoutQuery().IsSearch() || u.WithoutQuery().String() != "cloudreve://dPhJ@my/a/b" {
		t.Errorf("IsSearch/WithoutQuery wrong for %q", u)
	}
}

func TestURIIsSearch(t *testing.T) {
	tests := []struct {
		query string
		want  bool
	}{
		{"", false},
		{"foo=bar", false},
		{"name=x", true},
		{"case_folding", true},
		{"use_or", true},
		{"name_op_or", true},
		{"category=image", true},
		{"type=file", true},
		{"meta_tag:a=", true},
		{"exact_meta_tag:a=", true},
		{"size_gte=1", true},
		{"size_lte=1", true},
		{"created_gte=1", true},
		{"created_lte=1", true},
		{"updated_gte=1", true},
		{"updated_lte=1", true},
		{"names=x", false},
	}
	for _, tt := range tests {
		s := "cloudreve://my"
		if tt.query != "" {
			s += "?" + tt.query
		}
		u, err := ParseURI(s)
		if err != nil {
			t.Fatalf("ParseURI(%q): %v", s, err)
		}
		if got := u.IsSearch(); got != tt.want {
			t.Errorf("IsSearch(%q) = %v, want %v", s, got, tt.want)
		}
	}
}

func TestURIEqual(t *testing.T) {
	base := URI{FS: FSShare, ID: "a", Password: "p", Path: []string{"x"}, Query: url.Values{"name": {"1"}}}
	tests := []struct {
		name string
		v    URI
		want bool
	}{
		{"same", URI{FS: FSShare, ID: "a", Password: "p", Path: []string{"x"}, Query: url.Values{"name": {"1"}}}, true},
		{"fs", URI{FS: FSMy, ID: "a", Password: "p", Path: []string{"x"}, Query: url.Values{"name": {"1"}}}, false},
		{"id", URI{FS: FSShare, ID: "b", Password: "p", Path: []string{"x"}, Query: url.Values{"name": {"1"}}}, false},
		{"password", URI{FS: FSShare, ID: "a", Path: []string{"x"}, Query: url.Values{"name": {"1"}}}, false},
		{"path", URI{FS: FSShare, ID: "a", Password: "p", Path: []string{"y"}, Query: url.Values{"name": {"1"}}}, false},
		{"query value", URI{FS: FSShare, ID: "a", Password: "p", Path: []string{"x"}, Query: url.Values{"name": {"2"}}}, false},
		{"query key", URI{FS: FSShare, ID: "a", Password: "p", Path: []string{"x"}, Query: url.Values{"type": {"1"}}}, false},
		{"no query", URI{FS: FSShare, ID: "a", Password: "p", Path: []string{"x"}}, false},
	}
	for _, tt := range tests {
		if got := base.Equal(tt.v); got != tt.want {
			t.Errorf("%s: Equal = %v, want %v", tt.name, got, tt.want)
		}
	}
	if !(URI{FS: FSMy, Query: url.Values{}}).Equal(URI{FS: FSMy}) {
		t.Error("empty and nil query differ")
	}
}

func FuzzParseURI(f *testing.F) {
	// More seeds, mostly hostile, live in testdata/fuzz/FuzzParseURI.
	f.Add("cloudreve://my/a/b")
	f.Add("cloudreve://0LhR:k3v9q2pa@share/folder/child?name=x&type=file")
	f.Fuzz(func(t *testing.T, s string) {
		u, err := ParseURI(s)
		if err != nil {
			var ue *URIError
			if !errors.As(err, &ue) {
				t.Fatalf("ParseURI(%q) error %T, want *URIError", s, err)
			}
			return
		}
		for _, seg := range u.Path {
			if seg == "" || seg == "." || seg == ".." || strings.ContainsAny(seg, "/\x00") || !isCleanText(seg) {
				t.Fatalf("ParseURI(%q) gave segment %q", s, seg)
			}
		}
		if u.FS == FSShare && u.ID == "" {
			t.Fatalf("ParseURI(%q) gave a share URI without ID", s)
		}
		c := u.String()
		v, err := ParseURI(c)
		if err != nil {
			t.Fatalf("ParseURI(%q) ok, but its canonical form %q fails: %v", s, c, err)
		}
		if !v.Equal(u) {
			t.Fatalf("ParseURI(%q) = %#v, but canonical %q parses to %#v", s, u, c, v)
		}
		if v.String() != c {
			t.Fatalf("canonical form not stable: %q then %q", c, v.String())
		}
		if p, ok := u.Parent(); ok && (len(p.Path) != len(u.Path)-1 || !slices.Equal(p.Path, u.Path[:len(p.Path)])) {
			t.Fatalf("Parent(%q) = %q", c, p)
		}
	})
}
