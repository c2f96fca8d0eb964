package sqlite

import (
	"database/sql"

	"klasseaftale/agreements"
)

// kindOf is how a space's kind is stored: 'class' or 'council'.
func kindOf(c *agreements.Class) string {
	if c.IsCouncil() {
		return "council"
	}
	return "class"
}

// kindScanner reads the stored kind back into the domain's ClassKind ("" for a class).
type kindScanner struct{ k *agreements.ClassKind }

func (s kindScanner) Scan(v any) error {
	var k sql.NullString
	err := k.Scan(v)
	*s.k = agreements.ClassKindClass
	if k.String == "council" {
		*s.k = agreements.ClassKindCouncil
	}
	return err
}

// parentCode is what the parent_code column holds. A pupil council has no parent code, but the
// column is NOT NULL UNIQUE: it holds "council:" and the council's ID, which no code a person
// types can equal (codes are upper case after normalising, and 8 characters long).
func parentCode(c *agreements.Class) string {
	if c.IsCouncil() {
		return "council:" + c.ID
	}
	return c.ParentCode
}

// CouncilOf returns the school's pupil council, archived or not.
func (t *Tx) CouncilOf(schoolID string) (*agreements.Class, error) {
	return t.class(`school_id = ? AND kind = 'council'`, schoolID)
}

// SetCouncilMember records the class a member of a pupil council comes from.
func (t *Tx) SetCouncilMember(memberID, classID string) error {
	return t.exec(`INSERT INTO council_members (member_id, class_id) VALUES (?, ?)`, memberID, classID)
}

// CouncilMembers maps each member of a pupil council who named a class to that class.
func (t *Tx) CouncilMembers(councilID string) (map[string]string, error) {
	rows, err := t.tx.QueryContext(t.ctx, `SELECT cm.member_id, cm.class_id FROM council_members cm
		JOIN members m ON m.id = cm.member_id WHERE m.class_id = ?`, councilID)
	if err != nil {
		return nil, err
	}
	pairs, err := collect(rows, func(p *[2]string) []any { return []any{&p[0], &p[1]} })
	out := make(map[string]string, len(pairs))
	for _, p := range pairs {
		out[p[0]] = p[1]
	}
	return out, err
}

// InsertCouncilClause records a council clause an agreement started from.
func (t *Tx) InsertCouncilClause(cc agreements.CouncilClause) error {
	return t.exec(`INSERT INTO council_clauses (agreement_id, position, clause_id, council_agreement_id,
		council_clause_id, title, body, value) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		cc.AgreementID, cc.Position, nullable(cc.ClauseID), cc.CouncilAgreementID, cc.Text.ClauseID,
		cc.Text.Title, cc.Text.Body, cc.Text.Value)
}

// CouncilClauses lists the council clauses an agreement started from, in the council's order.
func (t *Tx) CouncilClauses(agreementID string) ([]agreements.CouncilClause, error) {
	rows, err := t.tx.QueryContext(t.ctx, `SELECT agreement_id, position, clause_id, council_agreement_id,
		council_clause_id, title, body, value FROM council_clauses WHERE agreement_id = ? ORDER BY position`, agreementID)
	if err != nil {
		return nil, err
	}
	return collect(rows, func(cc *agreements.CouncilClause) []any {
		return []any{&cc.AgreementID, &cc.Position, nullString{&cc.ClauseID}, &cc.CouncilAgreementID,
			&cc.Text.ClauseID, &cc.Text.Title, &cc.Text.Body, &cc.Text.Value}
	})
}

// TakenUp returns the ID of an agreement of the class started from the council's agreement.
func (t *Tx) TakenUp(classID, councilAgreementID string) (string, error) {
	var id string
	err := t.tx.QueryRowContext(t.ctx, `SELECT a.id FROM agreements a WHERE a.class_id = ? AND EXISTS
		(SELECT 1 FROM council_clauses cc WHERE cc.agreement_id = a.id AND cc.council_agreement_id = ?)
		ORDER BY a.revision DESC, a.id LIMIT 1`, classID, councilAgreementID).Scan(&id)
	return id, notFound(err)
}
