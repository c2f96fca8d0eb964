package agreements

import (
	"context"
	"time"
)

// Stores: Classes, OpLog.

// PurgeArchived deletes every class archived longer ago than the retention period, with all its
// households, members, agreements, votes, signatures and edit logs.
func (s *Service) PurgeArchived(ctx context.Context, retention time.Duration) (int, error) {
	return s.purgeClasses(ctx, func(tx Tx) ([]string, error) { return tx.ArchivedBefore(s.clock().Add(-retention)) })
}

// PurgeInactive deletes every class with no activity for InactiveMonths, whether or not it
// belongs to a school, with everything of it.
func (s *Service) PurgeInactive(ctx context.Context) (int, error) {
	return s.purgeClasses(ctx, func(tx Tx) ([]string, error) {
		return tx.InactiveBefore(s.clock().AddDate(0, -InactiveMonths, 0))
	})
}

// purgeClasses deletes the classes due and tells the live side that their members' access has
// ended. Until the store's journal is emptied the deleted text is still on disk, so it is
// emptied now, or tried again on every tick until it can be.
func (s *Service) purgeClasses(ctx context.Context, due func(Tx) ([]string, error)) (int, error) {
	n := 0
	err := s.commitThen(ctx, func(tx Tx) ([]Event, error) {
		ids, err := due(tx)
		if err != nil {
			return nil, err
		}
		var events []Event
		for _, id := range ids {
			if err := tx.DeleteClass(id); err != nil {
				return nil, err
			}
			events = append(events, Event{Type: EventAccessEnded, ClassID: id})
		}
		n = len(ids)
		return events, nil
	}, func() {
		if n > 0 {
			s.flushDue.Store(true)
		}
	})
	if err != nil {
		return 0, err
	}
	return n, s.flush(ctx)
}

// flush empties the store's journal when deleted data may still be in it.
func (s *Service) flush(ctx context.Context) error {
	if !s.flushDue.Load() {
		return nil
	}
	if err := s.store.Flush(ctx); err != nil {
		return err
	}
	s.flushDue.Store(false)
	return nil
}

// editLogSweep is how often the edit logs are looked through for old ones: the look reads the
// whole log, so not on every tick.
const editLogSweep = time.Hour

// PurgeEditLogs deletes the edit log of every clause whose last change is older than
// EditLogRetention (published agreements have none: publishing deletes theirs). The clauses
// keep their text; only who typed what, and when, goes. It looks at most once per editLogSweep.
func (s *Service) PurgeEditLogs(ctx context.Context) (int, error) {
	now := s.clock()
	if last := s.logsSwept.Load(); last != 0 && now.Sub(time.Unix(last, 0)) < editLogSweep {
		return 0, nil
	}
	before := now.Add(-EditLogRetention)
	var ids []string
	// Found on a read snapshot, so the scan holds up no writer; deleted in a write transaction
	// that spares a clause edited meanwhile.
	if err := s.view(ctx, func(tx Tx) (err error) { ids, err = tx.StaleEditLogs(before); return err }); err != nil {
		return 0, err
	}
	if len(ids) > 0 {
		err := s.commitThen(ctx, func(tx Tx) ([]Event, error) {
			for _, id := range ids {
				if err := tx.DeleteEditLog(id, before); err != nil {
					return nil, err
				}
			}
			return nil, nil
		}, func() { s.flushDue.Store(true) })
		if err != nil {
			return 0, err
		}
	}
	s.logsSwept.Store(now.Unix())
	return len(ids), s.flush(ctx)
}
