package server

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

func (s *Server) pageSchoolNew(c echo.Context) error {
	return s.render(c, http.StatusOK, "school_new", "school.new_title", nil)
}

func (s *Server) pageSchool(c echo.Context) error {
	actor, err := s.actor(c)
	if err != nil {
		return err
	}
	school, err := s.svc.School(c.Request().Context(), actor, c.Param("id"))
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "school", "school.title", school)
}
