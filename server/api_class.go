package server

import (
	"strings"

	"github.com/labstack/echo/v4"

	"klasseaftale/agreements"
)

func (s *Server) apiRegisterSchool(c echo.Context) error {
	var in agreements.NewSchool
	if err := s.decode(c, &in); err != nil {
		return err
	}
	if err := s.create(c, s.limits.schools, agreements.ErrSchoolLimit); err != nil {
		return err
	}
	school, tok, err := s.svc.RegisterSchool(c.Request().Context(), in)
	if err != nil {
		return err
	}
	s.setSession(c, tok)
	return created(c, map[string]any{"school": school, "token": tok,
		"organiser_code": school.OrganiserCode, "admin_url": s.keyURL(tok)})
}

func (s *Server) apiSchool(c echo.Context) error {
	actor := actorOf(c)
	school, err := s.svc.School(c.Request().Context(), actor, c.Param("id"))
	if err != nil {
		return err
	}
	return ok(c, map[string]any{"school": school})
}

func (s *Server) apiSetSchoolHelp(c echo.Context) error {
	actor := actorOf(c)
	var in agreements.SchoolHelp
	if err := s.decode(c, &in); err != nil {
		return err
	}
	school, err := s.svc.SetSchoolHelp(c.Request().Context(), actor, c.Param("id"), in)
	if err != nil {
		return err
	}
	return ok(c, map[string]any{"school": school})
}

func (s *Server) apiCreateClass(c echo.Context) error {
	var in agreements.NewClass
	if err := s.decode(c, &in); err != nil {
		return err
	}
	if err := s.create(c, s.limits.classes, agreements.ErrClassLimit); err != nil {
		return err
	}
	var class *agreements.Class
	var member *agreements.Member
	var tok string
	err := s.guarded(c, func() (err error) {
		class, member, tok, err = s.svc.CreateClass(c.Request().Context(), in)
		return err
	})
	if err != nil {
		return err
	}
	// The browser gets a session of its own: logging out there leaves the key link working.
	_, session, err := s.svc.SignIn(c.Request().Context(), tok)
	if err != nil {
		return err
	}
	s.setSession(c, session)
	return created(c, map[string]any{"class": class, "member": member, "token": tok,
		"facilitator_url": s.keyURL(tok)})
}

func (s *Server) apiClass(c echo.Context) error {
	actor := actorOf(c)
	view, err := s.svc.Class(c.Request().Context(), actor, c.Param("id"))
	if err != nil {
		return err
	}
	return ok(c, view)
}

func (s *Server) apiRotateCode(c echo.Context) error {
	actor := actorOf(c)
	class, err := s.svc.RotateCode(c.Request().Context(), actor, c.Param("id"), agreements.Role(c.Param("role")))
	if err != nil {
		return err
	}
	return ok(c, map[string]any{"class": class})
}

// apiJoin joins a class with a code. Wrong codes are counted (see guarded), so codes cannot be
// guessed.
func (s *Server) apiJoin(c echo.Context) error {
	var in agreements.JoinRequest
	if err := s.decode(c, &in); err != nil {
		return err
	}
	var joined *agreements.Joined
	err := s.guarded(c, func() (err error) {
		joined, err = s.svc.Join(c.Request().Context(), in)
		return err
	})
	if err != nil {
		return err
	}
	s.setSession(c, joined.Token)
	return created(c, joined)
}

// apiMe says who the token belongs to: a client's first call after being given a link.
func (s *Server) apiMe(c echo.Context) error {
	actor := actorOf(c)
	return ok(c, map[string]any{"member": actor.Member, "school_id": actor.SchoolID})
}

// apiReplaceKey gives a facilitator who lost their key link a new one; the old one stops
// working. The browser that asked stays signed in with a new session.
func (s *Server) apiReplaceKey(c echo.Context) error {
	actor := actorOf(c)
	if !actor.IsFacilitatorOf(c.Param("id")) {
		return agreements.ErrForbidden
	}
	if err := s.create(c, s.limits.keys, agreements.ErrKeyLimit); err != nil {
		return err
	}
	browser := !strings.HasPrefix(c.Request().Header.Get("Authorization"), "Bearer ")
	key, err := s.svc.ReplaceKey(c.Request().Context(), actor, c.Param("id"), browser)
	if err != nil {
		return err
	}
	if browser {
		s.setSession(c, key.Session)
	}
	return created(c, map[string]any{"token": key.Key, "facilitator_url": s.keyURL(key.Key)})

}

// keyURL is the link that logs a browser in with a token: shown once, to bookmark.
func (s *Server) keyURL(tok string) string { return s.base.JoinPath("k", tok).String() }
