package e2e

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"klasseaftale/internal/apptest"
	"klasseaftale/internal/liveclient"
)

// misread lists what on the page reads wrongly in right-to-left surroundings, as a person sees
// it: a piece of Latin letters and digits ("4.B", "13 år", "kl. 20") whose characters do not
// stand left to right, a grouped number ("116 111") broken over two lines, a text that begins
// in Latin letters whose closing "?" or "." stands at its left end, and a list's selected
// option shown in the other direction than its text reads; and each of words (names people
// typed) not standing in the order it is written.
const misread = `((words) => {
  const out = [];
  const latin = /\p{Script=Latin}/u, strong = /[\p{Script=Latin}\p{Script=Arabic}\p{Script=Cyrillic}]/u;
  const piece = /[\p{Script=Latin}\p{Nd}]+(?:[ .:\/-]+[\p{Script=Latin}\p{Nd}]+)*/gu;
  const phone = /^\d{2,4}(?: \d{2,4})+$/;
  const boxes = (n, at, len) => [...Array(len).keys()].map((i) => {
    const r = document.createRange(); r.setStart(n, at + i); r.setEnd(n, at + i + 1);
    const b = r.getBoundingClientRect(); return { c: n.data[at + i], x: b.left, y: Math.round(b.top), w: b.width };
  }).filter((b) => b.w > 0 && b.c.trim() !== '');
  const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n; (n = walk.nextNode()); ) {
    const el = n.parentElement;
    if (!el || el.closest('script, style, template, [hidden], .visually-hidden, textarea, option') || !el.getClientRects().length) continue;
    for (const m of n.data.matchAll(piece)) {
      const s = m[0];
      const mixed = /\p{Nd}/u.test(s) && (latin.test(s) || phone.test(s));
      if (!mixed) continue;
      const b = boxes(n, m.index, s.length);
      if (b.length < 2) continue;
      if (b.some((x) => x.y !== b[0].y)) {
        if (phone.test(s)) out.push('«' + s + '» broken over lines');
        continue;
      }
      for (let i = 1; i < b.length; i++) if (b[i].x < b[i - 1].x) { out.push('«' + s + '» reads ' + [...b].sort((p, q) => p.x - q.x).map((x) => x.c).join('')); break; }
    }
    const first = n.data.match(strong);
    if (first && latin.test(first[0])) {
      for (const m of n.data.matchAll(/\p{Script=Latin}[?.!]/gu)) {
        const b = boxes(n, m.index, 2);
        if (b.length === 2 && b[0].y === b[1].y && b[1].x < b[0].x) out.push('«' + n.data.trim().slice(0, 40) + '»: «' + m[0][1] + '» at the wrong end');
      }
    }
  }
  for (const word of words) {
    const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n; (n = walk.nextNode()); ) {
      const at = n.data.indexOf(word);
      if (at < 0 || !n.parentElement?.getClientRects().length || n.parentElement.closest('[hidden], textarea, option')) continue;
      const b = boxes(n, at, word.length);
      if (b.some((x) => x.y !== b[0].y)) continue;
      const seen = [...b].sort((p, q) => p.x - q.x).map((x) => x.c).join('');
      if (seen !== word.replace(/\s/g, '')) out.push('«' + word + '» reads ' + seen);
    }
  }
  for (const s of document.querySelectorAll('select')) {
    const o = s.selectedOptions[0];
    const first = o?.textContent.match(strong);
    if (!first || !s.getClientRects().length) continue;
    const want = latin.test(first[0]) ? 'ltr' : 'rtl';
    if (getComputedStyle(o).direction !== want) out.push('the list shows «' + o.textContent.trim() + '» ' + getComputedStyle(o).direction);
  }
  return [...new Set(out)];
})`

// checkReading fails for what the page shows wrongly right to left, and for a page wider than
// the phone.
func checkReading(t *testing.T, ctx context.Context, what string, words ...string) {
	t.Helper()
	noSidewaysScroll(t, ctx, what)
	list, _ := json.Marshal(words)
	for _, p := range eval[[]string](t, ctx, misread+`(`+string(list)+`)`) {
		t.Errorf("%s: %s", what, p)
	}
}

// The pages a class's parents use at the meeting, in Arabic, Farsi and Urdu on a phone, with
// Danish texts, a class "4.B", a child "Ida B." and the help's numbers: every piece reads in
// order, numbers stay on one line, a Danish question ends with its "?", and lists show their
// choice whole.
func TestRightToLeftPagesReadInOrder(t *testing.T) {
	t.Parallel()
	root := browser(t)
	app := apptest.New(t)
	class := app.NewClass("4.B", 4)
	_, mor := app.Join(class.ParentCode, "Mor til Ida", "Ida B.")
	_, far := app.Join(class.ParentCode, "Far til Omar", "Omar")
	draft := app.NewAgreement(class, "parents", "first-smartphone", "class-chat", "evenings")
	voting := app.NewAgreement(class, "parents", "first-smartphone", "evenings")
	app.Must(http.StatusOK, "POST", "/api/v1/agreements/"+voting.ID+"/voting", class.Facilitator, map[string]any{"quorum_percent": 0, "threshold_percent": 50}, nil)
	pub := app.NewAgreement(class, "parents", "first-smartphone", "when-wrong")
	app.Adopt(class, pub.ID, mor, far)
	var p struct {
		URL string `json:"public_url"`
	}
	app.Must(http.StatusOK, "POST", "/api/v1/agreements/"+pub.ID+"/publish", class.Facilitator, nil, &p)
	published := p.URL[strings.Index(p.URL, "/p/"):]

	other := &liveclient.Client{URL: app.URL, Agree: draft.ID, Token: far, ID: "fars-telefon"}
	if err := other.Connect(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if err := other.Presence(draft.Clauses[0].ID, [2]int{10, 10}); err != nil {
		t.Fatal(err)
	}

	parent, teacher, guest := person(t, root), person(t, root), person(t, root)
	do(t, parent, "the parent signs in", phone(), signIn(app.URL, mor))
	do(t, teacher, "the teacher signs in", phone(), signIn(app.URL, class.Facilitator))
	do(t, guest, "a new parent's phone", phone())
	for _, lang := range []string{"ar", "fa", "ur"} {
		for _, v := range []struct {
			who  context.Context
			what string
			path string
			wait string
		}{
			{parent, "the draft", "/a/" + draft.ID, `document.querySelector('.caret')`},
			{parent, "the ballot", "/a/" + voting.ID, ``},
			{parent, "the class page", "/c/" + class.ID, ``},
			{teacher, "the class page for its teacher", "/c/" + class.ID, ``},
			{parent, "the published page", published, ``},
			{guest, "the join page", "/join?code=" + class.ParentCode, ``},
		} {
			steps := []chromedp.Action[chromedp.Void]{chromedp.Navigate(app.URL + v.path + sep(v.path) + "lang=" + lang), ready()}
			if v.wait != "" {
				steps = append(steps, waitJS(v.wait))
			}
			do(t, v.who, v.what+" in "+lang, steps...)
			checkReading(t, v.who, v.what+" in "+lang, "Ida B.", "Mor til Ida", "Far til Omar", "4.B")
		}
	}
}

func sep(path string) string {
	if strings.Contains(path, "?") {
		return "&"
	}
	return "?"
}
