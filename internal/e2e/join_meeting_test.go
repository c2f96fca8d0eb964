package e2e

import (
	"net/http"
	"testing"

	"github.com/chromedp/chromedp"

	"klasseaftale/agreements"
	"klasseaftale/internal/apptest"
)

// A parent joining while the class drafts its agreement lands in that agreement, not on the
// class page. Naming a child already in the class, the parent is asked whether it is the same
// child: one parent says so and joins Ida's family; another has another Ida and gives an
// initial, making "Ida B.". In Danish and in Arabic, on a phone.
func TestJoiningLandsWhereTheMeetingIs(t *testing.T) {
	t.Parallel()
	root := browser(t)
	for _, lang := range []string{"da", "ar"} {
		app := apptest.New(t)
		class := app.NewClass("4.B", 4)
		mor, _ := app.Join(class.ParentCode, "Mor til Ida", "Ida")
		draft := app.NewAgreement(class, "parents", "photos")

		join := func(name, child, choice, initial string) {
			ctx := person(t, root)
			do(t, ctx, name+" opens the join page in "+lang, phone(),
				chromedp.Navigate(app.URL+"/join?code="+class.ParentCode+"&lang="+lang), ready(),
				chromedp.SendKeys(css("#join-name"), name),
				chromedp.SendKeys(css("#join-child"), child),
				chromedp.Click(css("#join-form button[type=submit]")),
				chromedp.WaitVisible(css("#join-same-name")),
			)
			noSidewaysScroll(t, ctx, "the question in "+lang)
			if eval[bool](t, ctx, `!!document.querySelector('#join-initial').getClientRects().length`) {
				t.Errorf("%s: the initial is asked before the parent said it is another child", lang)
			}
			shoot(t, ctx, "join-same-name-"+lang)
			if msg := eval[string](t, ctx, `document.querySelector('#join-same-name-why').textContent`); msg == "" {
				t.Errorf("%s: the question says nothing", lang)
			}
			steps := []chromedp.Action[chromedp.Void]{chromedp.Click(css(`#join-same-name input[value=` + choice + `]`))}
			if initial != "" {
				steps = append(steps, chromedp.WaitVisible(css("#join-initial")), chromedp.SendKeys(css("#join-initial"), initial))
			}
			steps = append(steps, chromedp.Click(css("#join-form button[type=submit]")), waitPath("/a/"+draft.ID), ready(), connected())
			do(t, ctx, name+" answers", steps...)
			shoot(t, ctx, "join-landed-"+lang)
		}
		join("Far til Ida", " ida ", "same", "")
		join("Mor til den anden Ida", "Ida", "other", "b")

		var view struct {
			Households []agreements.Household
			Members    []agreements.Member
		}
		app.Must(http.StatusOK, "GET", "/api/v1/classes/"+class.ID, class.Facilitator, nil, &view)
		names := map[string]string{}
		for _, h := range view.Households {
			names[h.ID] = h.ChildName
		}
		got := map[string]string{}
		for _, m := range view.Members {
			got[m.Name] = names[m.HouseholdID]
		}
		if len(view.Households) != 2 || got["Far til Ida"] != "Ida" || got["Mor til den anden Ida"] != "Ida B." || got["Mor til Ida"] != names[mor.HouseholdID] {
			t.Errorf("%s: households %v, members' children %v", lang, names, got)
		}
	}
}
