package storetest

import (
	"database/sql"
	"fmt"
	"slices"
	"strings"
)

// The queries that list an engine's tables, for Dump.
const (
	SQLiteTables   = `SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`
	PostgresTables = `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`
)

// Dump reads every row of every table (those the query tables lists) as text, by table: one
// line a row, its columns as name=value, the lines sorted. An engine's Rows, and a test that
// shows a refused request changed nothing, compare dumps.
func Dump(db *sql.DB, tables string) (map[string][]string, error) {
	rows, err := db.Query(tables)
	if err != nil {
		return nil, err
	}
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			rows.Close()
			return nil, err
		}
		names = append(names, n)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := map[string][]string{}
	for _, table := range names {
		if out[table], err = dumpTable(db, table); err != nil {
			return nil, fmt.Errorf("%s: %w", table, err)
		}
	}
	return out, nil
}

func dumpTable(db *sql.DB, table string) ([]string, error) {
	rows, err := db.Query(`SELECT * FROM "` + table + `"`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	lines := []string{}
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		var line strings.Builder
		for i, v := range vals {
			if b, ok := v.([]byte); ok {
				v = string(b)
			}
			fmt.Fprintf(&line, "%s=%v ", cols[i], v)
		}
		lines = append(lines, line.String())
	}
	slices.Sort(lines)
	return lines, rows.Err()
}
