package postgres_test

import (
	"context"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5/stdlib"

	"klasseaftale/agreements"
	"klasseaftale/agreements/postgres"
	"klasseaftale/agreements/storetest"
	"klasseaftale/internal/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// TestStore runs the store's suite on PostgreSQL, each test on a database of its own.
func TestStore(t *testing.T) {
	storetest.Run(t, engine())
}

// open opens the store at dsn, closed when the test ends.
func open(t *testing.T, dsn string) *postgres.DB {
	t.Helper()
	db, err := postgres.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func engine() storetest.Engine {
	var mu sync.Mutex
	dsns := map[agreements.Store]string{}
	openAt := func(t *testing.T, dsn string) agreements.Store {
		db := open(t, dsn)
		mu.Lock()
		dsns[db] = dsn
		mu.Unlock()
		return db
	}
	return storetest.Engine{
		Open: func(t *testing.T) agreements.Store { return openAt(t, pgtest.DSN(t)) },
		Reopen: func(t *testing.T, s agreements.Store) agreements.Store {
			s.(*postgres.DB).Close()
			mu.Lock()
			dsn := dsns[s]
			mu.Unlock()
			return openAt(t, dsn)
		},
		Rows: func(t *testing.T, s agreements.Store) map[string][]string {
			return dump(t, s.(*postgres.DB))
		},
	}
}

// dump is every row of every table as text, by table.
func dump(t *testing.T, db *postgres.DB) map[string][]string {
	t.Helper()
	sqlDB := stdlib.OpenDBFromPool(db.Pool())
	defer sqlDB.Close()
	out, err := storetest.Dump(sqlDB, storetest.PostgresTables)
	must(t, err)
	return out
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
