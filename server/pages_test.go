package server_test

import (
	"encoding/json"
	"html/template"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"klasseaftale/agreements"
	"klasseaftale/internal/apptest"
)

// The pages, the headers every answer carries, the session cookie and the links that set it.

// reply is a raw HTTP answer with its body read, for pages, cookies and redirects.
type reply struct {
	*http.Response
	Body string
}

// noRedirect is a client that shows redirects instead of following them.
var noRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error {
	return http.ErrUseLastResponse
}}

// fetch sends a request without following redirects; headers come as "Name: value".
func fetch(t *testing.T, app *apptest.App, method, path, body string, headers ...string) reply {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, app.URL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for _, h := range headers {
		k, v, _ := strings.Cut(h, ":")
		req.Header.Set(strings.TrimSpace(k), strings.TrimSpace(v))
	}
	res, err := noRedirect.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return reply{Response: res, Body: string(data)}
}

// cookie returns the cookie named name that r sets, or nil.
func cookie(r reply, name string) *http.Cookie {
	for _, c := range r.Cookies() {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// session is the header that authenticates a browser.
func session(tok string) string { return "Cookie: ka_session=" + tok }

// spaced is a code as the pages show it: "ABCD EFGH".
func spaced(code string) string { return code[:4] + " " + code[4:] }

// publishWorld is a world whose parents' agreement has been edited by a parent and published.
func publishWorld(t *testing.T) (*world, string) {
	t.Helper()
	w := newWorld(t)
	cl := w.parents.Clauses[0]
	w.app.Must(http.StatusOK, "PUT", "/api/v1/agreements/"+w.parents.ID+"/clauses/"+cl.ID, w.parent,
		map[string]any{"body": "Vi venter til 7. klasse, alle sammen.", "base_rev": cl.Rev}, nil)
	var pub struct {
		Agreement agreements.Agreement `json:"agreement"`
	}
	w.app.Adopt(w.a, w.parents.ID, w.parent)
	w.app.Must(http.StatusOK, "POST", "/api/v1/agreements/"+w.parents.ID+"/publish", w.a.Facilitator, nil, &pub)
	return w, pub.Agreement.Slug
}

func TestPagesRender(t *testing.T) {
	w, slug := publishWorld(t)
	a := w.a
	qr := `<svg class="qr"`
	cases := []struct {
		name, path, token string
		want, not         []string
		qrs               int // how many QR codes; -1: do not count
	}{
		{"home", "/", "", []string{`id="create-class"`, `action="/join"`}, nil, 0},
		{"join", "/join", "", []string{`id="join-code"`}, []string{`role="alert"`}, 0},
		{"join with a parent code", "/join?code=" + strings.ToLower(a.ParentCode), "", []string{`id="join-form"`, `id="join-child"`, "4.A"}, []string{a.PupilCode}, 0},
		{"join with a pupil code", "/join?code=" + url.QueryEscape(spaced(a.PupilCode)), "", []string{`id="join-form"`, `id="join-name"`}, []string{`id="join-child"`}, 0},
		{"join with a wrong code", "/join?code=WRONG", "", []string{`role="alert"`, template.HTMLEscapeString(localeText(t, "da", "code.unknown", nil))}, []string{`id="join-form"`}, 0},
		{"class as facilitator", "/c/" + a.ID, a.Facilitator, []string{spaced(a.ParentCode), spaced(a.PupilCode), `id="new-parents"`}, nil, 2},
		{"class as parent", "/c/" + a.ID, w.parent, []string{spaced(a.ParentCode), "Ida"}, []string{spaced(a.PupilCode), `id="new-parents"`}, 0},
		{"class as pupil", "/c/" + a.ID, w.pupil, []string{"4.A"}, []string{spaced(a.ParentCode), spaced(a.PupilCode), `id="households"`}, 0},
		{"projector", "/c/" + a.ID + "/projector", a.Facilitator, []string{spaced(a.ParentCode)}, []string{spaced(a.PupilCode)}, 1},
		{"projector for pupils", "/c/" + a.ID + "/projector?for=pupils", a.Facilitator, []string{spaced(a.PupilCode)}, []string{spaced(a.ParentCode)}, 1},
		{"agreement as facilitator", "/a/" + w.pupils.ID, a.Facilitator, []string{`id="clauses"`, w.pupils.Clauses[0].ID}, nil, 0},
		{"agreement as parent", "/a/" + w.parents.ID, w.parent, []string{"Vi venter til 7. klasse, alle sammen."}, []string{`clause-form`}, 0},
		{"agreement as pupil", "/a/" + w.pupils.ID, w.pupil, []string{`clause-form`}, nil, 0},
		{"published agreement", "/p/" + slug, "", []string{"116 111", "Vi venter til 7. klasse, alle sammen.", "/p/" + slug}, nil, 1},
		{"new school", "/school/new", "", nil, nil, 0},
		{"school as admin", "/s/" + w.school.ID, w.school.Token, []string{spaced(w.school.OrganiserCode), "Bakkeskolen"}, nil, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var headers []string
			if tc.token != "" {
				headers = append(headers, session(tc.token))
			}
			r := fetch(t, w.app, "GET", tc.path, "", headers...)
			if r.StatusCode != http.StatusOK || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/html") {
				t.Fatalf("%d %s", r.StatusCode, r.Header.Get("Content-Type"))
			}
			if !strings.Contains(r.Body, `<html lang="da"`) {
				t.Error(`no <html lang="da">`)
			}
			for _, s := range tc.want {
				if !strings.Contains(r.Body, s) {
					t.Errorf("the page lacks %q", s)
				}
			}
			for _, s := range tc.not {
				if strings.Contains(r.Body, s) {
					t.Errorf("the page shows %q", s)
				}
			}
			if n := strings.Count(r.Body, qr); n != tc.qrs {
				t.Errorf("%d inline QR codes, want %d", n, tc.qrs)
			}
		})
	}
	t.Run("in English", func(t *testing.T) {
		r := fetch(t, w.app, "GET", "/p/"+slug, "", "Cookie: ka_lang=en")
		if r.StatusCode != http.StatusOK || !strings.Contains(r.Body, `<html lang="en"`) || !strings.Contains(r.Body, "116 111") {
			t.Errorf("%d, lang=en and 116 111 expected", r.StatusCode)
		}
	})
}

