package server_test

import (
	"net/http"
	"os"
	"regexp"
	"strings"
	"testing"

	"klasseaftale/internal/apptest"
)

var routeLine = regexp.MustCompile(`(?m)^\t+(e|api)\.(GET|POST|PUT|DELETE)\("([^"]+)", s\.\w+(, s\.signedIn)?\)$`)

// One way into a handler: a route whose handler needs someone says so in the route list
// (signedIn), and answers a request without a token with 401 auth.required before the handler
// runs; every other route answers one without a 5xx or a dropped connection (a handler that
// reads the actor on a route that is not signedIn would drop it).
func TestRoutesSayWhoTheyNeed(t *testing.T) {
	src, err := os.ReadFile("routes.go")
	if err != nil {
		t.Fatal(err)
	}
	app := apptest.New(t)
	class := app.NewClass("4.B", 4)
	draft := app.NewAgreement(class, "parents", "photos")
	fill := strings.NewReplacer(":id", draft.ID, ":cid", draft.Clauses[0].ID, ":mid", "nobody", ":lid", "nolink",
		":role", "parent", ":rev", "1", ":slug", "noslug", ":token", "notakey", ":lang", "da", "*", "x")
	routes := routeLine.FindAllStringSubmatch(string(src), -1)
	signed := 0
	for _, r := range routes {
		method, path := r[2], fill.Replace(r[3])
		if r[1] == "api" {
			path = "/api/v1" + path
		}
		res := fetch(t, app, method, path, "", "Origin: "+app.URL)
		if r[4] != "" {
			signed++
			if res.StatusCode != http.StatusUnauthorized {
				t.Errorf("%s %s without a token: %d, want 401: %.120s", method, path, res.StatusCode, res.Body)
			}
			continue
		}
		if res.StatusCode >= 500 {
			t.Errorf("%s %s without a token: %d: %.120s", method, path, res.StatusCode, res.Body)
		}
	}
	if len(routes) < 70 || signed < 50 {
		t.Fatalf("read %d routes, %d of them signedIn, from routes.go: the pattern no longer matches the list", len(routes), signed)
	}
}
