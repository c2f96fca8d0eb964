package live_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"klasseaftale/agreements"
	"klasseaftale/agreements/ot"
	"klasseaftale/internal/apptest"
	"klasseaftale/internal/liveclient"
	"klasseaftale/server/live"
)

// refusal reads the JSON error of a refused upgrade.
func refusal(t *testing.T, res *http.Response) (code, message string) {
	t.Helper()
	if res == nil {
		t.Fatal("no response")
	}
	body, _ := io.ReadAll(res.Body)
	var e struct {
		Error struct{ Code, Message string } `json:"error"`
	}
	if err := json.Unmarshal(body, &e); err != nil {
		t.Fatalf("refusal body %q: %v", body, err)
	}
	return e.Error.Code, e.Error.Message
}

// Live connections are capped per member, per client address and in all; a refusal comes
// before the upgrade as a JSON error, and the server goes on answering everyone else.
func TestConnectionCaps(t *testing.T) {
	for _, tc := range []struct {
		name             string
		member, addr, in int
		tokens           func(r *room) []string
		status           int
		code             string
	}{
		{"per member", 2, 50, 50, func(r *room) []string { return []string{r.parent, r.parent, r.parent} },
			http.StatusTooManyRequests, "live.too_many_tabs"},
		{"per address", 8, 2, 50, func(r *room) []string { return []string{r.parent, r.other, r.class.Facilitator} },
			http.StatusTooManyRequests, "live.too_many_from_address"},
		{"in all", 8, 50, 2, func(r *room) []string { return []string{r.parent, r.other, r.class.Facilitator} },
			http.StatusServiceUnavailable, "live.server_full"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := live.DefaultConfig()
			cfg.MaxPerMember, cfg.MaxPerAddress, cfg.MaxConnections = tc.member, tc.addr, tc.in
			r := newRoom(t, cfg)
			tokens := tc.tokens(r)
			var open []*websocket.Conn
			for _, tok := range tokens[:len(tokens)-1] {
				ws, _, err := r.dial(t, tok)
				if err != nil {
					t.Fatalf("a connection under the caps: %v", err)
				}
				open = append(open, ws)
			}
			last := tokens[len(tokens)-1]
			_, res, err := r.dial(t, last, "Accept-Language: en")
			if err == nil || res == nil || res.StatusCode != tc.status {
				t.Fatalf("over the cap: err %v, response %v; want %d", err, res, tc.status)
			}
			if code, msg := refusal(t, res); code != tc.code || msg == "" || msg == code {
				t.Errorf("refusal %q %q; want %s with a message", code, msg, tc.code)
			}
			// The rest of the server answers meanwhile.
			for _, path := range []string{"/healthz", "/join", "/api/v1/agreements/" + r.draft.ID} {
				if res := r.app.Do("GET", path, last, nil); res.Status != http.StatusOK {
					t.Errorf("GET %s while the cap is hit: %d", path, res.Status)
				}
			}
			// A closed connection frees its place.
			open[0].Close()
			deadline := time.Now().Add(10 * time.Second)
			for {
				ws, _, err := r.dial(t, last)
				if err == nil {
					ws.Close()
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("the place of a closed connection was not freed: %v", err)
				}
				time.Sleep(20 * time.Millisecond)
			}
			for _, ws := range open[1:] {
				ws.Close()
			}
		})
	}
}

// A connection that sends more than a person could is told once, and closed with 1008 when it
// goes on; a person typing is never limited.
func TestMessageBudget(t *testing.T) {
	cfg := live.DefaultConfig()
	cfg.MessageRate, cfg.MessageBurst = 10, 20
	r := newRoom(t, cfg)
	c := r.raw(t, r.parent, "tabA")
	watcher := r.raw(t, r.other, "tabB")
	presence := map[string]any{"type": "presence", "clause": r.clause(0), "sel": []int{0, 0}, "rev": 0}
	for range 19 { // the hello took one
		c.send(presence)
	}
	c.send(presence)
	if m := c.next("error"); m["code"] != "live.too_fast" || m["message"] == "" {
		t.Fatalf("over the budget: %v", m)
	}
	// The flood goes on: the connection is closed with a policy violation.
	var closeErr error
	for i := 0; i < 5000 && closeErr == nil; i++ {
		closeErr = c.ws.WriteJSON(presence)
	}
	c.ws.SetReadDeadline(time.Now().Add(10 * time.Second))
	for {
		if _, _, err := c.ws.ReadMessage(); err != nil {
			if !websocket.IsCloseError(err, websocket.ClosePolicyViolation) {
				t.Errorf("the flood ended with %v, want close 1008", err)
			}
			break
		}
	}
	// The others were not held up: the watcher still types.
	cl := r.stored(t, r.clause(0))
	watcher.send(map[string]any{"type": "op", "client": "tabB", "clause": r.clause(0), "rev": cl.Rev, "seq": 1,
		"op": insertAt(ot.Len(cl.Body), 0, "ok ")})
	if m := watcher.next("op"); m["client"] != "tabB" {
		t.Errorf("the watcher's op: %v", m)
	}
}

