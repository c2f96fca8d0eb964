package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	"klasseaftale/internal/liveclient"
)

// room is one agreement under load, with its tabs.
type room struct {
	setup   *roomSetup
	tabs    []*tab
	authors map[string]*author // by client id; not changed once typing starts
	engine  *tab               // with -thin: the first tab that watches, on whose text thin authors type
}

// fullAuthors is how many authors of a room are full clients with -thin; the others are thin.
const fullAuthors = 4

// tab is one connected client; author is nil for a tab that only watches.
type tab struct {
	room   *room
	server int // which of the instances (target.URLs) it connects to
	id     string
	token  string
	c      *liveclient.Client
	author *author
	dead   atomic.Bool // could not connect, or reconnect
	// thin: an author that sends its keystrokes built on the room engine's text at its revision,
	// and reads the stream only for its acknowledgements and the others' timing (see
	// liveclient.Client.Thin); the server transforms each past what came after.
	thin  bool
	mu    sync.Mutex // held while typing and while reconnecting: the client does not allow both at once
	recv  int64      // when the frame being read arrived (ns since the run's start); set by the client's hooks
	bcast tally      // broadcast latencies of what this tab received
}

// newTabs lays out the tabs of a room: the first are authors, spread over its clauses; tabs
// beyond the parents who joined are second tabs of the same parents. The tabs of all rooms,
// in order, take the instances in turn.
func (r *runner) newTabs(rm *room, n int, authorBase int) {
	s := rm.setup
	rm.authors = map[string]*author{}
	for i := range n {
		t := &tab{room: rm, server: r.laid % len(r.target.URLs), id: fmt.Sprintf("r%d-t%d", s.Index+1, i+1), token: s.Parents[i%len(s.Parents)]}
		r.laid++
		if i < r.cfg.Authors {
			a := &author{tab: t, num: authorBase + i, clause: s.Clauses[i%len(s.Clauses)], keep: r.keep,
				rng:  rand.New(rand.NewPCG(r.cfg.Seed, uint64(authorBase+i))),
				sent: make([]atomic.Int64, r.maxSeq)}
			t.author = a
			rm.authors[t.id] = a
		}
		switch {
		case r.cfg.Thin && i >= fullAuthors && t.author != nil:
			t.thin = true
		case r.cfg.Thin && i == r.cfg.Authors:
			rm.engine = t
		}
		t.c = &liveclient.Client{URL: r.target.URLs[t.server], Agree: s.Agreement, Token: t.token, ID: t.id,
			Timeout: 60 * time.Second, Hooks: r.hooks(t), Cache: r.cache, Thin: t.thin, Poll: r.poll}
		rm.tabs = append(rm.tabs, t)
	}
}

// hooks time the acknowledgements (for an author) and the receipt of everyone else's operations.
func (r *runner) hooks(t *tab) liveclient.Hooks {
	h := liveclient.Hooks{
		Frame: func() { t.recv = r.now() },
		Remote: func(clause, client string, seq, rev int) {
			a := t.room.authors[client]
			if a == nil {
				r.unmatched.Add(1)
				return
			}
			if sent := a.sentAt(seq); sent > 0 {
				t.bcast.record(time.Duration(t.recv - sent))
			} else {
				r.unmatched.Add(1)
			}
		},
		Other: func(m map[string]any) {
			if m["type"] == "error" {
				r.fault(fmt.Errorf("%s: server error %v: %v", t.id, m["code"], m["message"]))
			}
		},
	}
	if a := t.author; a != nil {
		h.Ack = func(clause string, seq, rev int) {
			if sent := a.sentAt(seq); sent > 0 {
				r.ack.record(time.Duration(t.recv - sent))
			} else {
				r.unmatched.Add(1)
			}
			r.committed.Add(1)
			r.lastAck.Store(t.recv)
			if t.thin {
				r.thinAcked(a, seq)
			} else {
				r.fullAcked(a, seq)
			}
		}
	}
	return h
}

// gone reports whether the tab's connection has ended.
func (t *tab) gone() bool {
	select {
	case <-t.c.Closed():
		return true
	default:
		return false
	}
}

// watch reconnects the tab whenever its connection ends before the run does, as a browser
// does, and counts the drop. It returns when the run stops.
func (r *runner) watch(ctx context.Context, t *tab) {
	for {
		select {
		case <-t.c.Closed():
		case <-r.stopping:
			return
		}
		select {
		case <-r.stopping:
			return
		default:
		}
		r.dropped.Add(1)
		for try := 0; ; try++ {
			select {
			case <-r.stopping:
				return
			case <-time.After(time.Duration(try+1) * 250 * time.Millisecond):
			}
			t.mu.Lock()
			err := t.c.Connect(ctx)
			t.mu.Unlock()
			if err == nil {
				break
			}
			if try == 10 {
				r.fault(fmt.Errorf("%s: reconnect: %w", t.id, err))
				t.dead.Store(true)
				return
			}
		}
	}
}

// connectAll connects the tabs, a few at a time.
func (r *runner) connectAll(ctx context.Context) {
	sem := make(chan struct{}, 16)
	var wg sync.WaitGroup
	for _, rm := range r.rooms {
		for _, t := range rm.tabs {
			wg.Add(1)
			sem <- struct{}{}
			go func() {
				defer func() { <-sem; wg.Done() }()
				if err := t.c.Connect(ctx); err != nil {
					t.dead.Store(true)
					r.fault(fmt.Errorf("%s: connect: %w", t.id, err))
				}
			}()
		}
	}
	wg.Wait()
}

// typeAll lets every author type for d from start.
func (r *runner) typeAll(ctx context.Context, d time.Duration) {
	var wg sync.WaitGroup
	start := time.Now()
	for _, rm := range r.rooms {
		for _, t := range rm.tabs {
			if t.author != nil && !t.dead.Load() {
				wg.Add(1)
				go func() {
					defer wg.Done()
					r.typeLoop(ctx, t.author, start, d)
				}()
			}
		}
	}
	wg.Wait()
}

// typeLoop types at the rate until the end, starting at a random phase. A keystroke that is
// more than one interval late is skipped, as a person does not type faster to catch up; the
// report shows how many were typed of how many intended.
func (r *runner) typeLoop(ctx context.Context, a *author, start time.Time, d time.Duration) {
	interval := time.Duration(float64(time.Second) / r.cfg.Rate)
	next := start.Add(time.Duration(a.rng.Int64N(int64(interval))))
	end := start.Add(d)
	timer := time.NewTimer(time.Until(next))
	defer timer.Stop()
	for next.Before(end) {
		select {
		case <-ctx.Done():
			return
		case <-timer.C:
		}
		r.keystroke(a)
		next = next.Add(interval)
		if late := time.Since(next); late > interval {
			skipped := int64(late / interval)
			r.skipped.Add(skipped)
			next = next.Add(time.Duration(skipped) * interval)
		}
		timer.Reset(time.Until(next))
	}
}

// pending reports whether the tab has changes in flight.
func (t *tab) pending() bool {
	if t.thin {
		t.mu.Lock()
		defer t.mu.Unlock()
		return t.author.acked.Load() != int64(t.author.seq) || t.author.waiting > 0
	}
	return t.c.Pending()
}
