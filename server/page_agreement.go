package server

import (
	"errors"
	"html/template"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"klasseaftale/agreements"
)

// agreementData is the editor.
type agreementData struct {
	A           *agreements.Agreement
	Facilitator bool
	CanEdit     bool
	PublicURL   string
	Rows        []clauseRow
	Blank       clauseRow // the markup a clause added live is made from
	HasVoice    bool      // the actor votes and signs (for a household, or as a pupil)
	Results     *agreements.Results
	Votes       []voteRow // the clauses with the household's vote and the results
	Answered    int       // how many clauses the household has answered
	Commitment  *agreements.Commitment
	Signature   *agreements.Signature
	Checkin     *agreements.CheckinResults
	Answers     []agreements.Answer
	Now         time.Time
	Notice      string                         // a message ID: why the page reloaded by itself (the status changed)
	Authors     map[string][]agreements.Author // per clause, who changed it (while drafting)
}

// notices say what happened when a page reloads because the agreement's status changed.
var notices = map[agreements.Status]string{
	agreements.StatusDraft:     "agreement.now_draft",
	agreements.StatusVoting:    "agreement.now_voting",
	agreements.StatusAdopted:   "agreement.now_decided",
	agreements.StatusRejected:  "agreement.now_decided",
	agreements.StatusPublished: "agreement.now_published",
}

// voteRow is a clause on the ballot: the household's vote on it and its result so far.
type voteRow struct {
	N      int // the clause's number, from 1
	Clause agreements.Clause
	Mine   agreements.Vote
	Result *agreements.ClauseResult
}

// clauseRow is a clause with the "after" targets of its move buttons: up goes after the clause
// two above ("" = first), down after the clause below. N is its number, from 1 (0 in the
// markup a clause added live is made from: the page numbers it).
type clauseRow struct {
	N              int
	Clause         agreements.Clause
	Up, Down       string
	CanUp, CanDown bool
}

func rows(cs []agreements.Clause) []clauseRow {
	out := make([]clauseRow, len(cs))
	for i, c := range cs {
		out[i] = clauseRow{N: i + 1, Clause: c, CanUp: i > 0, CanDown: i < len(cs)-1}
		if i > 1 {
			out[i].Up = cs[i-2].ID
		}
		if i < len(cs)-1 {
			out[i].Down = cs[i+1].ID
		}
	}
	return out
}

func (s *Server) pageAgreement(c echo.Context) error {
	actor := actorOf(c)
	a, err := s.svc.Agreement(c.Request().Context(), actor, c.Param("id"))
	if err != nil {
		return err
	}
	s.svc.Translate(a, s.lang(c))
	d := agreementData{A: a, Facilitator: actor.IsFacilitatorOf(a.ClassID),
		CanEdit: a.Editable() && a.CanEdit(actor), Rows: rows(a.Clauses),
		Blank: clauseRow{CanUp: true, CanDown: true}}
	if a.Slug != "" {
		d.PublicURL = s.publicURL(a.Slug)
	}
	if was := agreements.Status(c.QueryParam("was")); was != "" && was != a.Status {
		d.Notice = notices[a.Status]
	}
	if err := s.decisionData(c, actor, &d); err != nil {
		return err
	}
	if d.CanEdit {
		if d.Authors, err = s.svc.ClauseAuthors(c.Request().Context(), actor, a.ID); err != nil {
			return err
		}
	}
	return s.render(c, http.StatusOK, "agreement", "agreement.title", d)
}

// decisionData fills in what the page shows once a draft goes to the vote: the ballot and
// results, then the signatures and the latest check-in.
func (s *Server) decisionData(c echo.Context, actor agreements.Actor, d *agreementData) error {
	ctx, a := c.Request().Context(), d.A
	d.Now, d.Answers = s.now(), []agreements.Answer{agreements.AnswerYes, agreements.AnswerYesBut,
		agreements.AnswerNo, agreements.AnswerNoBut, agreements.AnswerAbstain}
	mine, err := s.svc.MyVotes(ctx, actor, a.ID)
	d.HasVoice = err == nil
	if a.Vote != nil {
		if d.Results, err = s.svc.Results(ctx, actor, a.ID); err != nil {
			return err
		}
		d.Votes = ballot(a.Clauses, mine, d.Results)
		for _, v := range d.Votes {
			if v.Mine.Answer != "" {
				d.Answered++
			}
		}
	}
	if a.Status != agreements.StatusPublished {
		return nil
	}
	if d.Commitment, d.Signature, err = s.svc.Signatures(ctx, actor, a.ID); err != nil {
		return err
	}
	if d.Checkin, err = s.svc.Checkin(ctx, actor, a.ID); err != nil && !errors.Is(err, agreements.ErrNoCheckin) {
		return err
	}
	return nil
}

func ballot(cs []agreements.Clause, mine []agreements.Vote, res *agreements.Results) []voteRow {
	out := make([]voteRow, len(cs))
	for i, c := range cs {
		out[i].N, out[i].Clause = i+1, c
		for _, v := range mine {
			if v.ClauseID == c.ID {
				out[i].Mine = v
			}
		}
		for j := range res.Clauses {
			if res.Clauses[j].ClauseID == c.ID {
				out[i].Result = &res.Clauses[j]
			}
		}
	}
	return out
}

// publishedData is the public page of an agreement, also its poster.
type publishedData struct {
	V      *agreements.PublishedView
	URL    string
	QR     template.HTML
	Fit    int  // how tightly the poster sets its type: posterFit
	Member bool // the reader is in the class and may see the agreement: link to signing
}

func (s *Server) pagePublished(c echo.Context) error {
	v, err := s.svc.Published(c.Request().Context(), c.Param("slug"), s.lang(c))
	if err != nil {
		return err
	}
	d := publishedData{V: v, URL: s.publicURL(v.Agreement.Slug), Fit: posterFit(v)}
	if actor, err := s.actor(c); err == nil {
		d.Member = actor.CanSee(v.Agreement.ClassID, v.Agreement.Kind)
	}
	if d.QR, err = qrSVG(d.URL, s.msgs.T(s.lang(c), "published.qr", nil)); err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "published", "published.title", d)
}
