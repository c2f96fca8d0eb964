package agreements

import (
	"slices"
	"time"
)

// CheckinAnswer is a household's answer to "Is the agreement kept in our class?".
type CheckinAnswer string

// The answers to a check-in.
const (
	CheckinKept    CheckinAnswer = "kept"
	CheckinPartly  CheckinAnswer = "partly"
	CheckinNotKept CheckinAnswer = "not_kept"
)

// Valid reports whether a is one of the answers.
func (a CheckinAnswer) Valid() bool {
	return a == CheckinKept || a == CheckinPartly || a == CheckinNotKept
}

// MinCheckinAnswers is how many households must answer before anyone sees the answers: with
// fewer, a family's answer could be guessed.
const MinCheckinAnswers = 5

// CheckinDelay is how long after publishing the class is first asked.
const CheckinDelay = 3 * 30 * 24 * time.Hour

// Checkin is one round of asking.
type Checkin struct {
	ID       string    `json:"id"`
	OpenedAt time.Time `json:"opened_at"`
}

// CheckinReply is one household's answer.
type CheckinReply struct {
	Answer  CheckinAnswer `json:"answer"`
	Comment string        `json:"comment,omitempty"`
}

// CheckinResults are a check-in's answers in aggregate, shown only from MinCheckinAnswers on.
type CheckinResults struct {
	Checkin  *Checkin      `json:"checkin"`
	Answers  int           `json:"answers"`
	Shown    bool          `json:"shown"`
	Kept     int           `json:"kept"`
	Partly   int           `json:"partly"`
	NotKept  int           `json:"not_kept"`
	Comments []string      `json:"comments"`
	Mine     *CheckinReply `json:"mine,omitempty"` // the asking household's own answer
}

// Summarize aggregates replies, hiding them below the minimum.
func Summarize(c *Checkin, replies []CheckinReply) CheckinResults {
	r := CheckinResults{Checkin: c, Answers: len(replies), Comments: []string{}}
	if len(replies) < MinCheckinAnswers {
		return r
	}
	r.Shown = true
	for _, x := range replies {
		switch x.Answer {
		case CheckinKept:
			r.Kept++
		case CheckinPartly:
			r.Partly++
		case CheckinNotKept:
			r.NotKept++
		}
		if x.Comment != "" {
			r.Comments = append(r.Comments, x.Comment)
		}
	}
	slices.Sort(r.Comments) // not in the order given, which could tell who wrote what
	return r
}
