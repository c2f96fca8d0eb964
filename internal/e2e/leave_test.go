package e2e

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"klasseaftale/agreements"
	"klasseaftale/internal/apptest"
)

// A parent leaves the class from its page and lands on the front page, told that their data is
// gone; the facilitator removes another parent with the button on that parent's row. In Danish
// and Arabic, on a phone.
func TestLeaveAndRemoveMembers(t *testing.T) {
	t.Parallel()
	root := browser(t)
	for _, lang := range []string{"da", "ar"} {
		t.Run(lang, func(t *testing.T) {
			app := apptest.New(t)
			class := app.NewClass("4.B", 4)
			_, leaver := app.Join(class.ParentCode, "Mor til Ida", "Ida")
			omar, omarTok := app.Join(class.ParentCode, "Far til Omar", "Omar")
			app.Join(class.PupilCode, "Lynet", "")
			app.NewAgreement(class, "parents", "photos")

			p := login(t, root, app, leaver)
			do(t, p, "the class page on a phone", phone(), chromedp.Navigate(app.URL+"/c/"+class.ID+"?lang="+lang), ready(),
				chromedp.WaitVisible(css("#leave-class")))
			screenshot(t, p, "class-parent-"+lang)
			do(t, p, "leave the class", acceptConfirms, chromedp.Click(css("#leave-class button")),
				waitJS(`location.pathname === '/' && document.querySelector('[data-testid=left-notice]')`))
			screenshot(t, p, "left-"+lang)
			if r := app.Do("GET", "/api/v1/classes/"+class.ID, leaver, nil); r.Status != http.StatusUnauthorized {
				t.Errorf("the token after leaving: %d", r.Status)
			}
			do(t, p, "back to the class page", chromedp.Navigate(app.URL+"/c/"+class.ID))
			if strings.Contains(eval[string](t, p, `document.body.innerText`), "Ida") {
				t.Error("the class page still opens for the parent who left")
			}

			fac := login(t, root, app, class.Facilitator)
			row := `li[data-member="` + omar.ID + `"]`
			do(t, fac, "the facilitator's list of members", phone(), chromedp.Navigate(app.URL+"/c/"+class.ID+"?lang="+lang), ready(),
				chromedp.WaitVisible(css(row+" form.remove-member button")))
			if n := eval[int](t, fac, `document.querySelectorAll('[data-testid=members] li').length`); n != 3 {
				t.Errorf("%d members listed, want the facilitator, Omar's father and the pupil", n)
			}
			if eval[bool](t, fac, `!!document.querySelector('#leave-class')`) || !eval[bool](t, fac, `!!document.querySelector('[data-testid=last-facilitator]')`) {
				t.Error("the class's only facilitator is offered to leave")
			}
			screenshot(t, fac, "class-facilitator-"+lang)
			do(t, fac, "remove Omar's father", acceptConfirms, chromedp.Click(css(row+" form.remove-member button")),
				waitJS(`document.readyState === 'complete' && !document.querySelector('`+row+`') && document.querySelector('[data-testid=members]')`))
			if r := app.Do("GET", "/api/v1/classes/"+class.ID, omarTok, nil); r.Status != http.StatusUnauthorized {
				t.Errorf("the removed parent's token: %d", r.Status)
			}
			var v agreements.ClassView
			app.Must(http.StatusOK, "GET", "/api/v1/classes/"+class.ID, class.Facilitator, nil, &v)
			if len(v.Households) != 0 || len(v.Members) != 2 {
				t.Errorf("after both parents went: %d households, %d members", len(v.Households), len(v.Members))
			}
		})
	}
}

// The privacy page, linked from every page's footer, reads well on a phone in Danish and Arabic.
func TestPrivacyPageOnAPhone(t *testing.T) {
	t.Parallel()
	root := browser(t)
	app := apptest.New(t)
	for _, lang := range []string{"da", "ar"} {
		p := person(t, root)
		do(t, p, "the front page", phone(), chromedp.Navigate(app.URL+"/?lang="+lang), ready())
		do(t, p, "follow the footer's link", chromedp.Click(css(`footer a[href="/privacy"]`)), waitPath("/privacy"))
		do(t, p, "in "+lang, chromedp.Navigate(app.URL+"/privacy?lang="+lang), ready())
		if n := eval[int](t, p, `document.querySelectorAll('[data-testid=how-long] li').length`); n != 5 {
			t.Errorf("%d retention items", n)
		}
		screenshot(t, p, "privacy-"+lang)
	}
}
