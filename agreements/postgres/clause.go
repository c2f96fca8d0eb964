package postgres

import (
	"klasseaftale/agreements"
)

const (
	clauseColumns   = `id, agreement_id, position, key, title, body, rev, value, adopted, locked`
	clauseSelect    = clauseColumns + `, opened_value`
	clauseSQL       = `SELECT ` + clauseSelect + ` FROM clauses WHERE id = $1`
	updateClauseSQL = `UPDATE clauses SET title = $1, body = $2, rev = $3, value = $4, adopted = $5, opened_value = $6 WHERE id = $7`
)

// InsertClause stores a new clause at its position. A new clause's text is also kept as its
// base, from which the log replays its earlier texts.
func (t *Tx) InsertClause(c *agreements.Clause) error {
	var base *string
	if c.Rev == 0 {
		base = &c.Body
	}
	return t.exec(`INSERT INTO clauses (`+clauseColumns+`, base_body) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
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

// Clause returns the clause with the ID; in an Update, locked until the transaction ends, so
// that its revisions are made one after another.
func (t *Tx) Clause(id string) (*agreements.Clause, error) {
	c, err := one(t, clauseFields, clauseSQL+t.forUpdate(), id)
	if err != nil {
		return nil, err
	}
	return withValue(c), nil
}

// Clauses lists an agreement's clauses in their order.
func (t *Tx) Clauses(agreementID string) ([]agreements.Clause, error) {
	cs, err := list(t, clauseFields, `SELECT `+clauseSelect+` FROM clauses
		WHERE agreement_id = $1 ORDER BY position, id COLLATE "C"`, agreementID)
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
	return t.execOne(`DELETE FROM clauses WHERE id = $1`, id)
}

// SetClauseOrder numbers an agreement's clauses in the given order.
func (t *Tx) SetClauseOrder(agreementID string, ids []string) error {
	for i, id := range ids {
		if err := t.execOne(`UPDATE clauses SET position = $1 WHERE id = $2 AND agreement_id = $3`, i, id, agreementID); err != nil {
			return err
		}
	}
	return nil
}

// SetClauseLocked locks a clause for all but the facilitator, or unlocks it.
func (t *Tx) SetClauseLocked(id string, locked bool) error {
	return t.execOne(`UPDATE clauses SET locked = $1 WHERE id = $2`, locked, id)
}

// ClauseBase returns the text a clause had when it was made (revision 0); ok is false for a
// clause whose base was not kept.
func (t *Tx) ClauseBase(id string) (body string, ok bool, err error) {
	base, err := scalar[*string](t, `SELECT base_body FROM clauses WHERE id = $1`, id)
	if err != nil || base == nil {
		return "", false, err
	}
	return *base, true, nil
}
