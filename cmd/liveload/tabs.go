package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"klasseaftale/agreements/ot"
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

// marker is one keystroke's unique text, and whether a later keystroke deleted it.
type marker struct {
	text    string
	deleted bool
}

// author is a tab that types into one clause. inflight, buffered and seq mirror the client's
// OT state (an operation awaits its ack; keystrokes wait in the buffer; the seq of the last
// operation sent), so that the time each operation is sent is known by its seq. They, markers
// and live are touched only with the client's lock held: in the edit function and the hooks.
type author struct {
	tab    *tab
	num    int
	clause string
	keep   int
	rng    *rand.Rand
	sent   []atomic.Int64 // ns since the run's start when op seq was sent; 0: unknown

	inflight bool
	buffered bool
	seq      int

	acked   atomic.Int64 // thin: the last seq acknowledged; seq is the last sent
	waiting int          // thin: keystrokes not sent yet, waiting for the one in flight

	markers []marker // every marker typed, in order
	live    []int    // indexes of markers not yet deleted, oldest first
	caret   int      // after the last marker typed, in the author's text then
}

func (a *author) sentAt(seq int) int64 {
	if seq <= 0 || seq >= len(a.sent) {
		return 0
	}
	return a.sent[seq].Load()
}

func (a *author) setSent(seq int, t int64) {
	if seq > 0 && seq < len(a.sent) {
		a.sent[seq].Store(t)
	}
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
			Timeout: 60 * time.Second, Hooks: r.hooks(t), Cache: r.cache, Thin: t.thin}
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
	if a := t.author; a != nil && t.thin {
		h.Ack = func(clause string, seq, rev int) {
			if sent := a.sentAt(seq); sent > 0 {
				r.ack.record(time.Duration(t.recv - sent))
			} else {
				r.unmatched.Add(1)
			}
			r.committed.Add(1)
			r.lastAck.Store(t.recv)
			if last := a.acked.Swap(int64(seq)); int64(seq) != last+1 {
				r.fault(fmt.Errorf("%s: ack of seq %d after %d", t.id, seq, last))
			}
			go func() { // not under the client's lock, which the hook holds
				a.tab.mu.Lock()
				a.inflight = false
				a.tab.mu.Unlock()
				r.thinFlush(a)
			}()
		}
	} else if a != nil {
		h.Ack = func(clause string, seq, rev int) {
			if sent := a.sentAt(seq); sent > 0 {
				r.ack.record(time.Duration(t.recv - sent))
			} else {
				r.unmatched.Add(1)
			}
			r.committed.Add(1)
			r.lastAck.Store(t.recv)
			if seq != a.seq {
				r.fault(fmt.Errorf("%s: ack of seq %d, expected %d", t.id, seq, a.seq))
			}
			if a.buffered { // the client sends its buffer now, as the next seq
				a.buffered = false
				a.seq++
				a.setSent(a.seq, r.now())
				r.sent.Add(1)
			} else {
				a.inflight = false
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

// keystroke types one marker at a random place outside every marker and, when the author
// holds keep markers, deletes its oldest one in the same operation.
func (r *runner) keystroke(a *author) {
	if a.tab.thin {
		r.thinKeystroke(a)
		return
	}
	want := 0
	a.tab.mu.Lock()
	defer a.tab.mu.Unlock()
	seq, err := a.tab.c.EditFunc(a.clause, func(text string) ot.Op {
		op := a.change(text, 1)
		if !a.inflight { // the client sends this operation now, with the next seq
			a.inflight = true
			a.seq++
			want = a.seq
			a.setSent(a.seq, r.now())
			r.sent.Add(1)
		} else {
			a.buffered = true
		}
		return op
	})
	r.typed.Add(1)
	switch {
	case err != nil && a.tab.gone():
		// Written to a connection that has just ended: the operation stays in flight and is
		// sent again on reconnecting.
	case err != nil:
		r.fault(fmt.Errorf("%s: edit: %w", a.tab.id, err))
	case seq != want:
		r.fault(fmt.Errorf("%s: sent seq %d, expected %d", a.tab.id, seq, want))
	}
	if err == nil && r.cfg.Carets {
		if err := a.tab.c.Presence(a.clause, [2]int{a.caret, a.caret}); err != nil && !a.tab.gone() {
			r.fault(fmt.Errorf("%s: presence: %w", a.tab.id, err))
		}
	}
}

// thinKeystroke types as a browser does: with no operation in flight, the keystroke is built
// on the room engine's text at its revision and sent; with one in flight, it waits, and the
// keystrokes that waited go together when the acknowledgement comes (thinFlush), as a
// browser's buffer does. So a slow server is sent less, not more, as by real tabs.
func (r *runner) thinKeystroke(a *author) {
	a.tab.mu.Lock()
	defer a.tab.mu.Unlock()
	r.typed.Add(1)
	a.waiting++
	if !a.inflight {
		r.thinSend(a)
	}
}

// thinFlush sends the keystrokes that waited for an acknowledgement.
func (r *runner) thinFlush(a *author) {
	a.tab.mu.Lock()
	defer a.tab.mu.Unlock()
	if !a.inflight && a.waiting > 0 {
		r.thinSend(a)
	}
}

// thinSend sends the waiting keystrokes as one operation; a.tab.mu is held.
func (r *runner) thinSend(a *author) {
	text, rev := a.tab.room.engine.c.Snapshot(a.clause)
	op := a.change(text, a.waiting)
	a.waiting = 0
	a.inflight = true
	a.seq++
	a.setSent(a.seq, r.now())
	r.sent.Add(1)
	err := a.tab.c.SendOp(a.clause, rev, a.seq, op)
	if err == nil && r.cfg.Carets {
		err = a.tab.c.PresenceAt(a.clause, [2]int{a.caret, a.caret}, rev)
	}
	if err != nil && !a.tab.gone() {
		r.fault(fmt.Errorf("%s: edit: %w", a.tab.id, err))
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

// change builds the operation of n keystrokes on the author's current text: n markers at a
// random place outside every marker and, while the author would hold more than keep, the
// deletion of its oldest ones. A thin author's text (its room engine's) may not hold its newest markers
// yet; an old one not there yet stays, and goes with a later keystroke, so the text stays
// bounded.
func (a *author) change(text string, n int) ot.Op {
	g := a.gap(text)
	type cut struct{ at, n int }
	var cuts []cut
	if a.keep > 0 {
		var kept []int
		for _, mi := range a.live {
			old := &a.markers[mi]
			i := -1
			if len(a.live)-len(cuts)+n > a.keep {
				i = strings.Index(text, old.text)
			}
			if i < 0 {
				kept = append(kept, mi)
				continue
			}
			old.deleted = true
			cuts = append(cuts, cut{ot.Len(text[:i]), ot.Len(old.text)})
		}
		a.live = kept
	}
	mk := ""
	for range n {
		m := "⟦" + strconv.FormatInt(int64(a.num), 36) + "." + strconv.FormatInt(int64(len(a.markers)), 36) + "⟧"
		a.markers = append(a.markers, marker{text: m})
		a.live = append(a.live, len(a.markers)-1)
		mk += m
	}
	slices.SortFunc(cuts, func(x, y cut) int { return x.at - y.at })
	var op ot.Op
	pos, inserted := 0, false
	a.caret = g + ot.Len(mk)
	for _, c := range cuts {
		if !inserted && g <= c.at {
			op.Retain(g - pos).Insert(mk)
			pos, inserted = g, true
		}
		if c.at < g {
			a.caret -= c.n
		}
		op.Retain(c.at - pos).Delete(c.n)
		pos = c.at + c.n
	}
	if !inserted {
		op.Retain(g - pos).Insert(mk)
		pos = g
	}
	return *op.Retain(ot.Len(text) - pos)
}

// gap picks a random position, in UTF-16 code units, that is outside every marker and between
// two code points: a random code point boundary, moved to the end of the marker it falls in.
func (a *author) gap(text string) int {
	n := ot.Len(text)
	target := a.rng.IntN(n + 1)
	pos, inside := 0, false
	for _, c := range text {
		if pos >= target && !inside {
			return pos
		}
		switch c {
		case '⟦':
			inside = true
		case '⟧':
			inside = false
		}
		pos++
		if c > 0xFFFF {
			pos++
		}
	}
	return pos
}
