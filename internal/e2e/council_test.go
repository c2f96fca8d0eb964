package e2e

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"klasseaftale/internal/apptest"
)

// speak chooses the language in the page's menu, as a person does: it is kept in a cookie.
func speak(base, lang, next string) chromedp.Action[chromedp.Void] {
	return steps(chromedp.Navigate(base+"/lang?set="+lang+"&next="+next), waitPath(next))
}

// joinCouncil joins the pupil council on the join page, as a pupil of the class named.
func joinCouncil(t *testing.T, ctx context.Context, base, code, nickname, class, lang string) {
	t.Helper()
	do(t, ctx, nickname+" joins the council",
		phone(),
		speak(base, lang, "/join"),
		chromedp.Navigate(base+"/join?code="+code),
		chromedp.WaitVisible(css("#join-class")),
		ready(),
		chromedp.SendKeys(css("#join-name"), nickname),
		chromedp.Evaluate[chromedp.Void](`(() => { const s = document.getElementById('join-class');
			s.value = [...s.options].find((o) => o.textContent.trim() === `+jsString(class)+`).value; })()`),
		chromedp.Click(css("#join-form button[type=submit]")),
		// the class, or the council's agreement when one is being drafted or voted on
		waitJS(`/^\/(c|a)\//.test(location.pathname) && document.readyState === 'complete'`),
	)
}

