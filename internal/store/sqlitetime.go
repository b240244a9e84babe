package store

import (
	"fmt"
	"strings"
	"time"
)

// sqliteFileColumns is fileColumns for the SQLite listing queries: the two
// times come back as their stored text (a unary + drops the column's
// DATETIME type, so the driver does not parse them) under aliases that
// leave ORDER BY on the indexed columns, and scanFile parses them with
// parseStoredTime. The driver's own parsing tries a second layout before
// the one the store writes, and was a tenth of a large listing's CPU.
var sqliteFileColumns = strings.Replace(fileColumns, "created_at, updated_at",
	"+created_at AS created_text, +updated_at AS updated_text", 1)

// storedTime scans a time column: a time.Time from PostgreSQL, MySQL and
// SQLite's typed columns, or SQLite's stored text.
type storedTime struct{ t *time.Time }

func (s storedTime) Scan(v any) error {
	switch v := v.(type) {
	case time.Time:
		*s.t = v
	case string:
		t, err := parseStoredTime(v)
		if err != nil {
			return err
		}
		*s.t = t
	case []byte:
		t, err := parseStoredTime(string(v))
		if err != nil {
			return err
		}
		*s.t = t
	default:
		return fmt.Errorf("store: cannot scan %T into a time", v)
	}
	return nil
}

// sqliteTimeLayouts are the layouts SQLite text times may have: the one the
// store writes (_time_format=sqlite) first.
var sqliteTimeLayouts = []string{
	"2006-01-02 15:04:05.999999999-07:00",
	"2006-01-02T15:04:05.999999999-07:00",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04",
	"2006-01-02T15:04",
	"2006-01-02",
}

// parseStoredTime parses a time as SQLite stores it, reading the layout the
// store writes in UTC ("2006-01-02 15:04:05.999999+00:00") without the
// general parser, and any other with it.
func parseStoredTime(s string) (time.Time, error) {
	if t, ok := parseUTCText(s); ok {
		return t, nil
	}
	s = strings.TrimSuffix(s, "Z")
	for _, l := range sqliteTimeLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("store: unrecognised time %q", s)
}

// parseUTCText reads "YYYY-MM-DD HH:MM:SS[.fraction]+00:00".
func parseUTCText(s string) (time.Time, bool) {
	rest, ok := strings.CutSuffix(s, "+00:00")
	if !ok || len(rest) < 19 || rest[4] != '-' || rest[7] != '-' || rest[10] != ' ' || rest[13] != ':' ||
		rest[16] != ':' {
		return time.Time{}, false
	}
	num := func(a, b int) (int, bool) {
		n := 0
		for i := a; i < b; i++ {
			c := rest[i]
			if c < '0' || c > '9' {
				return 0, false
			}
			n = n*10 + int(c-'0')
		}
		return n, true
	}
	year, ok1 := num(0, 4)
	month, ok2 := num(5, 7)
	day, ok3 := num(8, 10)
	hour, ok4 := num(11, 13)
	minute, ok5 := num(14, 16)
	sec, ok6 := num(17, 19)
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6) || month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 ||
		minute > 59 || sec > 59 {
		return time.Time{}, false
	}
	nsec := 0
	if frac := rest[19:]; frac != "" {
		if frac[0] != '.' || len(frac) < 2 || len(frac) > 10 {
			return time.Time{}, false
		}
		n, ok := num(20, len(rest))
		if !ok {
			return time.Time{}, false
		}
		for i := len(frac) - 1; i < 9; i++ {
			n *= 10
		}
		nsec = n
	}
	t := time.Date(year, time.Month(month), day, hour, minute, sec, nsec, time.UTC)
	if t.Day() != day { // 31 February and the like
		return time.Time{}, false
	}
	return t, true
}
