package store

import (
	"context"
	"maps"
	"slices"
	"strings"
)

var settingsAll = define("Settings",
	`SELECT name, value FROM settings WHERE deleted_at IS NULL`)

// Settings returns every site setting by name.
func (r *runner) Settings(ctx context.Context) (map[string]string, error) {
	const op = "store.Settings"
	rows, err := r.rows(ctx, settingsAll)
	if err != nil {
		return nil, classify(op, err)
	}
	defer rows.Close()
	m := make(map[string]string)
	for rows.Next() {
		var name, value string
		if err := rows.Scan(&name, &value); err != nil {
			return nil, classify(op, err)
		}
		m[name] = value
	}
	return m, classify(op, rows.Err())
}

// The multi-row INSERT of InsertMissingSettings; one statement per chunk
// keeps the first start of a server from paying a commit per setting.
const (
	insertSettingsHead     = `INSERT INTO settings (name, value, created_at, updated_at) VALUES `
	insertSettingsRow      = `(?, ?, ?, ?)`
	insertSettingsTail     = ` ON CONFLICT (name) DO NOTHING`
	insertSettingsTailMy   = ` ON DUPLICATE KEY UPDATE name = name`
	insertSettingsPerChunk = 100 // 400 parameters, far below every driver's limit
)

// InsertMissingSettings inserts the settings whose names are absent and
// leaves existing ones (soft-deleted included) untouched. Processes may call
// it concurrently with overlapping names: names are inserted in sorted order,
// so two callers lock rows in the same order and neither fails.
func (r *runner) InsertMissingSettings(ctx context.Context, values map[string]string) error {
	const op = "store.InsertMissingSettings"
	names := slices.Sorted(maps.Keys(values))
	t := now()
	for chunk := range slices.Chunk(names, insertSettingsPerChunk) {
		var b strings.Builder
		b.WriteString(insertSettingsHead)
		args := make([]any, 0, 4*len(chunk))
		for i, name := range chunk {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(insertSettingsRow)
			args = append(args, name, values[name], t, t)
		}
		if r.d == dialectMySQL {
			b.WriteString(insertSettingsTailMy)
		} else {
			b.WriteString(insertSettingsTail)
		}
		// The text depends on the chunk's length, so it is rewritten here
		// rather than at init; this runs once per process start.
		if _, err := r.x.ExecContext(ctx, rewrite(b.String(), r.d), args...); err != nil {
			return classify(op, err)
		}
	}
	return nil
}

var setSetting = define("SetSetting",
	`INSERT INTO settings (name, value, created_at, updated_at) VALUES (?, ?, ?, ?)
 ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at, deleted_at = NULL`,
	`INSERT INTO settings (name, value, created_at, updated_at) VALUES (?, ?, ?, ?)
 ON DUPLICATE KEY UPDATE value = VALUES(value), updated_at = VALUES(updated_at), deleted_at = NULL`)

// SetSetting sets one setting, creating it if absent (or reviving it if
// soft-deleted).
func (r *runner) SetSetting(ctx context.Context, name, value string) error {
	const op = "store.SetSetting"
	t := now()
	_, err := r.exec(ctx, setSetting, name, value, t, t)
	return classify(op, err)
}
