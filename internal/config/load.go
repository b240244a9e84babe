package config

import (
	"errors"
	"fmt"
	"math"
	"os"
	"reflect"
	"strconv"
	"strings"
	"time"
)

// Environment variable prefixes. STRATUS_<SECTION>_<KEY> is ours;
// CR_CONF_<Section>.<Key> and CR_CONF_<Section>__<Key> are Cloudreve's, so
// that a container set up for Cloudreve keeps working.
const (
	envPrefix          = "STRATUS_"
	cloudreveEnvPrefix = "CR_CONF_"
)

// Load builds the configuration: Default(), then the conf.ini at path
// (skipped when path is ""), then Cloudreve's CR_CONF_ variables, then
// STRATUS_ variables from environ (os.Environ() in production), each layer
// overriding the one before. The result is normalised (see Normalize).
//
// Section and key names match case-insensitively. Durations are whole
// seconds and lists are comma-separated, as in Cloudreve. An empty value
// for a boolean, number or duration keeps the default. Environment values
// are taken verbatim: no comments, quotes or backticks.
//
// Unknown sections and keys are returned as warnings, one string each, so a
// typo does not stop the server but is not silent either. STRATUS_ variables
// whose section is unknown are skipped without a warning, because the
// prefix is shared with other tools (STRATUS_TEST_REQUIRE, for one).
//
// Values that cannot be parsed and everything Validate rejects make Load
// fail with one error listing every problem, one per line. A file that
// cannot be read fails alone, wrapping the os error.
func Load(path string, environ []string) (Config, []string, error) {
	l := loader{cfg: Default()}
	if path != "" {
		data, err := os.ReadFile(path)
		if err != nil {
			return Config{}, nil, fmt.Errorf("config: %w", err)
		}
		l.file(path, string(data))
	}
	l.env(environ)
	l.cfg.Normalize()
	if err := l.cfg.Validate(); err != nil {
		// Flatten, so the caller sees one list of problems.
		l.problems = append(l.problems, err.(interface{ Unwrap() []error }).Unwrap()...)
	}
	if len(l.problems) > 0 {
		return Config{}, l.warnings, errors.Join(l.problems...)
	}
	return l.cfg, l.warnings, nil
}

// loader accumulates a Config with the warnings and problems met on the way.
type loader struct {
	cfg      Config
	warnings []string
	problems []error
}

func (l *loader) warn(format string, args ...any) {
	l.warnings = append(l.warnings, fmt.Sprintf(format, args...))
}

func (l *loader) fail(format string, args ...any) {
	l.problems = append(l.problems, fmt.Errorf(format, args...))
}

// file applies the INI text of the file at path.
func (l *loader) file(path, data string) {
	for _, ln := range parseINI(data) {
		where := fmt.Sprintf("%s:%d", path, ln.n)
		if ln.err != "" {
			l.fail("%s: %s", where, ln.err)
			continue
		}
		if ln.key == "" {
			if section(&l.cfg, ln.section) == "" {
				l.warn("%s: unknown section [%s]", where, ln.section)
			}
			continue
		}
		switch {
		case ln.section == "":
			l.warn("%s: key %s outside any section", where, ln.key)
		case section(&l.cfg, ln.section) != "":
			l.set(where, ln.section, ln.key, ln.value)
		}
		// Keys of an unknown section were covered by its header's warning.
	}
}

