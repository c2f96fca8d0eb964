package server_test

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"html/template"
	"maps"
	"net/http"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"klasseaftale/agreements"
	"klasseaftale/internal/apptest"
)

// The school overview's figures, as JSON, CSV and HTML: status, revision, dates, signatures,
// chosen values, the latest check-in, review dates, the totals; the small-number rule; and the
// municipality's roll-up of the schools that joined it.

// masked is how a figure about fewer than five households reads, in JSON, CSV and HTML.
const masked = "< 5"

// figure is a count as the JSON carries it: a number, or the string "< 5".
type figure string

func (f *figure) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*f = figure(s)
		return nil
	}
	var n int
	if err := json.Unmarshal(b, &n); err != nil {
		return fmt.Errorf("a figure is a number or a string, not %s", b)
	}
	*f = figure(strconv.Itoa(n))
	return nil
}

// adoptionJSON is GET /schools/{id}/adoption as a client reads it.
type adoptionJSON struct {
	SchoolID     string      `json:"school_id"`
	SchoolName   string      `json:"school_name"`
	Municipality string      `json:"municipality"`
	Totals       totalsJSON  `json:"totals"`
	Classes      []classJSON `json:"classes"`
	GeneratedAt  time.Time   `json:"generated_at"`
	raw          []byte      // the body as sent
	byName       map[string]classJSON
}

type totalsJSON struct {
	Classes     int            `json:"classes"`
	Adopted     int            `json:"classes_adopted"`
	Active      int            `json:"classes_active"`
	ActiveShare int            `json:"active_percent"`
	Families    figure         `json:"families_covered"`
	DebutAges   map[string]int `json:"first_smartphone_age"`
	Overdue     int            `json:"reviews_overdue"`
}

type classJSON struct {
	ClassID    string         `json:"class_id"`
	Name       string         `json:"name"`
	Grade      int            `json:"grade"`
	Households figure         `json:"households"`
	Parents    *agreementJSON `json:"parents"`
	Pupils     *agreementJSON `json:"pupils"`
}

type agreementJSON struct {
	ID            string            `json:"id"`
	Status        string            `json:"status"`
	Revision      int               `json:"revision"`
	PublishedAt   *time.Time        `json:"published_at"`
	ReviewAt      *time.Time        `json:"review_at"`
	ReviewOverdue bool              `json:"review_overdue"`
	Masked        bool              `json:"masked"`
	Signed        figure            `json:"signed"`
	Holding       figure            `json:"holding"`
	Active        *bool             `json:"active"` // null when masked
	Values        map[string]string `json:"values"`
	Checkin       *checkinJSON      `json:"checkin"`
}

// activity reads active as "true", "false" or "null" (masked).
func (a *agreementJSON) activity() string {
	if a.Active == nil {
		return "null"
	}
	return strconv.FormatBool(*a.Active)
}

type checkinJSON struct {
	Answers  figure   `json:"answers"`
	Shown    bool     `json:"shown"`
	Kept     int      `json:"kept"`
	Partly   int      `json:"partly"`
	NotKept  int      `json:"not_kept"`
	Comments []string `json:"comments"`
}

// overview reads the school's overview as the holder of tok.
func overview(t *testing.T, app *apptest.App, schoolID, tok string) adoptionJSON {
	t.Helper()
	var a adoptionJSON
	r := app.Must(http.StatusOK, "GET", schoolPath(schoolID, "adoption"), tok, nil, &a)
	a.raw = r.Body
	a.byName = map[string]classJSON{}
	for _, c := range a.Classes {
		a.byName[c.Name] = c
	}
	return a
}

// readCSV downloads a CSV export and parses it.
func readCSV(t *testing.T, app *apptest.App, path, tok string) [][]string {
	t.Helper()
	r := app.Must(http.StatusOK, "GET", path, tok, nil, nil)
	if ct := r.Header.Get("Content-Type"); ct != "text/csv; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
	if cd := r.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment;") || !strings.Contains(cd, ".csv") {
		t.Errorf("Content-Disposition %q", cd)
	}
	rows, err := csv.NewReader(strings.NewReader(string(r.Body))).ReadAll()
	if err != nil {
		t.Fatalf("%v: %s", err, r.Body)
	}
	return rows
}

// csvRow returns the row whose first cell is name, as a map by column.
func csvRow(t *testing.T, rows [][]string, name string) map[string]string {
	t.Helper()
	for _, row := range rows[1:] {
		if row[0] == name {
			out := map[string]string{}
			for i, col := range rows[0] {
				out[col] = row[i]
			}
			return out
		}
	}
	t.Fatalf("no row %q in %q", name, rows)
	return nil
}

// classRow returns the overview table's row of the class in the page.
func classRow(t *testing.T, page, classID string) string {
	t.Helper()
	start := strings.Index(page, `<tr data-class="`+classID+`">`)
	if start < 0 {
		t.Fatalf("the page has no row for class %s", classID)
	}
	end := strings.Index(page[start:], "</tr>")
	return cellLabel.ReplaceAllString(page[start:start+end], "")
}

// cellLabel is the column's name a cell carries for the phone's layout, left out of a row's text.
var cellLabel = regexp.MustCompile(` data-label="[^"]*"`)

// testID returns the text of the element with the data-testid in the page.
func testID(t *testing.T, page, id string) string {
	t.Helper()
	marker := `data-testid="` + id + `">`
	start := strings.Index(page, marker)
	if start < 0 {
		t.Fatalf("the page has no %s", id)
	}
	rest := page[start+len(marker):]
	return rest[:strings.Index(rest, "<")]
}

