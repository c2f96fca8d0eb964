package agreements

import "time"

// ClassKind says what a space is: a school class, or the school's pupil council.
type ClassKind string

// The kinds of space. A pupil council (elevråd) is a space of its school like a class: its
// pupils join with its pupil code and a nickname, and say which class they come from; one or
// two adults lead it; it drafts, votes on and publishes a pupils' agreement for the whole
// school, which every class can then start its own pupils' agreement from.
const (
	ClassKindClass   ClassKind = ""
	ClassKindCouncil ClassKind = "council"
)

// IsCouncil reports whether the space is a school's pupil council.
func (c *Class) IsCouncil() bool { return c.Kind == ClassKindCouncil }

// MaxCouncilFacilitators is how many adults may lead a pupil council at once.
const MaxCouncilFacilitators = 2

// NewCouncil is what a school's admin fills in to create its pupil council.
type NewCouncil struct {
	Name string `json:"name"`
}

// CouncilText is a clause as the school's pupil council wrote it, kept beside a class's copy of
// it so that the class sees what it changed. Changed says the class's copy differs from it.
type CouncilText struct {
	ClauseID string `json:"clause_id"` // the council's clause
	Title    string `json:"title"`
	Body     string `json:"body"`
	Value    string `json:"value,omitempty"`
	Changed  bool   `json:"changed"`
}

// compareWithCouncil marks whether the class changed a clause it copied from its pupil council:
// its title, its text or its parameter's value.
func (c *Clause) compareWithCouncil() {
	if o := c.Council; o != nil {
		o.Changed = c.Title != o.Title || c.Body != o.Body || c.Value() != o.Value
	}
}

// CouncilClause is one clause of the council's agreement that a class's agreement started from,
// in the council's order, and the class's copy of it (ClauseID "" once the class dropped it).
type CouncilClause struct {
	AgreementID        string // the class's agreement
	Position           int
	ClauseID           string // the class's copy
	CouncilAgreementID string
	Text               CouncilText
}

// CouncilView is the school's pupil council as the school's admin manages it: the space with its
// pupil code, the adults who lead it, and how many pupils have joined.
type CouncilView struct {
	Council      *Class   `json:"council"`
	Facilitators []Member `json:"facilitators"`
	Pupils       int      `json:"pupils"`
}

// CouncilOffer is the pupil council's published agreement as a class of the school sees it: to
// read, and for the class's facilitator to start the class's own pupils' agreement from.
type CouncilOffer struct {
	Council   string     `json:"council"`               // the council's name
	Agreement *Agreement `json:"agreement"`             // with the clauses its vote adopted
	TakenUpBy string     `json:"taken_up_by,omitempty"` // the class's agreement started from it
}

// NewFromCouncil is what a class's facilitator may add when starting from the council's
// agreement: a title of the class's own (the council's title when empty).
type NewFromCouncil struct {
	Title string `json:"title"`
}

// CodeInfo is what a join code opens: the space (without its codes), the role it gives, and for
// a pupil council the school's classes, from which a joining pupil names their own.
type CodeInfo struct {
	Class   *Class        `json:"class"`
	Role    Role          `json:"role"`
	Classes []ClassChoice `json:"classes,omitempty"`
}

// ClassChoice is a class a pupil council member can say they come from.
type ClassChoice struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Grade int    `json:"grade"`
}

// CouncilFigures say, in the school overview, what became of the pupil council's clauses in a
// class's pupils' agreement: kept as the council wrote them, changed, or dropped, and how many
// clauses the class added. In a decided or published agreement only the clauses its vote
// adopted count as kept or changed. For a class of fewer than MinGroup pupils the figures are
// not shown (Shown false, all 0): a few pupils' votes could be told from them.
type CouncilFigures struct {
	AgreementID string `json:"council_agreement_id"`
	Clauses     int    `json:"council_clauses"` // the council's clauses the class started from
	Shown       bool   `json:"shown"`
	Kept        int    `json:"kept"`
	Changed     int    `json:"changed"`
	Dropped     int    `json:"dropped"`
	Added       int    `json:"added"`
}

// CouncilSummary is the school's pupil council in the school overview. Pupils is masked below
// MinGroup, like a class's households.
type CouncilSummary struct {
	Name        string     `json:"name"`
	Pupils      Count      `json:"pupils"`
	Status      Status     `json:"status,omitempty"`       // of its newest agreement; omitted when it has none
	AgreementID string     `json:"agreement_id,omitempty"` // its published agreement in force
	PublishedAt *time.Time `json:"published_at,omitempty"`
	Clauses     int        `json:"clauses"` // in the agreement in force
}
