package e2e

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"klasseaftale/agreements"
	"klasseaftale/internal/apptest"
)

// axe is axe-core (npm axe-core 4.14.1, MPL-2.0, testdata/LICENSE-axe-core.txt), injected into
// each page by the tests only: the product never serves it.
//
//go:embed testdata/axe.min.js
var axe string

// violations runs axe-core on the page for WCAG 2.1 A and AA and returns what it found.
func violations(t *testing.T, ctx context.Context) []string {
	t.Helper()
	do(t, ctx, "inject axe", chromedp.Evaluate[chromedp.Void](axe))
	raw := get(t, ctx, "run axe", chromedp.Evaluate[string](`axe.run(document, {
		runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
	}).then((r) => JSON.stringify(r.violations.map((v) => ({id: v.id, help: v.help,
		nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ') + ': ' + n.failureSummary)}))))`,
		chromedp.EvalAwaitPromise))
	var vs []struct {
		ID, Help string
		Nodes    []string
	}
	if err := json.Unmarshal([]byte(raw), &vs); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, v := range vs {
		out = append(out, fmt.Sprintf("%s (%s): %s", v.ID, v.Help, strings.Join(v.Nodes, " | ")))
	}
	return out
}

// site is a class with every kind of page to visit: a draft, an agreement in the vote, a
// published one with signatures and a check-in, a school with a board, a municipality.
type site struct {
	app   *apptest.App
	class apptest.Class
	pages []string
	fac   string
}

func newSite(t *testing.T) *site {
	t.Helper()
	app := apptest.New(t)
	school := app.NewSchool("Bakkeskolen")
	class := app.NewClassIn("4.B", 4, school.OrganiserCode)
	var tokens []string
	for _, child := range []string{"Ida", "Omar", "Sofie", "Yusuf", "Alma"} {
		_, tok := app.Join(class.ParentCode, "Forælder til "+child, child)
		tokens = append(tokens, tok)
	}
	draft := app.NewAgreement(class, "parents", "first-smartphone", "class-chat")
	voting := app.NewAgreement(class, "pupils", "pupil-tone")
	app.Must(http.StatusOK, "POST", "/api/v1/agreements/"+voting.ID+"/voting", class.Facilitator, map[string]any{"quorum_percent": 0, "threshold_percent": 50}, nil)
	published := app.NewAgreement(class, "parents", "photos", "evenings")
	app.Adopt(class, published.ID, tokens...)
	var pub struct {
		Agreement agreements.Agreement `json:"agreement"`
	}
	app.Must(http.StatusOK, "POST", "/api/v1/agreements/"+published.ID+"/publish", class.Facilitator, nil, &pub)
	for i, tok := range tokens[:3] {
		app.Must(http.StatusOK, "POST", "/api/v1/agreements/"+published.ID+"/signatures", tok, map[string]any{"min_percent": i * 25}, nil)
	}
	app.Must(http.StatusCreated, "POST", "/api/v1/agreements/"+published.ID+"/checkins/open", class.Facilitator, nil, nil)
	var muni struct {
		Municipality agreements.Municipality `json:"municipality"`
		Token        string                  `json:"token"`
	}
	app.Must(http.StatusCreated, "POST", "/api/v1/municipalities", "", map[string]any{"name": "Aarhus Kommune"}, &muni)
	app.Must(http.StatusOK, "PUT", "/api/v1/schools/"+school.ID+"/municipality", school.Token, map[string]any{"code": muni.Municipality.JoinCode}, nil)
	council := app.NewCouncil(school, "Elevrådet")
	_, member := app.JoinCouncil(council.PupilCode, "Lynet", class.ID)
	app.PublishCouncilAgreement(council, []string{member}, "pupil-tone", "pupil-photos")
	fromCouncil := app.StartFromCouncil(class)
	cl := fromCouncil.Clauses[0]
	app.Must(http.StatusOK, "PUT", "/api/v1/agreements/"+fromCouncil.ID+"/clauses/"+cl.ID, class.Facilitator,
		map[string]any{"body": cl.Body + " Også i 4.B.", "base_rev": cl.Rev}, nil)
	s := &site{app: app, class: class, fac: class.Facilitator}
	s.pages = []string{
		"/", "/join", "/join?code=" + class.ParentCode, "/join?code=WRONGCOD", "/school/new", "/municipality/new", "/accessibility",
		"/privacy", "as:" + tokens[0] + ":/c/" + class.ID,
		"/p/" + pub.Agreement.Slug, "/nope",
		"as:" + class.Facilitator + ":/c/" + class.ID,
		"as:" + class.Facilitator + ":/c/" + class.ID + "/projector",
		"as:" + class.Facilitator + ":/a/" + draft.ID,
		"as:" + tokens[0] + ":/a/" + draft.ID,
		"as:" + class.Facilitator + ":/a/" + voting.ID,
		"as:" + class.Facilitator + ":/a/" + voting.ID + "/meeting",
		"as:" + tokens[1] + ":/a/" + published.ID,
		"as:" + class.Facilitator + ":/a/" + published.ID,
		"as:" + school.Token + ":/s/" + school.ID,
		"as:" + muni.Token + ":/m/" + muni.Municipality.ID,
		"/join?code=" + council.PupilCode,
		"as:" + council.Facilitator + ":/c/" + council.ID,
		"as:" + member + ":/c/" + council.ID,
		"as:" + class.Facilitator + ":/a/" + fromCouncil.ID,
	}
	return s
}

