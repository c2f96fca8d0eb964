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

// actor returns who is asking, or ErrAuthRequired. A handler that needs someone asks its
// route for signedIn and reads them with actorOf; actor itself is for the few that serve
// everyone and say more to someone signed in (the layout, the published page, signing out).
func (s *Server) actor(c echo.Context) (agreements.Actor, error) {
	if a, ok := c.Get(actorKey).(agreements.Actor); ok {
		return a, nil
	}
	a, err := s.svc.Authenticate(c.Request().Context(), token(c.Request()))
	if err == nil {
		c.Set(actorKey, a)
	}
	return a, err
}

const actorKey = "actor"

// signedIn is the middleware of the routes that need someone: it answers for the handler
// when the request's token is missing or wrong, and otherwise puts the actor in the context.
func (s *Server) signedIn(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if _, err := s.actor(c); err != nil {
			return err
		}
		return next(c)
	}
}

// actorOf returns the actor signedIn found for the request. A handler that reads it on a route
// without signedIn is a mistake in the route list, which must not pass as an actor of no rights.
func actorOf(c echo.Context) agreements.Actor {
	a, ok := c.Get(actorKey).(agreements.Actor)
	if !ok {
		panic("server: " + c.Path() + " reads the actor but its route is not signedIn")
	}
	return a
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
