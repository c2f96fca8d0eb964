package e2e

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"klasseaftale/internal/apptest"
)

// login opens a browser context for the holder of a token.
func login(t *testing.T, root context.Context, app *apptest.App, token string) context.Context {
	t.Helper()
	ctx := person(t, root)
	do(t, ctx, "log in", signIn(app.URL, token))
	return ctx
}

// followKey opens a browser context for a person who follows their key link, as from a message:
// they land on their home.
func followKey(t *testing.T, root context.Context, app *apptest.App, token string) context.Context {
	t.Helper()
	ctx := person(t, root)
	do(t, ctx, "follow the key link", useKey(app.URL, token))
	return ctx
}

// useKey follows a key link as a person does: the link's page asks whose it is, and Continue
// signs in and leads to the holder's home.
func useKey(base, token string) chromedp.Action[chromedp.Void] {
	return steps(
		chromedp.Navigate(base+"/k/"+token),
		chromedp.WaitVisible(css(`[data-testid=key-continue]`)),
		chromedp.Click(css(`[data-testid=key-continue]`)),
		waitJS(`!location.pathname.startsWith('/k/') && document.readyState === 'complete'`),
	)
}

// signIn gives the browser the session that a key link's Continue gives, for a test whose
// subject is what comes after: the browser receives the session cookie without drawing the key
// page and the home page it leads to, two page loads a sign-in. The key page itself is driven
// by useKey, in the tests about it.
func signIn(base, token string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		c, err := keySession(ctx, base, token)
		if err != nil {
			return err
		}
		httpOnly := true
		_, err = cdp.Call(ctx, tg, network.SetCookie, network.SetCookieParams{Name: c.Name, Value: c.Value,
			URL: base + "/", Path: "/", HTTPOnly: &httpOnly, SameSite: network.CookieSameSiteLax})
		return err
	})
}

// noRedirect answers with the server's own response, not the page a redirect leads to.
var noRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// keySession signs in with a key by the same request as the key page's form (POST /k/<token>
// from the site's own origin) and returns the session cookie the server answers with.
func keySession(ctx context.Context, base, token string) (*http.Cookie, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/k/"+token, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Origin", base)
	resp, err := noRedirect.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 2048))
		return nil, fmt.Errorf("sign in: %s: %s", resp.Status, body)
	}
	for _, c := range resp.Cookies() {
		if c.Name == "ka_session" {
			return c, nil
		}
	}
	return nil, fmt.Errorf("sign in: no session cookie in %q", resp.Header.Values("Set-Cookie"))
}

// steps is several actions as one.
func steps(actions ...chromedp.Action[chromedp.Void]) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		for _, a := range actions {
			if _, err := a(ctx, t); err != nil {
				return err
			}
		}
		return nil
	})
}

// openVote opens the vote from the agreement page as its facilitator.
func openVote(t *testing.T, fac context.Context, app *apptest.App, id string) {
	t.Helper()
	do(t, fac, "open the vote",
		chromedp.Navigate(app.URL+"/a/"+id),
		chromedp.WaitVisible(css("#open-vote")),
		ready(),
		acceptConfirms,
		chromedp.Click(css("#open-vote button[type=submit]")),
		chromedp.WaitVisible(css("#ballot")),
	)
}

// vote casts a household's answer (and optionally a preferred value) on one clause in the UI:
// a tap on the answer saves it, a chosen value saves again.
func vote(t *testing.T, ctx context.Context, clause, answer, value string) {
	t.Helper()
	li := "#clause-" + clause
	saved := waitJS(`document.querySelector('` + li + ` [data-testid=vote-state]').dataset.state === 'saved'`)
	steps := []chromedp.Action[chromedp.Void]{
		ballotReady(),
		chromedp.WaitVisible(css(li + " form.vote-form")),
		chromedp.Click(css(li + ` label:has(input[name=choice][value="` + answer + `"])`)),
		waitJS(`document.querySelector('` + li + ` form.vote-form').dataset.savedAnswer === '` + answer + `'`),
		saved,
	}
	if value != "" {
		sel := li + " select[name=value]"
		steps = append(steps, chromedp.SetValue(css(sel), value),
			chromedp.Evaluate[chromedp.Void](`document.querySelector('`+sel+`').dispatchEvent(new Event('change', {bubbles: true}))`),
			waitJS(`document.querySelector('`+li+` [data-testid=vote-state]').dataset.state !== 'saving'`), saved)
	}
	do(t, ctx, "vote "+answer+" on "+clause, steps...)
}

