package demo

import (
	"context"
	"fmt"
	"time"

	"klasseaftale/agreements"
)

// A family of the demo: a parent's first name and their child's. The names come from the
// languages the product speaks; only first names, as the product asks.
type family struct{ parent, child string }

var families = []family{
	{"Fatima", "Yusuf"}, {"Piotr", "Zosia"}, {"Mette", "Freja"}, {"Ayşe", "Emre"},
	{"Оксана", "Тарас"}, {"Ioana", "Andrei"}, {"عائشہ", "Bilal"}, {"داریوش", "Sara"},
	{"Hodan", "Abdi"}, {"Lars", "Emil"}, {"ليلى", "Omar"}, {"Kasia", "Kuba"},
}

// pupils are nicknames of pupils, in as many scripts.
var pupils = []string{"Noor", "Malthe", "Zeynep", "Олег", "Ida", "Hamza", "Maja", "Aarav"}

// seeder builds the demo through the service, remembering the first failure.
type seeder struct {
	ctx context.Context
	svc *agreements.Service
	clk *clock
	err error
}

func (s *seeder) fail(err error) {
	if s.err == nil && err != nil {
		s.err = err
	}
}

func (s *seeder) actor(token string) agreements.Actor {
	if s.err != nil {
		return agreements.Actor{}
	}
	a, err := s.svc.Authenticate(s.ctx, token)
	s.fail(err)
	return a
}

// class is a class of the demo with its facilitator and members.
type class struct {
	id, name, facilitatorID string
	parentCode, pupilCode   string
	fac                     agreements.Actor
	parents                 []member // one per household
	pupils                  []member
}

type member struct {
	id    string
	actor agreements.Actor
	who   string
}