// visit opens a page, as the holder of a token when the entry says "as:<token>:<path>".
func (s *site) visit(t *testing.T, ctx context.Context, entry, lang string) string {
	t.Helper()
	path := entry
	if rest, ok := strings.CutPrefix(entry, "as:"); ok {
		tok, p, _ := strings.Cut(rest, ":")
		do(t, ctx, "log in", signIn(s.app.URL, tok))
		path = p
	}
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	do(t, ctx, "open "+path, chromedp.Navigate(s.app.URL+path+sep+"lang="+lang), ready())
	return path
}

// Every page, in Danish, Arabic and English, passes axe-core at WCAG 2.1 AA with no violation;
// in Arabic the document is right to left and a 360 px wide phone never scrolls sideways.
func TestEveryPageIsAccessible(t *testing.T) {
	t.Parallel()
	root := browser(t)
	s := newSite(t)
	for _, lang := range []string{"da", "ar", "en"} {
		t.Run(lang, func(t *testing.T) {
			t.Parallel()
			everyPageIsAccessible(t, root, s, lang)
		})
	}
}

func everyPageIsAccessible(t *testing.T, root context.Context, s *site, lang string) {
	{
		ctx := person(t, root)
		if lang == "ar" {
			do(t, ctx, "a narrow phone", chromedp.EmulateViewport(360, 740))
		}
		for _, entry := range s.pages {
			path := s.visit(t, ctx, entry, lang)
			if vs := violations(t, ctx); len(vs) > 0 {
				t.Errorf("%s in %s: %d violations:\n  %s", path, lang, len(vs), strings.Join(vs, "\n  "))
			}
			if lang != "ar" {
				continue
			}
			if got := eval[string](t, ctx, `document.documentElement.lang + ' ' + document.documentElement.dir`); got != "ar rtl" {
				t.Errorf("%s in Arabic: html lang/dir %q", path, got)
			}
			noSidewaysScroll(t, ctx, path+" in Arabic at 360 px")
		}
	}
}

// Text enlarged to 200 % loses nothing: no page of a phone-wide window needs sideways scrolling.
func TestTextAt200Percent(t *testing.T) {
	t.Parallel()
	root := browser(t)
	s := newSite(t)
	ctx := person(t, root)
	do(t, ctx, "a phone", chromedp.EmulateViewport(412, 900))
	for _, entry := range s.pages {
		path := s.visit(t, ctx, entry, "da")
		do(t, ctx, "enlarge text", chromedp.Evaluate[chromedp.Void](`document.documentElement.style.fontSize = '200%'`))
		noSidewaysScroll(t, ctx, path+" at 200 % text")
	}
}
