package live_test

import (
	"testing"
	"time"

	"klasseaftale/server/live"
)

// A tab's heartbeat: a ping is answered with a pong to it alone, changes nothing, and counts in
// the connection's budget like any message.
func TestPingIsAnsweredWithPong(t *testing.T) {
	cfg := live.DefaultConfig()
	cfg.MessageRate, cfg.MessageBurst = 10, 20
	r := newRoom(t, cfg)
	c := r.raw(t, r.parent, "tabA")
	watcher := r.raw(t, r.other, "tabB")
	before := r.app.Snapshot()
	c.send(map[string]any{"type": "ping"})
	if m := c.next("pong"); len(m) != 1 {
		t.Errorf("pong %v, want only its type", m)
	}
	// The hello and the first ping took two of the 20. The budget refills at 10 a second while
	// the pings go out (slowly, on a busy machine): ping until the error, counting the pongs.
	pongs := 0
	for range 200 {
		c.send(map[string]any{"type": "ping"})
		m := c.next("")
		for m["type"] == "presence" { // the watcher's arrival
			m = c.next("")
		}
		if m["type"] == "pong" {
			pongs++
			continue
		}
		if m["type"] != "error" || m["code"] != "live.too_fast" {
			t.Fatalf("pings over the budget: %v", m)
		}
		break
	}
	if pongs < 18 || pongs == 200 {
		t.Errorf("%d pongs before the budget ran out, want the burst of 18 and then an error", pongs)
	}
	if r.app.Snapshot() != before {
		t.Error("a ping changed the database")
	}
	// The watcher heard none of it, up to the presence of a third tab.
	r.raw(t, r.parent, "tabC")
	for {
		m := watcher.next("")
		if m["type"] == "pong" || m["type"] == "error" {
			t.Fatalf("the watcher got %v", m)
		}
		if m["type"] == "presence" && m["client"] == "tabC" {
			break
		}
	}
}

// The server pings every connection each PingInterval, so a peer that vanished is found.
func TestTheServerPings(t *testing.T) {
	cfg := live.DefaultConfig()
	cfg.PingInterval = 50 * time.Millisecond
	r := newRoom(t, cfg)
	c := r.raw(t, r.parent, "tabA")
	pinged := make(chan struct{}, 10)
	c.ws.SetPingHandler(func(string) error {
		select {
		case pinged <- struct{}{}:
		default:
		}
		return nil
	})
	go func() {
		for {
			if _, _, err := c.ws.ReadMessage(); err != nil {
				return
			}
		}
	}()
	for range 2 {
		select {
		case <-pinged:
		case <-time.After(10 * time.Second):
			t.Fatal("no ping from the server")
		}
	}
}
