package agreements

import (
	"context"
	"errors"
	"time"
)

// The work that falls due with time rather than with a request: votes that close at their time,
// data whose keeping time is over (service_retention.go), and check-ins opened a few months after
// publishing (service_checkin.go). The program runs it every minute with RunTicks.

// Tick does what is due: it closes votes whose time is up, deletes classes archived longer
// than the retention period and classes unused for InactiveMonths, deletes old edit logs,
// empties the journal of deleted data, and opens scheduled check-ins. The server calls it
// every minute. A step that fails does not hold up the others; Tick reports every failure.
func (s *Service) Tick(ctx context.Context) error {
	purge := func(f func(context.Context) (int, error)) func(context.Context) error {
		return func(ctx context.Context) error { _, err := f(ctx); return err }
	}
	steps := []func(context.Context) error{
		s.CloseDueVotes,
		purge(func(ctx context.Context) (int, error) { return s.PurgeArchived(ctx, s.retention) }),
		purge(s.PurgeInactive),
		purge(s.PurgeEditLogs),
		s.flush,
		s.OpenDueCheckins,
	}
	var errs []error
	for _, step := range steps {
		if err := step(ctx); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// RunTicks calls Tick now and then every interval until ctx ends, telling onErr of failures.
func (s *Service) RunTicks(ctx context.Context, interval time.Duration, onErr func(error)) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if err := s.Tick(ctx); err != nil && ctx.Err() == nil {
			onErr(err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
