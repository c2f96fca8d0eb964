package live

import (
	"sync/atomic"
	"syscall"

	"github.com/gorilla/websocket"
)

// A broadcast on the wire: the outbox's messages joined once into one frame, written to every
// connection as the same bytes; a connection that some of its messages skip (a caret is not
// sent back to the tab that moved it) gets a header of its own and the runs of the shared
// frame around those lines, written with one writev, not a copy.

// frameOut is one broadcast: the frame, where each message's line is in it, and per
// connection that messages skip, which (indexes in order).
type frameOut struct {
	all   []byte
	whole [][]byte // all, as the one part of a frame
	lines []line
	skips map[*conn][]int
}

// line is where a message's line is in a frame of joined lines, without the newline before
// it; empty for a message that is not there.
type line struct{ from, to int }

// newFrameOut joins the messages, one a line, in a text frame; nil when there is none.
func newFrameOut(out []outMsg) *frameOut {
	n := maxHead
	for _, m := range out {
		n += len(m.b) + 1
	}
	b := make([]byte, maxHead, n)
	f := &frameOut{lines: make([]line, len(out))}
	for i, m := range out {
		if m.b == nil {
			continue
		}
		if len(b) > maxHead {
			b = append(b, '\n')
		}
		f.lines[i] = line{len(b), len(b) + len(m.b)}
		b = append(b, m.b...)
		if m.skip != nil {
			if f.skips == nil {
				f.skips = map[*conn][]int{}
			}
			f.skips[m.skip] = append(f.skips[m.skip], i)
		}
	}
	if len(b) == maxHead {
		return nil
	}
	f.all = framed(b)
	f.whole = [][]byte{f.all}    // made here, not when first asked: two halves of a room ask at once
	shift := len(b) - len(f.all) // the header's unused bytes
	for i := range f.lines {
		if f.lines[i].to > 0 {
			f.lines[i].from -= shift
			f.lines[i].to -= shift
		}
	}
	return f
}

// partsFor is the broadcast for one connection, without the lines it skips, as the parts of
// a frame; nil when nothing is left for it.
func (f *frameOut) partsFor(c *conn) [][]byte {
	if skip, own := f.skips[c]; own {
		return f.without(skip)
	}
	return f.whole
}

// without is the frame without the lines of the messages skip, as the parts of a frame: a
// header of its own, then the runs of the shared payload that are left. It is nil when
// nothing is left.
func (f *frameOut) without(skip []int) [][]byte {
	var runs []line
	n := 0
	for i, l := range f.lines {
		if len(skip) > 0 && skip[0] == i {
			skip = skip[1:]
			continue
		}
		if l.to == 0 {
			continue
		}
		if len(runs) > 0 {
			l.from-- // the newline before it
		}
		n += l.to - l.from
		if k := len(runs) - 1; k >= 0 && runs[k].to == l.from {
			runs[k].to = l.to // it follows the run before it
			continue
		}
		runs = append(runs, l)
	}
	if n == 0 {
		return nil
	}
	parts := make([][]byte, 1, 1+len(runs))
	parts[0] = make([]byte, headLen(n))
	putHead(parts[0], websocket.TextMessage, n)
	for _, l := range runs {
		parts = append(parts, f.all[l.from:l.to])
	}
	return parts
}

// splitFrom is the smallest room whose broadcasts are written in two halves at once. A
// broadcast is in progress until its last socket has it; in a room of 400 authors its writes
// are 40% of the room's time, the commits 30%, and a pause of the machine leaves a queue that
// the room is slow to work off. Written in halves, 6 runs of 6 of 400 authors in one clause
// stay below 60 ms ack p95 (before: 4 of 5 below 100 ms), for some 0.05 more of a core: two
// cores writing to sockets at once cost more than one. A room of 200 is written by the room
// alone: there halves bought 2–3 ms of p95 for 0.02–0.03 more of a core, and its CPU is what
// counts (liveload -spawn -rooms 1 -clients 401 -authors 400 -keep 4 -thin, and -clients 201
// -authors 200 -keep 8 -thin -carets=false).
// A variable, so a test can write a small room in halves.
var splitFrom = 300

// ringFrom is the fewest connections whose broadcast is written through a ring (one system
// call for all, see ring_linux.go) instead of one system call each.
const ringFrom = 3

