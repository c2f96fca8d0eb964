package server

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"
)

// liveHandler checks the WebSocket upgrade like any API request — the token (its route is
// signedIn), the Origin, the right to see the agreement — and only then hands the connection
// to the live side.
func (s *Server) liveHandler(l Live) echo.HandlerFunc {
	return func(c echo.Context) error {
		if !s.sameOrigin(c.Request()) {
			return errCrossOrigin
		}
		actor := actorOf(c)
		if _, err := s.svc.Agreement(c.Request().Context(), actor, c.Param("id")); err != nil {
			return err
		}
		return l.Serve(c.Response(), c.Request(), actor, c.Param("id"), s.lang(c), addrKey(c.RealIP()))
	}
}

// sameOrigin reports whether a browser's Origin, when it sends one, is this server's base URL.
// WebSocket upgrades are not covered by the cross-origin guard, which only looks at unsafe
// methods, so a page elsewhere could otherwise open one with a parent's cookie.
// The Origin may also name the host the browser connected to (as gorilla's own check does), so
// a server reached by another name than its base URL still works — with the base URL's
// scheme: a plain-http page on the same host is another origin. Another site never matches.
func (s *Server) sameOrigin(r *http.Request) bool {
	origin := r.Header.Get("Origin")
	if origin == "" || strings.EqualFold(origin, s.base.Scheme+"://"+s.base.Host) {
		return true
	}
	u, err := url.Parse(origin)
	return err == nil && u.Host != "" && strings.EqualFold(u.Host, r.Host) && u.Scheme == s.base.Scheme
}
