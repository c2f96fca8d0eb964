package postgres

import (
	"klasseaftale/agreements"
)

// CouncilOf returns the school's pupil council, archived or not.
func (t *Tx) CouncilOf(schoolID string) (*agreements.Class, error) {
	return t.class(`school_id = $1 AND kind = 'council'`, schoolID)
}

// SetCouncilMember records the class a member of a pupil council comes from.
func (t *Tx) SetCouncilMember(memberID, classID string) error {
	return t.exec(`INSERT INTO council_members (member_id, class_id) VALUES ($1, $2)`, memberID, classID)
}

// CouncilMembers maps each member of a pupil council who named a class to that class.
func (t *Tx) CouncilMembers(councilID string) (map[string]string, error) {
	pairs, err := list(t, func(p *[2]string) []any { return []any{&p[0], &p[1]} },
		`SELECT cm.member_id, cm.class_id FROM council_members cm
		JOIN members m ON m.id = cm.member_id WHERE m.class_id = $1`, councilID)
	out := make(map[string]string, len(pairs))
	for _, p := range pairs {
		out[p[0]] = p[1]
	}
	return out, err
}

// InsertCouncilClause records a council clause an agreement started from.
func (t *Tx) InsertCouncilClause(cc agreements.CouncilClause) error {
	return t.exec(`INSERT INTO council_clauses (agreement_id, position, clause_id, council_agreement_id,
		council_clause_id, title, body, value) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		cc.AgreementID, cc.Position, nullable(cc.ClauseID), cc.CouncilAgreementID, cc.Text.ClauseID,
		cc.Text.Title, cc.Text.Body, cc.Text.Value)
}

// CouncilClauses lists the council clauses an agreement started from, in the council's order.
func (t *Tx) CouncilClauses(agreementID string) ([]agreements.CouncilClause, error) {
	return list(t, func(cc *agreements.CouncilClause) []any {
		return []any{&cc.AgreementID, &cc.Position, &cc.ClauseID, &cc.CouncilAgreementID,
			&cc.Text.ClauseID, &cc.Text.Title, &cc.Text.Body, &cc.Text.Value}
	}, `SELECT agreement_id, position, COALESCE(clause_id, ''), council_agreement_id,
		council_clause_id, title, body, value FROM council_clauses WHERE agreement_id = $1 ORDER BY position`, agreementID)
}

// TakenUp returns the ID of an agreement of the class started from the council's agreement.
func (t *Tx) TakenUp(classID, councilAgreementID string) (string, error) {
	return scalar[string](t, `SELECT a.id FROM agreements a WHERE a.class_id = $1 AND EXISTS
		(SELECT 1 FROM council_clauses cc WHERE cc.agreement_id = a.id AND cc.council_agreement_id = $2)
		ORDER BY a.revision DESC, a.id COLLATE "C" LIMIT 1`, classID, councilAgreementID)
}

// DemoMarks returns the demo's marks, none in a database that is not a demo's.
func (t *Tx) DemoMarks() (map[string]string, error) {
	pairs, err := list(t, func(p *[2]string) []any { return []any{&p[0], &p[1]} }, `SELECT name, value FROM demo_marks`)
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, p := range pairs {
		out[p[0]] = p[1]
	}
	return out, nil
}

// PutDemoMark stores one of the demo's marks.
func (t *Tx) PutDemoMark(name, value string) error {
	return t.exec(`INSERT INTO demo_marks (name, value) VALUES ($1, $2)
		ON CONFLICT (name) DO UPDATE SET value = excluded.value`, name, value)
}

// HoldsData reports whether the database holds any school, class or municipality.
func (t *Tx) HoldsData() (bool, error) {
	return scalar[bool](t, `SELECT EXISTS (SELECT 1 FROM schools)
		OR EXISTS (SELECT 1 FROM classes) OR EXISTS (SELECT 1 FROM municipalities)`)
}
