package server

import (
	"github.com/labstack/echo/v4"

	"klasseaftale/agreements"
)

// The school's trusted adults, and what a class's help panel shows (docs/api.md).

func (s *Server) apiTrustedAdults(c echo.Context) error {
	actor := actorOf(c)
	adults, err := s.svc.TrustedAdults(c.Request().Context(), actor, c.Param("id"))
	if err != nil {
		return err
	}
	return ok(c, map[string]any{"trusted_adults": adults})
}

func (s *Server) apiSetTrustedAdults(c echo.Context) error {
	actor := actorOf(c)
	var in struct {
		Adults []agreements.TrustedAdult `json:"trusted_adults"`
	}
	if err := s.decode(c, &in); err != nil {
		return err
	}
	if in.Adults == nil {
		return agreements.ErrBadRequest.With("field", "trusted_adults")
	}
	adults, err := s.svc.SetTrustedAdults(c.Request().Context(), actor, c.Param("id"), in.Adults)
	if err != nil {
		return err
	}
	return ok(c, map[string]any{"trusted_adults": adults})
}

// apiClassHelp is the help panel's content for a member of the class: the words for a child
// (a pupil) or for an adult, and what the class's school adds.
func (s *Server) apiClassHelp(c echo.Context) error {
	actor := actorOf(c)
	contacts, err := s.svc.ClassContacts(c.Request().Context(), actor, c.Param("id"))
	if err != nil {
		return err
	}
	return ok(c, s.helpJSON(s.lang(c), actor.Member.Role == agreements.RolePupil, contacts))
}
