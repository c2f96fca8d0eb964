package sqlite

import (
	"time"

	"klasseaftale/agreements"
)

// InsertBoardLink stores a board member's link with the hash of its token.
func (t *Tx) InsertBoardLink(l *agreements.BoardLink, tokenHash string) error {
	return t.exec(`INSERT INTO board_links (id, school_id, label, token_hash, created_at) VALUES (?, ?, ?, ?, ?)`,
		l.ID, l.SchoolID, l.Label, tokenHash, ms(l.CreatedAt))
}

// BoardLinks lists a school's board links, oldest first.
func (t *Tx) BoardLinks(schoolID string) ([]agreements.BoardLink, error) {
	return t.boardLinks(`WHERE school_id = ? ORDER BY created_at, id`, schoolID)
}

// BoardLinkByTokenHash returns the link whose token it is.
func (t *Tx) BoardLinkByTokenHash(hash string) (*agreements.BoardLink, error) {
	ls, err := t.boardLinks(`WHERE token_hash = ?`, hash)
	if err != nil {
		return nil, err
	}
	if len(ls) == 0 {
		return nil, agreements.ErrNotFound
	}
	return &ls[0], nil
}

func (t *Tx) boardLinks(rest string, args ...any) ([]agreements.BoardLink, error) {
	rows, err := t.tx.QueryContext(t.ctx, `SELECT id, school_id, label, created_at, revoked_at FROM board_links `+rest, args...)
	if err != nil {
		return nil, err
	}
	return collect(rows, func(l *agreements.BoardLink) []any {
		return []any{&l.ID, &l.SchoolID, &l.Label, msScanner{&l.CreatedAt}, optionalTime{&l.RevokedAt}}
	})
}

// RevokeBoardLink ends a link of the school.
func (t *Tx) RevokeBoardLink(schoolID, id string, at time.Time) error {
	return t.execOne(`UPDATE board_links SET revoked_at = ? WHERE school_id = ? AND id = ? AND revoked_at IS NULL`, ms(at), schoolID, id)
}

// InsertMunicipality stores a municipality with the hash of its admin's token.
func (t *Tx) InsertMunicipality(m *agreements.Municipality, tokenHash string) error {
	return t.exec(`INSERT INTO municipalities (id, name, token_hash, join_code, created_at) VALUES (?, ?, ?, ?, ?)`,
		m.ID, m.Name, tokenHash, m.JoinCode, ms(m.CreatedAt))
}

// Municipality returns the municipality with the ID.
func (t *Tx) Municipality(id string) (*agreements.Municipality, error) {
	return t.municipality(`id = ?`, id)
}

// MunicipalityByTokenHash returns the municipality whose admin holds the token.
func (t *Tx) MunicipalityByTokenHash(hash string) (*agreements.Municipality, error) {
	return t.municipality(`token_hash = ?`, hash)
}

// MunicipalityByCode returns the municipality whose join code it is.
func (t *Tx) MunicipalityByCode(code string) (*agreements.Municipality, error) {
	return t.municipality(`join_code = ?`, code)
}

func (t *Tx) municipality(where string, arg any) (*agreements.Municipality, error) {
	rows, err := t.tx.QueryContext(t.ctx, `SELECT id, name, join_code, created_at FROM municipalities WHERE `+where, arg)
	if err != nil {
		return nil, err
	}
	ms, err := collect(rows, func(m *agreements.Municipality) []any {
		return []any{&m.ID, &m.Name, &m.JoinCode, msScanner{&m.CreatedAt}}
	})
	if err != nil {
		return nil, err
	}
	if len(ms) == 0 {
		return nil, agreements.ErrNotFound
	}
	return &ms[0], nil
}
