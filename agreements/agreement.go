package agreements

import "time"

// AgreementKind says whose agreement it is: the parents' or the pupils'.
type AgreementKind string

// The kinds of agreement.
const (
	KindParents AgreementKind = "parents"
	KindPupils  AgreementKind = "pupils"
)

// Valid reports whether k is a known kind.
func (k AgreementKind) Valid() bool { return k == KindParents || k == KindPupils }

// Status is where an agreement is in its lifecycle.
type Status string

// The lifecycle: draft → voting → adopted or rejected → published.
const (
	StatusDraft     Status = "draft"
	StatusVoting    Status = "voting"
	StatusAdopted   Status = "adopted"
	StatusRejected  Status = "rejected"
	StatusPublished Status = "published"
)

// Agreement is one class's agreement of one kind, in one revision.
type Agreement struct {
	ID          string        `json:"id"`
	ClassID     string        `json:"class_id"`
	Kind        AgreementKind `json:"kind"`
	Title       string        `json:"title"`
	Status      Status        `json:"status"`
	Lang        string        `json:"lang"`
	Revision    int           `json:"revision"`
	Slug        string        `json:"slug,omitempty"`
	PublishedAt *time.Time    `json:"published_at,omitempty"`
	Vote        *VoteRules    `json:"vote,omitempty"`       // set while voting and after
	DecidedAt   *time.Time    `json:"decided_at,omitempty"` // when the vote closed
	ReviewAt    *time.Time    `json:"review_at,omitempty"`  // when the class looks at it again
	PreviousID  string        `json:"previous_id,omitempty"`
	FromCouncil string        `json:"council_agreement_id,omitempty"` // the pupil council's agreement it started from
	CreatedAt   time.Time     `json:"created_at"`
	Clauses     []Clause      `json:"clauses,omitzero"`
}

// Clause returns the clause with the given ID, or nil.
func (a *Agreement) Clause(id string) *Clause {
	for i := range a.Clauses {
		if a.Clauses[i].ID == id {
			return &a.Clauses[i]
		}
	}
	return nil
}

// ReviewDue reports whether the agreement's review date has come.
func (a *Agreement) ReviewDue(now time.Time) bool {
	return a.Status == StatusPublished && a.ReviewAt != nil && !now.Before(*a.ReviewAt)
}

// NextAugustFirst is the default review date: the start of the next school year after t.
func NextAugustFirst(t time.Time) time.Time {
	aug := time.Date(t.Year(), time.August, 1, 0, 0, 0, 0, time.UTC)
	if !t.Before(aug) {
		aug = aug.AddDate(1, 0, 0)
	}
	return aug
}

// Editable reports whether the text may still change.
func (a *Agreement) Editable() bool { return a.Status == StatusDraft }

// CanEdit reports whether the actor may change the agreement's text: its facilitator, and the
// members of the kind it is for, while it is a draft.
func (a *Agreement) CanEdit(actor Actor) bool {
	return actor.CanSee(a.ClassID, a.Kind)
}

// Clause is one point of an agreement. Key names the template clause it came from ("" for a
// clause the class wrote); Rev counts every change to the clause.
type Clause struct {
	ID          string       `json:"id"`
	AgreementID string       `json:"-"`
	Key         string       `json:"key"`
	Title       string       `json:"title"`
	Body        string       `json:"body"`
	Rev         int          `json:"rev"`
	Position    int          `json:"-"`
	Changed     bool         `json:"changed,omitempty"`     // edited since it came from its template
	Adopted     *bool        `json:"adopted,omitempty"`     // the vote's decision; nil before it
	Locked      bool         `json:"locked,omitempty"`      // read-only for all but the facilitator
	Translation *Translation `json:"translation,omitempty"` // the template's text in the reader's language
	Council     *CouncilText `json:"council,omitempty"`     // the pupil council's text it was copied from
	Parameter   *Parameter   `json:"parameter,omitempty"`
}

// Value is the clause's parameter value, "" when it has none.
func (c *Clause) Value() string {
	if c.Parameter == nil {
		return ""
	}
	return c.Parameter.Value
}

// Translation is a template clause's text in another language than the agreement's, to read
// next to it: the class decides in one language, every family reads in its own.
type Translation struct {
	Lang  string `json:"lang"`
	Title string `json:"title"`
	Body  string `json:"body"`
	Label string `json:"label,omitempty"` // the parameter's question
	Value string `json:"value,omitempty"` // the chosen option's label
}

// Parameter is a value the class chooses for a clause, such as the age of the first smartphone.
type Parameter struct {
	Kind       ParamKind `json:"kind"`
	Label      string    `json:"label"`
	Options    []Option  `json:"options"`
	Value      string    `json:"value"`
	Protective string    `json:"protective,omitempty"` // "high" or "low" for numbers and times
	Opened     string    `json:"-"`                    // the value shown when the vote opened: what a "Ja" said yes to
}

// ParamKind says how a parameter's options relate: a choice is unordered; numbers and times are
// ordered, so a vote on them takes the median.
type ParamKind string

// The parameter kinds.
const (
	ParamChoice ParamKind = "choice"
	ParamNumber ParamKind = "number"
	ParamTime   ParamKind = "time"
)

// Option is one value a parameter can take, with its label in the agreement's language.
type Option struct {
	Value string `json:"value"`
	Label string `json:"label"`
}

// Has reports whether v is one of the parameter's option values.
func (p *Parameter) Has(v string) bool {
	for _, o := range p.Options {
		if o.Value == v {
			return true
		}
	}
	return false
}

// LabelOf returns the label of option v, or v itself.
func (p *Parameter) LabelOf(v string) string {
	for _, o := range p.Options {
		if o.Value == v {
			return o.Label
		}
	}
	return v
}
