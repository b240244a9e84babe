// Package store holds all of Stratus's SQL: the schema, its migrations and
// one method per query, for SQLite (the default), PostgreSQL and
// MySQL/MariaDB.
//
// The rules:
//   - One method per query, with its SQL in a constant beside it. A method
//     returns drive types and never decides anything: permissions, quotas,
//     defaults and validation belong to the services that call it.
//   - No caching. Services and package setting cache what they need.
//   - Every method works on both *DB and *Tx, so a service chooses the
//     transaction boundary (DB.InTx) without the store knowing.
//   - Errors carry a kind: a missing row is errs.NotExist, a unique
//     violation errs.Exist, anything else errs.Internal with the driver's
//     error as the cause.
//   - Rows are soft-deleted: every read skips rows whose deleted_at is set,
//     and every update sets updated_at.
//   - Times are stored and returned in UTC, to the microsecond.
//   - Queries are written once, in a portable form that is rewritten per
//     dialect when the package loads (see query); the schema is one
//     migration file per version per dialect under migrations/.
//   - Every column a query filters on has an index; a test EXPLAINs every
//     read query on every dialect to keep it so.
package store
