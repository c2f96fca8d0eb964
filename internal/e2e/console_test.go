package e2e

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"klasseaftale/internal/apptest"
)

// consoleErrors records what the browser reports as errors from now on: failed requests,
// exceptions and console.error.
type consoleErrors struct {
	mu   sync.Mutex
	seen []string
}

func (c *consoleErrors) listen(t *testing.T, ctx context.Context) {
	t.Helper()
	add := func(s string) { c.mu.Lock(); c.seen = append(c.seen, s); c.mu.Unlock() }
	err := chromedp.Listen(ctx, func(ev any) {
		switch e := ev.(type) {
		case *cdplog.EventEntryAdded:
			if e.Entry.Level == cdplog.EntryLevelError {
				add(e.Entry.Text + " " + e.Entry.URL)
			}
		case *runtime.EventExceptionThrown:
			add(e.ExceptionDetails.Text)
		case *runtime.EventConsoleAPICalled:
			if e.Type == runtime.ConsoleAPICalledTypeError {
				add("console.error")
			}
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	do(t, ctx, "watch the console", chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		if _, err := cdp.Call(ctx, tg, cdplog.Enable, cdp.Empty{}); err != nil {
			return err
		}
		_, err := cdp.Call(ctx, tg, runtime.Enable, cdp.Empty{})
		return err
	}))
}

func (c *consoleErrors) all() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.seen...)
}

// The pages a stranger reaches, in Danish and in Arabic, load without a single error in the
// browser's console: no failed request (the icon included), no exception.
func TestPublicPagesLogNoErrors(t *testing.T) {
	t.Parallel()
	root := browser(t)
	app := apptest.New(t)
	class := app.NewClass("4.B", 4)
	_, pupil := app.Join(class.PupilCode, "Ali", "")
	ag := app.NewAgreement(class, "pupils", "pupil-when-wrong")
	app.Adopt(class, ag.ID, pupil)
	var pub struct {
		URL string `json:"public_url"`
	}
	app.Must(http.StatusOK, "POST", "/api/v1/agreements/"+ag.ID+"/publish", class.Facilitator, nil, &pub)
	published := pub.URL[strings.Index(pub.URL, "/p/"):]
	for _, lang := range []string{"da", "ar"} {
		t.Run(lang, func(t *testing.T) {
			t.Parallel()
			p := person(t, root)
			var errs consoleErrors
			errs.listen(t, p)
			for _, path := range []string{"/", "/join", "/join?code=" + class.ParentCode, "/privacy", "/accessibility", published} {
				sep := "?"
				if strings.Contains(path, "?") {
					sep = "&"
				}
				do(t, p, path, phone(), chromedp.Navigate(app.URL+path+sep+"lang="+lang), ready())
				if n := eval[int](t, p, `document.querySelectorAll('link[rel=icon][href^="/static/"], meta[name=description][content]').length`); n != 2 {
					t.Errorf("%s in %s: %d of the icon and the description", path, lang, n)
				}
			}
			if e := errs.all(); len(e) > 0 {
				t.Errorf("the console in %s reports %q", lang, e)
			}
		})
	}
}
