package server_test

import (
	"html"
	"regexp"
	"strings"
	"testing"

	"klasseaftale/internal/apptest"
	"klasseaftale/locales"
	"klasseaftale/server"
)

var (
	testidRe = func(id string) *regexp.Regexp {
		return regexp.MustCompile(`(?s)data-testid="` + id + `"[^>]*>(.*?)</(p|ul)>`)
	}
	tagRe = regexp.MustCompile(`<[^>]+>`)
)

func section(t *testing.T, body, id string) string {
	t.Helper()
	m := testidRe(id).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no %s on the page", id)
	}
	return m[1]
}

// The accessibility statement is a statement in the Danish agency's form, in every language:
// its date, a partial compliance with the known failures listed one by one, how the service was
// assessed, the operator's contact (or a sentence that none is given), and the complaint route
// to the agency as text — no request to another site.
func TestAccessibilityStatement(t *testing.T) {
	msgs, err := locales.Load()
	if err != nil {
		t.Fatal(err)
	}
	app := apptest.New(t)
	withContact := apptest.New(t, apptest.Options{ContactURL: "https://kommune.example/tilgaengelighed"})
	date := server.A11yReviewed.Format("2006-01-02")
	for _, lang := range msgs.Langs() {
		t.Run(lang, func(t *testing.T) {
			r := fetch(t, app, "GET", "/accessibility?lang="+lang, "")
			if r.StatusCode != 200 {
				t.Fatalf("%d", r.StatusCode)
			}
			if d := section(t, r.Body, "a11y-date"); !strings.Contains(d, date) {
				t.Errorf("the statement's date: %q, want %s", d, date)
			}
			if s := html.UnescapeString(section(t, r.Body, "a11y-status")); s != msgs.T(lang, "a11y.status", nil) || !strings.Contains(s, "EN 301 549") {
				t.Errorf("the compliance status: %q", s)
			}
			known := section(t, r.Body, "a11y-known")
			if n := strings.Count(known, "<li>"); n != len(server.A11yKnownKeys()) {
				t.Errorf("%d known failures listed, want %d", n, len(server.A11yKnownKeys()))
			}
			for _, k := range server.A11yKnownKeys() {
				if !strings.Contains(html.UnescapeString(known), msgs.T(lang, k, nil)) {
					t.Errorf("the known failure %s is not listed", k)
				}
			}
			if c := section(t, r.Body, "a11y-contact"); strings.Contains(c, "<a") || tagRe.ReplaceAllString(html.UnescapeString(c), "") != msgs.T(lang, "a11y.contact_unset", nil) {
				t.Errorf("without a contact address: %q", c)
			}
			if c := section(t, r.Body, "a11y-complaint"); !strings.Contains(c, "digst.dk") || !strings.Contains(c, "Digitaliseringsstyrelse") {
				t.Errorf("the complaint route: %q", c)
			}
			if strings.Contains(r.Body, `href="https://digst`) || strings.Contains(r.Body, `src="http`) {
				t.Error("the statement links or loads from another site")
			}

			w := fetch(t, withContact, "GET", "/accessibility?lang="+lang, "")
			c := section(t, w.Body, "a11y-contact")
			if !strings.Contains(c, `<a href="https://kommune.example/tilgaengelighed">`) || !strings.Contains(html.UnescapeString(c), msgs.T(lang, "a11y.contact_set", nil)) {
				t.Errorf("with a contact address: %q", c)
			}
		})
	}
}
