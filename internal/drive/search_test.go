package drive

import (
	"errors"
	"math"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"
)

func presets(name string) (string, bool) {
	switch name {
	case "image":
		return "name=*.jpg&name=*.png&name_op_or&case_folding", true
	case "broken":
		return "name=%zz", true
	case "loop":
		return "category=image", true
	case "bad":
		return "type=dir", true
	}
	return "", false
}

func TestParseSearch(t *testing.T) {
	tests := []struct {
		query string
		want  Search
	}{
		{"", Search{}},
		{"foo=bar", Search{}},
		{"name=report", Search{Names: []NamePattern{{Text: "report", CaseSensitive: true, Like: "%report%"}}}},
		{"name=Report&case_folding", Search{CaseFolding: true,
			Names: []NamePattern{{Text: "Report", Like: "%Report%"}}}},
		{"name=Report&case_folding=false", Search{CaseFolding: true, // presence counts
			Names: []NamePattern{{Text: "Report", Like: "%Report%"}}}},
		{`name="A*b"&case_folding`, Search{CaseFolding: true,
			Names: []NamePattern{{Text: "A*b", CaseSensitive: true, Like: "%A*b%"}}}},
		{`name="`, Search{Names: []NamePattern{{Text: `"`, CaseSensitive: true, Like: `%"%`}}}},
		{`name=""`, Search{}},
		{"name=", Search{}},
		{"name=100%25_!", Search{Names: []NamePattern{{Text: "100%_!", CaseSensitive: true, Like: "%100!%!_!!%"}}}},
		{"name=*.jpg", Search{Names: []NamePattern{{Text: "*.jpg", Wildcard: true, CaseSensitive: true, Like: "%.jpg"}}}},
		{"name=IMG_*", Search{Names: []NamePattern{{Text: "IMG_*", Wildcard: true, CaseSensitive: true, Like: "IMG!_%"}}}},
		{"name=a*b", Search{Names: []NamePattern{{Text: "a*b", Wildcard: true, CaseSensitive: true, Like: "%a%b%"}}}},
		{"name=a***b**", Search{Names: []NamePattern{{Text: "a*b*", Wildcard: true, CaseSensitive: true, Like: "a%b%"}}}},
		{"name=*", Search{Names: []NamePattern{{Text: "*", Wildcard: true, CaseSensitive: true, Like: "%"}}}},
		{"name=%25*", Search{Names: []NamePattern{{Text: "%*", Wildcard: true, CaseSensitive: true, Like: "!%%"}}}},
		{"name=a&name=b", Search{Names: []NamePattern{
			{Text: "a", CaseSensitive: true, Like: "%a%"}, {Text: "b", CaseSensitive: true, Like: "%b%"}}}},
		{"name=a&use_or", Search{NameOr: true, Names: []NamePattern{{Text: "a", CaseSensitive: true, Like: "%a%"}}}},
		{"name_op_or=1", Search{NameOr: true}},
		{"type=file", Search{Type: "file"}},
		{"type=folder", Search{Type: "folder"}},
		{"type=", Search{}},
		{"meta_tag:work=", Search{Meta: []MetaCond{{Key: "tag:work"}}}},
		{"exact_meta_customize:emoji=%F0%9F%98%80&meta_b:x=1&meta_a:y=2&meta_a:y=3", Search{Meta: []MetaCond{
			{Key: "customize:emoji", Value: "😀", Exact: true},
			{Key: "a:y", Value: "2"}, {Key: "a:y", Value: "3"}, {Key: "b:x", Value: "1"}}}},
		{"size_gte=10&size_lte=20", Search{HasSize: true, SizeGTE: 10, SizeLTE: 20}},
		{"size_gte=10", Search{HasSize: true, SizeGTE: 10, SizeLTE: math.MaxInt64}},
		{"size_gte=10&size_lte=0", Search{HasSize: true, SizeGTE: 10, SizeLTE: math.MaxInt64}},
		{"size_lte=20", Search{HasSize: true, SizeLTE: 20}},
		{"size_gte=0&size_lte=0", Search{}},
		{"size_gte=20&size_lte=10", Search{HasSize: true, SizeGTE: 20, SizeLTE: 10}},
		{"created_gte=1700000000&created_lte=1700000100&updated_gte=1&updated_lte=253402300799", Search{
			CreatedGTE: time.Unix(1700000000, 0).UTC(), CreatedLTE: time.Unix(1700000100, 0).UTC(),
			UpdatedGTE: time.Unix(1, 0).UTC(), UpdatedLTE: time.Unix(253402300799, 0).UTC()}},
		{"created_gte=0", Search{}},
		{"category=image&name=ignored&type=folder", Search{Category: "image", NameOr: true, CaseFolding: true,
			Names: []NamePattern{{Text: "*.jpg", Wildcard: true, Like: "%.jpg"}, {Text: "*.png", Wildcard: true, Like: "%.png"}}}},
		{"category=&name=a", Search{Names: []NamePattern{{Text: "a", CaseSensitive: true, Like: "%a%"}}}},
	}
	for _, tt := range tests {
		q, err := url.ParseQuery(tt.query)
		if err != nil {
			t.Fatal(err)
		}
		got, err := ParseSearch(q, presets)
		if err != nil {
			t.Errorf("ParseSearch(%q): %v", tt.query, err)
			continue
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("ParseSearch(%q)\n got %+v\nwant %+v", tt.query, got, tt.want)
		}
	}
}

