// Package simtest drives the live-editing protocol through a seeded, deterministic simulation:
// many clients, each with the ot.js client state of internal/liveclient, talk to the real
// Service on a real SQLite file through simulated, ordered, lossy connections. No sockets, no
// goroutines: every run of a seed takes the same steps.
//
// Reproduce a failing run with the command the failure prints, or pick seeds and lengths:
//
//	go test ./internal/simtest -run 'TestSimulation/^60clients_3clauses$' -simseed=7 -simsteps=500 -v
package simtest

import (
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"klasseaftale/agreements"
	"klasseaftale/agreements/ot"
	"klasseaftale/agreements/sqlite"
	"klasseaftale/agreements/templates"
	"klasseaftale/internal/liveclient"
)

var (
	flagSeed  = flag.Uint64("simseed", 0, "run only this seed in every scenario")
	flagSteps = flag.Int("simsteps", 0, "steps per run instead of the scenario's")
	flagTrace = flag.Bool("simtrace", false, "log every step")

	// The order of the live room before server/live/handle.go flushed a batch's events before
	// answering its resends: it makes the runs fail.
	flagRepliesFirst = flag.Bool("simrepliesfirst", false, "answer resends and refusals before broadcasting the batch's operations")
)

type scenario struct {
	name     string
	clients  int
	clauses  int
	steps    int
	seeds    []uint64
	shortRun int // steps under -short, which runs the first seed only
}

var scenarios = []scenario{
	{name: "2clients_1clause", clients: 2, clauses: 1, steps: 3000, seeds: []uint64{1, 2, 3, 4, 5, 6}, shortRun: 800},
	{name: "10clients_2clauses", clients: 10, clauses: 2, steps: 3000, seeds: []uint64{1, 2, 3, 4, 5}, shortRun: 800},
	{name: "60clients_3clauses", clients: 60, clauses: 3, steps: 4000, seeds: []uint64{1, 2, 3}, shortRun: 1200},
}

func TestSimulation(t *testing.T) {
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			t.Parallel()
			steps, seeds := sc.steps, sc.seeds
			if testing.Short() {
				steps, seeds = sc.shortRun, seeds[:1]
			}
			if *flagSteps > 0 {
				steps = *flagSteps
			}
			if *flagSeed != 0 {
				seeds = []uint64{*flagSeed}
			}
			for _, seed := range seeds {
				t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
					s := newSim(t, sc, seed, steps)
					s.run()
				})
			}
		})
	}
}

// ---- the simulated world ----

// inMsg is a server→client message: an operation of the log (a broadcast, a replayed missed
// operation or the acknowledgement of a resend) or an error for the client's own operation.
type inMsg struct {
	clause int
	rec    agreements.OpRecord
	err    error
	seq    int // with err: the seq of the refused operation
}

// outMsg is a client→server operation.
type outMsg struct {
	clause int
	req    agreements.OpRequest
}

// doc is one client's copy of one clause, as liveclient.Doc.
type doc struct {
	text   string
	ot     liveclient.OTClient
	outSeq int // the seq of ot.Outstanding
	seq    int // the last seq given out for this clause
}

type client struct {
	idx       int
	id        string // the tab's client id
	actor     agreements.Actor
	flavour   string // put in its markers, so astral, Arabic and Danish text is typed too
	docs      []*doc // nil until the first welcome
	connected bool
	in        []inMsg
	out       []outMsg
	ghost     []outMsg // sent on a connection that has died, still on their way to the server
	marks     int
}

// recorder is the test's Publisher: it keeps the events in commit order.
type recorder struct {
	mu     sync.Mutex
	events []agreements.Event
}

func (r *recorder) Publish(e agreements.Event) {
	r.mu.Lock()
	r.events = append(r.events, e)
	r.mu.Unlock()
}

func (r *recorder) drain() []agreements.Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	ev := r.events
	r.events = nil
	return ev
}

type stats struct {
	edits, inserts, deletes, offlineEdits int
	opsSent, resent, dupResends           int
	applied, rebased, dupAcked, batches   int
	maxBatch                              int
	delivered, acks, remote, stale        int
	lostAcks, lostOther                   int
	ghosts                                int
	disconnects, reconnects, restarts     int
	replayedNow, replayedQueued           int
	maxInbound, maxLen                    int
}

