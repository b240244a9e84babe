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

// cached returns q's statement when it has been prepared, else nil.
func (c *stmtCache) cached(q *query) *sql.Stmt {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.stmts[q]
}

// prepare prepares q on the pool and keeps it; nil when it cannot be
// prepared (the caller then runs the text, which reports the error). The
// lock is not held while preparing: preparing waits for a free connection,
// and a transaction that holds one may be waiting for the lock.
func (c *stmtCache) prepare(ctx context.Context, q *query) *sql.Stmt {
	s, err := c.db.PrepareContext(ctx, q.text[dialectSQLite])
	if err != nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if have, ok := c.stmts[q]; ok {
		s.Close()
		return have
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
//
// A transaction never prepares on the pool: on SQLite every other
// connection may be waiting at BEGIN for the write lock this transaction
// holds, so waiting for one of them would stall until the busy timeout.
// A statement not cached yet is prepared on the transaction's own
// connection, and cached from the pool in the background.
func (r *runner) stmt(ctx context.Context, q *query) *sql.Stmt {
	statements.Add(1)
	if r.cache == nil {
		return nil
	}
	s := r.cache.cached(q)
	if r.tx == nil {
		if s == nil {
			s = r.cache.prepare(ctx, q)
		}
		return s
	}
	if ts, ok := r.txStmts[q]; ok {
		return ts
	}
	var ts *sql.Stmt
	if s != nil {
		ts = r.tx.StmtContext(ctx, s)
	} else {
		var err error
		if ts, err = r.tx.PrepareContext(ctx, q.text[dialectSQLite]); err != nil {
			return nil
		}
		go r.cache.prepare(context.WithoutCancel(ctx), q)
	}
	if r.txStmts == nil {
		r.txStmts = map[*query]*sql.Stmt{}
	}
	r.txStmts[q] = ts
	return ts
}
