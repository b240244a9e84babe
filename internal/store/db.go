package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/go-sql-driver/mysql"
	_ "github.com/jackc/pgx/v5/stdlib" // registers "pgx"
	_ "modernc.org/sqlite"             // registers "sqlite"

	"github.com/stratus-drive/stratus/internal/config"
	"github.com/stratus-drive/stratus/internal/errs"
)

// DefaultSQLiteFile is the SQLite file name used when config.Database.DBFile
// is empty.
const DefaultSQLiteFile = "stratus.db"

// sqliteBusyTimeout is how long a SQLite statement waits for another
// connection's write lock before failing with SQLITE_BUSY.
const sqliteBusyTimeout = 10 * time.Second

// DB is an open database. It is safe for concurrent use; every query method
// of the store is a method of both DB and Tx.
type DB struct {
	runner
	sql *sql.DB
}

// Tx is a transaction begun by DB.InTx. It is not safe for concurrent use.
type Tx struct {
	runner
}

// querier is what a query needs from *sql.DB, *sql.Tx and *sql.Conn.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// runner carries the query methods. DB and Tx embed it, so each method runs
// on the pool or inside a transaction without being written twice.
type runner struct {
	x querier
	d dialect
	// cache holds prepared statements (SQLite only, see stmtCache); tx and
	// txStmts bind them to a transaction.
	cache   *stmtCache
	tx      *sql.Tx
	txStmts map[*query]*sql.Stmt
}

// Open connects to the database that cfg describes and checks that it
// answers; it does not migrate (see Migrate).
//
// cfg.Type selects the driver: "sqlite", "sqlite3" or "" for SQLite,
// "postgres" for PostgreSQL, "mysql" or "mariadb" for MySQL/MariaDB. When
// cfg.DatabaseURL is set it is the driver's DSN verbatim, except that for
// MySQL the store turns on parseTime, loc=UTC and clientFoundRows, which its
// scanning and its NotExist checks rely on. Otherwise the DSN is built from
// the other fields; a relative SQLite DBFile is joined to dataDir.
//
// An unknown type is errs.Invalid; a server that cannot be reached is
// errs.Unavailable.
func Open(ctx context.Context, cfg config.Database, dataDir string) (*DB, error) {
	const op = "store.Open"
	d, err := parseDialect(cfg.Type)
	if err != nil {
		return nil, errs.E(op, errs.Invalid, err)
	}
	var sqldb *sql.DB
	switch d {
	case dialectSQLite:
		registerSQLiteLower()
		dsn := cfg.DatabaseURL
		if dsn == "" {
			path := sqlitePath(cfg, dataDir)
			if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
				return nil, errs.E(op, errs.Internal, err)
			}
			dsn = sqliteDSN(path)
		}
		sqldb, err = sql.Open("sqlite", dsn)
	case dialectPostgres:
		dsn := cfg.DatabaseURL
		if dsn == "" {
			dsn = postgresDSN(cfg)
		}
		sqldb, err = sql.Open("pgx", dsn)
	case dialectMySQL:
		var mc *mysql.Config
		if mc, err = mysqlConfig(cfg); err == nil {
			var c driver.Connector
			if c, err = mysql.NewConnector(mc); err == nil {
				sqldb = sql.OpenDB(c)
			}
		}
	}
	if err != nil {
		return nil, errs.E(op, errs.Invalid, err)
	}
	setPool(sqldb, d)
	if err := sqldb.PingContext(ctx); err != nil {
		sqldb.Close()
		return nil, errs.E(op, errs.Unavailable, err)
	}
	var cache *stmtCache
	if d == dialectSQLite {
		cache = &stmtCache{db: sqldb, stmts: map[*query]*sql.Stmt{}}
	}
	return &DB{runner: runner{x: sqldb, d: d, cache: cache}, sql: sqldb}, nil
}

// Close closes the pool. Queries in flight finish first.
func (db *DB) Close() error {
	if db.cache != nil {
		db.cache.close()
	}
	if err := db.sql.Close(); err != nil {
		return errs.E("store.Close", errs.Internal, err)
	}
	return nil
}

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error {
	if err := db.sql.PingContext(ctx); err != nil {
		return errs.E("store.Ping", errs.Unavailable, err)
	}
	return nil
}