type sent struct {
	clause int
	client string
	seq    int
}

type sim struct {
	t     *testing.T
	sc    scenario
	seed  uint64
	steps int
	step  int
	rng   *rand.Rand
	ctx   context.Context

	path  string
	db    *sqlite.DB
	svc   *agreements.Service
	rec   *recorder
	fac   agreements.Actor
	agree string

	clauseIDs []string
	initial   []string // each clause's body at rev 0
	serverRev []int    // the last rev of each clause broadcast

	clients []*client
	markers []string        // every marker typed, in order
	deleted map[string]bool // markers someone deleted
	sentOps map[sent]bool   // every (clause, client, seq) given to an operation
	errs    []string        // errors clients were sent or met
	trace   []string        // the last steps, shown on failure
	st      stats
}

const traceKeep = 60

var households = []string{"Ida", "Omar", "Søren", "Aïsha", "Noor", "Mathilde", "Yusuf", "Freja", "Ahmad", "Asta", "Liva", "Malik"}

// flavours go into the markers: plain, Danish, astral (two UTF-16 units), Arabic, a ZWJ emoji.
var flavours = []string{"", "æø", "🦊", "ع", "👩🏽‍💻", "å"}

func newSim(t *testing.T, sc scenario, seed uint64, steps int) *sim {
	s := &sim{
		t: t, sc: sc, seed: seed, steps: steps,
		rng:     rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)),
		ctx:     context.Background(),
		path:    filepath.Join(t.TempDir(), "sim.db"),
		rec:     &recorder{},
		deleted: map[string]bool{},
		sentOps: map[sent]bool{},
	}
	t.Cleanup(func() {
		if s.db != nil {
			s.db.Close()
		}
		if t.Failed() {
			t.Logf("seed %d, scenario %s, %d steps, failed at step %d; last steps:\n  %s", seed, sc.name, steps, s.step, strings.Join(s.trace, "\n  "))
			t.Logf("reproduce: go test ./internal/simtest -count=1 -v -run 'TestSimulation/^%s$/^seed=%d$' -simsteps=%d", sc.name, seed, steps)
		}
	})
	s.open()
	s.setup()
	return s
}

func (s *sim) open() {
	db, err := sqlite.Open(s.ctx, s.path)
	if err != nil {
		s.t.Fatal(err)
	}
	s.db = db
	s.svc = agreements.NewService(db, templates.MustLoad(), nil)
	s.svc.SetPublisher(s.rec)
}

func (s *sim) fatalf(format string, args ...any) {
	s.t.Helper()
	s.t.Fatalf("seed %d step %d: %s", s.seed, s.step, fmt.Sprintf(format, args...))
}

func (s *sim) logf(format string, args ...any) {
	line := fmt.Sprintf("%5d ", s.step) + fmt.Sprintf(format, args...)
	if *flagTrace {
		s.t.Log(line)
	}
	if len(s.trace) == traceKeep {
		s.trace = s.trace[1:]
	}
	s.trace = append(s.trace, line)
}

