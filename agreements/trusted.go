package agreements

import "unicode/utf8"

// TrustedAdult is a grown-up at the school whom a child can turn to when something online
// hurts: a name, a role and where to find them ("Hanne", "AKT-lærer", "lokale 12"). The school's
// admin enters them; every pupil view of the school's classes shows them in the help panel.
type TrustedAdult struct {
	Name  string `json:"name"`
	Role  string `json:"role"`
	Where string `json:"where"`
}

// Limits of the trusted adults: a short list a child can take in, each line short enough for a
// phone's screen.
const (
	MaxTrustedAdults = 12
	MaxAdultTextLen  = 100 // a role or a place (runes)
)

// ContactsOfSchool is what a school adds to the help a child or a parent sees: its name, its
// trusted adults, whom to contact and its action plan. Empty for a class without a school.
type ContactsOfSchool struct {
	SchoolName    string         `json:"school_name"`
	Adults        []TrustedAdult `json:"trusted_adults"`
	Contact       string         `json:"contact"`
	ActionPlanURL string         `json:"action_plan_url"`
}

// cleanAdults cleans a list as a form sends it: each text on one line, without control or
// direction characters; rows left entirely empty are dropped. A row needs a name, and the list
// and its texts are capped.
func cleanAdults(in []TrustedAdult) ([]TrustedAdult, error) {
	out := []TrustedAdult{}
	for _, a := range in {
		a = TrustedAdult{Name: oneLine(a.Name), Role: oneLine(a.Role), Where: oneLine(a.Where)}
		if a == (TrustedAdult{}) {
			continue
		}
		if a.Name == "" {
			return nil, ErrNameRequired
		}
		if utf8.RuneCountInString(a.Name) > MaxNameLen {
			return nil, ErrNameTooLong
		}
		if utf8.RuneCountInString(a.Role) > MaxAdultTextLen || utf8.RuneCountInString(a.Where) > MaxAdultTextLen {
			return nil, ErrAdultTooLong
		}
		out = append(out, a)
	}
	if len(out) > MaxTrustedAdults {
		return nil, ErrAdultsTooMany.With("Max", MaxTrustedAdults)
	}
	return out, nil
}