// A school's admin creates the pupil council and an adult's link; three pupils join it on their
// phones, naming their classes; the adult starts the council's agreement from pupil templates,
// a member writes in it live, the council votes and publishes. A class's teacher then starts the
// class's pupils' agreement from it, a pupil of the class adapts one clause on a phone, and the
// change shows next to the council's text, for the teacher too, without reloading.
func TestPupilCouncilInTheBrowser(t *testing.T) {
	t.Parallel()
	root := browser(t)
	app := apptest.New(t)
	s := app.NewSchool("Bakkeskolen")
	classA := app.NewClassIn("4.A", 4, s.OrganiserCode)
	app.NewClassIn("5.B", 5, s.OrganiserCode)
	_, pupilTok := app.Join(classA.PupilCode, "Kalle", "")

	admin := followKey(t, root, app, s.Token)
	do(t, admin, "create the council",
		chromedp.EmulateViewport(1366, 768),
		waitPath("/s/"+s.ID), speak(app.URL, "da", "/s/"+s.ID), ready(),
		chromedp.Click(css("#create-council button[type=submit]")),
		chromedp.WaitVisible(css("[data-testid=council-code]")),
		ready(),
		chromedp.SendKeys(css("#council-adult-name"), "Lærer Lene"),
		chromedp.Click(css("#council-adult button[type=submit]")),
		chromedp.WaitVisible(css("#council-adult-created .secret a")),
	)
	link := get(t, admin, "the adult's link", chromedp.Text(css("#council-adult-created .secret a")))
	code := strings.ReplaceAll(get(t, admin, "the council's code", chromedp.Text(css("[data-testid=council-code]"))), " ", "")
	if !strings.Contains(link, "/k/") || len(code) != 8 {
		t.Fatalf("the adult's link %q, the code %q", link, code)
	}
	screenshot(t, admin, "council-school-admin-da")

	adult := followKey(t, root, app, link[strings.Index(link, "/k/")+3:])
	do(t, adult, "the adult's council page", waitPath("/c/"))
	councilPath := eval[string](t, adult, `location.pathname`)
	do(t, adult, "in Danish", speak(app.URL, "da", councilPath), chromedp.WaitVisible(css("[data-testid=pupil-code]")))

	var members []context.Context
	for _, m := range []struct{ name, class string }{{"Lynet", "4.A"}, {"Stjerne", "5.B"}, {"Ræv", "4.A"}} {
		ctx := person(t, root)
		joinCouncil(t, ctx, app.URL, strings.ToLower(code), m.name, m.class, "da")
		members = append(members, ctx)
	}
	do(t, adult, "the members and their classes", chromedp.Reload(), chromedp.WaitVisible(css("[data-testid=council-members]")))
	got := eval[[]string](t, adult, `[...document.querySelectorAll('[data-testid=council-members] li')].map((li) =>
		li.querySelector('span').textContent + ' ' + li.querySelector('.small').textContent)`)
	if !slices.Equal(got, []string{"Lynet 4.A", "Stjerne 5.B", "Ræv 4.A"}) {
		t.Errorf("the council's members and their classes: %q", got)
	}

	do(t, adult, "start the council's agreement",
		chromedp.Click(css(`#new-pupils input[value="pupil-tone"]`)),
		chromedp.Click(css(`#new-pupils input[value="pupil-photos"]`)),
		chromedp.Click(css(`#new-pupils input[value="pupil-left-out"]`)),
		chromedp.Click(css(`#new-pupils button[type=submit]`)),
		waitPath("/a/"),
	)
	agreementPath := eval[string](t, adult, `location.pathname`)
	words := " Det har elevrådet skrevet."
	first := `#clauses > li:first-child `
	do(t, members[0], "a member writes in the council's draft",
		chromedp.Navigate(app.URL+agreementPath),
		connected(),
		chromedp.Evaluate[chromedp.Void](`(() => { const t = document.querySelector('`+first+`textarea'); t.focus(); t.setSelectionRange(t.value.length, t.value.length); })()`),
		chromedp.SendKeys(css(first+"textarea"), words),
		waitJS(`document.querySelector('`+first+`.saved').dataset.state === 'saved'`),
	)
	openVote(t, adult, app, strings.TrimPrefix(agreementPath, "/a/"))
	ids := eval[[]string](t, adult, `[...document.querySelectorAll('#ballot > li')].map((li) => li.id.replace('clause-', ''))`)
	// The member in the draft is taken to the ballot by the page itself; the others open it.
	do(t, members[0], "the draft turns into the ballot", chromedp.WaitVisible(css("#ballot")), ready())
	for i, m := range members {
		if i > 0 {
			do(t, m, "open the ballot", chromedp.Navigate(app.URL+agreementPath))
		}
		for _, id := range ids {
			vote(t, m, id, "yes", "")
		}
	}
	do(t, adult, "close the vote and publish",
		chromedp.Reload(), ready(), acceptConfirms,
		chromedp.Click(css("#close-vote button")),
		chromedp.WaitVisible(css("#publish")), ready(), acceptConfirms,
		chromedp.Click(css("#publish button")),
		// The form goes on to the poster; when the room's news of the publishing comes first, the
		// page reloads as published instead, with the poster one link away.
		waitJS(`location.pathname.startsWith('/p/') || document.querySelector('[data-testid=public-link]')`),
	)
	if !strings.HasPrefix(eval[string](t, adult, `location.pathname`), "/p/") {
		do(t, adult, "open the poster", chromedp.Click(css("[data-testid=public-link]")), waitPath("/p/"))
	}
	// The poster is read in one script, once it has loaded: a query of nodes could meet a page
	// that is still being replaced.
	do(t, adult, "the poster has loaded", waitPath("/p/"), ready())
	if page := eval[string](t, adult, `document.querySelector('main').innerText`); !strings.Contains(page, strings.TrimSpace(words)) {
		t.Errorf("the published council agreement lacks the member's words:\n%s", page)
	}

	teacher := login(t, root, app, classA.Facilitator)
	do(t, teacher, "the class page offers the council's agreement",
		chromedp.EmulateViewport(1366, 768),
		speak(app.URL, "da", "/c/"+classA.ID),
		chromedp.WaitVisible(css("[data-testid=council-offer]")), ready(),
	)
	if lead := get(t, teacher, "the offer", chromedp.Text(css("[data-testid=council-offer] p"))); !strings.Contains(lead, "Elevrådet har aftalt 3 punkter") {
		t.Errorf("the offer says %q", lead)
	}
	screenshot(t, teacher, "council-class-teacher-da")
	do(t, teacher, "start from it",
		chromedp.Click(css("#from-council button[type=submit]")),
		waitPath("/a/"), connected(),
	)
	classPath := eval[string](t, teacher, `location.pathname`)
	if n := eval[int](t, teacher, `document.querySelectorAll('.council-origin:not(.changed)').length`); n != 3 {
		t.Errorf("%d clauses marked as the council wrote them, want 3", n)
	}
	if b := get(t, teacher, "the first clause", chromedp.Value(css(first+"textarea"))); !strings.HasSuffix(b, words) {
		t.Errorf("the first clause did not arrive as the council wrote it: %q", b)
	}

	pupil := login(t, root, app, pupilTok)
	mine := " I 4.A siger vi også hej til de nye."
	do(t, pupil, "a pupil adapts the first clause on a phone",
		phone(),
		speak(app.URL, "da", classPath), connected(),
		chromedp.Evaluate[chromedp.Void](`(() => { const t = document.querySelector('`+first+`textarea'); t.focus(); t.setSelectionRange(t.value.length, t.value.length); })()`),
		chromedp.SendKeys(css(first+"textarea"), mine),
		waitJS(`document.querySelector('`+first+`.council-origin').classList.contains('changed') && document.querySelector('`+first+`.saved').dataset.state === 'saved'`),
	)
	// The council's text is open next to the class's, on the pupil's phone and live on the teacher's screen.
	for _, ctx := range []context.Context{pupil, teacher} {
		do(t, ctx, "the change shows next to the council's text",
			waitJS(`document.querySelector('`+first+`.council-origin').classList.contains('changed') && document.querySelector('`+first+`.council-text').open`))
		council := eval[string](t, ctx, `document.querySelector('`+first+`.council-origin').dataset.body`)
		class := eval[string](t, ctx, `document.querySelector('`+first+`textarea').value`)
		if strings.Contains(council, "4.A") || !strings.HasSuffix(class, mine) {
			t.Errorf("the council's text %q beside the class's %q", council, class)
		}
		if mark := eval[string](t, ctx, `getComputedStyle(document.querySelector('`+first+`.council-changed')).display`); mark == "none" {
			t.Error("the mark 'changed by the class' is not shown")
		}
		added := eval[[]string](t, ctx, `[...document.querySelectorAll('`+first+`.council-diff-body ins, `+first+`.council-diff-body del')].map((e) => e.tagName + ':' + e.textContent)`)
		if len(added) != 1 || added[0] != "INS:"+mine {
			t.Errorf("the class's change, marked in the council's text: %q, want only %q added", added, mine)
		}
	}
	if n := eval[int](t, pupil, `document.querySelectorAll('.council-origin:not(.changed)').length`); n != 2 {
		t.Errorf("%d clauses still as the council wrote them, want 2", n)
	}
	noSidewaysScroll(t, pupil, "the class's agreement on a phone")
	screenshot(t, pupil, "council-class-agreement-da")
	screenshot(t, teacher, "council-class-agreement-teacher-da")
	do(t, pupil, "the pupil leaves the text", chromedp.Evaluate[chromedp.Void](`document.activeElement.blur()`))
	do(t, teacher, "the pupil is no longer in the clause", waitJS(`document.querySelector('`+first+`.here').children.length === 0`))

	t.Run("Arabic on a phone", func(t *testing.T) {
		ar := person(t, root)
		joinCouncil(t, ar, app.URL, code, "Nour", "5.B", "ar")
		do(t, ar, "the council's page in Arabic", chromedp.Navigate(app.URL+councilPath+"?lang=ar"), ready())
		screenshot(t, ar, "council-page-pupil-ar")
		checkArabic(t, ar, "the council's page")
		do(t, ar, "the join page in Arabic", chromedp.Navigate(app.URL+"/join?code="+code+"&lang=ar"), ready())
		checkArabic(t, ar, "the council's join page")
		screenshot(t, ar, "council-join-ar")
		do(t, pupil, "the class's agreement in Arabic", chromedp.Navigate(app.URL+classPath+"?lang=ar"), connected(),
			waitJS(`document.querySelector('`+first+`.council-origin').classList.contains('changed')`))
		checkArabic(t, pupil, "the class's agreement")
		screenshot(t, pupil, "council-class-agreement-ar")
		do(t, pupil, "the class page in Arabic", chromedp.Navigate(app.URL+"/c/"+classA.ID+"?lang=ar"), chromedp.WaitVisible(css("[data-testid=council-offer]")))
		checkArabic(t, pupil, "the class page")
		screenshot(t, pupil, "council-class-page-ar")
		do(t, adult, "the council's page in Arabic", phone(), chromedp.Navigate(app.URL+councilPath+"?lang=ar"), ready())
		checkArabic(t, adult, "the council's page for its adult")
		screenshot(t, adult, "council-page-adult-ar")
		do(t, admin, "the school's page in Arabic", phone(), chromedp.Navigate(app.URL+"/s/"+s.ID+"?lang=ar"), ready())
		checkArabic(t, admin, "the school's page")
		screenshot(t, admin, "council-school-ar")
		do(t, teacher, "the class's agreement in Arabic on a laptop", chromedp.Navigate(app.URL+classPath+"?lang=ar"), connected())
		checkArabic(t, teacher, "the class's agreement on a laptop")
		screenshot(t, teacher, "council-class-agreement-teacher-ar")
	})
	t.Run("Danish on a phone", func(t *testing.T) {
		for _, p := range []struct {
			ctx        context.Context
			path, name string
		}{{pupil, "/c/" + classA.ID, "council-class-page-da"}, {members[1], councilPath, "council-page-pupil-da"},
			{adult, councilPath, "council-page-adult-da"}, {admin, "/s/" + s.ID, "council-school-da"}} {
			do(t, p.ctx, "open "+p.path, phone(), chromedp.Navigate(app.URL+p.path+"?lang=da"), ready())
			noSidewaysScroll(t, p.ctx, p.path+" in Danish")
			screenshot(t, p.ctx, p.name)
		}
		ctx := person(t, root)
		do(t, ctx, "the join page", phone(), chromedp.Navigate(app.URL+"/join?code="+code+"&lang=da"), ready())
		noSidewaysScroll(t, ctx, "the council's join page")
		screenshot(t, ctx, "council-join-da")
	})
	t.Run("the overview prints on one page", func(t *testing.T) {
		do(t, admin, "the overview", chromedp.EmulateViewport(1366, 768), chromedp.Navigate(app.URL+"/s/"+s.ID+"?lang=da"), ready())
		screenshot(t, admin, "council-school-laptop-da")
		if n := len(pdfPage.FindAll(get(t, admin, "print", chromedp.PrintToPDF(chromedp.PDFPaper(chromedp.PaperA4))), -1)); n != 1 {
			t.Errorf("the overview with its pupil council prints on %d pages, want 1", n)
		}
	})
}

// checkArabic fails unless the page is right to left, fits the phone's width, and shows the
// class "4.A" or "5.B" the right way round wherever it stands.
func checkArabic(t *testing.T, ctx context.Context, what string) {
	t.Helper()
	if got := eval[string](t, ctx, `document.documentElement.lang + ' ' + document.documentElement.dir`); got != "ar rtl" {
		t.Errorf("%s in Arabic: html lang/dir %q", what, got)
	}
	noSidewaysScroll(t, ctx, what+" in Arabic")
	for _, piece := range []string{"4.A", "5.B"} {
		if got := eval[string](t, ctx, onScreen("main", "", piece)); got != "" && got != piece {
			t.Errorf("%s in Arabic shows %s as %q", what, piece, got)
		}
	}
}
