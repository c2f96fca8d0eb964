// Package sqlite stores the domain in one SQLite file, through modernc.org/sqlite (pure Go, so
// the binary builds with CGO_ENABLED=0).
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"net/url"
	"runtime"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"klasseaftale/agreements"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

//go:embed migrations/*.sql
var migrations embed.FS

// DB is the store: one write connection, because SQLite allows one writer at a time and
// queueing in Go is cheaper than busy-waiting in SQLite, and a pool of readers, which WAL lets
// run beside the writer.
type DB struct {
	write *sql.DB
	read  *sql.DB
	hot   preparedStatements
	stop  chan struct{} // ends checkpoints
	done  chan struct{} // closed when checkpoints has ended
	once  sync.Once
	// commits counts the transactions Update committed, for checkpoints.
	commits atomic.Int64
}

// preparedStatements are the keystroke path's statements (hotSQL), prepared once at open on
// the write connection and found by their text. Unprepared, SQLite parses and plans each one
// every time it runs, and for a keystroke committed alone that is a third of its cost:
// BenchmarkApplyOps/log=0/batch=1 takes about 75 µs a keystroke with them and 110 µs without
// (a batch of 32 pays it once, and shows no difference). They must be prepared outside any
// transaction, as the single write connection would otherwise wait for itself; a read
// transaction has none and runs each query as it is.
type preparedStatements map[string]*sql.Stmt

// hotSQL are the statements every batch of keystrokes runs.
var hotSQL = []string{insertOpSQL, opsSinceSQL, opBySeqSQL, maxSeqSQL, clauseSQL, updateClauseSQL, agreementSQL}

// prepare prepares hotSQL on db.
func prepare(ctx context.Context, db *sql.DB) (preparedStatements, error) {
	p := preparedStatements{}
	for _, q := range hotSQL {
		st, err := db.PrepareContext(ctx, q)
		if err != nil {
			p.close()
			return nil, fmt.Errorf("prepare: %w", err)
		}
		p[q] = st
	}
	return p, nil
}

// in returns query's prepared statement for use in tx, or nil when query is not one of them.
func (p preparedStatements) in(ctx context.Context, tx *sql.Tx, query string) *sql.Stmt {
	if st := p[query]; st != nil {
		return tx.StmtContext(ctx, st)
	}
	return nil
}

func (p preparedStatements) close() {
	for _, st := range p {
		st.Close()
	}
}

var _ agreements.Store = (*DB)(nil)

// Open opens (creating if needed) the database file at path and brings its schema up to date.
func Open(ctx context.Context, path string) (*DB, error) {
	write, err := sql.Open("sqlite", dsn(path, "immediate", "wal_autocheckpoint(0)"))
	if err != nil {
		return nil, err
	}
	write.SetMaxOpenConns(1)
	db := &DB{write: write}
	if err := db.migrate(ctx); err != nil {
		write.Close()
		return nil, fmt.Errorf("migrate %s: %w", path, err)
	}
	if db.hot, err = prepare(ctx, write); err != nil {
		write.Close()
		return nil, err
	}
	if db.read, err = sql.Open("sqlite", dsn(path, "deferred")); err != nil {
		write.Close()
		return nil, err
	}
	db.read.SetMaxOpenConns(max(4, runtime.NumCPU()))
	db.stop, db.done = make(chan struct{}), make(chan struct{})
	go db.checkpoints()
	return db, nil
}

// When the write-ahead log is copied into the database file: checkpoints looks every
// checkpointEvery, and copies it once checkpointCommits transactions have committed since the
// last copy, or checkpointIdle has passed (which also takes what was written outside Update).
// Not at every look: once a copy has taken all of the log, the next commit starts the log again
// from its beginning, and SQLite syncs the file to disk then, in that commit: half a
// millisecond here, which a copy every half second put into two commits a second: in a quiet
// room with one person typing, some 40% of the keystrokes.
const (
	checkpointEvery   = 500 * time.Millisecond
	checkpointCommits = 200
	checkpointIdle    = 10 * time.Second
)

// checkpointDue reports whether the log is to be copied, after commits since the last copy
// and the time since.
func checkpointDue(commits int64, since time.Duration) bool {
	return commits >= checkpointCommits || since >= checkpointIdle
}

