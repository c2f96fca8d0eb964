package postgres

import (
	"time"

	"klasseaftale/agreements"
)

const agreementColumns = `id, class_id, kind, title, status, lang, revision, slug, published_at, created_at,
	quorum_percent, threshold_percent, closes_at, hide_results, decided_at, review_at, previous_id`

const agreementSelect = `id, class_id, kind, title, status, lang, revision, COALESCE(slug, ''), published_at, created_at,
	quorum_percent, threshold_percent, closes_at, hide_results, decided_at, review_at, COALESCE(previous_id, '')`

// InsertAgreement stores a new agreement (its clauses are inserted one by one).
func (t *Tx) InsertAgreement(a *agreements.Agreement) error {
	return t.exec(`INSERT INTO agreements (`+agreementColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)`,
		append([]any{a.ID, a.ClassID, a.Kind, a.Title, a.Status, a.Lang, a.Revision, nullable(a.Slug),
			optTS(a.PublishedAt), ts(a.CreatedAt)}, voteArgs(a)...)...)
}

// UpdateAgreement saves everything of an agreement that can change: title, status, publication,
// the vote's rules and decision, the review date.
func (t *Tx) UpdateAgreement(a *agreements.Agreement) error {
	return t.execOne(`UPDATE agreements SET title = $1, status = $2, revision = $3, slug = $4, published_at = $5,
		quorum_percent = $6, threshold_percent = $7, closes_at = $8, hide_results = $9, decided_at = $10,
		review_at = $11, previous_id = $12 WHERE id = $13`,
		append(append([]any{a.Title, a.Status, a.Revision, nullable(a.Slug), optTS(a.PublishedAt)}, voteArgs(a)...), a.ID)...)
}

func voteArgs(a *agreements.Agreement) []any {
	var quorum, threshold, closes any
	hide := false
	if v := a.Vote; v != nil {
		quorum, threshold, closes, hide = v.Quorum, v.Threshold, optTS(v.ClosesAt), v.HideResults
	}
	return []any{quorum, threshold, closes, hide, optTS(a.DecidedAt), optTS(a.ReviewAt), nullable(a.PreviousID)}
}

// Agreement returns the agreement with the ID, without its clauses; in an Update, locked until
// the transaction ends.
func (t *Tx) Agreement(id string) (*agreements.Agreement, error) {
	return t.agreement(`id = $1`+t.forUpdate(), id)
}

// AgreementBySlug returns the published agreement at the slug, without its clauses; in an
// Update, locked until the transaction ends.
func (t *Tx) AgreementBySlug(slug string) (*agreements.Agreement, error) {
	return t.agreement(`slug = $1`+t.forUpdate(), slug)
}

// NextRevision returns the agreement revised from the one with the ID, if there is one.
func (t *Tx) NextRevision(id string) (*agreements.Agreement, error) {
	return t.agreement(`previous_id = $1`, id)
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
	return t.agreements(`WHERE class_id = $1 ORDER BY created_at DESC, id COLLATE "C"`, classID)
}

// VotesDue lists the agreements whose vote should have closed by now.
func (t *Tx) VotesDue(now time.Time) ([]string, error) {
	return t.ids(`SELECT id FROM agreements WHERE status = 'voting' AND closes_at <= $1`, ts(now))
}

// CheckinsDue lists the published agreements, published before the time, never checked in on.
func (t *Tx) CheckinsDue(publishedBefore time.Time) ([]string, error) {
	return t.ids(`SELECT id FROM agreements a WHERE status = 'published' AND published_at <= $1
		AND NOT EXISTS (SELECT 1 FROM checkins c WHERE c.agreement_id = a.id)`, ts(publishedBefore))
}

// agreementRow is an agreement as scanned, before its vote's rules are put together.
type agreementRow struct {
	a                 agreements.Agreement
	quorum, threshold *int
	closes            *time.Time
	hide              bool
}

func (t *Tx) agreements(rest string, args ...any) ([]agreements.Agreement, error) {
	rows, err := list(t, func(r *agreementRow) []any {
		a := &r.a
		return []any{&a.ID, &a.ClassID, &a.Kind, &a.Title, &a.Status, &a.Lang, &a.Revision,
			&a.Slug, &a.PublishedAt, &a.CreatedAt, &r.quorum, &r.threshold, &r.closes, &r.hide,
			&a.DecidedAt, &a.ReviewAt, &a.PreviousID}
	}, `SELECT `+agreementSelect+` FROM agreements `+rest, args...)
	if err != nil {
		return nil, err
	}
	out := make([]agreements.Agreement, len(rows))
	for i, r := range rows {
		out[i] = r.a
		if r.quorum != nil {
			out[i].Vote = &agreements.VoteRules{Quorum: *r.quorum, Threshold: deref(r.threshold), ClosesAt: r.closes, HideResults: r.hide}
		}
	}
	return out, nil
}

func deref(n *int) int {
	if n == nil {
		return 0
	}
	return *n
}
