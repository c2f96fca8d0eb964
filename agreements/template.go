package agreements

// Template is a topic from the library, such as "the first smartphone", with the clauses it
// proposes, in one language.
type Template struct {
	Key     string           `json:"key"`
	Kind    AgreementKind    `json:"kind"`
	Title   string           `json:"title"`
	Summary string           `json:"summary"`
	Clauses []TemplateClause `json:"clauses"`
}

// TemplateClause is a clause as the library proposes it. Grades is the band it suits (from, to).
type TemplateClause struct {
	Key       string    `json:"key"`
	Grades    [2]int    `json:"grades"`
	Title     string    `json:"title"`
	Body      string    `json:"body"`
	Parameter *ParamDef `json:"parameter,omitempty"`
}

// ParamDef defines a clause's parameter. A choice lists its options from the most to the least
// protective; numbers and times are listed in ascending order, and Protective says which end
// protects the children more ("high" or "low"). Ties in a vote go the protective way.
type ParamDef struct {
	Kind       ParamKind `json:"kind"`
	Label      string    `json:"label"`
	Options    []Option  `json:"options"`
	Default    string    `json:"default"`
	Protective string    `json:"protective,omitempty"`
}

// Suits reports whether the clause is meant for the grade.
func (c TemplateClause) Suits(grade int) bool { return grade >= c.Grades[0] && grade <= c.Grades[1] }

// Suits reports whether any of the template's clauses is meant for the grade.
func (t Template) Suits(grade int) bool {
	for _, c := range t.Clauses {
		if c.Suits(grade) {
			return true
		}
	}
	return false
}

// Library is the template library, in every language it has.
type Library interface {
	// Langs lists the languages, the source language first.
	Langs() []string
	// Templates lists the templates of a kind, in the library's order.
	Templates(kind AgreementKind, lang string) []Template
	// Template returns one template.
	Template(key, lang string) (Template, bool)
	// Clause returns one template clause by its key.
	Clause(key, lang string) (TemplateClause, bool)
	// Help returns the help block for agreements of a kind.
	Help(kind AgreementKind, lang string) HelpBlock
}

// HelpBlock is "if something goes wrong": the help every agreement ends with. Pupils get it in
// words for children.
type HelpBlock struct {
	Title string     `json:"title"`
	Items []HelpItem `json:"items"`
}

// HelpItem is one place to turn to, such as BørneTelefonen.
type HelpItem struct {
	Title string `json:"title"`
	Text  string `json:"text"`
}
