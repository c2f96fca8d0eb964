package e2e

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"klasseaftale/internal/apptest"
	"klasseaftale/internal/liveclient"
)

// news is what the editor's polite region last said to a screen reader.
const news = `document.querySelector('[data-testid=editor-news]').textContent`

// What someone else does in the draft is told without taking the person's place: a title
// changed by another keeps the caret where it was in the text, a change to the list the person
// is on is said, a point added is said with its number and title, and adding a point offline
// says it cannot be done yet. In Danish and Arabic, on a phone.
func TestOthersChangesAreToldNotJumped(t *testing.T) {
	t.Parallel()
	root := browser(t)
	for _, lang := range []string{"da", "ar"} {
		t.Run(lang, func(t *testing.T) {
			app := apptest.New(t)
			class := app.NewClass("4.B", 4)
			_, mor := app.Join(class.ParentCode, "Mor til Ida", "Ida")
			_, far := app.Join(class.ParentCode, "Far til Omar", "Omar")
			draft := app.NewAgreement(class, "parents", "first-smartphone", "photos")
			first := draft.Clauses[0].ID
			other := &liveclient.Client{URL: app.URL, Agree: draft.ID, Token: far, ID: "fars-telefon"}
			if err := other.Connect(context.Background()); err != nil {
				t.Fatal(err)
			}
			defer other.Close()
			send := func(m map[string]any) {
				b, _ := json.Marshal(m)
				if err := other.SendRaw(b); err != nil {
					t.Fatal(err)
				}
			}
			p := login(t, root, app, mor)
			do(t, p, "open the draft", phone(), speak(app.URL, lang, "/a/"+draft.ID), ready(), connected())
			msgs := func(key string) string {
				return eval[string](t, p, `document.getElementById('live').dataset[`+jsString(key)+`]`)
			}

			// The caret in the title, after "Vi ", while the other puts words in front of it.
			title := `#clause-` + first + ` .clause-title`
			do(t, p, "the caret in the title", chromedp.Focus(css(title)),
				chromedp.Evaluate[chromedp.Void](`document.querySelector('`+title+`').setSelectionRange(3, 3)`))
			old := eval[string](t, p, `document.querySelector('`+title+`').value`)
			send(map[string]any{"type": "clause.title", "clause": first, "title": "Nu: " + old})
			do(t, p, "the other's words in front arrive", waitJS(`document.querySelector('`+title+`').value.startsWith('Nu: ')`))
			if at := eval[int](t, p, `document.querySelector('`+title+`').selectionStart`); at != 3+len("Nu: ") {
				t.Errorf("the caret stood after %q; after the other's words in front it is at %d, want %d", old[:3], at, 3+len("Nu: "))
			}
			send(map[string]any{"type": "clause.title", "clause": first, "title": "Nu: " + old + " også"})
			do(t, p, "the other's words behind arrive", waitJS(`document.querySelector('`+title+`').value.endsWith(' også')`))
			if at := eval[int](t, p, `document.querySelector('`+title+`').selectionStart`); at != 3+len("Nu: ") {
				t.Errorf("after the other's words behind the caret moved to %d, want %d", at, 3+len("Nu: "))
			}
			if focused := eval[bool](t, p, `document.activeElement === document.querySelector('`+title+`')`); !focused {
				t.Error("the other's change took the focus from the title")
			}

			// On the list of the first point, the other chooses another age.
			sel := `#clause-` + first + ` select.clause-value`
			do(t, p, "on the list", chromedp.Focus(css(sel)))
			send(map[string]any{"type": "clause.value", "clause": first, "value": "14"})
			do(t, p, "the other's choice arrives", waitJS(`document.querySelector('`+sel+`').value === '14'`))
			do(t, p, "it is said", waitJS(news+`.includes(`+jsString(msgs("msgChangedByOther"))+`)`))
			if said := eval[string](t, p, news); !strings.Contains(said, "14") {
				t.Errorf("the change of the list is told as %q, without the new choice", said)
			}

			// The other adds a point: told with its number and title.
			send(map[string]any{"type": "clause.add", "title": "Skærmfri søndag", "body": "Om søndagen er skærmene slukket."})
			do(t, p, "the new point is said", waitJS(news+`.includes('Skærmfri søndag')`))
			said := eval[string](t, p, news)
			if no := strconv.Itoa(len(draft.Clauses) + 1); !strings.Contains(said, msgs("msgAdded")) || !strings.Contains(said, no) {
				t.Errorf("a new point %s is told as %q", no, said)
			}
			screenshot(t, p, "others-changes-"+lang)

			// Offline, adding a point says it cannot be added yet, and sends nothing.
			do(t, p, "offline", offline(true), waitJS(`document.getElementById('live').dataset.state === 'offline'`),
				chromedp.SendKeys(css("#add-title"), "Offline punkt"), chromedp.Click(css(`#add-clause button[type=submit]`)),
				waitJS(`!document.querySelector('#add-clause .form-error').hidden`))
			if got, want := eval[string](t, p, `document.querySelector('#add-clause .form-error').textContent`), msgs("msgAddOffline"); got != want || want == "" {
				t.Errorf("adding offline says %q, want %q", got, want)
			}
			do(t, p, "online again", offline(false), connected())
			var a struct{ Clauses []struct{ Title string } }
			app.Must(http.StatusOK, "GET", "/api/v1/agreements/"+draft.ID, mor, nil, &a)
			for _, c := range a.Clauses {
				if c.Title == "Offline punkt" {
					t.Error("the point added offline reached the server")
				}
			}
			noSidewaysScroll(t, p, "the draft after the others' changes")
		})
	}
}

