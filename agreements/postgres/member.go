package postgres

import (
	"time"

	"klasseaftale/agreements"
)

// Household returns the household of the child with the key in the class.
func (t *Tx) Household(classID, childKey string) (*agreements.Household, error) {
	return one(t, householdFields, `SELECT id, class_id, child_name, created_at FROM households
		WHERE class_id = $1 AND child_key = $2`, classID, childKey)
}

// InsertHousehold stores a new household.
func (t *Tx) InsertHousehold(h *agreements.Household, childKey string) error {
	return t.exec(`INSERT INTO households (id, class_id, child_key, child_name, created_at) VALUES ($1, $2, $3, $4, $5)`,
		h.ID, h.ClassID, childKey, h.ChildName, ts(h.CreatedAt))
}

// Households lists a class's households in the order they joined.
func (t *Tx) Households(classID string) ([]agreements.Household, error) {
	return list(t, householdFields, `SELECT id, class_id, child_name, created_at FROM households
		WHERE class_id = $1 ORDER BY created_at, id COLLATE "C"`, classID)
}

func householdFields(h *agreements.Household) []any {
	return []any{&h.ID, &h.ClassID, &h.ChildName, &h.CreatedAt}
}

const (
	memberColumns = `id, class_id, household_id, name, role, created_at`
	memberSelect  = `id, class_id, COALESCE(household_id, ''), name, role, created_at`
)

// InsertMember stores a new member with the hash of its token.
func (t *Tx) InsertMember(m *agreements.Member, tokenHash string) error {
	return t.exec(`INSERT INTO members (`+memberColumns+`, token_hash) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		m.ID, m.ClassID, nullable(m.HouseholdID), m.Name, m.Role, ts(m.CreatedAt), tokenHash)
}

// MemberByTokenHash returns the member holding the token: their key, or one of their sessions.
func (t *Tx) MemberByTokenHash(hash string) (*agreements.Member, error) {
	ms, err := t.members(`SELECT `+memberSelect+` FROM members WHERE token_hash = $1
		UNION ALL SELECT `+memberSelect+` FROM members WHERE id = (SELECT member_id FROM sessions WHERE token_hash = $1)`, hash)
	if err != nil {
		return nil, err
	}
	if len(ms) == 0 {
		return nil, agreements.ErrNotFound
	}
	return &ms[0], nil
}

// SetMemberKey replaces a member's key: the old one stops working.
func (t *Tx) SetMemberKey(memberID, tokenHash string) error {
	return t.exec(`UPDATE members SET token_hash = $1 WHERE id = $2`, tokenHash, memberID)
}

// InsertSession stores a session of a member, keeping only its keep newest.
func (t *Tx) InsertSession(memberID, tokenHash string, at time.Time, keep int) error {
	if err := t.exec(`INSERT INTO sessions (token_hash, member_id, created_at) VALUES ($1, $2, $3)`, tokenHash, memberID, ts(at)); err != nil {
		return err
	}
	return t.exec(`DELETE FROM sessions WHERE member_id = $1 AND token_hash NOT IN
		(SELECT token_hash FROM sessions WHERE member_id = $1 ORDER BY created_at DESC, token_hash COLLATE "C" LIMIT $2)`, memberID, keep)
}

// DeleteSession ends a session, reporting whether there was one.
func (t *Tx) DeleteSession(tokenHash string) (bool, error) {
	tag, err := t.tx.Exec(t.ctx, `DELETE FROM sessions WHERE token_hash = $1`, tokenHash)
	if err != nil {
		return false, t.note(err)
	}
	return tag.RowsAffected() > 0, nil
}

// DeleteSessions ends every session of a member.
func (t *Tx) DeleteSessions(memberID string) error {
	return t.exec(`DELETE FROM sessions WHERE member_id = $1`, memberID)
}

// Members lists a class's members in the order they joined.
func (t *Tx) Members(classID string) ([]agreements.Member, error) {
	return t.members(`SELECT `+memberSelect+` FROM members WHERE class_id = $1 ORDER BY created_at, id COLLATE "C"`, classID)
}

// members scans member rows and gives each its presence colour.
func (t *Tx) members(query string, args ...any) ([]agreements.Member, error) {
	ms, err := list(t, func(m *agreements.Member) []any {
		return []any{&m.ID, &m.ClassID, &m.HouseholdID, &m.Name, &m.Role, &m.CreatedAt}
	}, query, args...)
	for i := range ms {
		ms[i].Color = agreements.ColorFor(ms[i].ID)
	}
	return ms, err
}

// DeleteMember deletes a member; their token is unknown from then on.
func (t *Tx) DeleteMember(id string) error {
	return t.execOne(`DELETE FROM members WHERE id = $1`, id)
}

// DeleteHousehold deletes a household (its members' household_id becomes NULL).
func (t *Tx) DeleteHousehold(id string) error {
	return t.execOne(`DELETE FROM households WHERE id = $1`, id)
}

// The agreements, and the check-ins, of a class: the voter keys have no foreign key of their
// own, so a voter's rows are found through their class.
const (
	classAgreements = `SELECT id FROM agreements WHERE class_id = $2`
	classCheckins   = `SELECT c.id FROM checkins c JOIN agreements a ON a.id = c.agreement_id WHERE a.class_id = $2`
	classClauses    = `SELECT c.id FROM clauses c JOIN agreements a ON a.id = c.agreement_id WHERE a.class_id = $2`
)

// DeleteVoter deletes a household's or a pupil's votes, signatures and check-in answers in the
// class's agreements.
func (t *Tx) DeleteVoter(classID, voter string) error {
	for _, q := range []string{
		`DELETE FROM votes WHERE voter = $1 AND agreement_id IN (` + classAgreements + `)`,
		`DELETE FROM signatures WHERE voter = $1 AND agreement_id IN (` + classAgreements + `)`,
		`DELETE FROM checkin_replies WHERE voter = $1 AND checkin_id IN (` + classCheckins + `)`,
	} {
		if err := t.exec(q, voter, classID); err != nil {
			return err
		}
	}
	return nil
}

// ForgetAuthor removes a member's ID from the edit logs of the class's clauses: the changes
// stay, no longer tied to anyone.
func (t *Tx) ForgetAuthor(classID, memberID string) error {
	return t.exec(`UPDATE clause_ops SET member_id = '' WHERE member_id = $1 AND clause_id IN (`+classClauses+`)`,
		memberID, classID)
}
