package apptest

import (
	"database/sql"
	"fmt"
	"maps"
	"slices"
	"strings"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver

	"klasseaftale/agreements/storetest"
	"klasseaftale/internal/wire"
)

// openDB opens the app's database for reading, SQLite's file or PostgreSQL's, and gives the
// query that lists its tables.
func (a *App) openDB() (*sql.DB, string) {
	a.t.Helper()
	var db *sql.DB
	var err error
	tables := storetest.SQLiteTables
	if wire.IsPostgres(a.DBPath) {
		db, err = sql.Open("pgx", a.DBPath)
		tables = storetest.PostgresTables
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
	db, tables := a.openDB()
	defer db.Close()
	rows, err := storetest.Dump(db, tables)
	if err != nil {
		a.t.Fatal(err)
	}
	var b strings.Builder
	for _, table := range slices.Sorted(maps.Keys(rows)) {
		fmt.Fprintf(&b, "# %s\n%s", table, strings.Join(rows[table], "\n"))
		b.WriteString("\n")
	}
	return b.String()
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
