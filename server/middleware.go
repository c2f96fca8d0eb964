package server

import (
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
)

// csp allows nothing from other sites: scripts, styles, fonts, images and the WebSocket all come
// from us, and no page may be framed (the projector view included).
const csp = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"font-src 'self'; connect-src 'self'; manifest-src 'self'; form-action 'self'; " +
	"base-uri 'none'; frame-ancestors 'none'"

// secureHeaders sets the headers every response carries; API answers, which carry people's
// data, are kept out of every cache.
func (s *Server) secureHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		s.setSecureHeaders(h)
		if strings.HasPrefix(c.Request().URL.Path, "/api/") {
			h.Set("Cache-Control", "no-store")
		}
		return next(c)
	}
}

func (s *Server) setSecureHeaders(h http.Header) {
	h.Set("Content-Security-Policy", csp)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	// Addresses carry secrets (/k/ links) and unguessable slugs: never leak them onward.
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	h.Set("Cross-Origin-Resource-Policy", "same-origin")
	h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
	if s.base.Scheme == "https" {
		h.Set("Strict-Transport-Security", "max-age=31536000")
	}
}

// logRequests logs each request without its query or secrets: /k/ links carry tokens, and a
// published agreement's address is known only to its class.
func (s *Server) logRequests(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		err := next(c)
		if err != nil {
			c.Error(err)
		}
		path := c.Request().URL.Path
		for _, secret := range []string{"/k/", "/p/", "/api/v1/published/"} {
			if strings.HasPrefix(path, secret) {
				path = secret + "…"
			}
		}
		took := time.Since(start)
		s.log.Debug("request", "method", c.Request().Method, "path", path,
			"status", c.Response().Status, "ms", took.Milliseconds())
		route := c.Path() // the route's pattern: no IDs, no secrets
		if route == "" || route == "/*" {
			route = "unmatched"
		}
		s.cfg.Metrics.Request(route, c.Request().Method, c.Response().Status, took)
		return nil
	}
}

const langCookie = "ka_lang"

// lang is the language of a request: ?lang= (for translators checking a page), then the
// person's choice in the cookie, then Accept-Language, then Danish.
func (s *Server) lang(c echo.Context) string {
	if l, ok := c.Get("lang").(string); ok {
		return l
	}
	l := s.langOf(c.Request())
	c.Set("lang", l)
	return l
}

func (s *Server) langOf(r *http.Request) string {
	if q := r.URL.Query().Get("lang"); s.msgs.Has(q) {
		return q
	}
	choice := ""
	if ck, err := r.Cookie(langCookie); err == nil {
		choice = ck.Value
	}
	return s.msgs.Match(choice, r.Header.Get("Accept-Language"))
}

// isPage reports whether a request is for a page (HTML errors) rather than the API.
func isPage(c echo.Context) bool {
	p := c.Request().URL.Path
	return !strings.HasPrefix(p, "/api/") && !strings.HasPrefix(p, "/static/") && !strings.HasPrefix(p, "/i18n/")
}

func (s *Server) healthz(c echo.Context) error {
	return c.JSON(http.StatusOK, map[string]string{"status": "ok"})
}

// compressPages gzips pages and API answers for clients that accept it. Static files come
// compressed already, and the live WebSocket must not be wrapped.
func (s *Server) compressPages() echo.MiddlewareFunc {
	return middleware.GzipWithConfig(middleware.GzipConfig{
		Level:     5,
		MinLength: 1024,
		Skipper: func(c echo.Context) bool {
			p := c.Request().URL.Path
			return strings.HasPrefix(p, "/static/") || strings.HasSuffix(p, "/live")
		},
	})
}
