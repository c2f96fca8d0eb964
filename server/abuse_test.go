package server_test

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"

	"klasseaftale/agreements"
	"klasseaftale/internal/apptest"
	"klasseaftale/locales"
	"klasseaftale/server"
	"klasseaftale/server/live"
)

// guess is one way to try a secret: it sends a wrong one from addr, or the right one.
type guess struct {
	name string
	try  func(t *testing.T, app *apptest.App, w *guessWorld, addr string, right bool) int
}

type guessWorld struct {
	class                       apptest.Class
	school                      apptest.School
	organiser, municipalityCode string
	council                     apptest.Council
	schoolClass                 apptest.Class // a class of the school, for joining its council
}

func xff(addr string) string { return "X-Forwarded-For: " + addr }

// guesses lists every secret a person types or a link carries: each is tried wrong or right.
var guesses = []guess{
	{"a join code", func(t *testing.T, app *apptest.App, w *guessWorld, addr string, right bool) int {
		code := pick(right, w.class.ParentCode, "XXXXXXXX")
		return app.Do("POST", "/api/v1/join", "", map[string]any{"code": code, "name": "G", "household": "H" + addr}, xff(addr)).Status
	}},
	{"the join page", func(t *testing.T, app *apptest.App, w *guessWorld, addr string, right bool) int {
		return app.Do("GET", "/join?code="+pick(right, w.class.ParentCode, "XXXXXXXX"), "", nil, xff(addr)).Status
	}},
	{"an organiser code", func(t *testing.T, app *apptest.App, w *guessWorld, addr string, right bool) int {
		return app.Do("POST", "/api/v1/classes", "", map[string]any{"name": "5.A", "grade": 5, "organiser_code": pick(right, w.organiser, "XXXXXXXX")}, xff(addr)).Status
	}},
	{"attaching with an organiser code", func(t *testing.T, app *apptest.App, w *guessWorld, addr string, right bool) int {
		return app.Do("POST", "/api/v1/classes/"+w.class.ID+"/school", w.class.Facilitator, map[string]any{"organiser_code": pick(right, w.organiser, "XXXXXXXX")}, xff(addr)).Status
	}},
	{"a municipality code", func(t *testing.T, app *apptest.App, w *guessWorld, addr string, right bool) int {
		return app.Do("PUT", "/api/v1/schools/"+w.school.ID+"/municipality", w.school.Token, map[string]any{"code": pick(right, w.municipalityCode, "XXXXXXXX")}, xff(addr)).Status
	}},
	{"a pupil council's code", func(t *testing.T, app *apptest.App, w *guessWorld, addr string, right bool) int {
		code := pick(right, w.council.PupilCode, "XXXXXXXX")
		return app.Do("POST", "/api/v1/join", "", map[string]any{"code": code, "name": "G", "from_class_id": w.schoolClass.ID}, xff(addr)).Status
	}},
	{"looking a code up", func(t *testing.T, app *apptest.App, w *guessWorld, addr string, right bool) int {
		return app.Do("GET", "/api/v1/join?code="+pick(right, w.council.PupilCode, "XXXXXXXX"), "", nil, xff(addr)).Status
	}},
	{"a key link", func(t *testing.T, app *apptest.App, w *guessWorld, addr string, right bool) int {
		return app.Do("GET", "/k/"+pick(right, w.class.Facilitator, "wrongwrongwrongwrongwrongwrongwr"), "", nil, xff(addr)).Status
	}},
	{"signing in with a key link", func(t *testing.T, app *apptest.App, w *guessWorld, addr string, right bool) int {
		return fetch(t, app, "POST", "/k/"+pick(right, w.class.Facilitator, "wrongwrongwrongwrongwrongwrongwr"), "", xff(addr), "Origin: "+app.URL).StatusCode
	}},
}

func pick(right bool, yes, no string) string {
	if right {
		return yes
	}
	return no
}

