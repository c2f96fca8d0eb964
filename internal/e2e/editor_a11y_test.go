package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/accessibility"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"klasseaftale/agreements"
	"klasseaftale/internal/apptest"
	"klasseaftale/internal/liveclient"
)

// barCovers says what of the focused element the editor's sticky bar covers, "" when nothing:
// where the two boxes meet, the bar is what the screen shows on top.
const barCovers = `(() => {
  const bar = document.getElementById('live'), el = document.activeElement;
  if (!el || el === document.body || bar.contains(el)) return '';
  const b = bar.getBoundingClientRect(), f = el.getBoundingClientRect();
  const top = Math.max(b.top, f.top), bottom = Math.min(b.bottom, f.bottom);
  const left = Math.max(b.left, f.left), right = Math.min(b.right, f.right);
  if (bottom - top < 1 || right - left < 1) return '';
  if (!bar.contains(document.elementFromPoint((left + right) / 2, (top + bottom) / 2))) return '';
  return (el.id || el.tagName + '.' + el.className) + ' at ' + Math.round(f.top) + '–' + Math.round(f.bottom) +
    ' under the bar at ' + Math.round(b.top) + '–' + Math.round(b.bottom);
})()`

// present connects n tabs of n members to an agreement, as people with the draft open.
func present(t *testing.T, app *apptest.App, agreement string, tokens []string) {
	t.Helper()
	for i, tok := range tokens {
		c := &liveclient.Client{URL: app.URL, Agree: agreement, Token: tok, ID: fmt.Sprintf("tab-%d", i)}
		if err := c.Connect(context.Background()); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
	}
}

// With 5 and with 20 people present, on a phone and at 400 % zoom (320×256 CSS px), a parent
// tabs through the whole draft, forwards and back: the sticky bar stays one line, whoever is
// present is a count that opens into the list on demand (and Escape closes it), and the bar
// never covers the field the focus is on.
func TestStickyBarNeverCoversTheField(t *testing.T) {
	t.Parallel()
	root := browser(t)
	app := apptest.New(t)
	class := app.NewClass("4.B", 4)
	var tokens []string
	for i := range 20 {
		_, tok := app.Join(class.ParentCode, fmt.Sprintf("Forælder %d", i+1), fmt.Sprintf("Barn %d", i+1))
		tokens = append(tokens, tok)
	}
	draft := app.NewAgreement(class, "parents", "first-smartphone", "class-chat", "evenings")
	p := person(t, root)
	do(t, p, "sign in", signIn(app.URL, tokens[0]))
	others := 0
	for _, n := range []int{5, 20} {
		present(t, app, draft.ID, tokens[1+others:n])
		others = n - 1
		for _, vp := range []struct {
			w, h int64
			most float64 // the bar's height, CSS px: about one line
		}{{320, 256, 64}, {390, 844, 0.2 * 844}} {
			for _, lang := range []string{"da", "ar"} {
				what := fmt.Sprintf("%d present at %d×%d in %s", n, vp.w, vp.h, lang)
				do(t, p, what, chromedp.EmulateViewport(vp.w, vp.h), speak(app.URL, lang, "/"), chromedp.Navigate(app.URL+"/a/"+draft.ID), ready(), connected(),
					waitJS(fmt.Sprintf(`document.querySelectorAll('#people .person').length === %d`, n)))
				shoot(t, p, fmt.Sprintf("bar-%d-%dx%d-%s", n, vp.w, vp.h, lang))
				h := eval[float64](t, p, `document.getElementById('live').getBoundingClientRect().height`)
				t.Logf("%s: the sticky bar is %.0f px high", what, h)
				if h > vp.most {
					t.Errorf("%s: the sticky bar is %.0f px high, more than %.0f", what, h, vp.most)
				}
				tabThrough(t, p, what)
			}
		}
	}
	// The count opens into the list and closes again with Escape, the focus staying on it.
	toggle := `#people-toggle`
	tabTo(t, p, toggle, 20)
	if got := eval[string](t, p, `document.querySelector('`+toggle+`').textContent`); got != "الموجودون الآن: 20" {
		t.Errorf("the count says %q, want 20 in Arabic", got)
	}
	press(t, p, kb.Enter)
	do(t, p, "the list opens", waitJS(`document.querySelector('`+toggle+`').getAttribute('aria-expanded') === 'true' && document.getElementById('people').checkVisibility()`))
	shoot(t, p, "bar-open")
	press(t, p, kb.Escape)
	do(t, p, "Escape closes it", waitJS(`document.querySelector('`+toggle+`').getAttribute('aria-expanded') === 'false' && !document.getElementById('people').checkVisibility()`))
	if !eval[bool](t, p, `document.activeElement.matches('`+toggle+`')`) {
		t.Errorf("after Escape the focus is not on the count")
	}
}