// setup makes a class, its parents in several households, and a draft whose first clauses get
// a starting text with Danish, Arabic and astral characters.
func (s *sim) setup() {
	ctx := s.ctx
	class, fac, _, err := s.svc.CreateClass(ctx, agreements.NewClass{Name: "4.B", Grade: 4, FacilitatorName: "Lærer Søs"})
	if err != nil {
		s.t.Fatal(err)
	}
	s.fac = agreements.Actor{Member: fac}
	for i := range s.sc.clients {
		j, err := s.svc.Join(ctx, agreements.JoinRequest{Code: class.ParentCode, Name: fmt.Sprintf("Forælder %d", i), Household: households[i%len(households)], HouseholdChoice: agreements.HouseholdSame})
		if err != nil {
			s.t.Fatal(err)
		}
		s.clients = append(s.clients, &client{idx: i, id: fmt.Sprintf("tab-%d", i), actor: agreements.Actor{Member: j.Member}, flavour: flavours[i%len(flavours)]})
	}
	draft, err := s.svc.CreateAgreement(ctx, s.fac, class.ID, agreements.NewAgreement{Kind: agreements.KindParents,
		Templates: []string{"class-chat", "evenings", "gaming", "photos"}, Lang: "da", Title: "Vores aftale"})
	if err != nil {
		s.t.Fatal(err)
	}
	if len(draft.Clauses) < s.sc.clauses {
		s.t.Fatalf("draft has %d clauses, need %d", len(draft.Clauses), s.sc.clauses)
	}
	s.agree = draft.ID
	starts := []string{
		"Vi voksne går foran 👨‍👩‍👧 — skærmen væk ved måltider. مرحبا بكم 🇩🇰 ÆØÅ æøå. ",
		"Børn 👧🏽 skriver pænt i klassechatten; السلام عليكم 😀. ",
		"Ingen billeder uden lov 📸 — لا صور بدون إذن. Håb 🤞 og tillid. ",
	}
	for k := range s.sc.clauses {
		c := draft.Clauses[k]
		s.clauseIDs = append(s.clauseIDs, c.ID)
		s.initial = append(s.initial, c.Body)
		body := starts[k%len(starts)] + c.Body
		_, err := s.svc.ApplyOp(ctx, s.fac, s.agree, agreements.OpRequest{Clause: c.ID, Rev: c.Rev, Client: "setup", Seq: k + 1, Op: ot.Diff(c.Body, body)})
		if err != nil {
			s.t.Fatal(err)
		}
		s.serverRev = append(s.serverRev, c.Rev)
	}
	s.broadcast(s.rec.drain())
}

// ---- the run ----

func (s *sim) run() {
	restartAt := s.steps / 2
	s.step = 0
	for _, c := range s.clients {
		s.reconnect(c) // the first connection: everyone opens the draft
	}
	for s.step = 1; s.step <= s.steps; s.step++ {
		if s.step == restartAt {
			s.restart()
			continue
		}
		s.act()
	}
	s.settle()
	s.check()
	st := s.st
	s.t.Logf("seed %d: %d steps; edits %d (ins %d, del %d, offline %d); ops sent %d, resent after reconnect %d, dup resends %d; "+
		"applied %d (rebased on server %d) in %d multi-op batches (max %d); dups acked %d; delivered %d (acks %d, remote %d, stale ignored %d, max queue %d); "+
		"lost acks %d, other lost messages %d; ops from dead connections %d; disconnects %d, reconnects %d (missed ops replayed before resend %d, after %d); restarts %d; longest clause %d units",
		s.seed, s.steps, st.edits, st.inserts, st.deletes, st.offlineEdits, st.opsSent, st.resent, st.dupResends,
		st.applied, st.rebased, st.batches, st.maxBatch, st.dupAcked, st.delivered, st.acks, st.remote, st.stale, st.maxInbound,
		st.lostAcks, st.lostOther, st.ghosts, st.disconnects, st.reconnects, st.replayedNow, st.replayedQueued, st.restarts, st.maxLen)
	if st.lostAcks == 0 || st.dupAcked == 0 || st.reconnects == 0 || st.restarts != 1 || st.rebased == 0 || st.deletes == 0 ||
		st.batches == 0 || st.ghosts == 0 || st.resent == 0 || st.offlineEdits == 0 || st.replayedNow == 0 || st.replayedQueued == 0 {
		s.t.Errorf("seed %d: the run did not exercise everything: %+v", s.seed, st)
	}
}

// act takes one random action. Actions that cannot be taken now are drawn again.
func (s *sim) act() {
	for range 100 {
		r := s.rng.IntN(100)
		switch {
		case r < 28:
			if s.edit() {
				return
			}
		case r < 50:
			if s.deliverOut() {
				return
			}
		case r < 82:
			if s.deliverIn() {
				return
			}
		case r < 85:
			if s.loseMessage() {
				return
			}
		case r < 89:
			if s.dupResend() {
				return
			}
		case r < 91:
			if c := s.pick(func(c *client) bool { return c.connected }); c != nil {
				s.disconnect(c, "disconnect")
				return
			}
		default:
			if c := s.pick(func(c *client) bool { return !c.connected }); c != nil {
				s.reconnect(c)
				return
			}
		}
	}
}

// pick returns a random client that satisfies ok, or nil.
func (s *sim) pick(ok func(*client) bool) *client {
	var cs []*client
	for _, c := range s.clients {
		if ok(c) {
			cs = append(cs, c)
		}
	}
	if len(cs) == 0 {
		return nil
	}
	return cs[s.rng.IntN(len(cs))]
}