func newGuessWorld(t *testing.T, limits server.Limits) (*apptest.App, *guessWorld) {
	t.Helper()
	app := apptest.New(t, apptest.Options{Limits: &limits, TrustedProxy: []string{"127.0.0.1/32", "::1/128"}})
	w := &guessWorld{school: app.NewSchool("Bakkeskolen")}
	w.organiser = w.school.OrganiserCode
	w.class = app.NewClass("4.B", 4)
	w.schoolClass = app.NewClassIn("5.A", 5, w.organiser)
	w.council = app.NewCouncil(w.school, "Elevrådet")
	var m struct {
		JoinCode string `json:"join_code"`
	}
	app.Must(http.StatusCreated, "POST", "/api/v1/municipalities", "", map[string]any{"name": "Aarhus Kommune"}, &m)
	w.municipalityCode = m.JoinCode
	return app, w
}

// Every guessable secret sits behind one budget of wrong guesses per address: used up on any
// of them, it closes all of them — right secrets included, so a guesser learns nothing more —
// and says when to come back. Another address is not held back.
func TestEverySecretSharesOneGuessBudget(t *testing.T) {
	limits := server.DefaultLimits()
	app, w := newGuessWorld(t, limits)
	wrong := 0
	for i := 0; wrong < limits.GuessBurst; i++ {
		g := guesses[i%len(guesses)]
		if status := g.try(t, app, w, "203.0.113.7", false); status == http.StatusTooManyRequests {
			t.Fatalf("%s refused after %d wrong guesses, before the budget of %d", g.name, wrong, limits.GuessBurst)
		}
		wrong++
	}
	for _, g := range guesses {
		for _, right := range []bool{false, true} {
			if status := g.try(t, app, w, "203.0.113.7", right); status != http.StatusTooManyRequests {
				t.Errorf("%s (right: %v) after the budget: %d, want 429", g.name, right, status)
			}
		}
		if status := g.try(t, app, w, "198.51.100.1", true); status >= 400 {
			t.Errorf("%s, right, from another address: %d", g.name, status)
		}
	}
	r := app.Do("POST", "/api/v1/join", "", map[string]any{"code": "XXXXXXXX", "name": "G"}, xff("203.0.113.7"))
	wantError(t, r, http.StatusTooManyRequests, "request.too_many")
	if r.Header.Get("Retry-After") != fmt.Sprint(int(limits.GuessEvery.Seconds())) {
		t.Errorf("Retry-After %q", r.Header.Get("Retry-After"))
	}
	// An IPv6 address counts by its /64: another host of the same network shares the budget.
	for range limits.GuessBurst {
		guesses[0].try(t, app, w, "2001:db8:1:2::1", false)
	}
	if status := guesses[0].try(t, app, w, "2001:db8:1:2:ffff::9", true); status != http.StatusTooManyRequests {
		t.Errorf("another host of the same /64: %d, want 429", status)
	}
}

// A guesser with many addresses meets the server-wide budget: wrong guesses from all addresses
// together stop at it, and then everyone waits.
func TestServerWideGuessBudget(t *testing.T) {
	limits := server.DefaultLimits()
	limits.GuessBurst, limits.ServerGuessBurst, limits.ServerGuessRate = 5, 30, 0.001
	app, w := newGuessWorld(t, limits)
	answered := 0
	for i := range 16 * limits.GuessBurst {
		addr := fmt.Sprintf("192.0.2.%d", 1+i%16)
		if status := guesses[i%len(guesses)].try(t, app, w, addr, false); status != http.StatusTooManyRequests {
			answered++
		}
	}
	if answered != limits.ServerGuessBurst {
		t.Errorf("%d wrong guesses were looked up from 16 addresses; the server-wide budget is %d", answered, limits.ServerGuessBurst)
	}
	if status := guesses[0].try(t, app, w, "198.51.100.99", true); status != http.StatusTooManyRequests {
		t.Errorf("a fresh address once the server's budget is spent: %d, want 429", status)
	}
}

