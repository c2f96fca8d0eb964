package main

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"

	"klasseaftale/agreements/ot"
)

// An author's typing: its markers, the operations it builds of them, and what it does when one
// is acknowledged, as a full client and as a thin one.

// marker is one keystroke's unique text, and whether a later keystroke deleted it.
type marker struct {
	text    string
	deleted bool
}

// author is a tab that types into one clause. inflight, buffered and seq mirror the client's
// OT state (an operation awaits its ack; keystrokes wait in the buffer; the seq of the last
// operation sent), so that the time each operation is sent is known by its seq. They, markers
// and live are touched only with the client's lock held (in the edit function and the hooks),
// or for a thin author with its tab's (tab.mu).
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

// fullAcked follows a full author's client when an operation is acknowledged: the keystrokes
// its buffer held go out as the next seq. The client's lock is held.
func (r *runner) fullAcked(a *author, seq int) {
	if seq != a.seq {
		r.fault(fmt.Errorf("%s: ack of seq %d, expected %d", a.tab.id, seq, a.seq))
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
// keystrokes that waited go together when the acknowledgement comes (thinAcked), as a
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

// thinAcked sends the keystrokes that waited for the acknowledgement of seq.
func (r *runner) thinAcked(a *author, seq int) {
	if last := a.acked.Swap(int64(seq)); int64(seq) != last+1 {
		r.fault(fmt.Errorf("%s: ack of seq %d after %d", a.tab.id, seq, last))
	}
	go func() { // not under the client's lock, which the hook holds
		a.tab.mu.Lock()
		defer a.tab.mu.Unlock()
		a.inflight = false
		if a.waiting > 0 {
			r.thinSend(a)
		}
	}()
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
