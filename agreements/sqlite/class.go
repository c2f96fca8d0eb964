package sqlite

import (
	"time"

	"klasseaftale/agreements"
)

const classColumns = `id, school_id, name, grade, parent_code, pupil_code, activation_percent, created_at, archived_at,
	last_active_at, kind`

// InsertClass stores a new class.
func (t *Tx) InsertClass(c *agreements.Class) error {
	return t.exec(`INSERT INTO classes (`+classColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		c.ID, nullable(c.SchoolID), c.Name, c.Grade, parentCode(c), c.PupilCode, c.ActivationPercent,
		ms(c.CreatedAt), optMS(c.ArchivedAt), ms(c.LastActiveAt), kindOf(c))
}

// Class returns the class with the ID.
func (t *Tx) Class(id string) (*agreements.Class, error) {
	return t.class(`id = ?`, id)
}

// ClassByCode returns the class whose parent or pupil code it is, and which of the two.
func (t *Tx) ClassByCode(code string) (*agreements.Class, agreements.Role, error) {
	c, err := t.class(`parent_code = ?1 OR pupil_code = ?1`, code)
	if err != nil {
		return nil, "", err
	}
	if c.ParentCode == code {
		return c, agreements.RoleParent, nil
	}
	return c, agreements.RolePupil, nil
}

func (t *Tx) class(where string, arg any) (*agreements.Class, error) {
	cs, err := t.classes(`WHERE `+where, arg)
	if err != nil {
		return nil, err
	}
	if len(cs) == 0 {
		return nil, agreements.ErrNotFound
	}
	return &cs[0], nil
}

func (t *Tx) classes(rest string, args ...any) ([]agreements.Class, error) {
	rows, err := t.tx.QueryContext(t.ctx, `SELECT `+classColumns+` FROM classes `+rest, args...)
	if err != nil {
		return nil, err
	}
	cs, err := collect(rows, func(c *agreements.Class) []any {
		return []any{&c.ID, nullString{&c.SchoolID}, &c.Name, &c.Grade, &c.ParentCode, &c.PupilCode,
			&c.ActivationPercent, msScanner{&c.CreatedAt}, optionalTime{&c.ArchivedAt}, msScanner{&c.LastActiveAt},
			kindScanner{&c.Kind}}
	})
	for i := range cs {
		if cs[i].IsCouncil() {
			cs[i].ParentCode = "" // the placeholder (see parentCode) is no code
		}
	}
	return cs, err
}

// ClassesOfSchool lists a school's classes by grade and name, archived ones too; not its pupil
// council.
func (t *Tx) ClassesOfSchool(schoolID string) ([]agreements.Class, error) {
	return t.classes(`WHERE school_id = ? AND kind = 'class' ORDER BY grade, name, id`, schoolID)
}

// SetClassSchool puts a class under a school.
func (t *Tx) SetClassSchool(classID, schoolID string) error {
	return t.execOne(`UPDATE classes SET school_id = ? WHERE id = ?`, nullable(schoolID), classID)
}

// SetArchived archives a class at a time, or restores it (nil).
func (t *Tx) SetArchived(classID string, at *time.Time) error {
	return t.execOne(`UPDATE classes SET archived_at = ? WHERE id = ?`, optMS(at), classID)
}

// ArchivedBefore lists the classes archived before the time.
func (t *Tx) ArchivedBefore(before time.Time) ([]string, error) {
	return t.ids(`SELECT id FROM classes WHERE archived_at IS NOT NULL AND archived_at < ?`, ms(before))
}

// TouchClass records activity in the class at the time; it never moves the time back.
func (t *Tx) TouchClass(classID string, at time.Time) error {
	return t.exec(`UPDATE classes SET last_active_at = ?1 WHERE id = ?2 AND last_active_at < ?1`, ms(at), classID)
}

// InactiveBefore lists the classes whose last activity was before the time.
func (t *Tx) InactiveBefore(before time.Time) ([]string, error) {
	return t.ids(`SELECT id FROM classes WHERE last_active_at < ?`, ms(before))
}

// DeleteClass deletes a class and, through the foreign keys, everything of it: households,
// members, agreements, clauses, votes, signatures, check-ins and edit logs. secure_delete
// overwrites the freed pages, so the text does not linger in the file.
func (t *Tx) DeleteClass(id string) error {
	return t.execOne(`DELETE FROM classes WHERE id = ?`, id)
}

// SetClassCode replaces the parent or pupil code of a class.
func (t *Tx) SetClassCode(classID string, role agreements.Role, code string) error {
	column := "parent_code"
	if role == agreements.RolePupil {
		column = "pupil_code"
	}
	return t.execOne(`UPDATE classes SET `+column+` = ? WHERE id = ?`, code, classID)
}

// nullable stores "" as NULL, for optional references.
func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// SetActivation sets the class's activation threshold.
func (t *Tx) SetActivation(classID string, percent int) error {
	return t.execOne(`UPDATE classes SET activation_percent = ? WHERE id = ?`, percent, classID)
}