// tabThrough presses Tab from the top of the page to its end, then Shift+Tab back to the top,
// and fails at each stop where the sticky bar covers the focused element.
func tabThrough(t *testing.T, ctx context.Context, what string) {
	t.Helper()
	do(t, ctx, "from the top", chromedp.Evaluate[chromedp.Void](`document.activeElement?.blur(); window.scrollTo(0, 0)`))
	stops := 0
	for _, back := range []bool{false, true} {
		var key chromedp.Action[chromedp.Void] = chromedp.KeyEvent(kb.Tab)
		if back {
			key = chromedp.KeyEvent(kb.Tab, chromedp.KeyModifiers(chromedp.ModifierShift))
		}
		seen := map[string]bool{}
		for range 120 {
			do(t, ctx, "Tab", key)
			// Where the focus is and whether the bar covers it, in one round trip to the page.
			stop := eval[[]string](t, ctx, `(() => { const e = document.activeElement;
				return [e === document.body ? '' : (e.id || e.tagName) + [...e.parentNode.children].indexOf(e) + e.getBoundingClientRect().top, `+barCovers+`]; })()`)
			at, covered := stop[0], stop[1]
			if at == "" || seen[at] {
				break
			}
			seen[at] = true
			stops++
			if covered != "" {
				t.Errorf("%s: %s", what, covered)
			}
		}
	}
	if stops < 20 {
		t.Errorf("%s: only %d Tab stops", what, stops)
	}
}

// axTree reads the page's whole accessibility tree, as a screen reader gets it.
func axTree() chromedp.Action[[]*accessibility.Node] {
	return func(ctx context.Context, tg *chromedp.Target) ([]*accessibility.Node, error) {
		tree, err := cdp.Call(ctx, tg, accessibility.GetFullAXTree, accessibility.GetFullAXTreeParams{})
		if err != nil {
			return nil, err
		}
		return tree.Nodes, nil
	}
}

// axNames gives the accessible name of every element a CSS selector matches, in the page's
// order, as the browser tells assistive technology (its accessibility tree).
func axNames(t *testing.T, ctx context.Context, sel string) []string {
	t.Helper()
	return get(t, ctx, "names of "+sel, chromedp.Action[[]string](func(ctx context.Context, tg *chromedp.Target) ([]string, error) {
		tree, err := axTree()(ctx, tg)
		if err != nil {
			return nil, err
		}
		names := map[cdp.BackendNodeID]string{}
		for _, n := range tree {
			if n.Name != nil {
				var s string
				_ = json.Unmarshal([]byte(n.Name.Value), &s)
				names[n.BackendDOMNodeID] = s
			}
		}
		nodes, err := chromedp.Nodes(chromedp.CSSAll(sel))(ctx, tg)
		if err != nil {
			return nil, err
		}
		out := make([]string, len(nodes))
		for i, n := range nodes {
			out[i] = names[n.BackendNodeID]
		}
		return out, nil
	}))
}