// The facilitator opens the vote; three households vote from three browsers while the projector
// counts live; the facilitator closes and publishes; two households sign, one conditionally,
// and the public page shows whether the agreement is active.
func TestVoteSignAndActivate(t *testing.T) {
	t.Parallel()
	root := browser(t)
	app := apptest.New(t)
	class := app.NewClass("5.A", 5)
	var tokens []string
	for _, child := range []string{"Ida", "Omar", "Sofie"} {
		_, tok := app.Join(class.ParentCode, "Forælder til "+child, child)
		tokens = append(tokens, tok)
	}
	draft := app.NewAgreement(class, "parents", "first-smartphone", "photos")
	age, photos := draft.Clauses[0].ID, draft.Clauses[1].ID

	fac := login(t, root, app, class.Facilitator)
	openVote(t, fac, app, draft.ID)

	projector := login(t, root, app, class.Facilitator)
	do(t, projector, "open the meeting view",
		chromedp.Navigate(app.URL+"/a/"+draft.ID+"/meeting"),
		waitJS(`document.getElementById('cast').textContent === '0'`),
	)

	answers := []struct{ age, ageValue, photos string }{
		{"yes", "12", "yes"}, {"yes_but", "14", "yes"}, {"no", "15", "no_but"},
	}
	for i, tok := range tokens {
		p := login(t, root, app, tok)
		do(t, p, "open the ballot", chromedp.Navigate(app.URL+"/a/"+draft.ID))
		vote(t, p, age, answers[i].age, answers[i].ageValue)
		vote(t, p, photos, answers[i].photos, "")
		// The projector follows over the live connection, without reloading.
		do(t, projector, fmt.Sprintf("the projector counts %d", i+1),
			waitJS(fmt.Sprintf(`document.getElementById('cast').textContent === '%d'`, i+1)))
	}
	// Three answers are fewer than five: the projector says how many answered, and no more.
	votes := get(t, projector, "read the counts", chromedp.Text(css("#clause-votes")))
	if !strings.HasPrefix(votes, "3 ") || eval[int](t, projector, `document.querySelectorAll('#clause-votes .bar-row').length`) != 0 {
		t.Errorf("the projector's results for the first clause: %q", votes)
	}

	do(t, fac, "close the vote",
		chromedp.Reload(),
		chromedp.WaitVisible(css("#close-vote")),
		ready(),
		acceptConfirms,
		chromedp.Click(css("#close-vote button")),
		chromedp.WaitVisible(css("#publish")),
	)
	if n := eval[int](t, fac, `document.querySelectorAll('[data-testid=decision].adopted').length`); n != 2 {
		t.Errorf("%d clauses adopted, want 2", n)
	}
	do(t, projector, "the projector shows the decision", waitJS(`document.querySelector('#clause-votes .decision.adopted')`))
	do(t, fac, "publish",
		ready(),
		acceptConfirms,
		chromedp.Click(css("#publish button")),
		waitPath("/p/"),
	)
	publicPath := eval[string](t, fac, `location.pathname`)
	page := get(t, fac, "read the poster", chromedp.Text(css("main")))
	if !strings.Contains(page, "Age 14") {
		t.Errorf("the median age (14) is not on the poster:\n%s", page)
	}

	sign := func(tok, percent string) {
		p := login(t, root, app, tok)
		do(t, p, "sign "+percent,
			chromedp.Navigate(app.URL+"/a/"+draft.ID),
			chromedp.WaitVisible(css("#sign")),
			ready(),
			chromedp.Click(css(`#sign input[name=min_percent][value="`+percent+`"]`)),
			chromedp.Click(css("#sign button[type=submit]")),
			chromedp.WaitVisible(css("[data-testid=my-signature]")),
		)
	}
	sign(tokens[0], "0")
	sign(tokens[1], "75")
	stranger := person(t, root)
	do(t, stranger, "read the public page", chromedp.Navigate(app.URL+publicPath))
	if c := get(t, stranger, "commitment", chromedp.Text(css("[data-testid=commitment]"))); !strings.Contains(c, "needs 1 more family") || !strings.Contains(c, "1 of 3") {
		t.Errorf("with one sure and one conditional signature of three: %q", c)
	}
	sign(tokens[2], "0")
	do(t, stranger, "read again", chromedp.Reload())
	if c := get(t, stranger, "commitment", chromedp.Text(css("[data-testid=commitment]"))); !strings.Contains(c, "Active") || !strings.Contains(c, "3 of 3") {
		t.Errorf("with all three: %q", c)
	}
}

// A parent in the room is told, without reloading, when the vote opens and when the facilitator
// sends the agreement back to draft (its votes discarded).
func TestEveryoneIsToldOfTheVote(t *testing.T) {
	t.Parallel()
	root := browser(t)
	app := apptest.New(t)
	class := app.NewClass("3.C", 3)
	_, tok := app.Join(class.ParentCode, "Mor", "Ida")
	draft := app.NewAgreement(class, "parents", "photos")
	parent := login(t, root, app, tok)
	do(t, parent, "the parent drafts", chromedp.Navigate(app.URL+"/a/"+draft.ID), connected())

	fac := login(t, root, app, class.Facilitator)
	openVote(t, fac, app, draft.ID)
	do(t, parent, "the parent's page turns into the ballot", chromedp.WaitVisible(css("#ballot")), chromedp.WaitVisible(css("[data-testid=notice]")))
	vote(t, parent, draft.Clauses[0].ID, "yes", "")

	do(t, fac, "back to draft",
		chromedp.Reload(),
		ready(),
		acceptConfirms,
		chromedp.Click(css(`form[data-method=DELETE][data-api$="/voting"] button`)),
		chromedp.WaitVisible(css("#open-vote")),
	)
	do(t, parent, "the parent is told and drafts again",
		chromedp.WaitVisible(css("#clauses textarea")),
		waitJS(`document.querySelector('[data-testid=notice]')?.textContent.includes('votes')`),
	)
	openVote(t, fac, app, draft.ID)
	if got := app.Count("votes"); got != 0 {
		t.Errorf("%d votes kept after going back to draft", got)
	}
}
