package e2e

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"klasseaftale/agreements"
	"klasseaftale/internal/apptest"
	"klasseaftale/internal/demo"
)

// picturesDir is where the README's pictures live, from this package's folder.
const picturesDir = "../../docs/pictures"

// The README's pictures, taken from the demo school in a real browser: a phone joining by QR,
// two phones writing together, the ballot, the projector, the poster, the school's overview and
// the editor in Arabic. Each page is checked to show what its picture is meant to show, with
// nothing scrolling sideways; the pictures are written only with KA_PICTURES=1, which is how
// they are made anew.
func TestReadmePictures(t *testing.T) {
	t.Parallel()
	root := browser(t)
	app := apptest.New(t)
	w := app.Demo()
	key := func(role string) string { return strings.TrimPrefix(w.Link(role).Path, "/k/") }
	as := func(token string, size chromedp.Action[chromedp.Void]) context.Context {
		ctx := person(t, root)
		do(t, ctx, "sign in", size, signIn(app.URL, token))
		return ctx
	}
	var draft *agreements.Class
	app.Store.View(context.Background(), func(tx agreements.Tx) (err error) { draft, err = tx.Class(w.Draft.ClassID); return err })

	t.Run("join", func(t *testing.T) {
		p := person(t, root)
		do(t, p, "the QR code's address on a new phone", phone(),
			chromedp.Navigate(app.URL+"/join?code="+draft.ParentCode+"&lang=da"), ready(),
			chromedp.SendKeys(css("#join-name"), "Amalie"), chromedp.SendKeys(css("#join-child"), "Oscar"))
		if !eval[bool](t, p, `document.querySelector('#join-form [name=code]').value === `+jsString(draft.ParentCode)+` && document.querySelector('h1').textContent.includes('4.A')`) {
			t.Error("the join page does not take the code from the QR code's address and name the class")
		}
		picture(t, p, "join")
	})

	fatima, piotr := as(key(demo.RoleParent), phone()), as(key(demo.RoleSecondParent), phone())
	t.Run("writing together", func(t *testing.T) {
		ta := `document.querySelector('#clauses textarea.clause-body')`
		sees := func(name string) string {
			return `[...document.querySelectorAll('.caret-name')].some((e) => e.textContent === ` + jsString(name) + `)`
		}
		for _, p := range []context.Context{fatima, piotr} {
			do(t, p, "open the draft", chromedp.Navigate(app.URL+"/a/"+w.Draft.AgreementID+"?lang=da"), ready(), connected(),
				chromedp.Evaluate[chromedp.Void](ta+`.scrollIntoView({block: 'center'})`))
		}
		write := func(p context.Context, at, words string) {
			do(t, p, "write "+words, chromedp.Evaluate[chromedp.Void](`(() => { const t = `+ta+`; t.focus();
				t.setSelectionRange(`+at+`, `+at+`);
				for (const ch of `+jsString(words)+`) document.execCommand('insertText', false, ch); })()`))
		}
		write(fatima, "0", "Vi taler sammen, før vi giver et barn en telefon. ")
		write(piotr, "t.value.length", " Og vi hjælper hinanden.")
		do(t, fatima, "Fatima sees Piotr's caret and words", waitJS(sees("Piotr")), waitJS(ta+`.value.includes('hinanden')`))
		do(t, piotr, "Piotr sees Fatima's caret and words", waitJS(sees("Fatima")), waitJS(ta+`.value.includes('telefon')`))
		side(t, "writing-together", capture(t, fatima, "Fatima's phone"), capture(t, piotr, "Piotr's phone"))
	})

	t.Run("arabic", func(t *testing.T) {
		// Fatima's phone, in Arabic, while Piotr still writes with her.
		p := fatima
		do(t, p, "the draft in Arabic", chromedp.Navigate(app.URL+"/a/"+w.Draft.AgreementID+"?lang=ar"), ready(), connected(),
			waitJS(`document.querySelector('.caret-name')`))
		if !eval[bool](t, p, `document.documentElement.lang === 'ar' && document.documentElement.dir === 'rtl' && document.querySelectorAll('#clauses textarea.clause-body').length >= 5`) {
			t.Error("the editor is not in Arabic, right to left, with the draft's points")
		}
		picture(t, p, "editor-arabic")
	})

	t.Run("ballot", func(t *testing.T) {
		p := as(key(demo.RoleVoter), phone())
		do(t, p, "the ballot", chromedp.Navigate(app.URL+"/a/"+w.Voting.AgreementID+"?lang=da"), ready(), ballotReady())
		var voting agreements.Agreement
		app.Must(http.StatusOK, "GET", "/api/v1/agreements/"+w.Voting.AgreementID, key(demo.RoleVoter), nil, &voting)
		if n := eval[int](t, p, `document.querySelectorAll('#ballot form.vote-form').length`); n != len(voting.Clauses) {
			t.Errorf("the ballot asks about %d points, want the agreement's %d", n, len(voting.Clauses))
		}
		do(t, p, "the first point's answers", centre("#ballot form.vote-form"))
		picture(t, p, "ballot")
	})

	t.Run("projector", func(t *testing.T) {
		p := as(facilitatorKey(t, app, w.Voting.ClassID), projectorScreen())
		do(t, p, "the meeting on the projector", chromedp.Navigate(app.URL+"/a/"+w.Voting.AgreementID+"/meeting?lang=da"), ready(),
			waitJS(`document.getElementById('cast').textContent === '5' && document.querySelector('#clause-votes .bar-row')`))
		readableFromTheBack(t, p, app, "[data-testid=join-code]", "the projector")
		picture(t, p, "projector")
	})

	t.Run("poster", func(t *testing.T) {
		p := person(t, root)
		do(t, p, "the poster as printed", chromedp.EmulateViewport(595, 842), chromedp.Navigate(app.URL+"/p/"+w.Published.Slug+"?lang=da"),
			ready(), chromedp.Func(emulatePrint))
		if !eval[bool](t, p, `!!document.querySelector('.poster svg.qr') && document.querySelectorAll('.poster .clauses > li').length >= 5 && !!document.querySelector('.poster .help')`) {
			t.Error("the printed poster lacks its QR code, its points or where to get help")
		}
		picture(t, p, "poster")
	})

	t.Run("school", func(t *testing.T) {
		p := as(key(demo.RoleSchoolAdmin), chromedp.EmulateViewport(1280, 720))
		do(t, p, "the school's overview", chromedp.Navigate(app.URL+"/s/"+w.SchoolID+"?lang=da"), ready())
		if !eval[bool](t, p, `['4.A', '5.B', '6.C', '7.A', '3.B'].every((n) => document.querySelector('[data-testid=classes]').innerText.includes(n))`) {
			t.Error("the overview does not list the school's five classes")
		}
		picture(t, p, "school")
	})

}

