package agreements

import (
	"encoding/json"
	"strconv"
	"time"
)

// MinGroup is the smallest group whose numbers are shown exactly: below it a family's choice
// could be told from the figures.
const MinGroup = 5

// Count is a number about families that is shown exactly only for groups of at least MinGroup
// households; otherwise it reads "< 5" — in JSON, CSV and HTML alike.
type Count struct {
	N      int
	Masked bool
}

// countOf masks n when the group it is about has fewer than MinGroup households.
func countOf(n, group int) Count { return Count{N: n, Masked: group < MinGroup} }

func (c Count) String() string {
	if c.Masked {
		return "< " + strconv.Itoa(MinGroup)
	}
	return strconv.Itoa(c.N)
}

// MarshalJSON writes the number, or the string "< 5" when masked.
func (c Count) MarshalJSON() ([]byte, error) {
	if c.Masked {
		return json.Marshal(c.String())
	}
	return json.Marshal(c.N)
}

// Flag is a yes-or-no about families that, like a Count, is shown only for groups of at least
// MinGroup: whether a small class's agreement is active would tell its few families' choice.
// In JSON it is true or false, or null when masked.
type Flag struct {
	On     bool
	Masked bool
}

// flagOf masks on when the group it is about has fewer than MinGroup members.
func flagOf(on bool, group int) Flag {
	if group < MinGroup {
		return Flag{Masked: true}
	}
	return Flag{On: on}
}

// MarshalJSON writes true or false, or null when masked.
func (f Flag) MarshalJSON() ([]byte, error) {
	if f.Masked {
		return []byte("null"), nil
	}
	return json.Marshal(f.On)
}

// KeyValues are the parameter choices a school board follows: when the first smartphone comes,
// from which age social media, and from when it is quiet in the evening.
var KeyValues = []struct{ Name, Clause string }{
	{"first_smartphone_age", "first-smartphone.age"},
	{"social_media", "social-media.age"},
	{"quiet_hours", "class-chat.quiet-hours"},
	{"quiet_hours", "chat-checklist.quiet-hours"},
	{"quiet_hours", "evenings.messages"},
}

// AgreementAdoption is where one class's agreement of one kind stands, in figures. Masked says
// that its electorate (the households, or the pupils of a pupils' agreement) is smaller than
// MinGroup: then Signed and Holding read "< 5", Active is null and Values is empty, for the
// chosen values and the activity of a few families are their own choices.
type AgreementAdoption struct {
	ID            string            `json:"id"`
	Status        Status            `json:"status"`
	Revision      int               `json:"revision"`
	PublishedAt   *time.Time        `json:"published_at,omitempty"`
	ReviewAt      *time.Time        `json:"review_at,omitempty"`
	ReviewOverdue bool              `json:"review_overdue"`
	Masked        bool              `json:"masked"`
	Signed        Count             `json:"signed"`
	Holding       Count             `json:"holding"`
	Active        Flag              `json:"active"`
	Values        map[string]string `json:"values"`
	Checkin       *CheckinFigures   `json:"checkin,omitempty"`
	Council       *CouncilFigures   `json:"council,omitempty"` // a pupils' agreement started from the pupil council's
}

// CheckinFigures are the latest check-in as the school sees it: how many households answered
// and, from MinCheckinAnswers answers on, how. Never the comments, which are the families' own
// words; fewer answers read "< 5".
type CheckinFigures struct {
	OpenedAt time.Time `json:"opened_at"`
	Answers  Count     `json:"answers"`
	Shown    bool      `json:"shown"`
	Kept     int       `json:"kept"`
	Partly   int       `json:"partly"`
	NotKept  int       `json:"not_kept"`
}

func checkinFigures(c *Checkin, r *CheckinResults) *CheckinFigures {
	return &CheckinFigures{OpenedAt: c.OpenedAt, Answers: Count{N: r.Answers, Masked: !r.Shown}, Shown: r.Shown,
		Kept: r.Kept, Partly: r.Partly, NotKept: r.NotKept}
}

// ClassAdoption is one class in the school overview.
type ClassAdoption struct {
	ClassID    string             `json:"class_id"`
	Name       string             `json:"name"`
	Grade      int                `json:"grade"`
	Households Count              `json:"households"`
	Parents    *AgreementAdoption `json:"parents,omitempty"`
	Pupils     *AgreementAdoption `json:"pupils,omitempty"`
}

