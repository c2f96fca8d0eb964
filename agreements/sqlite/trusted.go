package sqlite

import "klasseaftale/agreements"

// TrustedAdults lists a school's trusted adults in their order.
func (t *Tx) TrustedAdults(schoolID string) ([]agreements.TrustedAdult, error) {
	rows, err := t.tx.QueryContext(t.ctx, `SELECT name, role, place FROM trusted_adults
		WHERE school_id = ? ORDER BY position`, schoolID)
	if err != nil {
		return nil, err
	}
	return collect(rows, func(a *agreements.TrustedAdult) []any { return []any{&a.Name, &a.Role, &a.Where} })
}

// SetTrustedAdults replaces a school's list.
func (t *Tx) SetTrustedAdults(schoolID string, adults []agreements.TrustedAdult) error {
	if err := t.exec(`DELETE FROM trusted_adults WHERE school_id = ?`, schoolID); err != nil {
		return err
	}
	for i, a := range adults {
		if err := t.exec(`INSERT INTO trusted_adults (school_id, position, name, role, place) VALUES (?, ?, ?, ?, ?)`,
			schoolID, i, a.Name, a.Role, a.Where); err != nil {
			return err
		}
	}
	return nil
}
