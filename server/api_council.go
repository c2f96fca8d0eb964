package server

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"klasseaftale/agreements"
)

// apiCreateCouncil creates the school's pupil council; a name of only spaces (or none) is the
// word for a pupil council in the request's language.
func (s *Server) apiCreateCouncil(c echo.Context) error {
	actor := actorOf(c)
	var in agreements.NewCouncil
	if err := s.decodeOptional(c, &in); err != nil {
		return err
	}
	if strings.TrimSpace(in.Name) == "" {
		in.Name = s.msgs.T(s.lang(c), "council.default_name", nil)
	}
	council, err := s.svc.CreateCouncil(c.Request().Context(), actor, c.Param("id"), in)
	if err != nil {
		return err
	}
	return created(c, map[string]any{"council": council, "join_url": s.joinURL(council.PupilCode)})

}

func (s *Server) apiCouncil(c echo.Context) error {
	actor := actorOf(c)
	v, err := s.svc.Council(c.Request().Context(), actor, c.Param("id"))
	if err != nil {
		return err
	}
	return ok(c, v)

}

func (s *Server) apiRotateCouncilCode(c echo.Context) error {
	actor := actorOf(c)
	council, err := s.svc.RotateCouncilCode(c.Request().Context(), actor, c.Param("id"))
	if err != nil {
		return err
	}
	return ok(c, map[string]any{"council": council})

}

// apiAddCouncilFacilitator makes the key link of an adult who leads the pupil council. Like a
// board link it does not sign the admin's browser in as the new facilitator.
func (s *Server) apiAddCouncilFacilitator(c echo.Context) error {
	actor := actorOf(c)
	var in struct {
		Name string `json:"name"`
	}
	if err := s.decode(c, &in); err != nil {
		return err
	}
	m, tok, err := s.svc.AddCouncilFacilitator(c.Request().Context(), actor, c.Param("id"), in.Name)
	if err != nil {
		return err
	}
	return created(c, map[string]any{"member": m, "token": tok, "url": s.keyURL(tok)})

}

func (s *Server) apiRemoveCouncilFacilitator(c echo.Context) error {
	actor := actorOf(c)
	if err := s.svc.RemoveCouncilFacilitator(c.Request().Context(), actor, c.Param("id"), c.Param("mid")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)

}

func (s *Server) apiStartFromCouncil(c echo.Context) error {
	actor := actorOf(c)
	var in agreements.NewFromCouncil
	if err := s.decodeOptional(c, &in); err != nil {
		return err
	}
	a, err := s.svc.StartFromCouncil(c.Request().Context(), actor, c.Param("id"), in)
	if err != nil {
		return err
	}
	return created(c, a)

}

// apiCodeInfo says what a join code opens, before joining: for a pupil council's code, the
// classes a joining pupil names theirs from. Wrong codes are counted like wrong joins.
func (s *Server) apiCodeInfo(c echo.Context) error {
	var info *agreements.CodeInfo
	err := s.guarded(c, func() (err error) {
		info, err = s.svc.CodeInfo(c.Request().Context(), c.QueryParam("code"))
		return err
	})
	if err != nil {
		return err
	}
	return ok(c, info)
}
