package server

import (
	"context"

	"klasseaftale/agreements"
)

// The help a child or a parent can reach from every page of a class: the panel the help button
// opens (frontend/templates/help.html). It is written into the page, so it opens without the
// network, and nothing is fetched, sent or counted when it does.

// Where the help lines are. Their links open the helpers' own sites; the pages send no referrer.
const (
	childLinePhone = "116111" // BørneTelefonen: free, anonymous, day and night
	childLineChat  = "https://bornetelefonen.dk/"
	sletDetURL     = "https://redbarnet.dk/sletdet/"
)

// helpPanel is what the help panel shows: words for a child or for an adult, and what the
// class's school adds (its trusted adults, its contact and its action plan).
type helpPanel struct {
	P        *page
	Child    bool
	Contacts *agreements.ContactsOfSchool
	Phone    string
	Chat     string
	SletDet  string
}

// Help returns the help panel of a page of a class (classID may be ""): in words for a child on
// a page for pupils (kind "pupils"), for adults on a page for parents (kind "parents"); on a
// page for no kind in particular (kind ""), as the reader is: a pupil, an adult, or, for a
// visitor who has not joined yet, a child.
func (p *page) Help(classID, kind string) *helpPanel {
	h := p.helpFor(kind)
	if classID != "" && p.contacts != nil {
		h.Contacts = p.contacts(classID, "")
	}
	return h
}

// HelpSchool is Help for a page of a whole school, such as its pupils' council.
func (p *page) HelpSchool(schoolID, kind string) *helpPanel {
	h := p.helpFor(kind)
	if schoolID != "" && p.contacts != nil {
		h.Contacts = p.contacts("", schoolID)
	}
	return h
}

func (p *page) helpFor(kind string) *helpPanel {
	child := kind == string(agreements.KindPupils)
	if kind == "" {
		m := p.Actor.Member
		child = (m != nil && m.Role == agreements.RolePupil) || (m == nil && p.Actor == agreements.Actor{})
	}
	return &helpPanel{P: p, Child: child, Contacts: &agreements.ContactsOfSchool{},
		Phone: childLinePhone, Chat: childLineChat, SletDet: sletDetURL}
}

// contactsLoader is how a page reads what a school adds to its help panel while it renders,
// by the class or by the school. A failure is logged, and the panel shows the help without
// the school's part rather than no page at all.
func (s *Server) contactsLoader(ctx context.Context) func(classID, schoolID string) *agreements.ContactsOfSchool {
	return func(classID, schoolID string) *agreements.ContactsOfSchool {
		id, load := schoolID, s.svc.ContactsOfSchool
		if classID != "" {
			id, load = classID, s.svc.ContactsOfClass
		}
		out, err := load(ctx, id)
		if err != nil {
			s.log.Error("help panel: the school's contacts", "err", err)
			return &agreements.ContactsOfSchool{Adults: []agreements.TrustedAdult{}}
		}
		return out
	}
}

// helpJSON is the help panel's content for API clients: the help block for a child or for an
// adult, in lang, and what the school adds.
func (s *Server) helpJSON(lang string, child bool, contacts *agreements.ContactsOfSchool) map[string]any {
	kind, audience := agreements.KindParents, "adult"
	if child {
		kind, audience = agreements.KindPupils, "child"
	}
	return map[string]any{"audience": audience, "help": s.svc.Library().Help(kind, lang), "school": contacts,
		"childline": map[string]string{"phone": childLinePhone, "chat_url": childLineChat}, "sletdet_url": sletDetURL}
}
