package sqlite

import "klasseaftale/agreements"

const schoolColumns = `id, name, municipality, organiser_code, contact, action_plan_url, help_lines, created_at`

// InsertSchool stores a new school with its admin's token hash.
func (t *Tx) InsertSchool(s *agreements.School, tokenHash string) error {
	return t.exec(`INSERT INTO schools (`+schoolColumns+`, token_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		s.ID, s.Name, s.Municipality, s.OrganiserCode, s.Help.Contact, s.Help.ActionPlanURL,
		s.Help.Lines, ms(s.CreatedAt), tokenHash)
}

// School returns the school with the ID.
func (t *Tx) School(id string) (*agreements.School, error) {
	return t.school(`id = ?`, id)
}

// SchoolByOrganiserCode returns the school whose organiser code it is.
func (t *Tx) SchoolByOrganiserCode(code string) (*agreements.School, error) {
	return t.school(`organiser_code = ?`, code)
}

// SchoolByTokenHash returns the school whose admin holds the token.
func (t *Tx) SchoolByTokenHash(hash string) (*agreements.School, error) {
	return t.school(`token_hash = ?`, hash)
}

func (t *Tx) school(where string, arg any) (*agreements.School, error) {
	var s agreements.School
	var created int64
	err := t.tx.QueryRowContext(t.ctx, `SELECT `+schoolColumns+` FROM schools WHERE `+where, arg).Scan(
		&s.ID, &s.Name, &s.Municipality, &s.OrganiserCode, &s.Help.Contact, &s.Help.ActionPlanURL,
		&s.Help.Lines, &created)
	if err != nil {
		return nil, notFound(err)
	}
	s.CreatedAt = fromMS(created)
	return &s, nil
}

// UpdateSchoolHelp sets the school's help texts.
func (t *Tx) UpdateSchoolHelp(id string, h agreements.SchoolHelp) error {
	return t.execOne(`UPDATE schools SET contact = ?, action_plan_url = ?, help_lines = ? WHERE id = ?`,
		h.Contact, h.ActionPlanURL, h.Lines, id)
}
