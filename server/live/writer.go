package live

import (
	"net"
	"time"

	"github.com/gorilla/websocket"
)

// A connection's writes (see conn): at once when the socket takes them, the rest through a
// flusher, and the close frame after everything sent before it.

// maxIov bounds the parts of one writev; a frame in more parts (rare: one connection skipped
// by many messages of one broadcast) is written in more calls, and not through a ring.
const maxIov = 64

// partsLen is the length of a frame given in parts.
func partsLen(parts [][]byte) int {
	n := 0
	for _, p := range parts {
		n += len(p)
	}
	return n
}

// queue sends a message to the connection (see queueFrame).
func (c *conn) queue(msg []byte) bool { return c.queueFrame(frame(websocket.TextMessage, msg)) }

// queueFrame writes a frame, at once when the socket takes it without waiting; what it does
// not take waits for the flusher. A connection with SendQueue frames waiting is dropped: a
// client that cannot keep up must not slow the room. It reconnects and catches up. It reports
// whether the connection still lives.
func (c *conn) queueFrame(f []byte) bool {
	return c.queueParts([][]byte{f})
}

// queueParts writes a frame given in parts, written one after the other with one system call
// (see queueFrame). The parts are not copied: they must not change afterwards. A broadcast so
// gives a connection that one of its messages skips the shared frame's bytes around that
// message, behind a header of its own, instead of a copy of the rest.
func (c *conn) queueParts(parts [][]byte) bool {
	if !c.lockOpen() {
		return false
	}
	ok := c.writeLocked(parts)
	c.wmu.Unlock()
	return ok
}

// lockOpen takes wmu when the connection takes frames, and reports whether it did. One that
// is closing or closed does not; one with SendQueue frames waiting is dropped.
func (c *conn) lockOpen() bool {
	c.wmu.Lock()
	switch {
	case c.shut || c.closing:
		c.wmu.Unlock()
		return false
	case c.queued >= c.cfg.SendQueue:
		c.wmu.Unlock()
		c.closeWith(websocket.ClosePolicyViolation, "too slow")
		return false
	}
	return true
}

// writeLocked writes a frame's parts, or queues them behind what waits; under wmu.
func (c *conn) writeLocked(parts [][]byte) bool {
	if c.flushing {
		c.frames = append(c.frames, parts...)
		c.queued++
		return true
	}
	n, err := tryWrite(c.raw, parts)
	return c.wroteLocked(parts, n, err)
}

// wroteLocked goes on after a write that did not wait and took n bytes of parts: what it did
// not take waits for a flusher, and an error closes the socket; under wmu. It reports whether
// the connection still lives.
func (c *conn) wroteLocked(parts [][]byte, n int, err error) bool {
	if err != nil {
		c.shutLocked()
		return false
	}
	for len(parts) > 0 && n >= len(parts[0]) {
		n -= len(parts[0])
		parts = parts[1:]
	}
	if len(parts) > 0 {
		c.frames = append(c.frames, parts[0][n:])
		c.frames = append(c.frames, parts[1:]...)
		c.queued++
		c.flushing = true
		go c.flush()
	} else if c.closing {
		c.shutLocked()
	}
	return true
}

// flush writes what the socket did not take at once, waiting for it up to WriteWait (1 s once
// the connection closes), and ends when nothing waits.
func (c *conn) flush() {
	nc := c.ws.NetConn()
	for {
		c.wmu.Lock()
		frames, closing, by := c.frames, c.closing, c.closeBy
		c.frames, c.queued = nil, 0
		if len(frames) == 0 || c.shut {
			c.flushing = false
			// The deadline would stay and fail the room's writes once it passed: a write that
			// does not wait checks it too.
			nc.SetWriteDeadline(time.Time{})
			if closing {
				c.shutLocked()
			}
			c.wmu.Unlock()
			return
		}
		c.wmu.Unlock()
		deadline := time.Now().Add(c.cfg.WriteWait)
		if closing && by.Before(deadline) {
			deadline = by
		}
		nc.SetWriteDeadline(deadline)
		bufs := net.Buffers(frames)
		if _, err := bufs.WriteTo(nc); err != nil {
			c.wmu.Lock()
			c.flushing = false
			c.shutLocked()
			c.wmu.Unlock()
			c.closeWith(websocket.CloseGoingAway, "")
			return
		}
	}
}

// shutLocked closes the socket; under wmu. The reader then ends, and with it the connection.
func (c *conn) shutLocked() {
	if !c.shut {
		c.shut = true
		c.frames, c.queued = nil, 0
		c.ws.Close()
	}
}

// end sends a last message and closes the connection with code after it, so the person learns
// why before the socket closes.
func (c *conn) end(last []byte, code int, reason string) {
	c.queue(last)
	c.closeWith(code, reason)
}

// closeWith ends the connection once, with a close frame after what was sent before, which the
// socket has a second at most to take.
func (c *conn) closeWith(code int, reason string) {
	c.once.Do(func() {
		close(c.done)
		c.wmu.Lock()
		defer c.wmu.Unlock()
		if c.shut {
			return
		}
		c.closing, c.closeBy = true, time.Now().Add(time.Second)
		c.writeLocked([][]byte{frame(websocket.CloseMessage, websocket.FormatCloseMessage(code, reason))})
	})
}