// Stats are the connection pool's figures.
func (db *DB) Stats() sql.DBStats { return db.sql.Stats() }

// Dialect names the SQL flavour: "sqlite", "postgres" or "mysql" (MariaDB
// included).
func (db *DB) Dialect() string { return db.d.String() }

// InTx runs fn in a transaction: it commits when fn returns nil and rolls
// back when fn returns an error or panics (the panic then continues). fn's
// error is returned as is. On SQLite the transaction takes the write lock when
// it begins, so two writers queue instead of deadlocking on a lock upgrade.
func (db *DB) InTx(ctx context.Context, fn func(tx *Tx) error) error {
	const op = "store.InTx"
	stx, err := db.sql.BeginTx(ctx, nil)
	if err != nil {
		return classify(op, err)
	}
	defer func() {
		if p := recover(); p != nil {
			stx.Rollback()
			panic(p)
		}
	}()
	if err := fn(&Tx{runner: runner{x: stx, d: db.d, cache: db.cache, tx: stx}}); err != nil {
		stx.Rollback()
		return err
	}
	if err := stx.Commit(); err != nil {
		return classify(op, err)
	}
	return nil
}

func parseDialect(typ string) (dialect, error) {
	switch strings.ToLower(typ) {
	case "", "sqlite", "sqlite3":
		return dialectSQLite, nil
	case "postgres", "postgresql":
		return dialectPostgres, nil
	case "mysql", "mariadb":
		return dialectMySQL, nil
	}
	return 0, fmt.Errorf("unknown database type %q", typ)
}

func sqlitePath(cfg config.Database, dataDir string) string {
	path := cfg.DBFile
	if path == "" {
		path = DefaultSQLiteFile
	}
	if !filepath.IsAbs(path) {
		path = filepath.Join(dataDir, path)
	}
	return path
}

// sqliteDSN opens path as a URI so that any character may appear in it. The
// pragmas are per connection, so the driver runs them on each new one:
// WAL lets readers run beside the writer, NORMAL sync is durable enough under
// WAL, and _txlock=immediate makes BEGIN take the write lock up front.
// Times are written in SQLite's own text format; in UTC, as the store always
// passes them, that text sorts in time order.
func sqliteDSN(path string) string {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout("+strconv.FormatInt(sqliteBusyTimeout.Milliseconds(), 10)+")")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Set("_txlock", "immediate")
	q.Set("_time_format", "sqlite")
	return "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + q.Encode()
}

func postgresDSN(cfg config.Database) string {
	u := url.URL{Scheme: "postgres", Path: "/" + cfg.Name}
	q := url.Values{}
	if cfg.UnixSocket {
		// libpq style: a socket directory goes in the host parameter.
		q.Set("host", cfg.Host)
	} else {
		host := cfg.Host
		if host == "" {
			host = "localhost"
		}
		if cfg.Port != 0 {
			host = net.JoinHostPort(host, strconv.Itoa(cfg.Port))
		}
		u.Host = host
	}
	if cfg.Password != "" {
		u.User = url.UserPassword(cfg.User, cfg.Password)
	} else if cfg.User != "" {
		u.User = url.User(cfg.User)
	}
	if cfg.SSLMode != "" {
		q.Set("sslmode", cfg.SSLMode)
	}
	u.RawQuery = q.Encode()
	return u.String()
}

