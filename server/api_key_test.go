package server_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"klasseaftale/internal/apptest"
	"klasseaftale/server"
)

// A facilitator who lost their key link gets a new one from a device still signed in: the old
// link and every session made from it stop working, the asking browser stays signed in, and
// nobody else can replace it — not a parent, not another class's facilitator.
func TestReplaceFacilitatorKey(t *testing.T) {
	limits := server.DefaultLimits()
	limits.KeysPerHour = 2
	app := apptest.New(t, apptest.Options{Limits: &limits})
	class := app.NewClass("4.B", 4)
	other := app.NewClass("5.A", 5)
	_, parent := app.Join(class.ParentCode, "Mor til Ida", "Ida")
	_, phone, err := app.Service.SignIn(context.Background(), class.Facilitator) // a device signed in with the link
	if err != nil {
		t.Fatal(err)
	}
	_, laptop, err := app.Service.SignIn(context.Background(), class.Facilitator)
	if err != nil {
		t.Fatal(err)
	}
	path := "/api/v1/classes/" + class.ID + "/key"
	before := app.Snapshot()
	for who, tok := range map[string]string{"a parent": parent, "another class's facilitator": other.Facilitator, "nobody": ""} {
		r := app.Do("POST", path, tok, nil)
		want := http.StatusForbidden
		if tok == "" {
			want = http.StatusUnauthorized
		}
		if r.Status != want {
			t.Errorf("%s replaces the link: %d %s, want %d", who, r.Status, r.Body, want)
		}
	}
	if app.Snapshot() != before {
		t.Fatal("a refused replacement changed the database")
	}
	app.Must(http.StatusOK, "GET", "/api/v1/me", class.Facilitator, nil, nil) // the link still works

	r := app.Do("POST", path, "", nil, "Cookie: ka_session="+phone)
	if r.Status != http.StatusCreated {
		t.Fatalf("replace from a signed-in browser: %d %s", r.Status, r.Body)
	}
	var out struct {
		Token string `json:"token"`
		URL   string `json:"facilitator_url"`
	}
	if err := r.JSON(&out); err != nil || out.Token == "" || !strings.HasSuffix(out.URL, "/k/"+out.Token) {
		t.Fatalf("answer %s", r.Body)
	}
	var session string
	for _, ck := range (&http.Response{Header: r.Header}).Cookies() {
		if ck.Name == "ka_session" {
			session = ck.Value
		}
	}
	if session == "" || session == phone {
		t.Fatalf("the browser got no new session: %q", r.Header.Values("Set-Cookie"))
	}
	for what, tok := range map[string]string{"the old link": class.Facilitator, "the old session": phone, "another device's session": laptop} {
		if r := app.Do("GET", "/api/v1/me", tok, nil); r.Status != http.StatusUnauthorized {
			t.Errorf("%s still signs in: %d", what, r.Status)
		}
	}
	var me struct {
		Member struct{ ClassID, Role string } `json:"member"`
	}
	for _, tok := range []string{out.Token, session} {
		app.Must(http.StatusOK, "GET", "/api/v1/me", tok, nil, &me)
		if me.Member.Role != "facilitator" {
			t.Errorf("the new key is a %q", me.Member.Role)
		}
	}
	if n := app.Count("classes"); n != 2 {
		t.Errorf("%d classes after replacing a link, want 2", n)
	}

	// With the key itself as Bearer: no cookie, the answer is the key.
	r = app.Do("POST", path, out.Token, nil)
	if r.Status != http.StatusCreated || len(r.Header.Values("Set-Cookie")) != 0 {
		t.Fatalf("replace with Bearer: %d %q", r.Status, r.Header.Values("Set-Cookie"))
	}
	r.JSON(&out)
	// The limit per address and hour.
	r = app.Do("POST", path, out.Token, nil)
	if r.Status != http.StatusTooManyRequests || r.ErrorCode() != "class.key_limit" {
		t.Fatalf("past the limit: %d %s", r.Status, r.Body)
	}
	app.Must(http.StatusOK, "GET", "/api/v1/me", out.Token, nil, nil) // a refusal changes nothing
}
