// Package postgres stores the domain in a PostgreSQL database, through pgx: the same tables and
// the same meaning as the SQLite store (agreements/sqlite), for several server processes that
// share one database.
package postgres

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/pgxpool"

	"klasseaftale/agreements"
)

//go:embed migrations/*.sql
var migrations embed.FS

// DB is the store: a pool of connections to one database.
//
// The keystroke path's statements (logging ops, reading a clause's log, the seq lookups, reading
// and writing the clause and its agreement) are prepared: pgx's default query mode,
// QueryExecModeCacheStatement, prepares every statement on a connection the first time it runs
// there and keeps it in that connection's cache (512 statements), so from then on a keystroke
// sends only its arguments. Open keeps that mode (TestStatementsArePrepared checks it); a DSN
// that asks for another (default_query_exec_mode, e.g. behind a pooler in transaction mode)
// gets what it asks for.
type DB struct {
	pool *pgxpool.Pool
}

var _ agreements.Store = (*DB)(nil)

// migrateLock is the key of the advisory lock under which migrations run, so that two
// processes starting at once do not both apply one.
const migrateLock = 0x6b6c6173 // "klas"

// maxAttempts is how often Update runs its function when PostgreSQL asks for a retry.
const maxAttempts = 5

// Open connects to the database at dsn (a postgres:// URL or key=value string) and brings its
// schema up to date.
func Open(ctx context.Context, dsn string) (*DB, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	// Times come back in UTC, as the SQLite store returns them.
	cfg.AfterConnect = func(_ context.Context, c *pgx.Conn) error {
		c.TypeMap().RegisterType(&pgtype.Type{Name: "timestamptz", OID: pgtype.TimestamptzOID,
			Codec: &pgtype.TimestamptzCodec{ScanLocation: time.UTC}})
		return nil
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	db := &DB{pool: pool}
	if err := db.migrate(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres: migrate: %w", err)
	}
	return db, nil
}

// Pool returns the connection pool, for what shares the database beside the store.
func (db *DB) Pool() *pgxpool.Pool { return db.pool }

// Shared reports that other processes write to the same store: what one process remembers of
// the store's contents may be out of date, as another may have committed since.
func (db *DB) Shared() bool { return true }

// Close closes the pool.
func (db *DB) Close() error {
	db.pool.Close()
	return nil
}

// migrate applies each numbered migration once, in its own transaction, under an advisory lock:
// a second process starting at the same time waits and then finds them applied. Migrations that
// have landed are never edited; a change is a new file.
func (db *DB) migrate(ctx context.Context) (err error) {
	conn, err := db.pool.Acquire(ctx)
	if err != nil {
		return err
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1)`, migrateLock); err != nil {
		return err
	}
	defer func() {
		if _, uerr := conn.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, migrateLock); uerr != nil {
			conn.Conn().Close(context.WithoutCancel(ctx)) // closing the session ends its lock
			err = errors.Join(err, uerr)
		}
	}()
	if _, err := conn.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY)`); err != nil {
		return err
	}
	names, err := migrations.ReadDir("migrations")
	if err != nil {
		return err
	}
	sort.Slice(names, func(i, j int) bool { return names[i].Name() < names[j].Name() })
	for _, e := range names {
		if err := migrateOne(ctx, conn.Conn(), e.Name()); err != nil {
			return fmt.Errorf("%s: %w", e.Name(), err)
		}
	}
	return nil
}

func migrateOne(ctx context.Context, conn *pgx.Conn, name string) error {
	tx, err := conn.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(ctx)
	var n int
	if err := tx.QueryRow(ctx, `SELECT count(*) FROM schema_migrations WHERE name = $1`, name).Scan(&n); err != nil || n > 0 {
		return err
	}
	script, err := migrations.ReadFile("migrations/" + name)
	if err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, string(script)); err != nil { // no arguments: the simple protocol, which runs a script
		return err
	}
	if _, err := tx.Exec(ctx, `INSERT INTO schema_migrations (name) VALUES ($1)`, name); err != nil {
		return err
	}
	return tx.Commit(ctx)
}

// Update runs fn in a READ COMMITTED transaction. Inside it, Agreement, AgreementBySlug and
// Clause lock the row they read (FOR UPDATE): the changes to one agreement and to one clause
// are made one after another across processes, as SQLite's single writer made them.
//
// When PostgreSQL aborts the transaction for a reason that may pass — a serialization failure,
// a deadlock, or a unique violation caused by another transaction that committed the same key
// meanwhile (two processes adding the same household at once) — Update runs fn again in a new
// transaction, up to maxAttempts times; fn reads again and then sees what the other committed
// (the household exists). A unique violation of the same constraint in two attempts in a row is
// a real duplicate and is returned, as the SQLite store returns its constraint error. fn must
// therefore be safe to run again: it may not keep what it did in a failed attempt.
func (db *DB) Update(ctx context.Context, fn func(agreements.Tx) error) error {
	var lastUnique string
	for attempt := 1; ; attempt++ {
		t, err := db.updateOnce(ctx, fn)
		if err == nil {
			return nil
		}
		if attempt == maxAttempts || ctx.Err() != nil {
			return err
		}
		pgErr := t.failure(err)
		if pgErr == nil {
			return err
		}
		switch pgErr.Code {
		case "40001", "40P01": // serialization failure, deadlock
		case "23505": // unique violation
			if pgErr.ConstraintName == lastUnique {
				return err
			}
			lastUnique = pgErr.ConstraintName
		default:
			return err
		}
	}
}

func (db *DB) updateOnce(ctx context.Context, fn func(agreements.Tx) error) (*Tx, error) {
	tx, err := db.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.ReadCommitted})
	if err != nil {
		return nil, err
	}
	defer tx.Rollback(ctx)
	t := &Tx{ctx: ctx, tx: tx, write: true}
	if err := fn(t); err != nil {
		return t, err
	}
	return t, t.note(tx.Commit(ctx))
}

// View runs fn in a REPEATABLE READ READ ONLY transaction: one snapshot for all its queries.
func (db *DB) View(ctx context.Context, fn func(agreements.Tx) error) error {
	tx, err := db.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return err
	}
	defer tx.Rollback(ctx)
	if err := fn(&Tx{ctx: ctx, tx: tx}); err != nil {
		return err
	}
	return tx.Commit(ctx)
}

// Flush does nothing: there is no journal of the store's own to empty. PostgreSQL reuses the
// space of deleted rows through (auto)vacuum and recycles its write-ahead log at checkpoints;
// both, like its backups and replicas, are the database operator's to configure.
func (db *DB) Flush(ctx context.Context) error { return nil }
