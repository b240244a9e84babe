package drive

import (
	"errors"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestValidateName(t *testing.T) {
	tests := []struct {
		name string
		ok   bool
	}{
		{"a", true},
		{"report.pdf", true},
		{"中文 文件.txt", true},
		{" leading space", true},
		{".hidden", true},
		{"...a", true},
		{"a..b", true},
		{"emoji 😀", true},
		{"family 👨\u200d👩\u200d👧", true}, // zero-width joiner in an emoji sequence
		{"می\u200cخواهم.txt", true},      // zero-width non-joiner in Persian
		{"invoice\u202Efdp.exe", false},  // right-to-left override
		{"a\u2066b", false},              // bidi isolate
		{"a\u200Bb", false},              // zero-width space
		{"a\uFEFFb", false},              // BOM
		{"a\u00ADb", false},              // soft hyphen
		{"a\U000E0041b", false},          // tag
		{"50% off & more #1 @home (copy) [x] {y} +=,;'!~`$^", true},
		{strings.Repeat("a", 255), true},
		{strings.Repeat("é", 127) + "a", true}, // 255 bytes
		{"CONSOLE", true},
		{"COM10", true},
		{"LPT0", true},
		{"xnul", true},
		{"auxiliary.txt", true},
		{"ＣＯＮ", true},        // full-width letters are not the device
		{"\u212aON", true},   // Kelvin sign, not K
		{"COM\u00b9x", true}, // not exactly COM¹

		{"", false},
		{".", false},
		{"..", false},
		{strings.Repeat("a", 256), false},
		{strings.Repeat("é", 128), false}, // 128 characters, 256 bytes
		{`a\b`, false},
		{"a/b", false},
		{"a:b", false},
		{"a*b", false},
		{"a?b", false},
		{`a"b`, false},
		{"a<b", false},
		{"a>b", false},
		{"a|b", false},
		{"a\x00b", false},
		{"a\tb", false},
		{"a\nb", false},
		{"a\x7fb", false},
		{"a\u0085b", false},
		{"\xc0\xae\xc0\xae", false},
		{"a\xffb", false},
		{"trailing ", false},
		{"trailing.", false},
		{"...", false},
		{" ", false},
		{"CON", false},
		{"con", false},
		{"Prn.txt", false},
		{"aux.tar.gz", false},
		{"NUL", false},
		{"nul.", false},
		{"CON .txt", false},
		{"com1", false},
		{"COM9.log", false},
		{"lpt5", false},
		{"LPT9.x", false},
		{"COM\u00b9", false},
		{"lpt\u00b3.txt", false},
		{"CONIN$", false},
		{"conout$.log", false},
	}
	for _, tt := range tests {
		err := ValidateName(tt.name)
		if tt.ok {
			if err != nil {
				t.Errorf("ValidateName(%.40q) = %v, want ok", tt.name, err)
			}
			continue
		}
		var ne *NameError
		if !errors.As(err, &ne) || ne.Reason == "" {
			t.Errorf("ValidateName(%.40q) = %v, want *NameError", tt.name, err)
		}
	}
}

func TestNameRulesCheck(t *testing.T) {
	tests := []struct {
		desc  string
		rules NameRules
		name  string
		ok    bool
	}{
		{"zero value", NameRules{}, "anything", true},
		{"allowed ext", NameRules{AllowedExt: []string{"jpg", "png"}}, "a.jpg", true},
		{"allowed ext case", NameRules{AllowedExt: []string{"JPG"}}, "a.JpG", true},
		{"allowed ext with dot", NameRules{AllowedExt: []string{".jpg"}}, "a.jpg", true},
		{"not allowed ext", NameRules{AllowedExt: []string{"jpg"}}, "a.png", false},
		{"ext is a suffix of another", NameRules{AllowedExt: []string{"pg"}}, "a.jpg", false},
		{"no ext vs allow list", NameRules{AllowedExt: []string{"jpg"}}, "jpg", false},
		{"trailing dot vs allow list", NameRules{AllowedExt: []string{"jpg"}}, "a.jpg.", false},
		{"dot file", NameRules{AllowedExt: []string{"bashrc"}}, ".bashrc", true},
		{"multi-dot ext", NameRules{AllowedExt: []string{"tar.gz"}}, "x.TAR.GZ", true},
		{"multi-dot ext, other", NameRules{AllowedExt: []string{"tar.gz"}}, "x.gz", false},
		{"only empty entries", NameRules{AllowedExt: []string{"", " "}}, "noext", true},
		{"empty entry ignored", NameRules{AllowedExt: []string{"", "jpg"}}, "noext", false},
		{"denied ext", NameRules{DeniedExt: []string{"exe"}}, "setup.EXE", false},
		{"denied ext, other", NameRules{DeniedExt: []string{"exe"}}, "setup.exe.txt", true},
		{"denied ext, no ext", NameRules{DeniedExt: []string{"exe"}}, "exe", true},
		{"allow and deny", NameRules{AllowedExt: []string{"gz"}, DeniedExt: []string{"tar.gz"}}, "a.tar.gz", false},
		{"allowed regexp", NameRules{AllowedRegexp: regexp.MustCompile(`^[a-z]+\.txt$`)}, "notes.txt", true},
		{"allowed regexp miss", NameRules{AllowedRegexp: regexp.MustCompile(`^[a-z]+\.txt$`)}, "Notes.txt", false},
		{"allowed regexp (?i)", NameRules{AllowedRegexp: regexp.MustCompile(`(?i)^[a-z]+\.txt$`)}, "Notes.txt", true},
		{"denied regexp", NameRules{DeniedRegexp: regexp.MustCompile(`^~\$`)}, "~$doc.docx", false},
		{"denied regexp miss", NameRules{DeniedRegexp: regexp.MustCompile(`^~\$`)}, "doc.docx", true},
	}
	for _, tt := range tests {
		err := tt.rules.Check(tt.name)
		if tt.ok != (err == nil) {
			t.Errorf("%s: Check(%q) = %v, want ok=%v", tt.desc, tt.name, err, tt.ok)
		}
		var ne *NameError
		if err != nil && !errors.As(err, &ne) {
			t.Errorf("%s: error %T, want *NameError", tt.desc, err)
		}
	}
}

func FuzzValidateName(f *testing.F) {
	// More seeds live in testdata/fuzz/FuzzValidateName.
	f.Add("report.pdf")
	f.Add("nul.txt")
	f.Fuzz(func(t *testing.T, name string) {
		err := ValidateName(name)
		if err != nil {
			var ne *NameError
			if !errors.As(err, &ne) {
				t.Fatalf("ValidateName(%q) error %T, want *NameError", name, err)
			}
			return
		}
		if len(name) == 0 || len(name) > 255 || !utf8.ValidString(name) ||
			strings.ContainsAny(name, "\\/:*?\"<>|\x00") || name == "." || name == ".." {
			t.Fatalf("ValidateName(%q) accepted a bad name", name)
		}
		// A valid name is one URI segment that survives a round trip.
		u := URI{FS: FSMy}.Join(name)
		v, err := ParseURI(u.String())
		if err != nil || len(v.Path) != 1 || v.Path[0] != name {
			t.Fatalf("name %q: URI %q parses to %v, %v", name, u, v.Path, err)
		}
	})
}
