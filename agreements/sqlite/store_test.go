package sqlite_test

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"klasseaftale/agreements"
	"klasseaftale/agreements/sqlite"
	"klasseaftale/agreements/storetest"
)

// TestStore runs the store's suite on SQLite files.
func TestStore(t *testing.T) {
	storetest.Run(t, engine())
}

// engine opens stores on files in the test's temporary directory, and reads them as files.
func engine() storetest.Engine {
	var mu sync.Mutex
	paths := map[agreements.Store]string{}
	raws := map[agreements.Store]*sql.DB{}
	open := func(t *testing.T, path string) agreements.Store {
		t.Helper()
		db, err := sqlite.Open(context.Background(), path)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		mu.Lock()
		paths[db] = path
		mu.Unlock()
		return db
	}
	pathOf := func(s agreements.Store) string {
		mu.Lock()
		defer mu.Unlock()
		return paths[s]
	}
	return storetest.Engine{
		Open: func(t *testing.T) agreements.Store {
			return open(t, filepath.Join(t.TempDir(), "store.db"))
		},
		Reopen: func(t *testing.T, s agreements.Store) agreements.Store {
			s.(*sqlite.DB).Close()
			return open(t, pathOf(s))
		},
		// Rows reads the file through a read-only connection of its own, kept open for the
		// test, as another process would.
		Rows: func(t *testing.T, s agreements.Store) map[string][]string {
			mu.Lock()
			raw := raws[s]
			if raw == nil {
				var err error
				if raw, err = sql.Open("sqlite", "file:"+paths[s]+"?mode=ro"); err != nil {
					mu.Unlock()
					t.Fatal(err)
				}
				raws[s] = raw
				t.Cleanup(func() { raw.Close() })
			}
			mu.Unlock()
			return dump(t, raw)
		},
		Files: func(t *testing.T, s agreements.Store) map[string][]byte {
			path := pathOf(s)
			out := map[string][]byte{}
			for kind, p := range map[string]string{storetest.FileMain: path, storetest.FileWAL: path + "-wal", storetest.FileJournal: path + "-journal"} {
				data, err := os.ReadFile(p)
				if os.IsNotExist(err) {
					continue
				}
				if err != nil {
					t.Fatal(err)
				}
				out[kind] = data
			}
			return out
		},
	}
}

// dump is every row of every table as text, by table.
func dump(t *testing.T, db *sql.DB) map[string][]string {
	t.Helper()
	out, err := storetest.Dump(db, storetest.SQLiteTables)
	must(t, err)
	return out
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
