package live

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gorilla/websocket"

	"klasseaftale/agreements"
	"klasseaftale/agreements/ot"
)

const benchConns = 40

// benchHub is a hub as production builds it, without a service: the benchmarks hand the
// room committed events directly.
func benchHub() *Hub {
	cfg := DefaultConfig()
	cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	return New(nil, nil, cfg)
}

// benchEvent is one committed keystroke in a clause of 2,000 code units.
func benchEvent(rev int) agreements.Event {
	var op ot.Op
	op.Retain(1000).Insert("x").Retain(1000)
	return agreements.Event{AgreementID: "a1", Type: agreements.EventOp, Clause: &agreements.Clause{ID: "c1"},
		Op: &agreements.OpRecord{Rev: rev, Client: "tab1", Seq: rev, MemberID: "m1", Op: op}}
}

// BenchmarkBroadcast fans one committed operation out to 40 connections.
//
// queue: the room's share without the sockets, encoding the message once, putting it in the
// outbox, framing it and handing it to each connection (whose socket is busy, so it waits
// for its flusher; the benchmark takes it off again).
//
// websocket: through real WebSockets on loopback, until each of the 40 peers has read it:
// the room, its 40 system calls, and the peers' reads.
func BenchmarkBroadcast(b *testing.B) {
	b.Run("queue", func(b *testing.B) {
		h := benchHub()
		r := newRoom(h, "a1")
		for range benchConns {
			c := &conn{cfg: h.cfg, done: make(chan struct{}), hello: true, flushing: true}
			r.conns[c] = true
		}
		b.ReportAllocs()
		rev := 0
		for b.Loop() {
			rev++
			r.push(benchEvent(rev))
			r.flush()
			r.sendOut()
			for c := range r.conns { // what the flushers would take
				c.wmu.Lock()
				c.frames = c.frames[:0]
				c.wmu.Unlock()
			}
		}
	})

	b.Run("websocket", func(b *testing.B) {
		h := benchHub()
		r := newRoom(h, "a1")
		arrived := make(chan *conn, benchConns)
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
			ws, err := h.upgrader.Upgrade(w, req, nil)
			if err != nil {
				return
			}
			c := newConn(ws, agreements.Actor{}, "da", h.cfg, h.msgs)
			c.hello = true
			arrived <- c
		}))
		defer srv.Close()
		got := make(chan struct{}, benchConns)
		var peers []*websocket.Conn
		for range benchConns {
			ws, _, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(srv.URL, "http"), nil)
			if err != nil {
				b.Fatal(err)
			}
			peers = append(peers, ws)
			r.conns[<-arrived] = true
			go func() {
				for {
					if _, _, err := ws.ReadMessage(); err != nil {
						return
					}
					got <- struct{}{}
				}
			}()
		}
		b.ReportAllocs()
		rev := 0
		for b.Loop() {
			rev++
			r.push(benchEvent(rev))
			r.flush()
			r.sendOut()
			for range benchConns {
				<-got
			}
		}
		b.StopTimer()
		for c := range r.conns {
			c.closeWith(websocket.CloseNormalClosure, "")
		}
		for _, ws := range peers {
			ws.Close()
		}
	})
}
