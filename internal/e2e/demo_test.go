package e2e

import (
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"

	"klasseaftale/internal/apptest"
	"klasseaftale/internal/demo"
)

// The demo school, as each of its people first sees it on a phone, in Danish and in Arabic: their
// own page, with what the seed put there, and nothing that scrolls sideways.
func TestDemoSchoolPages(t *testing.T) {
	t.Parallel()
	root := browser(t)
	app := apptest.New(t)
	w := app.Demo()
	cases := []struct {
		role, path string
		shows      string // JavaScript that holds on the role's page
	}{
		{demo.RoleFacilitator, "/c/" + w.Draft.ClassID, `document.querySelector('a[href="/a/` + w.Draft.AgreementID + `"]')`},
		{demo.RoleParent, "/c/" + w.Draft.ClassID, `document.querySelector('a[href="/a/` + w.Draft.AgreementID + `"]')`},
		{demo.RoleSecondParent, "/c/" + w.Draft.ClassID, `document.body.innerText.includes('Zosia')`},
		{demo.RolePupil, "/c/" + w.FromCouncil.ClassID, `document.querySelector('a[href="/a/` + w.FromCouncil.AgreementID + `"]')`},
		{demo.RoleSchoolAdmin, "/s/" + w.SchoolID, `['4.A', '5.B', '6.C', '7.A', '3.B'].every(n => document.body.innerText.includes(n))`},
		{demo.RoleMunicipality, "/m/" + w.MunicipalityID, `document.body.innerText.includes('Skovbakkeskolen')`},
	}
	for _, c := range cases {
		t.Run(c.role, func(t *testing.T) {
			t.Parallel()
			ctx := person(t, root)
			do(t, ctx, "sign in", phone(), useKey(app.URL, w.Link(c.role).Path[len("/k/"):]), waitPath(c.path), ready())
			for _, lang := range []string{"da", "ar"} {
				do(t, ctx, "the page in "+lang, chromedp.Navigate(app.URL+c.path+"?lang="+lang), ready(), waitJS(c.shows))
				screenshot(t, ctx, "demo-"+filepath.Base(c.path[:2])+"-"+lang+"-"+c.role)
				shoot(t, ctx, "demo-view-"+lang+"-"+c.role)
			}
		})
	}
}
