package agreements

import "context"

// Stores: Schools.

// NewSchool is what a school leader or board fills in to register the school.
type NewSchool struct {
	Name         string `json:"name"`
	Municipality string `json:"municipality"`
}

// RegisterSchool creates a school and returns it with the admin's token (shown once).
func (s *Service) RegisterSchool(ctx context.Context, in NewSchool) (*School, string, error) {
	name, err := cleanName(in.Name, ErrNameRequired)
	if err != nil {
		return nil, "", err
	}
	muni := ""
	if in.Municipality != "" {
		if muni, err = cleanName(in.Municipality, ErrNameRequired); err != nil {
			return nil, "", err
		}
	}
	school := &School{ID: NewID(), Name: name, Municipality: muni, CreatedAt: s.clock()}
	token := NewToken()
	err = s.update(ctx, func(tx Tx) error {
		school.OrganiserCode = uniqueCode(func(c string) bool {
			_, err := tx.SchoolByOrganiserCode(c)
			return err == nil
		})
		return tx.InsertSchool(school, HashToken(token))
	})
	if err != nil {
		return nil, "", err
	}
	return school, token, nil
}

// School returns a school to its admin.
func (s *Service) School(ctx context.Context, actor Actor, id string) (*School, error) {
	if !actor.IsSchoolAdmin(id) {
		return nil, ErrForbidden
	}
	var school *School
	err := s.view(ctx, func(tx Tx) (err error) {
		school, err = tx.School(id)
		return err
	})
	return school, err
}

// SetSchoolHelp sets the school's contact, action plan and help lines.
func (s *Service) SetSchoolHelp(ctx context.Context, actor Actor, id string, help SchoolHelp) (*School, error) {
	if !actor.IsSchoolAdmin(id) {
		return nil, ErrForbidden
	}
	if err := help.Validate(); err != nil {
		return nil, err
	}
	var school *School
	err := s.update(ctx, func(tx Tx) (err error) {
		if err = tx.UpdateSchoolHelp(id, help); err != nil {
			return err
		}
		school, err = tx.School(id)
		return err
	})
	return school, err
}