func TestParseSearchErrors(t *testing.T) {
	tests := []struct{ query, param string }{
		{"type=dir", "type"},
		{"type=file&type=folder", "type"},
		{"category=movies", "category"},
		{"category=image&category=image", "category"},
		{"category=broken", "category"},
		{"category=loop", "category"},
		{"category=bad", "type"},
		{"size_gte=-1", "size_gte"},
		{"size_lte=1e3", "size_lte"},
		{"size_lte=9223372036854775808", "size_lte"},
		{"size_gte=1&size_gte=2", "size_gte"},
		{"created_gte=x", "created_gte"},
		{"created_lte=-5", "created_lte"},
		{"updated_gte=253402300800", "updated_gte"},
		{"updated_lte=1.5", "updated_lte"},
		{"name=" + strings.Repeat("a", 256), "name"},
		{"name=a%00", "name"},
		{"name=%ff", "name"},
		{"meta_=x", "meta_"},
		{"exact_meta_=x", "exact_meta_"},
		{"meta_" + strings.Repeat("k", 256) + "=x", "meta_" + strings.Repeat("k", 256)},
		{"meta_a%0Ab=x", "meta_a\nb"},
		{"meta_tag:a=%01", "meta_tag:a"},
		{"exact_meta_tag:a=" + strings.Repeat("v", 65536), "exact_meta_tag:a"},
		{"name=a" + strings.Repeat("&name=a", 32), "name"},
		{"name=a" + strings.Repeat("&meta_k:x=a", 32), "name"},
	}
	for _, tt := range tests {
		q, err := url.ParseQuery(tt.query)
		if err != nil {
			t.Fatal(err)
		}
		_, err = ParseSearch(q, presets)
		var se *SearchError
		if !errors.As(err, &se) {
			t.Errorf("ParseSearch(%.60q) error = %v, want *SearchError", tt.query, err)
			continue
		}
		if se.Param != tt.param {
			t.Errorf("ParseSearch(%.60q) Param = %.60q, want %.60q", tt.query, se.Param, tt.param)
		}
	}
	if _, err := ParseSearch(url.Values{"category": {"image"}}, nil); err == nil {
		t.Error("category with nil preset lookup accepted")
	}
	// 32 terms is the limit, not beyond it.
	q, _ := url.ParseQuery("name=a" + strings.Repeat("&name=a", 15) + strings.Repeat("&meta_k:x=a", 16))
	if _, err := ParseSearch(q, nil); err != nil {
		t.Errorf("32 terms: %v", err)
	}
}