// schoolClass makes a class of the school with n households of one parent each.
func schoolClass(t *testing.T, app *apptest.App, s school, name string, grade, n int) voteClass {
	t.Helper()
	c := voteClass{Class: app.NewClassIn(name, grade, s.OrganiserCode)}
	for i := range n {
		m, tok := app.Join(c.ParentCode, fmt.Sprintf("Forælder %d i %s", i+1, name), fmt.Sprintf("Barn%d%s", i+1, name))
		c.parents = append(c.parents, tok)
		c.households = append(c.households, m)
	}
	return c
}

// setValues sets parameter values of a draft as its facilitator, by template clause key.
func setValues(t *testing.T, app *apptest.App, c apptest.Class, a agreements.Agreement, values map[string]string) {
	t.Helper()
	for key, v := range values {
		cl := clauseByKey(t, a, key)
		app.Must(http.StatusOK, "PUT", votePath(a.ID, "clauses/"+cl.ID), c.Facilitator, map[string]any{"value": v, "base_rev": cl.Rev}, nil)
	}
}

// publishWith starts a parents' agreement of the templates with the values, has the first
// household adopt it, publishes it, and has the first `signers` households sign at once.
func publishWith(t *testing.T, app *apptest.App, c voteClass, values map[string]string, signers int, keys ...string) agreements.Agreement {
	t.Helper()
	a := app.NewAgreement(c.Class, "parents", keys...)
	setValues(t, app, c.Class, a, values)
	app.Adopt(c.Class, a.ID, c.parents[0])
	publish(t, app, c.Class, a.ID)
	for _, tok := range c.parents[:signers] {
		app.Must(http.StatusOK, "POST", votePath(a.ID, "signatures"), tok, map[string]any{"min_percent": 0}, nil)
	}
	return getAgreement(t, app, a.ID, c.Facilitator)
}

// checkIn opens a check-in and has the first households give the answers, in order.
func checkIn(t *testing.T, app *apptest.App, c voteClass, id string, answers ...string) {
	t.Helper()
	app.Must(http.StatusCreated, "POST", votePath(id, "checkins/open"), c.Facilitator, nil, nil)
	for i, ans := range answers {
		app.Must(http.StatusOK, "POST", votePath(id, "checkins"), c.parents[i], map[string]any{"answer": ans,
			"comment": fmt.Sprintf("Vores %s siger noget andet (husstand %d)", c.households[i].Name, i)}, nil)
	}
}

// overviewSchool is a school of classes in every state, on a clock set to 10 March 2027:
//
//	1.A  6 households, published with 14 / 15 / 19:00, 5 signed: active; 5 check-in answers;
//	     a pupils' draft
//	2.A  4 households (masked), published with the defaults, 2 signed: not active; 3 answers
//	2.B  5 households, published with age 12, none signed
//	3.A  no households, a parents' draft
//	4.A  no agreement
//	5.A  archived (not in the overview)
//
// and a class of another school, which is never in it.
type overviewSchool struct {
	app                      *apptest.App
	clock                    *fakeClock
	s                        school
	c1a, c2a, c2b, c3a, c4a  voteClass
	p1a, p2a, p2b, d3a, pu1a agreements.Agreement
}

func newOverviewSchool(t *testing.T) *overviewSchool {
	t.Helper()
	app := apptest.New(t)
	o := &overviewSchool{app: app, clock: useClock(app, mustTime(t, overviewPublished))}
	o.s = registerSchool(t, app, "Bakkeskolen")
	keys := []string{"first-smartphone", "social-media", "class-chat"}
	o.c1a = schoolClass(t, app, o.s, "1.A", 1, 6)
	o.p1a = publishWith(t, app, o.c1a, map[string]string{"first-smartphone.age": "14", "social-media.age": "15", "class-chat.quiet-hours": "19:00"}, 5, keys...)
	checkIn(t, app, o.c1a, o.p1a.ID, "kept", "kept", "partly", "not_kept", "kept")
	o.pu1a = app.NewAgreement(o.c1a.Class, "pupils", "pupil-tone")
	o.c2a = schoolClass(t, app, o.s, "2.A", 2, 4)
	o.p2a = publishWith(t, app, o.c2a, nil, 2, "first-smartphone")
	checkIn(t, app, o.c2a, o.p2a.ID, "kept", "partly", "not_kept")
	o.c2b = schoolClass(t, app, o.s, "2.B", 2, 5)
	o.p2b = publishWith(t, app, o.c2b, map[string]string{"first-smartphone.age": "12"}, 0, "first-smartphone")
	o.c3a = schoolClass(t, app, o.s, "3.A", 3, 0)
	o.d3a = app.NewAgreement(o.c3a.Class, "parents", "first-smartphone")
	o.c4a = schoolClass(t, app, o.s, "4.A", 4, 5)
	archived := schoolClass(t, app, o.s, "5.A", 5, 5)
	publishWith(t, app, archived, nil, 5, "first-smartphone")
	app.Must(http.StatusOK, "POST", schoolPath(o.s.ID, "classes/"+archived.ID+"/archive"), o.s.Token, nil, nil)
	other := registerSchool(t, app, "Engskolen")
	publishWith(t, app, schoolClass(t, app, other, "1.X", 1, 5), nil, 5, "first-smartphone")
	return o
}

// The overview school's agreements were published at the clock's time, and are due for review
// on the next 1 August.
const (
	overviewPublished = "2027-03-10T18:00:00Z"
	overviewReview    = "2027-08-01T00:00:00Z"
)

