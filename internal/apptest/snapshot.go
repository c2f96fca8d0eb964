package apptest

import (
	"database/sql"
	"fmt"
	"slices"
	"strings"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver

	"klasseaftale/internal/wire"
)

// openDB opens the app's database for reading, SQLite's file or PostgreSQL's, and gives the
// query that lists its tables.
func (a *App) openDB() (*sql.DB, string) {
	a.t.Helper()
	var db *sql.DB
	var err error
	tables := `SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`
	if wire.IsPostgres(a.DBPath) {
		db, err = sql.Open("pgx", a.DBPath)
		tables = `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name`
	} else {
		db, err = sql.Open("sqlite", "file:"+a.DBPath+"?mode=ro")
	}
	if err != nil {
		a.t.Fatal(err)
	}
	return db, tables
}

// Snapshot returns every row of every table of the database as text, so a test can show that
// a refused request changed nothing.
func (a *App) Snapshot() string {
	a.t.Helper()
	db, list := a.openDB()
	defer db.Close()
	tables, err := db.Query(list)
	if err != nil {
		a.t.Fatal(err)
	}
	var names []string
	for tables.Next() {
		var n string
		tables.Scan(&n)
		names = append(names, n)
	}
	tables.Close()
	var b strings.Builder
	for _, n := range names {
		fmt.Fprintf(&b, "# %s\n", n)
		dumpTable(&b, db, n)
	}
	return b.String()
}

func dumpTable(b *strings.Builder, db *sql.DB, table string) {
	rows, err := db.Query(`SELECT * FROM "` + table + `"`)
	if err != nil {
		fmt.Fprintf(b, "error: %v\n", err)
		return
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var lines []string
	defer func() {
		slices.Sort(lines)
		b.WriteString(strings.Join(lines, ""))
	}()
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		rows.Scan(ptrs...)
		lines = append(lines, fmt.Sprintln(vals...))
	}
}

// Count returns the number of rows of a table.
func (a *App) Count(table string) int {
	a.t.Helper()
	db, _ := a.openDB()
	defer db.Close()
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM "` + table + `"`).Scan(&n); err != nil {
		a.t.Fatal(err)
	}
	return n
}
