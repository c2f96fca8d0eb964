package agreements

import (
	"net/url"
	"strings"
	"time"
)

// School is a school registered by its leader or board. Its organiser code lets teachers and
// contact parents create classes inside it; its help texts end every agreement of its classes.
type School struct {
	ID             string     `json:"id"`
	Name           string     `json:"name"`
	Municipality   string     `json:"municipality"`
	OrganiserCode  string     `json:"organiser_code,omitempty"`
	Help           SchoolHelp `json:"help"`
	MunicipalityID string     `json:"municipality_id,omitempty"`
	CreatedAt      time.Time  `json:"created_at"`
}

// SchoolHelp is what a school adds to the help block: whom to contact, its anti-bullying or
// action plan, and its own local help lines.
type SchoolHelp struct {
	Contact       string `json:"contact"`
	ActionPlanURL string `json:"action_plan_url"`
	Lines         string `json:"lines"`
}

// IsZero reports whether the school has set no help at all.
func (h SchoolHelp) IsZero() bool { return h == SchoolHelp{} }

// Validate trims the texts and checks their lengths and that the plan link is an http(s) URL.
func (h *SchoolHelp) Validate() error {
	h.Contact = strings.TrimSpace(h.Contact)
	h.Lines = strings.TrimSpace(h.Lines)
	h.ActionPlanURL = strings.TrimSpace(h.ActionPlanURL)
	if len([]rune(h.Contact)) > MaxHelpLen || len([]rune(h.Lines)) > MaxHelpLen {
		return ErrHelpTooLong
	}
	if h.ActionPlanURL == "" {
		return nil
	}
	u, err := url.Parse(h.ActionPlanURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return ErrURLInvalid
	}
	return nil
}
