package agreements

import "time"

// BoardLink is a read-only way into a school's overview for one board member, revocable by the
// school's admin. Label says whose it is ("Formand", "Forældrerepræsentant") — no e-mail.
type BoardLink struct {
	ID        string     `json:"id"`
	SchoolID  string     `json:"school_id"`
	Label     string     `json:"label"`
	CreatedAt time.Time  `json:"created_at"`
	RevokedAt *time.Time `json:"revoked_at,omitempty"`
}

// Municipality is a kommune that follows the adoption across the schools that opt in with its
// join code.
type Municipality struct {
	ID        string    `json:"id"`
	Name      string    `json:"name"`
	JoinCode  string    `json:"join_code,omitempty"`
	CreatedAt time.Time `json:"created_at"`
}

// DefaultRetention is how long an archived class's data is kept before it is deleted.
const DefaultRetention = 30 * 24 * time.Hour
