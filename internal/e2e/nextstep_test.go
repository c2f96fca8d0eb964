package e2e

import (
	"context"
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"

	"klasseaftale/internal/apptest"
)

// inFirstScreen fails unless the element sel is on the first screen of the page, unscrolled.
func inFirstScreen(t *testing.T, ctx context.Context, sel, what string) {
	t.Helper()
	do(t, ctx, "to the top", chromedp.Evaluate[chromedp.Void](`window.scrollTo(0, 0)`))
	r := eval[map[string]float64](t, ctx, `(() => { const e = document.querySelector(`+jsString(sel)+`);
		if (!e) return {missing: 1};
		const r = e.getBoundingClientRect(); return {top: r.top, bottom: r.bottom, height: innerHeight, page: document.documentElement.scrollHeight}; })()`)
	if r["missing"] == 1 {
		t.Fatalf("%s: no %s on the page\n%s", what, sel, where(ctx))
	}
	if r["top"] < 0 || r["bottom"] > r["height"] {
		t.Errorf("%s is at %.0f–%.0f px of a page %.0f px tall, below the first screen of %.0f px", what, r["top"], r["bottom"], r["page"], r["height"])
	}
}

// The class page puts the next step first, on a laptop and on a phone, in Danish and in Arabic:
// for the facilitator of a new class, the code that invites the parents; once families have
// joined a class with no agreement, starting the parents' agreement; once one is being written,
// the way to it, for the facilitator and for a parent.
func TestClassPagePutsTheNextStepFirst(t *testing.T) {
	t.Parallel()
	root := browser(t)
	app := apptest.New(t)
	screens := []struct {
		name string
		w, h int64
	}{{"laptop", 1366, 768}, {"phone", 390, 844}}
	for _, lang := range []string{"da", "ar"} {
		t.Run(lang, func(t *testing.T) {
			t.Parallel()
			class := app.NewClass("4.B", 4)
			fac := login(t, root, app, class.Facilitator)
			do(t, fac, "speak "+lang, inLanguage(app, lang))
			for _, s := range screens {
				do(t, fac, "a new class on a "+s.name, chromedp.EmulateViewport(s.w, s.h), chromedp.Navigate(app.URL+"/c/"+class.ID), ready())
				inFirstScreen(t, fac, "[data-testid=parent-code]", "the parents' code of a new class on a "+s.name)
			}
			var parent string
			for i := range 6 {
				_, tok := app.Join(class.ParentCode, fmt.Sprintf("Forælder %d", i+1), fmt.Sprintf("Barn %d", i+1))
				parent = tok
			}
			for _, s := range screens {
				do(t, fac, "the class page on a "+s.name, chromedp.EmulateViewport(s.w, s.h), chromedp.Navigate(app.URL+"/c/"+class.ID), ready())
				inFirstScreen(t, fac, "#new-parents-h", "starting the parents' agreement on a "+s.name)
				noSidewaysScroll(t, fac, "the class page on a "+s.name)
				shoot(t, fac, "class-start-"+s.name+"-"+lang)
			}
			a := app.NewAgreement(class, "parents", "first-smartphone", "class-chat")
			link := `[data-testid=next-action] a[href="/a/` + a.ID + `"]`
			for _, s := range screens {
				do(t, fac, "the class page on a "+s.name, chromedp.EmulateViewport(s.w, s.h), chromedp.Navigate(app.URL+"/c/"+class.ID), ready())
				inFirstScreen(t, fac, link, "the agreement being written, for the facilitator on a "+s.name)
			}
			p := login(t, root, app, parent)
			do(t, p, "a parent's class page", phone(), inLanguage(app, lang), chromedp.Navigate(app.URL+"/c/"+class.ID), ready())
			inFirstScreen(t, p, link, "the agreement being written, for a parent on a phone")
			shoot(t, p, "class-draft-phone-"+lang)
			do(t, p, "follow it", chromedp.Click(css(link)), waitPath("/a/"+a.ID), ready())
		})
	}
}