// Bytes count too: a few large frames use up what a person pastes in a while, and the rest of
// them is refused with the same error.
func TestByteBudget(t *testing.T) {
	cfg := live.DefaultConfig()
	cfg.ByteRate, cfg.ReadLimit = 1024, 64<<10
	r := newRoom(t, cfg)
	c := r.raw(t, r.parent, "tabA")
	big := map[string]any{"type": "presence", "clause": r.clause(0), "sel": []int{0, 0}, "pad": strings.Repeat("x", 40<<10)}
	c.send(big) // 40 KiB of the 64 KiB at once
	c.send(big)
	if m := c.next("error"); m["code"] != "live.too_fast" {
		t.Fatalf("over the byte budget: %v", m)
	}
}

// A tab ID names one tab of one member: another member proposing it gets a fresh one and
// cannot send operations under it, and the first member's edits are neither claimed nor lost.
func TestTabIDsBelongToTheirMember(t *testing.T) {
	r := newRoom(t)
	victim := r.raw(t, r.parent, "tabA")
	clause := r.clause(0)
	cl := r.stored(t, clause)
	victim.send(map[string]any{"type": "op", "client": "tabA", "clause": clause, "rev": cl.Rev, "seq": 1,
		"op": insertAt(ot.Len(cl.Body), 0, "mine ")})
	victim.next("op")

	ws, _, err := r.dial(t, r.other)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ws.Close() })
	thief := &raw{t: t, ws: ws}
	thief.send(map[string]any{"type": "hello", "client": "tabA"})
	w := thief.next("welcome")
	if w["client"] == "tabA" || w["client"] == "" {
		t.Fatalf("another member got the tab ID tabA: %v", w["client"])
	}
	if p := victim.next("presence"); p["client"] != w["client"] || p["member"].(map[string]any)["name"] != "Far" {
		t.Errorf("the others see the newcomer as %v", p)
	}
	cl = r.stored(t, clause)
	for seq := 1; seq <= 5; seq++ {
		thief.send(map[string]any{"type": "op", "client": "tabA", "clause": clause, "rev": cl.Rev, "seq": seq,
			"op": insertAt(ot.Len(cl.Body), 0, "theirs ")})
		if m := thief.next("error"); m["code"] != "request.malformed" {
			t.Errorf("an op under another's tab ID: %v", m)
		}
	}
	// The victim's next edits are applied and acknowledged as theirs.
	for seq := 2; seq <= 3; seq++ {
		victim.send(map[string]any{"type": "op", "client": "tabA", "clause": clause, "rev": cl.Rev + seq - 2, "seq": seq,
			"op": insertAt(ot.Len(cl.Body)+(seq-2)*3, 0, fmt.Sprintf("%d. ", seq))})
		if m := victim.next("op"); m["seq"] != float64(seq) || m["member"] != victimID(r) {
			t.Errorf("victim's seq %d: %v", seq, m)
		}
	}
	if got := r.stored(t, clause).Body; got != "3. 2. mine "+strings.TrimPrefix(cl.Body, "mine ") {
		t.Errorf("text %q", got)
	}
}

func victimID(r *room) string {
	var me struct {
		Member struct{ ID string } `json:"member"`
	}
	r.app.Must(http.StatusOK, "GET", "/api/v1/me", r.parent, nil, &me)
	return me.Member.ID
}

// A reloaded tab proposes its ID again and gets it back, with the count of its seqs, and its
// presence is not doubled; a second open tab of the same member proposing it gets a fresh one.
func TestAReloadedTabTakesItsPlaceBack(t *testing.T) {
	r := newRoom(t)
	first := r.raw(t, r.parent, "tabA")
	watcher := r.raw(t, r.other, "tabB")
	clause := r.clause(0)
	cl := r.stored(t, clause)
	first.send(map[string]any{"type": "op", "client": "tabA", "clause": clause, "rev": cl.Rev, "seq": 7,
		"op": insertAt(ot.Len(cl.Body), 0, "x")})
	first.next("op")

	ws, _, err := r.dial(t, r.parent)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ws.Close() })
	dup := &raw{t: t, ws: ws}
	dup.send(map[string]any{"type": "hello", "client": "tabA"})
	dupID := dup.next("welcome")["client"]
	if dupID == "tabA" {
		t.Errorf("a second open tab took tabA")
	}
	dup.ws.Close()
	first.ws.Close()
	waitConnections(t, r, 1) // the watcher
	ws2, _, err := r.dial(t, r.parent)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ws2.Close() })
	back := &raw{t: t, ws: ws2}
	back.send(map[string]any{"type": "hello", "client": "tabA"})
	if w := back.next("welcome"); w["client"] != "tabA" || w["seq"] != 7.0 {
		t.Errorf("the reloaded tab: client %v seq %v; want tabA and 7", w["client"], w["seq"])
	}
	// The watcher is told of tabA again, as the same tab: still one presence for it.
	for {
		p := watcher.next("presence")
		if p["client"] == "tabA" && p["gone"] == false {
			break
		}
		if p["client"] != "tabA" && p["client"] != dupID {
			t.Fatalf("the reloaded tab appeared as another tab: %v", p)
		}
	}
}