// facilitatorKey gives the facilitator of a class of the demo, who has no link of their own, a key.
func facilitatorKey(t *testing.T, app *apptest.App, classID string) string {
	t.Helper()
	var members []agreements.Member
	app.Store.View(context.Background(), func(tx agreements.Tx) (err error) { members, err = tx.Members(classID); return err })
	for _, m := range members {
		if m.Role == agreements.RoleFacilitator {
			key, err := app.Service.ReissueMemberKey(context.Background(), classID, m.ID)
			if err != nil {
				t.Fatal(err)
			}
			return key
		}
	}
	t.Fatalf("the class %s has no facilitator", classID)
	return ""
}

// picture checks that the page does not scroll sideways and, with KA_PICTURES=1, saves what the
// screen shows as name.png among the README's pictures.
func picture(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	if b := capture(t, ctx, name); b != nil {
		save(t, name, b)
	}
}

// capture checks that the page does not scroll sideways and, with KA_PICTURES=1, returns what
// the screen shows (nil without).
func capture(t *testing.T, ctx context.Context, what string) []byte {
	t.Helper()
	noSidewaysScroll(t, ctx, what)
	if os.Getenv("KA_PICTURES") == "" {
		return nil
	}
	do(t, ctx, "the fonts", waitJS(`document.fonts.status === 'loaded'`))
	return get(t, ctx, "a picture of "+what, chromedp.CaptureScreenshot())
}

// side saves two phones' pictures side by side, as one picture.
func side(t *testing.T, name string, left, right []byte) {
	t.Helper()
	if left == nil {
		return
	}
	a, errA := png.Decode(bytes.NewReader(left))
	b, errB := png.Decode(bytes.NewReader(right))
	if errA != nil || errB != nil {
		t.Fatal(errA, errB)
	}
	const gap = 24
	out := image.NewRGBA(image.Rect(0, 0, a.Bounds().Dx()+gap+b.Bounds().Dx(), max(a.Bounds().Dy(), b.Bounds().Dy())))
	draw.Draw(out, out.Bounds(), image.NewUniform(color.RGBA{0xdd, 0xdd, 0xdd, 0xff}), image.Point{}, draw.Src)
	draw.Draw(out, a.Bounds(), a, a.Bounds().Min, draw.Src)
	draw.Draw(out, b.Bounds().Add(image.Pt(a.Bounds().Dx()+gap, 0)), b, b.Bounds().Min, draw.Src)
	var buf bytes.Buffer
	if err := (&png.Encoder{CompressionLevel: png.BestCompression}).Encode(&buf, out); err != nil {
		t.Fatal(err)
	}
	save(t, name, buf.Bytes())
}

func save(t *testing.T, name string, b []byte) {
	t.Helper()
	if len(b) > 150<<10 {
		t.Errorf("the picture %s is %d KB, more than a README should carry", name, len(b)>>10)
	}
	if err := os.WriteFile(filepath.Join(picturesDir, name+".png"), b, 0o644); err != nil {
		t.Fatal(err)
	}
}
