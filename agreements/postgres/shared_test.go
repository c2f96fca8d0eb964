package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"klasseaftale/agreements"
	"klasseaftale/agreements/ot"
	"klasseaftale/agreements/postgres"
	"klasseaftale/agreements/templates"
	"klasseaftale/internal/pgtest"
)

// Two server processes on one database: each its own store (pool) and service.

type twoProcesses struct {
	a, b    *agreements.Service
	dbA     *postgres.DB
	fac     agreements.Actor
	parents []agreements.Actor
	draft   string
	clause  string
	body0   string // the clause's text at revision 0
}

func newTwoProcesses(t *testing.T, parents int) *twoProcesses {
	t.Helper()
	ctx := context.Background()
	dsn := pgtest.DSN(t)
	dbA, dbB := open(t, dsn), open(t, dsn)
	p := &twoProcesses{dbA: dbA,
		a: agreements.NewService(dbA, templates.MustLoad(), nil),
		b: agreements.NewService(dbB, templates.MustLoad(), nil)}
	class, fac, _, err := p.a.CreateClass(ctx, agreements.NewClass{Name: "4.B", Grade: 4, FacilitatorName: "Lærer"})
	must(t, err)
	p.fac = agreements.Actor{Member: fac}
	for i := range parents {
		j, err := p.b.Join(ctx, agreements.JoinRequest{Code: class.ParentCode, Name: fmt.Sprint("Forælder ", i), Household: fmt.Sprint("Barn ", i)})
		must(t, err)
		p.parents = append(p.parents, agreements.Actor{Member: j.Member})
	}
	a, err := p.a.CreateAgreement(ctx, p.fac, class.ID, agreements.NewAgreement{Kind: agreements.KindParents, Templates: []string{"photos"}, Lang: "da", Title: "Aftale"})
	must(t, err)
	p.draft, p.clause, p.body0 = a.ID, a.Clauses[0].ID, a.Clauses[0].Body
	if a.Clauses[0].Rev != 0 {
		t.Fatalf("a new clause at revision %d", a.Clauses[0].Rev)
	}
	return p
}

// op is a keystroke of a parent's tab, made on revision 0: the marker typed at the start.
func (p *twoProcesses) op(parent, seq int, marker string) agreements.OpSubmit {
	return agreements.OpSubmit{Actor: p.parents[parent], Req: agreements.OpRequest{Clause: p.clause, Rev: 0,
		Client: fmt.Sprint("tab", parent), Seq: seq, Op: ot.Diff(p.body0, marker+p.body0)}}
}

func marker(parent, seq int) string { return fmt.Sprintf("⟦%d.%d⟧", parent, seq) }

// Parents' tabs on both processes type into one clause at once. The clause's revisions are
// gapless, each acknowledged operation is in the log once with the revision it was acknowledged
// with, and the text holds every one of them once.
func TestTwoProcessesEditOneClause(t *testing.T) {
	const parents, perTab = 4, 15
	p := newTwoProcesses(t, parents)
	ctx := context.Background()
	type ack struct{ parent, seq, rev int }
	acks := make(chan ack, parents*perTab)
	errs := make(chan error, parents)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range parents {
		svc := p.a
		if i%2 == 1 {
			svc = p.b
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			for seq := 1; seq <= perTab; seq++ {
				res, err := svc.ApplyOps(ctx, p.draft, []agreements.OpSubmit{p.op(i, seq, marker(i, seq))})
				if err == nil {
					err = res[0].Err
				}
				if err != nil {
					errs <- fmt.Errorf("parent %d, seq %d: %w", i, seq, err)
					return
				}
				acks <- ack{i, seq, res[0].Rec.Rev}
			}
		}()
	}
	close(start)
	wg.Wait()
	close(acks)
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	var log []agreements.LoggedOp
	var clause *agreements.Clause
	must(t, p.dbA.View(ctx, func(tx agreements.Tx) (err error) {
		if log, err = tx.OpLog(p.clause); err != nil {
			return err
		}
		clause, err = tx.Clause(p.clause)
		return err
	}))
	if len(log) != parents*perTab || clause.Rev != len(log) {
		t.Fatalf("%d ops logged, clause at revision %d; want %d", len(log), clause.Rev, parents*perTab)
	}
	byID := map[string]int{}
	for i, r := range log {
		if r.Rev != i+1 {
			t.Fatalf("log entry %d has revision %d: the revisions have a gap", i, r.Rev)
		}
		byID[fmt.Sprint(r.MemberID, "/", r.Client, "/", r.Seq)] = r.Rev
	}
	n := 0
	for a := range acks {
		n++
		id := fmt.Sprint(p.parents[a.parent].Member.ID, "/tab", a.parent, "/", a.seq)
		if rev, ok := byID[id]; !ok || rev != a.rev {
			t.Errorf("op %s acknowledged as revision %d, logged as %d (%v)", id, a.rev, rev, ok)
		}
		if c := strings.Count(clause.Body, marker(a.parent, a.seq)); c != 1 {
			t.Errorf("the text holds %s %d times", marker(a.parent, a.seq), c)
		}
	}
	if n != parents*perTab || len(byID) != n {
		t.Errorf("%d acknowledged, %d distinct in the log", n, len(byID))
	}

	// A tab that sent only through the first process resends its last op through the second:
	// acknowledged again as its revision, not applied twice.
	res, err := p.b.ApplyOps(ctx, p.draft, []agreements.OpSubmit{p.op(0, perTab, marker(0, perTab))})
	must(t, err)
	if !res[0].Dup || res[0].Err != nil || res[0].Rec.Rev != byID[fmt.Sprint(p.parents[0].Member.ID, "/tab0/", perTab)] {
		t.Errorf("the resend through the other process: %+v", res[0])
	}
	must(t, p.dbA.View(ctx, func(tx agreements.Tx) (err error) {
		c, err := tx.Clause(p.clause)
		if err == nil && c.Rev != len(log) {
			t.Errorf("the resend moved the clause to revision %d", c.Rev)
		}
		return err
	}))
}

