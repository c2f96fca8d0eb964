package live_test

import (
	"context"
	"testing"
	"time"

	"klasseaftale/agreements/ot"
	"klasseaftale/internal/liveclient"
	"klasseaftale/server/live"
)

// A tab read by a poller (as the load tool reads its tabs) is a tab like any other: it edits,
// hears the others in order, answers the server's pings (so it outlives PongWait), ends when
// closed, and resumes after reconnecting.
func TestATabReadByAPollerIsATab(t *testing.T) {
	p, err := liveclient.NewPoller()
	if err != nil {
		t.Skip(err) // not Linux
	}
	t.Cleanup(p.Close) // after the clients' cleanups, registered below
	cfg := live.DefaultConfig()
	cfg.PingInterval, cfg.PongWait = 20*time.Millisecond, 150*time.Millisecond
	r := newRoom(t, cfg)
	connect := func(token, id string, poll *liveclient.Poller) *liveclient.Client {
		c := &liveclient.Client{URL: r.app.URL, Agree: r.draft.ID, Token: token, ID: id, Poll: poll}
		if err := c.Connect(context.Background()); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(c.Close)
		return c
	}
	a := connect(r.parent, "tabA", nil)
	b := connect(r.other, "tabB", p)
	c := connect(r.parent, "tabC", p)
	clause := r.clause(0)
	insert := func(cl *liveclient.Client, s string) {
		t.Helper()
		if _, err := cl.EditFunc(clause, func(text string) ot.Op {
			return *new(ot.Op).Insert(s).Retain(ot.Len(text))
		}); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 20 {
		insert(a, "a")
		if i%2 == 0 {
			insert(c, "ç")
		}
	}
	settle(t, clause, a, b, c)
	want := r.stored(t, clause).Body
	for name, cl := range map[string]*liveclient.Client{"a": a, "b": b, "c": c} {
		if got := cl.Text(clause); got != want {
			t.Errorf("tab %s has %q, the server %q", name, got, want)
		}
	}

	// Past several PongWaits the polled tabs are still there: they answered the pings.
	deadline := time.Now().Add(4 * cfg.PongWait)
	for time.Now().Before(deadline) {
		select {
		case <-b.Closed():
			t.Fatal("the server closed a polled tab: its pings went unanswered")
		case <-time.After(10 * time.Millisecond):
		}
	}
	insert(a, "!")
	settle(t, clause, a, b)

	// Closed, it ends; a change made meanwhile reaches it once it is back.
	b.Close()
	select {
	case <-b.Closed():
	default:
		t.Fatal("Close returned before the tab ended")
	}
	insert(a, "?")
	settle(t, clause, a, c)
	if err := b.Connect(context.Background()); err != nil {
		t.Fatal(err)
	}
	settle(t, clause, a, b, c)
	if got, want := b.Text(clause), r.stored(t, clause).Body; got != want {
		t.Errorf("reconnected, the polled tab has %q, the server %q", got, want)
	}
	if errs := append(b.Errors(), c.Errors()...); len(errs) > 0 {
		t.Errorf("errors: %v", errs)
	}
}
