package e2e

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"klasseaftale/internal/apptest"
)

// A person double-clicks "Opret" and, once the link is on the screen, tries the button again:
// one class is made, the form is gone, and the one link shown signs in as its facilitator. In
// Danish and Arabic, on a phone.
func TestCreateClassOnce(t *testing.T) {
	t.Parallel()
	root := browser(t)
	for _, lang := range []string{"da", "ar"} {
		t.Run(lang, func(t *testing.T) {
			app := apptest.New(t)
			p := person(t, root)
			const button = `#create-class button[type=submit]`
			do(t, p, "fill in the class", phone(), chromedp.Navigate(app.URL+"/?lang="+lang), ready(),
				chromedp.SendKeys(css("#class-name"), "4.B"),
				chromedp.SendKeys(css("#class-you"), "Lærer Lise"),
				chromedp.DoubleClick(css(button)),
				chromedp.WaitVisible(css("#class-created")),
			)
			// A third press, wherever the button is now: on a form still on the screen it would
			// make another class and show another link.
			do(t, p, "press again", chromedp.Evaluate[chromedp.Void](`document.querySelector('`+button+`').click()`),
				waitJS(`!document.getElementById('create-class').hasAttribute('aria-busy')`))
			if n := app.Count("classes"); n != 1 {
				t.Fatalf("%d classes after pressing Opret three times, want 1", n)
			}
			if eval[bool](t, p, `document.getElementById('create-class').getClientRects().length > 0`) {
				t.Error("the form is still on the screen after the class was made")
			}
			noSidewaysScroll(t, p, "the class made")
			shoot(t, p, "class-created-"+lang)
			link := eval[string](t, p, `document.querySelector('#class-created .secret a').href`)
			q := person(t, root)
			do(t, q, "the link shown signs in", chromedp.Navigate(link),
				chromedp.WaitVisible(css(`[data-testid=key-continue]`)), chromedp.Click(css(`[data-testid=key-continue]`)),
				waitPath("/c/"), chromedp.WaitVisible(css("#replace-key")))
		})
	}
}

// A facilitator who lost the link makes a new one from the phone still signed in: the phone
// stays signed in, the new link signs in elsewhere, and the old one no longer does.
func TestReplaceTheFacilitatorLink(t *testing.T) {
	t.Parallel()
	root := browser(t)
	app := apptest.New(t)
	class := app.NewClass("4.B", 4)
	old := class.Facilitator
	fac := login(t, root, app, old)
	for _, lang := range []string{"da", "ar"} { // the link is made on the Arabic page, right to left
		do(t, fac, "the class page", phone(), chromedp.Navigate(app.URL+"/c/"+class.ID+"?lang="+lang), ready(),
			chromedp.WaitVisible(css("#replace-key button")), centre("#replace-key"))
		noSidewaysScroll(t, fac, "the class page")
		shoot(t, fac, "key-before-"+lang)
	}
	do(t, fac, "make a new link", acceptConfirms, chromedp.Click(css("#replace-key button")),
		chromedp.WaitVisible(css("#key-created [data-testid=new-key]")), centre("#key-created"))
	noSidewaysScroll(t, fac, "the new link")
	shoot(t, fac, "key-replaced-ar")
	link := eval[string](t, fac, `document.querySelector('[data-testid=new-key]').href`)
	if !strings.Contains(link, "/k/") || strings.HasSuffix(link, "/k/"+old) {
		t.Fatalf("the new link %q", link)
	}
	if eval[bool](t, fac, `document.getElementById('replace-key').getClientRects().length > 0`) {
		t.Error("the form is still on the screen after the link was made")
	}
	do(t, fac, "the phone is still signed in", chromedp.Reload(), ready(), chromedp.WaitVisible(css("#replace-key")))

	if r := app.Do("GET", "/api/v1/me", old, nil); r.Status != http.StatusUnauthorized {
		t.Errorf("the old link still signs in: %d", r.Status)
	}
	stranger := person(t, root)
	do(t, stranger, "the old link", chromedp.Navigate(app.URL+"/k/"+old), waitJS(`document.readyState === 'complete'`))
	if eval[bool](t, stranger, `!!document.querySelector('[data-testid=key-continue]')`) {
		t.Error("the old link still offers to sign in")
	}
	laptop := person(t, root)
	do(t, laptop, "the new link signs in", chromedp.Navigate(link),
		chromedp.WaitVisible(css(`[data-testid=key-continue]`)), chromedp.Click(css(`[data-testid=key-continue]`)),
		waitPath("/c/"+class.ID), chromedp.WaitVisible(css("#replace-key")))
}
