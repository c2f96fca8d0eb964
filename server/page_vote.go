package server

import (
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"klasseaftale/agreements"
)

// pageCastVote is the ballot without JavaScript: a clause's form, posted as a plain form, casts
// the vote as the API does and leads back to the clause on the ballot. With JavaScript the
// ballot saves each answer through the API instead, without leaving the page.
func (s *Server) pageCastVote(c echo.Context) error {
	actor := actorOf(c)
	form, err := s.form(c)
	if err != nil {
		return err
	}
	in := voteRequest{ClauseID: form.Get("clause_id"), Choice: form.Get("choice"),
		Value: form.Get("value"), Reason: form.Get("reason")}
	if _, err := s.svc.CastVote(c.Request().Context(), actor, c.Param("id"), in.vote()); err != nil {
		return err
	}
	back := "/a/" + url.PathEscape(c.Param("id")) + "#clause-" + url.PathEscape(in.ClauseID)
	return c.Redirect(http.StatusSeeOther, back)

}

// form reads a posted form, no larger than the largest body.
func (s *Server) form(c echo.Context) (url.Values, error) {
	r := c.Request()
	r.Body = http.MaxBytesReader(c.Response(), r.Body, s.cfg.MaxBodyBytes)
	if err := r.ParseForm(); err != nil {
		return nil, agreements.ErrBadRequest
	}
	return r.PostForm, nil
}