// A reason typed on the ballot and not yet sent when the vote closes is not lost: the page
// that shows the result shows it, to copy, and says it did not count.
func TestUnsentReasonSurvivesTheClose(t *testing.T) {
	t.Parallel()
	root := browser(t)
	for _, lang := range []string{"da", "ar"} {
		t.Run(lang, func(t *testing.T) {
			app := apptest.New(t)
			class, draft, tok := fiveClauses(t, app)
			p := login(t, root, app, tok)
			do(t, p, "open the ballot", phone(), speak(app.URL, lang, "/a/"+draft.ID), ballotReady())
			cl := draft.Clauses[0].ID
			tapAnswer(t, p, cl, "yes_but")
			reason := "Men først efter sommerferien"
			do(t, p, "type a reason, not leaving the field", chromedp.Focus(css("#reason-"+cl)),
				chromedp.SendKeys(css("#reason-"+cl), reason))
			app.Must(http.StatusOK, "POST", "/api/v1/agreements/"+draft.ID+"/close", class.Facilitator, nil, nil)
			do(t, p, "the result replaces the ballot", waitJS(`location.search.includes('was=voting') && document.readyState === 'complete'`),
				waitJS(`document.querySelector('[data-testid=unsent] textarea')`))
			if got := eval[string](t, p, `document.querySelector('[data-testid=unsent] textarea').value`); got != reason {
				t.Errorf("the unsent reason shown is %q, want %q", got, reason)
			}
			want := eval[string](t, p, `document.getElementById('watch').dataset.msgUnsent`)
			if got := eval[string](t, p, `document.querySelector('[data-testid=unsent] [role=alert]').textContent`); got != want || want == "" {
				t.Errorf("the page says %q, want %q", got, want)
			}
			noSidewaysScroll(t, p, "the result with the unsent reason")
			screenshot(t, p, "unsent-reason-"+lang)
			do(t, p, "reload", chromedp.Reload(), ready())
			if n := eval[int](t, p, `document.querySelectorAll('[data-testid=unsent]').length`); n != 0 {
				t.Error("the unsent reason is shown again after a reload; it is shown once")
			}
		})
	}
}