// A page the person may not see is the HTML error page with the status and a translated text.
func TestPageErrors(t *testing.T) {
	w := newWorld(t)
	cases := []struct {
		name, path, token string
		status            int
		code              string
	}{
		{"class without a session", "/c/" + w.a.ID, "", 401, "auth.required"},
		{"another class", "/c/" + w.b.ID, w.a.Facilitator, 403, "auth.forbidden"},
		{"projector as parent", "/c/" + w.a.ID + "/projector", w.parent, 403, "auth.forbidden"},
		{"projector as pupil", "/c/" + w.a.ID + "/projector", w.pupil, 403, "auth.forbidden"},
		{"parents' agreement as pupil", "/a/" + w.parents.ID, w.pupil, 403, "auth.forbidden"},
		{"pupils' agreement as parent", "/a/" + w.pupils.ID, w.parent, 403, "auth.forbidden"},
		{"another class's agreement", "/a/" + w.parentsB.ID, w.parent, 403, "auth.forbidden"},
		{"another school", "/s/" + w.otherSchool.ID, w.school.Token, 403, "auth.forbidden"},
		{"a school as facilitator", "/s/" + w.school.ID, w.a.Facilitator, 403, "auth.forbidden"},
		{"a class as school admin", "/c/" + w.a.ID, w.school.Token, 403, "auth.forbidden"},
		{"unknown published slug", "/p/nope", "", 404, "not_found"},
		{"unknown page", "/nope", "", 404, "not_found"},
		{"a bad key link", "/k/not-a-token-of-ours", "", 401, "auth.required"},
		{"a page by the wrong method", "/c/" + w.a.ID, "", 405, "request.method"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var headers []string
			if tc.token != "" {
				headers = append(headers, session(tc.token))
			}
			method := "GET"
			if tc.code == "request.method" {
				method = "POST"
			}
			r := fetch(t, w.app, method, tc.path, "", headers...)
			if r.StatusCode != tc.status || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/html") {
				t.Fatalf("%d %s, want %d HTML", r.StatusCode, r.Header.Get("Content-Type"), tc.status)
			}
			if !strings.Contains(r.Body, `<html lang="da"`) {
				t.Error(`no <html lang="da">`)
			}
			if msg := template.HTMLEscapeString(localeText(t, "da", tc.code, nil)); !strings.Contains(r.Body, msg) {
				t.Errorf("the page lacks the message %q", msg)
			}
			if cookie(r, "ka_session") != nil {
				t.Error("an error page set a session cookie")
			}
		})
	}
}

