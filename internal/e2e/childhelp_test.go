package e2e

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"klasseaftale/internal/apptest"
)

// centre scrolls an element to the middle of the screen, clear of the sticky live bar.
func centre(sel string) chromedp.Action[chromedp.Void] {
	return chromedp.Evaluate[chromedp.Void](`document.querySelector(` + jsString(sel) + `).scrollIntoView({block: 'center'})`)
}

// caretAtEnd puts the focus and the caret at the end of a text field, as a person tapping there.
func caretAtEnd(sel string) chromedp.Action[chromedp.Void] {
	return chromedp.Evaluate[chromedp.Void](`(() => { const el = document.querySelector(` + jsString(sel) +
		`); el.focus(); el.setSelectionRange(el.value.length, el.value.length); })()`)
}

// inLanguage makes a person's pages speak a language, as the language menu does.
func inLanguage(app *apptest.App, lang string) chromedp.Action[chromedp.Void] {
	return steps(chromedp.Navigate(app.URL+"/lang?set="+lang+"&next=/"), waitPath("/"))
}

// requests records what a page asks of the network from now on: its address and method.
type requests struct {
	mu   sync.Mutex
	seen []string
}

func (r *requests) listen(t *testing.T, ctx context.Context) {
	t.Helper()
	err := chromedp.Listen(ctx, func(ev any) {
		if e, ok := ev.(*network.EventRequestWillBeSent); ok {
			r.mu.Lock()
			r.seen = append(r.seen, e.Request.Method+" "+e.Request.URL)
			r.mu.Unlock()
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	do(t, ctx, "watch the network", chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, network.Enable, network.EnableParams{})
		return err
	}))
}

// since returns the requests made after the first n, leaving out the live socket's attempts
// to reconnect, which are the editor's and the ballot's, not the help's.
func (r *requests) since(n int) []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, s := range r.seen[n:] {
		if !strings.Contains(s, "/live") {
			out = append(out, s)
		}
	}
	return out
}

func (r *requests) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.seen)
}

func offline(on bool) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		return t.Call(ctx, "Network.emulateNetworkConditions", map[string]any{
			"offline": on, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1,
		}, nil)
	})
}

const helpOpen = `document.getElementById('help-panel').open`

// openHelpByKeyboard tabs to the help button, opens the panel with Enter, checks that it shows
// the school's trusted adult and the call link, and closes it with Escape, which puts the focus
// back on the button.
func openHelpByKeyboard(t *testing.T, ctx context.Context, shot string) {
	t.Helper()
	do(t, ctx, "start from the top", chromedp.Evaluate[chromedp.Void](`document.activeElement?.blur(); window.scrollTo(0, 0)`))
	tabTo(t, ctx, "[data-testid=help-button]", 12)
	press(t, ctx, kb.Enter)
	do(t, ctx, "the panel opens", waitJS(helpOpen))
	panel := get(t, ctx, "read the panel", chromedp.Text(css("#help-panel")))
	for _, want := range []string{"Hanne", "lokale 12"} {
		if !strings.Contains(panel, want) {
			t.Errorf("the panel lacks %q:\n%s", want, panel)
		}
	}
	if !eval[bool](t, ctx, `document.getElementById('help-panel').contains(document.activeElement)`) {
		t.Error("the focus is not in the open panel")
	}
	noSidewaysScroll(t, ctx, "the page with the help panel open")
	shoot(t, ctx, shot)
	if shotsWanted() {
		do(t, ctx, "the panel's end", chromedp.Evaluate[chromedp.Void](`document.getElementById('help-panel').scrollTop = 1e6`))
		shoot(t, ctx, shot+"-end")
	}
	press(t, ctx, kb.Escape)
	do(t, ctx, "Escape closes it and the focus is back on the button",
		waitJS(`!`+helpOpen+` && document.activeElement?.matches('[data-testid=help-button]')`))
}