// A tab that sent through both processes resends an op the second one did not apply: it is a
// resend there too, and never logged twice.
func TestResendThroughTheOtherProcessIsKnown(t *testing.T) {
	p := newTwoProcesses(t, 1)
	ctx := context.Background()
	apply := func(svc *agreements.Service, seq int) agreements.OpResult {
		t.Helper()
		res, err := svc.ApplyOps(ctx, p.draft, []agreements.OpSubmit{p.op(0, seq, marker(0, seq))})
		if err != nil {
			return agreements.OpResult{Err: err}
		}
		return res[0]
	}
	if r := apply(p.b, 1); r.Err != nil || r.Dup {
		t.Fatalf("seq 1 through the second process: %+v", r)
	}
	for seq := 2; seq <= 3; seq++ {
		if r := apply(p.a, seq); r.Err != nil || r.Dup {
			t.Fatalf("seq %d through the first process: %+v", seq, r)
		}
	}
	resent := apply(p.b, 3)
	var log []agreements.LoggedOp
	must(t, p.dbA.View(ctx, func(tx agreements.Tx) (err error) { log, err = tx.OpLog(p.clause); return err }))
	if len(log) != 3 {
		t.Fatalf("%d ops in the log after three and a resend, want 3", len(log))
	}
	if !resent.Dup {
		// The service remembers the highest seq of each tab it has seen; another process's
		// operations are not in that memory, so on a shared store it must ask the log.
		t.Fatalf("a resend through the process that saw only its first seq was not known: %+v", resent)
	}
	if resent.Err != nil || resent.Rec.Rev != 3 {
		t.Errorf("the resend: %+v", resent)
	}
}

// gate stops the first two transactions that insert a household, until both have arrived
// there: two processes that both found no household and both insert one.
type gate struct {
	mu      sync.Mutex
	n       int
	arrived chan struct{}
	both    chan struct{}
}

// gatedStore is a process's store with the gate before InsertHousehold.
type gatedStore struct {
	agreements.Store
	g *gate
}

type gatedTx struct {
	agreements.Tx
	g *gate
}

func (s gatedStore) Update(ctx context.Context, fn func(agreements.Tx) error) error {
	return s.Store.Update(ctx, func(tx agreements.Tx) error { return fn(gatedTx{tx, s.g}) })
}

func (t gatedTx) InsertHousehold(h *agreements.Household, childKey string) error {
	t.g.mu.Lock()
	t.g.n++
	held := t.g.n <= 2
	t.g.mu.Unlock()
	if held {
		t.g.arrived <- struct{}{}
		select {
		case <-t.g.both:
		case <-time.After(10 * time.Second):
			return errors.New("the other process never reached InsertHousehold")
		}
	}
	return t.Tx.InsertHousehold(h, childKey)
}

