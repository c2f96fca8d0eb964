package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"klasseaftale/agreements/ot"
	"klasseaftale/internal/liveclient"
	"klasseaftale/internal/pgtest"
)

// Several instances on one PostgreSQL serve one agreement together: any tab on any instance.

// meeting is a class with a draft of one clause, made through the first instance, and its
// parents' tokens.
type meeting struct {
	facToken string
	draft    string
	clause   string
	parents  []string
}

func newMeeting(t *testing.T, base string, parents int) *meeting {
	t.Helper()
	var class struct {
		Class struct {
			ID         string `json:"id"`
			ParentCode string `json:"parent_code"`
		} `json:"class"`
		Token string `json:"token"`
	}
	postJSON(t, base, "/api/v1/classes", "", `{"name":"4.B","grade":4,"facilitator_name":"L"}`, &class)
	var draft struct {
		ID      string
		Clauses []struct{ ID string }
	}
	postJSON(t, base, "/api/v1/classes/"+class.Class.ID+"/agreements", class.Token, `{"kind":"parents","templates":["photos"],"lang":"da"}`, &draft)
	m := &meeting{facToken: class.Token, draft: draft.ID, clause: draft.Clauses[0].ID}
	for p := range parents {
		var joined struct{ Token string }
		postJSON(t, base, "/api/v1/join", "", fmt.Sprintf(`{"code":%q,"name":"P%d","household":"C%d"}`, class.Class.ParentCode, p, p), &joined)
		m.parents = append(m.parents, joined.Token)
	}
	return m
}

// storedBody reads the clause's text as stored, through an instance.
func (m *meeting) storedBody(t *testing.T, base string) string {
	t.Helper()
	req, _ := http.NewRequest("GET", base+"/api/v1/agreements/"+m.draft, nil)
	req.Header.Set("Authorization", "Bearer "+m.facToken)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var stored struct {
		Clauses []struct{ ID, Body string }
	}
	json.NewDecoder(res.Body).Decode(&stored)
	for _, c := range stored.Clauses {
		if c.ID == m.clause {
			return c.Body
		}
	}
	t.Fatalf("clause %s not stored", m.clause)
	return ""
}

// typist is a tab typing markers, each acknowledged before the next; when its instance goes
// away it reconnects to another and goes on, resending what was in flight.
type typist struct {
	c     *liveclient.Client
	bases []string // the instances it may use, in the order it tries them

	mu    sync.Mutex
	acked []string
	moved int // times it reconnected
	next  int // the number of its next marker
}

func (ty *typist) connect(ctx context.Context) error {
	var err error
	for time.Now().Before(deadlineOf(ctx)) {
		for _, b := range ty.bases {
			ty.c.URL = b
			if err = ty.c.Connect(ctx); err == nil {
				return nil
			}
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
	return err
}

func deadlineOf(ctx context.Context) time.Time {
	d, ok := ctx.Deadline()
	if !ok {
		return time.Now().Add(time.Minute)
	}
	return d
}

// typeMarkers types n markers into the clause, or until ctx ends.
func (ty *typist) typeMarkers(ctx context.Context, clause string, n int) {
	for i := 0; i < n && ctx.Err() == nil; i++ {
		marker := fmt.Sprintf("«%s.%d»", ty.c.ID, ty.next)
		ty.next++
		// On a failed write the change stays in flight: it is resent after reconnecting.
		ty.c.EditFunc(clause, func(text string) ot.Op {
			var op ot.Op
			return *op.Insert(marker).Retain(ot.Len(text))
		})
		for ty.c.Pending() {
			select {
			case <-ty.c.Closed():
				ty.bases = append(ty.bases[1:], ty.bases[0]) // the next instance first
				if ty.connect(ctx) != nil {
					return
				}
				ty.mu.Lock()
				ty.moved++
				ty.mu.Unlock()
			case <-ctx.Done():
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
		ty.mu.Lock()
		ty.acked = append(ty.acked, marker)
		ty.mu.Unlock()
	}
}

func (ty *typist) ackedMarkers() []string {
	ty.mu.Lock()
	defer ty.mu.Unlock()
	return append([]string(nil), ty.acked...)
}

// converged waits until every tab shows the same text at the same revision, and returns it.
func converged(t *testing.T, typists []*typist, clause string) string {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		text, rev, same := typists[0].c.Text(clause), typists[0].c.Rev(clause), true
		for _, ty := range typists[1:] {
			if ty.c.Text(clause) != text || ty.c.Rev(clause) != rev || ty.c.Pending() {
				same = false
				break
			}
		}
		if same {
			return text
		}
		if time.Now().After(deadline) {
			for _, ty := range typists {
				t.Logf("%s at %s: rev %d, %d characters, pending %v, errors %v", ty.c.ID, ty.c.URL, ty.c.Rev(clause), len(ty.c.Text(clause)), ty.c.Pending(), ty.c.Errors())
			}
			t.Fatal("the tabs did not converge")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// everyAckedOnce checks that each acknowledged marker is in the text exactly once.
func everyAckedOnce(t *testing.T, typists []*typist, text string) int {
	t.Helper()
	n := 0
	for _, ty := range typists {
		for _, m := range ty.ackedMarkers() {
			n++
			if c := strings.Count(text, m); c != 1 {
				t.Errorf("%s is in the text %d times", m, c)
			}
		}
	}
	return n
}

// startTypists puts tabs of the meeting's parents on the instances, alternating, each with a
// presence hook that records which other tabs it saw.
func startTypists(t *testing.T, m *meeting, bases []string, tabsPerParent int, seen *sync.Map) []*typist {
	t.Helper()
	var typists []*typist
	i := 0
	for p, tok := range m.parents {
		for tab := range tabsPerParent {
			order := append(append([]string(nil), bases[i%len(bases):]...), bases[:i%len(bases)]...)
			id := fmt.Sprintf("p%d-t%d", p, tab)
			c := &liveclient.Client{Agree: m.draft, Token: tok, ID: id}
			c.Hooks.Other = func(msg map[string]any) {
				if cl, ok := msg["clause"].(map[string]any); ok && msg["type"] == "clause" && seen != nil {
					seen.Store(id+" title "+fmt.Sprint(cl["title"]), true)
				}
			}
			c.Hooks.Presence = func(msg map[string]any) {
				if other, ok := msg["client"].(string); ok && seen != nil {
					seen.Store(id+">"+other, true)
				}
			}
			ty := &typist{c: c, bases: order}
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			err := ty.connect(ctx)
			cancel()
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(c.Close)
			typists = append(typists, ty)
			i++
		}
	}
	return typists
}

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
	var wg sync.WaitGroup
	for _, ty := range typists {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ty.typeMarkers(ctx, m.clause, 25)
		}()
	}
	wg.Wait()
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
			var wg sync.WaitGroup
			for _, ty := range typists {
				wg.Add(1)
				go func() {
					defer wg.Done()
					ty.typeMarkers(ctx, m.clause, 40)
				}()
			}
			for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(10 * time.Millisecond) {
				n := 0
				for _, ty := range typists {
					n += len(ty.ackedMarkers())
				}
				if n >= 100 || time.Now().After(deadline) {
					break
				}
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