// namedAfterClauses fails unless the names are distinct and the i-th holds the number and
// title of clause i/per+1.
func namedAfterClauses(t *testing.T, what string, names []string, clauses []agreements.Clause, per int) {
	t.Helper()
	if len(names) != per*len(clauses) {
		t.Fatalf("%s: %d names for %d clauses: %q", what, len(names), len(clauses), names)
	}
	seen := map[string]bool{}
	for i, name := range names {
		cl := clauses[i/per]
		if seen[name] {
			t.Errorf("%s: %q names two fields", what, name)
		}
		seen[name] = true
		if !strings.Contains(name, fmt.Sprint(i/per+1)) || !strings.Contains(name, cl.Title) {
			t.Errorf("%s: field %d is named %q, without clause %d, %q", what, i, name, i/per+1, cl.Title)
		}
	}
}

// Every clause of the draft is a heading, and its fields are named after it; every group of
// answers on the ballot is named after its clause.
func TestClausesAreNamedByHeadings(t *testing.T) {
	t.Parallel()
	root := browser(t)
	app := apptest.New(t)
	class := app.NewClass("4.B", 4)
	_, mor := app.Join(class.ParentCode, "Mor til Ida", "Ida")
	draft := app.NewAgreement(class, "parents", "first-smartphone", "class-chat", "evenings")
	voting := app.NewAgreement(class, "parents", "photos", "evenings")
	app.Must(http.StatusOK, "POST", "/api/v1/agreements/"+voting.ID+"/voting", class.Facilitator, map[string]any{"quorum_percent": 0, "threshold_percent": 50}, nil)
	p := person(t, root)
	fac := login(t, root, app, class.Facilitator)
	for _, lang := range []string{"da", "ar"} {
		do(t, p, "the draft in "+lang, phone(), speak(app.URL, lang, "/"), signIn(app.URL, mor), chromedp.Navigate(app.URL+"/a/"+draft.ID), ready(), connected())
		shoot(t, p, "headings-draft-"+lang)
		headings := eval[[]string](t, p, `[...document.querySelectorAll('#clauses > li')].map((li) => li.querySelector('h2, h3')?.textContent.trim() ?? '')`)
		namedAfterClauses(t, "the draft's headings in "+lang, headings, draft.Clauses, 1)
		namedAfterClauses(t, "the draft's fields in "+lang, axNames(t, p, `#clauses .clause-title, #clauses .clause-body`), draft.Clauses, 2)
		// The facilitator's buttons that move or remove a point say which point.
		do(t, fac, "the facilitator's draft in "+lang, phone(), speak(app.URL, lang, "/a/"+draft.ID), ready(), connected())
		namedAfterClauses(t, "the draft's remove buttons in "+lang, axNames(t, fac, `#clauses form.remove button`), draft.Clauses, 1)

		do(t, p, "the ballot in "+lang, chromedp.Navigate(app.URL+"/a/"+voting.ID), ready(), ballotReady())
		shoot(t, p, "headings-ballot-"+lang)
		namedAfterClauses(t, "the ballot's answers in "+lang, axNames(t, p, `#ballot fieldset.answers`), voting.Clauses, 1)
		legends := eval[[]string](t, p, `[...document.querySelectorAll('#ballot fieldset.answers > legend')].map((l) => l.textContent)`)
		namedAfterClauses(t, "the ballot's legends in "+lang, legends, voting.Clauses, 1)
	}

	// A title changed, live, by another parent: the heading and the fields' names follow.
	do(t, p, "back to the draft", chromedp.Navigate(app.URL+"/a/"+draft.ID), ready(), connected())
	other := &liveclient.Client{URL: app.URL, Agree: draft.ID, Token: class.Facilitator, ID: "teacher"}
	if err := other.Connect(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	msg, _ := json.Marshal(map[string]any{"type": "clause.title", "clause": draft.Clauses[1].ID, "title": "Klassens chat om aftenen"})
	if err := other.SendRaw(msg); err != nil {
		t.Fatal(err)
	}
	do(t, p, "the new title shows", waitJS(`document.querySelector('#clause-`+draft.Clauses[1].ID+` h2')?.textContent.includes('Klassens chat om aftenen')`))
	renamed := append([]agreements.Clause{}, draft.Clauses...)
	renamed[1].Title = "Klassens chat om aftenen"
	namedAfterClauses(t, "the fields after a new title", axNames(t, p, `#clauses .clause-title, #clauses .clause-body`), renamed, 2)
}

// inLanguages lists what on the page stands in the wrong language: the agreement's words (each
// of texts, as shown or in a field) not marked Danish, and the interface's words (in Arabic
// script) not marked Arabic or not right to left.
const inLanguages = `((texts) => {
  const out = [];
  const lang = (el) => el.closest('[lang]')?.lang ?? '';
  const has = (s) => texts.some((x) => s.includes(x));
  const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n; (n = walk.nextNode()); ) {
    const el = n.parentElement;
    if (!el || el.closest('script, style, template, .langs, .people, .here, .caret')) continue;
    if (has(n.data) && lang(el) !== 'da') out.push('«' + n.data.trim().slice(0, 30) + '» is marked ' + lang(el));
    if (/\p{Script=Arabic}/u.test(n.data) && (lang(el) !== 'ar' || getComputedStyle(el).direction !== 'rtl')) {
      out.push('«' + n.data.trim().slice(0, 30) + '» is marked ' + lang(el) + ', ' + getComputedStyle(el).direction);
    }
  }
  for (const f of document.querySelectorAll('input, textarea')) {
    if (has(f.value) && lang(f) !== 'da') out.push('the field holding «' + f.value.slice(0, 30) + '» is marked ' + lang(f));
  }
  return [...new Set(out)];
})`

// clauseTexts are what an agreement's clauses say, in pieces a page shows whole: each title and
// the start of each text.
func clauseTexts(cs []agreements.Clause) string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Title)
		if b := []rune(strings.Split(c.Body, "\n")[0]); len(b) > 24 {
			out = append(out, string(b[:24]))
		}
	}
	js, _ := json.Marshal(out)
	return string(js)
}

