package sqlite

// DemoMarks returns the demo's marks, none in a database that is not a demo's.
func (t *Tx) DemoMarks() (map[string]string, error) {
	rows, err := t.tx.QueryContext(t.ctx, `SELECT name, value FROM demo_marks`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return nil, err
		}
		out[k] = v
	}
	return out, rows.Err()
}

// PutDemoMark stores one of the demo's marks.
func (t *Tx) PutDemoMark(name, value string) error {
	return t.exec(`INSERT INTO demo_marks (name, value) VALUES (?, ?)
		ON CONFLICT (name) DO UPDATE SET value = excluded.value`, name, value)
}

// HoldsData reports whether the database holds any school, class or municipality.
func (t *Tx) HoldsData() (bool, error) {
	var n int
	err := t.tx.QueryRowContext(t.ctx, `SELECT EXISTS (SELECT 1 FROM schools)
		OR EXISTS (SELECT 1 FROM classes) OR EXISTS (SELECT 1 FROM municipalities)`).Scan(&n)
	return n == 1, err
}

// SetSchoolKey replaces the hash of a school admin's key.
func (t *Tx) SetSchoolKey(schoolID, tokenHash string) error {
	return t.execOne(`UPDATE schools SET token_hash = ? WHERE id = ?`, tokenHash, schoolID)
}

// SetMunicipalityKey replaces the hash of a municipality admin's key.
func (t *Tx) SetMunicipalityKey(id, tokenHash string) error {
	return t.execOne(`UPDATE municipalities SET token_hash = ? WHERE id = ?`, tokenHash, id)
}
