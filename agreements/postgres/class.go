package postgres

import (
	"time"

	"klasseaftale/agreements"
)

const classColumns = `id, school_id, name, grade, parent_code, pupil_code, activation_percent, created_at, archived_at,
	last_active_at, kind`

const classSelect = `id, COALESCE(school_id, ''), name, grade, parent_code, pupil_code, activation_percent, created_at,
	archived_at, last_active_at, kind`

// InsertClass stores a new class.
func (t *Tx) InsertClass(c *agreements.Class) error {
	return t.exec(`INSERT INTO classes (`+classColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
		c.ID, nullable(c.SchoolID), c.Name, c.Grade, parentCode(c), c.PupilCode, c.ActivationPercent,
		ts(c.CreatedAt), optTS(c.ArchivedAt), ts(c.LastActiveAt), kindOf(c))
}

// Class returns the class with the ID.
func (t *Tx) Class(id string) (*agreements.Class, error) {
	return t.class(`id = $1`, id)
}

// ClassByCode returns the class whose parent or pupil code it is, and which of the two.
func (t *Tx) ClassByCode(code string) (*agreements.Class, agreements.Role, error) {
	c, err := t.class(`parent_code = $1 OR pupil_code = $1`, code)
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

// classRow is a class as scanned, with its stored kind.
type classRow struct {
	c    agreements.Class
	kind string
}

func (t *Tx) classes(rest string, args ...any) ([]agreements.Class, error) {
	rows, err := list(t, func(r *classRow) []any {
		c := &r.c
		return []any{&c.ID, &c.SchoolID, &c.Name, &c.Grade, &c.ParentCode, &c.PupilCode,
			&c.ActivationPercent, &c.CreatedAt, &c.ArchivedAt, &c.LastActiveAt, &r.kind}
	}, `SELECT `+classSelect+` FROM classes `+rest, args...)
	if err != nil {
		return nil, err
	}
	cs := make([]agreements.Class, len(rows))
	for i, r := range rows {
		cs[i] = r.c
		cs[i].Kind = agreements.ClassKindClass
		if r.kind == "council" {
			cs[i].Kind = agreements.ClassKindCouncil
			cs[i].ParentCode = "" // the placeholder (see parentCode) is no code
		}
	}
	return cs, nil
}

// ClassesOfSchool lists a school's classes by grade and name, archived ones too; not its pupil
// council.
func (t *Tx) ClassesOfSchool(schoolID string) ([]agreements.Class, error) {
	return t.classes(`WHERE school_id = $1 AND kind = 'class' ORDER BY grade, name COLLATE "C", id COLLATE "C"`, schoolID)
}

// SetClassSchool puts a class under a school.
func (t *Tx) SetClassSchool(classID, schoolID string) error {
	return t.execOne(`UPDATE classes SET school_id = $1 WHERE id = $2`, nullable(schoolID), classID)
}

// SetArchived archives a class at a time, or restores it (nil).
func (t *Tx) SetArchived(classID string, at *time.Time) error {
	return t.execOne(`UPDATE classes SET archived_at = $1 WHERE id = $2`, optTS(at), classID)
}

// ArchivedBefore lists the classes archived before the time.
func (t *Tx) ArchivedBefore(before time.Time) ([]string, error) {
	return t.ids(`SELECT id FROM classes WHERE archived_at IS NOT NULL AND archived_at < $1`, ts(before))
}

// TouchClass records activity in the class at the time; it never moves the time back.
func (t *Tx) TouchClass(classID string, at time.Time) error {
	return t.exec(`UPDATE classes SET last_active_at = $1 WHERE id = $2 AND last_active_at < $1`, ts(at), classID)
}

// InactiveBefore lists the classes whose last activity was before the time.
func (t *Tx) InactiveBefore(before time.Time) ([]string, error) {
	return t.ids(`SELECT id FROM classes WHERE last_active_at < $1`, ts(before))
}

// DeleteClass deletes a class and, through the foreign keys, everything of it: households,
// members, agreements, clauses, votes, signatures, check-ins and edit logs.
func (t *Tx) DeleteClass(id string) error {
	return t.execOne(`DELETE FROM classes WHERE id = $1`, id)
}

// SetClassCode replaces the parent or pupil code of a class.
func (t *Tx) SetClassCode(classID string, role agreements.Role, code string) error {
	column := "parent_code"
	if role == agreements.RolePupil {
		column = "pupil_code"
	}
	return t.execOne(`UPDATE classes SET `+column+` = $1 WHERE id = $2`, code, classID)
}

// SetActivation sets the class's activation threshold.
func (t *Tx) SetActivation(classID string, percent int) error {
	return t.execOne(`UPDATE classes SET activation_percent = $1 WHERE id = $2`, percent, classID)
}

// kindOf is how a space's kind is stored: 'class' or 'council'.
func kindOf(c *agreements.Class) string {
	if c.IsCouncil() {
		return "council"
	}
	return "class"
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
