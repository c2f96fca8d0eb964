package e2e

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"klasseaftale/internal/apptest"
)

// wireRecorder is put into a page before its scripts run: it notes when each message goes out
// on a live socket and keeps every error that comes in.
const wireRecorder = `(() => {
  window.kaSent = [];
  window.kaErrors = [];
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (data) {
    window.kaSent.push(performance.now());
    return send.call(this, data);
  };
  const Real = window.WebSocket;
  window.WebSocket = function (url, protocols) {
    const ws = new Real(url, protocols);
    ws.addEventListener('message', (ev) => {
      for (const line of String(ev.data).split('\n')) {
        if (line.includes('"type":"error"')) window.kaErrors.push(line);
      }
    });
    return ws;
  };
  window.WebSocket.prototype = Real.prototype;
  Object.assign(window.WebSocket, { CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3 });
})();`

// busiestSecond is the most messages sent within any one second, from window.kaSent.
const busiestSecond = `(() => {
  const t = window.kaSent; let most = 0;
  for (let i = 0, j = 0; i < t.length; i++) { while (t[i] - t[j] >= 1000) j++; most = Math.max(most, i - j + 1); }
  return most;
})()`

// typeAt types text into the focused field at a person's pace (one key every ms milliseconds),
// through the same input events a keyboard makes, and flags window.kaTyped when done.
func typeAt(sel, text string, ms int) chromedp.Action[chromedp.Void] {
	return chromedp.Evaluate[chromedp.Void](`(() => {
  const ta = document.querySelector(` + jsString(sel) + `); const text = ` + jsString(text) + `;
  ta.focus(); let i = 0; window.kaTyped = false;
  const id = setInterval(() => {
    if (i >= text.length) { clearInterval(id); window.kaTyped = true; return; }
    const at = ta.value.length; ta.setSelectionRange(at, at);
    ta.setRangeText(text[i++], at, at, 'end');
    ta.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertText', data: text[i - 1] }));
  }, ` + strconv.Itoa(ms) + `);
})()`)
}

// A person typing fast, pasting, and typing at machine speed stays within the live message
// budget: the browser never meets live.too_fast, and everything typed is saved.
func TestTypingFastStaysWithinTheBudget(t *testing.T) {
	t.Parallel()
	root := browser(t)
	app := apptest.New(t)
	class := app.NewClass("4.B", 4)
	_, mor := app.Join(class.ParentCode, "Mor", "Ida")
	draft := app.NewAgreement(class, "parents", "evenings")
	clause := draft.Clauses[0].ID
	ta := "#clause-" + clause + " textarea.clause-body"
	ctx := person(t, root)
	do(t, ctx, "open the draft",
		chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: wireRecorder})
			return err
		}),
		signIn(app.URL, mor),
		chromedp.Navigate(app.URL+"/a/"+draft.ID),
		connected(),
	)
	saved := waitJS(`document.querySelector('#clause-` + clause + ` .saved').dataset.state === 'saved'`)
	typed := " Vi skriver hurtigt, som en voksen der har travlt, hele vejen til enden af linjen."
	do(t, ctx, "type 80 characters at 16 a second", typeAt(ta, typed, 60), waitJS(`window.kaTyped`), saved)
	human := eval[int](t, ctx, busiestSecond)
	pasted := strings.Repeat("Indsat tekst. ", 200)
	do(t, ctx, "paste 2,800 characters", chromedp.Evaluate[chromedp.Void](`(() => {
  const ta = document.querySelector(`+jsString(ta)+`); ta.focus();
  const at = ta.value.length; ta.setRangeText(`+jsString(pasted)+`, at, at, 'end');
  ta.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertFromPaste' }));
})()`), saved)
	machine := strings.Repeat("abcdefghij", 30)
	do(t, ctx, "put the caret at the end",
		chromedp.Evaluate[chromedp.Void](`(() => { const t = document.querySelector(`+jsString(ta)+`); t.focus(); t.setSelectionRange(t.value.length, t.value.length); })()`))
	// 300 keys as fast as the browser takes them, in three runs so a busy machine's slow key
	// events do not run into one step's time limit.
	for i := 0; i < len(machine); i += 100 {
		do(t, ctx, "type 100 characters as fast as the browser takes keys", chromedp.SendKeys(css(ta), machine[i:i+100]))
	}
	do(t, ctx, "everything typed is saved", saved)
	total := eval[int](t, ctx, `window.kaSent.length`)
	busiest := eval[int](t, ctx, busiestSecond)
	t.Logf("messages sent: %d; busiest second while typing at 16 keys/s: %d; busiest second in all: %d", total, human, busiest)
	if errs := eval[[]string](t, ctx, `window.kaErrors`); len(errs) > 0 {
		t.Errorf("the browser met errors: %v", errs)
	}
	want := draft.Clauses[0].Body + typed + pasted + machine
	if got := serverText(t, app, class, draft.ID, clause); got != want {
		t.Errorf("the server has %d characters, want %d", len(got), len(want))
	}
}
