package agreements

// Limits that keep one class from filling the database or a phone's screen.
const (
	MaxNameLen  = 60    // display names, child names, class and school names (runes)
	MaxTitleLen = 200   // clause and agreement titles (runes)
	MaxBodyLen  = 20000 // clause body, in UTF-16 code units (the unit of text operations)
	MaxHelpLen  = 2000  // a school's help texts (runes)
	MaxClauses  = 60    // clauses in one agreement
	MaxMembers  = 400   // members of one class, facilitators included
	// MaxAgreements bounds the agreements of one class, revisions included: ten school years
	// of a parents' and a pupils' agreement, each revised once.
	MaxAgreements = 40
	MaxGrade      = 10 // 0. klasse to 10. klasse
)
