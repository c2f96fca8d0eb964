package e2e

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"klasseaftale/internal/apptest"
)

// schoolClock is the service's clock, moved by the test.
type schoolClock struct{ ns atomic.Int64 }

func (c *schoolClock) now() time.Time  { return time.Unix(0, c.ns.Load()).UTC() }
func (c *schoolClock) set(t time.Time) { c.ns.Store(t.UnixNano()) }

// schoolPublished makes a class of the school with n households, publishes a parents' agreement
// on the first smartphone with the age chosen, and has the first `signers` households sign.
func schoolPublished(t *testing.T, app *apptest.App, s apptest.School, name string, grade, n, signers int, age string) apptest.Class {
	t.Helper()
	c := app.NewClassIn(name, grade, s.OrganiserCode)
	var parents []string
	for i := range n {
		_, tok := app.Join(c.ParentCode, fmt.Sprintf("Forælder %d", i+1), fmt.Sprintf("Barn %s %d", name, i+1))
		parents = append(parents, tok)
	}
	a := app.NewAgreement(c, "parents", "first-smartphone")
	cl := a.Clauses[0]
	app.Must(http.StatusOK, "PUT", "/api/v1/agreements/"+a.ID+"/clauses/"+cl.ID, c.Facilitator, map[string]any{"value": age, "base_rev": cl.Rev}, nil)
	app.Adopt(c, a.ID, parents[0])
	app.Must(http.StatusOK, "POST", "/api/v1/agreements/"+a.ID+"/publish", c.Facilitator, nil, nil)
	for _, tok := range parents[:signers] {
		app.Must(http.StatusOK, "POST", "/api/v1/agreements/"+a.ID+"/signatures", tok, map[string]any{"min_percent": 0}, nil)
	}
	return c
}

// pdfPages counts the pages of a PDF: its /Type /Page objects, not the /Pages tree.
var pdfPage = regexp.MustCompile(`/Type\s*/Page\b[^s]`)

