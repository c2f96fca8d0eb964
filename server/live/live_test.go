package live_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"klasseaftale/agreements"
	"klasseaftale/agreements/ot"
	"klasseaftale/internal/apptest"
	"klasseaftale/internal/liveclient"
	"klasseaftale/server/live"
)

// room is a class with a draft, its people and the live clients they open.
type room struct {
	app    *apptest.App
	class  apptest.Class
	draft  agreements.Agreement
	parent string // tokens
	other  string
	pupil  string
}

func newRoom(t *testing.T, cfg ...live.Config) *room {
	t.Helper()
	var opts apptest.Options
	if len(cfg) > 0 {
		opts.Live = &cfg[0]
	}
	return newRoomWith(t, opts)
}

func newRoomWith(t *testing.T, opts apptest.Options) *room {
	t.Helper()
	app := apptest.New(t, opts)
	r := &room{app: app, class: app.NewClass("4.B", 4)}
	_, r.parent = app.Join(r.class.ParentCode, "Mor", "Ida")
	_, r.other = app.Join(r.class.ParentCode, "Far", "Omar")
	_, r.pupil = app.Join(r.class.PupilCode, "Ida", "")
	r.draft = app.NewAgreement(r.class, "parents", "photos", "evenings")
	return r
}

func (r *room) connect(t *testing.T, token, id string) *liveclient.Client {
	t.Helper()
	c := &liveclient.Client{URL: r.app.URL, Agree: r.draft.ID, Token: token, ID: id}
	if err := c.Connect(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c
}

func (r *room) clause(i int) string { return r.draft.Clauses[i].ID }

// stored reads a clause as the server has it.
func (r *room) stored(t *testing.T, clause string) agreements.Clause {
	t.Helper()
	var a agreements.Agreement
	r.app.Must(http.StatusOK, "GET", "/api/v1/agreements/"+r.draft.ID, r.class.Facilitator, nil, &a)
	if c := a.Clause(clause); c != nil {
		return *c
	}
	t.Fatalf("no clause %s", clause)
	return agreements.Clause{}
}

// settle waits until no client has a change in flight and all have seen the same revision.
func settle(t *testing.T, clause string, cs ...*liveclient.Client) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		same := true
		for _, c := range cs {
			if c.Pending() || c.Rev(clause) != cs[0].Rev(clause) {
				same = false
			}
		}
		if same {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	for _, c := range cs {
		t.Logf("%s: rev %d pending %v errors %v", c.ID, c.Rev(clause), c.Pending(), c.Errors())
	}
	t.Fatal("clients did not settle")
}

// insertAt builds an insert of s at code-unit position pos in a text of length n.
func insertAt(n, pos int, s string) ot.Op {
	var op ot.Op
	op.Retain(pos).Insert(s).Retain(n - pos)
	return op
}

// gaps lists the code-unit positions of a text that are outside every «marker», so an insert
// there splits neither a marker nor a surrogate pair.
func gaps(text string) []int {
	out := []int{0}
	pos, inside := 0, false
	for _, r := range text {
		pos++
		if r > 0xFFFF {
			pos++
		}
		switch r {
		case '«':
			inside = true
		case '»':
			inside = false
		}
		if !inside {
			out = append(out, pos)
		}
	}
	return out
}

// typeInto inserts each word of words at a random place of the client's text, as a person
// typing, never inside another's marker.
func typeInto(t *testing.T, c *liveclient.Client, clause string, rng *rand.Rand, words []string) {
	t.Helper()
	for _, w := range words {
		_, err := c.EditFunc(clause, func(text string) ot.Op {
			g := gaps(text)
			return insertAt(ot.Len(text), g[rng.IntN(len(g))], w)
		})
		if err != nil {
			t.Error(err)
			return
		}
	}
}

func TestTwoClientsConverge(t *testing.T) {
	r := newRoom(t)
	a, b := r.connect(t, r.parent, "tabA"), r.connect(t, r.other, "tabB")
	clause := r.clause(0)
	var wg sync.WaitGroup
	for i, c := range []*liveclient.Client{a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(i), 7))
			var words []string
			for k := range 40 {
				words = append(words, fmt.Sprintf("«%s%d»", c.ID, k))
			}
			typeInto(t, c, clause, rng, words)
		}()
	}
	wg.Wait()
	settle(t, clause, a, b)
	server := r.stored(t, clause).Body
	if a.Text(clause) != server || b.Text(clause) != server {
		t.Fatalf("diverged:\nA: %q\nB: %q\nS: %q", a.Text(clause), b.Text(clause), server)
	}
	for _, id := range []string{"tabA", "tabB"} {
		for k := range 40 {
			if n := strings.Count(server, fmt.Sprintf("«%s%d»", id, k)); n != 1 {
				t.Errorf("marker %s%d is there %d times", id, k, n)
			}
		}
	}
}

