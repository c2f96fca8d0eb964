package sqlite

import "klasseaftale/agreements"

const schoolColumns = `id, name, municipality, organiser_code, contact, action_plan_url, help_lines, created_at, municipality_id`

// InsertSchool stores a new school with its admin's token hash.
func (t *Tx) InsertSchool(s *agreements.School, tokenHash string) error {
	return t.exec(`INSERT INTO schools (`+schoolColumns+`, token_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		s.ID, s.Name, s.Municipality, s.OrganiserCode, s.Help.Contact, s.Help.ActionPlanURL,
		s.Help.Lines, ms(s.CreatedAt), nullable(s.MunicipalityID), tokenHash)
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
	ss, err := t.schools(`WHERE `+where, arg)
	if err != nil {
		return nil, err
	}
	if len(ss) == 0 {
		return nil, agreements.ErrNotFound
	}
	return &ss[0], nil
}

func (t *Tx) schools(rest string, args ...any) ([]agreements.School, error) {
	rows, err := t.tx.QueryContext(t.ctx, `SELECT `+schoolColumns+` FROM schools `+rest, args...)
	if err != nil {
		return nil, err
	}
	return collect(rows, func(s *agreements.School) []any {
		return []any{&s.ID, &s.Name, &s.Municipality, &s.OrganiserCode, &s.Help.Contact, &s.Help.ActionPlanURL,
			&s.Help.Lines, msScanner{&s.CreatedAt}, nullString{&s.MunicipalityID}}
	})
}

// SetOrganiserCode replaces a school's organiser code.
func (t *Tx) SetOrganiserCode(schoolID, code string) error {
	return t.execOne(`UPDATE schools SET organiser_code = ? WHERE id = ?`, code, schoolID)
}

// SetSchoolMunicipality opts a school into a municipality's roll-up ("" opts out).
func (t *Tx) SetSchoolMunicipality(schoolID, municipalityID string) error {
	return t.execOne(`UPDATE schools SET municipality_id = ? WHERE id = ?`, nullable(municipalityID), schoolID)
}

// SchoolsOfMunicipality lists the schools opted into a municipality, by name.
func (t *Tx) SchoolsOfMunicipality(municipalityID string) ([]agreements.School, error) {
	return t.schools(`WHERE municipality_id = ? ORDER BY name, id`, municipalityID)
}

// UpdateSchoolHelp sets the school's help texts.
func (t *Tx) UpdateSchoolHelp(id string, h agreements.SchoolHelp) error {
	return t.execOne(`UPDATE schools SET contact = ?, action_plan_url = ?, help_lines = ? WHERE id = ?`,
		h.Contact, h.ActionPlanURL, h.Lines, id)
}
