package main

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"klasseaftale/internal/pgtest"
)

// Several instances on one PostgreSQL serve one agreement together: any tab on any instance.

// Two instances on one PostgreSQL, tabs on both typing into one clause at once: every tab ends
// with the same text, every acknowledged edit is stored once, and tabs see who is on the other
// instance.
func TestTwoInstancesOneAgreement(t *testing.T) {
	dsn := pgtest.DSN(t)
	a, stopA := start(t, dsn)
	defer stopA()
	b, stopB := start(t, dsn)
	defer stopB()
	m := newMeeting(t, a, 6)
	var seen sync.Map
	typists := startTypists(t, m, []string{a, b}, 2, &seen)

	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	typeAll(ctx, typists, m.clause, 25).Wait()
	text := converged(t, typists, m.clause)
	n := everyAckedOnce(t, typists, text)
	if n != 25*len(typists) {
		t.Errorf("%d of %d edits acknowledged", n, 25*len(typists))
	}
	for _, base := range []string{a, b} {
		if stored := m.storedBody(t, base); stored != text {
			t.Errorf("%s stores %d characters, the tabs show %d", base, len(stored), len(text))
		}
	}
	// A change of the title through the second instance reaches the tabs of both.
	req, _ := http.NewRequest("PUT", b+"/api/v1/agreements/"+m.draft+"/clauses/"+m.clause, strings.NewReader(fmt.Sprintf(`{"title":"Billeder og film","base_rev":%d}`, typists[0].c.Rev(m.clause))))
	req.Header.Set("Authorization", "Bearer "+m.facToken)
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("PUT clause: %s", res.Status)
	}
	for _, ty := range typists {
		if !ty.c.Wait(10*time.Second, func() bool { _, ok := seen.Load(ty.c.ID + " title Billeder og film"); return ok }) {
			t.Errorf("%s (at %s) did not hear of the new title", ty.c.ID, ty.c.URL)
		}
	}
	// p0-t0 is on the first instance, p0-t1 on the second: each sees the other.
	for _, pair := range []string{"p0-t0>p0-t1", "p0-t1>p0-t0", "p1-t0>p2-t1"} {
		if _, ok := seen.Load(pair); !ok {
			t.Errorf("%s: no presence seen across instances", pair)
		}
	}
	t.Logf("%d tabs on 2 instances, %d edits acknowledged, all converged on %d characters", len(typists), n, len(text))
}

// An instance dies (SIGKILL) or is stopped (SIGTERM) while tabs on both type: its tabs
// reconnect to the other and resend what was in flight, nothing acknowledged is lost, nothing
// is applied twice, and every tab converges.
func TestAnInstanceGoesAndItsTabsMove(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGKILL, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			dsn := pgtest.DSN(t)
			a := startChild(t, dsn)
			b := startChild(t, dsn)
			m := newMeeting(t, b.base, 5)
			typists := startTypists(t, m, []string{a.base, b.base}, 2, nil)

			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			defer cancel()
			wg := typeAll(ctx, typists, m.clause, 40)
			for deadline := time.Now().Add(30 * time.Second); ackedCount(typists) < 100 && time.Now().Before(deadline); {
				time.Sleep(10 * time.Millisecond)
			}
			a.cmd.Process.Signal(sig)
			a.cmd.Wait()
			wg.Wait()

			text := converged(t, typists, m.clause)
			n := everyAckedOnce(t, typists, text)
			moved := 0
			for _, ty := range typists {
				ty.mu.Lock()
				moved += min(ty.moved, 1)
				ty.mu.Unlock()
			}
			if n != 40*len(typists) {
				t.Errorf("%d of %d edits acknowledged", n, 40*len(typists))
			}
			if moved < len(typists)/2 {
				t.Errorf("only %d tabs moved to the other instance", moved)
			}
			if stored := m.storedBody(t, b.base); stored != text {
				t.Errorf("stored %d characters, the tabs show %d", len(stored), len(text))
			}
			t.Logf("%d tabs moved, %d edits acknowledged, all %d tabs converged", moved, n, len(typists))
		})
	}
}

// An instance whose listener loses the database for a moment misses what the other announced
// meanwhile: once it listens again it closes its tabs' connections, and they reconnect and
// catch up, so a change made during the gap reaches them although nothing follows it.
func TestAnInstanceThatMissedNewsCatchesUp(t *testing.T) {
	dsn := pgtest.DSN(t)
	a, stopA := start(t, dsn)
	defer stopA()
	b, stopB := start(t, dsn)
	defer stopB()
	m := newMeeting(t, a, 2)
	typists := startTypists(t, m, []string{a, b}, 1, nil) // p0-t0 on a, p1-t0 on b
	writer, watcher := typists[0], typists[1]
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	reconnects := make(chan struct{}, 16)
	go func() { // the watcher reconnects whenever its connection closes
		for ctx.Err() == nil {
			select {
			case <-watcher.c.Closed():
				if watcher.connect(ctx) == nil {
					reconnects <- struct{}{}
				}
			case <-ctx.Done():
			}
		}
	}()
	writer.typeMarkers(ctx, m.clause, 1)
	converged(t, typists, m.clause)

	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var cut int
	if err := conn.QueryRow(ctx, `SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
		WHERE datname = current_database() AND query LIKE 'LISTEN %'`).Scan(&cut); err != nil || cut != 2 {
		t.Fatalf("cut %d listeners: %v", cut, err)
	}
	writer.typeMarkers(ctx, m.clause, 2) // during the gap (it lasts at least 100 ms)
	select {
	case <-reconnects:
	case <-ctx.Done():
		t.Fatal("the watcher's instance did not send its tabs to catch up")
	}
	text := converged(t, typists, m.clause)
	if n := everyAckedOnce(t, typists, text); n != 3 {
		t.Errorf("%d edits acknowledged, want 3", n)
	}
}