// ---- the client side ----

// cut is a place in a text where an edit may start or end: outside every marker and on a code
// point boundary.
type cut struct{ unit, byte int }

const (
	markOpen  = "⟦"
	markClose = "⟧"
)

// cuts lists the cuts of text and its length in UTF-16 units.
func cuts(text string) ([]cut, int) {
	var out []cut
	unit, inMark := 0, false
	for i, r := range text {
		if !inMark {
			out = append(out, cut{unit, i})
		}
		switch string(r) {
		case markOpen:
			inMark = true
		case markClose:
			inMark = false
		}
		if r >= 0x10000 {
			unit += 2
		} else {
			unit++
		}
	}
	out = append(out, cut{unit, len(text)})
	return out, unit
}

// markersIn lists the markers of text in order; it fails on an unbalanced marker.
func markersIn(text string) ([]string, error) {
	var out []string
	for {
		i := strings.Index(text, markOpen)
		j := strings.Index(text, markClose)
		if i < 0 && j < 0 {
			return out, nil
		}
		if i < 0 || j < i {
			return out, fmt.Errorf("a %s without its %s", markClose, markOpen)
		}
		m := text[i : j+len(markClose)]
		if strings.Contains(m[len(markOpen):], markOpen) {
			return out, fmt.Errorf("markers nested or split: %q", m)
		}
		out = append(out, m)
		text = text[j+len(markClose):]
	}
}

// edit makes a local change in a random clause of a random client that has the agreement.
func (s *sim) edit() bool {
	c := s.pick(func(c *client) bool { return c.docs != nil })
	if c == nil {
		return false
	}
	k := s.rng.IntN(len(c.docs))
	d := c.docs[k]
	cs, n := cuts(d.text)
	var op ot.Op
	if len(cs) < 3 || n < 6000 && s.rng.IntN(5) > 0 {
		at := cs[s.rng.IntN(len(cs))]
		c.marks++
		m := fmt.Sprintf("%s%sc%d.%d%s", markOpen, c.flavour, c.idx, c.marks, markClose)
		s.markers = append(s.markers, m)
		op.Retain(at.unit).Insert(m).Retain(n - at.unit)
		s.st.inserts++
		s.logf("%s edits clause %d: insert %s at %d", c.id, k, m, at.unit)
	} else {
		i := s.rng.IntN(len(cs) - 1)
		j := min(len(cs)-1, i+1+s.rng.IntN(6))
		if n >= 6000 {
			j = min(len(cs)-1, i+1+s.rng.IntN(60))
		}
		a, b := cs[i], cs[j]
		gone, err := markersIn(d.text[a.byte:b.byte])
		if err != nil {
			s.fatalf("%s: deleting %q: %v", c.id, d.text[a.byte:b.byte], err)
		}
		for _, m := range gone {
			s.deleted[m] = true
		}
		op.Retain(a.unit).Delete(b.unit - a.unit).Retain(n - b.unit)
		s.st.deletes++
		s.logf("%s edits clause %d: delete %d..%d (%d markers)", c.id, k, a.unit, b.unit, len(gone))
	}
	text, err := ot.Apply(d.text, op)
	if err != nil {
		s.fatalf("%s: local edit %s on %q: %v", c.id, op, d.text, err)
	}
	d.text = text
	s.st.edits++
	if !c.connected {
		s.st.offlineEdits++
	}
	send, err := d.ot.ApplyClient(op)
	if err != nil {
		s.fatalf("%s: ApplyClient: %v", c.id, err)
	}
	if send != nil {
		d.seq++
		d.outSeq = d.seq
		s.sentOps[sent{k, c.id, d.outSeq}] = true
		s.send(c, k, send)
	}
	return true
}

// send writes an operation of clause k with its current base revision and seq. A disconnected
// client's write fails; the operation stays in flight and is resent after the reconnect.
func (s *sim) send(c *client, k int, op ot.Op) {
	if !c.connected {
		return
	}
	d := c.docs[k]
	c.out = append(c.out, outMsg{clause: k, req: agreements.OpRequest{Clause: s.clauseIDs[k], Rev: d.ot.Rev, Client: c.id, Seq: d.outSeq, Op: slices.Clone(op)}})
	s.st.opsSent++
}

