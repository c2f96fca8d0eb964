// Package demo fills a database of its own with a school to explore — a municipality, a pupil
// council with its published agreement, and five classes whose agreements stand at every stage —
// and gives the people it signs in new key links at every start. It is built through the
// domain's service, as the product's own pages build it, so it follows every rule they do.
// The browser tests use the same school where they need a rich one.
package demo

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"klasseaftale/agreements"
)

// DefaultDB is the demo's database file, never the product's own.
const DefaultDB = "klasseaftale-demo.db"

// ErrRealData refuses a database that holds data the demo did not make.
var ErrRealData = errors.New("the database holds schools or classes that the demo did not make; " +
	"the demo fills a database of its own: give it a new file (the default is " + DefaultDB + ")")

// The roles a link signs in.
const (
	RoleFacilitator  = "facilitator"
	RoleParent       = "parent"
	RoleSecondParent = "second parent"
	RoleVoter        = "voter"
	RolePupil        = "pupil"
	RoleSchoolAdmin  = "school admin"
	RoleMunicipality = "municipality"
)

// Link signs one of the demo's people in: Path is the key link's address on the server
// ("/k/<key>"), Who says who it is and where.
type Link struct {
	Role string `json:"role"`
	Who  string `json:"who"`
	Path string `json:"path"`
}

// School is the demo's school: the IDs of what it holds, and the links that sign its people in.
type School struct {
	MunicipalityID string `json:"municipality"`
	SchoolID       string `json:"school"`
	CouncilID      string `json:"council"`
	// The classes by the stage their agreement stands at, and that agreement.
	Draft, Voting, Published, Review, FromCouncil Stage
	CouncilAgreement                              string `json:"council_agreement"`
	// The people the links sign in.
	People map[string]Person `json:"people"`
	Links  []Link            `json:"-"`
}

// Stage is a class and its agreement at one stage.
type Stage struct {
	ClassID     string `json:"class"`
	ClassName   string `json:"class_name"`
	AgreementID string `json:"agreement"`
	Slug        string `json:"slug,omitempty"` // the published page's, when there is one
}

// Person is one of the people a link signs in; a member has a class.
type Person struct {
	ClassID  string `json:"class,omitempty"`
	MemberID string `json:"member,omitempty"`
	Who      string `json:"who"`
	// To join the class again should the member have left it: their name, their child's (a
	// parent's), and the class's facilitator, whose view gives the class's codes.
	Name          string `json:"name,omitempty"`
	Child         string `json:"child,omitempty"`
	FacilitatorID string `json:"facilitator,omitempty"`
}

// roles lists the roles in the order the links are printed.
var roles = []string{RoleFacilitator, RoleParent, RoleSecondParent, RoleVoter, RolePupil, RoleSchoolAdmin, RoleMunicipality}

const markWorld = "world"

// Start makes sure the store holds the demo's school — filling it on the first start, keeping
// it on the next — and gives each of its people a new key (the old ones stop working). A store
// with data the demo did not make is refused with ErrRealData and left as it is.
func Start(ctx context.Context, store agreements.Store, lib agreements.Library) (*School, error) {
	svc := agreements.NewService(store, lib, nil)
	marks, holds, err := svc.DemoMarks(ctx)
	if err != nil {
		return nil, err
	}
	var w *School
	switch {
	case marks[markWorld] != "":
		w = &School{}
		if err := json.Unmarshal([]byte(marks[markWorld]), w); err != nil {
			return nil, fmt.Errorf("the demo's marks: %w", err)
		}
	case holds:
		return nil, ErrRealData
	default:
		if w, err = seed(ctx, svc); err != nil {
			return nil, fmt.Errorf("filling the demo: %w", err)
		}
		b, _ := json.Marshal(w)
		if err := svc.MarkDemo(ctx, map[string]string{markWorld: string(b)}); err != nil {
			return nil, err
		}
	}
	rejoined, err := w.reissue(ctx, svc)
	if err != nil || !rejoined {
		return w, err
	}
	b, _ := json.Marshal(w)
	return w, svc.MarkDemo(ctx, map[string]string{markWorld: string(b)})
}

// reissue gives each person a new key and makes the links. A member who has left their class
// since (the demo is there to be tried) joins it again; rejoined says so.
func (w *School) reissue(ctx context.Context, svc *agreements.Service) (rejoined bool, err error) {
	w.Links = w.Links[:0]
	for _, role := range roles {
		p, ok := w.People[role]
		if !ok {
			continue // a role added since this demo was filled
		}
		var key string
		var err error
		switch role {
		case RoleSchoolAdmin:
			key, err = svc.ReissueSchoolKey(ctx, w.SchoolID)
		case RoleMunicipality:
			key, err = svc.ReissueMunicipalityKey(ctx, w.MunicipalityID)
		default:
			key, err = svc.ReissueMemberKey(ctx, p.ClassID, p.MemberID)
			if errors.Is(err, agreements.ErrNotFound) && p.FacilitatorID != "" {
				if key, err = w.rejoin(ctx, svc, role); err == nil {
					rejoined = true
				}
			}
		}
		if err != nil {
			return false, fmt.Errorf("a new key for the %s: %w", role, err)
		}
		w.Links = append(w.Links, Link{Role: role, Who: p.Who, Path: "/k/" + key})
	}
	return rejoined, nil
}

// rejoin has the role's person join their class again, with its current code, and returns their key.
func (w *School) rejoin(ctx context.Context, svc *agreements.Service, role string) (string, error) {
	p := w.People[role]
	fkey, err := svc.ReissueMemberKey(ctx, p.ClassID, p.FacilitatorID)
	if err != nil {
		return "", err
	}
	fac, err := svc.Authenticate(ctx, fkey)
	if err != nil {
		return "", err
	}
	v, err := svc.Class(ctx, fac, p.ClassID)
	if err != nil {
		return "", err
	}
	code := v.Class.PupilCode
	if p.Child != "" {
		code = v.Class.ParentCode
	}
	j, err := svc.Join(ctx, agreements.JoinRequest{Code: code, Name: p.Name, Household: p.Child, HouseholdChoice: agreements.HouseholdSame})
	if err != nil {
		return "", err
	}
	p.MemberID = j.Member.ID
	w.People[role] = p
	return j.Token, nil
}

// Link returns the link of the role.
func (w *School) Link(role string) Link {
	for _, l := range w.Links {
		if l.Role == role {
			return l
		}
	}
	return Link{}
}

// clock is the seed's time: now, or a moment in the past for what happened long ago.
type clock struct{ back time.Duration }

func (c *clock) now() time.Time { return time.Now().Add(-c.back) }
