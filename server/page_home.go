package server

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"klasseaftale/agreements"
)

// homeData is the front page; Left says that the visitor has just left a class.
type homeData struct{ Left bool }

func (s *Server) pageHome(c echo.Context) error {
	return s.render(c, http.StatusOK, "home", "home.title", homeData{Left: c.QueryParam("left") == "1"})
}

func (s *Server) pageAccessibility(c echo.Context) error {
	return s.render(c, http.StatusOK, "accessibility", "a11y.title", statement{
		Date: a11yReviewed.Format("2006-01-02"), ContactURL: s.cfg.ContactURL, Known: a11yKnown})
}

// statement is the accessibility statement's data, in the form the Danish Agency for Digital
// Government asks for: when it was made, how far the service complies and what does not yet,
// how that was found, whom to tell, and where to complain.
type statement struct {
	Date       string
	ContactURL string
	Known      []knownIssue
}

// knownIssue is a known failure of the service: its text's message ID and the success criteria
// of WCAG it fails.
type knownIssue struct{ Key, Criteria string }

// a11yReviewed is when the statement was last made true; change it with the list below.
var a11yReviewed = time.Date(2026, time.December, 4, 0, 0, 0, 0, time.UTC)

// a11yKnown lists what is known not to be accessible yet. Whoever fixes one removes it here
// (and its message), and moves a11yReviewed on.
var a11yKnown = []knownIssue{
	{"a11y.known_help_overlap", "1.4.10"},
	{"a11y.known_translations", ""},
}

// joinData is the join page: the code typed or scanned, and the class it opens when known.
type joinData struct {
	Code     string
	Class    *agreements.Class
	AsParent bool
	Error    string
	Classes  []agreements.ClassChoice // for a pupil council's code: the classes to choose one's own from
}

// pageJoin shows the join form. With a code (from the QR or typed) it names the class and asks
// what that code's role needs: parents their child's first name, pupils only a nickname.
func (s *Server) pageJoin(c echo.Context) error {
	d := joinData{Code: agreements.NormalizeCode(c.QueryParam("code"))}
	status := http.StatusOK
	if d.Code != "" {
		if err := s.lookUpCode(c, &d); err != nil {
			e, _ := agreements.AsError(err)
			if e == nil {
				return err
			}
			d.Error = s.msgs.T(s.lang(c), e.Code, e.Data)
			if e.Kind == agreements.KindTooMany {
				status = http.StatusTooManyRequests // the form, with the message, for a person to try later
			}
		}
	}
	return s.render(c, status, "join", "join.title", d)
}

func (s *Server) lookUpCode(c echo.Context, d *joinData) error {
	var info *agreements.CodeInfo
	err := s.guarded(c, func() (err error) {
		info, err = s.svc.CodeInfo(c.Request().Context(), d.Code)
		return err
	})
	if err != nil {
		return err
	}
	d.Class, d.AsParent, d.Classes = info.Class, info.Role == agreements.RoleParent, info.Classes
	return nil
}

// pageKey asks whether to sign in with a key link ("Continue as Mette, 4.B?"): a link another
// site sends a browser to must not replace the person's own session (login CSRF), so only the
// same-origin POST of this page's form signs in.
func (s *Server) pageKey(c echo.Context) error {
	var h *agreements.Holder
	err := s.guarded(c, func() (err error) {
		h, err = s.svc.KeyHolder(c.Request().Context(), c.Param("token"))
		return err
	})
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "key", "key.title", h)
}

// signIn signs the browser in with the key link and goes to its home: the class, the school,
// the board's school or the municipality.
func (s *Server) signIn(c echo.Context) error {
	var actor agreements.Actor
	var tok string
	err := s.guarded(c, func() (err error) {
		actor, tok, err = s.svc.SignIn(c.Request().Context(), c.Param("token"))
		return err
	})
	if err != nil {
		return err
	}
	s.setSession(c, tok)
	return c.Redirect(http.StatusSeeOther, homeOf(actor))
}

func homeOf(actor agreements.Actor) string {
	switch {
	case actor.Member != nil:
		return "/c/" + actor.Member.ClassID
	case actor.BoardSchoolID != "":
		return "/s/" + actor.BoardSchoolID
	case actor.MunicipalityID != "":
		return "/m/" + actor.MunicipalityID
	}
	return "/s/" + actor.SchoolID
}
