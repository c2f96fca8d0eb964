package server

import (
	"errors"
	"html/template"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"klasseaftale/agreements"
)

// councilData is a pupil council's page: for its adults the code, the members and the agreements
// to lead; for its pupils the members and the agreements.
type councilData struct {
	View        *agreements.ClassView
	Facilitator bool
	Join        string // the join link, for the QR code
	QR          template.HTML
	Templates   []agreements.Template
	Pupils      []agreements.Member
	Adults      []agreements.Member
	ClassNames  map[string]string // the school's classes by ID, to say where each member comes from
	// DeletionDue is when the council goes unless it is used: shown once it is near.
	DeletionDue    *time.Time
	InactiveMonths int
}

// pageCouncil is /c/{id} for a pupil council.
func (s *Server) pageCouncil(c echo.Context, actor agreements.Actor, view *agreements.ClassView) error {
	d := councilData{View: view, Facilitator: actor.IsFacilitatorOf(view.Class.ID), ClassNames: map[string]string{},
		InactiveMonths: agreements.InactiveMonths}
	if view.DeletionSoon {
		d.DeletionDue = view.Class.DeletionDue
	}
	for _, sc := range view.SchoolClasses {
		d.ClassNames[sc.ID] = sc.Name
	}
	for _, m := range view.Members {
		if m.Role == agreements.RolePupil {
			d.Pupils = append(d.Pupils, m)
		} else {
			d.Adults = append(d.Adults, m)
		}
	}
	if d.Join = s.joinURL(view.Class.PupilCode); d.Join != "" {
		d.QR, _ = qrSVG(d.Join, s.msgs.T(s.lang(c), "council.qr", nil))
	}
	if d.Facilitator {
		d.Templates, _ = s.svc.Templates(agreements.KindPupils, agreements.AllGrades, s.lang(c))
	}
	return s.render(c, http.StatusOK, "council", "council.title", d)
}

// councilAdmin is the pupil council's part of the school's page for its admin, or nil when the
// school has none yet.
func (s *Server) councilAdmin(c echo.Context, actor agreements.Actor, schoolID string) (*councilAdminData, error) {
	v, err := s.svc.Council(c.Request().Context(), actor, schoolID)
	if errors.Is(err, agreements.ErrNoCouncil) {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	d := &councilAdminData{View: v, Full: len(v.Facilitators) >= agreements.MaxCouncilFacilitators}
	if d.Join = s.joinURL(v.Council.PupilCode); d.Join != "" {
		d.QR, err = qrSVG(d.Join, s.msgs.T(s.lang(c), "council.qr", nil))
	}
	return d, err
}

// councilAdminData is what the school's admin sees of the pupil council.
type councilAdminData struct {
	View *agreements.CouncilView
	Join string
	QR   template.HTML
	Full bool // as many adults lead it as may
}