// receive handles one server message as liveclient.handleOp does.
func (s *sim) receive(c *client, m inMsg) {
	s.st.delivered++
	if m.err != nil {
		s.errs = append(s.errs, fmt.Sprintf("step %d: %s clause %d seq %d: %v", s.step, c.id, m.clause, m.seq, m.err))
		s.logf("%s gets error for clause %d seq %d: %v", c.id, m.clause, m.seq, m.err)
		return
	}
	d := c.docs[m.clause]
	rec := m.rec
	if rec.Rev <= d.ot.Rev {
		s.st.stale++
		return // a revision it has: a repeat after a reconnect, or the ack of a resend
	}
	if rec.Client == c.id && d.ot.Pending() && rec.Seq == d.outSeq {
		// The simulated client checks what the real one takes for granted: an ack follows
		// every revision before it.
		if rec.Rev != d.ot.Rev+1 {
			s.fatalf("%s clause %d: ack of seq %d at rev %d, but the client has seen only rev %d: it would skip %d operations",
				c.id, m.clause, rec.Seq, rec.Rev, d.ot.Rev, rec.Rev-d.ot.Rev-1)
		}
		s.st.acks++
		s.logf("%s clause %d: ack seq %d rev %d", c.id, m.clause, rec.Seq, rec.Rev)
		if next := d.ot.ServerAck(rec.Rev); next != nil {
			d.seq++
			d.outSeq = d.seq
			s.sentOps[sent{m.clause, c.id, d.outSeq}] = true
			s.send(c, m.clause, next)
		}
		return
	}
	local, err := d.ot.ApplyServer(rec.Rev, rec.Op)
	if err == nil {
		d.text, err = ot.Apply(d.text, local)
	}
	if err != nil {
		s.fatalf("%s clause %d: remote rev %d from %s/%d: %v", c.id, m.clause, rec.Rev, rec.Client, rec.Seq, err)
	}
	s.st.remote++
}

// ---- the network ----

// deliverOut hands the next operation of one random client, or sometimes of several, to the
// server in one batch, as the live room drains its queue into one ApplyOps.
func (s *sim) deliverOut() bool {
	n := 1
	if s.rng.IntN(3) == 0 {
		n = 2 + s.rng.IntN(7)
	}
	type from struct {
		c     *client
		m     outMsg
		ghost bool // from a dead connection: no one hears the answer
	}
	var batch []from
	for len(batch) < n {
		c := s.pick(func(c *client) bool { return c.connected && len(c.out) > 0 || len(c.ghost) > 0 })
		if c == nil {
			break
		}
		if len(c.ghost) > 0 && (len(c.out) == 0 || !c.connected || s.rng.IntN(2) == 0) {
			batch = append(batch, from{c, c.ghost[0], true})
			c.ghost = c.ghost[1:]
			s.st.ghosts++
			continue
		}
		batch = append(batch, from{c, c.out[0], false})
		c.out = c.out[1:]
	}
	if len(batch) == 0 {
		return false
	}
	subs := make([]agreements.OpSubmit, len(batch))
	for i, b := range batch {
		subs[i] = agreements.OpSubmit{Actor: b.c.actor, Req: b.m.req}
	}
	results, err := s.svc.ApplyOps(s.ctx, s.agree, subs)
	if err != nil {
		s.fatalf("ApplyOps of %d: %v", len(subs), err)
	}
	if len(batch) > 1 {
		s.st.batches++
		s.st.maxBatch = max(s.st.maxBatch, len(batch))
	}
	// The committed operations go to everyone, then each author hears what became of a resend
	// or of a refused operation, as the live room does (room.ops flushes the batch's events
	// before it answers). The other order lets the acknowledgement of a resend overtake the
	// revisions committed before it in the same batch: -simrepliesfirst shows the failure.
	events := s.rec.drain()
	var names []string
	for i, b := range batch {
		res := results[i]
		ghost := ""
		if b.ghost {
			ghost = "(ghost)"
		}
		names = append(names, fmt.Sprintf("%s%s/c%d/s%d@%d", b.c.id, ghost, b.m.clause, b.m.req.Seq, b.m.req.Rev))
		if res.Err == nil && !res.Dup && res.Rec != nil && res.Rec.Rev != b.m.req.Rev+1 {
			s.st.rebased++
		}
	}
	s.logf("server applies %s: %d committed", strings.Join(names, " "), len(events))
	if !*flagRepliesFirst {
		s.broadcast(events)
	}
	for i, b := range batch {
		res := results[i]
		switch {
		case res.Err != nil:
			s.errs = append(s.errs, fmt.Sprintf("step %d: server refused %s clause %d seq %d rev %d: %v", s.step, b.c.id, b.m.clause, b.m.req.Seq, b.m.req.Rev, res.Err))
			if !b.ghost {
				b.c.in = append(b.c.in, inMsg{clause: b.m.clause, err: res.Err, seq: b.m.req.Seq})
			}
		case res.Dup:
			s.st.dupAcked++
			if !b.ghost {
				b.c.in = append(b.c.in, inMsg{clause: b.m.clause, rec: cloneRec(res.Rec)})
			}
		}
	}
	if *flagRepliesFirst {
		s.broadcast(events)
	}
	return true
}