// A pupil reaches the help from the editor and the ballot by keyboard alone, in Danish and in
// Arabic, with the school's trusted adults; once the page has loaded it opens without the
// network, and opening it sends nothing anywhere.
func TestHelpPanel(t *testing.T) {
	t.Parallel()
	root := browser(t)
	app := apptest.New(t)
	school := app.NewSchool("Bakkeskolen")
	app.Must(http.StatusOK, "PUT", "/api/v1/schools/"+school.ID+"/trusted-adults", school.Token,
		map[string]any{"trusted_adults": []map[string]string{{"name": "Hanne", "role": "AKT-lærer", "where": "lokale 12"}}}, nil)
	class := app.NewClassIn("4.B", 4, school.OrganiserCode)
	for _, lang := range []string{"da", "ar"} {
		t.Run(lang, func(t *testing.T) {
			t.Parallel()
			_, pupil := app.Join(class.PupilCode, "Lynet "+lang, "")
			a := app.NewAgreement(class, "pupils", "pupil-tone", "pupil-when-wrong")
			p := login(t, root, app, pupil)
			do(t, p, "a phone in "+lang, phone(), inLanguage(app, lang))
			do(t, p, "the editor", chromedp.Navigate(app.URL+"/a/"+a.ID), ready(), connected())
			if dir := eval[string](t, p, `document.documentElement.dir`); (lang == "ar") != (dir == "rtl") {
				t.Fatalf("the page's direction is %q", dir)
			}
			openHelpByKeyboard(t, p, "help-editor-"+lang)
			for _, sel := range []string{"[data-testid=help-call]", "#help-panel .help-line"} {
				if got := eval[string](t, p, onScreen(sel, "", "116 111")); got != "116 111" {
					t.Errorf("%s shows BørneTelefonen's number as %q", sel, got)
				}
			}

			app.Must(http.StatusOK, "POST", "/api/v1/agreements/"+a.ID+"/voting", class.Facilitator,
				map[string]any{"quorum_percent": 0, "threshold_percent": 50}, nil)
			do(t, p, "the ballot comes by itself", chromedp.WaitVisible(css("#ballot")), ready())
			openHelpByKeyboard(t, p, "help-ballot-"+lang)

			var net requests
			net.listen(t, p)
			do(t, p, "the network is cut", offline(true))
			before := net.count()
			do(t, p, "open the help offline", chromedp.Click(css("[data-testid=help-button]")), waitJS(helpOpen))
			if text := get(t, p, "read the panel", chromedp.Text(css("#help-panel"))); !strings.Contains(text, "Hanne") {
				t.Errorf("offline, the panel shows:\n%s", text)
			}
			call := eval[string](t, p, `document.querySelector('[data-testid=help-call]').getAttribute('href')`)
			if call != "tel:116111" {
				t.Errorf("the call link is %q", call)
			}
			do(t, p, "close it", chromedp.Click(css("#help-panel .help-close")), waitJS(`!`+helpOpen))
			if sent := net.since(before); len(sent) > 0 {
				t.Errorf("opening the help sent %v", sent)
			}
			do(t, p, "the network is back", offline(false))

			// The published page and its poster carry the school's adults too.
			for _, c := range a.Clauses {
				app.Must(http.StatusOK, "PUT", "/api/v1/agreements/"+a.ID+"/votes", pupil, map[string]any{"clause_id": c.ID, "choice": "yes"}, nil)
			}
			app.Must(http.StatusOK, "POST", "/api/v1/agreements/"+a.ID+"/close", class.Facilitator, nil, nil)
			var pub struct {
				URL string `json:"public_url"`
			}
			app.Must(http.StatusOK, "POST", "/api/v1/agreements/"+a.ID+"/publish", class.Facilitator, nil, &pub)
			do(t, p, "the ballot turns into the published agreement", waitJS(`document.querySelector('[data-testid=status].status-published')`), ready())
			do(t, p, "the published page", chromedp.Navigate(pub.URL), ready(), centre("[data-testid=poster-adults]"))
			if text := get(t, p, "the poster's adults", chromedp.Text(css("[data-testid=poster-adults]"))); !strings.Contains(text, "Hanne") {
				t.Errorf("the poster lists %q", text)
			}
			shoot(t, p, "published-"+lang)
			openHelpByKeyboard(t, p, "help-published-"+lang)
		})
	}
}

