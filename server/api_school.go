package server

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"klasseaftale/agreements"
)

func (s *Server) apiSchoolAdoption(c echo.Context) error { return s.schoolAdoption(c, false) }

func (s *Server) apiSchoolAdoptionCSV(c echo.Context) error { return s.schoolAdoption(c, true) }

func (s *Server) schoolAdoption(c echo.Context, asCSV bool) error {
	actor := actorOf(c)
	a, err := s.svc.SchoolAdoption(c.Request().Context(), actor, c.Param("id"))
	if err != nil {
		return err
	}
	if asCSV {
		return writeCSV(c, "adoption.csv", schoolCSV(a))
	}
	return ok(c, a)

}

func (s *Server) apiRotateOrganiserCode(c echo.Context) error {
	actor := actorOf(c)
	school, err := s.svc.RotateOrganiserCode(c.Request().Context(), actor, c.Param("id"))
	if err != nil {
		return err
	}
	return ok(c, map[string]any{"school": school})

}

func (s *Server) apiSchoolClasses(c echo.Context) error {
	actor := actorOf(c)
	classes, err := s.svc.SchoolClasses(c.Request().Context(), actor, c.Param("id"))
	if err != nil {
		return err
	}
	return ok(c, map[string]any{"classes": classes})

}

func (s *Server) apiArchiveClass(c echo.Context) error {
	actor := actorOf(c)
	archive := c.Request().Method == http.MethodPost
	class, err := s.svc.ArchiveClass(c.Request().Context(), actor, c.Param("id"), c.Param("cid"), archive)
	if err != nil {
		return err
	}
	class.ParentCode, class.PupilCode = "", ""
	return ok(c, map[string]any{"class": class})

}

func (s *Server) apiCreateBoardLink(c echo.Context) error {
	actor := actorOf(c)
	var in struct {
		Label string `json:"label"`
	}
	if err := s.decode(c, &in); err != nil {
		return err
	}
	link, tok, err := s.svc.CreateBoardLink(c.Request().Context(), actor, c.Param("id"), in.Label)
	if err != nil {
		return err
	}
	return created(c, map[string]any{"link": link, "token": tok, "url": s.keyURL(tok)})

}

func (s *Server) apiBoardLinks(c echo.Context) error {
	actor := actorOf(c)
	links, err := s.svc.BoardLinks(c.Request().Context(), actor, c.Param("id"))
	if err != nil {
		return err
	}
	return ok(c, map[string]any{"links": links})

}

func (s *Server) apiRevokeBoardLink(c echo.Context) error {
	actor := actorOf(c)
	if err := s.svc.RevokeBoardLink(c.Request().Context(), actor, c.Param("id"), c.Param("lid")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)

}

func (s *Server) apiJoinMunicipality(c echo.Context) error {
	actor := actorOf(c)
	var in struct {
		Code string `json:"code"`
	}
	if err := s.decode(c, &in); err != nil {
		return err
	}
	var school *agreements.School
	err := s.guarded(c, func() (err error) {
		school, err = s.svc.JoinMunicipality(c.Request().Context(), actor, c.Param("id"), in.Code)
		return err
	})
	if err != nil {
		return err
	}
	return ok(c, map[string]any{"school": school})

}

func (s *Server) apiAttachClass(c echo.Context) error {
	actor := actorOf(c)
	var in struct {
		Code string `json:"organiser_code"`
	}
	if err := s.decode(c, &in); err != nil {
		return err
	}
	var class *agreements.Class
	err := s.guarded(c, func() (err error) {
		class, err = s.svc.AttachClass(c.Request().Context(), actor, c.Param("id"), in.Code)
		return err
	})
	if err != nil {
		return err
	}
	return ok(c, map[string]any{"class": class})

}

func (s *Server) apiRegisterMunicipality(c echo.Context) error {
	var in struct {
		Name string `json:"name"`
	}
	if err := s.decode(c, &in); err != nil {
		return err
	}
	if err := s.create(c, s.limits.municipalities, agreements.ErrMunicipalityLimit); err != nil {
		return err
	}
	m, tok, err := s.svc.RegisterMunicipality(c.Request().Context(), in.Name)
	if err != nil {
		return err
	}
	s.setSession(c, tok)
	return created(c, map[string]any{"municipality": m, "token": tok, "join_code": m.JoinCode, "admin_url": s.keyURL(tok)})
}

func (s *Server) apiMunicipalityAdoption(c echo.Context) error {
	return s.municipalityAdoption(c, false)
}

func (s *Server) apiMunicipalityAdoptionCSV(c echo.Context) error {
	return s.municipalityAdoption(c, true)
}

func (s *Server) municipalityAdoption(c echo.Context, asCSV bool) error {
	actor := actorOf(c)
	m, err := s.svc.MunicipalityAdoption(c.Request().Context(), actor, c.Param("id"))
	if err != nil {
		return err
	}
	if asCSV {
		return writeCSV(c, "adoption.csv", municipalityCSV(m))
	}
	return ok(c, m)

}
