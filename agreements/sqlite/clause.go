package sqlite

import "klasseaftale/agreements"

const (
	clauseColumns   = `id, agreement_id, position, key, title, body, rev, value, adopted`
	clauseSQL       = `SELECT ` + clauseColumns + ` FROM clauses WHERE id = ?`
	updateClauseSQL = `UPDATE clauses SET title = ?, body = ?, rev = ?, value = ?, adopted = ? WHERE id = ?`
)

// InsertClause stores a new clause at its position.
func (t *Tx) InsertClause(c *agreements.Clause) error {
	return t.exec(`INSERT INTO clauses (`+clauseColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		c.ID, c.AgreementID, c.Position, c.Key, c.Title, c.Body, c.Rev, c.Value(), c.Adopted)
}

// UpdateClause saves a clause's title, body, revision, parameter value and decision.
func (t *Tx) UpdateClause(c *agreements.Clause) error {
	return t.execOne(updateClauseSQL, c.Title, c.Body, c.Rev, c.Value(), c.Adopted, c.ID)
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
	rows, err := t.tx.QueryContext(t.ctx, `SELECT `+clauseColumns+` FROM clauses
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
	return []any{&c.ID, &c.AgreementID, &c.Position, &c.Key, &c.Title, &c.Body, &c.Rev, &c.Parameter.Value, &c.Adopted}
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