// raw is a WebSocket spoken to message by message, for the protocol's edges.
type raw struct {
	t  *testing.T
	ws *websocket.Conn
	q  []liveclient.Msg
}

func (r *room) dial(t *testing.T, token string, header ...string) (*websocket.Conn, *http.Response, error) {
	t.Helper()
	h := http.Header{"Authorization": {"Bearer " + token}}
	for _, kv := range header {
		k, v, _ := strings.Cut(kv, ": ")
		h.Set(k, v)
	}
	u := "ws" + strings.TrimPrefix(r.app.URL, "http") + "/api/v1/agreements/" + r.draft.ID + "/live"
	return websocket.DefaultDialer.Dial(u, h)
}

func (r *room) raw(t *testing.T, token, client string) *raw {
	t.Helper()
	ws, _, err := r.dial(t, token)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ws.Close() })
	c := &raw{t: t, ws: ws}
	c.send(map[string]any{"type": "hello", "client": client})
	c.next("welcome")
	return c
}

func (c *raw) send(m any) {
	c.t.Helper()
	if err := c.ws.WriteJSON(m); err != nil {
		c.t.Fatal(err)
	}
}

// next returns the next message of the type, skipping others (presence and the like).
// next returns the next message of the type, skipping others; "" takes any.
func (c *raw) next(typ string) liveclient.Msg {
	c.t.Helper()
	for {
		for len(c.q) > 0 {
			m := c.q[0]
			c.q = c.q[1:]
			if m["type"] == typ || typ == "" {
				return m
			}
		}
		c.ws.SetReadDeadline(time.Now().Add(10 * time.Second))
		_, data, err := c.ws.ReadMessage()
		if err != nil {
			c.t.Fatalf("waiting for %s: %v", typ, err)
		}
		for _, line := range strings.Split(string(data), "\n") {
			var m liveclient.Msg
			if err := json.Unmarshal([]byte(line), &m); err != nil {
				c.t.Fatalf("frame %q: %v", data, err)
			}
			c.q = append(c.q, m)
		}
	}
}

func TestResentOpIsAppliedOnce(t *testing.T) {
	r := newRoom(t)
	c := r.raw(t, r.parent, "tabA")
	clause := r.clause(0)
	before := r.stored(t, clause)
	op := map[string]any{"type": "op", "clause": clause, "rev": before.Rev, "client": "tabA", "seq": 99,
		"op": insertAt(ot.Len(before.Body), 0, "Én gang. ")}
	for range 3 {
		c.send(op)
	}
	var revs []float64
	for range 3 {
		ack := c.next("op")
		if ack["client"] != "tabA" || ack["seq"] != 99.0 {
			t.Fatalf("ack %v", ack)
		}
		revs = append(revs, ack["rev"].(float64))
	}
	if revs[0] != float64(before.Rev+1) || revs[1] != revs[0] || revs[2] != revs[0] {
		t.Errorf("acknowledged revisions %v, want three times %d", revs, before.Rev+1)
	}
	after := r.stored(t, clause)
	if after.Body != "Én gang. "+before.Body || after.Rev != before.Rev+1 {
		t.Fatalf("after three sends: rev %d→%d, body %q", before.Rev, after.Rev, after.Body)
	}
}