func TestEscapeLike(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"plain", "plain"},
		{"50%", "50!%"},
		{"a_b", "a!_b"},
		{"wow!", "wow!!"},
		{`back\slash`, `back\slash`},
		{"!%_", "!!!%!_"},
	}
	for _, tt := range tests {
		if got := EscapeLike(tt.in); got != tt.want {
			t.Errorf("EscapeLike(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestNamePatternMatch(t *testing.T) {
	tests := []struct {
		query string // one name= value, plus flags
		name  string
		want  bool
	}{
		{"name=port", "Report.pdf", true},
		{"name=PORT", "Report.pdf", false},
		{"name=PORT&case_folding", "Report.pdf", true},
		{`name="PORT"&case_folding`, "Report.pdf", false},
		{`name="port"`, "Report.pdf", true},
		{`name="a*b"`, "xa*by", true},
		{`name="a*b"`, "axxb", false},
		{"name=*.jpg", "cat.jpg", true},
		{"name=*.jpg", "cat.jpg.txt", false},
		{"name=*.JPG&case_folding", "cat.jpg", true},
		{"name=IMG*", "IMG_001.png", true},
		{"name=IMG*", "my IMG.png", false},
		{"name=a*b", "xxaYYbzz", true},
		{"name=a*b", "xxbYYazz", false},
		{"name=a*b*", "aXbY", true},
		{"name=a*b*", "XaXbY", false},
		{"name=*a*a*", "aa", true},
		{"name=*a*a*", "a", false},
		{"name=ab*ba", "aba", false},
		{"name=ab*ba", "abba", true},
		{"name=*", "", true},
		{"name=100%25", "100% done", true},
		{"name=100%25", "1000 done", false},
		{"name=a_c", "abc", false},
		{"name=ÄB&case_folding", "xäby", true},
	}
	for _, tt := range tests {
		q, _ := url.ParseQuery(tt.query)
		s, err := ParseSearch(q, nil)
		if err != nil || len(s.Names) != 1 {
			t.Fatalf("ParseSearch(%q) = %+v, %v", tt.query, s, err)
		}
		if got := s.Names[0].Match(tt.name); got != tt.want {
			t.Errorf("%q: Match(%q) = %v, want %v", tt.query, tt.name, got, tt.want)
		}
	}
}

// likeMatch is an independent, backtracking LIKE matcher (ESCAPE '!'),
// used to check that Like and Match agree.
func likeMatch(pattern, s string) bool {
	if pattern == "" {
		return s == ""
	}
	switch c := pattern[0]; c {
	case '%':
		for i := 0; i <= len(s); i++ {
			if likeMatch(pattern[1:], s[i:]) {
				return true
			}
		}
		return false
	case '_':
		return s != "" && likeMatch(pattern[1:], s[1:])
	case '!':
		return len(pattern) > 1 && s != "" && s[0] == pattern[1] && likeMatch(pattern[2:], s[1:])
	default:
		return s != "" && s[0] == c && likeMatch(pattern[1:], s[1:])
	}
}

func FuzzParseSearch(f *testing.F) {
	// More seeds live in testdata/fuzz/FuzzParseSearch.
	f.Add("name=a*b&case_folding", "xAyBz")
	f.Add(`name="100%"`, "100%")
	f.Fuzz(func(t *testing.T, query, name string) {
		q, err := url.ParseQuery(query)
		if err != nil {
			return
		}
		s, err := ParseSearch(q, presets)
		if err != nil {
			var se *SearchError
			if !errors.As(err, &se) {
				t.Fatalf("ParseSearch(%q) error %T, want *SearchError", query, err)
			}
			return
		}
		if s.Type != "" && s.Type != "file" && s.Type != "folder" {
			t.Fatalf("ParseSearch(%q).Type = %q", query, s.Type)
		}
		if s.HasSize != (s.SizeGTE > 0 || s.SizeLTE > 0) || s.SizeGTE < 0 || s.SizeLTE < 0 {
			t.Fatalf("ParseSearch(%q) sizes %+v", query, s)
		}
		if len(name) > 64 {
			return // keep the backtracking reference matcher fast
		}
		for _, p := range s.Names {
			if len(p.Text) > 24 {
				continue
			}
			like, n := p.Like, name
			if !p.CaseSensitive {
				like, n = strings.ToLower(like), strings.ToLower(n)
			}
			if got, want := p.Match(name), likeMatch(like, n); got != want {
				t.Fatalf("%+v: Match(%q) = %v, LIKE says %v", p, name, got, want)
			}
		}
	})
}