// Two parents type; the facilitator looks at the clause's earlier texts and restores one; both
// parents' tabs, and the facilitator's, end with it, as the server has it.
func TestRestoreReachesEveryTab(t *testing.T) {
	t.Parallel()
	root := browser(t)
	tp := newTwoParents(t)
	app, class, mor, far, draft, clause := tp.app, tp.class, tp.mor, tp.far, tp.draft, tp.clause
	for i, edit := range []struct{ tok, body string }{{mor, "Første tekst fra Mor."}, {far, "Fars tekst, som ingen bad om."}} {
		app.Must(http.StatusOK, "PUT", "/api/v1/agreements/"+draft.ID+"/clauses/"+clause, edit.tok,
			map[string]any{"body": edit.body, "base_rev": i}, nil)
	}
	ta := `#clause-` + clause + ` textarea.clause-body`
	var tabs []context.Context
	for i, tok := range []string{mor, far, class.Facilitator} {
		p := login(t, root, app, tok)
		lang := []string{"da", "ar", "da"}[i] // Far reads Arabic
		do(t, p, "the editor", phone(), inLanguage(app, lang), chromedp.Navigate(app.URL+"/a/"+draft.ID), ready(), connected())
		tabs = append(tabs, p)
	}
	fac := tabs[2]
	authors := get(t, tabs[0], "who changed it", chromedp.Text(css(`#clause-`+clause+` [data-testid=authors]`)))
	if !strings.Contains(authors, "Far til Omar") || !strings.Contains(authors, "Mor til Ida") {
		t.Errorf("the clause says it was changed by %q", authors)
	}

	history := `#clause-` + clause + ` details.history`
	do(t, fac, "open the earlier versions",
		chromedp.Click(css(history+" summary")),
		chromedp.WaitVisible(css(history+` button[data-rev="1"]`)),
		chromedp.Click(css(history+` button[data-rev="1"]`)),
		waitJS(`document.querySelector('`+history+` .history-version textarea').value === 'Første tekst fra Mor.'`),
	)
	shoot(t, fac, "history-da")
	do(t, fac, "restore it", acceptConfirms, chromedp.Click(css(history+" button.restore")))
	same := `document.querySelector('` + ta + `').value === 'Første tekst fra Mor.'`
	for i, p := range tabs {
		do(t, p, "every tab has the restored text", waitJS(same))
		if i < 2 {
			do(t, p, "and nothing waits", waitJS(`document.querySelector('#clause-`+clause+` .saved').dataset.state === 'saved'`))
		}
	}
	if got := serverText(t, app, class, draft.ID, clause); got != "Første tekst fra Mor." {
		t.Errorf("the server has %q", got)
	}
	do(t, tabs[1], "Far sees who changed it", waitJS(`document.querySelector('#clause-`+clause+` [data-testid=authors] li').textContent === 'Lærer'`),
		centre(`#clause-`+clause+` [data-testid=authors]`))
	shoot(t, tabs[1], "restored-ar")
	// Typing goes on from the restored text, in every tab.
	do(t, tabs[1], "Far types on", caretAtEnd(ta), chromedp.KeyEvent(" Ja."))
	for _, p := range tabs {
		do(t, p, "the tabs converge", waitJS(`document.querySelector('`+ta+`').value === 'Første tekst fra Mor. Ja.'`))
	}
}

// The facilitator locks a clause: a parent's copy turns read-only at once and says why, and
// what the parent types does not get in; unlocked, the parent writes again.
func TestLockedClauseIsReadOnlyForAParent(t *testing.T) {
	t.Parallel()
	root := browser(t)
	app := apptest.New(t)
	class := app.NewClass("4.B", 4)
	_, mor := app.Join(class.ParentCode, "Mor til Ida", "Ida")
	draft := app.NewAgreement(class, "parents", "photos", "evenings")
	clause := draft.Clauses[0].ID
	li := `#clause-` + clause
	fac, p := login(t, root, app, class.Facilitator), login(t, root, app, mor)
	for ctx, lang := range map[context.Context]string{fac: "da", p: "ar"} {
		do(t, ctx, "the editor", phone(), inLanguage(app, lang), chromedp.Navigate(app.URL+"/a/"+draft.ID), ready(), connected())
	}
	do(t, fac, "lock the clause", chromedp.Click(css(li+" .lock-toggle")),
		waitJS(`document.querySelector('`+li+` .lock-toggle').getAttribute('aria-pressed') === 'true'`))
	do(t, p, "the parent's copy turns read-only",
		waitJS(`document.querySelector('`+li+` textarea.clause-body').readOnly && document.querySelector('`+li+` input.clause-title').readOnly && !document.querySelector('`+li+` .locked-note').hidden`))
	do(t, p, "the parent tries to type", caretAtEnd(li+" textarea.clause-body"), chromedp.KeyEvent("Mor skriver. "))
	if v := eval[string](t, p, `document.querySelector('`+li+` textarea.clause-body').value`); v != draft.Clauses[0].Body {
		t.Errorf("the locked text became %q", v)
	}
	do(t, p, "scroll to the note", centre(li+" .locked-note"))
	shoot(t, p, "locked-ar")
	do(t, fac, "scroll to the lock", centre(li+" .lock-toggle"))
	shoot(t, fac, "locked-facilitator-da")
	if got := serverText(t, app, class, draft.ID, clause); got != draft.Clauses[0].Body {
		t.Errorf("the server has %q", got)
	}
	// A page loaded while the clause is locked shows it locked from the start.
	do(t, p, "reload", chromedp.Reload(), ready(), connected())
	if !eval[bool](t, p, `document.querySelector('`+li+` textarea.clause-body').readOnly`) {
		t.Error("after a reload the locked clause can be edited")
	}

	do(t, fac, "unlock it", chromedp.Click(css(li+" .lock-toggle")),
		waitJS(`document.querySelector('`+li+` .lock-toggle').getAttribute('aria-pressed') === 'false'`))
	do(t, p, "the parent writes again",
		waitJS(`!document.querySelector('`+li+` textarea.clause-body').readOnly`),
		caretAtEnd(li+" textarea.clause-body"),
		chromedp.KeyEvent(" Mor igen."),
		waitJS(`document.querySelector('`+li+` textarea.clause-body').value.endsWith(' Mor igen.')`),
		waitJS(`document.querySelector('`+li+` .saved').dataset.state === 'saved'`))
	if got := serverText(t, app, class, draft.ID, clause); got != draft.Clauses[0].Body+" Mor igen." {
		t.Errorf("after unlocking the server has %q", got)
	}
}