func TestInvalidOpsGetAnErrorAndChangeNothing(t *testing.T) {
	r := newRoom(t)
	c := r.raw(t, r.parent, "tabA")
	watcher := r.raw(t, r.other, "tabB")
	clause := r.clause(0)
	before := r.app.Snapshot()
	cur := r.stored(t, clause)
	n := ot.Len(cur.Body)
	emoji := insertAt(n, 0, "😀")
	for _, tc := range []struct {
		name  string
		frame string
		code  string
	}{
		{"wrong base length", fmt.Sprintf(`{"type":"op","client":"tabA","clause":%q,"rev":%d,"seq":1,"op":[%d,"x"]}`, clause, cur.Rev, n+3), "op.invalid"},
		{"a lone surrogate", fmt.Sprintf(`{"type":"op","client":"tabA","clause":%q,"rev":%d,"seq":2,"op":["\ud83d",%d]}`, clause, cur.Rev, n), "op.invalid"},
		{"a zero component", fmt.Sprintf(`{"type":"op","client":"tabA","clause":%q,"rev":%d,"seq":3,"op":[0,%d]}`, clause, cur.Rev, n), "op.invalid"},
		{"an unknown clause", fmt.Sprintf(`{"type":"op","client":"tabA","clause":"nope","rev":0,"seq":4,"op":[%d]}`, n), "clause.unknown"},
		{"a revision from the future", fmt.Sprintf(`{"type":"op","client":"tabA","clause":%q,"rev":%d,"seq":5,"op":[%d,"x"]}`, clause, cur.Rev+5, n), "op.invalid"},
		{"not JSON", `{"type":`, "request.malformed"},
		{"an unknown type", `{"type":"nonsense"}`, "request.malformed"},
		{"another tab's ID", fmt.Sprintf(`{"type":"op","client":"tabB","clause":%q,"rev":%d,"seq":9,"op":[%d,"x"]}`, clause, cur.Rev, n), "request.malformed"},
		{"no tab ID", fmt.Sprintf(`{"type":"op","clause":%q,"rev":%d,"seq":9,"op":[%d,"x"]}`, clause, cur.Rev, n), "request.malformed"},
		{"a 200 KB tab ID", fmt.Sprintf(`{"type":"op","client":%q,"clause":%q,"rev":%d,"seq":9,"op":[%d,"x"]}`, strings.Repeat("t", 200<<10), clause, cur.Rev, n), "request.malformed"},
		{"seq 0", fmt.Sprintf(`{"type":"op","client":"tabA","clause":%q,"rev":%d,"seq":0,"op":[%d,"x"]}`, clause, cur.Rev, n), "request.malformed"},
		{"a negative seq", fmt.Sprintf(`{"type":"op","client":"tabA","clause":%q,"rev":%d,"seq":-3,"op":[%d,"x"]}`, clause, cur.Rev, n), "request.malformed"},
		{"too large a text", fmt.Sprintf(`{"type":"op","client":"tabA","clause":%q,"rev":%d,"seq":6,"op":[%q,%d]}`, clause, cur.Rev, strings.Repeat("x", agreements.MaxBodyLen), n), "clause.body_too_long"},
	} {
		if err := c.ws.WriteMessage(websocket.TextMessage, []byte(tc.frame)); err != nil {
			t.Fatal(err)
		}
		if m := c.next("error"); m["code"] != tc.code || m["message"] == "" || m["message"] == tc.code {
			t.Errorf("%s: error %v, want %s with a message", tc.name, m, tc.code)
		}
	}
	// A binary frame is no message of the protocol, whatever it holds.
	good := fmt.Sprintf(`{"type":"op","client":"tabA","clause":%q,"rev":%d,"seq":10,"op":[%d,"x"]}`, clause, cur.Rev, n)
	if err := c.ws.WriteMessage(websocket.BinaryMessage, []byte(good)); err != nil {
		t.Fatal(err)
	}
	if m := c.next("error"); m["code"] != "request.malformed" {
		t.Errorf("a binary frame: %v", m)
	}
	// A pair split in the middle: the text holds an emoji, an op retains half of it.
	c.send(map[string]any{"type": "op", "clause": clause, "rev": cur.Rev, "client": "tabA", "seq": 7, "op": emoji})
	c.next("op")
	before = r.app.Snapshot()
	c.send(json.RawMessage(fmt.Sprintf(`{"type":"op","client":"tabA","clause":%q,"rev":%d,"seq":8,"op":[1,"x",%d]}`, clause, cur.Rev+1, n+1)))
	if m := c.next("error"); m["code"] != "op.invalid" {
		t.Errorf("split surrogate: %v", m)
	}
	if after := r.app.Snapshot(); after != before {
		t.Error("an invalid op changed the database")
	}
	// The watcher saw the one valid op and no error.
	if m := watcher.next("op"); m["seq"] != 7.0 {
		t.Errorf("watcher saw %v", m)
	}
}

