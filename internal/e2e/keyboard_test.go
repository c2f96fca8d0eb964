package e2e

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"klasseaftale/internal/apptest"
)

// tabTo presses Tab until the focus is on the element, as a keyboard user moves through the
// page; it fails if the element cannot be reached within limit presses. The focused element
// must show that it has the focus.
func tabTo(t *testing.T, ctx context.Context, selector string, limit int) {
	t.Helper()
	for range limit {
		if eval[bool](t, ctx, `document.activeElement?.matches(`+jsString(selector)+`) ?? false`) {
			outline := eval[string](t, ctx, `getComputedStyle(document.activeElement).outlineStyle`)
			if outline == "none" {
				t.Errorf("%s has the focus but shows no outline", selector)
			}
			return
		}
		do(t, ctx, "Tab", chromedp.KeyEvent(kb.Tab))
	}
	t.Fatalf("%s cannot be reached with Tab (%d presses)", selector, limit)
}

func press(t *testing.T, ctx context.Context, keys string) {
	t.Helper()
	do(t, ctx, "keys "+keys, chromedp.KeyEvent(keys))
}

// A parent joins, writes and votes with the keyboard alone.
func TestKeyboardOnly(t *testing.T) {
	t.Parallel()
	root := browser(t)
	app := apptest.New(t)
	class := app.NewClass("2.A", 2)
	_, other := app.Join(class.ParentCode, "Mor til Omar", "Omar")
	draft := app.NewAgreement(class, "parents", "photos")
	clause := draft.Clauses[0].ID
	p := person(t, root)

	do(t, p, "open the join link from the QR code", chromedp.Navigate(app.URL+"/join?code="+class.ParentCode), ready())
	tabTo(t, p, "#join-name", 40)
	press(t, p, "Far til Ida")
	tabTo(t, p, "#join-child", 10)
	press(t, p, "Ida"+kb.Enter)
	do(t, p, "joined: the editor, where the meeting is", waitPath("/a/"+draft.ID), ready(), connected())
	tabTo(t, p, "#clause-"+clause+" textarea.clause-body", 40)
	do(t, p, "Ctrl+End", chromedp.KeyEvent(kb.End, chromedp.KeyModifiers(chromedp.ModifierCtrl)))
	words := " Skrevet med tastaturet."
	press(t, p, words)
	do(t, p, "saved", waitJS(`document.querySelector('#clause-`+clause+` .saved').dataset.state === 'saved'`))
	if body := serverText(t, app, class, draft.ID, clause); len(body) < len(words) || body[len(body)-len(words):] != words {
		t.Fatalf("the server has %q", body)
	}

	app.Must(http.StatusOK, "POST", "/api/v1/agreements/"+draft.ID+"/voting", class.Facilitator,
		map[string]any{"quorum_percent": 0, "threshold_percent": 50}, nil)
	do(t, p, "the ballot", chromedp.WaitVisible(css("#ballot")), ready())
	form := "#clause-" + clause + " form.vote-form"
	do(t, p, "the ballot is bound", ballotReady())
	tabTo(t, p, form+` input[name=choice]`, 60)
	press(t, p, " ") // Space checks the focused radio button ("Ja") and saves it
	do(t, p, "voted", waitJS(`document.querySelector('#clause-`+clause+` [data-testid=vote-state]').dataset.state === 'saved'`))
	// One answer is too few to show how it went: the results count it; the household's own
	// ballot shows its answer.
	res := app.Do("GET", "/api/v1/agreements/"+draft.ID+"/results", class.Facilitator, nil)
	if res.Status != http.StatusOK || !strings.Contains(string(res.Body), `"answers":1`) {
		t.Errorf("results after a keyboard vote: %s", res.Body)
	}
	do(t, p, "the ballot after voting", ready())
	if got := eval[string](t, p, `document.querySelector('`+form+` input[name=choice]:checked')?.value ?? ''`); got != "yes" {
		t.Errorf("the household's ballot shows %q, want yes", got)
	}
	_ = other
}