// The school's admin writes the trusted adults on the school's page, row by row; a pupil of one
// of its classes then finds them in the help panel of the class page.
func TestSchoolAdminKeepsTrustedAdults(t *testing.T) {
	t.Parallel()
	root := browser(t)
	app := apptest.New(t)
	school := app.NewSchool("Bakkeskolen")
	class := app.NewClassIn("3.A", 3, school.OrganiserCode)
	_, pupil := app.Join(class.PupilCode, "Stjernen", "")
	admin := login(t, root, app, school.Token)
	do(t, admin, "the school's page", phone(), inLanguage(app, "da"), chromedp.Navigate(app.URL+"/s/"+school.ID), ready(),
		chromedp.WaitVisible(css("#trusted-adults")))
	rows := `#trusted-adults .adult-row`
	do(t, admin, "the first adult",
		chromedp.SendKeys(css(rows+":nth-child(1) input[name=name]"), "Hanne"),
		chromedp.SendKeys(css(rows+":nth-child(1) input[name=role]"), "AKT-lærer"),
		chromedp.SendKeys(css(rows+":nth-child(1) input[name=where]"), "lokale 12"),
		chromedp.Click(css("#trusted-adults [data-add-adult]")),
		waitJS(`document.querySelectorAll('`+rows+`').length === 2 && document.activeElement.id === 'adult-name-1'`),
		chromedp.SendKeys(css(rows+":nth-child(2) input[name=name]"), "Jonas"),
		chromedp.SendKeys(css(rows+":nth-child(2) input[name=role]"), "pædagog"),
	)
	if legend := eval[string](t, admin, `document.querySelector('`+rows+`:nth-child(2) legend').textContent`); legend != "Voksen 2" {
		t.Errorf("the new row is called %q", legend)
	}
	do(t, admin, "save", chromedp.Click(css("#trusted-adults button[type=submit]")),
		waitJS(`document.querySelector('[data-testid=adults-status]').textContent !== ''`))
	do(t, admin, "scroll to the list", centre("#trusted-adults"))
	shoot(t, admin, "adults-admin-da")
	var got struct {
		Adults []struct{ Name, Role, Where string } `json:"trusted_adults"`
	}
	app.Must(http.StatusOK, "GET", "/api/v1/schools/"+school.ID+"/trusted-adults", school.Token, nil, &got)
	if len(got.Adults) != 2 || got.Adults[0].Where != "lokale 12" || got.Adults[1].Name != "Jonas" {
		t.Fatalf("saved %+v", got.Adults)
	}

	p := login(t, root, app, pupil)
	do(t, p, "the class page", phone(), inLanguage(app, "da"), chromedp.Navigate(app.URL+"/c/"+class.ID), ready(),
		chromedp.Click(css("[data-testid=help-button]")), waitJS(helpOpen))
	text := get(t, p, "read the panel", chromedp.Text(css("#help-panel [data-testid=trusted-adults]")))
	if !strings.Contains(text, "Hanne") || !strings.Contains(text, "Jonas") {
		t.Errorf("the pupil's panel lists %q", text)
	}
}
