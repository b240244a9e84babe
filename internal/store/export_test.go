package store

import (
	"context"
	"database/sql"
	"strings"
)

// SQL returns the pool under db, for tests that look past the query methods.
func SQL(db *DB) *sql.DB { return db.sql }

// Exec runs a statement written in the portable form of query.
func Exec(ctx context.Context, db *DB, portable string, args ...any) error {
	_, err := db.sql.ExecContext(ctx, rewrite(portable, db.d), args...)
	return err
}

// ReadQueries returns the text, in db's dialect, of every registered SELECT.
func ReadQueries(db *DB) map[string]string {
	m := make(map[string]string)
	for name, q := range queries {
		if strings.HasPrefix(q.text[db.d], "SELECT") {
			m[name] = q.text[db.d]
		}
	}
	return m
}

// MigrationCount returns how many migrations db's dialect has.
func MigrationCount(db *DB) int {
	ms, err := loadMigrations(db.d)
	if err != nil {
		panic(err)
	}
	return len(ms)
}
