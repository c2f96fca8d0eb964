package e2e

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"klasseaftale/internal/apptest"
)

// A parent signs with the keyboard alone, in Danish and in Arabic: the page stays where it is
// (no reload, nothing lost), the count of families behind the agreement goes up in place, and
// the focus lands on the words saying that they signed, which a screen reader then reads.
func TestSignWithoutReload(t *testing.T) {
	t.Parallel()
	root := browser(t)
	for _, lang := range []string{"da", "ar"} {
		t.Run(lang, func(t *testing.T) {
			t.Parallel()
			app := apptest.New(t)
			class := app.NewClass("6.C", 6)
			_, tok := app.Join(class.ParentCode, "Mor til Ida", "Ida")
			_, other := app.Join(class.ParentCode, "Far til Omar", "Omar")
			draft := app.NewAgreement(class, "parents", "photos")
			app.Adopt(class, draft.ID, tok, other)
			app.Must(http.StatusOK, "POST", "/api/v1/agreements/"+draft.ID+"/publish", class.Facilitator, nil, nil)

			p := login(t, root, app, tok)
			do(t, p, "the agreement's page", phone(), chromedp.Navigate(app.URL+"/a/"+draft.ID+"?lang="+lang), ready(),
				chromedp.Evaluate[chromedp.Void](`window.stayed = true`))
			before := eval[string](t, p, `document.querySelector('[data-testid=commitment]').textContent`)
			tabTo(t, p, "#sign button[type=submit]", 80)
			do(t, p, "Enter", chromedp.KeyEvent(kb.Enter), waitJS(`document.querySelector('[data-testid=my-signature]')`))
			if !eval[bool](t, p, `window.stayed === true`) {
				t.Fatal("signing reloaded the page")
			}
			after := eval[string](t, p, `document.querySelector('[data-testid=commitment]').textContent`)
			if after == before || !strings.Contains(after, "1") {
				t.Errorf("the commitment reads %q after signing, %q before", after, before)
			}
			if focus := eval[string](t, p, `document.activeElement.dataset.testid || document.activeElement.tagName`); focus != "my-signature" {
				t.Errorf("after signing the focus is on %s, not on the words saying so", focus)
			}
			noSidewaysScroll(t, p, "the signed agreement in "+lang)
			shoot(t, p, "signed-"+lang)
		})
	}
}
