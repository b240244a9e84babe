package store

import (
	"strings"
	"testing"
)

func TestRewrite(t *testing.T) {
	tests := []struct {
		in              string
		postgres, mysql string
	}{
		{`SELECT a FROM t WHERE id = ?`, `SELECT a FROM t WHERE id = $1`, `SELECT a FROM t WHERE id = ?`},
		{`UPDATE "groups" SET a = ?, b = ? WHERE id = ?`,
			`UPDATE "groups" SET a = $1, b = $2 WHERE id = $3`,
			"UPDATE `groups` SET a = ?, b = ? WHERE id = ?"},
		{`SELECT '?', '"x"', 'it''s ?' FROM t WHERE a = ?`,
			`SELECT '?', '"x"', 'it''s ?' FROM t WHERE a = $1`,
			`SELECT '?', '"x"', 'it''s ?' FROM t WHERE a = ?`},
		{`INSERT INTO t (a) VALUES (?) RETURNING id`,
			`INSERT INTO t (a) VALUES ($1) RETURNING id`,
			`INSERT INTO t (a) VALUES (?)`},
		{`SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?`,
			`SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11`,
			`SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?`},
	}
	for _, tt := range tests {
		if got := rewrite(tt.in, dialectSQLite); got != tt.in {
			t.Errorf("sqlite %q: got %q, want it unchanged", tt.in, got)
		}
		if got := rewrite(tt.in, dialectPostgres); got != tt.postgres {
			t.Errorf("postgres %q:\ngot  %q\nwant %q", tt.in, got, tt.postgres)
		}
		if got := rewrite(tt.in, dialectMySQL); got != tt.mysql {
			t.Errorf("mysql %q:\ngot  %q\nwant %q", tt.in, got, tt.mysql)
		}
	}
}

// TestQueryTexts checks every registered query once per dialect for the
// mistakes the rewrite cannot catch.
func TestQueryTexts(t *testing.T) {
	for name, q := range queries {
		if strings.Contains(q.text[dialectPostgres], "?") {
			t.Errorf("%s: a ? survived the PostgreSQL rewrite: %s", name, q.text[dialectPostgres])
		}
		if strings.Contains(q.text[dialectMySQL], `"`) {
			t.Errorf("%s: double quote in MySQL text: %s", name, q.text[dialectMySQL])
		}
		if strings.Contains(q.text[dialectMySQL], "RETURNING") {
			t.Errorf("%s: RETURNING in MySQL text: %s", name, q.text[dialectMySQL])
		}
	}
}

func TestEscapeLike(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain", "plain"},
		{"100%", "100!%"},
		{"a_b", "a!_b"},
		{"wow!", "wow!!"},
		{`back\slash`, `back\slash`},
		{"!%_", "!!!%!_"},
	}
	for _, tt := range tests {
		if got := escapeLike(tt.in); got != tt.want {
			t.Errorf("escapeLike(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