// env applies CR_CONF_ and then STRATUS_ variables.
func (l *loader) env(environ []string) {
	type setting struct{ name, section, key, value string }
	var cloudreve, ours []setting
	for _, kv := range environ {
		name, value, ok := strings.Cut(kv, "=")
		if !ok {
			continue
		}
		if rest, ok := cutPrefixFold(name, cloudreveEnvPrefix); ok {
			sec, key, ok := strings.Cut(rest, ".")
			if !ok {
				sec, key, ok = strings.Cut(rest, "__")
			}
			// Cloudreve ignores these malformed names; so do we.
			if ok && sec != "" && key != "" {
				cloudreve = append(cloudreve, setting{name, sec, key, value})
			}
		} else if rest, ok := cutPrefixFold(name, envPrefix); ok {
			sec, key, ok := strings.Cut(rest, "_")
			if ok && key != "" && section(&l.cfg, sec) != "" {
				ours = append(ours, setting{name, sec, key, value})
			}
		}
	}
	for _, s := range cloudreve {
		if section(&l.cfg, s.section) == "" {
			l.warn("env %s: unknown section [%s]", s.name, s.section)
			continue
		}
		l.set("env "+s.name, s.section, s.key, s.value)
	}
	for _, s := range ours {
		l.set("env "+s.name, s.section, s.key, s.value)
	}
}

// set stores value under [sec] key; sec must be a known section.
func (l *loader) set(where, sec, key, value string) {
	sec = section(&l.cfg, sec)
	if sec == "OptionOverwrite" {
		if l.cfg.OptionOverwrite == nil {
			l.cfg.OptionOverwrite = make(map[string]string)
		}
		l.cfg.OptionOverwrite[key] = value
		return
	}
	sv := reflect.ValueOf(&l.cfg).Elem().FieldByName(sec)
	f, name := fieldFold(sv, key)
	if !f.IsValid() {
		l.warn("%s: unknown key [%s] %s", where, sec, key)
		return
	}
	if err := setField(f, value); err != nil {
		l.fail("%s: [%s] %s: %v", where, sec, name, err)
	}
}

// section returns the canonical name of the section called name, or "".
func section(c *Config, name string) string {
	if strings.EqualFold(name, "OptionOverwrite") {
		return "OptionOverwrite"
	}
	f, canonical := fieldFold(reflect.ValueOf(c).Elem(), name)
	if !f.IsValid() || f.Kind() != reflect.Struct {
		return ""
	}
	return canonical
}

// fieldFold finds the field of struct v whose name equals name ignoring
// case, and returns it with its canonical name.
func fieldFold(v reflect.Value, name string) (reflect.Value, string) {
	t := v.Type()
	for i := range t.NumField() {
		if strings.EqualFold(t.Field(i).Name, name) {
			return v.Field(i), t.Field(i).Name
		}
	}
	return reflect.Value{}, ""
}

// setField parses s into f according to f's type.
func setField(f reflect.Value, s string) error {
	switch p := f.Addr().Interface().(type) {
	case *string:
		*p = s
	case *[]string:
		*p = splitList(s)
	case *bool:
		if s == "" {
			return nil
		}
		b, ok := parseBool(s)
		if !ok {
			return fmt.Errorf("invalid boolean %q", s)
		}
		*p = b
	case *int:
		if s == "" {
			return nil
		}
		n, err := strconv.Atoi(s)
		if err != nil {
			return fmt.Errorf("invalid integer %q", s)
		}
		*p = n
	case *time.Duration:
		if s == "" {
			return nil
		}
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n > math.MaxInt64/int64(time.Second) || n < math.MinInt64/int64(time.Second) {
			return fmt.Errorf("invalid number of seconds %q", s)
		}
		*p = time.Duration(n) * time.Second
	default:
		// A field type Load cannot parse is a bug in this package, and
		// TestEveryKeySettable finds it.
		panic(fmt.Sprintf("config: field of unsupported type %T", p))
	}
	return nil
}

// splitList splits a comma-separated list, dropping blank items.
func splitList(s string) []string {
	var out []string
	for item := range strings.SplitSeq(s, ",") {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out
}

// parseBool accepts what strconv.ParseBool does plus the yes/no and on/off
// spellings that go-ini, and so Cloudreve, accepts.
func parseBool(s string) (bool, bool) {
	switch strings.ToLower(s) {
	case "1", "t", "true", "y", "yes", "on":
		return true, true
	case "0", "f", "false", "n", "no", "off":
		return false, true
	}
	return false, false
}

func cutPrefixFold(s, prefix string) (string, bool) {
	if len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix) {
		return s[len(prefix):], true
	}
	return "", false
}
