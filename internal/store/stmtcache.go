package store

import (
	"context"
	"database/sql"
	"sync"
	"sync/atomic"
)

// stmtCache keeps the store's queries prepared on SQLite, where the driver
// would otherwise parse and plan each statement's text again on every call
// (a fifth of a small upload's CPU). PostgreSQL's driver keeps its own
// cache, and MySQL servers cap prepared statements per server, so those two
// run text as before.
type stmtCache struct {
	db    *sql.DB
	mu    sync.Mutex
	stmts map[*query]*sql.Stmt
}

// prepared returns q's statement, preparing it on first use; nil when it
// cannot be prepared (the caller then runs the text, which reports the error).
func (c *stmtCache) prepared(ctx context.Context, q *query) *sql.Stmt {
	c.mu.Lock()
	defer c.mu.Unlock()
	if s, ok := c.stmts[q]; ok {
		return s
	}
	s, err := c.db.PrepareContext(ctx, q.text[dialectSQLite])
	if err != nil {
		return nil
	}
	c.stmts[q] = s
	return s
}

func (c *stmtCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, s := range c.stmts {
		s.Close()
	}
	clear(c.stmts)
}

// statements counts the statements the store has run through exec, row and
// rows, for benchmarks that report statements per request.
var statements atomic.Int64

// Statements is how many statements the store has run since the process
// started (the queries of this package; a few ad-hoc ones are not counted).
func Statements() int64 { return statements.Load() }

// stmt returns the prepared form of q for this runner, or nil to run text.
// In a transaction the statement is bound to it once and reused.
func (r *runner) stmt(ctx context.Context, q *query) *sql.Stmt {
	statements.Add(1)
	if r.cache == nil {
		return nil
	}
	s := r.cache.prepared(ctx, q)
	if s == nil || r.tx == nil {
		return s
	}
	if ts, ok := r.txStmts[q]; ok {
		return ts
	}
	ts := r.tx.StmtContext(ctx, s)
	if r.txStmts == nil {
		r.txStmts = map[*query]*sql.Stmt{}
	}
	r.txStmts[q] = ts
	return ts
}