func TestSchoolOverviewFigures(t *testing.T) {
	o := newOverviewSchool(t)
	a := overview(t, o.app, o.s.ID, o.s.Token)
	for _, tc := range []struct {
		name  string
		check func(*testing.T, *overviewSchool, adoptionJSON)
	}{
		{"the school and its classes, by grade", checkOverviewSchool},
		{"each class", checkOverviewClasses},
		{"totals", checkOverviewTotals},
		{"nothing personal", checkOverviewNothingPersonal},
		{"CSV", checkOverviewCSV},
		{"page", checkOverviewPage},
		{"the board member sees the same figures", checkOverviewBoard},
	} {
		t.Run(tc.name, func(t *testing.T) { tc.check(t, o, a) })
	}
}

func checkOverviewSchool(t *testing.T, o *overviewSchool, a adoptionJSON) {
	if a.SchoolID != o.s.ID || a.SchoolName != "Bakkeskolen" || a.Municipality != "Aarhus" || !a.GeneratedAt.Equal(mustTime(t, overviewPublished)) {
		t.Errorf("school %q %q %q at %s", a.SchoolID, a.SchoolName, a.Municipality, a.GeneratedAt)
	}
	var names []string
	for _, c := range a.Classes {
		names = append(names, c.Name)
	}
	if want := []string{"1.A", "2.A", "2.B", "3.A", "4.A"}; !slices.Equal(names, want) {
		t.Errorf("classes %q, want %q (the archived and the other school's left out)", names, want)
	}
}

// classWant is what the overview says of one class of the overview school.
type classWant struct {
	households, status string
	revision           int
	signed, holding    string
	active             string // "true", "false", or "null" when masked
	values             map[string]string
	checkin            string // "": none; "hidden": fewer than 5 answers; else "kept/partly/not kept"
	pupils             string
}

var overviewClasses = map[string]classWant{
	"1.A": {"6", "published", 1, "5", "5", "true", map[string]string{"first_smartphone_age": "14", "social_media": "15", "quiet_hours": "19:00"}, "3/1/1", "draft"},
	"2.A": {masked, "published", 1, masked, masked, "null", map[string]string{}, "hidden", ""},
	"2.B": {"5", "published", 1, "0", "0", "false", map[string]string{"first_smartphone_age": "12"}, "", ""},
	"3.A": {masked, "draft", 1, masked, masked, "null", map[string]string{}, "", ""},
	"4.A": {"5", "", 0, "", "", "", nil, "", ""},
}

func checkOverviewClasses(t *testing.T, _ *overviewSchool, a adoptionJSON) {
	for name, w := range overviewClasses {
		t.Run(name, func(t *testing.T) {
			c := a.byName[name]
			if string(c.Households) != w.households {
				t.Errorf("households %q, want %q", c.Households, w.households)
			}
			if got := ""; c.Pupils != nil {
				got = c.Pupils.Status
				if got != w.pupils {
					t.Errorf("pupils' agreement %q, want %q", got, w.pupils)
				}
			} else if w.pupils != "" {
				t.Errorf("no pupils' agreement, want %q", w.pupils)
			}
			checkParents(t, c.Parents, w)
		})
	}
}

// checkParents compares a class's parents' agreement in the overview with what is wanted.
func checkParents(t *testing.T, p *agreementJSON, w classWant) {
	t.Helper()
	if w.status == "" {
		if p != nil {
			t.Errorf("parents' agreement %+v, want none", p)
		}
		return
	}
	if p == nil {
		t.Fatal("no parents' agreement")
	}
	if p.Status != w.status || p.Revision != w.revision || string(p.Signed) != w.signed || string(p.Holding) != w.holding ||
		p.activity() != w.active || p.Masked != (w.households == masked) {
		t.Errorf("%s rev %d, signed %q holding %q active %s masked %v; want %s rev %d, %q %q %s",
			p.Status, p.Revision, p.Signed, p.Holding, p.activity(), p.Masked, w.status, w.revision, w.signed, w.holding, w.active)
	}
	if !maps.Equal(p.Values, w.values) {
		t.Errorf("values %v, want %v", p.Values, w.values)
	}
	published, review := mustTime(t, overviewPublished), mustTime(t, overviewReview)
	if w.status == "published" {
		if p.PublishedAt == nil || !p.PublishedAt.Equal(published) || p.ReviewAt == nil || !p.ReviewAt.Equal(review) || p.ReviewOverdue {
			t.Errorf("published %v, review %v overdue %v", p.PublishedAt, p.ReviewAt, p.ReviewOverdue)
		}
	} else if p.PublishedAt != nil || p.ReviewAt != nil || p.ReviewOverdue {
		t.Errorf("a draft with dates: %v %v %v", p.PublishedAt, p.ReviewAt, p.ReviewOverdue)
	}
	checkCheckin(t, p.Checkin, w.checkin)
}

// checkCheckin compares the latest check-in in the overview with want: "" for none, "hidden"
// for fewer than five answers, else "kept/partly/not kept" of five. A school never sees the
// families' comments.
func checkCheckin(t *testing.T, ck *checkinJSON, want string) {
	t.Helper()
	switch {
	case want == "" && ck != nil:
		t.Errorf("check-in %+v, want none", ck)
	case want == "":
	case ck == nil:
		t.Errorf("no check-in, want %s", want)
	case want == "hidden":
		if ck.Shown || ck.Kept+ck.Partly+ck.NotKept != 0 || string(ck.Answers) != masked {
			t.Errorf("check-in of 3 answers %+v, want hidden with %q answers", ck, masked)
		}
	default:
		if got := fmt.Sprintf("%d/%d/%d", ck.Kept, ck.Partly, ck.NotKept); !ck.Shown || got != want || string(ck.Answers) != "5" {
			t.Errorf("check-in %+v, want shown %s of 5", ck, want)
		}
	}
	if ck != nil && len(ck.Comments) != 0 {
		t.Errorf("the school sees the families' comments %q", ck.Comments)
	}
}

