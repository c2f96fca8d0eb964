package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"klasseaftale/internal/apptest"
)

// projectorScreen is the size the meeting is shown at: a classroom projector.
func projectorScreen() chromedp.Action[chromedp.Void] { return chromedp.EmulateViewport(1280, 720) }

// readableFromTheBack fails unless a projector's screen shows the join code on one line and
// whole, has no site header, language menu or footer, fits the screen's width, and shows the
// address to type as the host and /join.
func readableFromTheBack(t *testing.T, ctx context.Context, app *apptest.App, code, what string) {
	t.Helper()
	noSidewaysScroll(t, ctx, what)
	lines := eval[float64](t, ctx, `(() => { const el = document.querySelector(`+jsString(code)+`);
		return el.getBoundingClientRect().height / parseFloat(getComputedStyle(el).lineHeight); })()`)
	if lines > 1.5 {
		t.Errorf("%s: the join code takes %.1f lines", what, lines)
	}
	if out := eval[bool](t, ctx, `(() => { const r = document.querySelector(`+jsString(code)+`).getBoundingClientRect();
		return r.left < 0 || r.right > document.documentElement.clientWidth; })()`); out {
		t.Errorf("%s: the join code runs off the screen", what)
	}
	if px := eval[float64](t, ctx, `parseFloat(getComputedStyle(document.querySelector(`+jsString(code)+`)).fontSize)`); px < 48 {
		t.Errorf("%s: the join code is %.0f px high, too small to read from the back", what, px)
	}
	chrome := eval[string](t, ctx, `['footer.site', 'header.top', '.langs'].filter((s) => {
		const el = document.querySelector(s); return el && el.getClientRects().length > 0; }).join(' ')`)
	if chrome != "" {
		t.Errorf("%s shows the site's %s", what, chrome)
	}
	host := strings.TrimPrefix(strings.TrimPrefix(app.URL, "http://"), "https://")
	if got := eval[string](t, ctx, `document.querySelector('[data-testid=short-url]').textContent.replace(/[\u2068\u2069]/g, '').trim()`); got != host+"/join" {
		t.Errorf("%s: the address to type is %q, want %q", what, got, host+"/join")
	}
	if qr := eval[float64](t, ctx, `document.querySelector('svg.qr').getBoundingClientRect().height / innerHeight`); qr < 0.35 {
		t.Errorf("%s: the QR code is %.0f %% of the screen's height", what, qr*100)
	}
}

// The class's join screen on the projector: the code on one line, a short address, no chrome.
func TestProjectorReadableFromTheBack(t *testing.T) {
	t.Parallel()
	root := browser(t)
	app := apptest.New(t)
	class := app.NewClass("4.B", 4)
	for _, lang := range []string{"da", "ar"} {
		t.Run(lang, func(t *testing.T) {
			t.Parallel()
			fac := login(t, root, app, class.Facilitator)
			do(t, fac, "the projector's join screen", projectorScreen(),
				chromedp.Navigate(app.URL+"/c/"+class.ID+"/projector?lang="+lang), ready())
			readableFromTheBack(t, fac, app, "[data-testid=projector-code]", "the join screen in "+lang)
			shoot(t, fac, "projector-join-1280-"+lang)
			do(t, fac, "on a phone", phone(), chromedp.Reload(), ready())
			noSidewaysScroll(t, fac, "the join screen on a phone in "+lang)
			shoot(t, fac, "projector-join-390-"+lang)
		})
	}
}

