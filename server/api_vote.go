package server

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"klasseaftale/agreements"
)

func (s *Server) apiOpenVote(c echo.Context) error {
	actor := actorOf(c)
	var rules agreements.VoteRules
	if err := s.decode(c, &rules); err != nil {
		return err
	}
	a, err := s.svc.OpenVote(c.Request().Context(), actor, c.Param("id"), rules)
	if err != nil {
		return err
	}
	return ok(c, a)

}

func (s *Server) apiReturnToDraft(c echo.Context) error {
	actor := actorOf(c)
	a, err := s.svc.ReturnToDraft(c.Request().Context(), actor, c.Param("id"))
	if err != nil {
		return err
	}
	return ok(c, a)

}

// voteRequest is the body of PUT /api/v1/agreements/{id}/votes (docs/api.md): choice is an
// answer (yes, yes_but, no, no_but, abstain) or, for a clause with a parameter, one of its option
// values, and value the option preferred along with an answer.
type voteRequest struct {
	ClauseID string `json:"clause_id"`
	Choice   string `json:"choice"`
	Value    string `json:"value"`
	Reason   string `json:"reason"`
}

func (v voteRequest) vote() agreements.Vote {
	out := agreements.Vote{ClauseID: v.ClauseID, Value: v.Value, Reason: v.Reason}
	if a := agreements.Answer(v.Choice); a.Valid() {
		out.Answer = a
	} else if v.Choice != "" && v.Value == "" {
		out.Value = v.Choice
	}
	return out
}

func (s *Server) apiCastVote(c echo.Context) error {
	actor := actorOf(c)
	var in voteRequest
	if err := s.decode(c, &in); err != nil {
		return err
	}
	res, err := s.svc.CastVote(c.Request().Context(), actor, c.Param("id"), in.vote())
	if err != nil {
		return err
	}
	votes, err := s.svc.MyVotes(c.Request().Context(), actor, c.Param("id"))
	if err != nil {
		return err
	}
	return ok(c, map[string]any{"votes": votes, "results": res})

}

func (s *Server) apiMyVotes(c echo.Context) error {
	actor := actorOf(c)
	votes, err := s.svc.MyVotes(c.Request().Context(), actor, c.Param("id"))
	if err != nil {
		return err
	}
	return ok(c, map[string]any{"votes": votes})

}

func (s *Server) apiResults(c echo.Context) error {
	actor := actorOf(c)
	res, err := s.svc.Results(c.Request().Context(), actor, c.Param("id"))
	if err != nil {
		return err
	}
	return ok(c, res)

}

func (s *Server) apiCloseVote(c echo.Context) error {
	actor := actorOf(c)
	res, err := s.svc.CloseVote(c.Request().Context(), actor, c.Param("id"))
	if err != nil {
		return err
	}
	return ok(c, map[string]any{"status": res.Status, "results": res})

}

func (s *Server) apiSign(c echo.Context) error {
	actor := actorOf(c)
	var in struct {
		MinPercent int `json:"min_percent"`
	}
	if err := s.decodeOptional(c, &in); err != nil {
		return err
	}
	com, err := s.svc.Sign(c.Request().Context(), actor, c.Param("id"), in.MinPercent)
	if err != nil {
		return err
	}
	return ok(c, com)

}

func (s *Server) apiWithdraw(c echo.Context) error {
	actor := actorOf(c)
	com, err := s.svc.Withdraw(c.Request().Context(), actor, c.Param("id"))
	if err != nil {
		return err
	}
	return ok(c, com)

}

func (s *Server) apiSignatures(c echo.Context) error {
	actor := actorOf(c)
	com, mine, err := s.svc.Signatures(c.Request().Context(), actor, c.Param("id"))
	if err != nil {
		return err
	}
	return ok(c, map[string]any{"commitment": com, "mine": mine})

}

func (s *Server) apiAnswerCheckin(c echo.Context) error {
	actor := actorOf(c)
	var in agreements.CheckinReply
	if err := s.decode(c, &in); err != nil {
		return err
	}
	res, err := s.svc.AnswerCheckin(c.Request().Context(), actor, c.Param("id"), in)
	if err != nil {
		return err
	}
	return ok(c, res)

}

func (s *Server) apiOpenCheckin(c echo.Context) error {
	actor := actorOf(c)
	ck, err := s.svc.OpenCheckin(c.Request().Context(), actor, c.Param("id"))
	if err != nil {
		return err
	}
	return created(c, ck)

}

func (s *Server) apiCheckin(c echo.Context) error {
	actor := actorOf(c)
	res, err := s.svc.Checkin(c.Request().Context(), actor, c.Param("id"))
	if err != nil {
		return err
	}
	return ok(c, res)

}

func (s *Server) apiRevise(c echo.Context) error {
	actor := actorOf(c)
	a, err := s.svc.Revise(c.Request().Context(), actor, c.Param("id"))
	if err != nil {
		return err
	}
	return created(c, a)

}

func (s *Server) apiSetActivation(c echo.Context) error {
	actor := actorOf(c)
	var in struct {
		Percent int `json:"activation_percent"`
	}
	if err := s.decode(c, &in); err != nil {
		return err
	}
	class, err := s.svc.SetActivation(c.Request().Context(), actor, c.Param("id"), in.Percent)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"class": class})

}
