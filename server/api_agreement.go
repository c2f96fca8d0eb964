package server

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"klasseaftale/agreements"
)

func (s *Server) apiTemplates(c echo.Context) error {
	grade := agreements.AllGrades
	if g := c.QueryParam("grade"); g != "" {
		var err error
		if grade, err = strconv.Atoi(g); err != nil {
			return agreements.ErrGradeInvalid
		}
	}
	lang := c.QueryParam("lang")
	if lang == "" {
		lang = s.lang(c)
	}
	ts, err := s.svc.Templates(agreements.AgreementKind(c.QueryParam("kind")), grade, lang)
	if err != nil {
		return err
	}
	return ok(c, map[string]any{"templates": ts})
}

func (s *Server) apiCreateAgreement(c echo.Context) error {
	actor := actorOf(c)
	var in agreements.NewAgreement
	if err := s.decode(c, &in); err != nil {
		return err
	}
	if in.Lang == "" {
		in.Lang = s.lang(c)
	}
	if strings.TrimSpace(in.Title) == "" { // a title of spaces is no title: the service would store ""
		in.Title = s.msgs.T(in.Lang, "agreement.default_title."+string(in.Kind), nil)
	}
	a, err := s.svc.CreateAgreement(c.Request().Context(), actor, c.Param("id"), in)
	if err != nil {
		return err
	}
	return created(c, a)
}

func (s *Server) apiAgreement(c echo.Context) error {
	actor := actorOf(c)
	a, err := s.svc.Agreement(c.Request().Context(), actor, c.Param("id"))
	if err != nil {
		return err
	}
	return ok(c, a)
}

func (s *Server) apiAddClause(c echo.Context) error {
	actor := actorOf(c)
	var in agreements.NewClause
	if err := s.decode(c, &in); err != nil {
		return err
	}
	cl, err := s.svc.AddClause(c.Request().Context(), actor, c.Param("id"), in)
	if err != nil {
		return err
	}
	return created(c, cl)
}

func (s *Server) apiEditClause(c echo.Context) error {
	actor := actorOf(c)
	var in agreements.ClauseEdit
	if err := s.decode(c, &in); err != nil {
		return err
	}
	cl, err := s.svc.EditClause(c.Request().Context(), actor, c.Param("id"), c.Param("cid"), in)
	if err != nil {
		return err
	}
	return ok(c, cl)
}

func (s *Server) apiRemoveClause(c echo.Context) error {
	actor := actorOf(c)
	if err := s.svc.RemoveClause(c.Request().Context(), actor, c.Param("id"), c.Param("cid")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

func (s *Server) apiMoveClause(c echo.Context) error {
	actor := actorOf(c)
	var in struct {
		After *string `json:"after"`
	}
	if err := s.decode(c, &in); err != nil {
		return err
	}
	order, err := s.svc.MoveClause(c.Request().Context(), actor, c.Param("id"), c.Param("cid"), in.After)
	if err != nil {
		return err
	}
	return ok(c, map[string]any{"clauses": order})
}

func (s *Server) apiPublish(c echo.Context) error {
	actor := actorOf(c)
	a, err := s.svc.Publish(c.Request().Context(), actor, c.Param("id"))
	if err != nil {
		return err
	}
	return ok(c, map[string]any{"status": a.Status, "public_url": s.publicURL(a.Slug), "agreement": a})
}

func (s *Server) apiPublished(c echo.Context) error {
	v, err := s.svc.Published(c.Request().Context(), c.Param("slug"), s.lang(c))
	if err != nil {
		return err
	}
	return ok(c, map[string]any{"published": v, "public_url": s.publicURL(v.Agreement.Slug)})
}

func (s *Server) publicURL(slug string) string { return s.base.JoinPath("p", slug).String() }