func mysqlConfig(cfg config.Database) (*mysql.Config, error) {
	var mc *mysql.Config
	if cfg.DatabaseURL != "" {
		var err error
		if mc, err = mysql.ParseDSN(cfg.DatabaseURL); err != nil {
			return nil, err
		}
	} else {
		mc = mysql.NewConfig()
		mc.User, mc.Passwd, mc.DBName = cfg.User, cfg.Password, cfg.Name
		if cfg.UnixSocket {
			mc.Net, mc.Addr = "unix", cfg.Host
		} else {
			host, port := cfg.Host, cfg.Port
			if host == "" {
				host = "127.0.0.1"
			}
			if port == 0 {
				port = 3306
			}
			mc.Net, mc.Addr = "tcp", net.JoinHostPort(host, strconv.Itoa(port))
		}
		charset := cfg.Charset
		if charset == "" {
			charset = "utf8mb4"
		}
		if err := mc.Apply(mysql.Charset(charset, "")); err != nil {
			return nil, err
		}
	}
	mc.ParseTime = true
	mc.Loc = time.UTC
	// Rows matched, not rows changed: an update that writes the same values
	// must not look like a missing row.
	mc.ClientFoundRows = true
	return mc, nil
}

// setPool sizes the pool. SQLite has one writer at a time, so a few
// connections serve readers beside it; servers get more, and MySQL
// connections are recycled before a typical wait_timeout drops them.
func setPool(db *sql.DB, d dialect) {
	switch d {
	case dialectSQLite:
		db.SetMaxOpenConns(8)
		db.SetMaxIdleConns(8)
	case dialectPostgres:
		db.SetMaxOpenConns(32)
		db.SetMaxIdleConns(8)
		db.SetConnMaxLifetime(30 * time.Minute)
	case dialectMySQL:
		db.SetMaxOpenConns(32)
		db.SetMaxIdleConns(8)
		db.SetConnMaxLifetime(3 * time.Minute)
	}
	db.SetConnMaxIdleTime(5 * time.Minute)
}

// now is the timestamp for created_at and updated_at: UTC, and cut to the
// microseconds that PostgreSQL and MySQL keep, so a value handed back to the
// caller equals the one read later.
func now() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }

func (r *runner) exec(ctx context.Context, q *query, args ...any) (sql.Result, error) {
	if s := r.stmt(ctx, q); s != nil {
		return s.ExecContext(ctx, args...)
	}
	return r.x.ExecContext(ctx, q.text[r.d], args...)
}

func (r *runner) row(ctx context.Context, q *query, args ...any) *sql.Row {
	if s := r.stmt(ctx, q); s != nil {
		return s.QueryRowContext(ctx, args...)
	}
	return r.x.QueryRowContext(ctx, q.text[r.d], args...)
}

func (r *runner) rows(ctx context.Context, q *query, args ...any) (*sql.Rows, error) {
	if s := r.stmt(ctx, q); s != nil {
		return s.QueryContext(ctx, args...)
	}
	return r.x.QueryContext(ctx, q.text[r.d], args...)
}

// column runs q and returns the single column of every row.
func column[T any](ctx context.Context, r *runner, q *query, args ...any) ([]T, error) {
	rows, err := r.rows(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		var v T
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// eachRowIn runs format, a query whose one %s becomes the placeholders of
// ids, over chunks of at most maxIn ids, and calls fn for every row.
func (r *runner) eachRowIn(ctx context.Context, ids []int, format string, fn func(rows *sql.Rows) error) error {
	for _, chunk := range chunks(ids) {
		rows, err := r.x.QueryContext(ctx, r.inQuery(format, len(chunk)), intArgs(chunk)...)
		if err != nil {
			return err
		}
		for rows.Next() {
			if err := fn(rows); err != nil {
				rows.Close()
				return err
			}
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return err
		}
	}
	return nil
}

// insert runs an INSERT ... RETURNING id and returns the new id.
func (r *runner) insert(ctx context.Context, q *query, args ...any) (int, error) {
	if r.d == dialectMySQL {
		res, err := r.exec(ctx, q, args...)
		if err != nil {
			return 0, err
		}
		id, err := res.LastInsertId()
		return int(id), err
	}
	var id int
	err := r.row(ctx, q, args...).Scan(&id)
	return id, err
}

// update runs an UPDATE of one row and reports sql.ErrNoRows when no row
// matched, so that callers learn of a missing (or soft-deleted) row.
func (r *runner) update(ctx context.Context, q *query, args ...any) error {
	res, err := r.exec(ctx, q, args...)
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err == nil && n == 0 {
		err = sql.ErrNoRows
	}
	return err
}