func TestWhoMayConnect(t *testing.T) {
	r := newRoom(t)
	for _, tc := range []struct {
		name   string
		token  string
		header []string
		status int
	}{
		{"a pupil to the parents' draft", r.pupil, nil, http.StatusForbidden},
		{"no token", "", nil, http.StatusUnauthorized},
		{"a page of another site", r.parent, []string{"Origin: http://evil.example"}, http.StatusForbidden},
	} {
		_, res, err := r.dial(t, tc.token, tc.header...)
		if err == nil || res == nil || res.StatusCode != tc.status {
			t.Errorf("%s: err %v, response %v, want %d", tc.name, err, res, tc.status)
		}
	}
	ws, _, err := r.dial(t, r.parent, "Origin: "+r.app.URL)
	if err != nil {
		t.Fatalf("same origin refused: %v", err)
	}
	ws.Close()
}

// An edit over HTTP goes through the same path: it reaches the room as an op and a clause.
func TestHTTPEditReachesTheRoom(t *testing.T) {
	r := newRoom(t)
	a := r.connect(t, r.parent, "tabA")
	clause := r.clause(1)
	cur := r.stored(t, clause)
	body, title := "Ro fra kl. 20. "+cur.Body, "Ro om aftenen"
	r.app.Must(http.StatusOK, "PUT", "/api/v1/agreements/"+r.draft.ID+"/clauses/"+clause, r.other,
		map[string]any{"body": body, "title": title, "base_rev": cur.Rev}, nil)
	if !a.Wait(10*time.Second, func() bool { return a.Rev(clause) == cur.Rev+1 }) {
		t.Fatalf("the HTTP edit did not reach the room: rev %d", a.Rev(clause))
	}
	if a.Text(clause) != body {
		t.Errorf("live text %q, want %q", a.Text(clause), body)
	}
}

func TestStructureCommands(t *testing.T) {
	r := newRoom(t)
	fac := r.raw(t, r.class.Facilitator, "tabF")
	par := r.raw(t, r.parent, "tabP")
	first := r.clause(0)
	par.send(map[string]any{"type": "clause.add", "title": "Vores eget punkt", "body": "Tekst", "after": first})
	added := par.next("clause")["clause"].(map[string]any)
	if added["title"] != "Vores eget punkt" {
		t.Fatalf("added %v", added)
	}
	order := fac.next("order")["clauses"].([]any)
	if len(order) != len(r.draft.Clauses)+1 || order[1] != added["id"] {
		t.Errorf("order %v", order)
	}
	par.send(map[string]any{"type": "clause.title", "clause": first, "title": "Billeder, altid med lov"})
	if m := fac.next("clause")["clause"].(map[string]any); m["title"] != "Billeder, altid med lov" {
		t.Errorf("retitled %v", m)
	}
	par.send(map[string]any{"type": "clause.remove", "clause": added["id"]})
	if m := par.next("error"); m["code"] != "auth.forbidden" {
		t.Errorf("a parent removed a clause: %v", m)
	}
	fac.send(map[string]any{"type": "clause.remove", "clause": added["id"]})
	if m := par.next("clause.removed"); m["clause"] != added["id"] {
		t.Errorf("removed %v", m)
	}
	evenings := r.clause(1)
	fac.send(map[string]any{"type": "clause.value", "clause": evenings, "value": "19:00"})
	if m := par.next("clause")["clause"].(map[string]any); m["parameter"].(map[string]any)["value"] != "19:00" {
		t.Errorf("value %v", m)
	}
	fac.send(map[string]any{"type": "clause.value", "clause": evenings, "value": "03:00"})
	if m := fac.next("error"); m["code"] != "clause.value_invalid" {
		t.Errorf("an option that does not exist: %v", m)
	}
}