// Two families say "Ja" to a clause showing 20:00 without choosing a time; one says "Nej, men"
// and prefers 21:00. The Ja answers count for 20:00, so 20:00 is decided; the projector, the
// decided page and the published page show the preferences per option, the chosen one marked
// in words, and how it was chosen. The projector is read at 1280×720 in Danish and Arabic.
func TestTheChoiceAFamilySawCounts(t *testing.T) {
	t.Parallel()
	root := browser(t)
	for _, lang := range []string{"da", "ar"} {
		t.Run(lang, func(t *testing.T) {
			t.Parallel()
			app := apptest.New(t)
			class := app.NewClass("5.B", 5)
			var tokens []string
			for _, child := range []string{"Ida", "Omar", "Sofie", "Ali", "Emma"} {
				_, tok := app.Join(class.ParentCode, "Forælder til "+child, child)
				tokens = append(tokens, tok)
			}
			draft := app.NewAgreement(class, "parents", "evenings")
			evening := draft.Clauses[0].ID
			if draft.Clauses[0].Parameter == nil || draft.Clauses[0].Parameter.Value != "20:00" {
				t.Fatalf("the evening clause shows %+v", draft.Clauses[0].Parameter)
			}
			fac := login(t, root, app, class.Facilitator)
			do(t, fac, "speak "+lang, speak(app.URL, lang, "/"))
			openVote(t, fac, app, draft.ID)
			projector := login(t, root, app, class.Facilitator)
			do(t, projector, "the meeting view on the projector", projectorScreen(), speak(app.URL, lang, "/"),
				chromedp.Navigate(app.URL+"/a/"+draft.ID+"/meeting"), waitJS(`document.getElementById('cast').textContent === '0'`))

			// In the browser: a bare "Ja" to the 20:00 shown, and a "Nej, men" preferring 21:00.
			ida := login(t, root, app, tokens[0])
			do(t, ida, "Ida's ballot", chromedp.Navigate(app.URL+"/a/"+draft.ID))
			vote(t, ida, evening, "yes", "")
			omar := login(t, root, app, tokens[1])
			do(t, omar, "Omar's ballot", chromedp.Navigate(app.URL+"/a/"+draft.ID))
			vote(t, omar, evening, "no_but", "21:00")
			// Three more households, so the clause's figures may be shown: one more Ja, two abstain.
			for i, choice := range []string{"yes", "abstain", "abstain"} {
				app.Must(200, "PUT", "/api/v1/agreements/"+draft.ID+"/votes", tokens[2+i], map[string]any{"clause_id": evening, "choice": choice}, nil)
			}
			do(t, projector, "the projector shows the preferences as they stand",
				waitJS(`document.getElementById('cast').textContent === '5' && document.querySelector('#clause-prefs .pref.chosen')`))
			leading := eval[string](t, projector, `[...document.querySelectorAll('#clause-prefs .pref')].map((li) => li.dataset.value + '=' + li.dataset.count + (li.dataset.chosen ? '*' : '')).join(' ')`)
			if leading != "19:00=0 19:30=0 20:00=2* 20:30=0 21:00=1" {
				t.Errorf("the projector's preferences while voting: %s", leading)
			}
			checkBars(t, projector, lang)
			readableFromTheBack(t, projector, app, "[data-testid=join-code]", "the meeting view in "+lang)
			if px := eval[float64](t, projector, `parseFloat(getComputedStyle(document.getElementById('clause-title')).fontSize)`); px < 32 {
				t.Errorf("the clause's title on the projector is %.0f px", px)
			}
			if px := eval[float64](t, projector, `parseFloat(getComputedStyle(document.querySelector('#clause-votes .bar-row span')).fontSize)`); px < 20 {
				t.Errorf("the answers on the projector are %.0f px", px)
			}
			shoot(t, projector, "meeting-voting-1280-"+lang)

			do(t, fac, "close the vote", chromedp.Reload(), chromedp.WaitVisible(css("#close-vote")), ready(), acceptConfirms,
				chromedp.Click(css("#close-vote button")), chromedp.WaitVisible(css("#publish")))
			checkPreferences(t, fac, "#clause-"+evening, "the decided page in "+lang)
			value := eval[string](t, fac, `document.querySelector('#clause-`+evening+` .value strong').textContent`)
			if !strings.Contains(value, "20") || strings.Contains(value, "21") {
				t.Errorf("the decided page shows the evening ending %q, want 20:00's label", value)
			}
			do(t, fac, "the decided page on a phone", phone(), chromedp.Reload(), ready())
			noSidewaysScroll(t, fac, "the decided page in "+lang)
			do(t, fac, "look at the preferences", centre("#clause-"+evening+" .prefs"))
			shoot(t, fac, "decided-390-"+lang)

			do(t, projector, "the projector shows the decision", waitJS(`document.querySelector('#clause-votes .decision.adopted')`))
			checkPreferences(t, projector, "#clause-prefs", "the projector in "+lang)
			shoot(t, projector, "meeting-decided-1280-"+lang)
			do(t, projector, "the meeting view on a phone", phone(), chromedp.Reload(),
				waitJS(`document.querySelector('#clause-prefs .pref.chosen')`))
			noSidewaysScroll(t, projector, "the meeting view on a phone in "+lang)
			shoot(t, projector, "meeting-decided-390-"+lang)

			do(t, fac, "publish", projectorScreen(), ready(), acceptConfirms, chromedp.Click(css("#publish button")), waitPath("/p/"))
			checkPreferences(t, fac, ".poster", "the published page in "+lang)
			do(t, fac, "the published page on a phone", phone(), chromedp.Reload(), ready(), centre(".poster .prefs"))
			noSidewaysScroll(t, fac, "the published page in "+lang)
			shoot(t, fac, "published-390-"+lang)
		})
	}
}

