package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"klasseaftale/agreements"
)

// decode reads a JSON request body into v: at most MaxBodyBytes, valid UTF-8 (Go's decoder
// would quietly replace broken bytes), one JSON value, the right content type. Anything else is
// refused before the service sees it.
func (s *Server) decode(c echo.Context, v any) error {
	body, err := s.body(c)
	if err != nil {
		return err
	}
	return decodeJSON(body, v)
}

// decodeOptional is decode for a body that may be left out, as {} — also when it comes
// chunked, without a length.
func (s *Server) decodeOptional(c echo.Context, v any) error {
	body, err := s.body(c)
	if err != nil || len(bytes.TrimSpace(body)) == 0 {
		return err
	}
	return decodeJSON(body, v)
}

func (s *Server) body(c echo.Context) ([]byte, error) {
	r := c.Request()
	if ct := r.Header.Get("Content-Type"); ct != "" {
		if mt, _, err := mime.ParseMediaType(ct); err != nil || mt != "application/json" {
			return nil, agreements.ErrBadRequest
		}
	}
	body, err := io.ReadAll(http.MaxBytesReader(c.Response(), r.Body, s.cfg.MaxBodyBytes))
	if err != nil {
		return nil, decodeError(err)
	}
	if !utf8.Valid(body) {
		return nil, agreements.ErrBadRequest
	}
	return body, nil
}

func decodeJSON(body []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(v); err != nil {
		return decodeError(err)
	}
	if err := dec.Decode(&struct{}{}); err != io.EOF {
		return decodeError(err)
	}
	return nil
}

func decodeError(err error) error {
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return errTooLarge
	}
	if e, ok := agreements.AsError(err); ok {
		return e
	}
	return agreements.ErrBadRequest
}

// created and ok write JSON responses.
func created(c echo.Context, v any) error { return c.JSON(http.StatusCreated, v) }

func ok(c echo.Context, v any) error { return c.JSON(http.StatusOK, v) }
