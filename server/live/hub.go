package live

import (
	"context"
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"

	"klasseaftale/agreements"
)

// Translator gives error messages in a connection's language.
type Translator interface {
	T(lang, id string, data map[string]any) string
}

// Config holds the timings and bounds of the live side.
type Config struct {
	PingInterval   time.Duration // how often the server pings
	PongWait       time.Duration // silence after which a connection is dead
	WriteWait      time.Duration // how long one write may take
	SendQueue      int           // pieces queued for a connection before it is dropped as too slow
	ReadLimit      int64         // the largest frame a client may send
	MessageRate    float64       // messages a second a connection may send, on average (see budget)
	MessageBurst   int           // messages a connection may send at once
	ByteRate       float64       // bytes a second a connection may send, on average; ReadLimit at once
	MaxPerMember   int           // live connections one member's token may hold (tabs, phones)
	MaxPerAddress  int           // live connections from one client address (an IPv6 /64 counts as one)
	MaxConnections int           // live connections in all
	Metrics        Metrics       // nil: none
	PresenceTTL    time.Duration // silence after which a person is gone from the room
	PresenceWait   time.Duration // how long a broadcast of only where people are waits for more (DefaultPresenceWait)
	RoomIdle       time.Duration // how long an empty room lingers
	Ring           bool          // write a broadcast to many sockets with one system call where the system can (io_uring on Linux; see ring_linux.go)
	Logger         *slog.Logger
}

// DefaultConfig is what production uses.
func DefaultConfig() Config {
	return Config{PingInterval: 10 * time.Second, PongWait: 30 * time.Second, WriteWait: 10 * time.Second,
		SendQueue: 512, ReadLimit: 256 << 10, MessageRate: 30, MessageBurst: 120, ByteRate: 8 << 10,
		// A school's network may hold a few classes' meetings at once; the total is set from the
		// process's limit of open files by cmd (ConnectionsFor).
		MaxPerMember: 8, MaxPerAddress: 200, MaxConnections: ConnectionsFor(4096), PresenceTTL: 30 * time.Second, PresenceWait: DefaultPresenceWait, RoomIdle: 2 * time.Minute, Ring: true,
		Logger: slog.Default()}
}

// Hub holds the rooms, one per agreement with people connected.
type Hub struct {
	svc      *agreements.Service
	msgs     Translator
	cfg      Config
	upgrader websocket.Upgrader
	ctx      context.Context
	stop     context.CancelFunc

	peers Peers // the other instances on a shared store; nil: none

	mu    sync.Mutex
	rooms map[string]*room
	conns atomic.Int64
	caps  caps
}

// New builds a hub. Attach it to the service with SetPublisher, so committed changes reach it.
func New(svc *agreements.Service, msgs Translator, cfg Config) *Hub {
	if cfg.Metrics == nil {
		cfg.Metrics = noMetrics{}
	}
	ctx, stop := context.WithCancel(context.Background())
	return &Hub{svc: svc, msgs: msgs, cfg: cfg, ctx: ctx, stop: stop, rooms: map[string]*room{},
		caps: caps{perMember: map[string]int{}, perAddr: map[string]int{}},
		upgrader: websocket.Upgrader{
			ReadBufferSize: 1024, WriteBufferSize: 1024,
			WriteBufferPool: &sync.Pool{}, // idle connections hold no write buffer
			// Compression breaks on iOS Safari and costs memory per connection.
			EnableCompression: false,
			// The server checked the Origin against its base URL before calling Serve.
			CheckOrigin: func(*http.Request) bool { return true },
		}}
}

// Publish hands a committed change to the room of its agreement; an end of access goes to
// every room, since the member may be in any of their class's. It never blocks.
func (h *Hub) Publish(e agreements.Event) {
	h.mu.Lock()
	var rooms []*room
	if e.Type == agreements.EventAccessEnded {
		for _, r := range h.rooms {
			rooms = append(rooms, r)
		}
	} else if r := h.rooms[e.AgreementID]; r != nil {
		rooms = append(rooms, r)
	}
	h.mu.Unlock()
	for _, r := range rooms {
		r.push(e)
	}
}

// Serve upgrades an authorised request to a WebSocket and joins it to the agreement's room.
// It returns once the connection is handed to its reader goroutine. A connection
// over one of the caps (per member, per client address addr, in all) is refused with an error
// before the upgrade, and nothing is written: the caller answers.
func (h *Hub) Serve(w http.ResponseWriter, r *http.Request, actor agreements.Actor, agreementID, lang, addr string) error {
	release, err := h.admit(actor.Member.ID, addr)
	if err != nil {
		return err
	}
	ws, err := h.upgrader.Upgrade(w, r, nil)
	if err != nil {
		release()
		return nil // the upgrader has answered
	}
	// The HTTP server's deadlines for requests must not cut a long-lived socket; the
	// connection sets its own from here.
	ws.NetConn().SetDeadline(time.Time{})
	c := newConn(ws, actor, lang, h.cfg, h.msgs)
	rm, ok := h.enter(agreementID, c)
	if !ok {
		release()
		c.closeWith(websocket.CloseTryAgainLater, "busy")
		return nil
	}
	h.conns.Add(1)
	// The reader runs in a goroutine of its own and the handler returns, so net/http's request
	// buffers and the handler's stack are not kept for the life of the connection.
	go func() {
		defer release()
		defer h.conns.Add(-1)
		c.readLoop(rm)
	}()
	return nil
}

// Connections returns how many WebSockets are open.
func (h *Hub) Connections() int { return int(h.conns.Load()) }

// enter finds or starts the room and queues the connection's arrival.
func (h *Hub) enter(agreementID string, c *conn) (*room, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.ctx.Err() != nil {
		return nil, false
	}
	r := h.rooms[agreementID]
	if r == nil {
		r = newRoom(h, agreementID)
		h.rooms[agreementID] = r
		go r.run()
	}
	select {
	case r.in <- &incoming{c: c, arrive: true}:
		return r, true
	default:
		return nil, false
	}
}

// leaveIfIdle removes an empty room, unless someone is arriving.
func (h *Hub) leaveIfIdle(r *room) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	if len(r.in) > 0 {
		return false
	}
	if h.rooms[r.id] == r {
		delete(h.rooms, r.id)
	}
	return true
}

// Waiting returns how many arrivals, messages and departures wait for their rooms: what the
// rooms will act on after the commit and broadcast each is busy with.
func (h *Hub) Waiting() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	n := 0
	for _, r := range h.rooms {
		n += len(r.in)
	}
	return n
}

// Rooms returns how many rooms are open.
func (h *Hub) Rooms() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.rooms)
}

// Close ends every room and connection, telling clients to come back (they reconnect to the
// next server and resume).
func (h *Hub) Close() {
	h.mu.Lock()
	rooms := make([]*room, 0, len(h.rooms))
	for _, r := range h.rooms {
		rooms = append(rooms, r)
	}
	h.mu.Unlock()
	h.stop()
	for _, r := range rooms {
		<-r.done
	}
}
