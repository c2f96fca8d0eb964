package agreements

// Actor is who a token belongs to: a member of a class, or the admin of a school.
type Actor struct {
	Member         *Member // set for facilitators, parents and pupils
	SchoolID       string  // set for a school's admin
	BoardSchoolID  string  // set for a board member's read-only link
	MunicipalityID string  // set for a municipality's admin
	TokenHash      string  // the hash of the token the actor came with: a member's key or session
}

// IsFacilitatorOf reports whether the actor leads the class.
func (a Actor) IsFacilitatorOf(classID string) bool {
	return a.Member != nil && a.Member.ClassID == classID && a.Member.Role == RoleFacilitator
}

// InClass reports whether the actor is a member of the class, in any role.
func (a Actor) InClass(classID string) bool {
	return a.Member != nil && a.Member.ClassID == classID
}

// CanSee reports whether the actor may read an agreement of the given kind in the class:
// facilitators see both, parents the parents' agreements, pupils the pupils'.
func (a Actor) CanSee(classID string, kind AgreementKind) bool {
	if !a.InClass(classID) {
		return false
	}
	switch a.Member.Role {
	case RoleFacilitator:
		return true
	case RoleParent:
		return kind == KindParents
	case RolePupil:
		return kind == KindPupils
	}
	return false
}

// IsSchoolAdmin reports whether the actor administers the school.
func (a Actor) IsSchoolAdmin(schoolID string) bool {
	return a.SchoolID != "" && a.SchoolID == schoolID
}

// CanReadSchool reports whether the actor may see the school's overview: its admin, and the
// board members it gave a link.
func (a Actor) CanReadSchool(schoolID string) bool {
	return a.IsSchoolAdmin(schoolID) || (a.BoardSchoolID != "" && a.BoardSchoolID == schoolID)
}