// Two processes add a parent of the same child at the same moment: both find no household and
// both insert one. The one that loses on the unique key runs again, finds the household, and
// its parent is asked whether it is the same child, as in one process.
func TestSameHouseholdFromTwoProcessesAtOnce(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.DSN(t)
	dbA, dbB := open(t, dsn), open(t, dsn)
	g := &gate{arrived: make(chan struct{}, 2), both: make(chan struct{})}
	svcA := agreements.NewService(gatedStore{dbA, g}, templates.MustLoad(), nil)
	svcB := agreements.NewService(gatedStore{dbB, g}, templates.MustLoad(), nil)
	// The class is made without the gate: its facilitator has no household.
	class, _, _, err := agreements.NewService(dbA, templates.MustLoad(), nil).CreateClass(ctx,
		agreements.NewClass{Name: "4.B", Grade: 4, FacilitatorName: "Lærer"})
	must(t, err)
	go func() {
		for range 2 {
			<-g.arrived
		}
		close(g.both)
	}()
	results := make(chan error, 2)
	for _, svc := range []*agreements.Service{svcA, svcB} {
		go func() {
			_, err := svc.Join(ctx, agreements.JoinRequest{Code: class.ParentCode, Name: "Forælder", Household: "Ida"})
			results <- err
		}()
	}
	var joined, asked int
	for range 2 {
		switch err := <-results; {
		case err == nil:
			joined++
		case errors.Is(err, agreements.ErrHouseholdExists):
			asked++
		default:
			t.Errorf("join: %v", err)
		}
	}
	if joined != 1 || asked != 1 {
		t.Errorf("%d joined, %d asked whether it is the same child; want one each", joined, asked)
	}
	must(t, dbA.View(ctx, func(tx agreements.Tx) error {
		hs, err := tx.Households(class.ID)
		if err == nil && len(hs) != 1 {
			t.Errorf("%d households of one child", len(hs))
		}
		return err
	}))
}

// Processes that start at once on an empty database apply each migration once.
func TestMigrationsRunOnceWhenProcessesStartAtOnce(t *testing.T) {
	dsn := pgtest.EmptyDSN(t)
	const n = 4
	errs := make(chan error, n)
	for range n {
		go func() {
			db, err := postgres.Open(context.Background(), dsn)
			if err == nil {
				db.Close()
			}
			errs <- err
		}()
	}
	for range n {
		must(t, <-errs)
	}
	db := open(t, dsn)
	var names []string
	rows, err := db.Pool().Query(context.Background(), `SELECT name FROM schema_migrations ORDER BY name`)
	must(t, err)
	names, err = pgx.CollectRows(rows, pgx.RowTo[string])
	must(t, err)
	if strings.Join(names, " ") != "001_schema.sql 002_live_events.sql" {
		t.Errorf("migrations applied: %q", names)
	}
}

// The live side's announcements table is there, stamping each row with the time.
func TestLiveEventsTable(t *testing.T) {
	db := open(t, pgtest.DSN(t))
	ctx := context.Background()
	var id int64
	var at time.Time
	must(t, db.Pool().QueryRow(ctx, `INSERT INTO live_events (body) VALUES ('{}') RETURNING id, at`).Scan(&id, &at))
	if id <= 0 || time.Since(at) > time.Hour || time.Since(at) < -time.Hour {
		t.Errorf("live event %d at %v", id, at)
	}
}

// The keystroke path's statements are prepared on the connection that runs them and kept there.
func TestStatementsArePrepared(t *testing.T) {
	db := open(t, pgtest.DSN(t)+"&pool_max_conns=1")
	cfg := db.Pool().Config().ConnConfig
	if cfg.DefaultQueryExecMode != pgx.QueryExecModeCacheStatement || cfg.StatementCacheCapacity == 0 {
		t.Fatalf("query mode %v, statement cache %d", cfg.DefaultQueryExecMode, cfg.StatementCacheCapacity)
	}
	svc := agreements.NewService(db, templates.MustLoad(), nil)
	ctx := context.Background()
	class, fac, _, err := svc.CreateClass(ctx, agreements.NewClass{Name: "4.B", Grade: 4, FacilitatorName: "Lærer"})
	must(t, err)
	a, err := svc.CreateAgreement(ctx, agreements.Actor{Member: fac}, class.ID, agreements.NewAgreement{Kind: agreements.KindParents, Templates: []string{"photos"}, Lang: "da"})
	must(t, err)
	c := a.Clauses[0]
	_, err = svc.ApplyOp(ctx, agreements.Actor{Member: fac}, a.ID, agreements.OpRequest{Clause: c.ID, Rev: 0, Client: "tab", Seq: 1, Op: ot.Diff(c.Body, "x"+c.Body)})
	must(t, err)
	rows, err := db.Pool().Query(ctx, `SELECT statement FROM pg_prepared_statements`)
	must(t, err)
	prepared, err := pgx.CollectRows(rows, pgx.RowTo[string])
	must(t, err)
	all := strings.Join(prepared, "\n")
	for _, want := range []string{"INSERT INTO clause_ops", "UPDATE clauses SET title", "FROM clauses WHERE id = $1 FOR UPDATE", "FROM agreements WHERE id = $1 FOR UPDATE"} {
		if !strings.Contains(all, want) {
			t.Errorf("no prepared statement with %q among %d", want, len(prepared))
		}
	}
}