func TestSecurityHeaders(t *testing.T) {
	w := newWorld(t)
	cases := []struct{ name, method, path, body string }{
		{"health", "GET", "/healthz", ""},
		{"a page", "GET", "/", ""},
		{"an error page", "GET", "/c/" + w.a.ID, ""},
		{"an API answer", "GET", "/api/v1/templates?kind=parents", ""},
		{"an API error", "POST", "/api/v1/join", `{"code":"XXXXXXXX","name":"x"}`},
		{"an unknown API route", "GET", "/api/v1/nope", ""},
		{"a key link", "GET", "/k/" + w.parent, ""},
	}
	want := map[string]string{
		"X-Content-Type-Options": "nosniff",
		"Referrer-Policy":        "no-referrer",
		"X-Frame-Options":        "DENY",
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := fetch(t, w.app, tc.method, tc.path, tc.body)
			for k, v := range want {
				if got := r.Header.Get(k); got != v {
					t.Errorf("%s: %q, want %q", k, got, v)
				}
			}
			csp := r.Header.Get("Content-Security-Policy")
			for _, d := range []string{"default-src 'none'", "script-src 'self'", "frame-ancestors 'none'"} {
				if !strings.Contains(csp, d) {
					t.Errorf("Content-Security-Policy %q lacks %q", csp, d)
				}
			}
		})
	}
}

// The answers that hand out a token give it to the browser as an HttpOnly, SameSite=Lax cookie.
func TestSessionCookie(t *testing.T) {
	w := newWorld(t)
	cases := []struct{ name, path, body, tokenField string }{
		{"join", "/api/v1/join", `{"code":"` + w.a.ParentCode + `","name":"Far","household":"Ida","household_choice":"same"}`, "token"},
		{"create a class", "/api/v1/classes", `{"name":"5.A","grade":5}`, "token"},
		{"register a school", "/api/v1/schools", `{"name":"Engskolen"}`, "token"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := fetch(t, w.app, "POST", tc.path, tc.body)
			if r.StatusCode != http.StatusCreated {
				t.Fatalf("%d %s", r.StatusCode, r.Body)
			}
			c := cookie(r, "ka_session")
			if c == nil {
				t.Fatal("no ka_session cookie")
			}
			if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/" || c.MaxAge <= 0 {
				t.Errorf("cookie %+v: want HttpOnly, SameSite=Lax, Path=/ and a lifetime", c)
			}
			var out struct {
				Token string `json:"token"`
			}
			json.Unmarshal([]byte(r.Body), &out)
			me := w.app.Do("GET", "/api/v1/me", "", nil, session(c.Value))
			byKey := w.app.Do("GET", "/api/v1/me", out.Token, nil)
			if out.Token == "" || me.Status != http.StatusOK || string(me.Body) != string(byKey.Body) {
				t.Errorf("the cookie %q is not a session of the answer's token: %s vs %s", c.Value, me.Body, byKey.Body)
			}
		})
	}
	t.Run("logout clears it", func(t *testing.T) {
		r := fetch(t, w.app, "POST", "/api/v1/logout", "", session(w.parent))
		if c := cookie(r, "ka_session"); r.StatusCode != http.StatusNoContent || c == nil || c.Value != "" || c.MaxAge >= 0 {
			t.Errorf("logout: %d, cookie %+v", r.StatusCode, c)
		}
	})
}

// A session cookie authenticates like a Bearer token.
func TestCookieWorksLikeBearer(t *testing.T) {
	w := newWorld(t)
	for _, path := range []string{"/api/v1/me", "/api/v1/classes/" + w.a.ID, "/api/v1/agreements/" + w.parents.ID} {
		t.Run(path, func(t *testing.T) {
			byBearer := w.app.Do("GET", path, w.parent, nil)
			byCookie := w.app.Do("GET", path, "", nil, session(w.parent))
			if byBearer.Status != http.StatusOK || byCookie.Status != http.StatusOK || string(byBearer.Body) != string(byCookie.Body) {
				t.Errorf("Bearer %d, cookie %d:\n%s\n%s", byBearer.Status, byCookie.Status, byBearer.Body, byCookie.Body)
			}
		})
	}
	t.Run("a cookie edit", func(t *testing.T) {
		cl := w.parents.Clauses[0]
		r := w.app.Do("PUT", "/api/v1/agreements/"+w.parents.ID+"/clauses/"+cl.ID, "",
			map[string]any{"body": "Med cookie.", "base_rev": cl.Rev}, session(w.parent), "Origin: "+w.app.URL, "Sec-Fetch-Site: same-origin")
		if r.Status != http.StatusOK {
			t.Errorf("%d %s", r.Status, r.Body)
		}
	})
}

// signIn follows a key link as a browser does: the link's page asks, and its form's
// same-origin POST signs in.
func signIn(t *testing.T, app *apptest.App, token string) reply {
	t.Helper()
	ask := fetch(t, app, "GET", "/k/"+token, "")
	if ask.StatusCode != http.StatusOK || cookie(ask, "ka_session") != nil || !strings.Contains(ask.Body, `method="post"`) {
		t.Fatalf("the key link's page: %d, cookie %v", ask.StatusCode, cookie(ask, "ka_session"))
	}
	return fetch(t, app, "POST", "/k/"+token, "", "Origin: "+app.URL, "Sec-Fetch-Site: same-origin")
}