func seed(ctx context.Context, svc *agreements.Service) (*School, error) {
	clk := &clock{}
	svc.SetClock(clk.now)
	s := &seeder{ctx: ctx, svc: svc, clk: clk}
	w := &School{People: map[string]Person{}}

	muni, muniKey, err := svc.RegisterMunicipality(ctx, "Aarhus Kommune")
	if err != nil {
		return nil, err
	}
	w.MunicipalityID = muni.ID
	w.People[RoleMunicipality] = Person{Who: muni.Name}
	school, schoolKey, err := svc.RegisterSchool(ctx, agreements.NewSchool{Name: "Skovbakkeskolen", Municipality: "Aarhus"})
	if err != nil {
		return nil, err
	}
	w.SchoolID = school.ID
	w.People[RoleSchoolAdmin] = Person{Who: school.Name}
	admin := s.actor(schoolKey)
	_, err = svc.JoinMunicipality(ctx, admin, school.ID, muni.JoinCode)
	s.fail(err)
	_ = muniKey // a new key is made at every start
	_, err = svc.SetSchoolHelp(ctx, admin, school.ID, agreements.SchoolHelp{
		Contact: "Skolens kontor, 8.00–15.00, og AULA-beskeder til klasselæreren"})
	s.fail(err)
	_, err = svc.SetTrustedAdults(ctx, admin, school.ID, []agreements.TrustedAdult{
		{Name: "Henrik", Role: "AKT-lærer", Where: "Lokale 12"},
		{Name: "Amina", Role: "Skolens sundhedsplejerske", Where: "Sundhedsrummet"},
	})
	s.fail(err)

	// Five classes, each at one stage.
	draft := s.class(school.OrganiserCode, "4.A", 4, "Mette", families[:6])
	voting := s.class(school.OrganiserCode, "5.B", 5, "Jonas", families[2:10])
	published := s.class(school.OrganiserCode, "6.C", 6, "Hanne", families[4:12])
	review := s.class(school.OrganiserCode, "7.A", 7, "Søren", families[:7])
	fromCouncil := s.class(school.OrganiserCode, "3.B", 3, "Birgitte", families[6:9])
	s.joinPupils(fromCouncil, pupils[:5])
	s.joinPupils(draft, pupils[5:])

	// The pupil council, its members from the classes, and its published agreement.
	council, err := svc.CreateCouncil(ctx, admin, school.ID, agreements.NewCouncil{Name: "Elevrådet"})
	if err != nil {
		return nil, fmt.Errorf("the council: %w", err)
	}
	w.CouncilID = council.ID
	_, lead, err := svc.AddCouncilFacilitator(ctx, admin, school.ID, "Lene")
	s.fail(err)
	c := &class{id: council.ID, name: council.Name, pupilCode: council.PupilCode, fac: s.actor(lead)}
	for i, from := range []*class{draft, voting, published, review, fromCouncil} {
		j, err := svc.Join(ctx, agreements.JoinRequest{Code: c.pupilCode, Name: pupils[i], FromClassID: from.id})
		if err != nil {
			return nil, fmt.Errorf("joining the council: %w", err)
		}
		c.pupils = append(c.pupils, member{id: j.Member.ID, actor: s.actor(j.Token), who: pupils[i]})
	}
	cag := s.agreement(c, agreements.KindPupils, "pupil-tone", "pupil-left-out", "pupil-photos", "pupil-phones-at-school")
	s.vote(c, cag, c.pupils, agreements.AnswerYes)
	s.close(c, cag)
	s.publish(c, cag)
	w.CouncilAgreement = cag

	// 4.A writes its draft: a point the class changed, a point of its own.
	dag := s.agreement(draft, agreements.KindParents, "first-smartphone", "class-chat", "evenings", "photos")
	s.edit(draft.fac, dag, 1, "Klassens chat er til praktiske beskeder og hyggelige hilsner. Vi skriver ikke om nogen, der ikke er med i chatten.")
	s.addClause(draft.parents[0].actor, dag, "Fødselsdage", "Invitationer til fødselsdage sendes til hele klassen, alle drengene eller alle pigerne — ikke i klassens chat.")
	w.Draft = Stage{ClassID: draft.id, ClassName: draft.name, AgreementID: dag}
	w.People[RoleFacilitator] = Person{ClassID: draft.id, MemberID: draft.facilitatorID, Who: "Mette, " + draft.name}
	p1, p2 := draft.parents[0], draft.parents[1]
	w.People[RoleParent] = Person{ClassID: draft.id, MemberID: p1.id, Who: p1.who + ", " + draft.name,
		Name: p1.who, Child: families[0].child, FacilitatorID: draft.facilitatorID}
	w.People[RoleSecondParent] = Person{ClassID: draft.id, MemberID: p2.id, Who: p2.who + ", " + draft.name,
		Name: p2.who, Child: families[1].child, FacilitatorID: draft.facilitatorID}

	// 5.B votes: five of eight households have answered.
	vag := s.agreement(voting, agreements.KindParents, "first-smartphone", "social-media", "gaming", "evenings")
	s.openVote(voting, vag)
	s.vote(voting, vag, voting.parents[:3], agreements.AnswerYes)
	s.vote(voting, vag, voting.parents[3:4], agreements.AnswerYesBut)
	s.vote(voting, vag, voting.parents[4:5], agreements.AnswerNo)
	w.Voting = Stage{ClassID: voting.id, ClassName: voting.name, AgreementID: vag}
	if len(voting.parents) == 8 { // a household that has yet to answer
		voter := voting.parents[6]
		w.People[RoleVoter] = Person{ClassID: voting.id, MemberID: voter.id, Who: voter.who + ", " + voting.name,
			Name: voter.who, Child: families[8].child, FacilitatorID: voting.facilitatorID}
	}

	// 6.C adopted and published its agreement three months ago; most have signed, and the
	// class is asked whether it is kept.
	clk.back = 100 * 24 * time.Hour
	pag := s.agreement(published, agreements.KindParents, "first-smartphone", "class-chat", "photos", "social-events", "when-wrong")
	s.vote(published, pag, published.parents, agreements.AnswerYes)
	s.close(published, pag)
	pslug := s.publish(published, pag)
	for i, p := range published.parents[:6] {
		_, err := svc.Sign(ctx, p.actor, pag, []int{0, 0, 0, 50, 0, 75}[i])
		s.fail(err)
	}
	clk.back = 0
	_, err = svc.OpenCheckin(ctx, published.fac, pag)
	s.fail(err)
	answers := []agreements.CheckinAnswer{agreements.CheckinKept, agreements.CheckinKept, agreements.CheckinPartly,
		agreements.CheckinKept, agreements.CheckinNotKept, agreements.CheckinPartly}
	comments := []string{"", "Det går fint med chatten.", "Aftensreglen er svær at holde i weekenden.", "", "", ""}
	for i, p := range published.parents[:6] {
		_, err := svc.AnswerCheckin(ctx, p.actor, pag, agreements.CheckinReply{Answer: answers[i], Comment: comments[i]})
		s.fail(err)
	}
	w.Published = Stage{ClassID: published.id, ClassName: published.name, AgreementID: pag, Slug: pslug}

	// 7.A published its agreement more than a year ago: its review date has come.
	clk.back = 400 * 24 * time.Hour
	rag := s.agreement(review, agreements.KindParents, "first-smartphone", "social-media", "evenings", "gaming")
	s.vote(review, rag, review.parents, agreements.AnswerYes)
	s.close(review, rag)
	rslug := s.publish(review, rag)
	clk.back = 0
	for _, p := range review.parents[:4] {
		_, err := svc.Sign(ctx, p.actor, rag, 0)
		s.fail(err)
	}
	w.Review = Stage{ClassID: review.id, ClassName: review.name, AgreementID: rag, Slug: rslug}

	// 3.B's pupils start their own agreement from the council's.
	if s.err == nil {
		fag, err := svc.StartFromCouncil(ctx, fromCouncil.fac, fromCouncil.id, agreements.NewFromCouncil{})
		s.fail(err)
		if err == nil {
			w.FromCouncil = Stage{ClassID: fromCouncil.id, ClassName: fromCouncil.name, AgreementID: fag.ID}
		}
	}
	pupil := fromCouncil.pupils[0]
	w.People[RolePupil] = Person{ClassID: fromCouncil.id, MemberID: pupil.id, Who: pupil.who + ", " + fromCouncil.name,
		Name: pupil.who, FacilitatorID: fromCouncil.facilitatorID}
	return w, s.err
}