func TestPresenceAppearsAndExpires(t *testing.T) {
	cfg := live.DefaultConfig()
	cfg.PresenceTTL, cfg.PingInterval, cfg.PongWait = 600*time.Millisecond, 100*time.Millisecond, 600*time.Millisecond
	r := newRoom(t, cfg)
	watcher := r.raw(t, r.parent, "tabW")
	ws, _, err := r.dial(t, r.other)
	if err != nil {
		t.Fatal(err)
	}
	ws.WriteJSON(map[string]any{"type": "hello", "client": "tabO"})
	ws.WriteJSON(map[string]any{"type": "presence", "clause": r.clause(0), "sel": []int{3, 5}, "rev": 0})
	var seen liveclient.Msg
	for seen == nil || seen["clause"] == nil {
		seen = watcher.next("presence")
	}
	member := seen["member"].(map[string]any)
	if member["name"] != "Far" || member["color"] == "" || seen["clause"] != r.clause(0) || seen["gone"] != false {
		t.Errorf("presence %v", seen)
	}
	ws.UnderlyingConn().Close() // the phone vanishes without a goodbye
	for {
		m := watcher.next("presence")
		if m["client"] == "tabO" && m["gone"] == true {
			break
		}
	}
}

// A client that stops reading is dropped when its queue fills, and the room goes on.
func TestSlowClientIsDropped(t *testing.T) {
	cfg := live.DefaultConfig()
	cfg.SendQueue, cfg.WriteWait = 4, 300*time.Millisecond
	cfg.MessageRate, cfg.MessageBurst, cfg.ByteRate = 1e5, 1e5, 1e9 // it types far faster than a person
	r := newRoom(t, cfg)
	slow, _, err := r.dial(t, r.other)
	if err != nil {
		t.Fatal(err)
	}
	slow.WriteJSON(map[string]any{"type": "hello", "client": "slow"})
	// slow never reads again.
	a := r.connect(t, r.parent, "tabA")
	clause := r.clause(0)
	big := strings.Repeat("ø", 8000)
	for i := 0; i < 1000 && r.app.Hub.Connections() > 1; i++ {
		_, err := a.EditFunc(clause, func(text string) ot.Op {
			var op ot.Op
			if i%2 == 0 {
				return *op.Retain(ot.Len(text)).Insert(big)
			}
			return *op.Retain(ot.Len(text) - 8000).Delete(8000)
		})
		if err != nil {
			t.Fatal(err)
		}
		settle(t, clause, a)
	}
	if errs := a.Errors(); len(errs) > 0 {
		t.Errorf("the typing client met errors: %v", errs)
	}
	if n := r.app.Hub.Connections(); n != 1 {
		t.Errorf("%d connections open, want only the typing one", n)
	}
	slow.SetReadDeadline(time.Now().Add(10 * time.Second))
	for {
		if _, _, err := slow.ReadMessage(); err != nil {
			break // dropped: its connection ended
		}
	}
}

// A tab that was away while hundreds of revisions were made catches up in one go: the replay
// does not overflow its queue.
func TestLongAbsenceCatchesUp(t *testing.T) {
	cfg := live.DefaultConfig()
	cfg.SendQueue = 16
	cfg.MessageRate, cfg.MessageBurst, cfg.ByteRate = 1e5, 1e5, 1e9 // it types far faster than a person
	r := newRoom(t, cfg)
	a := r.connect(t, r.parent, "tabA")
	clause := r.clause(0)
	const missed = 600
	for range missed {
		_, err := a.EditFunc(clause, func(text string) ot.Op { return insertAt(ot.Len(text), 0, "x") })
		if err != nil {
			t.Fatal(err)
		}
		settle(t, clause, a) // one revision per keystroke
	}
	settle(t, clause, a)
	revs := r.stored(t, clause).Rev
	if revs < 300 {
		t.Fatalf("only %d revisions to miss", revs)
	}
	ws, _, err := r.dial(t, r.other)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	c := &raw{t: t, ws: ws}
	c.send(map[string]any{"type": "hello", "client": "back", "resume": map[string]int{clause: 0}})
	c.next("welcome")
	for i := range revs {
		if m := c.next("op"); m["rev"] != float64(i+1) {
			t.Fatalf("replayed op %d has rev %v", i, m["rev"])
		}
	}
}

