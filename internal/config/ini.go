package config

import (
	"fmt"
	"strings"
)

// iniLine is one meaningful line of an INI file: a section header (key ""),
// a key = value pair inside the section most recently opened, or a line
// that could not be parsed (err set).
type iniLine struct {
	n       int    // 1-based line number
	section string // as written; "" before the first header
	key     string // as written; "" for a header line
	value   string // unquoted, comments removed
	err     string // why the line is malformed
}

// parseINI reads the INI dialect Cloudreve's files are written in (that of
// the go-ini library): "[Section]" headers, "Key = Value" pairs, whole-line and
// inline comments starting with ';' or '#', values wrapped in backticks to
// keep a ';' or '#', and surrounding quotes stripped. It does not stop at a
// bad line, so every syntax error in a file is reported at once.
func parseINI(data string) []iniLine {
	var lines []iniLine
	section := ""
	data = strings.TrimPrefix(data, "\uFEFF") // editors on Windows add a BOM
	for i, raw := range strings.Split(data, "\n") {
		n := i + 1
		line := strings.TrimSpace(raw)
		if line == "" || line[0] == ';' || line[0] == '#' {
			continue
		}
		if line[0] == '[' {
			end := strings.IndexByte(line, ']')
			if end < 0 {
				lines = append(lines, iniLine{n: n, err: "section header without ']'"})
				continue
			}
			name := strings.TrimSpace(line[1:end])
			if name == "" {
				lines = append(lines, iniLine{n: n, err: "empty section name"})
				continue
			}
			if !isComment(line[end+1:]) {
				lines = append(lines, iniLine{n: n, err: "text after section header"})
				continue
			}
			section = name
			lines = append(lines, iniLine{n: n, section: section})
			continue
		}
		key, value, ok := strings.Cut(line, "=")
		key = strings.TrimSpace(key)
		if !ok || key == "" {
			lines = append(lines, iniLine{n: n, err: "want Key = Value"})
			continue
		}
		v, err := iniValue(value)
		if err != nil {
			lines = append(lines, iniLine{n: n, err: err.Error()})
			continue
		}
		lines = append(lines, iniLine{n: n, section: section, key: key, value: v})
	}
	return lines
}

// iniValue unwraps the text after '='.
func iniValue(s string) (string, error) {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "`") {
		end := strings.IndexByte(s[1:], '`')
		if end < 0 {
			return "", fmt.Errorf("value without closing '`'")
		}
		if !isComment(s[end+2:]) {
			return "", fmt.Errorf("text after closing '`'")
		}
		return s[1 : end+1], nil
	}
	// As in go-ini, a comment starts at any ';' or '#', which is why
	// Cloudreve tells users to wrap such values in backticks.
	if i := strings.IndexAny(s, ";#"); i >= 0 {
		s = strings.TrimSpace(s[:i])
	}
	if len(s) >= 2 && (s[0] == '"' || s[0] == '\'') && s[len(s)-1] == s[0] {
		s = s[1 : len(s)-1]
	}
	return s, nil
}

// isComment reports whether s is blank or a comment.
func isComment(s string) bool {
	s = strings.TrimSpace(s)
	return s == "" || s[0] == ';' || s[0] == '#'
}
