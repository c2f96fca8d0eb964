package agreements

import (
	"sort"
	"time"
)

// LoggedOp is an entry of a clause's log with the time it was committed.
type LoggedOp struct {
	OpRecord
	At time.Time
}

// MemberRef names who made a change as the others see them: ID, name (a pupil's nickname) and
// colour. Name is "" for someone who is no longer in the class.
type MemberRef struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Color string `json:"color"`
}

// Author is someone who changed a clause: how many revisions they made, and the last of them
// and when it was made.
type Author struct {
	Member  MemberRef `json:"member"`
	Changes int       `json:"changes"`
	LastRev int       `json:"last_rev"`
	LastAt  time.Time `json:"last_at"`
}

// HistoryEntry is a run of changes one person made to a clause without a long pause: the
// revisions after FromRev up to Rev.
type HistoryEntry struct {
	FromRev int       `json:"from_rev"`
	Rev     int       `json:"rev"`
	Member  MemberRef `json:"member"`
	At      time.Time `json:"at"`   // when the run's last change was committed
	Text    bool      `json:"text"` // the run changed the text, not only the heading or the choice
}

// ClauseHistory is who changed a clause and when, read from its log while the log is kept.
type ClauseHistory struct {
	ClauseID string         `json:"clause_id"`
	Rev      int            `json:"rev"`
	Kept     bool           `json:"kept"`  // the log is kept: until the agreement is published
	Texts    bool           `json:"texts"` // the earlier texts can be shown and restored
	Authors  []Author       `json:"authors"`
	Entries  []HistoryEntry `json:"entries"` // newest first
	More     bool           `json:"more"`    // older entries were left out
}

// ClauseVersion is a clause's text at one of its revisions.
type ClauseVersion struct {
	ClauseID string     `json:"clause_id"`
	Rev      int        `json:"rev"`
	Body     string     `json:"body"`
	Member   *MemberRef `json:"member,omitempty"` // who made this revision; none for revision 0
	At       *time.Time `json:"at,omitempty"`
}

// MaxHistoryEntries bounds the entries a history read returns: the newest.
const MaxHistoryEntries = 200

// historyPause is how long someone may stop typing and still be in the same entry.
const historyPause = 5 * time.Minute

// entriesOf groups a log into runs of one person's changes, newest first.
func entriesOf(log []LoggedOp, who func(string) MemberRef) ([]HistoryEntry, bool) {
	var out []HistoryEntry
	for _, r := range log {
		text := !r.Op.IsNoop()
		if n := len(out); n > 0 && out[n-1].Member.ID == r.MemberID && r.At.Sub(out[n-1].At) <= historyPause {
			out[n-1].Rev, out[n-1].At, out[n-1].Text = r.Rev, r.At, out[n-1].Text || text
			continue
		}
		out = append(out, HistoryEntry{FromRev: r.Rev - 1, Rev: r.Rev, Member: who(r.MemberID), At: r.At, Text: text})
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	if len(out) > MaxHistoryEntries {
		return out[:MaxHistoryEntries], true
	}
	if out == nil {
		out = []HistoryEntry{}
	}
	return out, false
}

// authorsOf counts each person's changes in a log, the most recent author first.
func authorsOf(log []LoggedOp, who func(string) MemberRef) []Author {
	by := map[string]*Author{}
	for _, r := range log {
		a := by[r.MemberID]
		if a == nil {
			a = &Author{Member: who(r.MemberID)}
			by[r.MemberID] = a
		}
		a.Changes++
		a.LastRev, a.LastAt = r.Rev, r.At // the log is in revision order

	}
	return sortAuthors(by)
}

func sortAuthors(by map[string]*Author) []Author {
	out := make([]Author, 0, len(by))
	for _, a := range by {
		out = append(out, *a)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].LastRev > out[j].LastRev })
	return out
}

// memberRefs returns a lookup of the class's members as authors; someone who has left is known
// by their ID and colour only.
func memberRefs(members []Member) func(string) MemberRef {
	by := make(map[string]MemberRef, len(members))
	for _, m := range members {
		by[m.ID] = MemberRef{ID: m.ID, Name: m.Name, Color: m.Color}
	}
	return func(id string) MemberRef {
		if r, ok := by[id]; ok {
			return r
		}
		return MemberRef{ID: id, Color: ColorFor(id)}
	}
}
