package server

import (
	"testing"
	"time"

	"golang.org/x/time/rate"
)

// Requests reach a bucket in another order than they began: a time that goes back must not
// refill the bucket again when the time goes forward (before, 1,000 guessers at once had 3,712
// wrong guesses looked up in 10 s against a budget of 1,400).
func TestLimiterTimeOutOfOrder(t *testing.T) {
	l := newLimiter(10, rate.Limit(1)) // 10 at once, then one a second
	t0 := time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)
	allowed := 0
	// Ten seconds of requests, each 10 ms apart, every other one stamped 900 ms earlier.
	for i := range 1000 {
		now := t0.Add(time.Duration(i) * 10 * time.Millisecond)
		if i%2 == 1 {
			now = now.Add(-900 * time.Millisecond)
		}
		if l.allow("", now) {
			allowed++
		}
	}
	if allowed > 10+10 {
		t.Errorf("%d allowed in 10 s; the budget is 10 at once and one a second", allowed)
	}
	if allowed < 10+9 {
		t.Errorf("%d allowed in 10 s; the budget of 10 at once and one a second was not given", allowed)
	}
}
