package server

import (
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"klasseaftale/agreements"
)

const sessionCookie = "ka_session"

// token is the secret a request carries: a Bearer header from API clients, the session cookie
// from browsers.
func token(r *http.Request) string {
	if h := r.Header.Get("Authorization"); strings.HasPrefix(h, "Bearer ") {
		return strings.TrimSpace(strings.TrimPrefix(h, "Bearer "))
	}
	if ck, err := r.Cookie(sessionCookie); err == nil {
		return ck.Value
	}
	return ""
}

// actor returns who is asking, or ErrAuthRequired.
func (s *Server) actor(c echo.Context) (agreements.Actor, error) {
	if a, ok := c.Get("actor").(agreements.Actor); ok {
		return a, nil
	}
	a, err := s.svc.Authenticate(c.Request().Context(), token(c.Request()))
	if err == nil {
		c.Set("actor", a)
	}
	return a, err
}

// setSession gives a browser its token as an HttpOnly cookie, so no script can read it.
func (s *Server) setSession(c echo.Context, tok string) {
	c.SetCookie(&http.Cookie{Name: sessionCookie, Value: tok, Path: "/", HttpOnly: true,
		Secure: s.base.Scheme == "https", SameSite: http.SameSiteLaxMode, MaxAge: int((400 * 24 * time.Hour).Seconds())})
}

// apiLogout ends the session on the server (see Service.Logout) and clears the cookie.
func (s *Server) apiLogout(c echo.Context) error {
	if actor, err := s.actor(c); err == nil {
		if err := s.svc.Logout(c.Request().Context(), actor); err != nil {
			return err
		}
	}
	c.SetCookie(&http.Cookie{Name: sessionCookie, Value: "", Path: "/", HttpOnly: true, MaxAge: -1,
		Secure: s.base.Scheme == "https", SameSite: http.SameSiteLaxMode})
	return c.NoContent(http.StatusNoContent)
}