// A school of three classes in different states: the totals, the two charts, the overdue flag
// and the masked small numbers are right on screen, and the print is one clean page.
//
//	1.A  5 households, published in March with age 14, all signed: active; its review date
//	     (1 August) has passed
//	2.A  3 households, published in August with age 13, one signed: not active, masked
//	3.A  a draft only
func TestSchoolOverviewInTheBrowser(t *testing.T) {
	t.Parallel()
	root := browser(t)
	app := apptest.New(t)
	clock := &schoolClock{}
	clock.set(time.Date(2027, 3, 10, 18, 0, 0, 0, time.UTC))
	app.Service.SetClock(clock.now)
	s := app.NewSchool("Bakkeskolen")
	c1 := schoolPublished(t, app, s, "1.A", 1, 5, 5, "14")
	clock.set(time.Date(2027, 8, 5, 9, 0, 0, 0, time.UTC))
	c2 := schoolPublished(t, app, s, "2.A", 2, 3, 1, "13")
	c3 := app.NewClassIn("3.A", 3, s.OrganiserCode)
	app.NewAgreement(c3, "parents", "first-smartphone")
	var link struct {
		Token string `json:"token"`
	}
	app.Must(http.StatusCreated, "POST", "/api/v1/schools/"+s.ID+"/board-links", s.Token, map[string]any{"label": "Formand"}, &link)

	admin := followKey(t, root, app, s.Token)
	do(t, admin, "open the overview", waitPath("/s/"+s.ID), chromedp.WaitVisible(css("[data-testid=totals]")), ready())

	t.Run("totals", func(t *testing.T) {
		want := map[string]string{"t-classes": "3", "t-adopted": "2", "t-active": "1 (33 %)", "t-families": "5", "t-overdue": "1"}
		for id, w := range want {
			if got := strings.TrimSpace(get(t, admin, id, chromedp.Text(css("[data-testid="+id+"]")))); got != w {
				t.Errorf("%s: %q, want %q", id, got, w)
			}
		}
	})
	t.Run("charts", func(t *testing.T) {
		charts := eval[[][]string](t, admin, `[...document.querySelectorAll('svg.chart')].map((svg) =>
			[...svg.querySelectorAll('.chart-value')].map((x) => x.textContent))`)
		// 2.A's age (13) is masked: three households are too few to show their choice.
		want := [][]string{{"1 / 1", "1 / 1", "0 / 1"}, {"0", "0", "0", "0", "1", "0"}}
		if len(charts) != 2 || !slices.Equal(charts[0], want[0]) || !slices.Equal(charts[1], want[1]) {
			t.Errorf("the charts' bar texts %q, want %q", charts, want)
		}
		widths := eval[[][]float64](t, admin, `[...document.querySelectorAll('svg.chart')].map((svg) =>
			[...svg.querySelectorAll('rect.chart-bar')].map((r) => r.getBBox().width))`)
		if len(widths) != 2 || !slices.Equal(widths[0], []float64{260, 260, 0}) || !slices.Equal(widths[1], []float64{0, 0, 0, 0, 260, 0}) {
			t.Errorf("the bars' widths %v", widths)
		}
		// Each chart has a name for screen readers, and is drawn with room to read.
		names := eval[[]string](t, admin, `[...document.querySelectorAll('svg.chart')].map((svg) => svg.getAttribute('role') + ':' + svg.getAttribute('aria-label'))`)
		for _, n := range names {
			if !strings.HasPrefix(n, "img:") || len(n) < 10 {
				t.Errorf("a chart is named %q", n)
			}
		}
		if h := eval[float64](t, admin, `Math.min(...[...document.querySelectorAll('svg.chart')].map((svg) => svg.getBoundingClientRect().height))`); h < 60 {
			t.Errorf("a chart is %v px high", h)
		}
	})
	t.Run("flags and masks", func(t *testing.T) {
		row := func(id string) string {
			return get(t, admin, "row "+id, chromedp.Text(css(`tr[data-class="`+id+`"]`)))
		}
		overdue := eval[[]string](t, admin, `[...document.querySelectorAll('[data-testid=overdue]')].map((x) => x.closest('tr').dataset.class)`)
		if !slices.Equal(overdue, []string{c1.ID}) {
			t.Errorf("overdue flags on %q, want only 1.A (%s)", overdue, c1.ID)
		}
		if r := row(c1.ID); !strings.Contains(r, "5 / 5") || strings.Contains(r, "< 5") {
			t.Errorf("1.A: %q", r)
		}
		r2 := row(c2.ID)
		if strings.Count(r2, "< 5") < 3 || strings.Contains(r2, "1 / 3") {
			t.Errorf("2.A is not masked: %q", r2)
		}
		cells := eval[[]string](t, admin, `[...document.querySelectorAll('tr[data-class="`+c2.ID+`"] td')].slice(0, 6).map((td) => td.textContent.trim())`)
		if len(cells) < 6 || cells[0] != "< 5" || cells[2] != "< 5 / < 5" || cells[3] != "< 5" || cells[4] != "< 5" || cells[5] != "< 5" {
			t.Errorf("2.A's households, signatures (with no activity) and values: %q", cells)
		}
		if r := row(c3.ID); strings.Contains(r, "< 5 / ") {
			t.Errorf("3.A (a draft) shows signatures: %q", r)
		}
	})
	t.Run("print", func(t *testing.T) {
		// The page counter counts: a page of three sheets prints on three.
		sheets := person(t, root)
		do(t, sheets, "three sheets", chromedp.Navigate(`data:text/html,<p style="break-after:page">1</p><p style="break-after:page">2</p><p>3</p>`))
		if n := len(pdfPage.FindAll(get(t, sheets, "print three", chromedp.PrintToPDF()), -1)); n != 3 {
			t.Fatalf("three sheets count as %d pages", n)
		}
		pdf := get(t, admin, "print", chromedp.PrintToPDF(chromedp.PDFPaper(chromedp.PaperA4)))
		if !strings.HasPrefix(string(pdf), "%PDF") {
			t.Fatalf("not a PDF: %.20q", pdf)
		}
		if n := len(pdfPage.FindAll(pdf, -1)); n != 1 {
			t.Errorf("the overview prints on %d pages, want 1", n)
		}
		do(t, admin, "emulate print", chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"})
			return err
		}))
		// In print: no forms, no buttons, no links to download, no site header or footer; the
		// figures, the charts and the table are there.
		shown := eval[map[string]bool](t, admin, `(() => {
			const rendered = (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
			const any = (sel) => [...document.querySelectorAll(sel)].some(rendered);
			return {
				forms: any('form'), buttons: any('button'), inputs: any('input, textarea'), downloads: any('a[download]'),
				header: any('header.top'), footer: any('footer.site'), organiser: any('[data-testid=organiser-code]'),
				totals: any('[data-testid=totals]'), charts: [...document.querySelectorAll('svg.chart')].filter(rendered).length === 2,
				table: any('[data-testid=classes]'), overdue: any('[data-testid=overdue]'),
			};
		})()`)
		want := map[string]bool{"forms": false, "buttons": false, "inputs": false, "downloads": false, "header": false, "footer": false,
			"organiser": false, "totals": true, "charts": true, "table": true, "overdue": true}
		for k, w := range want {
			if shown[k] != w {
				t.Errorf("in print, %s shown: %v, want %v", k, shown[k], w)
			}
		}
		// The print is as wide as the A4 sheet of the page's @page rule less its margins (210 mm -
		// 2 x 14 mm = 182 mm, 688 px); nothing may stick out beyond it, where the PDF would cut it.
		do(t, admin, "an A4 sheet's width", chromedp.EmulateViewport(688, 1000))
		if wide := eval[[]string](t, admin, `[...document.querySelectorAll('main *')].filter((el) => el.getClientRects().length > 0 &&
			el.getBoundingClientRect().right > 688.5).map((el) => el.tagName + '.' + (el.className.baseVal ?? el.className) + ' ' + Math.round(el.getBoundingClientRect().right))`); len(wide) != 0 {
			t.Errorf("in print, beyond the sheet's edge: %q", wide)
		}
		do(t, admin, "back to the screen", chromedp.ResetViewport(), chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: ""})
			return err
		}))
	})
	t.Run("the board member sees the same overview, read-only", func(t *testing.T) {
		board := followKey(t, root, app, link.Token)
		do(t, board, "open the overview", waitPath("/s/"+s.ID), chromedp.WaitVisible(css("[data-testid=totals]")), ready())
		for _, id := range []string{"t-classes", "t-adopted", "t-active", "t-families", "t-overdue"} {
			a := get(t, admin, id, chromedp.Text(css("[data-testid="+id+"]")))
			b := get(t, board, id, chromedp.Text(css("[data-testid="+id+"]")))
			if a != b {
				t.Errorf("%s: the board member sees %q, the admin %q", id, b, a)
			}
		}
		if n := eval[int](t, board, `document.querySelectorAll('main form').length`); n != 0 {
			t.Errorf("the board member's page has %d forms", n)
		}
		pdf := get(t, board, "print", chromedp.PrintToPDF(chromedp.PDFPaper(chromedp.PaperA4)))
		if n := len(pdfPage.FindAll(pdf, -1)); n != 1 {
			t.Errorf("the board member's print has %d pages, want 1", n)
		}
	})
	t.Run("on a phone, in Danish and Arabic", func(t *testing.T) {
		p := login(t, root, app, link.Token)
		for _, lang := range []string{"da", "ar"} {
			do(t, p, "the overview in "+lang, phone(), chromedp.Navigate(app.URL+"/s/"+s.ID+"?lang="+lang), ready(),
				chromedp.WaitVisible(css(`tr[data-class="`+c2.ID+`"] [data-testid=masked-values]`)))
			screenshot(t, p, "school-"+lang)
		}
	})
}
