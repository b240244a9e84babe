package store

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/stratus-drive/stratus/internal/errs"
)

// migrationFiles holds migrations/<dialect>/NNNN_name.sql. Every dialect has
// the same versions; a schema change is one new file in each directory.
//
// A file is a list of statements, each ending with a semicolon at the end of
// a line; lines that start with -- are comments. Statements hold no other
// semicolons (no triggers or procedures), so that splitting stays trivial and
// no driver needs a multi-statement mode.
//
//go:embed migrations
var migrationFiles embed.FS

// migration is one schema version.
type migration struct {
	version int
	name    string
	stmts   []string
}

// afterMigration runs Go code inside a migration's transaction, after its
// SQL: for rows whose values come from Go (boolsets, JSON documents).
var afterMigration = map[int]func(ctx context.Context, r *runner) error{
	1: seedBootstrap,
}

// The bookkeeping table, created before anything else; its shape never
// changes, so it lives here rather than in a migration.
var createMigrationsTable = [numDialects]string{
	dialectSQLite: `CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER NOT NULL PRIMARY KEY,
    name       VARCHAR(255) NOT NULL,
    applied_at DATETIME NOT NULL)`,
	dialectPostgres: `CREATE TABLE IF NOT EXISTS schema_migrations (
    version    BIGINT NOT NULL PRIMARY KEY,
    name       VARCHAR(255) NOT NULL,
    applied_at TIMESTAMPTZ NOT NULL)`,
	dialectMySQL: `CREATE TABLE IF NOT EXISTS schema_migrations (
    version    BIGINT NOT NULL PRIMARY KEY,
    name       VARCHAR(255) NOT NULL,
    applied_at DATETIME(6) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`,
}

var (
	migrationApplied = define("migrationApplied",
		`SELECT COUNT(*) FROM schema_migrations WHERE version = ?`)
	recordMigration = define("recordMigration",
		`INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`)
)

// Migrate brings the schema up to the newest version, applying each pending
// migration in order, each in its own transaction together with its record in
// schema_migrations. Running it again is a no-op.
//
// Processes that start together may all call Migrate: PostgreSQL and MySQL
// serialise them with an advisory lock (pg_advisory_lock, GET_LOCK); on
// SQLite each migration's transaction takes the write lock at BEGIN and looks
// at schema_migrations under it. MySQL cannot roll back DDL, so its migration
// files are written to be re-runnable instead.
func (db *DB) Migrate(ctx context.Context) error {
	const op = "store.Migrate"
	ms, err := loadMigrations(db.d)
	if err != nil {
		return errs.E(op, errs.Internal, err)
	}
	conn, err := db.sql.Conn(ctx)
	if err != nil {
		return classify(op, err)
	}
	defer conn.Close()
	unlock, err := lockMigrations(ctx, conn, db.d)
	if err != nil {
		return errs.E(op, errs.Internal, err)
	}
	defer unlock()
	if _, err := conn.ExecContext(ctx, createMigrationsTable[db.d]); err != nil {
		return errs.E(op, errs.Internal, err)
	}
	for _, m := range ms {
		if err := applyMigration(ctx, conn, db.d, m); err != nil {
			return errs.E(op, errs.Internal, fmt.Errorf("migration %04d_%s: %w", m.version, m.name, err))
		}
	}
	return nil
}

func applyMigration(ctx context.Context, conn *sql.Conn, d dialect, m migration) error {
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	r := &runner{x: tx, d: d}
	var n int
	if err := r.row(ctx, migrationApplied, m.version).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return nil
	}
	for _, s := range m.stmts {
		if _, err := tx.ExecContext(ctx, s); err != nil {
			return fmt.Errorf("%w\n%s", err, s)
		}
	}
	if after := afterMigration[m.version]; after != nil {
		if err := after(ctx, r); err != nil {
			return err
		}
	}
	if _, err := r.exec(ctx, recordMigration, m.version, m.name, now()); err != nil {
		return err
	}
	return tx.Commit()
}

// lockMigrations takes the dialect's cross-process migration lock on conn
// and returns its release.
func lockMigrations(ctx context.Context, conn *sql.Conn, d dialect) (unlock func(), err error) {
	switch d {
	case dialectPostgres:
		// Advisory locks are scoped to the current database.
		const key = 0x5354524154555300 // "STRATUS\0"
		if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock($1)`, int64(key)); err != nil {
			return nil, err
		}
		return func() { conn.ExecContext(context.Background(), `SELECT pg_advisory_unlock($1)`, int64(key)) }, nil
	case dialectMySQL:
		// GET_LOCK names are server-wide, so the name includes the database;
		// hashed, to stay within the 64-character limit.
		const name = `CONCAT('stratus_migrate:', MD5(DATABASE()))`
		var got sql.NullInt64
		if err := conn.QueryRowContext(ctx, `SELECT GET_LOCK(`+name+`, 600)`).Scan(&got); err != nil {
			return nil, err
		}
		if got.Int64 != 1 {
			return nil, fmt.Errorf("GET_LOCK did not grant the migration lock")
		}
		return func() { conn.ExecContext(context.Background(), `SELECT RELEASE_LOCK(`+name+`)`) }, nil
	}
	return func() {}, nil
}

// loadMigrations reads dialect d's migrations in version order.
func loadMigrations(d dialect) ([]migration, error) {
	dir := path.Join("migrations", d.String())
	entries, err := fs.ReadDir(migrationFiles, dir)
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, e := range entries {
		base, ok := strings.CutSuffix(e.Name(), ".sql")
		if !ok {
			continue
		}
		num, name, ok := strings.Cut(base, "_")
		version, err := strconv.Atoi(num)
		if !ok || err != nil || version <= 0 {
			return nil, fmt.Errorf("%s/%s: want NNNN_name.sql", dir, e.Name())
		}
		text, err := fs.ReadFile(migrationFiles, path.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{version: version, name: name, stmts: splitStatements(string(text))})
	}
	slices.SortFunc(ms, func(a, b migration) int { return a.version - b.version })
	for i := 1; i < len(ms); i++ {
		if ms[i].version == ms[i-1].version {
			return nil, fmt.Errorf("%s: version %d twice", dir, ms[i].version)
		}
	}
	return ms, nil
}

// splitStatements cuts a migration file into statements (see migrationFiles).
func splitStatements(text string) []string {
	var stmts []string
	var cur strings.Builder
	for line := range strings.Lines(text) {
		trimmed := strings.TrimSpace(line)
		if trimmed == "" || strings.HasPrefix(trimmed, "--") {
			continue
		}
		cur.WriteString(line)
		if strings.HasSuffix(trimmed, ";") {
			stmts = append(stmts, strings.TrimSuffix(strings.TrimSpace(cur.String()), ";"))
			cur.Reset()
		}
	}
	if s := strings.TrimSpace(cur.String()); s != "" {
		stmts = append(stmts, s)
	}
	return stmts
}
