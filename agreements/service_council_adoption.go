package agreements

import "errors"

// Stores: AgreementStore, Councils, Members.

// councilFigures says what became of the pupil council's clauses in a class's pupils' agreement,
// or nil when the agreement did not start from the council's. For a masked agreement (fewer than
// MinGroup pupils) only how many clauses it started from is shown.
func (s *Service) councilFigures(tx Tx, a *Agreement, masked bool) (*CouncilFigures, error) {
	ccs, err := tx.CouncilClauses(a.ID)
	if err != nil || len(ccs) == 0 || masked {
		return councilStart(ccs), err
	}
	f := councilStart(ccs)
	full := *a
	if full.Clauses, err = tx.Clauses(a.ID); err != nil {
		return nil, err
	}
	attachCouncilTexts(&full, ccs)
	s.hydrate(&full)
	f.Shown = true
	for _, c := range adoptedOnly(full.Clauses) {
		switch {
		case c.Council == nil:
			f.Added++
		case c.Council.Changed:
			f.Changed++
		default:
			f.Kept++
		}
	}
	f.Dropped = f.Clauses - f.Kept - f.Changed
	return f, nil
}

// councilStart is the figures of an agreement started from the council's before counting what
// became of its clauses; nil for one that did not start from it.
func councilStart(ccs []CouncilClause) *CouncilFigures {
	if len(ccs) == 0 {
		return nil
	}
	return &CouncilFigures{AgreementID: ccs[0].CouncilAgreementID, Clauses: len(ccs)}
}

// councilSummary adds the school's open pupil council to its overview: its size, where its
// agreement stands, and, once it has published one, the school's count of council agreements.
func (s *Service) councilSummary(tx Tx, out *SchoolAdoption) error {
	council, err := tx.CouncilOf(out.SchoolID)
	if errors.Is(err, ErrNotFound) || (err == nil && council.ArchivedAt != nil) {
		return nil
	} else if err != nil {
		return err
	}
	ms, err := tx.Members(council.ID)
	if err != nil {
		return err
	}
	pupils := len(filter(ms, func(m Member) bool { return m.Role == RolePupil }))
	sum := &CouncilSummary{Name: council.Name, Pupils: countOf(pupils, pupils)}
	as, err := tx.Agreements(council.ID)
	if err != nil {
		return err
	}
	if latest := newest(as, KindPupils); latest != nil {
		sum.Status = latest.Status
	}
	if a := inForce(as); a != nil {
		clauses, err := tx.Clauses(a.ID)
		if err != nil {
			return err
		}
		sum.AgreementID, sum.PublishedAt, sum.Clauses = a.ID, a.PublishedAt, len(adoptedOnly(clauses))
		out.Totals.CouncilAgreements = 1
	}
	out.Council = sum
	return nil
}
