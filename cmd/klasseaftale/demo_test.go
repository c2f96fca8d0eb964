package main

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// demoLink is one line the demo prints: a role, who it is, and the link.
type demoLink struct{ role, who, url string }

var demoLine = regexp.MustCompile(`(?m)^  (\S.*?)\s+\((.+)\)\s+(http://\S+/k/\S+)$`)

func demoLinks(t *testing.T, out string) []demoLink {
	t.Helper()
	var links []demoLink
	for _, m := range demoLine.FindAllStringSubmatch(out, -1) {
		links = append(links, demoLink{strings.TrimSpace(m[1]), m[2], m[3]})
	}
	if len(links) != 7 {
		t.Fatalf("the demo printed %d links, want 7:\n%s", len(links), out)
	}
	return links
}

// schoolClasses counts the school's classes, as its admin's key sees them.
func schoolClasses(t *testing.T, base, key string) int {
	t.Helper()
	get := func(path string, v any) {
		req, _ := http.NewRequest("GET", base+path, nil)
		req.Header.Set("Authorization", "Bearer "+key)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		if res.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d", path, res.StatusCode)
		}
		json.NewDecoder(res.Body).Decode(v)
	}
	var me struct {
		SchoolID string `json:"school_id"`
	}
	get("/api/v1/me", &me)
	var out struct {
		Classes []json.RawMessage `json:"classes"`
	}
	get("/api/v1/schools/"+me.SchoolID+"/classes", &out)
	return len(out.Classes)
}

func keyOf(l demoLink) string { return l.url[strings.LastIndex(l.url, "/k/")+3:] }

// `-demo` fills a database of its own and prints a link per role; each signs its person in, in
// a browser of their own, on their page. A second start keeps the school as it was and prints
// new links; the old ones no longer open anything.
func TestDemo(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "demo.db")
	base, out, stop := startLogging(t, db, "-demo")
	links := demoLinks(t, out.String())
	admin := links[5]
	if admin.role != "school admin" {
		t.Fatalf("the sixth link is the %s's", admin.role)
	}
	if n := schoolClasses(t, base, keyOf(admin)); n != 5 {
		t.Errorf("the demo school has %d classes, want 5", n)
	}
	t.Run("in the browser", func(t *testing.T) { followLinks(t, links) })
	stop()

	base, out, stop = startLogging(t, db, "-demo")
	defer stop()
	again := demoLinks(t, out.String())
	for i, l := range links {
		if again[i].url == l.url || again[i].role != l.role {
			t.Errorf("the second start's %s link: %s, was %s", again[i].role, again[i].url, l.url)
		}
		res, err := http.Get(strings.Replace(l.url, l.url[:strings.Index(l.url, "/k/")], base, 1))
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusUnauthorized {
			t.Errorf("the %s's old link: %d, want 401", l.role, res.StatusCode)
		}
	}
	if n := schoolClasses(t, base, keyOf(again[5])); n != 5 {
		t.Errorf("after the second start the school has %d classes, want 5", n)
	}
}

