package server

import (
	"encoding/json"
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"klasseaftale/agreements"
)

// statusOf maps a domain error kind to its HTTP status.
var statusOf = map[agreements.Kind]int{
	agreements.KindInvalid:      http.StatusBadRequest,
	agreements.KindUnauthorized: http.StatusUnauthorized,
	agreements.KindForbidden:    http.StatusForbidden,
	agreements.KindNotFound:     http.StatusNotFound,
	agreements.KindConflict:     http.StatusConflict,
	agreements.KindTooMany:      http.StatusTooManyRequests,
	agreements.KindTooLarge:     http.StatusRequestEntityTooLarge,
	agreements.KindUnavailable:  http.StatusServiceUnavailable,
}

// The errors only HTTP can make: the domain knows no methods, origins, bodies or request rates.
// Their codes are message IDs in locales/ like the domain's.
var (
	errMethod      = agreements.Errorf(agreements.KindInvalid, "request.method")
	errCrossOrigin = agreements.Errorf(agreements.KindForbidden, "auth.cross_origin")
	errTooLarge    = agreements.Errorf(agreements.KindTooLarge, "request.too_large")
	errTooMany     = agreements.Errorf(agreements.KindTooMany, "request.too_many")
)

// httpErrors lists the errors above, for the tests that each is documented and has a message in
// every language.
var httpErrors = []*agreements.Error{errMethod, errCrossOrigin, errTooLarge, errTooMany}

// errorOfStatus gives Echo's own errors (unknown route, wrong method) a code a person can read.
var errorOfStatus = map[int]*agreements.Error{
	http.StatusNotFound:              agreements.ErrNotFound,
	http.StatusMethodNotAllowed:      errMethod,
	http.StatusRequestEntityTooLarge: errTooLarge,
	http.StatusUnauthorized:          agreements.ErrAuthRequired,
	http.StatusForbidden:             agreements.ErrForbidden,
	http.StatusBadRequest:            agreements.ErrBadRequest,
}

// handleError is the one place errors become responses: an agreements.Error becomes its status
// and a message in the request's language; anything else is logged and shown as a generic
// fault, so no internal text reaches a person.
func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	status, e := s.classify(err, c)
	lang := s.lang(c)
	if isPage(c) {
		s.renderError(c, status, lang, e)
		return
	}
	body := map[string]any{"error": map[string]string{"code": e.Code, "message": s.msgs.T(lang, e.Code, e.Data)}}
	if e.Detail != nil {
		body["current"] = e.Detail
	}
	if c.Request().Method == http.MethodHead {
		c.NoContent(status)
		return
	}
	c.JSON(status, body)
}

func (s *Server) classify(err error, c echo.Context) (int, *agreements.Error) {
	if e, ok := agreements.AsError(err); ok {
		return statusOf[e.Kind], e
	}
	var he *echo.HTTPError
	if errors.As(err, &he) {
		if e, ok := errorOfStatus[he.Code]; ok {
			return he.Code, e
		}
	}
	s.log.Error("request failed", "method", c.Request().Method, "path", c.Path(), "err", err)
	s.cfg.Metrics.Fault()
	return http.StatusInternalServerError, agreements.ErrInternal
}

// writeJSONError writes an error outside Echo (the cross-origin guard).
func writeJSONError(w http.ResponseWriter, status int, code, message string) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]any{"error": map[string]string{"code": code, "message": message}})
}
