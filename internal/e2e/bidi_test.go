package e2e

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"klasseaftale/internal/apptest"
)

// onScreen returns the characters of the first piece of text inside the element sel, or of a
// text put into a new right-to-left line when sel is empty, in the order they stand on the
// screen from left to right: "4.B" where the piece reads as written, "B.4" where the
// bidirectional algorithm turned it around, "" where it is missing or broken over two lines.
func onScreen(sel, text, piece string) string {
	return `(() => {
	  let root;
	  if (` + jsString(sel) + ` !== '') root = document.querySelector(` + jsString(sel) + `);
	  else {
	    root = document.createElement('p'); root.dir = 'rtl'; root.textContent = ` + jsString(text) + `;
	    document.body.append(root);
	  }
	  const walk = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
	  const piece = ` + jsString(piece) + `;
	  for (let n; (n = walk.nextNode()); ) {
	    const at = n.data.indexOf(piece);
	    if (at < 0) continue;
	    const chars = [...piece].map((c, i) => {
	      const r = document.createRange(); r.setStart(n, at + i); r.setEnd(n, at + i + 1);
	      const box = r.getBoundingClientRect();
	      return { c, x: box.left, y: box.top };
	    });
	    if (chars.some(ch => ch.y !== chars[0].y)) return '';
	    return chars.sort((a, b) => a.x - b.x).map(ch => ch.c).join('');
	  }
	  return '';
	})()`
}

// In Arabic, Farsi and Urdu a piece of Latin letters and digits reads as written: the class
// "4.B" in the join page's heading and in the example under "the class's name" on the front page
// (a placeholder, out of reach of any <bdi>), and the number 116 111 in the published help.
func TestRightToLeftKeepsLatinPiecesWhole(t *testing.T) {
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
	ctx := person(t, root)
	for _, lang := range []string{"ar", "fa", "ur"} {
		do(t, ctx, "the join page in "+lang, chromedp.Navigate(app.URL+"/join?code="+class.ParentCode+"&lang="+lang), ready())
		if got := eval[string](t, ctx, onScreen("h1", "", "4.B")); got != "4.B" {
			t.Errorf("%s: the join page's heading shows the class as %q", lang, got)
		}
		do(t, ctx, "the front page in "+lang, chromedp.Navigate(app.URL+"/?lang="+lang), ready())
		example := eval[string](t, ctx, `document.querySelector('#class-name').placeholder`)
		if got := eval[string](t, ctx, onScreen("", example, "4.B")); got != "4.B" {
			t.Errorf("%s: the example class name %q shows as %q", lang, example, got)
		}
		do(t, ctx, "the published page in "+lang, chromedp.Navigate(app.URL+published+"?lang="+lang), ready())
		if got := eval[string](t, ctx, onScreen(".help", "", "116 111")); got != "116 111" {
			t.Errorf("%s: the help shows BørneTelefonen's number as %q", lang, got)
		}
	}
}