// checkpoints copies the write-ahead log into the database file (see checkpointCommits), from
// a reading connection, beside the writer (a PASSIVE checkpoint takes no lock the writer
// needs). The writer does not checkpoint itself (wal_autocheckpoint is 0 on its connection):
// by default the commit that fills the log past 1,000 pages copies it back and syncs the file
// before it returns, and the live keystrokes committed with it wait several milliseconds.
func (db *DB) checkpoints() {
	defer close(db.done)
	t := time.NewTicker(checkpointEvery)
	defer t.Stop()
	copied, at := int64(0), time.Now()
	for {
		select {
		case <-db.stop:
			return
		case now := <-t.C:
			n := db.commits.Load()
			if !checkpointDue(n-copied, now.Sub(at)) {
				continue
			}
			copied, at = n, now
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		db.read.ExecContext(ctx, `PRAGMA wal_checkpoint(PASSIVE)`) // a busy log is copied next time
		cancel()
	}
}

// dsn sets the pragmas on every connection, busy_timeout first so that the others wait rather
// than fail while another process holds a lock. WAL lets readers run beside the writer;
// synchronous=NORMAL is safe in WAL mode (a crash of the process loses nothing committed; only
// a power cut can lose the last transactions). secure_delete overwrites deleted rows, so a
// deleted class leaves nothing readable in the file. temp_store=MEMORY keeps temporary files in
// memory: above all the statement journal of a batch's INSERT of many rows, which SQLite
// otherwise spills to a file it creates and writes for every batch of more than a few pages
// (BenchmarkApplyOps/batch=32: 1.35 ms a batch with the file, 1.05 ms without), and which would
// leave pieces of drafts in the temporary directory. _txlock=immediate takes the write lock at
// BEGIN, so two writers never deadlock upgrading a read lock.
func dsn(path, txlock string, more ...string) string {
	q := url.Values{}
	for _, p := range append([]string{"busy_timeout(10000)", "journal_mode(WAL)", "synchronous(NORMAL)", "foreign_keys(1)", "secure_delete(1)", "temp_store(MEMORY)"}, more...) {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", txlock)
	return "file:" + path + "?" + q.Encode()
}

// Close closes both pools.
func (db *DB) Close() error {
	db.once.Do(func() {
		close(db.stop)
		<-db.done
	})
	db.hot.close()
	return errors.Join(db.read.Close(), db.write.Close())
}

// migrate applies each numbered migration once, in its own transaction. Migrations that have
// landed are never edited; a change is a new file.
func (db *DB) migrate(ctx context.Context) error {
	if _, err := db.write.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY) STRICT`); err != nil {
		return err
	}
	names, err := migrations.ReadDir("migrations")
	if err != nil {
		return err
	}
	sort.Slice(names, func(i, j int) bool { return names[i].Name() < names[j].Name() })
	for _, e := range names {
		if err := db.migrateOne(ctx, e.Name()); err != nil {
			return fmt.Errorf("%s: %w", e.Name(), err)
		}
	}
	return nil
}

func (db *DB) migrateOne(ctx context.Context, name string) error {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations WHERE name = ?`, name).Scan(&n); err != nil || n > 0 {
		return err
	}
	script, err := migrations.ReadFile("migrations/" + name)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, string(script)); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (name) VALUES (?)`, name); err != nil {
		return err
	}
	return tx.Commit()
}

// Update runs fn in a write transaction.
func (db *DB) Update(ctx context.Context, fn func(agreements.Tx) error) error {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := fn(&Tx{ctx: ctx, tx: tx, hot: db.hot}); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	db.commits.Add(1)
	return nil
}

// Flush checkpoints the write-ahead log into the database file and truncates it. With
// secure_delete on, deleted rows are then overwritten everywhere on disk.
// A reader holding an old snapshot keeps the log from being emptied; Flush then reports it, so
// the caller tries again later.
func (db *DB) Flush(ctx context.Context) error {
	var busy, logFrames, done int
	if err := db.write.QueryRowContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`).Scan(&busy, &logFrames, &done); err != nil {
		return err
	}
	if busy != 0 {
		return errors.New("sqlite: the write-ahead log is still in use by a reader")
	}
	return nil
}

// View runs fn in a read transaction: one snapshot for all its queries.
func (db *DB) View(ctx context.Context, fn func(agreements.Tx) error) error {
	tx, err := db.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return err
	}
	defer tx.Rollback()
	return fn(&Tx{ctx: ctx, tx: tx})
}

// Tx is one transaction; it implements agreements.Tx.
type Tx struct {
	ctx context.Context
	tx  *sql.Tx
	hot preparedStatements // set in write transactions
}

var _ agreements.Tx = (*Tx)(nil)

func (t *Tx) exec(query string, args ...any) error {
	var err error
	if st := t.hot.in(t.ctx, t.tx, query); st != nil {
		_, err = st.ExecContext(t.ctx, args...)
	} else {
		_, err = t.tx.ExecContext(t.ctx, query, args...)
	}
	return err
}

// query runs a query, with its prepared statement when it is one of the hot ones.
func (t *Tx) query(query string, args ...any) (*sql.Rows, error) {
	if st := t.hot.in(t.ctx, t.tx, query); st != nil {
		return st.QueryContext(t.ctx, args...)
	}
	return t.tx.QueryContext(t.ctx, query, args...)
}

// execOne runs a statement that must change exactly one row, or reports ErrNotFound.
func (t *Tx) execOne(query string, args ...any) error {
	var res sql.Result
	var err error
	if st := t.hot.in(t.ctx, t.tx, query); st != nil {
		res, err = st.ExecContext(t.ctx, args...)
	} else {
		res, err = t.tx.ExecContext(t.ctx, query, args...)
	}
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return agreements.ErrNotFound
	}
	return nil
}

// notFound turns sql.ErrNoRows into the domain's ErrNotFound.
func notFound(err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return agreements.ErrNotFound
	}
	return err
}