func checkOverviewTotals(t *testing.T, _ *overviewSchool, a adoptionJSON) {
	// 2.A's age (13) is masked, so it is not among the ages either.
	want := totalsJSON{Classes: 5, Adopted: 3, Active: 1, ActiveShare: 20, Families: "6",
		DebutAges: map[string]int{"14": 1, "12": 1}}
	if got := a.Totals; !totalsEqual(got, want) {
		t.Errorf("totals %+v, want %+v", got, want)
	}
}

func checkOverviewNothingPersonal(t *testing.T, o *overviewSchool, a adoptionJSON) {
	secrets := []string{"Forælder", "Barn", "Vores", "husstand", "parent_code", "pupil_code", "household_id", "member",
		o.c1a.ParentCode, o.c1a.Facilitator, o.c1a.households[0].ID, o.c1a.households[0].HouseholdID, `"mine"`}
	csvBody := string(o.app.Must(http.StatusOK, "GET", schoolPath(o.s.ID, "adoption.csv"), o.s.Token, nil, nil).Body)
	page := fetch(t, o.app, "GET", "/s/"+o.s.ID, "", session(o.s.Token)).Body
	for what, body := range map[string]string{"JSON": string(a.raw), "CSV": csvBody, "page": page} {
		for _, s := range secrets {
			if strings.Contains(body, s) {
				t.Errorf("the %s shows %q", what, s)
			}
		}
	}
}

// overviewCSVHeader is the header of the school overview's CSV export.
var overviewCSVHeader = []string{"class", "grade", "households", "parents_status", "parents_revision", "published_at", "signed",
	"holding", "active", "first_smartphone_age", "social_media", "quiet_hours", "checkin_answers", "checkin_kept",
	"checkin_partly", "checkin_not_kept", "review_at", "review_overdue", "pupils_status", "pupils_active",
	"households_under_5", "checkin_answers_under_5", "pupils_under_5",
	"pupils_from_council", "council_clauses", "council_kept", "council_changed", "council_dropped", "council_added"}

// overviewCSVRows are the overview school's rows of the CSV export, by class, in the header's order.
var overviewCSVRows = map[string][]string{
	"1.A": {"1.A", "1", "6", "published", "1", "2027-03-10", "5", "5", "true", "14", "15", "19:00", "5", "3", "1", "1", "2027-08-01", "false", "draft", "", "false", "false", "true", "false", "", "", "", "", ""},
	"2.A": {"2.A", "2", "", "published", "1", "2027-03-10", "", "", "", "", "", "", "", "", "", "", "2027-08-01", "false", "", "", "true", "true", "", "", "", "", "", "", ""},
	"2.B": {"2.B", "2", "5", "published", "1", "2027-03-10", "0", "0", "false", "12", "", "", "", "", "", "", "2027-08-01", "false", "", "", "false", "", "", "", "", "", "", "", ""},
	"3.A": {"3.A", "3", "", "draft", "1", "", "", "", "", "", "", "", "", "", "", "", "", "false", "", "", "true", "", "", "", "", "", "", "", ""},
	"4.A": {"4.A", "4", "5", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "false", "", "", "", "", "", "", "", ""},
}

func checkOverviewCSV(t *testing.T, o *overviewSchool, _ adoptionJSON) {
	rows := readCSV(t, o.app, schoolPath(o.s.ID, "adoption.csv"), o.s.Token)
	if !slices.Equal(rows[0], overviewCSVHeader) {
		t.Fatalf("header %q", rows[0])
	}
	if len(rows) != 6 {
		t.Errorf("%d rows, want the header and five classes", len(rows))
	}
	for name, w := range overviewCSVRows {
		row := csvRow(t, rows, name)
		for i, col := range overviewCSVHeader {
			if row[col] != w[i] {
				t.Errorf("%s %s: %q, want %q", name, col, row[col], w[i])
			}
		}
	}
}

func checkOverviewPage(t *testing.T, o *overviewSchool, _ adoptionJSON) {
	page := fetch(t, o.app, "GET", "/s/"+o.s.ID, "", session(o.s.Token)).Body
	esc := template.HTMLEscapeString(masked)
	for id, want := range map[string]string{"t-classes": "5", "t-adopted": "3", "t-active": "1 (20 %)", "t-families": "6", "t-overdue": "0"} {
		if got := testID(t, page, id); got != want {
			t.Errorf("%s: %q, want %q", id, got, want)
		}
	}
	for _, r := range []struct {
		name, classID string
		has, lacks    []string
	}{
		{"1.A", o.c1a.ID, []string{"<td>6</td>", "5 / 6", localeText(t, "da", "school.active", nil), "14 år", "01.08.2027", "10.03.2027",
			template.HTMLEscapeString(localeText(t, "da", "school.checkin", map[string]string{"Kept": "3", "Partly": "1", "NotKept": "1"}))}, nil},
		{"2.A", o.c2a.ID, []string{"<td>" + esc + "</td>", esc + " / " + esc, template.HTMLEscapeString(localeText(t, "da", "school.checkin_few", nil))},
			[]string{"2 / 4", "<td>4</td>"}},
		{"2.B", o.c2b.ID, []string{"<td>5</td>", "0 / 5"}, nil},
		{"4.A", o.c4a.ID, []string{localeText(t, "da", "school.no_agreement", nil)}, nil},
	} {
		row := classRow(t, page, r.classID)
		for _, s := range r.has {
			if !strings.Contains(row, s) {
				t.Errorf("%s's row lacks %q: %s", r.name, s, row)
			}
		}
		for _, s := range r.lacks {
			if strings.Contains(row, s) {
				t.Errorf("%s's row shows %q: %s", r.name, s, row)
			}
		}
	}
	if strings.Contains(page, `data-testid="overdue"`) {
		t.Error("a review is flagged overdue before its date")
	}
	// The charts: a bar per grade, a bar per age, each with its number in text.
	if n := strings.Count(page, `<svg class="chart"`); n != 2 {
		t.Errorf("%d charts, want 2", n)
	}
	for _, s := range []string{">1 / 1</text>", ">2 / 2</text>", ">0 / 1</text>"} {
		if !strings.Contains(page, s) {
			t.Errorf("the grade chart lacks the bar text %q", s)
		}
	}
}