// writeOut writes a broadcast to every connection that has said hello and returns those that
// ended. A room of splitFrom or more writes it in two halves at once, the second from a helper
// goroutine; each connection is written by one of them only, and both are done before the
// room goes on, so every connection still gets every frame in order.
func (r *room) writeOut(f *frameOut) []*conn {
	to := r.to[:0]
	for c := range r.conns {
		if c.hello {
			to = append(to, c)
		}
	}
	defer func() { clear(to); r.to = to[:0] }()
	ring := r.hub.cfg.Ring
	if len(to) < splitFrom {
		return f.writeEach(to, ring)
	}
	half := len(to) / 2
	rest := make(chan []*conn, 1)
	go func() { rest <- f.writeEach(to[half:], ring) }()
	return append(f.writeEach(to[:half], ring), <-rest...)
}

// writeEach writes the broadcast to each connection and returns those that ended: through a
// ring when it may and one is free, else with a system call each.
func (f *frameOut) writeEach(to []*conn, ring bool) []*conn {
	if ring && len(to) >= ringFrom {
		if rg := takeRing(); rg != nil {
			defer putRing(rg)
			return f.writeRing(rg, to)
		}
	}
	var gone []*conn
	for _, c := range to {
		if parts := f.partsFor(c); parts != nil && !c.queueParts(parts) {
			gone = append(gone, c)
		}
	}
	return gone
}

// RingWrites reports whether this system writes broadcasts through a ring (Config.Ring): io_uring
// is there, new enough and allowed. The server logs it when it starts.
func RingWrites() bool {
	rg := takeRing()
	if rg != nil {
		putRing(rg)
	}
	return rg != nil
}

// ringSent counts the sends made through a ring (the tests ask).
var ringSent atomic.Int64

// ringSend is one socket's send in a ring's batch: the connection (its wmu held), its
// descriptor and the frame's parts; the ring sets n (what the socket took) and err (nil,
// EAGAIN when it took less than all, or why the send failed).
type ringSend struct {
	c     *conn
	fd    int
	parts [][]byte
	n     int
	err   error
}

// writeRing writes the broadcast through the ring, ringEntries connections at a time, and
// returns those that ended. Each connection's wmu is held from before its send is given to the
// ring until what the socket did not take is queued, so its descriptor stays open (a socket is
// closed under wmu) and nothing overtakes the frame.
func (f *frameOut) writeRing(rg *ring, to []*conn) []*conn {
	var gone []*conn
	// The batch is the ring's, as only one goroutine uses a ring at a time: made once, it is
	// not garbage for every broadcast (at 10,000 tabs, most of what a room allocated).
	batch := rg.sends[:0]
	defer func() {
		clear(batch[:cap(batch)]) // no connection is kept alive by an old batch
		rg.sends = batch[:0]
	}()
	for len(to) > 0 {
		k := min(len(to), ringEntries)
		batch, gone = f.ringBatch(to[:k], batch[:0], gone)
		rg.send(batch)
		ringSent.Add(int64(len(batch)))
		gone = wroteRing(batch, gone)
		to = to[k:]
	}
	return gone
}

// ringBatch locks each connection of to and adds its send to batch. A connection whose frames
// wait for its flusher, that has no descriptor, or whose frame has too many parts is written
// as before (and let go); one that ended is added to gone.
func (f *frameOut) ringBatch(to []*conn, batch []ringSend, gone []*conn) ([]ringSend, []*conn) {
	for _, c := range to {
		parts := f.partsFor(c)
		switch {
		case parts == nil:
		case !c.lockOpen():
			gone = append(gone, c)
		case c.flushing || c.fd < 0 || len(parts) > maxIov:
			if !c.writeLocked(parts) {
				gone = append(gone, c)
			}
			c.wmu.Unlock()
		default:
			batch = append(batch, ringSend{c: c, fd: c.fd, parts: parts})
		}
	}
	return batch, gone
}

// wroteRing goes on after the ring made the batch's sends, as after a write each (see
// wroteLocked), lets each connection go, and adds those that ended to gone.
func wroteRing(batch []ringSend, gone []*conn) []*conn {
	for _, s := range batch {
		if s.err == syscall.EAGAIN {
			s.err = nil // the socket took less: the rest waits for the flusher
		}
		if !s.c.wroteLocked(s.parts, s.n, s.err) {
			gone = append(gone, s.c)
		}
		s.c.wmu.Unlock()
	}
	return gone
}
