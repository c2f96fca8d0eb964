package server

import (
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"

	"github.com/labstack/echo/v4"

	"klasseaftale/agreements"
)

// decode reads a JSON request body into v: at most MaxBodyBytes, one JSON value, the right
// content type. Anything else is refused before the service sees it.
func (s *Server) decode(c echo.Context, v any) error {
	r := c.Request()
	if ct := r.Header.Get("Content-Type"); ct != "" {
		if mt, _, err := mime.ParseMediaType(ct); err != nil || mt != "application/json" {
			return agreements.ErrBadRequest
		}
	}
	body := http.MaxBytesReader(c.Response(), r.Body, s.cfg.MaxBodyBytes)
	dec := json.NewDecoder(body)
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
		return agreements.ErrTooLarge
	}
	if e, ok := agreements.AsError(err); ok {
		return e
	}
	return agreements.ErrBadRequest
}

// created and ok write JSON responses.
func created(c echo.Context, v any) error { return c.JSON(http.StatusCreated, v) }

func ok(c echo.Context, v any) error { return c.JSON(http.StatusOK, v) }
