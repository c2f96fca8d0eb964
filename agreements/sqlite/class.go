package sqlite

import (
	"database/sql"

	"klasseaftale/agreements"
)

const classColumns = `id, school_id, name, grade, parent_code, pupil_code, activation_percent, created_at`

// InsertClass stores a new class.
func (t *Tx) InsertClass(c *agreements.Class) error {
	return t.exec(`INSERT INTO classes (`+classColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		c.ID, nullable(c.SchoolID), c.Name, c.Grade, c.ParentCode, c.PupilCode, c.ActivationPercent,
		ms(c.CreatedAt))
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
	var c agreements.Class
	var school sql.NullString
	var created int64
	err := t.tx.QueryRowContext(t.ctx, `SELECT `+classColumns+` FROM classes WHERE `+where, arg).Scan(
		&c.ID, &school, &c.Name, &c.Grade, &c.ParentCode, &c.PupilCode, &c.ActivationPercent, &created)
	if err != nil {
		return nil, notFound(err)
	}
	c.SchoolID, c.CreatedAt = school.String, fromMS(created)
	return &c, nil
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
