package agreements

import (
	"context"
	"strings"
	"unicode/utf8"
)

// Stores: AgreementStore, Decisions.

// OpenCheckin asks the class again whether the published agreement is kept; only the
// facilitator may. (The server also opens one by itself some months after publishing.)
func (s *Service) OpenCheckin(ctx context.Context, actor Actor, id string) (*Checkin, error) {
	c := &Checkin{ID: NewID(), OpenedAt: s.clock()}
	err := s.update(ctx, func(tx Tx) error {
		a, err := s.loadPublishedFor(tx, actor, id)
		if err != nil {
			return err
		}
		if err := s.active(tx, a.ClassID); err != nil {
			return err
		}
		return tx.InsertCheckin(id, c)
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// AnswerCheckin records the household's answer to the open check-in, replacing an earlier one.
func (s *Service) AnswerCheckin(ctx context.Context, actor Actor, id string, r CheckinReply) (*CheckinResults, error) {
	if !r.Answer.Valid() {
		return nil, ErrCheckinAnswer
	}
	r.Comment = strings.TrimSpace(r.Comment)
	if utf8.RuneCountInString(r.Comment) > MaxReasonLen {
		return nil, ErrReasonTooLong
	}
	var res *CheckinResults
	err := s.update(ctx, func(tx Tx) error {
		a, c, voter, err := s.checkinOf(tx, actor, id)
		if err != nil {
			return err
		}
		if voter == "" {
			return ErrNoVoice
		}
		if err := tx.PutCheckinReply(c.ID, voter, r); err != nil {
			return err
		}
		if err := s.active(tx, a.ClassID); err != nil {
			return err
		}
		res, err = s.checkinResults(tx, a, c, voter)
		return err
	})
	return res, err
}

// Checkin returns the latest check-in's results: in aggregate, and only once enough households
// have answered.
func (s *Service) Checkin(ctx context.Context, actor Actor, id string) (*CheckinResults, error) {
	var res *CheckinResults
	err := s.view(ctx, func(tx Tx) error {
		a, c, voter, err := s.checkinOf(tx, actor, id)
		if err != nil {
			return err
		}
		res, err = s.checkinResults(tx, a, c, voter)
		return err
	})
	return res, err
}

// checkinOf loads a published agreement, its latest check-in and the actor's voter key ("" for
// a facilitator without a child in the class).
func (s *Service) checkinOf(tx Tx, actor Actor, id string) (*Agreement, *Checkin, string, error) {
	a, err := s.loadVisible(tx, actor, id)
	if err != nil {
		return nil, nil, "", err
	}
	if a.Status != StatusPublished {
		return nil, nil, "", ErrNotPublished
	}
	c, err := tx.LatestCheckin(id)
	if err != nil {
		return nil, nil, "", notFoundAs(err, ErrNoCheckin)
	}
	voter, _ := voterOf(actor, a)
	return a, c, voter, nil
}

func (s *Service) checkinResults(tx Tx, a *Agreement, c *Checkin, voter string) (*CheckinResults, error) {
	replies, err := tx.CheckinReplies(c.ID)
	if err != nil {
		return nil, err
	}
	voters, err := s.electorate(tx, a)
	if err != nil {
		return nil, err
	}
	var counted []CheckinReply
	for v, r := range replies {
		if _, ok := voters[v]; ok {
			counted = append(counted, r)
		}
	}
	res := Summarize(c, counted)
	if mine, ok := replies[voter]; ok && voter != "" {
		res.Mine = &mine
	}
	return &res, nil
}

// OpenDueCheckins opens the first check-in of agreements published CheckinDelay ago.
func (s *Service) OpenDueCheckins(ctx context.Context) error {
	return s.update(ctx, func(tx Tx) error {
		ids, err := tx.CheckinsDue(s.clock().Add(-CheckinDelay))
		for _, id := range ids {
			if err := tx.InsertCheckin(id, &Checkin{ID: NewID(), OpenedAt: s.clock()}); err != nil {
				return err
			}
		}
		return err
	})
}
