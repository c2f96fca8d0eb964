package wire_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"path/filepath"
	"testing"

	"klasseaftale/agreements"
	"klasseaftale/agreements/postgres"
	"klasseaftale/agreements/sqlite"
	"klasseaftale/internal/apptest"
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

// Two servers on one PostgreSQL database serve one class: what one commits, the other reads and
// builds on, through the real HTTP API.
func TestTwoServersShareOnePostgresDatabase(t *testing.T) {
	dsn := pgtest.DSN(t)
	a, b := apptest.New(t, apptest.Options{DBPath: dsn}), apptest.New(t, apptest.Options{DBPath: dsn})
	class := a.NewClass("4.B", 4)
	_, parent := b.Join(class.ParentCode, "Mor", "Ida")
	draft := a.NewAgreement(class, "parents", "photos")
	b.Adopt(class, draft.ID, parent)
	var got agreements.Agreement
	a.Must(http.StatusOK, "GET", "/api/v1/agreements/"+draft.ID, class.Facilitator, nil, &got)
	if got.Status != agreements.StatusAdopted || len(got.Clauses) != len(draft.Clauses) {
		t.Errorf("the first server reads the agreement as %s with %d clauses", got.Status, len(got.Clauses))
	}
}

// The demo school, which touches nearly every table, is made on PostgreSQL as on SQLite.
func TestDemoOnPostgres(t *testing.T) {
	app := apptest.New(t, apptest.Options{DBPath: pgtest.DSN(t)})
	if w := app.Demo(); w == nil || len(w.Links) == 0 || w.Published.ClassID == "" {
		t.Fatalf("demo: %+v", w)
	}
}