// The documented figures are the code's.
func TestDocsStateTheLimits(t *testing.T) {
	doc, err := os.ReadFile("../docs/api.md")
	if err != nil {
		t.Fatal(err)
	}
	l := server.DefaultLimits()
	for _, want := range []string{
		fmt.Sprintf("%d wrong guesses at once, then one every %d seconds", l.GuessBurst, int(l.GuessEvery.Seconds())),
		fmt.Sprintf("%d wrong guesses at once, then %g a second", l.ServerGuessBurst, l.ServerGuessRate),
		fmt.Sprintf("%d classes, %d schools and %d municipalities", l.ClassesPerHour, l.SchoolsPerHour, l.MunicipalitiesPerHour),
		fmt.Sprintf("%d agreements", agreements.MaxAgreements),
		fmt.Sprintf("At most %d facilitator links", l.KeysPerHour),
	} {
		if !bytes.Contains(doc, []byte(want)) {
			t.Errorf("docs/api.md does not say %q", want)
		}
	}
}

// Every error code the product can answer with is in docs/api.md or docs/protocol.md.
func TestEveryErrorCodeIsDocumented(t *testing.T) {
	var docs []byte
	for _, f := range []string{"../docs/api.md", "../docs/api-schools.md", "../docs/protocol.md"} {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		docs = append(docs, b...)
	}
	for _, e := range append(append(agreements.AllErrors(), server.HTTPErrors()...), live.Errors()...) {
		if !bytes.Contains(docs, []byte("`"+e.Code+"`")) {
			t.Errorf("the error code %s is in no document", e.Code)
		}
	}
}

// The errors only HTTP makes have a message in every language, as the domain's have (the test
// of those is in locales), and a code no domain error uses.
func TestHTTPErrorsHaveAMessage(t *testing.T) {
	msgs, err := locales.Load()
	if err != nil {
		t.Fatal(err)
	}
	domain := map[string]bool{}
	for _, e := range agreements.AllErrors() {
		domain[e.Code] = true
	}
	if len(server.HTTPErrors()) == 0 {
		t.Fatal("no HTTP errors listed")
	}
	for _, e := range append(server.HTTPErrors(), live.Errors()...) {
		if domain[e.Code] {
			t.Errorf("the HTTP error %s is also a domain error", e.Code)
		}
		for _, lang := range msgs.Langs() {
			if _, ok := msgs.Message(lang, e.Code); !ok {
				t.Errorf("%s has no message for the error code %s", lang, e.Code)
			}
		}
	}
}

// Creating is capped: classes, schools and municipalities per address and hour, agreements per
// class; each refusal says what was refused and changes nothing.
func TestCreationCaps(t *testing.T) {
	limits := server.DefaultLimits()
	limits.ClassesPerHour, limits.SchoolsPerHour, limits.MunicipalitiesPerHour = 3, 2, 1
	app := apptest.New(t, apptest.Options{Limits: &limits})
	for _, tc := range []struct {
		path  string
		body  map[string]any
		n     int
		code  string
		table string
	}{
		{"/api/v1/classes", map[string]any{"name": "4.B", "grade": 4}, 3, "class.create_limit", "classes"},
		{"/api/v1/schools", map[string]any{"name": "Bakkeskolen"}, 2, "school.create_limit", "schools"},
		{"/api/v1/municipalities", map[string]any{"name": "Aarhus"}, 1, "municipality.create_limit", "municipalities"},
	} {
		for i := range tc.n {
			if r := app.Do("POST", tc.path, "", tc.body); r.Status != http.StatusCreated {
				t.Fatalf("%s %d: %d %s", tc.path, i+1, r.Status, r.Body)
			}
		}
		before := app.Count(tc.table)
		wantError(t, app.Do("POST", tc.path, "", tc.body), http.StatusTooManyRequests, tc.code)
		if app.Count(tc.table) != before {
			t.Errorf("a refused %s changed the table", tc.path)
		}
	}
	var class struct {
		Class agreements.Class `json:"class"`
		Token string           `json:"token"`
	}
	other := apptest.New(t)
	other.Must(http.StatusCreated, "POST", "/api/v1/classes", "", map[string]any{"name": "6.C", "grade": 6}, &class)
	c := apptest.Class{ID: class.Class.ID, Facilitator: class.Token}
	for range agreements.MaxAgreements {
		other.NewAgreement(c, "parents", "photos")
	}
	before := other.Snapshot()
	wantError(t, other.Do("POST", "/api/v1/classes/"+c.ID+"/agreements", c.Facilitator,
		map[string]any{"kind": "parents", "templates": []string{"photos"}, "lang": "da"}), http.StatusConflict, "agreement.too_many")
	if other.Snapshot() != before {
		t.Error("a refused agreement changed the database")
	}
}

