package server

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"klasseaftale/agreements"
)

// A clause's history, its earlier texts, restoring one, and locking (docs/api.md).

func (s *Server) apiClauseHistory(c echo.Context) error {
	actor := actorOf(c)
	h, err := s.svc.ClauseHistory(c.Request().Context(), actor, c.Param("id"), c.Param("cid"))
	if err != nil {
		return err
	}
	return ok(c, h)
}

func (s *Server) apiClauseVersion(c echo.Context) error {
	actor := actorOf(c)
	rev, err := strconv.Atoi(c.Param("rev"))
	if err != nil {
		return agreements.ErrBadRequest.With("field", "rev")
	}
	v, err := s.svc.ClauseVersion(c.Request().Context(), actor, c.Param("id"), c.Param("cid"), rev)
	if err != nil {
		return err
	}
	return ok(c, v)
}

func (s *Server) apiRestoreClause(c echo.Context) error {
	actor := actorOf(c)
	var in struct {
		Rev *int `json:"rev"`
	}
	if err := s.decode(c, &in); err != nil {
		return err
	}
	if in.Rev == nil {
		return agreements.ErrBadRequest.With("field", "rev")
	}
	cl, err := s.svc.RestoreClause(c.Request().Context(), actor, c.Param("id"), c.Param("cid"), *in.Rev)
	if err != nil {
		return err
	}
	return ok(c, cl)
}

// apiLockClause locks a clause (PUT) or unlocks it (DELETE).
func (s *Server) apiLockClause(c echo.Context) error {
	actor := actorOf(c)
	locked := c.Request().Method == http.MethodPut
	cl, err := s.svc.SetClauseLock(c.Request().Context(), actor, c.Param("id"), c.Param("cid"), locked)
	if err != nil {
		return err
	}
	return ok(c, cl)
}
