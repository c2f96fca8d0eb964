package e2e

import (
	"context"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"klasseaftale/internal/apptest"
	"klasseaftale/server/live"
)

// chipsOf counts how often a name stands in the list of who is here.
func chipsOf(name string) string {
	return `[...document.querySelectorAll('#people .person')].filter((e) => e.textContent.startsWith(` + jsString(name) + `)).length`
}

// A parent reloads the agreement three times: the others see her once, at once, not once per
// reload until her old tabs time out (here they would linger for ten minutes).
func TestReloadedTabTakesItsOwnPlace(t *testing.T) {
	t.Parallel()
	root := browser(t)
	cfg := live.DefaultConfig()
	cfg.PresenceTTL = 10 * time.Minute
	app := apptest.New(t, apptest.Options{Live: &cfg})
	class := app.NewClass("4.B", 4)
	_, fatima := app.Join(class.ParentCode, "فاطمة", "Ida")
	_, far := app.Join(class.ParentCode, "Far til Omar", "Omar")
	draft := app.NewAgreement(class, "parents", "photos")

	a, b := person(t, root), person(t, root)
	do(t, b, "the other parent opens the draft", phone(), signIn(app.URL, far), chromedp.Navigate(app.URL+"/a/"+draft.ID+"?lang=ar"), ready(), connected())
	do(t, a, "Fatima opens the draft", phone(), signIn(app.URL, fatima), chromedp.Navigate(app.URL+"/a/"+draft.ID+"?lang=ar"), ready(), connected())
	do(t, b, "sees Fatima", waitJS(chipsOf("فاطمة")+` === 1`))
	for i := 0; i < 3; i++ {
		do(t, a, "Fatima reloads", chromedp.Reload(), ready(), connected())
		do(t, b, "sees Fatima once", waitJS(chipsOf("فاطمة")+` === 1`))
	}
	shoot(t, b, "presence-after-reloads-ar")
}

// A parent types on a phone, whose keyboard gives the page text without key events: the other
// parent sees her caret move along with what she writes, not stay where she began.
func TestRemoteCaretFollowsTyping(t *testing.T) {
	t.Parallel()
	root := browser(t)
	tp := newTwoParents(t)
	app, mor, far, draft, clause := tp.app, tp.mor, tp.far, tp.draft, tp.clause
	ta := `#clause-` + clause + ` textarea.clause-body`
	caret := `document.querySelector('#clause-` + clause + ` .caret')`

	a, b := person(t, root), person(t, root)
	for _, p := range []struct {
		ctx   context.Context
		token string
	}{{a, mor}, {b, far}} {
		do(t, p.ctx, "open the draft", phone(), signIn(app.URL, p.token), chromedp.Navigate(app.URL+"/a/"+draft.ID), ready(), connected(), centre(ta))
	}
	do(t, a, "Mor puts her caret at the start", chromedp.Evaluate[chromedp.Void](`(() => { const t = document.querySelector('`+ta+`'); t.focus(); t.setSelectionRange(0, 0); })()`))
	do(t, b, "Far sees it", waitJS(caret+` && `+caret+`.textContent === 'Mor til Ida'`))
	start := eval[string](t, b, caret+`.style.left + ' ' + `+caret+`.style.insetBlockStart`)
	words := "Vi har talt om det på forældremødet i aften, og "
	do(t, a, "Mor writes a line as a phone keyboard does", chromedp.Evaluate[chromedp.Void](`(() => {
	  const t = document.querySelector('`+ta+`');
	  t.focus();
	  for (const ch of `+jsString(words)+`) document.execCommand('insertText', false, ch);
	})()`))
	do(t, b, "Far has her words", waitJS(`document.querySelector('`+ta+`').value.startsWith(`+jsString(words)+`)`))
	do(t, b, "her caret has moved along", waitJS(caret+` && `+caret+`.style.left + ' ' + `+caret+`.style.insetBlockStart !== `+jsString(start)))
	// Where it stands now is where her words end: the same spot Far's own text would put a caret.
	if !eval[bool](t, b, `(() => {
	  const t = document.querySelector('`+ta+`'), c = `+caret+`.getBoundingClientRect(), f = t.getBoundingClientRect();
	  return c.top > f.top + 20 || c.left > f.left + f.width / 2;
	})()`) {
		t.Errorf("her caret is still near where she began")
	}
	shoot(t, b, "caret-follows-da")
}
