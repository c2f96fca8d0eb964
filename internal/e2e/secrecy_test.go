package e2e

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"klasseaftale/internal/apptest"
)

// The meeting view on the projector shows, live, how many have answered a clause and nothing
// more until five have; then the bars appear. The ballot says so in words. Danish and Arabic.
func TestMeetingViewMasksSmallResults(t *testing.T) {
	t.Parallel()
	root := browser(t)
	for _, lang := range []string{"da", "ar"} {
		t.Run(lang, func(t *testing.T) {
			app := apptest.New(t)
			class := app.NewClass("6.A", 6)
			var tokens []string
			for i := range 6 {
				_, tok := app.Join(class.ParentCode, fmt.Sprintf("Forælder %d", i), fmt.Sprintf("Barn %d", i))
				tokens = append(tokens, tok)
			}
			a := app.NewAgreement(class, "parents", "photos")
			clause := a.Clauses[0].ID
			app.Must(http.StatusOK, "POST", "/api/v1/agreements/"+a.ID+"/voting", class.Facilitator,
				map[string]any{"quorum_percent": 0, "threshold_percent": 50}, nil)
			projector := login(t, root, app, class.Facilitator)
			do(t, projector, "the meeting view", phone(), chromedp.Navigate(app.URL+"/a/"+a.ID+"/meeting?lang="+lang),
				waitJS(`document.getElementById('cast').textContent === '0' && document.querySelector('#clause-votes [data-testid=masked]')`))
			answers := []string{"yes", "no", "yes_but", "no_but", "abstain"}
			for i, ans := range answers[:4] {
				app.Must(http.StatusOK, "PUT", "/api/v1/agreements/"+a.ID+"/votes", tokens[i],
					map[string]any{"clause_id": clause, "choice": ans, "reason": "Grund " + ans}, nil)
				do(t, projector, fmt.Sprintf("%d answered", i+1), waitJS(fmt.Sprintf(
					`document.getElementById('cast').textContent === '%d' && document.querySelector('#clause-votes [data-testid=masked]')?.textContent.includes('%d')`, i+1, i+1)))
				if text := eval[string](t, projector, `document.getElementById('clause-votes').innerText`); strings.Contains(text, "Grund") ||
					eval[int](t, projector, `document.querySelectorAll('#clause-votes .bar-row').length`) != 0 {
					t.Errorf("after %d answers the projector shows %q", i+1, text)
				}
			}
			screenshot(t, projector, "meeting-masked-"+lang)

			voter := login(t, root, app, tokens[5])
			do(t, voter, "the ballot", phone(), chromedp.Navigate(app.URL+"/a/"+a.ID+"?lang="+lang), ready(),
				chromedp.WaitVisible(css("#clause-"+clause+" [data-testid=masked]")), chromedp.WaitVisible(css("[data-testid=vote-secret]")))
			screenshot(t, voter, "ballot-masked-"+lang)

			app.Must(http.StatusOK, "PUT", "/api/v1/agreements/"+a.ID+"/votes", tokens[4], map[string]any{"clause_id": clause, "choice": answers[4]}, nil)
			do(t, projector, "five answered: the bars", waitJS(`document.querySelectorAll('#clause-votes .bar-row').length === 5 && !document.querySelector('#clause-votes [data-testid=masked]')`))
			if text := eval[string](t, projector, `document.getElementById('clause-votes').innerText`); !strings.Contains(text, "Grund yes_but") && !strings.Contains(text, "Grund no_but") {
				t.Errorf("five answers: the reasons are not shown: %q", text)
			}
			screenshot(t, projector, "meeting-shown-"+lang)
		})
	}
}
