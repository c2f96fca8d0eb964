package sqlite

import (
	"database/sql"
	"time"

	"klasseaftale/agreements"
)

const agreementColumns = `id, class_id, kind, title, status, lang, revision, slug, published_at, created_at`

// InsertAgreement stores a new agreement (its clauses are inserted one by one).
func (t *Tx) InsertAgreement(a *agreements.Agreement) error {
	return t.exec(`INSERT INTO agreements (`+agreementColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		a.ID, a.ClassID, a.Kind, a.Title, a.Status, a.Lang, a.Revision, nullable(a.Slug),
		publishedAt(a), ms(a.CreatedAt))
}

// UpdateAgreement saves an agreement's title, status, revision and publication.
func (t *Tx) UpdateAgreement(a *agreements.Agreement) error {
	return t.execOne(`UPDATE agreements SET title = ?, status = ?, revision = ?, slug = ?, published_at = ?
		WHERE id = ?`, a.Title, a.Status, a.Revision, nullable(a.Slug), publishedAt(a), a.ID)
}

func publishedAt(a *agreements.Agreement) any {
	if a.PublishedAt == nil {
		return nil
	}
	return ms(*a.PublishedAt)
}

// Agreement returns the agreement with the ID, without its clauses.
func (t *Tx) Agreement(id string) (*agreements.Agreement, error) {
	return t.agreement(`id = ?`, id)
}

// AgreementBySlug returns the published agreement at the slug, without its clauses.
func (t *Tx) AgreementBySlug(slug string) (*agreements.Agreement, error) {
	return t.agreement(`slug = ?`, slug)
}

func (t *Tx) agreement(where string, arg any) (*agreements.Agreement, error) {
	rows, err := t.tx.QueryContext(t.ctx, `SELECT `+agreementColumns+` FROM agreements WHERE `+where, arg)
	if err != nil {
		return nil, err
	}
	as, err := collect(rows, agreementFields)
	if err != nil {
		return nil, err
	}
	if len(as) == 0 {
		return nil, agreements.ErrNotFound
	}
	return &as[0], nil
}

// Agreements lists a class's agreements, newest first, without their clauses.
func (t *Tx) Agreements(classID string) ([]agreements.Agreement, error) {
	rows, err := t.tx.QueryContext(t.ctx, `SELECT `+agreementColumns+` FROM agreements
		WHERE class_id = ? ORDER BY created_at DESC, id`, classID)
	if err != nil {
		return nil, err
	}
	return collect(rows, agreementFields)
}

func agreementFields(a *agreements.Agreement) []any {
	return []any{&a.ID, &a.ClassID, &a.Kind, &a.Title, &a.Status, &a.Lang, &a.Revision,
		nullString{&a.Slug}, optionalTime{&a.PublishedAt}, msScanner{&a.CreatedAt}}
}

// optionalTime scans a nullable Unix-milliseconds column into a *time.Time.
type optionalTime struct{ t **time.Time }

func (o optionalTime) Scan(v any) error {
	var n sql.NullInt64
	if err := n.Scan(v); err != nil || !n.Valid {
		*o.t = nil
		return err
	}
	t := fromMS(n.Int64)
	*o.t = &t
	return nil
}