func cloneRec(r *agreements.OpRecord) agreements.OpRecord {
	out := *r
	out.Op = slices.Clone(r.Op)
	return out
}

// broadcast queues committed operations to every connected client, checking that each
// clause's revisions leave the server in sequence.
func (s *sim) broadcast(events []agreements.Event) {
	for _, e := range events {
		if e.Type != agreements.EventOp || e.Op == nil {
			continue
		}
		k := slices.Index(s.clauseIDs, e.Clause.ID)
		if k < 0 {
			s.fatalf("event for an unknown clause %s", e.Clause.ID)
		}
		if e.Op.Rev != s.serverRev[k]+1 {
			s.fatalf("clause %d: event rev %d after %d", k, e.Op.Rev, s.serverRev[k])
		}
		s.serverRev[k] = e.Op.Rev
		s.st.applied++
		s.st.maxLen = max(s.st.maxLen, ot.Len(e.Clause.Body))
		for _, c := range s.clients {
			if c.connected {
				c.in = append(c.in, inMsg{clause: k, rec: cloneRec(e.Op)})
				s.st.maxInbound = max(s.st.maxInbound, len(c.in))
			}
		}
	}
}

// deliverIn hands one random client its next message, or sometimes all it has.
func (s *sim) deliverIn() bool {
	c := s.pick(func(c *client) bool { return c.connected && len(c.in) > 0 })
	if c == nil {
		return false
	}
	n := 1
	if s.rng.IntN(4) == 0 {
		n = 1 + s.rng.IntN(len(c.in))
	}
	for range n {
		m := c.in[0]
		c.in = c.in[1:]
		s.receive(c, m)
	}
	return true
}

// isOwnAck reports whether m would acknowledge c's operation in flight.
func isOwnAck(c *client, m inMsg) bool {
	if m.err != nil {
		return false
	}
	d := c.docs[m.clause]
	return m.rec.Client == c.id && d.ot.Pending() && m.rec.Seq == d.outSeq && m.rec.Rev > d.ot.Rev
}

// loseMessage drops the next message to a client, preferably its acknowledgement, and so ends
// its connection: on TCP a lost message is a lost connection.
func (s *sim) loseMessage() bool {
	c := s.pick(func(c *client) bool { return c.connected && len(c.in) > 0 && isOwnAck(c, c.in[0]) })
	if c == nil || s.rng.IntN(3) == 0 {
		c = s.pick(func(c *client) bool { return c.connected && len(c.in) > 0 })
	}
	if c == nil {
		return false
	}
	if isOwnAck(c, c.in[0]) {
		s.st.lostAcks++
		s.logf("%s loses its ack of seq %d rev %d", c.id, c.in[0].rec.Seq, c.in[0].rec.Rev)
	} else {
		s.st.lostOther++
	}
	c.in = c.in[1:]
	s.disconnect(c, "lost message")
	return true
}

