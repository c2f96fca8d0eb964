package server

import (
	"encoding/json"
	"html/template"
	"net/http"

	"github.com/labstack/echo/v4"

	"klasseaftale/agreements"
)

// meetingData is the projector view of a class meeting: how to join, who is here, the clause
// under discussion and its votes, live.
type meetingData struct {
	A          *agreements.Agreement
	Code       string
	Link       string
	Short      string // the address to type: the host and /join
	QR         template.HTML
	Initial    template.JS // the clauses and results the page starts from
	MinAnswers int         // a clause's figures are shown from this many answers on
}

func (s *Server) pageMeeting(c echo.Context) error {
	actor := actorOf(c)
	ctx := c.Request().Context()
	a, err := s.svc.Agreement(ctx, actor, c.Param("id"))
	if err != nil {
		return err
	}
	if !actor.IsFacilitatorOf(a.ClassID) {
		return agreements.ErrForbidden
	}
	view, err := s.svc.Class(ctx, actor, a.ClassID)
	if err != nil {
		return err
	}
	res, err := s.svc.Results(ctx, actor, a.ID)
	if err != nil {
		return err
	}
	d := meetingData{A: a, Code: view.Class.ParentCode, MinAnswers: res.MinAnswers}
	if a.Kind == agreements.KindPupils {
		d.Code = view.Class.PupilCode
	}
	d.Link, d.Short = s.joinURL(d.Code), s.shortJoinURL()
	if d.QR, err = qrSVG(d.Link, s.msgs.T(s.lang(c), "projector.qr", nil)); err != nil {
		return err
	}
	initial, err := json.Marshal(map[string]any{"agreement": a, "results": res})
	if err != nil {
		return err
	}
	d.Initial = template.JS(initial)
	return s.render(c, http.StatusOK, "meeting", "meeting.title", d)
}
