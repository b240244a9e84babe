package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/stratus-drive/stratus/internal/drive"
	"github.com/stratus-drive/stratus/internal/store"
	"github.com/stratus-drive/stratus/internal/store/storetest"
)

// readQueries lists every SELECT of the store with sample arguments. A new
// read query fails TestQueriesUseIndexes until it is listed here, either with
// arguments (its plan must use an index) or with the reason it may read a
// whole table.
var readQueries = map[string]struct {
	args     []any
	fullScan string
}{
	"Group":            {args: []any{1}},
	"Policy":           {args: []any{1}},
	"UserByID":         {args: []any{1}},
	"UserByEmail":      {args: []any{"user1@example.com"}},
	"SearchUsers":      {args: []any{"active", "%some%", "%some%", 10}},
	"migrationApplied": {args: []any{1}},
	"CountGroupUsers":  {args: []any{1}},
	"FileIDsOfOwner":   {args: []any{1}},
	"FilesOfEntity":    {args: []any{1}},
	"NodeByID":         {args: []any{1}},
	"PolicyUsage":      {args: []any{1}},

	"Settings":    {fullScan: "loads every setting by design, at start-up and on reload"},
	"Groups":      {fullScan: "groups holds a handful of rows"},
	"CountUsers":  {fullScan: "a count reads every row; it runs at start-up"},
	"ActiveNodes": {fullScan: "nodes holds a handful of rows"},

	"GroupsOfPolicy": {args: []any{1}, fullScan: "groups holds a handful of rows"},
	"PoliciesOfNode": {args: []any{1}, fullScan: "storage_policies holds a handful of rows"},
}

func TestQueriesUseIndexes(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		// Some rows, so that planners weigh an index against a real table
		// (and MySQL does not answer from a lookup that found nothing). One
		// transaction: a commit per row would dominate the test's time.
		err := db.InTx(ctx, func(tx *store.Tx) error {
			for i := range 50 {
				u := newUser(fmt.Sprintf("user%d@example.com", i))
				if i%3 == 0 {
					u.Status = drive.StatusInactive
				}
				if err := tx.CreateUser(ctx, u); err != nil {
					return err
				}
				if err := seedTree(ctx, tx, u.ID); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if db.Dialect() == "mysql" {
			if _, err := store.SQL(db).ExecContext(ctx, `ANALYZE TABLE users, settings, storage_policies, schema_migrations, files, entities, file_entities, metadata, upload_sessions`); err != nil {
				t.Fatal(err)
			}
		}
		if db.Dialect() == "postgres" {
			if _, err := store.SQL(db).ExecContext(ctx, `ANALYZE users, settings, storage_policies, "groups", schema_migrations, files, entities, file_entities, metadata, upload_sessions`); err != nil {
				t.Fatal(err)
			}
		}

		texts := store.ReadQueries(db)
		for name := range readQueries {
			if _, ok := texts[name]; !ok {
				t.Errorf("readQueries lists %q, which is not a read query of the store", name)
			}
		}
		for _, name := range slices.Sorted(maps.Keys(texts)) {
			rq, ok := readQueries[name]
			if !ok {
				t.Errorf("read query %q is not in readQueries: add sample arguments", name)
				continue
			}
			plan, scans, err := fullScans(ctx, db, texts[name], rq.args)
			if err != nil {
				t.Errorf("EXPLAIN %s: %v", name, err)
				continue
			}
			t.Logf("%s: %s", name, strings.Join(plan, " | "))
			if rq.fullScan == "" && len(scans) > 0 {
				t.Errorf("%s reads whole tables %v:\n%s\nplan: %s", name, scans, texts[name], strings.Join(plan, " | "))
			}
		}
	})
}

// fullScans EXPLAINs query and returns the plan and the tables it reads in
// full.
func fullScans(ctx context.Context, db *store.DB, query string, args []any) (plan, scans []string, err error) {
	conn, err := store.SQL(db).Conn(ctx)
	if err != nil {
		return nil, nil, err
	}
	defer conn.Close()
	switch db.Dialect() {
	case "sqlite":
		plan, err = queryStrings(ctx, conn, "EXPLAIN QUERY PLAN "+query, args, "detail")
		for _, l := range plan {
			// "SCAN t" reads the table; "SCAN t USING INDEX i" reads all of
			// an index, which is no better. SEARCH is a lookup.
			if rest, ok := strings.CutPrefix(l, "SCAN "); ok {
				scans = append(scans, strings.Fields(rest)[0])
			}
		}
		return plan, scans, err
	case "postgres":
		// On tiny tables a sequential scan is cheapest; turning it off shows
		// whether an index could serve the query at all.
		if _, err := conn.ExecContext(ctx, `SET enable_seqscan = off`); err != nil {
			return nil, nil, err
		}
		defer conn.ExecContext(context.Background(), `RESET enable_seqscan`)
		plan, err = queryStrings(ctx, conn, "EXPLAIN "+query, args, "QUERY PLAN")
		return plan, postgresFullScans(plan), err
	case "mysql":
		tables, err := queryStrings(ctx, conn, "EXPLAIN "+query, args, "table")
		if err != nil {
			return nil, nil, err
		}
		types, err := queryStrings(ctx, conn, "EXPLAIN "+query, args, "type")
		for i, typ := range types {
			plan = append(plan, tables[i]+":"+typ)
			// ALL reads the table, index all of an index.
			if typ == "ALL" || typ == "index" {
				scans = append(scans, tables[i])
			}
		}
		return plan, scans, err
	}
	return nil, nil, fmt.Errorf("unknown dialect %s", db.Dialect())
}

// queryStrings returns one column, by name, of every row of query.
func queryStrings(ctx context.Context, conn *sql.Conn, query string, args []any, column string) ([]string, error) {
	rows, err := conn.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	idx := slices.Index(cols, column)
	if idx < 0 {
		return nil, fmt.Errorf("no column %q in %v", column, cols)
	}
	var out []string
	for rows.Next() {
		vals := make([]sql.NullString, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		out = append(out, vals[idx].String)
	}
	return out, rows.Err()
}

// postgresFullScans finds Seq Scans, and index scans without an Index Cond,
// which walk a whole index (to get an order, say), in an EXPLAIN text.
func postgresFullScans(plan []string) []string {
	var scans []string
	for i, l := range plan {
		if _, rest, ok := strings.Cut(l, "Seq Scan on "); ok {
			scans = append(scans, strings.Fields(rest)[0])
			continue
		}
		if !strings.Contains(l, "Index Scan using ") && !strings.Contains(l, "Index Only Scan using ") {
			continue
		}
		_, rest, _ := strings.Cut(l, " on ")
		bounded := false
		// The node's details follow it, up to the next node.
		for _, d := range plan[i+1:] {
			if strings.Contains(d, "->") {
				break
			}
			bounded = bounded || strings.Contains(d, "Index Cond:")
		}
		if !bounded {
			scans = append(scans, strings.Fields(rest)[0])
		}
	}
	return scans
}