// dupResend sends a client's operation in flight again on the same connection, same seq.
func (s *sim) dupResend() bool {
	c := s.pick(func(c *client) bool {
		return c.connected && slices.ContainsFunc(c.docs, func(d *doc) bool { return d.ot.Pending() })
	})
	if c == nil {
		return false
	}
	var ks []int
	for k, d := range c.docs {
		if d.ot.Pending() {
			ks = append(ks, k)
		}
	}
	k := ks[s.rng.IntN(len(ks))]
	s.st.dupResends++
	s.logf("%s resends clause %d seq %d", c.id, k, c.docs[k].outSeq)
	s.send(c, k, c.docs[k].ot.Outstanding)
	return true
}

// disconnect ends a client's connection. What the server had not yet sent it is lost. What
// it had sent is lost too, or, half the time, was already read by the server and is handled
// later, perhaps after the client has reconnected: the live room handles a connection's
// messages until it has handled its departure.
func (s *sim) disconnect(c *client, why string) {
	if s.rng.IntN(2) == 0 {
		c.ghost = append(c.ghost, c.out...)
	}
	c.connected, c.in, c.out = false, nil, nil
	s.st.disconnects++
	s.logf("%s disconnected (%s)", c.id, why)
}

// reconnect resumes as liveclient.Connect does: the welcome gives the current text of every
// clause without a change in flight; clauses with one keep their text and get the operations
// they missed; then the operations in flight are resent with their seqs. The missed operations
// come either in the welcome's frame, handled before the resend (as the live room sends them),
// or behind it, handled after the resend (as a client reading frame by frame may).
func (s *sim) reconnect(c *client) {
	a, err := s.svc.Agreement(s.ctx, c.actor, s.agree)
	if err != nil {
		s.fatalf("%s: welcome: %v", c.id, err)
	}
	first := c.docs == nil
	if first {
		c.docs = make([]*doc, len(s.clauseIDs))
		for k := range c.docs {
			c.docs[k] = &doc{}
		}
	}
	c.connected, c.in, c.out = true, nil, nil
	now := s.rng.IntN(2) == 0
	var missed []inMsg
	for k, id := range s.clauseIDs {
		cl := a.Clause(id)
		if cl == nil {
			s.fatalf("%s: welcome without clause %s", c.id, id)
		}
		d := c.docs[k]
		if !d.ot.Pending() {
			d.text, d.ot.Rev = cl.Body, cl.Rev
			continue
		}
		if d.ot.Rev >= cl.Rev {
			continue
		}
		ops, err := s.svc.OpsSince(s.ctx, c.actor, s.agree, id, d.ot.Rev)
		if err != nil {
			s.fatalf("%s: ops since %d: %v", c.id, d.ot.Rev, err)
		}
		for _, r := range ops {
			missed = append(missed, inMsg{clause: k, rec: cloneRec(&r)})
		}
	}
	if now {
		for _, m := range missed {
			s.receive(c, m)
		}
		s.st.replayedNow += len(missed)
	} else {
		c.in = append(c.in, missed...)
		s.st.replayedQueued += len(missed)
	}
	for k, d := range c.docs {
		if d.ot.Pending() {
			s.st.resent++
			s.send(c, k, d.ot.Outstanding)
		}
	}
	if !first {
		s.st.reconnects++
	}
	s.logf("%s reconnected: %d missed ops (handled first: %v), %d resent", c.id, len(missed), now, len(c.out))
}

// restart stops the server and starts a new one on the same file: every connection ends.
func (s *sim) restart() {
	for _, c := range s.clients {
		if c.connected {
			s.disconnect(c, "server restart")
		}
		c.ghost = nil // the old server took them with it
	}
	if err := s.db.Close(); err != nil {
		s.fatalf("close: %v", err)
	}
	s.db, s.svc = nil, nil
	s.open()
	s.st.restarts++
	s.logf("server restarted")
}

// settle reconnects everyone and delivers everything until nothing moves.
func (s *sim) settle() {
	s.logf("settling")
	for _, c := range s.clients {
		if !c.connected {
			s.reconnect(c)
		}
	}
	for i := 0; ; i++ {
		if i > 10_000_000 {
			s.fatalf("no quiet after %d deliveries", i)
		}
		if s.rng.IntN(2) == 0 && s.deliverOut() {
			continue
		}
		if s.deliverIn() || s.deliverOut() {
			continue
		}
		break
	}
	for _, c := range s.clients {
		for k, d := range c.docs {
			if d.ot.Pending() {
				s.fatalf("%s clause %d: still waiting for seq %d with nothing on the way", c.id, k, d.outSeq)
			}
		}
	}
}

