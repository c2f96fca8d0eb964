package server

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// apiRemoveMember ends a membership: DELETE /classes/{id}/members/{mid}, where {mid} "me" is the
// caller leaving. A member who leaves is logged out of this browser too.
func (s *Server) apiRemoveMember(c echo.Context) error {
	actor := actorOf(c)
	mid := c.Param("mid")
	if mid == "me" && actor.Member != nil {
		mid = actor.Member.ID
	}
	out, err := s.svc.RemoveMember(c.Request().Context(), actor, c.Param("id"), mid)
	if err != nil {
		return err
	}
	if mid == actor.Member.ID {
		s.endSession(c)
	}
	return ok(c, out)

}

// endSession deletes the session cookie, whose token no longer works.
func (s *Server) endSession(c echo.Context) {
	c.SetCookie(&http.Cookie{Name: sessionCookie, Value: "", Path: "/", HttpOnly: true, MaxAge: -1,
		Secure: s.base.Scheme == "https", SameSite: http.SameSiteLaxMode})
}