// Adopted reports whether the class's parents have adopted an agreement.
func (c ClassAdoption) Adopted() bool {
	return c.Parents != nil && (c.Parents.Status == StatusAdopted || c.Parents.Status == StatusPublished)
}

// AdoptionTotals are a school's (or a municipality's) figures across classes.
type AdoptionTotals struct {
	Classes     int            `json:"classes"`
	Adopted     int            `json:"classes_adopted"`      // classes whose parents adopted an agreement
	Active      int            `json:"classes_active"`       // classes whose parents' agreement is active
	ActiveShare int            `json:"active_percent"`       // Active of Classes, in percent
	Families    Count          `json:"families_covered"`     // households in classes of MinGroup or more with an active agreement
	DebutAges   map[string]int `json:"first_smartphone_age"` // classes per chosen age
	Overdue     int            `json:"reviews_overdue"`
	// CouncilAgreements counts the schools whose pupil council has published an agreement;
	// FromCouncil the classes whose pupils' agreement started from their council's.
	CouncilAgreements int `json:"council_agreements"`
	FromCouncil       int `json:"classes_from_council"`
}

// add counts one class into the totals. A masked class is never active and has no values here
// (its agreement shows none), so its choices cannot be worked out from the totals either.
func (t *AdoptionTotals) add(c ClassAdoption) {
	t.Classes++
	if c.Adopted() {
		t.Adopted++
	}
	if c.Parents != nil && c.Parents.Active.On {
		t.Active++
		// Only classes shown exactly count toward the families: a small class's size would
		// otherwise follow from the total minus the others.
		if !c.Households.Masked {
			t.Families.N += c.Households.N
		}
	}
	if c.Parents != nil && c.Parents.ReviewOverdue {
		t.Overdue++
	}
	if c.Pupils != nil && c.Pupils.Council != nil {
		t.FromCouncil++
	}
	if c.Parents != nil && c.Parents.Status == StatusPublished {
		if age := c.Parents.Values["first_smartphone_age"]; age != "" {
			t.DebutAges[age]++
		}
	}
}

// merge adds another group's totals (a school's, into a municipality's).
func (t *AdoptionTotals) merge(o AdoptionTotals) {
	t.Classes += o.Classes
	t.Adopted += o.Adopted
	t.Active += o.Active
	t.Families.N += o.Families.N
	t.Overdue += o.Overdue
	t.CouncilAgreements += o.CouncilAgreements
	t.FromCouncil += o.FromCouncil
	for age, n := range o.DebutAges {
		t.DebutAges[age] += n
	}
}

func (t *AdoptionTotals) finish() {
	if t.Classes > 0 {
		t.ActiveShare = t.Active * 100 / t.Classes
	}
	t.Families = countOf(t.Families.N, t.Families.N)
}

func newTotals() AdoptionTotals { return AdoptionTotals{DebutAges: map[string]int{}} }

// SchoolAdoption is the school board's overview: its classes and its totals.
type SchoolAdoption struct {
	SchoolID     string          `json:"school_id"`
	SchoolName   string          `json:"school_name"`
	Municipality string          `json:"municipality"`
	Totals       AdoptionTotals  `json:"totals"`
	Classes      []ClassAdoption `json:"classes"`
	Council      *CouncilSummary `json:"council,omitempty"` // the school's pupil council, when it has an open one
	GeneratedAt  time.Time       `json:"generated_at"`
}

// MunicipalityAdoption is a municipality's roll-up: each opted-in school's totals, never a
// class's or a family's, and the totals across them.
type MunicipalityAdoption struct {
	MunicipalityID string              `json:"municipality_id"`
	Name           string              `json:"name"`
	Totals         AdoptionTotals      `json:"totals"`
	Schools        []SchoolAdoptionRow `json:"schools"`
	GeneratedAt    time.Time           `json:"generated_at"`
}

// SchoolAdoptionRow is one school in the municipality's roll-up.
type SchoolAdoptionRow struct {
	SchoolID string         `json:"school_id"`
	Name     string         `json:"name"`
	Totals   AdoptionTotals `json:"totals"`
}
