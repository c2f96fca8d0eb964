package live

import (
	"encoding/json"
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
	fd     int             // raw's descriptor, for a ring; open while shut is false, as it is closed under wmu; -1: none
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
	frames   [][]byte  // frames (or their parts) the socket has not taken yet, the first maybe in part; a slice, so an idle tab holds no buffer
	queued   int       // how many frames frames holds
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
	c := &conn{ws: ws, fd: -1, actor: actor, lang: lang, cfg: cfg, msgs: msgs, done: make(chan struct{})}
	if sc, ok := ws.NetConn().(syscall.Conn); ok {
		c.raw, _ = sc.SyscallConn()
	}
	if c.raw != nil && canTryWrite {
		c.raw.Control(func(fd uintptr) { c.fd = int(fd) })
	}
	// Control frames go the same way as the rest, so no two writes ever interleave.
	ws.SetPingHandler(func(data string) error {
		c.queueFrame(frame(websocket.PongMessage, []byte(data)))
		return nil
	})
	ws.SetCloseHandler(func(int, string) error { return nil }) // readLoop answers, through closeWith
	return c
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
