package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"klasseaftale/agreements"
)

// Bus carries what one instance tells the others on the same database, over PostgreSQL's
// LISTEN/NOTIFY: the events a transaction commits, announced within it (PostgreSQL delivers a
// notification only if its transaction commits, and delivers them in commit order), and where
// the people of the live rooms are (not stored). An instance skips its own notifications: its
// rooms hear of its events from the service, right after the commit.
//
// A notification holds at most 8000 bytes. What is longer (a batch of long pastes, a large
// room's presence) goes into the table live_events, and the notification names its row; rows
// are deleted after eventKeep.
type Bus struct {
	db  *DB
	id  string // this instance
	log *slog.Logger

	onEvent    func(agreements.Event)
	onPresence func(agreementID string, payload []byte)
	onGap      func()

	out  chan presenceOut // presence news waiting to be sent
	stop context.CancelFunc
	done sync.WaitGroup
}

const (
	eventsChannel   = "ka_events"
	presenceChannel = "ka_presence"
	maxPayload      = 7800 // a notification's payload must be shorter than 8000 bytes
	eventKeep       = 5 * time.Minute
	maxWaiting      = 4096 // presence news waiting to be sent; more are dropped (the next tick says it again)
	maxSend         = 256  // presence news sent in one statement
)

// envelope is one notification.
type envelope struct {
	From      string             `json:"from"`
	Ref       int64              `json:"ref,omitempty"` // the envelope is in live_events
	Events    []agreements.Event `json:"events,omitempty"`
	Agreement string             `json:"agreement,omitempty"` // presence news: the room's agreement
	Presence  json.RawMessage    `json:"presence,omitempty"`
}

type presenceOut struct {
	agreementID string
	payload     []byte
}

// NewBus makes the bus of one instance; Start it once the receivers are set.
func NewBus(db *DB, log *slog.Logger) *Bus {
	if log == nil {
		log = slog.Default()
	}
	return &Bus{db: db, id: agreements.NewID(), log: log, out: make(chan presenceOut, maxWaiting),
		onEvent: func(agreements.Event) {}, onPresence: func(string, []byte) {}, onGap: func() {}}
}

// OnEvent sets who hears of the events other instances committed (the live hub's Publish).
func (b *Bus) OnEvent(f func(agreements.Event)) { b.onEvent = f }

// OnPresence sets who hears of presence news from other instances (the hub's RemotePresence).
func (b *Bus) OnPresence(f func(agreementID string, payload []byte)) { b.onPresence = f }

// OnGap sets who hears that the bus listens again after it lost its connection: what was
// announced meanwhile was not heard (the hub's Resync).
func (b *Bus) OnGap(f func()) { b.onGap = f }

// Announce tells the other instances of events within the transaction that commits them.
func (b *Bus) Announce(tx agreements.Tx, events []agreements.Event) error {
	t, ok := tx.(*Tx)
	if !ok {
		return fmt.Errorf("postgres: announce in a transaction of another store (%T)", tx)
	}
	payload, err := b.envelope(t.ctx, t.tx, envelope{From: b.id, Events: events})
	if err != nil {
		return err
	}
	_, err = t.tx.Exec(t.ctx, `SELECT pg_notify($1, $2)`, eventsChannel, payload)
	return err
}

// SendPresence queues a room's presence news for the other instances; it never blocks.
func (b *Bus) SendPresence(agreementID string, payload []byte) {
	select {
	case b.out <- presenceOut{agreementID, payload}:
	default:
	}
}

// querier is a transaction or the pool.
type querier interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// envelope encodes e, and stores it when it is too long for a notification.
func (b *Bus) envelope(ctx context.Context, q querier, e envelope) (string, error) {
	body, err := json.Marshal(e)
	if err != nil {
		return "", err
	}
	if len(body) <= maxPayload {
		return string(body), nil
	}
	var ref int64
	if err := q.QueryRow(ctx, `INSERT INTO live_events (body) VALUES ($1) RETURNING id`, string(body)).Scan(&ref); err != nil {
		return "", err
	}
	body, err = json.Marshal(envelope{From: b.id, Ref: ref})
	return string(body), err
}

// Start listens for the other instances' notifications, and sends this one's presence news,
// until Close. It returns once listening, so nothing committed after it returns is missed.
func (b *Bus) Start(ctx context.Context) error {
	conn, err := b.listen(ctx)
	if err != nil {
		return err
	}
	ctx, b.stop = context.WithCancel(context.Background())
	b.done.Add(3)
	go func() {
		defer b.done.Done()
		b.receive(ctx, conn)
	}()
	go func() {
		defer b.done.Done()
		b.send(ctx)
	}()
	go func() {
		defer b.done.Done()
		b.sweep(ctx)
	}()
	return nil
}