func checkOverviewBoard(t *testing.T, o *overviewSchool, a adoptionJSON) {
	_, board := boardLink(t, o.app, o.s, "Formand")
	b := overview(t, o.app, o.s.ID, board)
	want := a
	b.raw, want.raw = nil, nil
	if !reflect.DeepEqual(b, want) {
		t.Errorf("the board member's overview differs:\n%+v\n%+v", b, want)
	}
}

func totalsEqual(a, b totalsJSON) bool {
	return a.Classes == b.Classes && a.Adopted == b.Adopted && a.Active == b.Active && a.ActiveShare == b.ActiveShare &&
		a.Families == b.Families && maps.Equal(a.DebutAges, b.DebutAges) && a.Overdue == b.Overdue
}

// Once the review date has passed, each published agreement is flagged, in JSON, CSV and HTML.
func TestReviewOverdue(t *testing.T) {
	o := newOverviewSchool(t)
	app := o.app
	o.clock.set(mustTime(t, "2027-07-31T23:59:59Z"))
	if a := overview(t, app, o.s.ID, o.s.Token); a.Totals.Overdue != 0 {
		t.Errorf("a second before: %d overdue", a.Totals.Overdue)
	}
	o.clock.set(mustTime(t, "2027-08-01T00:00:00Z"))
	a := overview(t, app, o.s.ID, o.s.Token)
	if a.Totals.Overdue != 3 {
		t.Errorf("%d reviews overdue, want the three published", a.Totals.Overdue)
	}
	for name, want := range map[string]bool{"1.A": true, "2.A": true, "2.B": true, "3.A": false} {
		if got := a.byName[name].Parents.ReviewOverdue; got != want {
			t.Errorf("%s overdue %v, want %v", name, got, want)
		}
		if got := csvRow(t, readCSV(t, app, schoolPath(o.s.ID, "adoption.csv"), o.s.Token), name)["review_overdue"]; got != strconv.FormatBool(want) {
			t.Errorf("%s's CSV review_overdue %q", name, got)
		}
	}
	page := fetch(t, app, "GET", "/s/"+o.s.ID, "", session(o.s.Token)).Body
	if n := strings.Count(page, `data-testid="overdue"`); n != 3 {
		t.Errorf("%d overdue flags on the page, want 3", n)
	}
	if got := testID(t, page, "t-overdue"); got != "3" {
		t.Errorf("t-overdue %q", got)
	}
}

// While the next revision is a draft, the overview shows the published one, in force, in
// whichever order the store lists them.
func TestOverviewShowsTheAgreementInForce(t *testing.T) {
	o := newOverviewSchool(t)
	app := o.app
	before := overview(t, app, o.s.ID, o.s.Token)
	for i := 0; i < 3; i++ { // created in the same millisecond and in a later one
		o.clock.add(time.Duration(i) * time.Hour)
		c := []voteClass{o.c1a, o.c2a, o.c2b}[i]
		p := []agreements.Agreement{o.p1a, o.p2a, o.p2b}[i]
		var next agreements.Agreement
		app.Must(http.StatusCreated, "POST", votePath(p.ID, "revise"), c.Facilitator, nil, &next)
	}
	after := overview(t, app, o.s.ID, o.s.Token)
	for _, name := range []string{"1.A", "2.A", "2.B"} {
		b, a := before.byName[name].Parents, after.byName[name].Parents
		if a.ID != b.ID || a.Status != "published" || a.Revision != 1 || a.activity() != b.activity() {
			t.Errorf("%s after revising shows %s rev %d (%s), want the published %s", name, a.Status, a.Revision, a.ID, b.ID)
		}
	}
	if !totalsEqual(after.Totals, before.Totals) {
		t.Errorf("totals after revising %+v, before %+v", after.Totals, before.Totals)
	}
}

