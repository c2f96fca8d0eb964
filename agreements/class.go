package agreements

import (
	"time"
	"unicode/utf8"
)

// Class is one school class. Parents join with ParentCode, pupils with PupilCode; the codes are
// shown only to those who may invite with them.
type Class struct {
	ID                string     `json:"id"`
	Name              string     `json:"name"`
	Grade             int        `json:"grade"`
	SchoolID          string     `json:"school_id,omitempty"`
	Kind              ClassKind  `json:"kind,omitempty"` // "council" for a school's pupil council
	ParentCode        string     `json:"parent_code,omitempty"`
	PupilCode         string     `json:"pupil_code,omitempty"`
	ActivationPercent int        `json:"activation_percent"`
	CreatedAt         time.Time  `json:"created_at"`
	ArchivedAt        *time.Time `json:"archived_at,omitempty"`
	// LastActiveAt is the last time a member wrote anything in the class, recorded at most
	// once a day; InactiveMonths after it the class is deleted.
	LastActiveAt time.Time `json:"last_active_at"`
	// DeletionDue is when that will be, unless someone uses the class before: set for its
	// members (GET /classes/{id}).
	DeletionDue *time.Time `json:"deletion_due_at,omitempty"`
}

// DefaultActivationPercent is the share of households whose signatures make an agreement active.
const DefaultActivationPercent = 75

// GradeBand is the Danish folkeskole stage a grade belongs to.
func GradeBand(grade int) string {
	switch {
	case grade <= 3:
		return "indskoling"
	case grade <= 6:
		return "mellemtrin"
	default:
		return "udskoling"
	}
}

// cleanName makes a name typed by a person one clean line (see oneLine) and checks its length.
func cleanName(s string, missing *Error) (string, error) {
	s = oneLine(s)
	if s == "" {
		return "", missing
	}
	if utf8.RuneCountInString(s) > MaxNameLen {
		return "", ErrNameTooLong
	}
	return s, nil
}

// NewClass is what a facilitator fills in to create a class space.
type NewClass struct {
	Name            string `json:"name"`
	Grade           int    `json:"grade"`
	OrganiserCode   string `json:"organiser_code,omitempty"`
	FacilitatorName string `json:"facilitator_name,omitempty"`
	Household       string `json:"household,omitempty"` // the facilitator's own child in the class, if any
}

// Validate cleans the input and checks it.
func (n *NewClass) Validate() error {
	var err error
	if n.Name, err = cleanName(n.Name, ErrNameRequired); err != nil {
		return err
	}
	if n.Grade < 0 || n.Grade > MaxGrade {
		return ErrGradeInvalid
	}
	if n.FacilitatorName == "" {
		n.FacilitatorName = "Facilitator"
	}
	n.FacilitatorName, err = cleanName(n.FacilitatorName, ErrNameRequired)
	return err
}
