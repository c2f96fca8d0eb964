package e2e

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"klasseaftale/internal/apptest"
)

// inTimeZone has the browser live in a time zone, as a phone set to it.
func inTimeZone(zone string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetTimezoneOverride, emulation.SetTimezoneOverrideParams{TimezoneID: zone})
		return err
	})
}

// A parent opening a ballot that closes at 16:30 UTC on a phone in Copenhagen, in Danish and in
// Arabic: the closing time reads 17:30, the local time; and before anything is chosen no
// answer is marked invalid, to a screen reader or to the page's styles.
func TestBallotClosesInLocalTime(t *testing.T) {
	t.Parallel()
	root := browser(t)
	app := apptest.New(t)
	class := app.NewClass("5.B", 5)
	_, tok := app.Join(class.ParentCode, "Mor til Ida", "Ida")
	draft := app.NewAgreement(class, "parents", "photos")
	closes := time.Date(time.Now().Year()+1, 1, 10, 16, 30, 0, 0, time.UTC) // a winter's day: Copenhagen is an hour ahead
	app.Must(http.StatusOK, "POST", "/api/v1/agreements/"+draft.ID+"/voting", class.Facilitator,
		map[string]any{"quorum_percent": 0, "threshold_percent": 50, "closes_at": closes.Format(time.RFC3339)}, nil)
	for _, lang := range []string{"da", "ar"} {
		t.Run(lang, func(t *testing.T) {
			t.Parallel()
			p := login(t, root, app, tok)
			do(t, p, "the ballot in Copenhagen", phone(), inTimeZone("Europe/Copenhagen"),
				chromedp.Navigate(app.URL+"/a/"+draft.ID+"?lang="+lang), ready(), ballotReady())
			shown := eval[string](t, p, `document.querySelector('[data-testid=closes-at]').textContent`)
			if !regexp.MustCompile(`17[.:]30`).MatchString(shown) || strings.Contains(shown, "UTC") {
				t.Errorf("the vote closes at %q, want 17:30 Copenhagen time", shown)
			}
			if at := eval[string](t, p, `document.querySelector('[data-testid=closes-at] time')?.dateTime ?? ''`); at == "" {
				t.Error("the closing time is not a <time> with its datetime")
			} else if got, err := time.Parse(time.RFC3339, at); err != nil || !got.Equal(closes) {
				t.Errorf("the <time>'s datetime is %q, want %v", at, closes)
			}
			invalid := eval[int](t, p, `[...document.querySelectorAll('#ballot input[type=radio]')].filter((r) => r.matches(':invalid') || r.getAttribute('aria-invalid') === 'true').length`)
			if invalid > 0 {
				t.Errorf("%d answers are marked invalid before anything is chosen", invalid)
			}
			noSidewaysScroll(t, p, "the ballot in "+lang)
			do(t, p, "look at the closing time", centre("[data-testid=closes-at]"))
			shoot(t, p, "closes-local-"+lang)
		})
	}
}

// A point the class rejected is told apart from the adopted ones without fading its words:
// its counts and its decision keep the contrast text needs (4.5:1).
func TestRejectedPointReadable(t *testing.T) {
	t.Parallel()
	root := browser(t)
	app := apptest.New(t)
	class := app.NewClass("5.B", 5)
	var tokens []string
	for _, child := range []string{"Ida", "Omar", "Sofie", "Ali", "Emma"} {
		_, tok := app.Join(class.ParentCode, "Forælder til "+child, child)
		tokens = append(tokens, tok)
	}
	draft := app.NewAgreement(class, "parents", "photos", "class-chat")
	app.Must(http.StatusOK, "POST", "/api/v1/agreements/"+draft.ID+"/voting", class.Facilitator,
		map[string]any{"quorum_percent": 0, "threshold_percent": 50}, nil)
	for _, tok := range tokens {
		for i, cl := range draft.Clauses {
			app.Must(http.StatusOK, "PUT", "/api/v1/agreements/"+draft.ID+"/votes", tok,
				map[string]any{"clause_id": cl.ID, "choice": map[bool]string{true: "no", false: "yes"}[i == 0]}, nil)
		}
	}
	app.Must(http.StatusOK, "POST", "/api/v1/agreements/"+draft.ID+"/close", class.Facilitator, nil, nil)
	for _, lang := range []string{"da", "ar"} {
		t.Run(lang, func(t *testing.T) {
			t.Parallel()
			p := login(t, root, app, tokens[0])
			do(t, p, "the decided agreement", phone(), chromedp.Navigate(app.URL+"/a/"+draft.ID+"?lang="+lang), ready(),
				chromedp.WaitVisible(css(".not-adopted .tally")), centre(".not-adopted .tally"))
			for _, v := range violations(t, p) {
				if strings.HasPrefix(v, "color-contrast") {
					t.Error(v)
				}
			}
			shoot(t, p, "rejected-"+lang)
		})
	}
}
