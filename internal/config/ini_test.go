package config

import (
	"reflect"
	"strings"
	"testing"
)

func TestParseINI(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []iniLine
	}{
		{"empty", "", nil},
		{"comments only", "; a\n# b\n   \n", nil},
		{"header and key", "[System]\nListen = :1\n", []iniLine{
			{n: 1, section: "System"},
			{n: 2, section: "System", key: "Listen", value: ":1"},
		}},
		{"CRLF and BOM", "\uFEFF[A]\r\nk=v\r\n", []iniLine{
			{n: 1, section: "A"},
			{n: 2, section: "A", key: "k", value: "v"},
		}},
		{"key before section", "k = v", []iniLine{{n: 1, key: "k", value: "v"}}},
		{"inline comments", "[A] # c\nk = v ; c\nj = a#b", []iniLine{
			{n: 1, section: "A"},
			{n: 2, section: "A", key: "k", value: "v"},
			{n: 3, section: "A", key: "j", value: "a"},
		}},
		{"backticks", "k = `a;b#c` ; c\nj = ``", []iniLine{
			{n: 1, key: "k", value: "a;b#c"},
			{n: 2, key: "j", value: ""},
		}},
		{"quotes", `a = "x y"` + "\nb = 'z'\nc = \"\nd = \"mixed'", []iniLine{
			{n: 1, key: "a", value: "x y"},
			{n: 2, key: "b", value: "z"},
			{n: 3, key: "c", value: `"`},
			{n: 4, key: "d", value: `"mixed'`},
		}},
		{"equals in value", "dsn = a=b=c", []iniLine{{n: 1, key: "dsn", value: "a=b=c"}}},
		{"empty value", "k =", []iniLine{{n: 1, key: "k"}}},
		{"errors", "[A\n[]\n[B] x\nnovalue\n= v\nk = `x\nk = `x` y", []iniLine{
			{n: 1, err: "section header without ']'"},
			{n: 2, err: "empty section name"},
			{n: 3, err: "text after section header"},
			{n: 4, err: "want Key = Value"},
			{n: 5, err: "want Key = Value"},
			{n: 6, err: "value without closing '`'"},
			{n: 7, err: "text after closing '`'"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := parseINI(tt.in); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("parseINI(%q)\n got %+v\nwant %+v", tt.in, got, tt.want)
			}
		})
	}
}

// FuzzParseINI checks that no input panics the parser and that what it
// returns is well formed, then feeds the same text through Load's
// application step, which must not panic either.
func FuzzParseINI(f *testing.F) {
	f.Add("[System]\nListen = :5212\n")
	f.Add("k = `a;b` ; c\n")
	f.Fuzz(func(t *testing.T, in string) {
		lines := parseINI(in)
		nLines := strings.Count(in, "\n") + 1
		prev := 0
		for _, ln := range lines {
			if ln.n <= prev || ln.n > nLines {
				t.Fatalf("line number %d after %d (of %d)", ln.n, prev, nLines)
			}
			prev = ln.n
			if ln.err == "" && ln.key == "" && ln.section == "" {
				t.Fatalf("line %d: header without a name", ln.n)
			}
		}
		l := loader{cfg: Default()}
		l.file("fuzz.ini", in)
	})
}
