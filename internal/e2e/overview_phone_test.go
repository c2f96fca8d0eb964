package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"klasseaftale/internal/apptest"
)

// A school's overview on a phone, in Danish and in Arabic. With no classes yet its charts say so
// in a sentence instead of drawing empty frames; with classes, its table becomes a card per
// class, each figure under its column's name, and nothing scrolls sideways.
func TestSchoolOverviewOnAPhone(t *testing.T) {
	t.Parallel()
	root := browser(t)
	app := apptest.New(t)
	s := app.NewSchool("Bakkeskolen")
	admin := login(t, root, app, s.Token)
	for _, lang := range []string{"da", "ar"} {
		do(t, admin, "the empty overview in "+lang, phone(), chromedp.Navigate(app.URL+"/s/"+s.ID+"?lang="+lang), ready())
		empty := eval[[]string](t, admin, `[...document.querySelectorAll('.charts figure')].map((f) =>
			(f.querySelector('svg.chart') ? 'svg ' : '') + (f.querySelector('[data-testid=chart-empty]')?.textContent ?? ''))`)
		if len(empty) != 2 || strings.HasPrefix(empty[0], "svg") || strings.HasPrefix(empty[1], "svg") || empty[0] == "" || empty[1] == "" {
			t.Errorf("the empty charts in %s: %q, want a sentence each and no frame", lang, empty)
		}
		noSidewaysScroll(t, admin, "the empty overview in "+lang)
		shoot(t, admin, "overview-empty-phone-"+lang)
	}

	schoolPublished(t, app, s, "1.A", 1, 5, 5, "14")
	schoolPublished(t, app, s, "2.A", 2, 3, 1, "13")
	c3 := app.NewClassIn("3.A", 3, s.OrganiserCode)
	app.NewAgreement(c3, "parents", "first-smartphone")
	for _, lang := range []string{"da", "ar"} {
		do(t, admin, "the overview in "+lang, phone(), chromedp.Navigate(app.URL+"/s/"+s.ID+"?lang="+lang), ready())
		if n := eval[int](t, admin, `document.querySelectorAll('.charts svg.chart').length`); n != 2 {
			t.Errorf("with a published agreement, %d charts are drawn in %s, want 2", n, lang)
		}
		cards := eval[[]map[string]any](t, admin, `[...document.querySelectorAll('[data-testid=classes] tbody tr')].map((tr) => ({
			display: getComputedStyle(tr).display,
			width: tr.getBoundingClientRect().width,
			labels: [...tr.querySelectorAll('td')].map((td) => getComputedStyle(td, '::before').content.replace(/^"|"$/g, '')),
			header: getComputedStyle(document.querySelector('[data-testid=classes] thead')).position,
		}))`)
		if len(cards) != 3 {
			t.Fatalf("%d rows in %s, want 3", len(cards), lang)
		}
		for i, c := range cards {
			if c["display"] != "block" || c["width"].(float64) > 390 || c["header"] != "absolute" {
				t.Errorf("row %d in %s is not a card on the phone: %v", i, lang, c)
			}
			for _, l := range c["labels"].([]any) {
				if s := l.(string); s == "" || s == "none" || s == "normal" {
					t.Errorf("row %d in %s has a figure without its column's name: %v", i, lang, c["labels"])
					break
				}
			}
		}
		if w := eval[int](t, admin, `(() => { const e = document.querySelector('.table-wrap'); return e.scrollWidth - e.clientWidth })()`); w > 0 {
			t.Errorf("the table scrolls sideways by %d px in %s", w, lang)
		}
		noSidewaysScroll(t, admin, "the overview in "+lang)
		do(t, admin, "to the classes", centre("[data-testid=classes]"))
		shoot(t, admin, "overview-phone-"+lang)
	}
}
