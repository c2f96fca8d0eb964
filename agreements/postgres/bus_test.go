package postgres_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"klasseaftale/agreements"
	"klasseaftale/agreements/ot"
	"klasseaftale/agreements/postgres"
	"klasseaftale/agreements/templates"
	"klasseaftale/internal/pgtest"
)

// heard collects what reaches a publisher or a bus.
type heard struct {
	mu       sync.Mutex
	events   []agreements.Event
	presence []string
}

func (h *heard) Publish(e agreements.Event) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.events = append(h.events, e)
}

func (h *heard) takePresence(agreementID string, payload []byte) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.presence = append(h.presence, agreementID+" "+string(payload))
}

func (h *heard) encoded(t *testing.T) []string {
	t.Helper()
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []string
	for _, e := range h.events {
		b, err := json.Marshal(e)
		must(t, err)
		out = append(out, string(b))
	}
	return out
}

// waitFor polls until cond holds, or fails the test after 10 s.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !cond(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("waited in vain for %s", what)
		}
	}
}

// Every kind of event one instance commits reaches the other, as its own rooms heard of it,
// in commit order, a long one through the table; an instance does not hear its own; what a
// rolled-back transaction announced reaches nobody; presence news goes across as it is.
func TestBusCarriesEventsAndPresence(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.DSN(t)
	dbA, dbB := open(t, dsn), open(t, dsn)
	busA, busB := postgres.NewBus(dbA, nil), postgres.NewBus(dbB, nil)
	var local, atA, atB heard
	busA.OnEvent(atA.Publish)
	busA.OnPresence(atA.takePresence)
	busB.OnEvent(atB.Publish)
	busB.OnPresence(atB.takePresence)
	for _, b := range []*postgres.Bus{busA, busB} {
		must(t, b.Start(ctx))
		t.Cleanup(b.Close)
	}
	svc := agreements.NewService(dbA, templates.MustLoad(), &local)
	svc.SetAnnouncer(busA)

	class, facM, _, err := svc.CreateClass(ctx, agreements.NewClass{Name: "4.B", Grade: 4, FacilitatorName: "Lærer"})
	must(t, err)
	fac := agreements.Actor{Member: facM}
	j, err := svc.Join(ctx, agreements.JoinRequest{Code: class.ParentCode, Name: "Mor", Household: "Ida"})
	must(t, err)
	parent := agreements.Actor{Member: j.Member}
	a, err := svc.CreateAgreement(ctx, fac, class.ID, agreements.NewAgreement{Kind: agreements.KindParents, Templates: []string{"photos", "evenings"}, Lang: "da", Title: "Aftale"})
	must(t, err)
	clause := a.Clauses[0]
	long := strings.Repeat("Vi taler med børnene om billeder. ", 300) // over 8,000 bytes: through the table
	for i, text := range []string{"Først. ", long} {
		_, err := svc.ApplyOp(ctx, parent, a.ID, agreements.OpRequest{Clause: clause.ID, Rev: i, Client: "tab1", Seq: i + 1,
			Op: *new(ot.Op).Insert(text).Retain(ot.Len(clause.Body) + i*ot.Len("Først. "))})
		must(t, err)
	}
	title := "Billeder og film"
	_, err = svc.SetClause(ctx, fac, a.ID, clause.ID, agreements.ClauseEdit{Title: &title})
	must(t, err)
	added, err := svc.AddClause(ctx, fac, a.ID, agreements.NewClause{Title: "Ny", Body: "Tekst"})
	must(t, err)
	_, err = svc.MoveClause(ctx, fac, a.ID, added.ID, nil)
	must(t, err)
	must(t, svc.RemoveClause(ctx, fac, a.ID, added.ID))
	_, err = svc.OpenVote(ctx, fac, a.ID, agreements.VoteRules{Quorum: 0, Threshold: 50})
	must(t, err)
	_, err = svc.CastVote(ctx, parent, a.ID, agreements.Vote{ClauseID: clause.ID, Answer: agreements.AnswerYes})
	must(t, err)
	must(t, svc.Logout(ctx, parent))

	// A transaction that announces and then fails: nobody hears of it.
	failed := errors.New("rolled back")
	err = dbA.Update(ctx, func(tx agreements.Tx) error {
		must(t, busA.Announce(tx, []agreements.Event{{AgreementID: a.ID, Type: agreements.EventOrder, Order: []string{"never"}}}))
		return failed
	})
	if !errors.Is(err, failed) {
		t.Fatalf("update: %v", err)
	}
	busA.SendPresence(a.ID, []byte(`{"presence":[{"client":"tab1"}]}`))

	want := local.encoded(t)
	kinds := map[agreements.EventType]bool{}
	for _, e := range local.events {
		kinds[e.Type] = true
	}
	for _, k := range []agreements.EventType{agreements.EventOp, agreements.EventClause, agreements.EventOrder,
		agreements.EventClauseRemoved, agreements.EventAgreement, agreements.EventResults, agreements.EventAccessEnded} {
		if !kinds[k] {
			t.Errorf("the flow made no %s event", k)
		}
	}
	waitFor(t, "the presence news", func() bool { atB.mu.Lock(); defer atB.mu.Unlock(); return len(atB.presence) > 0 })
	waitFor(t, "the events", func() bool { return len(atB.encoded(t)) >= len(want) })
	got := atB.encoded(t)
	if len(got) != len(want) {
		t.Fatalf("the other instance heard %d events, this one published %d", len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("event %d:\n got %.300s\nwant %.300s", i, got[i], want[i])
		}
	}
	if p := atB.presence[0]; p != a.ID+` {"presence":[{"client":"tab1"}]}` {
		t.Errorf("presence news arrived as %q", p)
	}
	var stored int
	must(t, dbA.Pool().QueryRow(ctx, `SELECT count(*) FROM live_events`).Scan(&stored))
	if stored == 0 {
		t.Error("the long event did not go through the table")
	}
	if n := len(atA.encoded(t)) + len(atA.presence); n != 0 {
		t.Errorf("an instance heard %d of its own announcements", n)
	}
}