// followLinks opens each link in a browser context of its own, continues as its person, and
// finds that person's page: the class for its members, the school, the municipality.
func followLinks(t *testing.T, links []demoLink) {
	path := ""
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			path = p
			break
		}
	}
	if path == "" {
		if os.Getenv("KA_REQUIRE_BROWSER") == "1" {
			t.Fatal("Chromium is required (KA_REQUIRE_BROWSER=1) but not installed")
		}
		t.Skip("Chromium is not installed")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(path), chromedp.NoSandbox,
		chromedp.Flag("disable-gpu", true), chromedp.Flag("disable-dev-shm-usage", true), chromedp.WindowSize(390, 844))
	bounded, cancelBound := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancelBound()
	alloc, cancelAlloc := chromedp.NewExecAllocator(bounded, opts...)
	defer cancelAlloc()
	root, cancelRoot := chromedp.NewContext(alloc)
	defer cancelRoot()
	if err := chromedp.Do(root); err != nil {
		t.Fatal(err)
	}
	home := map[string]struct{ path, text string }{
		"facilitator":   {"/c/", "4.A"},
		"parent":        {"/c/", "4.A"},
		"second parent": {"/c/", "4.A"},
		"voter":         {"/c/", "5.B"},
		"pupil":         {"/c/", "3.B"},
		"school admin":  {"/s/", "Skovbakkeskolen"},
		"municipality":  {"/m/", "Aarhus Kommune"},
	}
	for _, l := range links {
		want, ok := home[l.role]
		if !ok {
			t.Errorf("a link of an unknown role %q", l.role)
			continue
		}
		ctx, cancel := chromedp.NewContext(root, chromedp.WithNewBrowserContext())
		sctx, cancelStep := context.WithTimeout(ctx, 30*time.Second)
		name := strings.SplitN(l.who, ",", 2)[0]
		err := chromedp.Do(sctx,
			chromedp.Navigate(l.url),
			chromedp.WaitVisible(`[data-testid=key-continue]`),
			waitCond(`document.body.innerText.includes(`+jsQuote(name)+`)`),
			chromedp.Click(`[data-testid=key-continue]`),
			waitCond(`location.pathname.startsWith(`+jsQuote(want.path)+`) && document.readyState === 'complete'`),
			waitCond(`document.querySelector('h1') && document.querySelector('h1').innerText.includes(`+jsQuote(want.text)+`)`),
		)
		if err != nil {
			page, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`location.href + '\n' + (document.body ? document.body.innerText : '')`))
			t.Errorf("the %s's link (%s): %v\n%s", l.role, l.who, err, page)
		}
		cancelStep()
		cancel()
	}
}

func waitCond(cond string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		for {
			ok, err := chromedp.Evaluate[bool](`!!(`+cond+`)`)(ctx, tg)
			if err == nil && ok {
				return nil
			}
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(50 * time.Millisecond):
			}
		}
	})
}

func jsQuote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// -demo refuses a database with real data, says why, and leaves it as it was.
func TestDemoRefusesRealData(t *testing.T) {
	db := filepath.Join(t.TempDir(), "klasseaftale.db")
	base, stop := start(t, db)
	res, err := http.Post(base+"/api/v1/classes", "application/json", strings.NewReader(`{"name":"4.B","grade":4,"facilitator_name":"Lærer"}`))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	stop()
	out := &syncBuffer{}
	err = run(context.Background(), []string{"-addr", "127.0.0.1:0", "-db", db, "-demo"}, func(string) string { return "" }, out)
	if err == nil || !strings.Contains(err.Error(), "the demo did not make") {
		t.Fatalf("run -demo on a real database: %v", err)
	}
	if demoLine.MatchString(out.String()) {
		t.Errorf("links were printed for a refused database:\n%s", out)
	}
	base, stop = start(t, db)
	defer stop()
	res, err = http.Get(base + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
}

// Without -db, the demo keeps to a file of its own, whatever KLASSEAFTALE_DB names.
func TestDemoDatabaseOfItsOwn(t *testing.T) {
	env := map[string]string{"KLASSEAFTALE_DEMO": "1", "KLASSEAFTALE_DB": "real.db"}
	c, err := parseConfig(nil, func(k string) string { return env[k] }, &syncBuffer{})
	if err != nil || !c.Demo || c.DB != "klasseaftale-demo.db" {
		t.Errorf("with KLASSEAFTALE_DEMO=1: demo %v, db %q, %v", c.Demo, c.DB, err)
	}
	c, err = parseConfig([]string{"-demo", "-db", "other.db"}, func(string) string { return "" }, &syncBuffer{})
	if err != nil || c.DB != "other.db" {
		t.Errorf("-demo -db other.db: db %q, %v", c.DB, err)
	}
}

// -contact-url takes an https or mailto address, nothing else.
func TestContactURL(t *testing.T) {
	for url, ok := range map[string]bool{
		"https://kommune.example/tilgaengelighed": true, "mailto:web@kommune.example": true, "": true,
		"javascript:alert(1)": false, "kommune.example": false, "mailto:": false, "ftp://kommune.example": false,
	} {
		c, err := parseConfig([]string{"-contact-url", url}, func(string) string { return "" }, &syncBuffer{})
		if (err == nil) != ok || (ok && c.ContactURL != url) {
			t.Errorf("-contact-url %q: %v (want accepted: %v)", url, err, ok)
		}
	}
}
