// Package server delivers the product over HTTP: the JSON API, the pages and the static files.
// Handlers are thin: decode, one service call, encode. Every route is in routes.go.
package server

import (
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"klasseaftale/agreements"
	"klasseaftale/locales"
)

// Config is what the server needs to know about where it runs.
type Config struct {
	BaseURL      string   // the public address, e.g. https://klasseaftale.dk (for QR codes and the WebSocket origin check)
	TrustedProxy []string // CIDRs of reverse proxies whose X-Forwarded-For is believed; empty: none
	MaxBodyBytes int64    // the largest request body accepted
	Limits       *Limits  // the rate limits; nil: DefaultLimits
	Metrics      Metrics  // nil: none
	Logger       *slog.Logger
	// ContactURL is where people reach the operator (https: or mailto:), named by the
	// accessibility statement; "": the statement says none is given.
	ContactURL string
}

// Server holds what the handlers share.
type Server struct {
	cfg     Config
	base    *url.URL
	svc     *agreements.Service
	msgs    *locales.Bundle
	pages   *template.Template
	assets  *assets
	limits  *limiters
	log     *slog.Logger
	live    echo.HandlerFunc
	handler http.Handler
	now     func() time.Time
}

// Live is the WebSocket side, built by cmd and attached here so that server does not depend on it.
type Live interface {
	// Serve takes the connection over, or refuses it (over a cap) with an error before
	// writing anything. addr is the client's address as the rate limits count it.
	Serve(w http.ResponseWriter, r *http.Request, actor agreements.Actor, agreementID, lang, addr string) error
}

// New builds the server. web holds the frontend: templates/*.html and static/.
func New(cfg Config, svc *agreements.Service, msgs *locales.Bundle, web fs.FS, live Live) (*Server, error) {
	base, err := url.Parse(cfg.BaseURL)
	if err != nil || base.Scheme == "" || base.Host == "" {
		return nil, fmt.Errorf("server: base URL %q is not an absolute URL", cfg.BaseURL)
	}
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = 256 << 10
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Metrics == nil {
		cfg.Metrics = noMetrics{}
	}
	limits := DefaultLimits()
	if cfg.Limits != nil {
		limits = *cfg.Limits
	}
	s := &Server{cfg: cfg, base: base, svc: svc, msgs: msgs, log: cfg.Logger, limits: newLimiters(limits), now: time.Now}
	if s.pages, err = parsePages(web, s.funcs()); err != nil {
		return nil, err
	}
	if s.assets, err = newAssets(web); err != nil {
		return nil, err
	}
	if live != nil {
		s.live = s.liveHandler(live)
	}
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	if e.IPExtractor, err = ipExtractor(cfg.TrustedProxy); err != nil {
		return nil, err
	}
	e.HTTPErrorHandler = s.handleError
	s.routes(e)
	s.handler = s.crossOrigin(e)
	return s, nil
}

// ServeHTTP serves a request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// ipExtractor says where the client's address comes from. Echo v4 believes X-Forwarded-For
// from anyone unless told otherwise, which would let a client dodge the rate limits; so we
// read the socket's address unless proxies are named.
func ipExtractor(proxies []string) (echo.IPExtractor, error) {
	if len(proxies) == 0 {
		return echo.ExtractIPDirect(), nil
	}
	opts := []echo.TrustOption{echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false)}
	for _, p := range proxies {
		_, n, err := net.ParseCIDR(strings.TrimSpace(p))
		if err != nil {
			return nil, fmt.Errorf("server: trusted proxy %q: %w", p, err)
		}
		opts = append(opts, echo.TrustIPRange(n))
	}
	return echo.ExtractIPFromXFFHeader(opts...), nil
}

// crossOrigin refuses state-changing requests that a browser sends from another site (CSRF);
// API clients, which send neither Origin nor Sec-Fetch-Site, pass.
func (s *Server) crossOrigin(next http.Handler) http.Handler {
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		lang := s.langOf(r)
		s.setSecureHeaders(w.Header())
		code := errCrossOrigin.Code
		writeJSONError(w, http.StatusForbidden, code, s.msgs.T(lang, code, nil))
	}))
	return cop.Handler(next)
}