// Smaller points of the review: no caching of API answers, broken UTF-8 refused, invisible
// direction marks gone from names and titles, an empty chunked body taken as {}.
func TestSmallerAbusePoints(t *testing.T) {
	w := newWorld(t)
	app := w.app
	t.Run("no API answer is cached", func(t *testing.T) {
		for _, r := range []*apptest.Response{app.Do("GET", "/api/v1/me", w.parent, nil), app.Do("GET", "/api/v1/me", "", nil),
			app.Do("GET", "/api/v1/nothing", "", nil)} {
			if cc := r.Header.Get("Cache-Control"); cc != "no-store" {
				t.Errorf("%d answer with Cache-Control %q", r.Status, cc)
			}
		}
	})
	t.Run("broken UTF-8", func(t *testing.T) {
		before := app.Snapshot()
		body := []byte("{\"code\":\"" + w.a.ParentCode + "\",\"name\":\"Mor\xff\xfe\",\"household\":\"Ida\"}")
		wantError(t, app.Do("POST", "/api/v1/join", "", body), http.StatusBadRequest, "request.malformed")
		if app.Snapshot() != before {
			t.Error("a body with broken UTF-8 changed the database")
		}
	})
	t.Run("direction overrides and control characters in names", func(t *testing.T) {
		m, _ := app.Join(w.a.ParentCode, "Ev\u202eil\u2066 \u0007Mor", "\u202dOmar\u2069")
		if m.Name != "Evil Mor" {
			t.Errorf("name %q", m.Name)
		}
		var view agreements.ClassView
		app.Must(http.StatusOK, "GET", "/api/v1/classes/"+w.a.ID, w.a.Facilitator, nil, &view)
		for _, h := range view.Households {
			if strings.ContainsAny(h.ChildName, "\u202d\u2069") {
				t.Errorf("child name %q", h.ChildName)
			}
		}
	})
	t.Run("an empty chunked body to sign", func(t *testing.T) {
		app.Adopt(w.b, w.parentsB.ID, w.parentB)
		app.Must(http.StatusOK, "POST", "/api/v1/agreements/"+w.parentsB.ID+"/publish", w.b.Facilitator, nil, nil)
		req, _ := http.NewRequest("POST", app.URL+"/api/v1/agreements/"+w.parentsB.ID+"/signatures", io.NopCloser(strings.NewReader("")))
		req.Header.Set("Authorization", "Bearer "+w.parentB)
		req.TransferEncoding = []string{"chunked"}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			t.Errorf("an empty chunked body: %d", res.StatusCode)
		}
	})
	t.Run("a live upgrade from the right host with another scheme", func(t *testing.T) {
		r := app.Do("GET", "/api/v1/agreements/"+w.parents.ID+"/live", w.parent, nil,
			"Origin: https://"+strings.TrimPrefix(app.URL, "http://"), "Connection: Upgrade", "Upgrade: websocket",
			"Sec-WebSocket-Version: 13", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==")
		wantError(t, r, http.StatusForbidden, "auth.cross_origin")
	})
}