// heldStore is the real store with a gate: once armed, the next commit waits until the test
// lets it go. It counts the commits from the arming on.
type heldStore struct {
	agreements.Store
	mu      sync.Mutex
	hold    chan struct{} // set by arm: the next commit waits for it to close
	entered chan struct{} // told when that commit is held
	commits int
}

func (s *heldStore) arm() (release func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hold, s.entered, s.commits = make(chan struct{}), make(chan struct{}, 1), 0
	hold := s.hold
	return func() { close(hold) }
}

func (s *heldStore) Update(ctx context.Context, fn func(agreements.Tx) error) error {
	s.mu.Lock()
	hold, entered := s.hold, s.entered
	s.hold = nil
	s.commits++
	s.mu.Unlock()
	if hold != nil {
		entered <- struct{}{}
		<-hold
	}
	return s.Store.Update(ctx, fn)
}

func (s *heldStore) committed() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.commits
}

// A room batches by work, not by clock: an operation waits only for the commit and broadcast in
// progress. While a commit is held back, what the tabs send meanwhile goes out after it as one
// batch — one transaction, one frame, in the order it came, with only the newest presence of
// each tab; a tab is still not told its own.
func TestOperationsThatArriveDuringACommitGoOutTogetherInOrder(t *testing.T) {
	store := &heldStore{}
	r := newRoomWith(t, apptest.Options{WrapStore: func(s agreements.Store) agreements.Store {
		store.Store = s
		return store
	}})
	a := r.raw(t, r.parent, "tabA")
	b := r.raw(t, r.other, "tabB")
	clause := r.clause(0)
	n := ot.Len(r.stored(t, clause).Body)
	op := func(seq int) map[string]any {
		return map[string]any{"type": "op", "clause": clause, "rev": 0, "client": "tabA", "seq": seq,
			"op": insertAt(n, 0, fmt.Sprint(seq))}
	}
	release := store.arm()
	a.send(op(1))
	select { // the room is committing operation 1, and holds on
	case <-store.entered:
	case <-time.After(10 * time.Second):
		t.Fatal("the first operation was never committed")
	}
	a.send(map[string]any{"type": "presence", "clause": clause, "sel": []int{1, 1}, "rev": 0})
	for seq := 2; seq <= 4; seq++ {
		a.send(op(seq))
	}
	a.send(map[string]any{"type": "presence", "clause": clause, "sel": []int{4, 4}, "rev": 4})
	const sent = 5 // what waits for the room while it commits
	deadline := time.Now().Add(10 * time.Second)
	for r.app.Hub.Waiting() < sent {
		if time.Now().After(deadline) {
			t.Fatalf("%d messages reached the room, want %d", r.app.Hub.Waiting(), sent)
		}
		time.Sleep(time.Millisecond)
	}
	if got := store.committed(); got != 1 {
		t.Fatalf("%d commits while the first was held, want 1", got)
	}
	release()

	// frames reads a connection's frames until one holds operation 4.
	frames := func(c *raw) [][]liveclient.Msg {
		t.Helper()
		var out [][]liveclient.Msg
		for {
			c.ws.SetReadDeadline(time.Now().Add(10 * time.Second))
			_, data, err := c.ws.ReadMessage()
			if err != nil {
				t.Fatal(err)
			}
			var ms []liveclient.Msg
			last := false
			for _, line := range strings.Split(string(data), "\n") {
				var m liveclient.Msg
				if err := json.Unmarshal([]byte(line), &m); err != nil {
					t.Fatalf("frame %q: %v", data, err)
				}
				ms = append(ms, m)
				last = last || m["type"] == "op" && m["seq"] == float64(4)
			}
			out = append(out, ms)
			if last {
				return out
			}
		}
	}
	kinds := func(ms []liveclient.Msg) string {
		var out []string
		for _, m := range ms {
			switch m["type"] {
			case "op":
				out = append(out, fmt.Sprintf("op%v@%v", m["seq"], m["rev"]))
			case "presence":
				out = append(out, fmt.Sprintf("presence:%v", m["client"]))
			default:
				out = append(out, fmt.Sprint(m["type"]))
			}
		}
		return strings.Join(out, " ")
	}
	// The batch is the end of the last frame (the writer may have joined the first broadcast
	// to it). tabA's first presence is replaced by its newer one, which comes after the
	// operations it counts in.
	fb := frames(b)
	last := fb[len(fb)-1]
	if got, want := kinds(last), "op2@2 op3@3 op4@4 presence:tabA"; !strings.HasSuffix(got, want) {
		t.Errorf("tabB got the frames %q, want the last to end with %q", kinds(slices.Concat(fb...)), want)
	} else if sel := last[len(last)-1]["sel"]; fmt.Sprint(sel) != "[4 4]" {
		t.Errorf("tabB got tabA's selection %v, want the newest, [4 4]", sel)
	}
	if got, want := kinds(slices.Concat(fb...)), "op1@1 op2@2 op3@3 op4@4 presence:tabA"; !strings.HasSuffix(got, want) {
		t.Errorf("tabB got %q, want it to end with %q", got, want)
	}
	fa := frames(a)
	if got, want := kinds(fa[len(fa)-1]), "op2@2 op3@3 op4@4"; !strings.HasSuffix(got, want) {
		t.Errorf("tabA got the frames %q, want the last to end with %q", kinds(slices.Concat(fa...)), want)
	}
	if got := store.committed(); got != 2 {
		t.Errorf("%d commits, want 2: the held one and one for all that came meanwhile", got)
	}
	if got := r.stored(t, clause).Body; !strings.HasPrefix(got, "4321") {
		t.Errorf("stored %q", got)
	}
}

