package postgres

import (
	"time"

	"klasseaftale/agreements"
)

const schoolColumns = `id, name, municipality, organiser_code, contact, action_plan_url, help_lines, created_at, municipality_id`

const schoolSelect = `id, name, municipality, organiser_code, contact, action_plan_url, help_lines, created_at, COALESCE(municipality_id, '')`

// InsertSchool stores a new school with its admin's token hash.
func (t *Tx) InsertSchool(s *agreements.School, tokenHash string) error {
	return t.exec(`INSERT INTO schools (`+schoolColumns+`, token_hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
		s.ID, s.Name, s.Municipality, s.OrganiserCode, s.Help.Contact, s.Help.ActionPlanURL,
		s.Help.Lines, ts(s.CreatedAt), nullable(s.MunicipalityID), tokenHash)
}

// School returns the school with the ID.
func (t *Tx) School(id string) (*agreements.School, error) {
	return t.school(`id = $1`, id)
}

// SchoolByOrganiserCode returns the school whose organiser code it is.
func (t *Tx) SchoolByOrganiserCode(code string) (*agreements.School, error) {
	return t.school(`organiser_code = $1`, code)
}

// SchoolByTokenHash returns the school whose admin holds the token.
func (t *Tx) SchoolByTokenHash(hash string) (*agreements.School, error) {
	return t.school(`token_hash = $1`, hash)
}

func (t *Tx) school(where string, arg any) (*agreements.School, error) {
	return one(t, schoolFields, `SELECT `+schoolSelect+` FROM schools WHERE `+where, arg)
}

func schoolFields(s *agreements.School) []any {
	return []any{&s.ID, &s.Name, &s.Municipality, &s.OrganiserCode, &s.Help.Contact, &s.Help.ActionPlanURL,
		&s.Help.Lines, &s.CreatedAt, &s.MunicipalityID}
}

// SetOrganiserCode replaces a school's organiser code.
func (t *Tx) SetOrganiserCode(schoolID, code string) error {
	return t.execOne(`UPDATE schools SET organiser_code = $1 WHERE id = $2`, code, schoolID)
}

// SetSchoolMunicipality opts a school into a municipality's roll-up ("" opts out).
func (t *Tx) SetSchoolMunicipality(schoolID, municipalityID string) error {
	return t.execOne(`UPDATE schools SET municipality_id = $1 WHERE id = $2`, nullable(municipalityID), schoolID)
}

// SchoolsOfMunicipality lists the schools opted into a municipality, by name.
func (t *Tx) SchoolsOfMunicipality(municipalityID string) ([]agreements.School, error) {
	return list(t, schoolFields, `SELECT `+schoolSelect+` FROM schools WHERE municipality_id = $1
		ORDER BY name COLLATE "C", id COLLATE "C"`, municipalityID)
}

// UpdateSchoolHelp sets the school's help texts.
func (t *Tx) UpdateSchoolHelp(id string, h agreements.SchoolHelp) error {
	return t.execOne(`UPDATE schools SET contact = $1, action_plan_url = $2, help_lines = $3 WHERE id = $4`,
		h.Contact, h.ActionPlanURL, h.Lines, id)
}

// SetSchoolKey replaces the hash of a school admin's key.
func (t *Tx) SetSchoolKey(schoolID, tokenHash string) error {
	return t.execOne(`UPDATE schools SET token_hash = $1 WHERE id = $2`, tokenHash, schoolID)
}

// TrustedAdults lists a school's trusted adults in their order.
func (t *Tx) TrustedAdults(schoolID string) ([]agreements.TrustedAdult, error) {
	return list(t, func(a *agreements.TrustedAdult) []any { return []any{&a.Name, &a.Role, &a.Where} },
		`SELECT name, role, place FROM trusted_adults WHERE school_id = $1 ORDER BY position`, schoolID)
}

// SetTrustedAdults replaces a school's list.
func (t *Tx) SetTrustedAdults(schoolID string, adults []agreements.TrustedAdult) error {
	if err := t.exec(`DELETE FROM trusted_adults WHERE school_id = $1`, schoolID); err != nil {
		return err
	}
	for i, a := range adults {
		if err := t.exec(`INSERT INTO trusted_adults (school_id, position, name, role, place) VALUES ($1, $2, $3, $4, $5)`,
			schoolID, i, a.Name, a.Role, a.Where); err != nil {
			return err
		}
	}
	return nil
}

// InsertBoardLink stores a board member's link with the hash of its token.
func (t *Tx) InsertBoardLink(l *agreements.BoardLink, tokenHash string) error {
	return t.exec(`INSERT INTO board_links (id, school_id, label, token_hash, created_at) VALUES ($1, $2, $3, $4, $5)`,
		l.ID, l.SchoolID, l.Label, tokenHash, ts(l.CreatedAt))
}

// BoardLinks lists a school's board links, oldest first.
func (t *Tx) BoardLinks(schoolID string) ([]agreements.BoardLink, error) {
	return list(t, boardLinkFields, `SELECT id, school_id, label, created_at, revoked_at FROM board_links
		WHERE school_id = $1 ORDER BY created_at, id COLLATE "C"`, schoolID)
}

// BoardLinkByTokenHash returns the link whose token it is.
func (t *Tx) BoardLinkByTokenHash(hash string) (*agreements.BoardLink, error) {
	return one(t, boardLinkFields, `SELECT id, school_id, label, created_at, revoked_at FROM board_links
		WHERE token_hash = $1`, hash)
}

func boardLinkFields(l *agreements.BoardLink) []any {
	return []any{&l.ID, &l.SchoolID, &l.Label, &l.CreatedAt, &l.RevokedAt}
}

// RevokeBoardLink ends a link of the school.
func (t *Tx) RevokeBoardLink(schoolID, id string, at time.Time) error {
	return t.execOne(`UPDATE board_links SET revoked_at = $1 WHERE school_id = $2 AND id = $3 AND revoked_at IS NULL`, ts(at), schoolID, id)
}

// InsertMunicipality stores a municipality with the hash of its admin's token.
func (t *Tx) InsertMunicipality(m *agreements.Municipality, tokenHash string) error {
	return t.exec(`INSERT INTO municipalities (id, name, token_hash, join_code, created_at) VALUES ($1, $2, $3, $4, $5)`,
		m.ID, m.Name, tokenHash, m.JoinCode, ts(m.CreatedAt))
}

// Municipality returns the municipality with the ID.
func (t *Tx) Municipality(id string) (*agreements.Municipality, error) {
	return t.municipality(`id = $1`, id)
}

// MunicipalityByTokenHash returns the municipality whose admin holds the token.
func (t *Tx) MunicipalityByTokenHash(hash string) (*agreements.Municipality, error) {
	return t.municipality(`token_hash = $1`, hash)
}

// MunicipalityByCode returns the municipality whose join code it is.
func (t *Tx) MunicipalityByCode(code string) (*agreements.Municipality, error) {
	return t.municipality(`join_code = $1`, code)
}

func (t *Tx) municipality(where string, arg any) (*agreements.Municipality, error) {
	return one(t, func(m *agreements.Municipality) []any {
		return []any{&m.ID, &m.Name, &m.JoinCode, &m.CreatedAt}
	}, `SELECT id, name, join_code, created_at FROM municipalities WHERE `+where, arg)
}

// SetMunicipalityKey replaces the hash of a municipality admin's key.
func (t *Tx) SetMunicipalityKey(id, tokenHash string) error {
	return t.execOne(`UPDATE municipalities SET token_hash = $1 WHERE id = $2`, tokenHash, id)
}
