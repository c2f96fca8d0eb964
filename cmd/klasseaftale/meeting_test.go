package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"klasseaftale/agreements/ot"
	"klasseaftale/internal/liveclient"
)

// A class meeting for the tests that run the binary: a class with a draft, its parents, and
// tabs that type markers into one clause and check that each acknowledged one is stored once.

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

// typeAll has every typist type n markers into the clause at once, until ctx ends; Wait on
// the result for all of them to finish.
func typeAll(ctx context.Context, typists []*typist, clause string, n int) *sync.WaitGroup {
	var wg sync.WaitGroup
	for _, ty := range typists {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ty.typeMarkers(ctx, clause, n)
		}()
	}
	return &wg
}

// ackedCount is how many markers the typists have seen acknowledged so far.
func ackedCount(typists []*typist) int {
	n := 0
	for _, ty := range typists {
		n += len(ty.ackedMarkers())
	}
	return n
}
