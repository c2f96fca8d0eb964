package sqlite

import (
	"database/sql"
	"time"
)

// collect scans every row into a T, using fields to name the destinations of one row.
func collect[T any](rows *sql.Rows, fields func(*T) []any) ([]T, error) {
	defer rows.Close()
	out := []T{}
	for rows.Next() {
		var v T
		if err := rows.Scan(fields(&v)...); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// msScanner scans a Unix-milliseconds column into a time.Time.
type msScanner struct{ t *time.Time }

func (s msScanner) Scan(v any) error {
	var n sql.NullInt64
	if err := n.Scan(v); err != nil {
		return err
	}
	*s.t = fromMS(n.Int64)
	return nil
}
