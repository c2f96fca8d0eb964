package server

import (
	"html/template"
	"net/http"

	"github.com/labstack/echo/v4"

	"klasseaftale/agreements"
)

// agreementData is the editor.
type agreementData struct {
	A           *agreements.Agreement
	Facilitator bool
	CanEdit     bool
	PublicURL   string
	Rows        []clauseRow
	Blank       clauseRow // the markup a clause added live is made from
}

// clauseRow is a clause with the "after" targets of its move buttons: up goes after the clause
// two above ("" = first), down after the clause below.
type clauseRow struct {
	Clause         agreements.Clause
	Up, Down       string
	CanUp, CanDown bool
}

func rows(cs []agreements.Clause) []clauseRow {
	out := make([]clauseRow, len(cs))
	for i, c := range cs {
		out[i] = clauseRow{Clause: c, CanUp: i > 0, CanDown: i < len(cs)-1}
		if i > 1 {
			out[i].Up = cs[i-2].ID
		}
		if i < len(cs)-1 {
			out[i].Down = cs[i+1].ID
		}
	}
	return out
}

func (s *Server) pageAgreement(c echo.Context) error {
	actor, err := s.actor(c)
	if err != nil {
		return err
	}
	a, err := s.svc.Agreement(c.Request().Context(), actor, c.Param("id"))
	if err != nil {
		return err
	}
	d := agreementData{A: a, Facilitator: actor.IsFacilitatorOf(a.ClassID),
		CanEdit: a.Editable() && a.CanEdit(actor), Rows: rows(a.Clauses),
		Blank: clauseRow{CanUp: true, CanDown: true}}
	if a.Slug != "" {
		d.PublicURL = s.publicURL(a.Slug)
	}
	return s.render(c, http.StatusOK, "agreement", "agreement.title", d)
}

// publishedData is the public page of an agreement, also its poster.
type publishedData struct {
	V   *agreements.PublishedView
	URL string
	QR  template.HTML
}

func (s *Server) pagePublished(c echo.Context) error {
	v, err := s.svc.Published(c.Request().Context(), c.Param("slug"), s.lang(c))
	if err != nil {
		return err
	}
	d := publishedData{V: v, URL: s.publicURL(v.Agreement.Slug)}
	if d.QR, err = qrSVG(d.URL, s.msgs.T(s.lang(c), "published.qr", nil)); err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "published", "published.title", d)
}