// class creates a class in the school with a household for each family, its parent joined.
func (s *seeder) class(organiser, name string, grade int, facilitator string, fams []family) *class {
	if s.err != nil {
		return &class{}
	}
	cl, fac, tok, err := s.svc.CreateClass(s.ctx, agreements.NewClass{Name: name, Grade: grade,
		OrganiserCode: organiser, FacilitatorName: facilitator})
	if err != nil {
		s.fail(err)
		return &class{}
	}
	c := &class{id: cl.ID, name: cl.Name, facilitatorID: fac.ID, parentCode: cl.ParentCode, pupilCode: cl.PupilCode, fac: s.actor(tok)}
	for _, f := range fams {
		j, err := s.svc.Join(s.ctx, agreements.JoinRequest{Code: c.parentCode, Name: f.parent, Household: f.child, HouseholdChoice: agreements.HouseholdSame})
		if err != nil {
			s.fail(err)
			break
		}
		c.parents = append(c.parents, member{id: j.Member.ID, actor: s.actor(j.Token), who: f.parent})
	}
	return c
}

func (s *seeder) joinPupils(c *class, names []string) {
	for _, n := range names {
		if s.err != nil {
			return
		}
		j, err := s.svc.Join(s.ctx, agreements.JoinRequest{Code: c.pupilCode, Name: n})
		if err != nil {
			s.fail(err)
			return
		}
		c.pupils = append(c.pupils, member{id: j.Member.ID, actor: s.actor(j.Token), who: n})
	}
}

// agreement starts a draft from the templates, in Danish, and returns its ID.
func (s *seeder) agreement(c *class, kind agreements.AgreementKind, keys ...string) string {
	if s.err != nil {
		return ""
	}
	// The titles the site gives a new agreement in Danish (what the service leaves to its callers).
	title := map[agreements.AgreementKind]string{agreements.KindParents: "Forældreaftale", agreements.KindPupils: "Elevaftale"}[kind]
	a, err := s.svc.CreateAgreement(s.ctx, c.fac, c.id, agreements.NewAgreement{Kind: kind, Title: title, Templates: keys, Lang: "da"})
	if err != nil {
		s.fail(err)
		return ""
	}
	return a.ID
}

// edit replaces the text of the agreement's clause at the index.
func (s *seeder) edit(actor agreements.Actor, id string, i int, body string) {
	if s.err != nil {
		return
	}
	a, err := s.svc.Agreement(s.ctx, actor, id)
	if err != nil || i >= len(a.Clauses) {
		s.fail(fmt.Errorf("no clause %d: %v", i, err))
		return
	}
	_, err = s.svc.SetClause(s.ctx, actor, id, a.Clauses[i].ID, agreements.ClauseEdit{Body: &body})
	s.fail(err)
}

func (s *seeder) addClause(actor agreements.Actor, id, title, body string) {
	if s.err != nil {
		return
	}
	_, err := s.svc.AddClause(s.ctx, actor, id, agreements.NewClause{Title: title, Body: body})
	s.fail(err)
}

func (s *seeder) openVote(c *class, id string) {
	if s.err != nil {
		return
	}
	_, err := s.svc.OpenVote(s.ctx, c.fac, id, agreements.VoteRules{Quorum: 0, Threshold: 50})
	s.fail(err)
}

// vote opens the vote when it is not open yet and has each voter answer every clause (an
// option's default value where the clause has one).
func (s *seeder) vote(c *class, id string, voters []member, answer agreements.Answer) {
	if s.err != nil {
		return
	}
	a, err := s.svc.Agreement(s.ctx, c.fac, id)
	if err != nil {
		s.fail(err)
		return
	}
	if a.Status == agreements.StatusDraft {
		s.openVote(c, id)
	}
	for _, v := range voters {
		for _, cl := range a.Clauses {
			vote := agreements.Vote{ClauseID: cl.ID, Answer: answer}
			if answer.HasReason() {
				vote.Reason = "Godt forslag, men lad os se på det igen efter sommerferien."
			}
			if cl.Parameter != nil {
				vote.Value = cl.Parameter.Value
			}
			_, err := s.svc.CastVote(s.ctx, v.actor, id, vote)
			s.fail(err)
		}
	}
}

func (s *seeder) close(c *class, id string) {
	if s.err != nil {
		return
	}
	_, err := s.svc.CloseVote(s.ctx, c.fac, id)
	s.fail(err)
}

// publish publishes the adopted agreement and returns its address's slug.
func (s *seeder) publish(c *class, id string) string {
	if s.err != nil {
		return ""
	}
	a, err := s.svc.Publish(s.ctx, c.fac, id)
	if err != nil {
		s.fail(err)
		return ""
	}
	return a.Slug
}
