// Package pgtest gives tests a database of their own on a PostgreSQL server: the one at
// KA_POSTGRES_URL (by default postgres://postgres@127.0.0.1:5432/test?sslmode=disable).
// Without a server the tests that ask for one are skipped, unless KA_REQUIRE_POSTGRES=1.
//
// The schema is migrated once per test binary into a template database; each test gets a copy
// of it (CREATE DATABASE … TEMPLATE), dropped when the test ends. A test binary that uses DSN
// runs its tests through Main, which drops the template at the end. Names carry a random suffix,
// so test binaries running at once never meet.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"klasseaftale/agreements/postgres"
)

// DefaultURL is the server tests use when KA_POSTGRES_URL is not set.
const DefaultURL = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

// URL is the server's address: KA_POSTGRES_URL, or DefaultURL.
func URL() string {
	if u := os.Getenv("KA_POSTGRES_URL"); u != "" {
		return u
	}
	return DefaultURL
}

var (
	suffix = newSuffix()
	count  atomic.Int64
	inMain atomic.Bool

	mu       sync.Mutex
	admin    *pgxpool.Pool // to the server's database at URL: creates and drops the others
	adminErr error         // why there is no server, once known
	tmpl     string        // the migrated template, once made
)

func newSuffix() string {
	b := make([]byte, 4)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// Main runs the package's tests (m.Run) and then drops the template database; call it from
// TestMain.
func Main(m *testing.M) {
	inMain.Store(true)
	code := m.Run()
	if err := cleanup(); err != nil {
		fmt.Fprintln(os.Stderr, "pgtest:", err)
		if code == 0 {
			code = 1
		}
	}
	os.Exit(code)
}

func cleanup() error {
	mu.Lock()
	defer mu.Unlock()
	if admin == nil {
		return nil
	}
	defer admin.Close()
	if tmpl == "" {
		return nil
	}
	_, err := admin.Exec(context.Background(), `DROP DATABASE IF EXISTS `+pgx.Identifier{tmpl}.Sanitize()+` WITH (FORCE)`)
	return err
}

// server returns the pool to the server, or ends the test when there is none: skipped, unless
// KA_REQUIRE_POSTGRES=1 says that a missing server is a failure.
func server(t testing.TB) *pgxpool.Pool {
	t.Helper()
	mu.Lock()
	defer mu.Unlock()
	if admin == nil && adminErr == nil {
		admin, adminErr = connect()
	}
	if adminErr != nil {
		if os.Getenv("KA_REQUIRE_POSTGRES") == "1" {
			t.Fatalf("no PostgreSQL server at %s: %v", URL(), adminErr)
		}
		t.Skipf("no PostgreSQL server at %s (set KA_POSTGRES_URL, or KA_REQUIRE_POSTGRES=1 to fail): %v", URL(), adminErr)
	}
	return admin
}

// connect connects to the server, waiting about 2 seconds at most.
func connect() (*pgxpool.Pool, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	cfg, err := pgxpool.ParseConfig(URL())
	if err != nil {
		return nil, err
	}
	cfg.MaxConns = 4
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, err
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	return pool, nil
}

// DSN returns the address of a new database with the store's schema, dropped when the test ends.
func DSN(t testing.TB) string {
	t.Helper()
	if !inMain.Load() {
		t.Fatal("pgtest: call pgtest.Main from the package's TestMain, so that the template database is dropped at the end")
	}
	pool := server(t)
	mu.Lock()
	if tmpl == "" {
		name := "ka_" + suffix + "_tmpl"
		if err := create(pool, name, ""); err != nil {
			mu.Unlock()
			t.Fatal(err)
		}
		tmpl = name // dropped by Main from here on, even if migrating fails
		db, err := postgres.Open(context.Background(), dsnOf(t, name))
		if err != nil {
			mu.Unlock()
			t.Fatal(err)
		}
		db.Close()
	}
	mu.Unlock()
	return fresh(t, pool, tmpl)
}

// EmptyDSN returns the address of a new, empty database, dropped when the test ends. It needs
// no Main: there is no template to drop.
func EmptyDSN(t testing.TB) string {
	t.Helper()
	return fresh(t, server(t), "")
}

func fresh(t testing.TB, pool *pgxpool.Pool, template string) string {
	t.Helper()
	name := fmt.Sprintf("ka_%s_%d", suffix, count.Add(1))
	if err := create(pool, name, template); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if _, err := pool.Exec(context.Background(), `DROP DATABASE IF EXISTS `+pgx.Identifier{name}.Sanitize()+` WITH (FORCE)`); err != nil {
			t.Errorf("drop the test database %s: %v", name, err)
		}
	})
	return dsnOf(t, name)
}

func create(pool *pgxpool.Pool, name, template string) error {
	q := `CREATE DATABASE ` + pgx.Identifier{name}.Sanitize()
	if template != "" {
		q += ` TEMPLATE ` + pgx.Identifier{template}.Sanitize()
	}
	_, err := pool.Exec(context.Background(), q)
	return err
}

// dsnOf is the server's URL with another database.
func dsnOf(t testing.TB, name string) string {
	t.Helper()
	u, err := url.Parse(URL())
	if err != nil {
		t.Fatalf("KA_POSTGRES_URL: %v", err)
	}
	u.Path = "/" + name
	return u.String()
}
