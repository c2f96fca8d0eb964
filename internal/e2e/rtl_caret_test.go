package e2e

import (
	"context"
	"testing"

	"github.com/chromedp/chromedp"

	"klasseaftale/internal/apptest"
	"klasseaftale/internal/liveclient"
)

// inView is true when the page does not scroll sideways, stands at its start, and the
// element sel is on the screen.
func inView(sel string) string {
	return `(() => {
	  const s = document.scrollingElement;
	  if (s.scrollWidth > innerWidth || s.scrollLeft !== 0) return false;
	  const r = document.querySelector(` + jsString(sel) + `).getBoundingClientRect();
	  return r.right > 0 && r.left < innerWidth && r.bottom > 0 && r.top < innerHeight;
	})()`
}

// In Arabic, Farsi and Urdu, another parent's caret drawn in the clause a parent is writing in
// leaves the page as wide as the phone and the clause on the screen, wherever in the line the
// caret stands.
func TestRemoteCaretKeepsRightToLeftPageInView(t *testing.T) {
	t.Parallel()
	root := browser(t)
	app := apptest.New(t)
	class := app.NewClass("4.B", 4)
	_, mor := app.Join(class.ParentCode, "فاطمة", "Ida")
	_, far := app.Join(class.ParentCode, "Far til Omar", "Omar")
	draft := app.NewAgreement(class, "parents", "photos")
	clause := draft.Clauses[0].ID
	ta := `#clause-` + clause + ` textarea.clause-body`

	other := &liveclient.Client{URL: app.URL, Agree: draft.ID, Token: far, ID: "fars-telefon"}
	if err := other.Connect(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer other.Close()

	ctx := person(t, root)
	do(t, ctx, "sign in", phone(), signIn(app.URL, mor))
	for _, lang := range []string{"ar", "fa", "ur"} {
		do(t, ctx, "open the draft in "+lang,
			chromedp.Navigate(app.URL+"/a/"+draft.ID+"?lang="+lang), ready(), connected(),
			centre(ta), caretAtEnd(ta),
		)
		// At the start, in the middle and at the end of its lines: the end of a line is at the
		// left edge of the field, where the caret's name would stick out.
		for at := 0; at < len(draft.Clauses[0].Body); at += 23 {
			caret := `document.querySelector('#clause-` + clause + ` .caret')`
			was := eval[string](t, ctx, `(`+caret+` || {style: {}}).style.left || ''`)
			if err := other.Presence(clause, [2]int{at, at}); err != nil {
				t.Fatal(err)
			}
			do(t, ctx, "the caret is drawn in "+lang,
				waitJS(caret+` && `+caret+`.textContent === 'Far til Omar' && `+caret+`.style.left !== `+jsString(was)))
			if !eval[bool](t, ctx, inView(ta)) {
				w := eval[int](t, ctx, `document.scrollingElement.scrollWidth`)
				t.Errorf("%s, a caret at %d: the page is %d px wide on a %d px screen, scrolled to %d, or the clause is off the screen",
					lang, at, w, eval[int](t, ctx, `innerWidth`), eval[int](t, ctx, `document.scrollingElement.scrollLeft`))
			}
			if !eval[bool](t, ctx, `(() => { const n = document.querySelector('#clause-`+clause+` .caret-name').getBoundingClientRect();
				const f = document.querySelector('`+ta+`').getBoundingClientRect(); return n.left >= f.left && n.right <= f.right; })()`) {
				t.Errorf("%s, a caret at %d: the name sticks out of the field", lang, at)
			}
			shoot(t, ctx, "remote-caret-"+lang)
		}
	}
}
