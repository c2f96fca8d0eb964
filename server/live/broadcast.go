package live

import "github.com/gorilla/websocket"

// A broadcast on the wire: the outbox's messages joined once into one frame, written to every
// connection as the same bytes; a connection that some of its messages skip (a caret is not
// sent back to the tab that moved it) gets a header of its own and the runs of the shared
// frame around those lines, written with one writev, not a copy.

// frameOut is one broadcast: the frame, where each message's line is in it, and per
// connection that messages skip, which (indexes in order).
type frameOut struct {
	all   []byte
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
	shift := len(b) - len(f.all) // the header's unused bytes
	for i := range f.lines {
		if f.lines[i].to > 0 {
			f.lines[i].from -= shift
			f.lines[i].to -= shift
		}
	}
	return f
}

// writeTo writes the broadcast to one connection, without the lines it skips; it reports
// whether the connection still lives.
func (f *frameOut) writeTo(c *conn) bool {
	skip, own := f.skips[c]
	if !own {
		return c.queueFrame(f.all)
	}
	if parts := f.without(skip); parts != nil {
		return c.queueParts(parts)
	}
	return true
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

// writeOut writes a broadcast to every connection that has said hello and returns those that
// ended. A room of splitFrom or more writes it in two halves at once, the second from a helper
// goroutine; each connection is written by one of them only, and both are done before the
// room goes on, so every connection still gets every frame in order.
func (r *room) writeOut(f *frameOut) []*conn {
	to := make([]*conn, 0, len(r.conns))
	for c := range r.conns {
		if c.hello {
			to = append(to, c)
		}
	}
	if len(to) < splitFrom {
		return f.writeEach(to)
	}
	half := len(to) / 2
	rest := make(chan []*conn, 1)
	go func() { rest <- f.writeEach(to[half:]) }()
	return append(f.writeEach(to[:half]), <-rest...)
}

// writeEach writes the broadcast to each connection and returns those that ended.
func (f *frameOut) writeEach(to []*conn) []*conn {
	var gone []*conn
	for _, c := range to {
		if !f.writeTo(c) {
			gone = append(gone, c)
		}
	}
	return gone
}
