package store

import (
	"database/sql"
	"errors"

	"github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/stratus-drive/stratus/internal/errs"
)

// classify gives a driver error its kind: no row is errs.NotExist, a unique
// violation is errs.Exist, and everything else is errs.Internal. The driver
// error stays the cause, for logs and errors.Is (context.Canceled, say).
func classify(op string, err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, sql.ErrNoRows):
		return errs.E(op, errs.NotExist, err)
	case isUniqueViolation(err):
		return errs.E(op, errs.Exist, err)
	}
	return errs.E(op, errs.Internal, err)
}

func isUniqueViolation(err error) bool {
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || se.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code == "23505" // unique_violation
	}
	var me *mysql.MySQLError
	if errors.As(err, &me) {
		return me.Number == 1062 // ER_DUP_ENTRY
	}
	return false
}