// Figures about a class of fewer than five households read "< 5" in JSON (a string), CSV and
// HTML; five households show the numbers. The totals follow the same rule.
func TestSmallNumbersAreMasked(t *testing.T) {
	app := apptest.New(t)
	useClock(app, mustTime(t, "2027-03-10T18:00:00Z"))
	small, five := registerSchool(t, app, "Lilleskolen"), registerSchool(t, app, "Femskolen")
	// Four households, three signed: active, and the school's families covered are four.
	c4 := schoolClass(t, app, small, "6.A", 6, 4)
	publishWith(t, app, c4, nil, 3, "first-smartphone")
	c5 := schoolClass(t, app, five, "6.B", 6, 5)
	publishWith(t, app, c5, nil, 4, "first-smartphone")

	cases := []struct {
		name                               string
		s                                  school
		c                                  voteClass
		households, signed, holding, total string
	}{
		{"four households", small, c4, masked, masked, masked, masked},
		{"five households", five, c5, "5", "4", "4", "5"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a := overview(t, app, tc.s.ID, tc.s.Token)
			c := a.Classes[0]
			// Both are active; a class of four does not say so.
			wantActive := map[bool]string{true: "null", false: "true"}[tc.households == masked]
			if string(c.Households) != tc.households || string(c.Parents.Signed) != tc.signed || string(c.Parents.Holding) != tc.holding ||
				string(a.Totals.Families) != tc.total || c.Parents.activity() != wantActive {
				t.Errorf("JSON: households %q signed %q holding %q families %q active %s; want %q %q %q %q %s",
					c.Households, c.Parents.Signed, c.Parents.Holding, a.Totals.Families, c.Parents.activity(), tc.households, tc.signed, tc.holding, tc.total, wantActive)
			}
			// In the JSON a masked figure is the string, a shown one a number.
			var raw struct {
				Classes []struct {
					Households json.RawMessage `json:"households"`
					Parents    struct {
						Signed, Holding json.RawMessage
					} `json:"parents"`
				} `json:"classes"`
			}
			if err := json.Unmarshal(a.raw, &raw); err != nil {
				t.Fatal(err)
			}
			for what, v := range map[string]json.RawMessage{"households": raw.Classes[0].Households, "signed": raw.Classes[0].Parents.Signed, "holding": raw.Classes[0].Parents.Holding} {
				var s string
				isString := json.Unmarshal(v, &s) == nil
				if isString != (tc.households == masked) || (isString && s != masked) {
					t.Errorf("%s is %s in the JSON", what, v)
				}
			}
			row := csvRow(t, readCSV(t, app, schoolPath(tc.s.ID, "adoption.csv"), tc.s.Token), c.Name)
			cell := func(figure string) string { // a numeric column holds numbers; "under 5" has its own
				return strings.TrimPrefix(figure, masked)
			}
			if row["households"] != cell(tc.households) || row["signed"] != cell(tc.signed) || row["holding"] != cell(tc.holding) ||
				row["households_under_5"] != strconv.FormatBool(tc.households == masked) {
				t.Errorf("CSV: %v", row)
			}
			page := fetch(t, app, "GET", "/s/"+tc.s.ID, "", session(tc.s.Token)).Body
			tr := classRow(t, page, c.ClassID)
			esc := template.HTMLEscapeString
			if !strings.Contains(tr, "<td>"+esc(tc.households)+"</td>") || !strings.Contains(tr, esc(tc.holding)+" / "+esc(tc.households)) {
				t.Errorf("HTML row: %s", tr)
			}
			if got := testID(t, page, "t-families"); got != esc(tc.total) {
				t.Errorf("HTML families covered %q, want %q", got, esc(tc.total))
			}
			if tc.households == masked {
				for _, n := range []string{"<td>4</td>", "3 / 4", "4 / 4"} {
					if strings.Contains(tr, n) {
						t.Errorf("the masked row shows %q: %s", n, tr)
					}
				}
			}
		})
	}
}

// municipalityJSON is GET /municipalities/{id}/adoption as a client reads it.
type municipalityJSON struct {
	MunicipalityID string     `json:"municipality_id"`
	Name           string     `json:"name"`
	Totals         totalsJSON `json:"totals"`
	Schools        []struct {
		SchoolID string     `json:"school_id"`
		Name     string     `json:"name"`
		Totals   totalsJSON `json:"totals"`
	} `json:"schools"`
}

func rollUp(t *testing.T, app *apptest.App, m municipality) (municipalityJSON, []byte) {
	t.Helper()
	var out municipalityJSON
	r := app.Must(http.StatusOK, "GET", "/api/v1/municipalities/"+m.ID+"/adoption", m.Token, nil, &out)
	return out, r.Body
}

func schoolNames(m municipalityJSON) []string {
	var out []string
	for _, s := range m.Schools {
		out = append(out, s.Name)
	}
	slices.Sort(out)
	return out
}

