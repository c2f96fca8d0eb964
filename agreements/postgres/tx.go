package postgres

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"klasseaftale/agreements"
)

// Tx is one transaction; it implements agreements.Tx.
type Tx struct {
	ctx   context.Context
	tx    pgx.Tx
	write bool            // an Update's transaction: its reads of agreements and clauses lock them
	err   *pgconn.PgError // the first error PostgreSQL reported in it
}

var _ agreements.Tx = (*Tx)(nil)

// note remembers the first error PostgreSQL reports in the transaction: the service turns some
// failed lookups into errors of its own (an unknown clause), and Update must still see that the
// transaction failed for a reason worth a retry.
func (t *Tx) note(err error) error {
	var pgErr *pgconn.PgError
	if t.err == nil && errors.As(err, &pgErr) {
		t.err = pgErr
	}
	return err
}

// failure is the PostgreSQL error that made the transaction fail with err.
func (t *Tx) failure(err error) *pgconn.PgError {
	var pgErr *pgconn.PgError
	if t != nil && t.err != nil {
		return t.err
	}
	if errors.As(err, &pgErr) {
		return pgErr
	}
	return nil
}

// forUpdate is what a lookup of an agreement or a clause adds in a write transaction.
func (t *Tx) forUpdate() string {
	if t.write {
		return ` FOR UPDATE`
	}
	return ``
}

func (t *Tx) exec(query string, args ...any) error {
	_, err := t.tx.Exec(t.ctx, query, args...)
	return t.note(err)
}

// execOne runs a statement that must change exactly one row, or reports ErrNotFound.
func (t *Tx) execOne(query string, args ...any) error {
	tag, err := t.tx.Exec(t.ctx, query, args...)
	if err != nil {
		return t.note(err)
	}
	if tag.RowsAffected() == 0 {
		return agreements.ErrNotFound
	}
	return nil
}

// list runs a query and scans every row into a T, using fields to name the destinations of one
// row.
func list[T any](t *Tx, fields func(*T) []any, query string, args ...any) ([]T, error) {
	rows, err := t.tx.Query(t.ctx, query, args...)
	if err != nil {
		return nil, t.note(err)
	}
	defer rows.Close()
	out := []T{}
	for rows.Next() {
		var v T
		if err := rows.Scan(fields(&v)...); err != nil {
			return nil, t.note(err)
		}
		out = append(out, v)
	}
	return out, t.note(rows.Err())
}

// one is list for a lookup of one row: ErrNotFound when there is none.
func one[T any](t *Tx, fields func(*T) []any, query string, args ...any) (*T, error) {
	vs, err := list(t, fields, query, args...)
	if err != nil {
		return nil, err
	}
	if len(vs) == 0 {
		return nil, agreements.ErrNotFound
	}
	return &vs[0], nil
}

// scalar reads one value; ErrNotFound when there is no row.
func scalar[T any](t *Tx, query string, args ...any) (T, error) {
	var v T
	err := t.tx.QueryRow(t.ctx, query, args...).Scan(&v)
	if errors.Is(err, pgx.ErrNoRows) {
		return v, agreements.ErrNotFound
	}
	return v, t.note(err)
}

// ids lists the first column of a query's rows.
func (t *Tx) ids(query string, args ...any) ([]string, error) {
	return list(t, func(s *string) []any { return []any{s} }, query, args...)
}

// ts is a time as stored: UTC, to the millisecond, as the SQLite store keeps it.
func ts(t time.Time) time.Time { return t.UTC().Truncate(time.Millisecond) }

func optTS(t *time.Time) any {
	if t == nil {
		return nil
	}
	return ts(*t)
}

// nullable stores "" as NULL, for optional references.
func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}
