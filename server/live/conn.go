package live

import (
	"encoding/json"
	"net"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/gorilla/websocket"

	"klasseaftale/agreements"
)

// conn is one WebSocket. Its reader passes parsed messages to the room. It has no writer
// goroutine: whoever sends (the room, or the reader answering a ping) writes the frame to the
// socket at once when the socket takes it without waiting, as it nearly always does, and only
// what it does not take goes to a flusher, a goroutine that lives while something waits.
//
// A room of 200 so writes its broadcast with 200 system calls from its own goroutine, instead
// of waking 200 writers to make them; and an idle tab holds one goroutine (its reader), not
// two. See docs/architecture.md, "The live write path".
type conn struct {
	ws     *websocket.Conn
	raw    syscall.RawConn // the socket, for writes that must not wait; nil: every write goes to the flusher
	actor  agreements.Actor
	lang   string
	cfg    Config
	msgs   Translator
	done   chan struct{} // closed when the connection ends
	once   sync.Once
	seen   atomic.Int64 // when the peer last sent anything, a pong included (Unix ns)
	client string       // the tab's id, from hello; owned by the room goroutine
	hello  bool         // owned by the room goroutine
	// batched: an operation of it waits to be committed; owned by the room goroutine
	batched bool

	wmu      sync.Mutex
	frames   [][]byte  // frames the socket has not taken yet, the first maybe in part; a slice, so an idle tab holds no buffer
	flushing bool      // a flusher writes frames
	closing  bool      // the socket closes once frames are written
	closeBy  time.Time // with closing: how long the flusher may still try
	shut     bool      // the socket is closed
}

// incoming is what a connection tells its room: that it arrived or left, a message, or why a
// message could not be read. One channel carries all, so a connection's hello never overtakes
// its arrival.
type incoming struct {
	c      *conn
	arrive bool
	leave  bool
	clean  bool // with leave: the peer closed the socket itself (a tab closed or reloaded)
	msg    inMsg
	err    error
	at     time.Time // when it was read
}

func newConn(ws *websocket.Conn, actor agreements.Actor, lang string, cfg Config, msgs Translator) *conn {
	c := &conn{ws: ws, actor: actor, lang: lang, cfg: cfg, msgs: msgs, done: make(chan struct{})}
	if sc, ok := ws.NetConn().(syscall.Conn); ok {
		if raw, err := sc.SyscallConn(); err == nil && canTryWrite {
			c.raw = raw
		}
	}
	// Control frames go the same way as the rest, so no two writes ever interleave.
	ws.SetPingHandler(func(data string) error {
		c.queueFrame(frame(websocket.PongMessage, []byte(data)))
		return nil
	})
	ws.SetCloseHandler(func(int, string) error { return nil }) // readLoop answers, through closeWith
	return c
}

// queue sends a message to the connection (see queueFrame).
func (c *conn) queue(msg []byte) bool { return c.queueFrame(frame(websocket.TextMessage, msg)) }

// queueFrame writes a frame, at once when the socket takes it without waiting; what it does
// not take waits for the flusher. A connection with SendQueue frames waiting is dropped: a
// client that cannot keep up must not slow the room. It reconnects and catches up. It reports
// whether the connection still lives.
func (c *conn) queueFrame(f []byte) bool {
	c.wmu.Lock()
	switch {
	case c.shut || c.closing:
		c.wmu.Unlock()
		return false
	case len(c.frames) >= c.cfg.SendQueue:
		c.wmu.Unlock()
		c.closeWith(websocket.ClosePolicyViolation, "too slow")
		return false
	}
	ok := c.writeLocked(f)
	c.wmu.Unlock()
	return ok
}

// writeLocked writes f, or queues it behind what waits; under wmu.
func (c *conn) writeLocked(f []byte) bool {
	if c.flushing {
		c.frames = append(c.frames, f)
		return true
	}
	n, err := tryWrite(c.raw, f)
	if err != nil {
		c.shutLocked()
		return false
	}
	if n < len(f) {
		c.frames = append(c.frames, f[n:])
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
		c.frames = nil
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
		c.frames = nil
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
		c.writeLocked(frame(websocket.CloseMessage, websocket.FormatCloseMessage(code, reason)))
	})
}

// pending reports whether frames wait for the flusher.
func (c *conn) pending() bool {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	return len(c.frames) > 0
}

func (c *conn) readLoop(r *room) {
	clean := false
	defer func() { r.leaveLater(c, clean) }()
	c.ws.SetReadLimit(c.cfg.ReadLimit)
	c.alive()
	c.ws.SetPongHandler(func(string) error { return c.alive() })
	spend := newBudget(c.cfg)
	for {
		kind, data, err := c.ws.ReadMessage()
		if err != nil {
			clean = websocket.IsCloseError(err, websocket.CloseNormalClosure, websocket.CloseGoingAway)
			c.closeWith(websocket.CloseNormalClosure, "")
			return
		}
		c.alive()
		in := &incoming{c: c, at: time.Now()}
		switch spend.take(time.Now(), len(data)) {
		case drop:
			c.cfg.Metrics.Refused(errTooFast.Code)
			continue
		case enough:
			c.end(c.errorFrame(errTooFast), websocket.ClosePolicyViolation, errTooFast.Code)
			return
		case refuse:
			c.cfg.Metrics.Refused(errTooFast.Code)
			in.err = errTooFast
		case pass:
			if kind != websocket.TextMessage {
				in.err = agreements.ErrBadRequest // the protocol is JSON text
			} else {
				in.err = json.Unmarshal(data, &in.msg)
			}
			if in.err == nil && in.msg.Type == "ping" {
				// The tab's heartbeat: answered here, past the room, so a busy room never
				// makes a tab think it is offline. It was counted in the budget above.
				c.queueFrame(pongWire)
				continue
			}
		}
		select {
		case r.in <- in:
		case <-c.done:
			return
		case <-r.done:
			c.closeWith(websocket.CloseGoingAway, "")
			return
		}
	}
}

// errorFrame is an error message in the connection's language.
func (c *conn) errorFrame(e *agreements.Error) []byte {
	b, _ := json.Marshal(errorMsg{Type: "error", Code: e.Code, Message: c.msgs.T(c.lang, e.Code, e.Data)})
	return b
}

// alive records a sign of life and gives the peer PongWait more.
func (c *conn) alive() error {
	now := time.Now()
	c.seen.Store(now.UnixNano())
	return c.ws.SetReadDeadline(now.Add(c.cfg.PongWait))
}

// isFlushing reports whether a flusher runs.
func (c *conn) isFlushing() bool {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	return c.flushing
}