// A Danish agreement on Arabic pages: the draft, the ballot and the published page mark every
// piece of the agreement Danish and left to right, and every line of the interface Arabic.
func TestAgreementKeepsItsLanguage(t *testing.T) {
	t.Parallel()
	root := browser(t)
	app := apptest.New(t)
	class := app.NewClass("4.B", 4)
	_, mor := app.Join(class.ParentCode, "Mor til Ida", "Ida")
	_, far := app.Join(class.ParentCode, "Far til Omar", "Omar")
	draft := app.NewAgreement(class, "parents", "first-smartphone", "class-chat")
	voting := app.NewAgreement(class, "parents", "photos", "evenings")
	app.Must(http.StatusOK, "POST", "/api/v1/agreements/"+voting.ID+"/voting", class.Facilitator, map[string]any{"quorum_percent": 0, "threshold_percent": 50}, nil)
	pub := app.NewAgreement(class, "parents", "first-smartphone", "when-wrong")
	app.Adopt(class, pub.ID, mor, far)
	var p struct {
		URL string `json:"public_url"`
	}
	app.Must(http.StatusOK, "POST", "/api/v1/agreements/"+pub.ID+"/publish", class.Facilitator, nil, &p)
	app.Must(http.StatusOK, "POST", "/api/v1/agreements/"+pub.ID+"/signatures", mor, map[string]any{"min_percent": 0}, nil)

	ctx := person(t, root)
	do(t, ctx, "in Arabic", phone(), speak(app.URL, "ar", "/"), signIn(app.URL, mor))
	for _, v := range []struct {
		what, path string
		clauses    []agreements.Clause
	}{
		{"the draft", "/a/" + draft.ID, draft.Clauses},
		{"the ballot", "/a/" + voting.ID, voting.Clauses},
		{"the published page", p.URL[strings.Index(p.URL, "/p/"):], pub.Clauses},
	} {
		do(t, ctx, v.what, chromedp.Navigate(app.URL+v.path), ready())
		shoot(t, ctx, "lang-"+strings.ReplaceAll(v.what, " ", "-"))
		for _, s := range eval[[]string](t, ctx, inLanguages+`(`+clauseTexts(v.clauses)+`)`) {
			t.Errorf("%s: %s", v.what, s)
		}
	}
}
