package server_test

import (
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"klasseaftale/agreements"
	"klasseaftale/internal/apptest"
)

var languages = []string{"da", "en", "ar", "tr", "uk", "pl", "ro", "ur", "fa", "so"}

// The privacy page says, in every language, what is stored, why, for how long and who sees it,
// with the figures the code applies; every page links to it.
func TestPrivacyPage(t *testing.T) {
	app := apptest.New(t)
	itoa := strconv.Itoa
	days := func(d time.Duration) string { return itoa(int(d / (24 * time.Hour))) }
	figures := map[string]map[string]string{
		"privacy.how_long_class":   {"Months": itoa(agreements.InactiveMonths), "Days": days(agreements.DeletionNotice)},
		"privacy.how_long_archive": {"Days": days(agreements.DefaultRetention)},
		"privacy.how_long_log":     {"Days": days(agreements.EditLogRetention)},
		"privacy.who_votes":        {"Min": itoa(agreements.MinGroup)},
		"privacy.who_school":       {"Min": itoa(agreements.MinGroup)},
		"privacy.leave_school":     {"Days": days(agreements.DefaultRetention)},
		"privacy.stored_not":       nil,
		"privacy.leave":            nil,
	}
	for _, lang := range languages {
		t.Run(lang, func(t *testing.T) {
			r := fetch(t, app, "GET", "/privacy?lang="+lang, "")
			if r.StatusCode != http.StatusOK || !strings.Contains(r.Body, `<html lang="`+lang+`"`) {
				t.Fatalf("%d", r.StatusCode)
			}
			for id, data := range figures {
				if want := template.HTMLEscapeString(localeText(t, lang, id, data)); !strings.Contains(r.Body, want) {
					t.Errorf("the page lacks %s: %q", id, want)
				}
			}
			if strings.Contains(r.Body, "{{") || strings.Contains(r.Body, "privacy.") {
				t.Error("the page shows a placeholder or a message ID")
			}
		})
	}
	t.Run("the archive retention set is the one stated", func(t *testing.T) {
		app.Service.SetRetention(14 * 24 * time.Hour)
		defer app.Service.SetRetention(agreements.DefaultRetention)
		r := fetch(t, app, "GET", "/privacy?lang=en", "")
		if !strings.Contains(r.Body, localeText(t, "en", "privacy.how_long_archive", map[string]string{"Days": "14"})) {
			t.Error("the page does not state 14 days")
		}
	})
	t.Run("every page links to it", func(t *testing.T) {
		c := app.NewClass("2.B", 2)
		for _, path := range []string{"/", "/join", "/accessibility", "/school/new", "/c/" + c.ID, "/privacy"} {
			if r := fetch(t, app, "GET", path, "", session(c.Facilitator)); !strings.Contains(r.Body, `href="/privacy"`) {
				t.Errorf("%s has no link to the privacy page", path)
			}
		}
	})
}
