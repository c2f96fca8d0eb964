package e2e

import (
	"context"
	"net/http"
	"slices"
	"testing"
	"unicode/utf8"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"klasseaftale/agreements"
	"klasseaftale/agreements/templates"
	"klasseaftale/internal/apptest"
)

// clauseLength is how much a clause puts on paper: its title, its text, its question and the
// longest of its answers.
func clauseLength(c agreements.Clause) int {
	n := utf8.RuneCountInString(c.Title) + utf8.RuneCountInString(c.Body)
	if p := c.Parameter; p != nil {
		n += utf8.RuneCountInString(p.Label)
		longest := 0
		for _, o := range p.Options {
			longest = max(longest, utf8.RuneCountInString(o.Label))
		}
		n += longest
	}
	return n
}

// posterOf publishes a parents' agreement in lang made of the n longest clauses of the library,
// in a class of a school that has set its own help and three trusted adults, and returns the
// address of its page.
func posterOf(t *testing.T, app *apptest.App, lang string, n int) string {
	t.Helper()
	s := app.NewSchool("Søndervangskolen")
	app.Must(http.StatusOK, "PUT", "/api/v1/schools/"+s.ID+"/help", s.Token, map[string]any{
		"contact":         "Lene Holm, AKT-lærer, træffes via skolens kontor på 86 12 34 56 alle hverdage",
		"action_plan_url": "https://soendervang.example/trivsel",
		"lines":           "Ungdomsrådgivningen i Aarhus Kommune",
	}, nil)
	app.Must(http.StatusOK, "PUT", "/api/v1/schools/"+s.ID+"/trusted-adults", s.Token, map[string]any{"trusted_adults": []map[string]string{
		{"name": "Hanne Sørensen", "role": "AKT-lærer", "where": "lokale 12, hver dag i 10-frikvarteret"},
		{"name": "Jonas Madsen", "role": "pædagog i SFO", "where": "SFO'en efter skoletid"},
		{"name": "Birgitte Lund", "role": "skolens sundhedsplejerske", "where": "tirsdag og torsdag"},
	}}, nil)
	c := app.NewClassIn("4.B", 4, s.OrganiserCode)
	_, parent := app.Join(c.ParentCode, "Mona", "Ida")
	var keys []string
	for _, tp := range templates.MustLoad().Templates(agreements.KindParents, lang) {
		keys = append(keys, tp.Key)
	}
	var a agreements.Agreement
	app.Must(http.StatusCreated, "POST", "/api/v1/classes/"+c.ID+"/agreements", c.Facilitator,
		map[string]any{"kind": "parents", "templates": keys, "lang": lang}, &a)
	clauses := slices.SortedFunc(slices.Values(a.Clauses), func(x, y agreements.Clause) int { return clauseLength(y) - clauseLength(x) })
	if len(clauses) < n {
		t.Fatalf("the library has %d clauses for the class, want %d", len(clauses), n)
	}
	for _, cl := range clauses[n:] {
		app.Must(http.StatusNoContent, "DELETE", "/api/v1/agreements/"+a.ID+"/clauses/"+cl.ID, c.Facilitator, nil, nil)
	}
	app.Adopt(c, a.ID, parent)
	var pub struct {
		Agreement agreements.Agreement `json:"agreement"`
	}
	app.Must(http.StatusOK, "POST", "/api/v1/agreements/"+a.ID+"/publish", c.Facilitator, nil, &pub)
	return "/p/" + pub.Agreement.Slug
}

// emulatePrint shows the page as the printer gets it.
func emulatePrint(ctx context.Context, tg *chromedp.Target) error {
	_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"})
	return err
}

// The published agreement prints as one A4 poster, with 5 clauses and with the 12 longest of the
// library, in Danish and in Arabic: the title, the class and the school, every clause, the help
// block with the school's adults and a QR code to the live page. Nothing on it goes stale on a
// wall: the signatures and whether the agreement is active are read through the QR code.
func TestPosterPrintsOnOneA4Page(t *testing.T) {
	t.Parallel()
	root := browser(t)
	app := apptest.New(t)
	for _, lang := range []string{"da", "ar"} {
		for _, n := range []int{5, 12} {
			name := lang + "-" + map[int]string{5: "5", 12: "12"}[n]
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				path := posterOf(t, app, lang, n)
				p := person(t, root)
				do(t, p, "the poster", phone(), chromedp.Navigate(app.URL+path+"?lang="+lang), chromedp.WaitVisible(css(".poster")), ready(),
					waitJS(`document.fonts.status === 'loaded'`))
				noSidewaysScroll(t, p, "the published page")
				shoot(t, p, "published-phone-"+name)
				pdf := get(t, p, "print", chromedp.PrintToPDF(chromedp.PDFPaper(chromedp.PaperA4)))
				pages := len(pdfPage.FindAll(pdf, -1))
				t.Logf("%s: %d clauses print on %d A4 page(s), in type %s", lang, n, pages, eval[string](t, p, `document.querySelector('.poster').dataset.fit ?? 'none'`))
				if pages != 1 {
					t.Errorf("%d clauses in %s print on %d pages, want 1", n, lang, pages)
				}
				keepShot(t, "poster-"+name+".pdf", pdf)
				do(t, p, "as printed", chromedp.EmulateViewport(718, 1047), chromedp.Func(emulatePrint))
				shown := eval[map[string]bool](t, p, `(() => {
					const seen = (sel) => [...document.querySelectorAll(sel)].some((e) => e.getClientRects().length > 0);
					return {
						title: seen('.poster h1'), school: seen('.poster .kicker'), help: seen('.poster .help'),
						adults: seen('[data-testid=poster-adults]'), qr: seen('.poster svg.qr'),
						commitment: seen('[data-testid=commitment]'), sign: seen('a[href*="#signatures"]'),
						clauses: document.querySelectorAll('.poster .clauses > li').length === `+map[int]string{5: "5", 12: "12"}[n]+`,
					};
				})()`)
				for _, what := range []string{"title", "school", "help", "adults", "qr", "clauses"} {
					if !shown[what] {
						t.Errorf("the printed poster lacks its %s", what)
					}
				}
				if shown["commitment"] || shown["sign"] {
					t.Errorf("the printed poster shows whether the agreement is active or a link to sign: %v", shown)
				}
				shoot(t, p, "poster-"+name)
			})
		}
	}
}