// A bookmarked /k/ link asks "Continue as …?" and, on the page's own POST, signs the browser in
// and goes to its home. A member gets a session of their own; the key stays as it was.
func TestKeyLink(t *testing.T) {
	w := newWorld(t)
	cases := []struct {
		name, token, home, who string
		session                bool
	}{
		{"facilitator", w.a.Facilitator, "/c/" + w.a.ID, "Lærer", true},
		{"parent", w.parent, "/c/" + w.a.ID, "Mor", true},
		{"school admin", w.school.Token, "/s/" + w.school.ID, "Bakkeskolen", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if ask := fetch(t, w.app, "GET", "/k/"+tc.token, ""); !strings.Contains(ask.Body, tc.who) {
				t.Errorf("the page does not say whose the link is (%s): %.600s", tc.who, ask.Body)
			}
			r := signIn(t, w.app, tc.token)
			if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != tc.home {
				t.Fatalf("%d to %q, want 303 to %q", r.StatusCode, r.Header.Get("Location"), tc.home)
			}
			c := cookie(r, "ka_session")
			if c == nil || (c.Value == tc.token) == tc.session || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode {
				t.Fatalf("cookie %+v (a session of its own: %v)", c, tc.session)
			}
			if home := fetch(t, w.app, "GET", tc.home, "", session(c.Value)); home.StatusCode != http.StatusOK {
				t.Errorf("the home page with the new cookie: %d", home.StatusCode)
			}
			if me := w.app.Do("GET", "/api/v1/me", tc.token, nil); me.Status != http.StatusOK {
				t.Errorf("the key after signing in: %d", me.Status)
			}
		})
	}
	t.Run("from another site", func(t *testing.T) {
		r := fetch(t, w.app, "POST", "/k/"+w.parent, "", "Origin: https://evil.example", "Sec-Fetch-Site: cross-site")
		if r.StatusCode != http.StatusForbidden || cookie(r, "ka_session") != nil {
			t.Errorf("a cross-site sign-in: %d, cookie %v", r.StatusCode, cookie(r, "ka_session"))
		}
	})
	t.Run("a wrong key", func(t *testing.T) {
		for _, m := range []string{"GET", "POST"} {
			r := fetch(t, w.app, m, "/k/nosuchkeynosuchkeynosuchkey", "", "Origin: "+w.app.URL)
			if r.StatusCode != http.StatusUnauthorized || cookie(r, "ka_session") != nil {
				t.Errorf("%s of a wrong key: %d", m, r.StatusCode)
			}
		}
	})
}

func TestLanguageSwitch(t *testing.T) {
	w := newWorld(t)
	cases := []struct {
		name, query  string
		wantLocation string
		wantCookie   string // "": none
	}{
		{"English, back to the join page", "set=en&next=/join", "/join", "en"},
		{"back to a page with its query", "set=en&next=%2Fjoin%3Fcode%3DABCD", "/join?code=ABCD", "en"},
		{"an old ?lang= in the address is dropped", "set=da&next=%2Fjoin%3Flang%3Den", "/join", "da"},
		{"another site by //", "set=en&next=//evil.example", "/", "en"},
		{"another site by a scheme", "set=en&next=https://evil.example/x", "/", "en"},
		{"another site by a backslash", "set=en&next=/%5Cevil.example", "/", "en"},
		{"no next", "set=en", "/", "en"},
		{"an unknown language", "set=xx&next=/join", "/join", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := fetch(t, w.app, "GET", "/lang?"+tc.query, "")
			if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != tc.wantLocation {
				t.Errorf("%d to %q, want 303 to %q", r.StatusCode, r.Header.Get("Location"), tc.wantLocation)
			}
			c := cookie(r, "ka_lang")
			switch {
			case tc.wantCookie == "" && c != nil:
				t.Errorf("cookie %+v, want none", c)
			case tc.wantCookie != "" && (c == nil || c.Value != tc.wantCookie || c.Path != "/"):
				t.Errorf("cookie %+v, want ka_lang=%s", c, tc.wantCookie)
			}
		})
	}
	t.Run("the choice is used", func(t *testing.T) {
		r := fetch(t, w.app, "GET", "/join", "", "Cookie: ka_lang=en")
		if !strings.Contains(r.Body, `<html lang="en"`) {
			t.Error(`with ka_lang=en the join page is not lang="en"`)
		}
	})
}