// ---- the verdict ----

func (s *sim) check() {
	t := s.t
	a, err := s.svc.Agreement(s.ctx, s.fac, s.agree)
	if err != nil {
		t.Fatal(err)
	}
	for k, id := range s.clauseIDs {
		cl := a.Clause(id)
		if cl.Rev != s.serverRev[k] {
			t.Errorf("clause %d: server rev %d, last broadcast %d", k, cl.Rev, s.serverRev[k])
		}
		diverged := 0
		for _, c := range s.clients {
			d := c.docs[k]
			if d.text != cl.Body || d.ot.Rev != cl.Rev {
				diverged++
				if diverged <= 3 {
					t.Errorf("clause %d: %s has rev %d, server %d; text differs: %v\n client: %q\n server: %q",
						k, c.id, d.ot.Rev, cl.Rev, d.text != cl.Body, d.text, cl.Body)
				}
			}
		}
		if diverged > 0 {
			t.Errorf("clause %d: %d of %d clients diverged", k, diverged, len(s.clients))
		}
		s.checkLog(k, cl)
	}
	s.checkMarkers(a)
	if len(s.errs) > 0 {
		t.Errorf("%d errors for valid operations, the first: %s", len(s.errs), strings.Join(s.errs[:min(5, len(s.errs))], "\n"))
	}
}

// checkLog replays the clause's log from its first revision onto its body at revision 0 and
// checks that every operation a client numbered was logged exactly once.
func (s *sim) checkLog(k int, cl *agreements.Clause) {
	t := s.t
	log, err := s.svc.OpsSince(s.ctx, s.fac, s.agree, cl.ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(log) != cl.Rev {
		t.Errorf("clause %d: %d logged ops for rev %d", k, len(log), cl.Rev)
	}
	text := s.initial[k]
	seen := map[sent]bool{}
	for i, r := range log {
		if r.Rev != i+1 {
			t.Fatalf("clause %d: log entry %d has rev %d", k, i, r.Rev)
		}
		if text, err = ot.Apply(text, r.Op); err != nil {
			t.Fatalf("clause %d: replaying rev %d: %v", k, r.Rev, err)
		}
		key := sent{k, r.Client, r.Seq}
		if seen[key] {
			t.Errorf("clause %d: %s seq %d logged twice", k, r.Client, r.Seq)
		}
		seen[key] = true
	}
	if text != cl.Body {
		t.Errorf("clause %d: the replayed log gives\n %q\nnot the body\n %q", k, text, cl.Body)
	}
	missing := 0
	for key := range s.sentOps {
		if key.clause == k && !seen[key] {
			missing++
			if missing <= 3 {
				t.Errorf("clause %d: %s seq %d was never applied", k, key.client, key.seq)
			}
		}
	}
	if missing > 0 {
		t.Errorf("clause %d: %d operations lost", k, missing)
	}
}

// checkMarkers: every marker typed and not deleted is in the final text exactly once; a deleted
// one is gone; nothing else looks like a marker.
func (s *sim) checkMarkers(a *agreements.Agreement) {
	t := s.t
	count := map[string]int{}
	for _, id := range s.clauseIDs {
		ms, err := markersIn(a.Clause(id).Body)
		if err != nil {
			t.Errorf("clause %s: %v", id, err)
		}
		for _, m := range ms {
			count[m]++
		}
	}
	typed := map[string]bool{}
	bad := 0
	report := func(format string, args ...any) {
		bad++
		if bad <= 10 {
			t.Errorf(format, args...)
		}
	}
	for _, m := range s.markers {
		typed[m] = true
		switch n := count[m]; {
		case s.deleted[m] && n != 0:
			report("deleted marker %s appears %d times", m, n)
		case !s.deleted[m] && n != 1:
			report("marker %s appears %d times, want once", m, n)
		}
	}
	for m := range count {
		if !typed[m] {
			report("unknown marker %s", m)
		}
	}
	if bad > 0 {
		t.Errorf("%d marker problems (%d typed, %d deleted)", bad, len(s.markers), len(s.deleted))
	}
}
