package wire_test

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"testing"

	"klasseaftale/agreements/postgres"
	"klasseaftale/agreements/sqlite"
	"klasseaftale/internal/pgtest"
	"klasseaftale/internal/wire"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// -db chooses the engine: a postgres:// or postgresql:// URL is PostgreSQL, anything else a
// SQLite file.
func TestTheDatabaseChoosesTheEngine(t *testing.T) {
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	build := func(db string) wire.Store {
		t.Helper()
		p, err := wire.Build(context.Background(), wire.Config{DB: db, BaseURL: "http://localhost", Logger: quiet})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(p.Close)
		return p.Store
	}
	if _, ok := build(filepath.Join(t.TempDir(), "store.db")).(*sqlite.DB); !ok {
		t.Error("a file name did not open SQLite")
	}
	dsn := pgtest.DSN(t)
	if _, ok := build(dsn).(*postgres.DB); !ok {
		t.Error("a postgres:// URL did not open PostgreSQL")
	}
	if !wire.IsPostgres("postgresql://localhost/x") || wire.IsPostgres("postgres.db") {
		t.Error("IsPostgres tells the engines apart wrongly")
	}
}

func TestRedactedHidesThePassword(t *testing.T) {
	for in, want := range map[string]string{
		"postgres://ka:secret@db:5432/ka?sslmode=require": "postgres://ka:xxxxx@db:5432/ka?sslmode=require",
		"postgresql://db/ka":                              "postgresql://db/ka",
		"klasseaftale.db":                                 "klasseaftale.db",
	} {
		if got := wire.Redacted(in); got != want {
			t.Errorf("Redacted(%q) = %q, want %q", in, got, want)
		}
	}
}
