package e2e

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"klasseaftale/internal/apptest"
)

// The facilitator creates the class space, two parents join with the code in their own
// browsers, the facilitator starts an agreement from two templates, a parent edits a clause,
// the facilitator publishes, and the public page shows the edited text and the help line.
func TestFoundationFlow(t *testing.T) {
	t.Parallel()
	root := browser(t)
	app := apptest.New(t)
	fac := person(t, root)

	do(t, fac, "create the class space",
		chromedp.Navigate(app.URL+"/"),
		chromedp.SendKeys(css("#class-name"), "4.B"),
		chromedp.SetValue(css("#class-grade"), "4"),
		chromedp.SendKeys(css("#class-you"), "Lærer Lone"),
		chromedp.Click(css(`#create-class button[type=submit]`)),
		chromedp.WaitVisible(css("#class-created")),
	)
	facLink := get(t, fac, "read the link", chromedp.Text(css("#class-created .secret a")))
	if !strings.Contains(facLink, "/k/") {
		t.Fatalf("facilitator link %q", facLink)
	}
	do(t, fac, "go to the class", chromedp.Click(css("#class-created a.button")), waitPath("/c/"))
	parentCode := get(t, fac, "read the code", chromedp.Text(css(`[data-testid=parent-code]`)))
	if n := eval[int](t, fac, `document.querySelectorAll('svg.qr').length`); n != 2 {
		t.Errorf("%d QR codes on the class page, want 2", n)
	}

	var parents []context.Context
	for _, p := range []struct{ name, child string }{{"Mor til Ida", "Ida"}, {"Far til Omar", "Omar"}} {
		ctx := person(t, root)
		parents = append(parents, ctx)
		do(t, ctx, "join as "+p.name,
			chromedp.Navigate(app.URL+"/join"),
			chromedp.SendKeys(css("#join-code"), strings.ToLower(parentCode)),
			chromedp.Submit(css("#join-code")),
			chromedp.WaitVisible(css("#join-name")),
			chromedp.SendKeys(css("#join-name"), p.name),
			chromedp.SendKeys(css("#join-child"), p.child),
			chromedp.Click(css("#join-form button[type=submit]")),
			waitPath("/c/"),
		)
	}

	do(t, fac, "see the households", chromedp.Reload(), chromedp.WaitVisible(css("#households")))
	if h := get(t, fac, "households", chromedp.Text(css("#households-h"))); !strings.Contains(h, "2") {
		t.Errorf("households heading %q, want 2 families", h)
	}
	do(t, fac, "start the agreement from two templates",
		chromedp.Click(css(`#new-parents input[value="first-smartphone"]`)),
		chromedp.Click(css(`#new-parents input[value="photos"]`)),
		chromedp.Click(css(`#new-parents button[type=submit]`)),
		waitPath("/a/"),
	)
	agreementPath := eval[string](t, fac, `location.pathname`)
	if n := eval[int](t, fac, `document.querySelectorAll('#clauses > li').length`); n < 2 {
		t.Fatalf("%d clauses from two templates", n)
	}

	edited := "Vi venter med smartphonen, til hele klassen er klar – skrevet af forældrene."
	first := `#clauses > li:first-child `
	do(t, parents[0], "a parent edits a clause",
		chromedp.Navigate(app.URL+agreementPath),
		waitJS(`document.getElementById('live').dataset.state === 'connected'`),
		chromedp.Evaluate[chromedp.Void](`document.querySelector('`+first+`textarea').select()`),
		chromedp.SendKeys(css(first+"textarea"), edited),
		waitJS(`document.querySelector('`+first+`.saved').dataset.state === 'saved' && document.querySelector('`+first+`textarea').value === `+jsString(edited)),
	)
	// The class votes, and the facilitator publishes what it adopted.
	openVote(t, fac, app, strings.TrimPrefix(agreementPath, "/a/"))
	ids := eval[[]string](t, fac, `[...document.querySelectorAll('#ballot > li')].map((li) => li.id.replace('clause-', ''))`)
	for _, p := range parents {
		// A parent whose page was on the draft sees it turn into the ballot by itself when the
		// vote opens; the others open it.
		if eval[string](t, p, `location.pathname`) != agreementPath {
			do(t, p, "open the ballot", chromedp.Navigate(app.URL+agreementPath))
		}
		do(t, p, "see the ballot", waitJS(`document.querySelector('#ballot > li') && document.readyState === 'complete'`), ready())
		for _, id := range ids {
			vote(t, p, id, "yes", "")
		}
	}
	do(t, fac, "close the vote and publish",
		chromedp.Reload(),
		ready(),
		acceptConfirms,
		chromedp.Click(css("#close-vote button")),
		chromedp.WaitVisible(css("#publish")),
		ready(),
		acceptConfirms,
		chromedp.Click(css("#publish button")),
		waitPath("/p/"),
	)
	page := get(t, fac, "read the poster", chromedp.Text(css("main")))
	if !strings.Contains(page, edited) || !strings.Contains(page, "116 111") {
		t.Errorf("published page lacks the edited text or 116 111:\n%s", page)
	}

	// Anyone with the address reads it, without joining.
	publishedPath := eval[string](t, fac, `location.pathname`)
	stranger := person(t, root)
	do(t, stranger, "a stranger opens the published page", chromedp.Navigate(app.URL+publishedPath))
	if p := get(t, stranger, "read", chromedp.Text(css("main"))); !strings.Contains(p, edited) {
		t.Error("the published page is not readable without joining")
	}
}
