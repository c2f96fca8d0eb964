package server

import (
	"html/template"
	"net/http"
	"net/url"
	"path"
	"time"

	"github.com/labstack/echo/v4"

	"klasseaftale/agreements"
)

// classData is the class page.
type classData struct {
	View           *agreements.ClassView
	Facilitator    bool
	ParentJoin     string // the join links, for QR codes
	PupilJoin      string
	ParentQR       template.HTML
	PupilQR        template.HTML
	Templates      map[agreements.AgreementKind][]agreements.Template
	Kinds          []agreements.AgreementKind
	Members        []memberRow // for the facilitator, who may remove them
	CanLeave       bool        // not the class's last facilitator
	DeletionDue    *time.Time  // when the class goes unless it is used: shown once it is near
	InactiveMonths int
	Next           *nextStep // what the page puts first
}

// memberRow is a member in the facilitator's list, with their child's name.
type memberRow struct {
	agreements.Member
	Child string
	Self  bool
}

// members lists the class's members for the facilitator's list, and whether the actor may
// leave (a class keeps at least one facilitator).
func members(v *agreements.ClassView, self *agreements.Member) ([]memberRow, bool) {
	children := map[string]string{}
	for _, h := range v.Households {
		children[h.ID] = h.ChildName
	}
	rows, facilitators := []memberRow{}, 0
	for _, m := range v.Members {
		rows = append(rows, memberRow{Member: m, Child: children[m.HouseholdID], Self: m.ID == self.ID})
		if m.Role == agreements.RoleFacilitator {
			facilitators++
		}
	}
	return rows, self.Role != agreements.RoleFacilitator || facilitators > 1
}

func (s *Server) pageClass(c echo.Context) error {
	actor := actorOf(c)
	view, err := s.svc.Class(c.Request().Context(), actor, c.Param("id"))
	if err != nil {
		return err
	}
	if view.Class.IsCouncil() {
		return s.pageCouncil(c, actor, view)
	}
	d := classData{View: view, Facilitator: actor.IsFacilitatorOf(view.Class.ID),
		Kinds: []agreements.AgreementKind{agreements.KindParents, agreements.KindPupils}, InactiveMonths: agreements.InactiveMonths}
	d.Members, d.CanLeave = members(view, actor.Member)
	d.Next = nextStepOf(view, d.Facilitator, d.Kinds)
	if view.DeletionSoon {
		d.DeletionDue = view.Class.DeletionDue
	}
	if d.ParentJoin = s.joinURL(view.Class.ParentCode); d.ParentJoin != "" {
		d.ParentQR, _ = qrSVG(d.ParentJoin, s.msgs.T(s.lang(c), "class.qr_parents", nil))
	}
	if d.PupilJoin = s.joinURL(view.Class.PupilCode); d.PupilJoin != "" {
		d.PupilQR, _ = qrSVG(d.PupilJoin, s.msgs.T(s.lang(c), "class.qr_pupils", nil))
	}
	if d.Facilitator {
		d.Templates = map[agreements.AgreementKind][]agreements.Template{}
		for _, k := range d.Kinds {
			d.Templates[k], _ = s.svc.Templates(k, view.Class.Grade, s.lang(c))
		}
	}
	return s.render(c, http.StatusOK, "class", "class.title", d)
}

// projectorData is the big view of one join code for the projector.
type projectorData struct {
	Class *agreements.Class
	Code  string
	Link  string
	Short string // the address to type: the host and /join
	QR    template.HTML
	Pupil bool
}

func (s *Server) pageProjector(c echo.Context) error {
	actor := actorOf(c)
	if !actor.IsFacilitatorOf(c.Param("id")) {
		return agreements.ErrForbidden
	}
	view, err := s.svc.Class(c.Request().Context(), actor, c.Param("id"))
	if err != nil {
		return err
	}
	d := projectorData{Class: view.Class, Code: view.Class.ParentCode, Pupil: c.QueryParam("for") == "pupils" || view.Class.IsCouncil()}
	if d.Pupil {
		d.Code = view.Class.PupilCode
	}
	d.Link, d.Short = s.joinURL(d.Code), s.shortJoinURL()
	d.QR, err = qrSVG(d.Link, s.msgs.T(s.lang(c), "projector.qr", nil))
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "projector", "projector.title", d)
}

// shortJoinURL is the join page's address as a person types it off a projector: the host and
// /join, without the scheme and without the code, which the page asks for.
func (s *Server) shortJoinURL() string {
	return s.base.Host + path.Join("/", s.base.Path, "join")
}

// joinURL is the address a QR code opens: the join page with the code filled in.
func (s *Server) joinURL(code string) string {
	if code == "" {
		return ""
	}
	return s.base.JoinPath("join").String() + "?" + url.Values{"code": {code}}.Encode()
}
