package store

import (
	"context"
	"database/sql/driver"
	"slices"
	"strings"
	"sync"
	"time"

	"modernc.org/sqlite"

	"github.com/stratus-drive/stratus/internal/drive"
)

// FolderRef is a folder met by a tree walk: enough to name it in a URI.
type FolderRef struct {
	ID       int
	ParentID int
	Name     string
}

const childFolders = `SELECT id, parent_id, name FROM files
 WHERE parent_id IN (%s) AND type = 1 AND is_symbolic = FALSE`

// ChildFolders returns the folders directly inside the given folders,
// shortcuts excepted (they cannot be entered), in no particular order. One
// indexed lookup per chunk of parents, answered from files_parent_type_name.
func (r *runner) ChildFolders(ctx context.Context, parents []int) ([]FolderRef, error) {
	const op = "store.ChildFolders"
	var out []FolderRef
	for _, chunk := range chunks(parents) {
		rows, err := r.x.QueryContext(ctx, r.inQuery(childFolders, len(chunk)), intArgs(chunk)...)
		if err != nil {
			return nil, classify(op, err)
		}
		for rows.Next() {
			var f FolderRef
			if err := rows.Scan(&f.ID, &f.ParentID, &f.Name); err != nil {
				rows.Close()
				return nil, classify(op, err)
			}
			out = append(out, f)
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, classify(op, err)
		}
	}
	return out, nil
}

// SearchChildren returns up to limit children of the folders in parents that
// meet q, ordered by creation time and then id (both descending when desc),
// starting after the cursor (nil: from the start; only its Time and ID are
// used). Every condition of q is evaluated in SQL:
//
//   - names: case-sensitive patterns compare bytes (GLOB on SQLite, whose
//     LIKE ignores ASCII case; LIKE elsewhere, where files.name is
//     case-sensitive); case-folded ones compare both sides lower-cased (see
//     sqliteLower for SQLite);
//   - metadata: one EXISTS per condition on (file_id, name), public entries
//     only, so several conditions may be met by different entries.
//
// Parents are queried in chunks, each an indexed lookup on parent_id, and
// the chunks' pages merged.
func (r *runner) SearchChildren(ctx context.Context, parents []int, q *drive.Search, desc bool, after *Cursor,
	limit int) ([]*drive.File, error) {
	const op = "store.SearchChildren"
	if limit <= 0 {
		return nil, nil
	}
	var out []*drive.File
	parts := chunks(parents)
	for _, chunk := range parts {
		text, args := searchQuery(r.d, chunk, q, desc, after, limit)
		rows, err := r.x.QueryContext(ctx, text, args...)
		if err != nil {
			return nil, classify(op, err)
		}
		fs, err := scanFiles(rows)
		if err != nil {
			return nil, classify(op, err)
		}
		out = append(out, fs...)
	}
	if len(parts) > 1 {
		slices.SortFunc(out, func(a, b *drive.File) int {
			c := a.CreatedAt.Compare(b.CreatedAt)
			if c == 0 {
				c = a.ID - b.ID
			}
			if desc {
				return -c
			}
			return c
		})
		if len(out) > limit {
			out = out[:limit]
		}
	}
	return out, nil
}

