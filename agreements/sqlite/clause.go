package sqlite

import (
	"database/sql"
	"errors"

	"klasseaftale/agreements"
)

const (
	clauseColumns   = `id, agreement_id, position, key, title, body, rev, value, adopted, locked`
	clauseSelect    = clauseColumns + `, opened_value`
	clauseSQL       = `SELECT ` + clauseSelect + ` FROM clauses WHERE id = ?`
	updateClauseSQL = `UPDATE clauses SET title = ?, body = ?, rev = ?, value = ?, adopted = ?, opened_value = ? WHERE id = ?`
)

// InsertClause stores a new clause at its position. A new clause's text is also kept as its
// base, from which the log replays its earlier texts.
func (t *Tx) InsertClause(c *agreements.Clause) error {
	var base *string
	if c.Rev == 0 {
		base = &c.Body
	}
	return t.exec(`INSERT INTO clauses (`+clauseColumns+`, base_body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		c.ID, c.AgreementID, c.Position, c.Key, c.Title, c.Body, c.Rev, c.Value(), c.Adopted, c.Locked, base)
}

// UpdateClause saves a clause's title, body, revision, parameter value (and the value it showed
// when the vote opened) and decision.
func (t *Tx) UpdateClause(c *agreements.Clause) error {
	opened := ""
	if c.Parameter != nil {
		opened = c.Parameter.Opened
	}
	return t.execOne(updateClauseSQL, c.Title, c.Body, c.Rev, c.Value(), c.Adopted, opened, c.ID)
}

// Clause returns the clause with the ID.
func (t *Tx) Clause(id string) (*agreements.Clause, error) {
	rows, err := t.query(clauseSQL, id)
	if err != nil {
		return nil, err
	}
	cs, err := collect(rows, clauseFields)
	if err != nil {
		return nil, err
	}
	if len(cs) == 0 {
		return nil, agreements.ErrNotFound
	}
	return withValue(&cs[0]), nil
}

// Clauses lists an agreement's clauses in their order.
func (t *Tx) Clauses(agreementID string) ([]agreements.Clause, error) {
	rows, err := t.tx.QueryContext(t.ctx, `SELECT `+clauseSelect+` FROM clauses
		WHERE agreement_id = ? ORDER BY position, id`, agreementID)
	if err != nil {
		return nil, err
	}
	cs, err := collect(rows, clauseFields)
	for i := range cs {
		withValue(&cs[i])
	}
	return cs, err
}

// clauseFields scans the value into a bare Parameter; the domain fills in its definition.
func clauseFields(c *agreements.Clause) []any {
	c.Parameter = &agreements.Parameter{}
	return []any{&c.ID, &c.AgreementID, &c.Position, &c.Key, &c.Title, &c.Body, &c.Rev, &c.Parameter.Value, &c.Adopted, &c.Locked, &c.Parameter.Opened}
}

func withValue(c *agreements.Clause) *agreements.Clause {
	if c.Parameter.Value == "" {
		c.Parameter = nil
	}
	return c
}

// DeleteClause deletes a clause and its log.
func (t *Tx) DeleteClause(id string) error {
	return t.execOne(`DELETE FROM clauses WHERE id = ?`, id)
}

// SetClauseOrder numbers an agreement's clauses in the given order.
func (t *Tx) SetClauseOrder(agreementID string, ids []string) error {
	for i, id := range ids {
		if err := t.execOne(`UPDATE clauses SET position = ? WHERE id = ? AND agreement_id = ?`, i, id, agreementID); err != nil {
			return err
		}
	}
	return nil
}

// SetClauseLocked locks a clause for all but the facilitator, or unlocks it.
func (t *Tx) SetClauseLocked(id string, locked bool) error {
	return t.execOne(`UPDATE clauses SET locked = ? WHERE id = ?`, locked, id)
}

// ClauseBase returns the text a clause had when it was made (revision 0); ok is false for a
// clause whose base was not kept.
func (t *Tx) ClauseBase(id string) (body string, ok bool, err error) {
	var base *string
	err = t.tx.QueryRowContext(t.ctx, `SELECT base_body FROM clauses WHERE id = ?`, id).Scan(&base)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, agreements.ErrNotFound
	}
	if err != nil || base == nil {
		return "", false, err
	}
	return *base, true, nil
}
