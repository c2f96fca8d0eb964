package metrics_test

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"klasseaftale/agreements/ot"
	"klasseaftale/internal/apptest"
	"klasseaftale/internal/liveclient"
	"klasseaftale/internal/metrics"
	"klasseaftale/server"
	"klasseaftale/server/live"
)

// scraper reads the /metrics of a real metrics handler over HTTP.
type scraper struct {
	t   *testing.T
	url string
}

func serveMetrics(t *testing.T) (*metrics.Metrics, *scraper) {
	m := metrics.New()
	hs := httptest.NewServer(m.Handler())
	t.Cleanup(hs.Close)
	return m, &scraper{t: t, url: hs.URL + "/metrics"}
}

// text is the exposition as served.
func (s *scraper) text() string {
	s.t.Helper()
	res, err := http.Get(s.url)
	if err != nil {
		s.t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil || res.StatusCode != http.StatusOK {
		s.t.Fatalf("GET /metrics: %d %v", res.StatusCode, err)
	}
	return string(b)
}

// series maps each series (name and labels, as written) to its value.
func (s *scraper) series() map[string]float64 {
	s.t.Helper()
	out := map[string]float64{}
	sc := bufio.NewScanner(strings.NewReader(s.text()))
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		v, err := strconv.ParseFloat(line[i+1:], 64)
		if err != nil {
			s.t.Fatalf("bad line %q", line)
		}
		out[line[:i]] = v
	}
	return out
}

