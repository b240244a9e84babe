package store

import (
	"fmt"
	"reflect"
	"testing"
)

func TestSplitStatements(t *testing.T) {
	text := `-- a comment; with a semicolon
CREATE TABLE a (
    id INTEGER, -- trailing comments stay, harmlessly
    -- whole-line comments go
    name TEXT
);

CREATE INDEX a_name ON a (name);
INSERT INTO a VALUES (1, 'x')`
	want := []string{
		"CREATE TABLE a (\n    id INTEGER, -- trailing comments stay, harmlessly\n    name TEXT\n)",
		"CREATE INDEX a_name ON a (name)",
		"INSERT INTO a VALUES (1, 'x')",
	}
	if got := splitStatements(text); !reflect.DeepEqual(got, want) {
		t.Errorf("splitStatements:\ngot  %q\nwant %q", got, want)
	}
}

// TestMigrationSets checks that every dialect has the same versions under
// the same names, so that no database is left a migration behind.
func TestMigrationSets(t *testing.T) {
	var want []string
	for d := range numDialects {
		ms, err := loadMigrations(d)
		if err != nil {
			t.Fatalf("%s: %v", d, err)
		}
		var got []string
		for _, m := range ms {
			got = append(got, fmt.Sprintf("%04d_%s", m.version, m.name))
			if len(m.stmts) == 0 {
				t.Errorf("%s: migration %d has no statements", d, m.version)
			}
		}
		if d == 0 {
			want = got
			if len(want) == 0 || ms[0].version != 1 {
				t.Fatalf("%s: migrations must start at version 1", d)
			}
			continue
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s has migrations %v, sqlite has %v", d, got, want)
		}
	}
	for v := range afterMigration {
		if v < 1 || v > len(want) {
			t.Errorf("afterMigration names version %d, which does not exist", v)
		}
	}
}
