package server

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"klasseaftale/agreements"
)

// homeData is the front page; Left says that the visitor has just left a class.
type homeData struct{ Left bool }

func (s *Server) pageHome(c echo.Context) error {
	return s.render(c, http.StatusOK, "home", "home.title", homeData{Left: c.QueryParam("left") == "1"})
}

func (s *Server) pageAccessibility(c echo.Context) error {
	return s.render(c, http.StatusOK, "accessibility", "a11y.title", nil)
}

// joinData is the join page: the code typed or scanned, and the class it opens when known.
type joinData struct {
	Code     string
	Class    *agreements.Class
	AsParent bool
	Error    string
}

// pageJoin shows the join form. With a code (from the QR or typed) it names the class and asks
// what that code's role needs: parents their child's first name, pupils only a nickname.
func (s *Server) pageJoin(c echo.Context) error {
	d := joinData{Code: agreements.NormalizeCode(c.QueryParam("code"))}
	if d.Code != "" {
		if err := s.lookUpCode(c, &d); err != nil {
			e, _ := agreements.AsError(err)
			if e == nil {
				return err
			}
			d.Error = s.msgs.T(s.lang(c), e.Code, e.Data)
		}
	}
	return s.render(c, http.StatusOK, "join", "join.title", d)
}

func (s *Server) lookUpCode(c echo.Context, d *joinData) error {
	if err := s.checkGuessing(c); err != nil {
		return err
	}
	class, role, err := s.svc.ClassByCode(c.Request().Context(), d.Code)
	if err != nil {
		return s.countWrongCode(c, err)
	}
	d.Class, d.AsParent = class, role == agreements.RoleParent
	return nil
}

// pageKey logs a browser in with a bookmarked link and goes to its home: the class, or the school.
func (s *Server) pageKey(c echo.Context) error {
	tok := c.Param("token")
	actor, err := s.svc.Authenticate(c.Request().Context(), tok)
	if err != nil {
		return err
	}
	s.setSession(c, tok)
	switch {
	case actor.Member != nil:
		return c.Redirect(http.StatusSeeOther, "/c/"+actor.Member.ClassID)
	case actor.BoardSchoolID != "":
		return c.Redirect(http.StatusSeeOther, "/s/"+actor.BoardSchoolID)
	case actor.MunicipalityID != "":
		return c.Redirect(http.StatusSeeOther, "/m/"+actor.MunicipalityID)
	}
	return c.Redirect(http.StatusSeeOther, "/s/"+actor.SchoolID)
}
