package agreements

import (
	"context"
	"errors"
)

// Stores: Classes, Decisions.

// Sign records that the actor's household keeps the published agreement — now (minPercent 0)
// or once at least minPercent of the class's households have signed — and returns where the
// signatures stand.
func (s *Service) Sign(ctx context.Context, actor Actor, id string, minPercent int) (*Commitment, error) {
	if minPercent < 0 || minPercent > 100 {
		return nil, ErrPercentInvalid
	}
	return s.signing(ctx, actor, id, func(tx Tx, voter string) error {
		return tx.PutSignature(id, Signature{Key: voter, MinPercent: minPercent, SignedAt: s.clock()})
	})
}

// Withdraw takes the household's signature back.
func (s *Service) Withdraw(ctx context.Context, actor Actor, id string) (*Commitment, error) {
	return s.signing(ctx, actor, id, func(tx Tx, voter string) error {
		return tx.DeleteSignature(id, voter)
	})
}

func (s *Service) signing(ctx context.Context, actor Actor, id string, change func(Tx, string) error) (*Commitment, error) {
	var c *Commitment
	err := s.commit(ctx, func(tx Tx) (_ []Event, err error) {
		a, voter, err := s.loadVoter(tx, actor, id)
		if err == nil && a.Status != StatusPublished {
			err = ErrNotPublished
		}
		if err != nil {
			return nil, err
		}
		if err := change(tx, voter); err != nil {
			return nil, err
		}
		if err := s.active(tx, a.ClassID); err != nil {
			return nil, err
		}
		c, err = s.commitment(tx, a)
		return nil, err
	})
	return c, err
}

// Signatures returns where the signatures of a published agreement stand and the actor's own
// household's signature (nil when it has not signed, or the actor has no voice).
func (s *Service) Signatures(ctx context.Context, actor Actor, id string) (*Commitment, *Signature, error) {
	var com *Commitment
	var mine *Signature
	err := s.view(ctx, func(tx Tx) error {
		a, voter, err := s.loadVoter(tx, actor, id)
		if err != nil && !errors.Is(err, ErrNoVoice) {
			return err
		}
		if a.Status != StatusPublished {
			return ErrNotPublished
		}
		if com, err = s.commitment(tx, a); err != nil {
			return err
		}
		sigs, err := tx.Signatures(id)
		for i := range sigs {
			if voter != "" && sigs[i].Key == voter {
				mine = &sigs[i]
			}
		}
		return err
	})
	return com, mine, err
}

// SetActivation sets the share of households whose holding signatures make the class's
// agreements active; only the facilitator may.
func (s *Service) SetActivation(ctx context.Context, actor Actor, classID string, percent int) (*Class, error) {
	if !actor.IsFacilitatorOf(classID) {
		return nil, ErrForbidden
	}
	if percent < 1 || percent > 100 {
		return nil, ErrActivationInvalid
	}
	var class *Class
	err := s.update(ctx, func(tx Tx) (err error) {
		if err = tx.SetActivation(classID, percent); err != nil {
			return err
		}
		if err := s.active(tx, classID); err != nil {
			return err
		}
		class, err = tx.Class(classID)
		return err
	})
	return class, err
}
