package e2e

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"klasseaftale/internal/apptest"
)

// recordLiveRegions has the page keep, in window.told, the text of each live region each time
// it changes: what a screen reader would announce.
var recordLiveRegions = chromedp.Evaluate[chromedp.Void](`(() => {
  window.told = [];
  new MutationObserver((changes) => {
    const regions = new Set();
    for (const m of changes) {
      const el = m.target.nodeType === Node.ELEMENT_NODE ? m.target : m.target.parentElement;
      const region = el && el.closest('[aria-live]:not([aria-live=off])');
      if (region) regions.add(region);
    }
    for (const r of regions) if (r.textContent.trim()) window.told.push(r.textContent.trim());
  }).observe(document.body, { subtree: true, childList: true, characterData: true });
})()`)

// Five households vote while the meeting view is on the projector: a screen reader on the
// facilitator's computer hears how many have voted once or twice, not the whole point with its
// bars and reasons at every vote; moving to the next point says which point it is.
func TestMeetingAnnouncesLittle(t *testing.T) {
	t.Parallel()
	root := browser(t)
	app := apptest.New(t)
	class := app.NewClass("5.B", 5)
	var tokens []string
	for _, child := range []string{"Ida", "Omar", "Sofie", "Ali", "Emma", "Noah"} {
		_, tok := app.Join(class.ParentCode, "Forælder til "+child, child)
		tokens = append(tokens, tok)
	}
	draft := app.NewAgreement(class, "parents", "photos", "class-chat")
	app.Must(http.StatusOK, "POST", "/api/v1/agreements/"+draft.ID+"/voting", class.Facilitator,
		map[string]any{"quorum_percent": 0, "threshold_percent": 50}, nil)

	fac := login(t, root, app, class.Facilitator)
	do(t, fac, "the meeting view", projectorScreen(), chromedp.Navigate(app.URL+"/a/"+draft.ID+"/meeting?lang=da"), ready(),
		waitJS(`document.getElementById('clause-title').textContent !== ''`), recordLiveRegions)
	for i, tok := range tokens[:5] {
		app.Must(http.StatusOK, "PUT", "/api/v1/agreements/"+draft.ID+"/votes", tok,
			map[string]any{"clause_id": draft.Clauses[0].ID, "choice": []string{"yes", "yes", "no", "abstain", "yes"}[i]}, nil)
		do(t, fac, "the vote is on the screen", waitJS(`document.getElementById('cast').textContent === '`+string(rune('1'+i))+`'`))
	}
	do(t, fac, "the bars are on the screen", waitJS(`document.querySelector('#clause-votes .bar-row')`))
	told := eval[[]string](t, fac, `window.told`)
	t.Logf("announced while five voted: %q", told)
	if len(told) > 2 {
		t.Errorf("five votes made %d announcements, want at most 2: %q", len(told), told)
	}
	for _, s := range told {
		if strings.Contains(s, "Ja:") || strings.Contains(s, draft.Clauses[0].Body) {
			t.Errorf("the bars or the point's text were announced: %q", s)
		}
	}

	do(t, fac, "the next point", chromedp.Click(css("#next")),
		waitJS(`window.told.some((s) => s.includes(`+jsString(draft.Clauses[1].Title)+`))`))
	if strings.Contains(strings.Join(eval[[]string](t, fac, `window.told`), " "), draft.Clauses[1].Body) {
		t.Error("the next point's whole text was announced, not its title")
	}
}
