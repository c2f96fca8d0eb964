package agreements

import (
	"strings"
	"time"
)

// Role is what a member may do in a class.
type Role string

// The roles. A facilitator leads the class (teacher or contact parent); parents belong to a
// household; pupils join with a nickname only.
const (
	RoleFacilitator Role = "facilitator"
	RoleParent      Role = "parent"
	RolePupil       Role = "pupil"
)

// Household is the family of one child in the class: one vote, one signature.
type Household struct {
	ID        string    `json:"id"`
	ClassID   string    `json:"class_id"`
	ChildName string    `json:"child_name"`
	CreatedAt time.Time `json:"created_at"`
}

// Member is a person in a class. Parents have a household; pupils and facilitators may not.
type Member struct {
	ID          string    `json:"id"`
	ClassID     string    `json:"class_id"`
	Name        string    `json:"name"`
	Role        Role      `json:"role"`
	HouseholdID string    `json:"household_id,omitempty"`
	FromClassID string    `json:"from_class_id,omitempty"` // a pupil council member's own class
	Color       string    `json:"color"`
	CreatedAt   time.Time `json:"created_at"`
}

// ChildKey is how two parents naming the same child end up in one household: case, spacing and
// surrounding punctuation do not matter.
func ChildKey(name string) string {
	name = strings.ToLower(oneLine(name))
	return strings.Trim(name, ".,;:!?-'\"")
}

// palette holds presence colours with enough contrast on white for text and carets.
var palette = []string{
	"#b3261e", "#1d5fa8", "#2e7d32", "#8e24aa", "#c2410c", "#00796b",
	"#5d4037", "#ad1457", "#3949ab", "#6d7d00", "#0277bd", "#7b1fa2",
}

// ColorFor picks a member's presence colour from their ID, so it is stable without storage.
func ColorFor(id string) string {
	var h uint32 = 2166136261
	for i := 0; i < len(id); i++ {
		h = (h ^ uint32(id[i])) * 16777619
	}
	return palette[h%uint32(len(palette))]
}