// A municipality sees the schools that joined it with its code, each as totals only, and the
// totals across them; a school that leaves disappears; another municipality's are not its own.
func TestMunicipalityRollUp(t *testing.T) {
	o := newOverviewSchool(t) // Bakkeskolen: 5 classes, 3 adopted, 1 active, 6 families
	app := o.app
	m1, m2 := registerMunicipality(t, app, "Aarhus Kommune"), registerMunicipality(t, app, "Odder Kommune")
	eng := registerSchool(t, app, "Engskolen")
	c := schoolClass(t, app, eng, "5.E", 5, 7)
	publishWith(t, app, c, map[string]string{"first-smartphone.age": "15"}, 7, "first-smartphone")
	lonely := registerSchool(t, app, "Skovskolen") // never joins
	schoolClass(t, app, lonely, "1.S", 1, 5)

	if m, _ := rollUp(t, app, m1); len(m.Schools) != 0 || m.Totals.Classes != 0 || m.Name != "Aarhus Kommune" || m.MunicipalityID != m1.ID {
		t.Fatalf("before any school joins: %+v", m)
	}
	runBad(t, app, []badCase{
		{"an unknown code", o.s.Token, "PUT", schoolPath(o.s.ID, "municipality"), map[string]any{"code": "AAAAAAAA"}, nil, 404, "municipality.code_unknown"},
		{"another school's admin", eng.Token, "PUT", schoolPath(o.s.ID, "municipality"), map[string]any{"code": m1.JoinCode}, nil, 403, "auth.forbidden"},
		{"the municipality reads another's", m1.Token, "GET", "/api/v1/municipalities/" + m2.ID + "/adoption", nil, nil, 403, "auth.forbidden"},
		{"the municipality reads another's CSV", m1.Token, "GET", "/api/v1/municipalities/" + m2.ID + "/adoption.csv", nil, nil, 403, "auth.forbidden"},
		{"the municipality reads a school's overview", m1.Token, "GET", schoolPath(o.s.ID, "adoption"), nil, nil, 403, "auth.forbidden"},
		{"a municipality without a name", "", "POST", "/api/v1/municipalities", map[string]any{"name": " "}, nil, 400, "name.required"},
	})
	if s := joinMunicipality(t, app, o.s, strings.ToLower(spaced(m1.JoinCode))); s.MunicipalityID != m1.ID {
		t.Errorf("joined %+v", s)
	}
	joinMunicipality(t, app, eng, m1.JoinCode)

	m, body := rollUp(t, app, m1)
	t.Run("the schools that joined, as totals", func(t *testing.T) {
		if got := schoolNames(m); !slices.Equal(got, []string{"Bakkeskolen", "Engskolen"}) {
			t.Errorf("schools %q", got)
		}
		for _, s := range m.Schools {
			want := map[string]totalsJSON{
				"Bakkeskolen": {Classes: 5, Adopted: 3, Active: 1, ActiveShare: 20, Families: "6", DebutAges: map[string]int{"14": 1, "12": 1}},
				"Engskolen":   {Classes: 1, Adopted: 1, Active: 1, ActiveShare: 100, Families: "7", DebutAges: map[string]int{"15": 1}},
			}[s.Name]
			if !totalsEqual(s.Totals, want) {
				t.Errorf("%s: %+v, want %+v", s.Name, s.Totals, want)
			}
		}
		want := totalsJSON{Classes: 6, Adopted: 4, Active: 2, ActiveShare: 33, Families: "13", DebutAges: map[string]int{"15": 1, "14": 1, "12": 1}}
		if !totalsEqual(m.Totals, want) {
			t.Errorf("totals %+v, want %+v", m.Totals, want)
		}
	})
	t.Run("never a class or a family", func(t *testing.T) {
		for _, s := range []string{o.c1a.ID, "1.A", "2.A", `"classes":[`, "class_id", "households", "Forælder", "Barn", o.c1a.households[0].HouseholdID} {
			if strings.Contains(string(body), s) {
				t.Errorf("the roll-up shows %q: %s", s, body)
			}
		}
	})
	t.Run("CSV", func(t *testing.T) {
		rows := readCSV(t, app, "/api/v1/municipalities/"+m1.ID+"/adoption.csv", m1.Token)
		header := []string{"school", "classes", "classes_adopted", "classes_active", "active_percent", "families_covered", "reviews_overdue",
			"first_smartphone_age_10", "first_smartphone_age_11", "first_smartphone_age_12", "first_smartphone_age_13", "first_smartphone_age_14", "first_smartphone_age_15",
			"families_covered_under_5", "council_agreements", "classes_from_council"}
		if !slices.Equal(rows[0], header) || len(rows) != 4 {
			t.Fatalf("%q", rows)
		}
		want := map[string][]string{
			"Bakkeskolen": {"Bakkeskolen", "5", "3", "1", "20", "6", "0", "0", "0", "1", "0", "1", "0", "false", "0", "0"},
			"Engskolen":   {"Engskolen", "1", "1", "1", "100", "7", "0", "0", "0", "0", "0", "0", "1", "false", "0", "0"},
			"":            {"", "6", "4", "2", "33", "13", "0", "0", "0", "1", "0", "1", "1", "false", "0", "0"}, // the totals, last
		}
		for name, w := range want {
			if row := csvRow(t, rows, name); !slices.Equal(mapRow(row, header), w) {
				t.Errorf("%q: %q, want %q", name, mapRow(row, header), w)
			}
		}
		if rows[3][0] != "" {
			t.Errorf("the totals are not the last row: %q", rows)
		}
	})
	t.Run("the page", func(t *testing.T) {
		page := fetch(t, app, "GET", "/m/"+m1.ID, "", session(m1.Token))
		if page.StatusCode != http.StatusOK {
			t.Fatalf("%d", page.StatusCode)
		}
		for id, want := range map[string]string{"t-schools": "2", "t-classes": "6", "t-adopted": "4", "t-active": "2 (33 %)", "t-families": "13"} {
			if got := testID(t, page.Body, id); got != want {
				t.Errorf("%s: %q, want %q", id, got, want)
			}
		}
		for _, s := range []string{"Bakkeskolen", "Engskolen", spaced(m1.JoinCode)} {
			if !strings.Contains(page.Body, s) {
				t.Errorf("the page lacks %q", s)
			}
		}
		for _, s := range []string{"Skovskolen", "1.A", "5.E"} {
			if strings.Contains(page.Body, s) {
				t.Errorf("the page shows %q", s)
			}
		}
		if r := signIn(t, app, m1.Token); r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/m/"+m1.ID {
			t.Errorf("the municipality's link: %d to %q", r.StatusCode, r.Header.Get("Location"))
		}
	})
	t.Run("a school that leaves disappears; one that moves appears in the other", func(t *testing.T) {
		if s := joinMunicipality(t, app, eng, ""); s.MunicipalityID != "" {
			t.Errorf("left: %+v", s)
		}
		if m, _ := rollUp(t, app, m1); !slices.Equal(schoolNames(m), []string{"Bakkeskolen"}) || m.Totals.Classes != 5 {
			t.Errorf("after Engskolen left: %q, %d classes", schoolNames(m), m.Totals.Classes)
		}
		joinMunicipality(t, app, o.s, m2.JoinCode)
		if m, _ := rollUp(t, app, m1); len(m.Schools) != 0 || m.Totals.Classes != 0 {
			t.Errorf("after Bakkeskolen moved: %+v", m)
		}
		if m, _ := rollUp(t, app, m2); !slices.Equal(schoolNames(m), []string{"Bakkeskolen"}) {
			t.Errorf("the other municipality: %q", schoolNames(m))
		}
	})
	t.Run("small schools are masked in the roll-up", func(t *testing.T) {
		tiny := registerSchool(t, app, "Minilille")
		publishWith(t, app, schoolClass(t, app, tiny, "0.A", 0, 3), nil, 3, "first-smartphone")
		joinMunicipality(t, app, tiny, m1.JoinCode)
		m, _ := rollUp(t, app, m1)
		for _, s := range m.Schools {
			if s.Name == "Minilille" && string(s.Totals.Families) != masked {
				t.Errorf("a school covering 3 families: %q", s.Totals.Families)
			}
		}
		if row := csvRow(t, readCSV(t, app, "/api/v1/municipalities/"+m1.ID+"/adoption.csv", m1.Token), "Minilille"); row["families_covered"] != "" || row["families_covered_under_5"] != "true" {
			t.Errorf("CSV %v", row)
		}
	})
}

