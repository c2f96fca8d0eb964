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
// the room queues, several messages to a frame when they pile up. Only the room queues.
type conn struct {
	ws     *websocket.Conn
	actor  agreements.Actor
	lang   string
	cfg    Config
	send   chan []byte
	done   chan struct{}
	once   sync.Once
	seen   atomic.Int64 // when the peer last sent anything, a pong included (Unix ns)
	client string       // the tab's id, from hello; owned by the room goroutine
	hello  bool         // owned by the room goroutine
}

// incoming is what a connection tells its room: that it arrived or left, a message, or why a
// message could not be read. One channel carries all, so a connection's hello never overtakes
// its arrival.
type incoming struct {
	c      *conn
	arrive bool
	leave  bool
	msg    inMsg
	err    error
}

func newConn(ws *websocket.Conn, actor agreements.Actor, lang string, cfg Config) *conn {
	return &conn{ws: ws, actor: actor, lang: lang, cfg: cfg,
		send: make(chan []byte, cfg.SendQueue), done: make(chan struct{})}
}

// queue hands a message to the writer, and drops the connection when its queue is full: a
// client that cannot keep up must not slow the room. It reconnects and catches up.
func (c *conn) queue(b []byte) bool {
	select {
	case c.send <- b:
		return true
	default:
		c.closeWith(websocket.ClosePolicyViolation, "too slow")
		return false
	}
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
	defer r.leaveLater(c)
	c.ws.SetReadLimit(c.cfg.ReadLimit)
	c.alive()
	c.ws.SetPongHandler(func(string) error { return c.alive() })
	for {
		_, data, err := c.ws.ReadMessage()
		if err != nil {
			c.closeWith(websocket.CloseNormalClosure, "")
			return
		}
		c.alive()
		in := incoming{c: c}
		in.err = json.Unmarshal(data, &in.msg)
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

// alive records a sign of life and gives the peer PongWait more.
func (c *conn) alive() error {
	now := time.Now()
	c.seen.Store(now.UnixNano())
	return c.ws.SetReadDeadline(now.Add(c.cfg.PongWait))
}

// writeLoop writes queued messages, coalesced, and pings so dead peers are found.
func (c *conn) writeLoop() {
	ping := time.NewTicker(c.cfg.PingInterval)
	defer ping.Stop()
	var frame bytes.Buffer
	for {
		select {
		case <-c.done:
			return
		case <-ping.C:
			c.ws.SetWriteDeadline(time.Now().Add(c.cfg.WriteWait))
			if err := c.ws.WriteMessage(websocket.PingMessage, nil); err != nil {
				c.closeWith(websocket.CloseGoingAway, "")
				return
			}
		case b := <-c.send:
			frame.Reset()
			frame.Write(b)
			c.drainInto(&frame)
			c.ws.SetWriteDeadline(time.Now().Add(c.cfg.WriteWait))
			if err := c.ws.WriteMessage(websocket.TextMessage, frame.Bytes()); err != nil {
				c.closeWith(websocket.CloseGoingAway, "")
				return
			}
		}
	}
}

// drainInto appends whatever else is queued, one JSON object a line, up to 64 KiB a frame.
func (c *conn) drainInto(frame *bytes.Buffer) {
	for frame.Len() < 64<<10 {
		select {
		case b := <-c.send:
			frame.WriteByte('\n')
			frame.Write(b)
		default:
			return
		}
	}
}
