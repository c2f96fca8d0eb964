package sqlite

import (
	"database/sql"
	"time"

	"klasseaftale/agreements"
)

const agreementColumns = `id, class_id, kind, title, status, lang, revision, slug, published_at, created_at,
	quorum_percent, threshold_percent, closes_at, hide_results, decided_at, review_at, previous_id`

// InsertAgreement stores a new agreement (its clauses are inserted one by one).
func (t *Tx) InsertAgreement(a *agreements.Agreement) error {
	return t.exec(`INSERT INTO agreements (`+agreementColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		append([]any{a.ID, a.ClassID, a.Kind, a.Title, a.Status, a.Lang, a.Revision, nullable(a.Slug),
			optMS(a.PublishedAt), ms(a.CreatedAt)}, voteArgs(a)...)...)
}

// UpdateAgreement saves everything of an agreement that can change: title, status, publication,
// the vote's rules and decision, the review date.
func (t *Tx) UpdateAgreement(a *agreements.Agreement) error {
	return t.execOne(`UPDATE agreements SET title = ?, status = ?, revision = ?, slug = ?, published_at = ?,
		quorum_percent = ?, threshold_percent = ?, closes_at = ?, hide_results = ?, decided_at = ?,
		review_at = ?, previous_id = ? WHERE id = ?`,
		append(append([]any{a.Title, a.Status, a.Revision, nullable(a.Slug), optMS(a.PublishedAt)}, voteArgs(a)...), a.ID)...)
}

func voteArgs(a *agreements.Agreement) []any {
	var quorum, threshold, closes any
	hide := false
	if v := a.Vote; v != nil {
		quorum, threshold, closes, hide = v.Quorum, v.Threshold, optMS(v.ClosesAt), v.HideResults
	}
	return []any{quorum, threshold, closes, hide, optMS(a.DecidedAt), optMS(a.ReviewAt), nullable(a.PreviousID)}
}

func optMS(t *time.Time) any {
	if t == nil {
		return nil
	}
	return ms(*t)
}

// agreementSQL is the lookup every batch of live keystrokes makes; prepared at open.
const agreementSQL = `SELECT ` + agreementColumns + ` FROM agreements WHERE id = ?`

// Agreement returns the agreement with the ID, without its clauses.
func (t *Tx) Agreement(id string) (*agreements.Agreement, error) {
	return t.agreement(`id = ?`, id)
}

// AgreementBySlug returns the published agreement at the slug, without its clauses.
func (t *Tx) AgreementBySlug(slug string) (*agreements.Agreement, error) {
	return t.agreement(`slug = ?`, slug)
}

// NextRevision returns the agreement revised from the one with the ID, if there is one.
func (t *Tx) NextRevision(id string) (*agreements.Agreement, error) {
	return t.agreement(`previous_id = ?`, id)
}

func (t *Tx) agreement(where string, arg any) (*agreements.Agreement, error) {
	as, err := t.agreements(`WHERE `+where, arg)
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
	return t.agreements(`WHERE class_id = ? ORDER BY created_at DESC, id`, classID)
}

// VotesDue lists the agreements whose vote should have closed by now.
func (t *Tx) VotesDue(now time.Time) ([]string, error) {
	return t.ids(`SELECT id FROM agreements WHERE status = 'voting' AND closes_at <= ?`, ms(now))
}

// CheckinsDue lists the published agreements, published before the time, never checked in on.
func (t *Tx) CheckinsDue(publishedBefore time.Time) ([]string, error) {
	return t.ids(`SELECT id FROM agreements a WHERE status = 'published' AND published_at <= ?
		AND NOT EXISTS (SELECT 1 FROM checkins c WHERE c.agreement_id = a.id)`, ms(publishedBefore))
}

func (t *Tx) ids(query string, args ...any) ([]string, error) {
	rows, err := t.tx.QueryContext(t.ctx, query, args...)
	if err != nil {
		return nil, err
	}
	out, err := collect(rows, func(s *string) []any { return []any{s} })
	return out, err
}

func (t *Tx) agreements(rest string, args ...any) ([]agreements.Agreement, error) {
	rows, err := t.query(`SELECT `+agreementColumns+` FROM agreements `+rest, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []agreements.Agreement{}
	for rows.Next() {
		var a agreements.Agreement
		var quorum, threshold sql.NullInt64
		var closes *time.Time
		var hide bool
		err := rows.Scan(&a.ID, &a.ClassID, &a.Kind, &a.Title, &a.Status, &a.Lang, &a.Revision,
			nullString{&a.Slug}, optionalTime{&a.PublishedAt}, msScanner{&a.CreatedAt},
			&quorum, &threshold, optionalTime{&closes}, &hide, optionalTime{&a.DecidedAt},
			optionalTime{&a.ReviewAt}, nullString{&a.PreviousID})
		if err != nil {
			return nil, err
		}
		if quorum.Valid {
			a.Vote = &agreements.VoteRules{Quorum: int(quorum.Int64), Threshold: int(threshold.Int64), ClosesAt: closes, HideResults: hide}
		}
		out = append(out, a)
	}
	return out, rows.Err()
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
