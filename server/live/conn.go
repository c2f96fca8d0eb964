package live

import (
	"bytes"
	"encoding/json"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"

	"klasseaftale/agreements"
)

// conn is one WebSocket. Its reader passes parsed messages to the room; its writer sends what
// the room queues, several messages to a frame when they pile up. Only the room queues, but
// for the pong the reader answers a ping with.
type conn struct {
	ws      *websocket.Conn
	actor   agreements.Actor
	lang    string
	cfg     Config
	msgs    Translator
	qmu     sync.Mutex
	queued  [][]byte      // messages for the writer; a slice, not a channel, so an idle tab holds no buffer
	wake    chan struct{} // tells the writer there is something queued
	done    chan struct{}
	once    sync.Once
	seen    atomic.Int64 // when the peer last sent anything, a pong included (Unix ns)
	ending  int          // a close code the writer sends once the queue is written; under qmu
	endWhy  string       // the close frame's reason with ending
	client  string       // the tab's id, from hello; owned by the room goroutine
	hello   bool         // owned by the room goroutine
	batched bool         // an operation of it waits to be committed; owned by the room goroutine
	gate    *gate        // the room's count of writers still writing its last broadcast
	owes    uint64       // the gate's generation of the broadcast it has still to write; under gate.mu
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
	return &conn{ws: ws, actor: actor, lang: lang, cfg: cfg, msgs: msgs,
		wake: make(chan struct{}, 1), done: make(chan struct{})}
}

// queueBroadcast queues a room's broadcast, which the room does not follow with the next until
// the writer has written it (see gate).
func (c *conn) queueBroadcast(b []byte) bool {
	if c.gate != nil {
		c.gate.owe(c)
	}
	return c.queue(b)
}

// queue hands a message to the writer, and drops the connection when SendQueue messages are
// already waiting: a client that cannot keep up must not slow the room. It reconnects and
// catches up.
func (c *conn) queue(b []byte) bool {
	c.qmu.Lock()
	full := len(c.queued) >= c.cfg.SendQueue
	if !full {
		c.queued = append(c.queued, b)
	}
	c.qmu.Unlock()
	if full {
		c.closeWith(websocket.ClosePolicyViolation, "too slow")
		return false
	}
	select {
	case c.wake <- struct{}{}:
	default:
	}
	return true
}

// end queues a last message and has the writer close the connection with code after it, so
// the person learns why before the socket closes.
func (c *conn) end(last []byte, code int, reason string) {
	c.qmu.Lock()
	c.queued = append(c.queued, last)
	c.ending, c.endWhy = code, reason
	c.qmu.Unlock()
	select {
	case c.wake <- struct{}{}:
	default:
	}
}

// take empties the queue, and says whether the connection is to close after it.
func (c *conn) take() (msgs [][]byte, ending int, why string) {
	c.qmu.Lock()
	defer c.qmu.Unlock()
	msgs = c.queued
	c.queued = nil
	return msgs, c.ending, c.endWhy
}

// pending reports whether messages wait for the writer.
func (c *conn) pending() bool {
	c.qmu.Lock()
	defer c.qmu.Unlock()
	return len(c.queued) > 0
}

// closeWith ends the connection once, with a close frame when possible.
func (c *conn) closeWith(code int, reason string) {
	c.once.Do(func() {
		close(c.done)
		msg := websocket.FormatCloseMessage(code, reason)
		c.ws.WriteControl(websocket.CloseMessage, msg, time.Now().Add(time.Second))
		c.ws.Close()
	})
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
				c.queue(pongFrame)
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

// framePool lends the writer a buffer for each frame, so an idle connection keeps none — a
// welcome can be large, and a buffer would keep its largest size for the connection's life.
var framePool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// maxFrame is how much the writer puts in one frame before starting the next.
const maxFrame = 64 << 10

// writeLoop writes queued messages, several to a frame (one JSON object a line), and pings so
// dead peers are found.
func (c *conn) writeLoop() {
	ping := time.NewTicker(c.cfg.PingInterval)
	defer ping.Stop()
	if c.gate != nil {
		defer c.gate.paid(c, false) // a writer that stops owes nothing
	}
	for {
		select {
		case <-c.done:
			return
		case <-ping.C:
			if !c.write(websocket.PingMessage, nil) {
				return
			}
		case <-c.wake:
			msgs, ending, why := c.take()
			if !c.writeQueued(msgs) {
				return
			}
			if c.gate != nil {
				c.gate.paid(c, c.pending())
			}
			if ending != 0 {
				c.closeWith(ending, why)
				return
			}
		}
	}
}

func (c *conn) writeQueued(msgs [][]byte) bool {
	if len(msgs) == 1 { // a room's broadcast, shared by every connection: written as it is
		return c.write(websocket.TextMessage, msgs[0])
	}
	frame := framePool.Get().(*bytes.Buffer)
	defer func() {
		if frame.Cap() <= maxFrame*2 {
			framePool.Put(frame)
		}
	}()
	for len(msgs) > 0 {
		frame.Reset()
		for len(msgs) > 0 && (frame.Len() == 0 || frame.Len()+len(msgs[0]) < maxFrame) {
			if frame.Len() > 0 {
				frame.WriteByte('\n')
			}
			frame.Write(msgs[0])
			msgs = msgs[1:]
		}
		if !c.write(websocket.TextMessage, frame.Bytes()) {
			return false
		}
	}
	return true
}

func (c *conn) write(kind int, data []byte) bool {
	c.ws.SetWriteDeadline(time.Now().Add(c.cfg.WriteWait))
	if err := c.ws.WriteMessage(kind, data); err != nil {
		c.closeWith(websocket.CloseGoingAway, "")
		return false
	}
	return true
}