// A caret alone waits for the room's next broadcast with more in it (up to PresenceWait), so a
// person typing does not cost every socket a second write per keystroke: it goes out in one
// frame with the next keystroke in the room.
func TestACaretGoesWithTheNextKeystroke(t *testing.T) {
	cfg := live.DefaultConfig()
	cfg.PresenceWait = time.Hour // only a keystroke sends it
	r := newRoom(t, cfg)
	watcher := r.raw(t, r.parent, "tabW")
	caret := r.raw(t, r.other, "tabO")
	// Where the person is, then a keystroke: one connection's messages reach the room in order.
	caret.send(map[string]any{"type": "presence", "clause": r.clause(0), "sel": []int{2, 2}, "rev": 0})
	caret.send(map[string]any{"type": "op", "clause": r.clause(0), "rev": 0, "client": "tabO", "seq": 1,
		"op": insertAt(ot.Len(r.draft.Clauses[0].Body), 0, "Vi ")})
	// Frames before the keystroke's may say who arrived (a new tab is welcomed after what the
	// room said before); the caret must come in the keystroke's frame.
	for {
		watcher.ws.SetReadDeadline(time.Now().Add(10 * time.Second))
		_, frame, err := watcher.ws.ReadMessage()
		if err != nil {
			t.Fatal(err)
		}
		op, caretThere := false, false
		for _, line := range strings.Split(string(frame), "\n") {
			var m liveclient.Msg
			if err := json.Unmarshal([]byte(line), &m); err != nil {
				t.Fatalf("frame %q: %v", frame, err)
			}
			op = op || m["type"] == "op"
			caretThere = caretThere || (m["type"] == "presence" && m["client"] == "tabO" && m["clause"] == r.clause(0))
		}
		if caretThere != op {
			t.Fatalf("a frame with the keystroke %v and the caret %v: want them together\n%s", op, caretThere, frame)
		}
		if op {
			return
		}
	}
}
