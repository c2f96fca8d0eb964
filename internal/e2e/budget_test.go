package e2e

import (
	"context"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"klasseaftale/internal/apptest"
)

// transferred sums the bytes the page took over the network — the document and every file it
// loaded, compressed as sent, headers included — leaving out fonts, which only the languages
// that need them load.
const transferred = `(() => {
  let n = performance.getEntriesByType('navigation')[0].transferSize;
  for (const r of performance.getEntriesByType('resource')) {
    if (!/\.woff2(\?|$)/.test(r.name)) n += r.transferSize;
  }
  return n;
})()`

func coldCache() chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, network.ClearBrowserCache, cdp.Empty{})
		return err
	})
}

// The join page and the editor stay within their budgets for old phones on weak networks:
// bytes are counted, not time, so the test means the same on every machine.
func TestPageBudgets(t *testing.T) {
	t.Parallel()
	root := browser(t)
	app := apptest.New(t)
	class := app.NewClass("4.B", 4)
	_, parent := app.Join(class.ParentCode, "Mor", "Ida")
	draft := app.NewAgreement(class, "parents", "first-smartphone", "class-chat", "evenings", "photos", "gaming")
	for _, tc := range []struct {
		name, path string
		token      string
		budget     int
	}{
		{"the join page", "/join?code=" + class.ParentCode, "", 60 << 10},
		{"the editor", "/a/" + draft.ID, parent, 120 << 10},
	} {
		ctx := person(t, root)
		if tc.token != "" {
			do(t, ctx, "log in", signIn(app.URL, tc.token))
		}
		do(t, ctx, "open "+tc.name, coldCache(), chromedp.Navigate(app.URL+tc.path), ready())
		if tc.token != "" {
			do(t, ctx, "connected", connected())
		}
		n := eval[int](t, ctx, transferred)
		t.Logf("%s: %d bytes transferred (budget %d)", tc.name, n, tc.budget)
		if n <= 0 || n > tc.budget {
			t.Errorf("%s transferred %d bytes, budget %d", tc.name, n, tc.budget)
		}
	}
}

// On Chromium's "Slow 3G" profile a parent still gets from the join link to writing.
func TestSlow3G(t *testing.T) {
	t.Parallel()
	root := browser(t)
	app := apptest.New(t)
	class := app.NewClass("4.B", 4)
	draft := app.NewAgreement(class, "parents", "photos")
	clause := draft.Clauses[0].ID
	p := person(t, root)
	slow := chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		if _, err := cdp.Call(ctx, t, network.Enable, network.EnableParams{}); err != nil {
			return err
		}
		// DevTools' "Slow 3G": 2 s latency, 50 KB/s each way.
		return t.Call(ctx, "Network.emulateNetworkConditions", map[string]any{
			"offline": false, "latency": 2000, "downloadThroughput": 50 * 1024, "uploadThroughput": 50 * 1024,
		}, nil)
	})
	do(t, p, "slow down and open the join link", slow, chromedp.Navigate(app.URL+"/join?code="+class.ParentCode), ready())
	do(t, p, "join",
		chromedp.SendKeys(css("#join-name"), "Mor"),
		chromedp.SendKeys(css("#join-child"), "Ida"),
		chromedp.Click(css("#join-form button[type=submit]")),
		waitPath("/a/"+draft.ID), // where the meeting is
		ready(),
		connected(),
		chromedp.Evaluate[chromedp.Void](`document.querySelector('#clause-`+clause+` textarea').focus()`),
		chromedp.SendKeys(css("#clause-"+clause+" textarea"), "Langsomt net. "),
		waitJS(`document.querySelector('#clause-`+clause+` .saved').dataset.state === 'saved'`),
	)
	if body := serverText(t, app, class, draft.ID, clause); len(body) == len(draft.Clauses[0].Body) {
		t.Errorf("nothing was saved on the slow network: %q", body)
	}
}
