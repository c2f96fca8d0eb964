package server_test

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"klasseaftale/agreements"
)

// The class-chat checklist, for parents and for pupils: every item a clause, with a value to
// choose where one fits (who runs the chat, the quiet hours, pictures), in every language; the
// school's overview reads the quiet hours the class chose from it.
func TestChatChecklist(t *testing.T) {
	w := newHistoryWorld(t)
	items := []string{"age-limit", "members", "admin", "removal", "strangers", "block-report", "quiet-hours", "photos"}
	pupilItems := []string{"age", "members", "admin", "removal", "strangers", "block-report", "quiet-hours", "photos"}
	params := map[string][]string{
		"admin":       {"teacher-and-parent", "two-parents", "teacher"},
		"quiet-hours": {"19:00", "20:00", "21:00"},
		"photos":      {"no-people", "with-consent"},
	}
	for _, tc := range []struct {
		kind, key string
		items     []string
	}{{"parents", "chat-checklist", items}, {"pupils", "pupil-chat-checklist", pupilItems}} {
		for _, lang := range []string{"da", "en", "ar", "tr", "uk", "pl", "ro", "ur", "fa", "so"} {
			var out struct{ Templates []agreements.Template }
			w.app.Must(http.StatusOK, "GET", "/api/v1/templates?kind="+tc.kind+"&grade=4&lang="+lang, "", nil, &out)
			i := slices.IndexFunc(out.Templates, func(tp agreements.Template) bool { return tp.Key == tc.key })
			if i < 0 {
				t.Fatalf("%s: no %s", lang, tc.key)
			}
			tp := out.Templates[i]
			if len(tp.Clauses) != len(tc.items) || tp.Title == "" {
				t.Fatalf("%s: %s has %d clauses", lang, tc.key, len(tp.Clauses))
			}
			for j, c := range tp.Clauses {
				if c.Key != tc.key+"."+tc.items[j] || c.Title == "" || c.Body == "" {
					t.Errorf("%s: clause %d is %+v", lang, j, c)
				}
				// The checklist rates no app by name: it is what a class checks any app against.
				for _, app := range []string{"TikTok", "Snapchat", "Instagram", "WhatsApp", "Messenger", "Discord", "Aula", "Facebook"} {
					if strings.Contains(c.Body+c.Title, app) {
						t.Errorf("%s: %s names %s", lang, c.Key, app)
					}
				}
				want, has := params[tc.items[j]]
				if has != (c.Parameter != nil) {
					t.Errorf("%s: %s has a parameter: %v", lang, c.Key, c.Parameter != nil)
				}
				if c.Parameter == nil {
					continue
				}
				for k, o := range c.Parameter.Options {
					if k >= len(want) || o.Value != want[k] || o.Label == "" {
						t.Errorf("%s: %s option %d is %+v", lang, c.Key, k, o)
					}
				}
			}
		}
	}

	// A class takes it up, chooses who runs its chat and when it is quiet, and the school sees
	// the quiet hours.
	a := w.app.NewAgreement(w.a, "parents", "chat-checklist")
	for key, value := range map[string]string{"admin": "teacher", "quiet-hours": "19:00", "photos": "no-people"} {
		i := slices.IndexFunc(a.Clauses, func(c agreements.Clause) bool { return c.Key == "chat-checklist."+key })
		editBody(t, w.app, a, a.Clauses[i].ID, w.mor, map[string]any{"value": value})
	}
	voters := []string{w.mor, w.far}
	for i := range 3 { // five households: a smaller class's values stay masked
		_, tok := w.app.Join(w.a.ParentCode, fmt.Sprint("Forælder ", i), fmt.Sprint("Barn ", i))
		voters = append(voters, tok)
	}
	w.app.Adopt(w.a, a.ID, voters...)
	w.app.Must(http.StatusOK, "POST", "/api/v1/agreements/"+a.ID+"/publish", w.a.Facilitator, nil, nil)
	var overview struct {
		Classes []struct {
			Parents struct{ Values map[string]string } `json:"parents"`
		} `json:"classes"`
	}
	w.app.Must(http.StatusOK, "GET", "/api/v1/schools/"+w.school.ID+"/adoption", w.school.Token, nil, &overview)
	if len(overview.Classes) != 1 || overview.Classes[0].Parents.Values["quiet_hours"] != "19:00" {
		t.Errorf("the school sees %+v", overview.Classes)
	}
	pupils := w.app.NewAgreement(w.a, "pupils", "pupil-chat-checklist")
	if len(pupils.Clauses) != len(pupilItems) {
		t.Errorf("the pupils' checklist has %d clauses", len(pupils.Clauses))
	}
}
