// Package storetest gives tests real databases: a fresh SQLite file, and a
// fresh database on the test PostgreSQL and MariaDB servers named by package
// services, each dropped when the test ends. A server that cannot be reached
// skips the test, or fails it when STRATUS_TEST_REQUIRE names the server.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"

	"github.com/stratus-drive/stratus/internal/config"
	"github.com/stratus-drive/stratus/internal/store"
	"github.com/stratus-drive/stratus/internal/testenv/services"
)

// Dialects are the database types Each runs, as config.Database.Type values.
var Dialects = []string{"sqlite", "postgres", "mysql"}

// Each runs fn once per dialect, as subtests named after the dialects, each
// with a fresh migrated database.
func Each(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	t.Helper()
	for _, d := range Dialects {
		t.Run(d, func(t *testing.T) { fn(t, Open(t, d)) })
	}
}

// Open returns a fresh migrated database of the dialect ("sqlite",
// "postgres" or "mysql"), closed and dropped when t ends.
func Open(t testing.TB, dialect string) *store.DB {
	t.Helper()
	cfg := NewDatabase(t, dialect)
	ctx := context.Background()
	db, err := store.Open(ctx, cfg, t.TempDir())
	if err != nil {
		t.Fatalf("storetest: open %s: %v", dialect, err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		t.Fatalf("storetest: migrate %s: %v", dialect, err)
	}
	if dialect == "sqlite" {
		sqliteFiles.Store(db, cfg.DBFile)
		t.Cleanup(func() { sqliteFiles.Delete(db) })
	}
	return db
}

// sqliteFiles maps the SQLite databases Open made to their files, for Exec.
var sqliteFiles sync.Map

// Exec runs stmt (SQLite syntax) on a SQLite database made by Open, over a
// connection of its own: for tests that need a row the store's queries
// never write, such as a corrupt document.
func Exec(t testing.TB, db *store.DB, stmt string, args ...any) {
	t.Helper()
	path, ok := sqliteFiles.Load(db)
	if !ok {
		t.Fatal("storetest.Exec: not a SQLite database made by storetest.Open")
	}
	raw, err := sql.Open("sqlite", "file:"+(&url.URL{Path: path.(string)}).EscapedPath()+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec(stmt, args...); err != nil {
		t.Fatalf("storetest.Exec: %v", err)
	}
}

// NewDatabase creates a fresh, empty database of the dialect and returns the
// configuration that reaches it, without opening it, for tests that start a
// whole server. The database is dropped when t ends; whoever opens it must
// close it first (cleanups registered later run earlier, so a t.Cleanup
// that closes it is enough).
func NewDatabase(t testing.TB, dialect string) config.Database {
	t.Helper()
	switch dialect {
	case "sqlite":
		return config.Database{Type: "sqlite", DBFile: filepath.Join(t.TempDir(), store.DefaultSQLiteFile)}
	case "postgres":
		return newPostgres(t)
	case "mysql":
		return newMySQL(t)
	}
	t.Fatalf("storetest: unknown dialect %q", dialect)
	return config.Database{}
}

// serverTimeout bounds each statement against a test server, so that a hung
// server fails the test instead of stalling it.
const serverTimeout = 30 * time.Second

func newPostgres(t testing.TB) config.Database {
	t.Helper()
	dsn := services.PostgresDSN()
	admin, err := connect(t, "pgx", dsn)
	if err != nil {
		services.Unavailable(t, services.Postgres, err)
	}
	name := databaseName(t)
	adminExec(t, admin, `CREATE DATABASE `+name)
	t.Cleanup(func() {
		// FORCE ends connections a failed test may have left open.
		adminExec(t, admin, `DROP DATABASE IF EXISTS `+name+` WITH (FORCE)`)
		admin.Close()
	})
	return config.Database{Type: "postgres", DatabaseURL: withPostgresDatabase(t, dsn, name)}
}

// withPostgresDatabase points a URL or key=value DSN at database name.
func withPostgresDatabase(t testing.TB, dsn, name string) string {
	if !strings.Contains(dsn, "://") {
		return dsn + " dbname=" + name // a later key wins
	}
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatalf("storetest: PostgreSQL DSN: %v", err)
	}
	u.Path = "/" + name
	return u.String()
}

func newMySQL(t testing.TB) config.Database {
	t.Helper()
	cfg, err := mysql.ParseDSN(services.MySQLDSN())
	if err != nil {
		t.Fatalf("storetest: MySQL DSN: %v", err)
	}
	// The server-level connection needs no database, which may not exist.
	cfg.DBName = ""
	admin, err := connect(t, "mysql", cfg.FormatDSN())
	if err != nil {
		services.Unavailable(t, services.MySQL, err)
	}
	name := databaseName(t)
	adminExec(t, admin, `CREATE DATABASE `+name+` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`)
	t.Cleanup(func() {
		adminExec(t, admin, `DROP DATABASE IF EXISTS `+name)
		admin.Close()
	})
	cfg.DBName = name
	return config.Database{Type: "mysql", DatabaseURL: cfg.FormatDSN()}
}

func connect(t testing.TB, driver, dsn string) (*sql.DB, error) {
	db, err := sql.Open(driver, dsn)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

func adminExec(t testing.TB, db *sql.DB, stmt string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), serverTimeout)
	defer cancel()
	if _, err := db.ExecContext(ctx, stmt); err != nil {
		t.Fatalf("storetest: %s: %v", stmt, err)
	}
}

// databaseName is random, so that parallel tests and runs never meet.
func databaseName(t testing.TB) string {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatal(err)
	}
	return "stratus_" + hex.EncodeToString(b[:])
}