// checkPreferences reads the preferences shown under scope: 20:00 chosen with two, 21:00 with
// one, the chosen one marked in words, and one sentence of the rule naming three preferences.
func checkPreferences(t *testing.T, ctx context.Context, scope, what string) {
	t.Helper()
	do(t, ctx, what+": the preferences", waitJS(`document.querySelector(`+jsString(scope+" .prefs .pref.chosen")+`)`))
	got := eval[string](t, ctx, `[...document.querySelectorAll(`+jsString(scope+" .prefs .pref")+`)].map((li) => li.dataset.value + '=' + li.dataset.count + (li.dataset.chosen ? '*' : '')).join(' ')`)
	if got != "19:00=0 19:30=0 20:00=2* 20:30=0 21:00=1" {
		t.Errorf("%s: preferences %s", what, got)
	}
	mark := eval[string](t, ctx, `document.querySelector(`+jsString(scope+" .prefs .pref.chosen strong")+`)?.textContent ?? ''`)
	if !strings.Contains(mark, "✓") || len(strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(mark), "✓"))) == 0 {
		t.Errorf("%s: the chosen option is marked %q, not in words", what, mark)
	}
	rule := eval[string](t, ctx, `document.querySelector(`+jsString(scope+" .prefs [data-testid=rule]")+`).textContent`)
	if !strings.Contains(rule, "3") || !strings.Contains(rule, "2") || strings.Count(rule, ".")+strings.Count(rule, "۔") < 1 {
		t.Errorf("%s: the rule reads %q", what, rule)
	}
}

// checkBars fails unless the projector's answer bars each have their own colour and fill
// pattern, and "Nej" is not green.
func checkBars(t *testing.T, ctx context.Context, lang string) {
	t.Helper()
	fills := eval[[]string](t, ctx, `[...document.querySelectorAll('#clause-votes .bar-row .fill')].map((f) => {
		const s = getComputedStyle(f); return s.backgroundColor + ' | ' + s.backgroundImage; })`)
	if len(fills) != 5 {
		t.Fatalf("%s: %d answer bars", lang, len(fills))
	}
	seen := map[string]bool{}
	patterns := 0
	for _, f := range fills {
		seen[f] = true
		if !strings.HasSuffix(f, "| none") {
			patterns++
		}
	}
	if len(seen) != 5 || patterns < 4 {
		t.Errorf("%s: the answer bars are not told apart by pattern: %q", lang, fills)
	}
	var r, g, b int
	no := eval[string](t, ctx, `getComputedStyle(document.querySelector('#clause-votes .bar-row[data-kind=no] .fill')).backgroundColor`)
	if _, err := fmt.Sscanf(no, "rgb(%d, %d, %d)", &r, &g, &b); err != nil || (g > r && g > b) {
		t.Errorf("%s: the Nej bar is %s", lang, no)
	}
}