// Close stops listening and sending.
func (b *Bus) Close() {
	if b.stop != nil {
		b.stop()
		b.done.Wait()
	}
}

// listen opens a connection of its own (a pooled one would go back to the pool) and listens.
func (b *Bus) listen(ctx context.Context) (*pgx.Conn, error) {
	conn, err := pgx.ConnectConfig(ctx, b.db.pool.Config().ConnConfig.Copy())
	if err != nil {
		return nil, err
	}
	for _, ch := range []string{eventsChannel, presenceChannel} {
		if _, err := conn.Exec(ctx, "LISTEN "+ch); err != nil {
			conn.Close(ctx)
			return nil, err
		}
	}
	return conn, nil
}

// receive hands each notification to its receiver, in the order they came, and listens again
// when the connection is lost. What was announced while it listened to nothing is not heard
// of: once it listens again, onGap is told (the rooms then send their tabs to catch up).
func (b *Bus) receive(ctx context.Context, conn *pgx.Conn) {
	for {
		n, err := conn.WaitForNotification(ctx)
		if err == nil {
			b.deliver(ctx, n)
			continue
		}
		conn.Close(context.Background())
		if ctx.Err() != nil {
			return
		}
		b.log.Error("postgres bus: listening stopped", "err", err)
		if conn = b.listenAgain(ctx); conn == nil {
			return
		}
		b.onGap()
	}
}

// listenAgain listens on a new connection, trying again after a growing wait until it can or
// the bus stops (then nil).
func (b *Bus) listenAgain(ctx context.Context) *pgx.Conn {
	for wait := 100 * time.Millisecond; ; wait = min(2*wait, 5*time.Second) {
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(wait):
		}
		if conn, err := b.listen(ctx); err == nil {
			return conn
		}
	}
}

func (b *Bus) deliver(ctx context.Context, n *pgconn.Notification) {
	var e envelope
	err := json.Unmarshal([]byte(n.Payload), &e)
	if err == nil && e.From == b.id {
		return
	}
	if err == nil && e.Ref != 0 {
		var body string
		if err = b.db.pool.QueryRow(ctx, `SELECT body FROM live_events WHERE id = $1`, e.Ref).Scan(&body); err == nil {
			err = json.Unmarshal([]byte(body), &e)
		}
	}
	if err != nil {
		b.log.Error("postgres bus: notification", "channel", n.Channel, "err", err)
		return
	}
	switch n.Channel {
	case eventsChannel:
		for _, ev := range e.Events {
			b.onEvent(ev)
		}
	case presenceChannel:
		if e.Agreement != "" {
			b.onPresence(e.Agreement, e.Presence)
		}
	}
}

// send sends the presence news that wait, all in one statement each time.
func (b *Bus) send(ctx context.Context) {
	for {
		batch, ok := b.waiting(ctx)
		if !ok {
			return
		}
		payloads := make([]string, 0, len(batch))
		for _, p := range batch {
			s, err := b.envelope(ctx, b.db.pool, envelope{From: b.id, Agreement: p.agreementID, Presence: p.payload})
			if err != nil {
				b.log.Error("postgres bus: store presence", "err", err)
				continue
			}
			payloads = append(payloads, s)
		}
		if _, err := b.db.pool.Exec(ctx, `SELECT pg_notify($1, p) FROM unnest($2::text[]) AS p`, presenceChannel, payloads); err != nil && ctx.Err() == nil {
			b.log.Error("postgres bus: send presence", "err", err)
		}
	}
}

// waiting waits for presence news and takes what else waits with it, up to maxSend; ok is
// false once the bus stops.
func (b *Bus) waiting(ctx context.Context) (batch []presenceOut, ok bool) {
	select {
	case <-ctx.Done():
		return nil, false
	case p := <-b.out:
		batch = append(batch, p)
	}
	for len(batch) < maxSend {
		select {
		case p := <-b.out:
			batch = append(batch, p)
		default:
			return batch, true
		}
	}
	return batch, true
}

// sweep deletes the stored envelopes everyone has had time to read.
func (b *Bus) sweep(ctx context.Context) {
	tick := time.NewTicker(time.Minute)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			if _, err := b.db.pool.Exec(ctx, `DELETE FROM live_events WHERE at < now() - make_interval(secs => $1)`, eventKeep.Seconds()); err != nil && ctx.Err() == nil {
				b.log.Error("postgres bus: sweep", "err", err)
			}
		}
	}
}