// waitFor polls until the series has the value, failing after a deadline.
func (s *scraper) waitFor(name string, want float64) {
	s.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		got := s.series()[name]
		if got == want {
			return
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("%s = %g, want %g", name, got, want)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// changed checks that each series moved by at least (or, when exact, by exactly) its delta
// between two scrapes.
func changed(t *testing.T, before, after map[string]float64, exact bool, deltas map[string]float64) {
	t.Helper()
	for name, d := range deltas {
		got := after[name] - before[name]
		if _, ok := after[name]; !ok {
			t.Errorf("%s is not served", name)
		} else if exact && got != d || !exact && got < d {
			t.Errorf("%s moved by %g, want %g", name, got, d)
		}
	}
}

func quickRooms() *live.Config {
	lc := live.DefaultConfig()
	lc.PresenceTTL, lc.RoomIdle = 600*time.Millisecond, time.Millisecond
	return &lc
}

func connect(t *testing.T, app *apptest.App, agreement, token, id string) *liveclient.Client {
	t.Helper()
	c := &liveclient.Client{URL: app.URL, Agree: agreement, Token: token, ID: id}
	if err := c.Connect(context.Background()); err != nil {
		t.Fatalf("%s: %v", id, err)
	}
	return c
}

// Live connections and rooms rise and fall with the tabs; a keystroke counts one operation
// committed, one commit and at least one broadcast.
func TestLiveSeries(t *testing.T) {
	m, s := serveMetrics(t)
	app := apptest.New(t, apptest.Options{Metrics: m, Live: quickRooms()})
	class := app.NewClass("4.B", 4)
	draft := app.NewAgreement(class, "parents", "photos")
	_, parent := app.Join(class.ParentCode, "Piotr", "Ola")
	s.waitFor("klasseaftale_live_connections", 0)
	s.waitFor("klasseaftale_live_rooms", 0)

	a := connect(t, app, draft.ID, class.Facilitator, "a")
	defer a.Close()
	b := connect(t, app, draft.ID, parent, "b")
	defer b.Close()
	s.waitFor("klasseaftale_live_connections", 2)
	s.waitFor("klasseaftale_live_rooms", 1)

	before := s.series()
	clause := draft.Clauses[0].ID
	if _, err := a.EditFunc(clause, func(text string) ot.Op {
		var op ot.Op
		return *op.Insert("Hej. ").Retain(ot.Len(text))
	}); err != nil {
		t.Fatal(err)
	}
	if !a.Wait(10*time.Second, func() bool { return !a.Pending() }) ||
		!b.Wait(10*time.Second, func() bool { return strings.HasPrefix(b.Text(clause), "Hej. ") }) {
		t.Fatal("the keystroke was not committed and broadcast")
	}
	after := s.series()
	changed(t, before, after, true, map[string]float64{
		"klasseaftale_live_operations_committed_total": 1,
		"klasseaftale_live_commit_seconds_count":       1,
	})
	changed(t, before, after, false, map[string]float64{"klasseaftale_live_broadcast_seconds_count": 1})
	if after["klasseaftale_live_commit_seconds_sum"] <= before["klasseaftale_live_commit_seconds_sum"] {
		t.Error("the commit took no time")
	}

	a.Close()
	b.Close()
	s.waitFor("klasseaftale_live_connections", 0)
	s.waitFor("klasseaftale_live_rooms", 0)
}

// Requests are counted by Echo's route pattern: no ID, code, token or slug of the addresses
// asked for becomes a label, and a path no route matches is "unmatched".
func TestRequestsByRoutePattern(t *testing.T) {
	m, s := serveMetrics(t)
	app := apptest.New(t, apptest.Options{Metrics: m})
	class := app.NewClass("4.B", 4)
	draft := app.NewAgreement(class, "parents", "photos")
	before := s.series()

	app.Must(http.StatusOK, "GET", "/api/v1/classes/"+class.ID, class.Facilitator, nil, nil)
	app.Must(http.StatusOK, "GET", "/api/v1/classes/"+class.ID, class.Facilitator, nil, nil)
	app.Must(http.StatusOK, "GET", "/api/v1/agreements/"+draft.ID, class.Facilitator, nil, nil)
	if r := app.Do("GET", "/api/v1/agreements/"+draft.ID, "", nil); r.Status != http.StatusUnauthorized {
		t.Fatalf("without a token: %d", r.Status)
	}
	if r := app.Do("GET", "/api/v1/join?code="+class.ParentCode, "", nil); r.Status != http.StatusOK {
		t.Fatalf("code info: %d %s", r.Status, r.Body)
	}
	if r := app.Do("GET", "/no/such/"+class.ID, "", nil); r.Status != http.StatusNotFound {
		t.Fatalf("unknown path: %d", r.Status)
	}
	after := s.series()
	changed(t, before, after, true, map[string]float64{
		`klasseaftale_http_requests_total{method="GET",route="/api/v1/classes/:id",status="200"}`:    2,
		`klasseaftale_http_requests_total{method="GET",route="/api/v1/agreements/:id",status="200"}`: 1,
		`klasseaftale_http_requests_total{method="GET",route="/api/v1/agreements/:id",status="401"}`: 1,
		`klasseaftale_http_requests_total{method="GET",route="/api/v1/join",status="200"}`:           1,
		`klasseaftale_http_requests_total{method="GET",route="unmatched",status="404"}`:              1,
		`klasseaftale_http_request_seconds_count{route="/api/v1/classes/:id"}`:                       2,
	})
	text := s.text()
	for what, secret := range map[string]string{"class ID": class.ID, "agreement ID": draft.ID,
		"parent code": class.ParentCode, "token": class.Facilitator} {
		if strings.Contains(text, secret) {
			t.Errorf("the %s %q is in /metrics", what, secret)
		}
	}
}

// Each limit's refusals are counted under its own name: creating classes past the budget of
// an address, wrong guesses past theirs, a member's tabs past their cap.
func TestRefusalsByLimit(t *testing.T) {
	m, s := serveMetrics(t)
	limits := server.DefaultLimits()
	limits.ClassesPerHour, limits.GuessBurst, limits.GuessEvery = 1, 2, time.Hour
	lc := live.DefaultConfig()
	lc.MaxPerMember = 1
	app := apptest.New(t, apptest.Options{Metrics: m, Limits: &limits, Live: &lc})
	class := app.NewClass("4.B", 4)
	draft := app.NewAgreement(class, "parents", "photos")
	before := s.series()

	if r := app.Do("POST", "/api/v1/classes", "", `{"name":"4.C","grade":4,"facilitator_name":"L"}`); r.Status != http.StatusTooManyRequests {
		t.Fatalf("a second class: %d %s", r.Status, r.Body)
	}
	for i, want := range []int{http.StatusNotFound, http.StatusNotFound, http.StatusTooManyRequests} {
		if r := app.Do("POST", "/api/v1/join", "", `{"code":"XXXXXXXX","name":"G"}`); r.Status != want {
			t.Fatalf("guess %d: %d, want %d", i+1, r.Status, want)
		}
	}
	a := connect(t, app, draft.ID, class.Facilitator, "a")
	defer a.Close()
	b := &liveclient.Client{URL: app.URL, Agree: draft.ID, Token: class.Facilitator, ID: "b"}
	if err := b.Connect(context.Background()); err == nil {
		b.Close()
		t.Fatal("a second tab past the cap of one connected")
	}
	after := s.series()
	changed(t, before, after, true, map[string]float64{
		`klasseaftale_refusals_total{limit="class.create_limit"}`: 1,
		`klasseaftale_refusals_total{limit="wrong_secret"}`:       2,
		`klasseaftale_refusals_total{limit="guesses"}`:            1,
		`klasseaftale_refusals_total{limit="live.too_many_tabs"}`: 1,
	})
}

// An error of the store that is not a domain error — here the database gone from under the
// running server — counts as a fault, whether a request or a live room meets it.
func TestStoreFaults(t *testing.T) {
	m, s := serveMetrics(t)
	app := apptest.New(t, apptest.Options{Metrics: m})
	class := app.NewClass("4.B", 4)
	draft := app.NewAgreement(class, "parents", "photos")
	a := connect(t, app, draft.ID, class.Facilitator, "a")
	defer a.Close()
	before := s.series()
	if before["klasseaftale_faults_total"] != 0 {
		t.Fatalf("faults before any: %g", before["klasseaftale_faults_total"])
	}

	app.Store.Close()
	if r := app.Do("GET", "/api/v1/classes/"+class.ID, class.Facilitator, nil); r.Status != http.StatusInternalServerError {
		t.Fatalf("with the database closed: %d %s", r.Status, r.Body)
	}
	s.waitFor("klasseaftale_faults_total", 1)
	if _, err := a.EditFunc(draft.Clauses[0].ID, func(text string) ot.Op {
		var op ot.Op
		return *op.Insert("x").Retain(ot.Len(text))
	}); err != nil {
		t.Fatal(err)
	}
	s.waitFor("klasseaftale_faults_total", 2)
	after := s.series()
	changed(t, before, after, true, map[string]float64{
		`klasseaftale_http_requests_total{method="GET",route="/api/v1/classes/:id",status="500"}`: 1,
	})
}

// docs/deploy.md's table and alert rules name only metrics a real server serves.
func TestDeployDocMetricNames(t *testing.T) {
	doc, err := os.ReadFile("../../docs/deploy.md")
	if err != nil {
		t.Fatal(err)
	}
	m, s := serveMetrics(t)
	app := apptest.New(t, apptest.Options{Metrics: m})
	app.Do("POST", "/api/v1/join", "", `{"code":"XXXXXXXX","name":"G"}`) // a request and a refusal: the labelled series appear
	served := map[string]bool{}
	for _, line := range strings.Split(s.text(), "\n") {
		if f := strings.Fields(line); len(f) == 4 && f[1] == "TYPE" {
			served[f[2]] = true
		}
	}
	named := regexp.MustCompile(`\b(?:klasseaftale|process|go)_[a-z_]+`).FindAllString(string(doc), -1)
	if len(named) < 20 {
		t.Fatalf("only %d metrics named", len(named))
	}
	for _, n := range named {
		base := n
		for _, suffix := range []string{"_bucket", "_count", "_sum"} {
			base = strings.TrimSuffix(base, suffix)
		}
		if !served[base] && !(strings.HasSuffix(n, "_") && hasPrefix(served, n)) {
			t.Errorf("%s is not served", n)
		}
	}
}

func hasPrefix(names map[string]bool, prefix string) bool {
	for n := range names {
		if strings.HasPrefix(n, prefix) {
			return true
		}
	}
	return false
}
