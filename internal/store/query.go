package store

import (
	"fmt"
	"strconv"
	"strings"
)

// dialect is one SQL flavour the store speaks.
type dialect uint8

const (
	dialectSQLite dialect = iota
	dialectPostgres
	dialectMySQL
	numDialects
)

var dialectNames = [numDialects]string{"sqlite", "postgres", "mysql"}

func (d dialect) String() string { return dialectNames[d] }

// query is one SQL statement of the store. Its text is written once, in the
// portable form below, and rewritten for every dialect when the package
// loads, so a call only indexes an array.
//
// The portable form is SQLite's, restricted to what the other two accept
// after a mechanical rewrite:
//   - ? placeholders; PostgreSQL gets $1, $2, ...
//   - "double quotes" only around identifiers (never around strings); MySQL
//     gets `backticks`, since "groups" is a reserved word there.
//   - an INSERT that ends in RETURNING id; MySQL gets the text without it and
//     the id comes from LastInsertId.
//
// Where MySQL's syntax differs beyond that (upserts), the query carries its
// own MySQL text, given with define's mysql argument and rewritten the same
// way.
type query struct {
	name string
	text [numDialects]string
}

// queries is every statement by name, for the tests that EXPLAIN them.
var queries = map[string]*query{}

const returningID = " RETURNING id"

// define registers a query written in the portable form. The optional mysql
// text is used for MySQL instead of the portable one.
func define(name, portable string, mysql ...string) *query {
	if _, dup := queries[name]; dup {
		panic("store: query defined twice: " + name)
	}
	q := &query{name: name}
	q.text[dialectSQLite] = portable
	q.text[dialectPostgres] = rewrite(portable, dialectPostgres)
	q.text[dialectMySQL] = rewrite(portable, dialectMySQL)
	if len(mysql) > 0 {
		q.text[dialectMySQL] = rewrite(mysql[0], dialectMySQL)
	}
	queries[name] = q
	return q
}

// defineSQLite registers a query whose SQLite text differs from the
// portable one (which the other dialects use), for SQLite-only speed-ups.
func defineSQLite(name, portable, sqlite string) *query {
	q := define(name, portable)
	q.text[dialectSQLite] = sqlite
	return q
}

// defineInsertIgnore registers an INSERT that does nothing when a row with
// the same key column exists. Other errors still fail, unlike MySQL's INSERT
// IGNORE, which would also swallow bad data.
func defineInsertIgnore(name, insert, key string) *query {
	return define(name, insert+" ON CONFLICT ("+key+") DO NOTHING",
		insert+" ON DUPLICATE KEY UPDATE "+key+" = "+key)
}

// rewrite turns portable SQL into dialect d, leaving string literals alone.
func rewrite(s string, d dialect) string {
	if d == dialectSQLite {
		return s
	}
	if d == dialectMySQL {
		s = strings.TrimSuffix(s, returningID)
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	n := 0
	inString := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\'':
			// A doubled quote inside a literal toggles twice, which is right.
			inString = !inString
			b.WriteByte(c)
		case inString:
			b.WriteByte(c)
		case c == '?' && d == dialectPostgres:
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
		case c == '"' && d == dialectMySQL:
			b.WriteByte('`')
		default:
			b.WriteByte(c)
		}
	}
	if inString {
		panic(fmt.Sprintf("store: unterminated string literal in %q", s))
	}
	return b.String()
}
