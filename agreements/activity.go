package agreements

import (
	"sync"
	"time"
)

// Stores: Classes.

// How long what is kept, as the privacy page tells it (it is rendered from these).
const (
	// InactiveMonths is how long a class is kept without activity: a class no member has
	// written anything in (an edit, a vote, a signature, a check-in answer, a join, a leave…)
	// for this many months is deleted, with a school or without.
	InactiveMonths = 18
	// DeletionNotice is how long before that the class page says when the class will go.
	DeletionNotice = 60 * 24 * time.Hour
	// EditLogRetention is how long the edit log of a clause (every change with who made it) is
	// kept after the clause's last change; publishing deletes it at once.
	EditLogRetention = 30 * 24 * time.Hour
)

// DeletionDue is when a class whose last activity was at last is deleted for inactivity.
func DeletionDue(last time.Time) time.Time { return last.AddDate(0, InactiveMonths, 0) }

// activity remembers which classes have had their activity recorded today, so that a class's
// last activity is written at most once a day and the keystroke path almost never writes it.
type activity struct {
	mu   sync.Mutex
	day  int             // the UTC day the set is for, as yyyymmdd
	seen map[string]bool // classes recorded that day
}

// due reports whether the class's activity is yet to be recorded today, and marks it recorded.
// It is marked before the transaction commits: should that fail, the day's activity of the
// class is recorded by its next write tomorrow — a day late at worst, against eighteen months.
func (a *activity) due(classID string, now time.Time) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	y, m, d := now.UTC().Date()
	if day := y*10000 + int(m)*100 + d; day != a.day {
		a.day, a.seen = day, map[string]bool{}
	}
	if a.seen[classID] {
		return false
	}
	a.seen[classID] = true
	return true
}

// active records, inside a write transaction, that a member wrote to the class now.
func (s *Service) active(tx Tx, classID string) error {
	now := s.clock()
	if !s.activity.due(classID, now) {
		return nil
	}
	return tx.TouchClass(classID, now)
}
