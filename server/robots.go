package server

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// robotsTxt lets search engines read the public pages and keeps them out of the API and the
// key links, which are secrets.
const robotsTxt = "User-agent: *\nDisallow: /api/\nDisallow: /k/\n"

func (s *Server) robots(c echo.Context) error {
	c.Response().Header().Set("Cache-Control", "public, max-age=86400")
	return c.Blob(http.StatusOK, "text/plain; charset=utf-8", []byte(robotsTxt))
}

// favicon sends the browsers that ask for /favicon.ico, whatever the page links, to the icon.
func (s *Server) favicon(c echo.Context) error {
	return c.Redirect(http.StatusMovedPermanently, s.assets.url("favicon.svg"))
}