func waitConnections(t *testing.T, r *room, n int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for r.app.Hub.Connections() != n {
		if time.Now().After(deadline) {
			t.Fatalf("%d connections, want %d", r.app.Hub.Connections(), n)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// closed waits for the connection's end and returns the error message before it and how it was
// closed.
func (c *raw) closed(t *testing.T) (liveclient.Msg, error) {
	t.Helper()
	var last liveclient.Msg
	c.ws.SetReadDeadline(time.Now().Add(10 * time.Second))
	for {
		_, data, err := c.ws.ReadMessage()
		if err != nil {
			return last, err
		}
		for _, line := range strings.Split(string(data), "\n") {
			var m liveclient.Msg
			if json.Unmarshal([]byte(line), &m) == nil && m["type"] == "error" {
				last = m
			}
		}
	}
}

func wantEnded(t *testing.T, who string, c *raw) {
	t.Helper()
	last, err := c.closed(t)
	if last["code"] != "auth.required" || !websocket.IsCloseError(err, websocket.ClosePolicyViolation) {
		t.Errorf("%s: last error %v, closed with %v; want auth.required and 1008", who, last, err)
	}
}

// Losing access ends the live connections that came with it at once: archiving the class, and
// logging out (a session alone, or a key with everything made from it).
func TestAccessEndsAtOnce(t *testing.T) {
	app := apptest.New(t)
	school := app.NewSchool("Bakkeskolen")
	class := app.NewClassIn("4.B", 4, school.OrganiserCode)
	_, parent := app.Join(class.ParentCode, "Mor", "Ida")
	_, other := app.Join(class.ParentCode, "Far", "Omar")
	draft := app.NewAgreement(class, "parents", "photos")
	r := &room{app: app, class: class, draft: draft}
	ctx := context.Background()

	// The facilitator on two devices: one signed in with the link (a session), one with the key.
	_, session, err := app.Service.SignIn(ctx, class.Facilitator)
	if err != nil {
		t.Fatal(err)
	}
	bySession := r.raw(t, session, "fac-phone")
	byKey := r.raw(t, class.Facilitator, "fac-laptop")
	app.Must(http.StatusNoContent, "POST", "/api/v1/logout", session, nil, nil)
	wantEnded(t, "the logged-out session", bySession)
	if res := app.Do("GET", "/api/v1/me", session, nil); res.Status != http.StatusUnauthorized {
		t.Errorf("the session after logging out: %d", res.Status)
	}
	byKey.send(map[string]any{"type": "presence", "clause": nil, "sel": []int{}})
	if res := app.Do("GET", "/api/v1/me", class.Facilitator, nil); res.Status != http.StatusOK {
		t.Errorf("the key after its session logged out: %d", res.Status)
	}

	// A parent logs out with the key itself: it is revoked.
	mine := r.raw(t, parent, "mor")
	app.Must(http.StatusNoContent, "POST", "/api/v1/logout", parent, nil, nil)
	wantEnded(t, "the parent who logged out", mine)
	if res := app.Do("GET", "/api/v1/me", parent, nil); res.Status != http.StatusUnauthorized {
		t.Errorf("the parent's key after logging out: %d", res.Status)
	}
	if _, res, err := r.dial(t, parent); err == nil || res.StatusCode != http.StatusUnauthorized {
		t.Errorf("reconnecting with a revoked key: %v", err)
	}

	// The school archives the class: everyone still connected is out, and nothing they send lands.
	far := r.raw(t, other, "far")
	app.Must(http.StatusOK, "POST", "/api/v1/schools/"+school.ID+"/classes/"+class.ID+"/archive", school.Token, nil, nil)
	wantEnded(t, "a parent of the archived class", far)
	wantEnded(t, "the facilitator of the archived class", byKey)
	cl := draft.Clauses[0]
	far.ws.WriteJSON(map[string]any{"type": "op", "client": "far", "clause": cl.ID, "rev": cl.Rev, "seq": 1, "op": []any{"x", ot.Len(cl.Body)}})
	waitConnections(t, r, 0)
	var body string
	app.Store.View(ctx, func(tx agreements.Tx) error {
		c, err := tx.Clause(cl.ID)
		if err == nil {
			body = c.Body
		}
		return err
	})
	if body != cl.Body {
		t.Errorf("an op after archiving was stored: %q", body)
	}
}
