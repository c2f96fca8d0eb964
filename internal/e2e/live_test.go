package e2e

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"klasseaftale/agreements"
	"klasseaftale/internal/apptest"
)

// offlineSwitch is put into every page before its scripts run: it keeps the page's WebSockets
// so a test can cut them, and makes new ones fail while window.kaOffline is set — as a phone
// losing its network does.
const offlineSwitch = `(() => {
  const Real = window.WebSocket;
  window.kaSockets = [];
  window.WebSocket = function (url, protocols) {
    const ws = new Real(window.kaOffline ? 'ws://127.0.0.1:9/offline' : url, protocols);
    window.kaSockets.push(ws);
    return ws;
  };
  window.WebSocket.prototype = Real.prototype;
  Object.assign(window.WebSocket, { CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3 });
})();`

func withOfflineSwitch() chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: offlineSwitch})
		return err
	})
}

var goOffline = chromedp.Evaluate[chromedp.Void](`window.kaOffline = true; window.kaSockets.forEach((ws) => ws.close()); window.dispatchEvent(new Event('offline'))`)
var goOnline = chromedp.Evaluate[chromedp.Void](`window.kaOffline = false; window.dispatchEvent(new Event('online'))`)

func connected() chromedp.Action[chromedp.Void] {
	return waitJS(`document.getElementById('live').dataset.state === 'connected'`)
}

// Two parents type into the same clause at the same time and end with the same text holding
// both their words; then one loses the network, types on, comes back, and nothing is lost.
func TestTwoParentsTypeTogether(t *testing.T) {
	t.Parallel()
	root := browser(t)
	tp := newTwoParents(t)
	app, class, mor, far, draft, clause := tp.app, tp.class, tp.mor, tp.far, tp.draft, tp.clause
	ta := `#clause-` + clause + ` textarea.clause-body`

	a, b := person(t, root), person(t, root)
	for i, p := range []struct {
		ctx   context.Context
		token string
	}{{a, mor}, {b, far}} {
		do(t, p.ctx, "open the draft",
			withOfflineSwitch(),
			signIn(app.URL, p.token),
			chromedp.Navigate(app.URL+"/a/"+draft.ID),
			connected(),
		)
		_ = i
	}
	do(t, a, "A puts the caret at the start", chromedp.Evaluate[chromedp.Void](`(() => { const t = document.querySelector('`+ta+`'); t.focus(); t.setSelectionRange(0, 0); })()`))
	do(t, b, "B puts the caret at the end", chromedp.Evaluate[chromedp.Void](`(() => { const t = document.querySelector('`+ta+`'); t.focus(); t.setSelectionRange(t.value.length, t.value.length); })()`))

	wordsA, wordsB := "Mor skriver her først. ", " Far skriver til sidst."
	done := make(chan struct{})
	go func() {
		defer close(done)
		do(t, a, "A types", chromedp.SendKeys(css(ta), wordsA))
	}()
	do(t, b, "B types", chromedp.SendKeys(css(ta), wordsB))
	<-done

	both := `(() => { const v = document.querySelector('` + ta + `').value; return v.includes(` + jsString(wordsA) + `) && v.includes(` + jsString(wordsB) + `) && document.querySelector('#clause-` + clause + ` .saved').dataset.state === 'saved'; })()`
	do(t, a, "A sees both", waitJS(both))
	do(t, b, "B sees both", waitJS(both))
	textA := eval[string](t, a, `document.querySelector('`+ta+`').value`)
	textB := eval[string](t, b, `document.querySelector('`+ta+`').value`)
	if textA != textB {
		t.Fatalf("the parents see different texts:\nA: %q\nB: %q", textA, textB)
	}
	if server := serverText(t, app, class, draft.ID, clause); server != textA {
		t.Fatalf("the server has %q, the parents %q", server, textA)
	}
	// Each sees where the other is: a caret with the other's name over the clause's text.
	do(t, a, "A sees B's caret", waitJS(`[...document.querySelectorAll('#clause-`+clause+` .caret-name')].some((e) => e.textContent === 'Far til Omar')`))
	do(t, b, "B sees A's caret", waitJS(`[...document.querySelectorAll('#clause-`+clause+` .caret-name')].some((e) => e.textContent === 'Mor til Ida')`))
	// Each typed word stands whole: neither parent's keystrokes were interleaved into the other's.
	if !strings.HasPrefix(textA, wordsA) || !strings.HasSuffix(textA, wordsB) {
		t.Errorf("text %q", textA)
	}

	// A loses the network and types on.
	offline := " Skrevet uden net."
	do(t, a, "A goes offline and types",
		goOffline,
		waitJS(`document.getElementById('live').dataset.state === 'offline'`),
		chromedp.Evaluate[chromedp.Void](`(() => { const t = document.querySelector('`+ta+`'); t.focus(); t.setSelectionRange(t.value.length, t.value.length); })()`),
		chromedp.SendKeys(css(ta), offline),
		waitJS(`document.querySelector('#clause-`+clause+` .saved').dataset.state === 'unsaved'`),
	)
	// Meanwhile B goes on writing at the start.
	fromB := "B imens. "
	do(t, b, "B types meanwhile",
		chromedp.Evaluate[chromedp.Void](`(() => { const t = document.querySelector('`+ta+`'); t.focus(); t.setSelectionRange(0, 0); })()`),
		chromedp.SendKeys(css(ta), fromB),
		waitJS(`document.querySelector('#clause-`+clause+` .saved').dataset.state === 'saved'`),
	)
	do(t, a, "A comes back", goOnline, connected(),
		waitJS(`document.querySelector('#clause-`+clause+` .saved').dataset.state === 'saved'`))
	want := fromB + textA + offline
	all := `document.querySelector('` + ta + `').value === ` + jsString(want)
	do(t, a, "A has everything", waitJS(all))
	do(t, b, "B has everything", waitJS(all))
	if server := serverText(t, app, class, draft.ID, clause); server != want {
		t.Fatalf("after coming back the server has %q, want %q", server, want)
	}
}

func serverText(t *testing.T, app *apptest.App, class apptest.Class, id, clause string) string {
	t.Helper()
	var a agreements.Agreement
	app.Must(http.StatusOK, "GET", "/api/v1/agreements/"+id, class.Facilitator, nil, &a)
	return a.Clause(clause).Body
}

// twoParents is a class with two parents of two households and a draft of the photos template.
type twoParents struct {
	app      *apptest.App
	class    apptest.Class
	mor, far string // their tokens
	draft    agreements.Agreement
	clause   string // the draft's first clause
}

func newTwoParents(t *testing.T) twoParents {
	t.Helper()
	app := apptest.New(t)
	class := app.NewClass("4.B", 4)
	_, mor := app.Join(class.ParentCode, "Mor til Ida", "Ida")
	_, far := app.Join(class.ParentCode, "Far til Omar", "Omar")
	draft := app.NewAgreement(class, "parents", "photos")
	return twoParents{app: app, class: class, mor: mor, far: far, draft: draft, clause: draft.Clauses[0].ID}
}
