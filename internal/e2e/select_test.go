package e2e

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"klasseaftale/internal/apptest"
)

// cutLists lists the lists (select) whose line is lower than the letters of one of their
// choices reach, measured from the drawn letters in the list's own font: there the browser
// cuts the tops of Nastaliq's stacks or Arabic's marks off.
const cutLists = `(async () => {
  const out = [];
  for (const s of document.querySelectorAll('select')) {
    if (!s.getClientRects().length) continue;
    const cs = getComputedStyle(s);
    const font = cs.fontStyle + ' ' + cs.fontWeight + ' ' + cs.fontSize + ' ' + cs.fontFamily;
    const line = s.clientHeight - parseFloat(cs.paddingTop) - parseFloat(cs.paddingBottom);
    const c = document.createElement('canvas').getContext('2d');
    for (const o of s.options) {
      await document.fonts.load(font, o.text);
      c.font = font;
      const m = c.measureText(o.text);
      const ink = m.actualBoundingBoxAscent + m.actualBoundingBoxDescent;
      if (ink > line) out.push('«' + o.text + '» is ' + ink.toFixed(1) + ' px high in a list ' + line.toFixed(1) + ' px high');
    }
  }
  window.kaCut = out;
})(), true`

// Lists show their choices whole in every script: a draft's and a ballot's lists of an
// agreement written in Danish, Arabic, Farsi and Urdu, on a phone in the same language.
func TestListsShowTheirWholeText(t *testing.T) {
	t.Parallel()
	root := browser(t)
	app := apptest.New(t)
	class := app.NewClass("4.B", 4)
	_, mor := app.Join(class.ParentCode, "Mor til Ida", "Ida")
	p := login(t, root, app, mor)
	for _, lang := range []string{"da", "ar", "fa", "ur"} {
		var draft, ballot struct{ ID string }
		for _, a := range []*struct{ ID string }{&draft, &ballot} {
			app.Must(http.StatusCreated, "POST", "/api/v1/classes/"+class.ID+"/agreements", class.Facilitator,
				map[string]any{"kind": "parents", "templates": []string{"first-smartphone", "social-media", "class-chat"}, "lang": lang}, a)
		}
		app.Must(http.StatusOK, "POST", "/api/v1/agreements/"+ballot.ID+"/voting", class.Facilitator, map[string]any{"quorum_percent": 0, "threshold_percent": 50}, nil)
		for what, id := range map[string]string{"the draft": draft.ID, "the ballot": ballot.ID} {
			do(t, p, what+" in "+lang, phone(), speak(app.URL, lang, "/a/"+id), ready(),
				chromedp.Evaluate[chromedp.Void](`window.kaCut = null`), waitJS(cutLists), waitJS(`window.kaCut`))
			if n := eval[int](t, p, `document.querySelectorAll('select').length`); n < 3 {
				t.Fatalf("%s in %s: %d lists", what, lang, n)
			}
			for _, cut := range eval[[]string](t, p, `window.kaCut`) {
				t.Errorf("%s in %s: %s", what, lang, cut)
			}
			noSidewaysScroll(t, p, what+" in "+lang)
			do(t, p, "the last list in view", chromedp.Evaluate[chromedp.Void](`[...document.querySelectorAll('select')].at(-1).scrollIntoView({block: 'center'})`))
			shoot(t, p, "lists-"+lang+"-"+strings.Fields(what)[1])
		}
	}
}
