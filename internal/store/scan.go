package store

import "encoding/json"

// scanner is a *sql.Row or *sql.Rows.
type scanner interface {
	Scan(dest ...any) error
}

// decodeDoc reads a JSON column into v; an empty column is the empty
// document (80-data-model §1).
func decodeDoc(text string, v any) error {
	if text == "" {
		return nil
	}
	return json.Unmarshal([]byte(text), v)
}

// encodeDoc renders v for a JSON column.
func encodeDoc(v any) (string, error) {
	b, err := json.Marshal(v)
	return string(b), err
}
