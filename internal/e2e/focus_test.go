package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"klasseaftale/internal/apptest"
	"klasseaftale/internal/demo"
)

// ringJS reads the focused element's focus ring as the browser draws it — the outline (the outer
// tone) and the box-shadow's first ring (the inner one) — and the colour behind the element (the
// first ancestor with a background), and gives their contrast ratios (WCAG 2.x formula).
const ringJS = `(() => {
  const el = document.activeElement;
  const rgb = (s) => { const m = s.match(/rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?/); return m ? { c: [+m[1], +m[2], +m[3]], a: m[4] === undefined ? 1 : +m[4] } : null; };
  const lum = (c) => { const l = c.map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; }); return 0.2126 * l[0] + 0.7152 * l[1] + 0.0722 * l[2]; };
  const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
  const cs = getComputedStyle(el);
  let bg = null;
  for (let n = el.parentElement; n && !bg; n = n.parentElement) { const b = rgb(getComputedStyle(n).backgroundColor); if (b && b.a > 0) bg = b.c; }
  bg = bg || [255, 255, 255];
  const outer = rgb(cs.outlineColor), inner = rgb(cs.boxShadow);
  return { tag: el.tagName + (el.className ? '.' + el.className : ''), style: cs.outlineStyle, width: parseFloat(cs.outlineWidth),
    bg: bg.join(','), outerBg: outer ? ratio(outer.c, bg) : 0, innerOuter: outer && inner ? ratio(inner.c, outer.c) : 0 };
})()`

type ring struct {
	Tag        string  `json:"tag"`
	Style      string  `json:"style"`
	Width      float64 `json:"width"`
	Bg         string  `json:"bg"`
	OuterBg    float64 `json:"outerBg"`
	InnerOuter float64 `json:"innerOuter"`
}

// WCAG 1.4.11: the focus ring reaches 3:1 against what is behind it, on white cards and on the
// page's own background, and its two tones 3:1 against each other. Each Tab stop of a class's
// page and of the front page is measured as drawn.
func TestFocusRingContrast(t *testing.T) {
	t.Parallel()
	root := browser(t)
	app := apptest.New(t)
	w := app.Demo()
	ctx := person(t, root)
	do(t, ctx, "sign in", phone(), signIn(app.URL, strings.TrimPrefix(w.Link(demo.RoleFacilitator).Path, "/k/")))
	backgrounds := map[string]bool{}
	for _, path := range []string{"/c/" + w.Draft.ClassID, "/"} {
		do(t, ctx, "open "+path, chromedp.Navigate(app.URL+path+"?lang=da"), ready())
		for i := range 25 {
			do(t, ctx, "Tab", chromedp.KeyEvent(kb.Tab))
			if i == 5 {
				screenshot(t, ctx, "focus-ring"+strings.ReplaceAll(path, "/", "-"))
			}
			r := eval[ring](t, ctx, ringJS)
			if r.Tag == "BODY" {
				break
			}
			backgrounds[r.Bg] = true
			if r.Style == "none" || r.Width < 2 || r.OuterBg < 3 || r.InnerOuter < 3 {
				t.Errorf("%s on %s: the ring is %s %.0fpx, %.2f:1 against the background (rgb %s), its tones %.2f:1",
					path, r.Tag, r.Style, r.Width, r.OuterBg, r.Bg, r.InnerOuter)
			}
		}
	}
	if !backgrounds["255,255,255"] || !backgrounds["244,242,238"] {
		t.Errorf("the Tab stops measured were on %v; want white and the page's background among them", backgrounds)
	}
}

// The language menu closes on Escape, with the focus back on its button, and when the focus
// leaves it, forwards or backwards — by keyboard alone.
func TestLanguageMenuByKeyboard(t *testing.T) {
	t.Parallel()
	root := browser(t)
	app := apptest.New(t)
	ctx := person(t, root)
	open := func() bool { return eval[bool](t, ctx, `document.querySelector('details.langs').open`) }
	do(t, ctx, "the front page", phone(), chromedp.Navigate(app.URL+"/?lang=da"), ready())
	tabTo(t, ctx, "details.langs summary", 5)
	press(t, ctx, kb.Enter)
	if !open() {
		t.Fatal("Enter on the language button does not open the menu")
	}
	press(t, ctx, kb.Tab)
	if !eval[bool](t, ctx, `document.activeElement.matches('details.langs li a')`) {
		t.Fatal("Tab from the open menu's button does not reach a language")
	}
	press(t, ctx, kb.Escape)
	if open() || !eval[bool](t, ctx, `document.activeElement.matches('details.langs summary')`) {
		t.Fatalf("after Escape the menu is open: %v, the focus on %s", open(), eval[string](t, ctx, `document.activeElement.outerHTML.slice(0, 80)`))
	}

	// Forwards past the last language: the menu closes, the focus goes on to the page.
	press(t, ctx, kb.Enter)
	n := eval[int](t, ctx, `document.querySelectorAll('details.langs li a').length`)
	for range n + 1 {
		press(t, ctx, kb.Tab)
	}
	if open() || eval[bool](t, ctx, `document.querySelector('details.langs').contains(document.activeElement)`) {
		t.Errorf("Tab past the last language leaves the menu open (%v), the focus on %s", open(), eval[string](t, ctx, `document.activeElement.outerHTML.slice(0, 80)`))
	}

	// Backwards from its button: it closes too.
	do(t, ctx, "back to the button", chromedp.Evaluate[chromedp.Void](`document.querySelector('details.langs summary').focus()`))
	press(t, ctx, kb.Enter)
	if !open() {
		t.Fatal("Enter does not open the menu again")
	}
	do(t, ctx, "Shift+Tab", chromedp.KeyEvent(kb.Tab, chromedp.KeyModifiers(chromedp.ModifierShift)))
	if open() {
		t.Error("Shift+Tab out of the menu leaves it open")
	}
}