// mapRow returns a CSV row's cells in the header's order.
func mapRow(row map[string]string, header []string) []string {
	out := make([]string, len(header))
	for i, h := range header {
		out[i] = row[h]
	}
	return out
}

// A class of fewer than five households shows neither its chosen values nor whether its
// agreement is active — in the JSON, the CSV and the page — and its choices are not in the
// totals; a pupils' agreement of fewer than five pupils likewise. (A class of one household
// once showed the board "active: true", age 15 and quiet hours from 21:00: one family's choice.)
func TestSmallClassChoicesAreMasked(t *testing.T) {
	app := apptest.New(t)
	useClock(app, mustTime(t, "2027-03-10T18:00:00Z"))
	s := registerSchool(t, app, "Lilleskolen")
	one := schoolClass(t, app, s, "4.A", 4, 1)
	choices := map[string]string{"first-smartphone.age": "15", "class-chat.quiet-hours": "21:00"}
	publishWith(t, app, one, choices, 1, "first-smartphone", "class-chat")
	_, pupil := app.Join(one.PupilCode, "Lynet", "")
	pu := app.NewAgreement(one.Class, "pupils", "pupil-tone")
	app.Adopt(one.Class, pu.ID, pupil)
	publish(t, app, one.Class, pu.ID)
	app.Must(http.StatusOK, "POST", votePath(pu.ID, "signatures"), pupil, map[string]any{"min_percent": 0}, nil)
	five := schoolClass(t, app, s, "4.B", 4, 5)
	publishWith(t, app, five, choices, 5, "first-smartphone", "class-chat")

	a := overview(t, app, s.ID, s.Token)
	small, big := a.byName["4.A"], a.byName["4.B"]
	for what, p := range map[string]*agreementJSON{"parents": small.Parents, "pupils": small.Pupils} {
		if !p.Masked || p.activity() != "null" || len(p.Values) != 0 || string(p.Signed) != masked || string(p.Holding) != masked {
			t.Errorf("the small class's %s' agreement: %+v, active %s", what, p, p.activity())
		}
	}
	if p := big.Parents; p.Masked || p.activity() != "true" || p.Values["first_smartphone_age"] != "15" || p.Values["quiet_hours"] != "21:00" {
		t.Errorf("the class of five: %+v, active %s", p, p.activity())
	}
	if tt := a.Totals; tt.Active != 1 || !maps.Equal(tt.DebutAges, map[string]int{"15": 1}) {
		t.Errorf("totals %+v: the small class is counted", tt)
	}
	var raw struct {
		Classes []map[string]json.RawMessage `json:"classes"`
	}
	json.Unmarshal(a.raw, &raw)
	if !strings.Contains(string(raw.Classes[0]["parents"]), `"active":null`) {
		t.Errorf("the JSON: %s", raw.Classes[0]["parents"])
	}

	row := csvRow(t, readCSV(t, app, schoolPath(s.ID, "adoption.csv"), s.Token), "4.A")
	for _, col := range []string{"households", "signed", "holding", "active", "first_smartphone_age", "quiet_hours", "pupils_active"} {
		if row[col] != "" {
			t.Errorf("the CSV's %s is %q", col, row[col])
		}
	}
	if row["households_under_5"] != "true" || row["pupils_under_5"] != "true" || row["parents_status"] != "published" {
		t.Errorf("the CSV row %v", row)
	}

	page := fetch(t, app, "GET", "/s/"+s.ID, "", session(s.Token)).Body
	tr := classRow(t, page, one.ID)
	for _, leak := range []string{"15 år", "21", localeText(t, "da", "school.active", nil), localeText(t, "da", "school.not_active", nil)} {
		if strings.Contains(tr, leak) {
			t.Errorf("the page's row shows %q: %s", leak, tr)
		}
	}
	if strings.Count(tr, template.HTMLEscapeString(masked)) < 5 {
		t.Errorf("the page's row does not read %q for its figures and values: %s", masked, tr)
	}
	if tr := classRow(t, page, five.ID); !strings.Contains(tr, "15 år") || !strings.Contains(tr, localeText(t, "da", "school.active", nil)) {
		t.Errorf("the class of five's row: %s", tr)
	}
}