// searchQuery renders the SELECT of one chunk of SearchChildren in dialect
// d, with its arguments.
func searchQuery(d dialect, parents []int, q *drive.Search, desc bool, after *Cursor, limit int) (string, []any) {
	var b strings.Builder
	args := make([]any, 0, len(parents)+16)
	b.WriteString(`SELECT ` + fileColumns + ` FROM files WHERE parent_id IN (`)
	for i, id := range parents {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('?')
		args = append(args, id)
	}
	b.WriteByte(')')
	switch q.Type {
	case "file":
		b.WriteString(` AND type = 0`)
	case "folder":
		b.WriteString(` AND type = 1`)
	}
	if len(q.Names) > 0 {
		join := " AND "
		if q.NameOr {
			join = " OR "
		}
		b.WriteString(" AND (")
		for i, p := range q.Names {
			if i > 0 {
				b.WriteString(join)
			}
			switch {
			case !p.CaseSensitive:
				b.WriteString(lower(d, "name") + ` LIKE ` + lower(d, "?") + ` ESCAPE '!'`)
				args = append(args, p.Like)
			case d == dialectSQLite:
				b.WriteString(`name GLOB ?`)
				args = append(args, likeToGlob(p.Like))
			default:
				b.WriteString(`name LIKE ? ESCAPE '!'`)
				args = append(args, p.Like)
			}
		}
		b.WriteByte(')')
	}
	if q.HasSize {
		b.WriteString(` AND size >= ? AND size <= ?`)
		args = append(args, q.SizeGTE, q.SizeLTE)
	}
	for _, t := range []struct {
		cond string
		v    time.Time
	}{
		{` AND created_at >= ?`, q.CreatedGTE}, {` AND created_at <= ?`, q.CreatedLTE},
		{` AND updated_at >= ?`, q.UpdatedGTE}, {` AND updated_at <= ?`, q.UpdatedLTE},
	} {
		if !t.v.IsZero() {
			b.WriteString(t.cond)
			args = append(args, t.v.UTC())
		}
	}
	for _, m := range q.Meta {
		b.WriteString(` AND EXISTS (SELECT 1 FROM metadata m WHERE m.file_id = files.id AND m.name = ? AND m.is_public = TRUE`)
		args = append(args, m.Key)
		switch {
		case m.Exact && d == dialectMySQL:
			// metadata.value has a case- and accent-insensitive collation
			// there; an exact match compares bytes.
			b.WriteString(` AND m.value COLLATE utf8mb4_bin = ?`)
			args = append(args, m.Value)
		case m.Exact:
			b.WriteString(` AND m.value = ?`)
			args = append(args, m.Value)
		case m.Value != "":
			b.WriteString(` AND ` + lower(d, "m.value") + ` LIKE ` + lower(d, "?") + ` ESCAPE '!'`)
			args = append(args, "%"+drive.EscapeLike(m.Value)+"%")
		}
		b.WriteByte(')')
	}
	dir, cmp := "ASC", ">"
	if desc {
		dir, cmp = "DESC", "<"
	}
	if after != nil {
		b.WriteString(` AND (created_at ` + cmp + ` ? OR (created_at = ? AND id ` + cmp + ` ?))`)
		args = append(args, after.Time.UTC(), after.Time.UTC(), after.ID)
	}
	b.WriteString(` ORDER BY created_at ` + dir + `, id ` + dir + ` LIMIT ?`)
	args = append(args, limit)
	return rewrite(b.String(), d), args
}

// sqliteLower names a Unicode lower() for SQLite, whose own lower() folds
// ASCII letters only (PostgreSQL and MySQL fold by their collations). It is
// registered with the driver before the first SQLite database opens, under
// its own name: replacing lower() would change what existing generated
// columns, such as users.email_lower, compute.
const sqliteLower = "stratus_lower"

var registerSQLiteLower = sync.OnceFunc(func() {
	sqlite.MustRegisterDeterministicScalarFunction(sqliteLower, 1,
		func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
			switch v := args[0].(type) {
			case string:
				return strings.ToLower(v), nil
			case []byte:
				return strings.ToLower(string(v)), nil
			}
			return args[0], nil
		})
})

// lower returns the SQL that lower-cases expr in dialect d.
func lower(d dialect, expr string) string {
	if d == dialectSQLite {
		return sqliteLower + "(" + expr + ")"
	}
	return "lower(" + expr + ")"
}

// likeToGlob turns a LIKE pattern escaped with drive.LikeEscape, whose only
// wildcard is '%', into the equivalent case-sensitive SQLite GLOB pattern:
// '%' becomes '*', and GLOB's own special characters match themselves.
func likeToGlob(like string) string {
	var b strings.Builder
	b.Grow(len(like) + 8)
	for i := 0; i < len(like); i++ {
		c := like[i]
		switch {
		case c == drive.LikeEscape[0] && i+1 < len(like):
			i++
			writeGlobLiteral(&b, like[i])
		case c == '%':
			b.WriteByte('*')
		default:
			writeGlobLiteral(&b, c)
		}
	}
	return b.String()
}

func writeGlobLiteral(b *strings.Builder, c byte) {
	switch c {
	case '*', '?', '[':
		b.WriteByte('[')
		b.WriteByte(c)
		b.WriteByte(']')
	default:
		b.WriteByte(c)
	}
}
