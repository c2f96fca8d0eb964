package server_test

import (
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"
)

var (
	metaDescription = regexp.MustCompile(`<meta name="description" content="([^"]*)">`)
	iconLink        = regexp.MustCompile(`<link rel="icon" href="(/static/[^"]+\.svg)" type="image/svg\+xml">`)
	fontPreload     = regexp.MustCompile(`<link rel="preload" href="(/static/[^"]+/fonts/([a-z-]+)-[0-9]+\.woff2)" as="font" type="font/woff2" crossorigin>`)
)

// Every page, in every language, says in a meta description what it is, in the page's language
// (its own words on the pages a stranger may find, the product's on the others), and links the
// site's icon, which is served from the site itself, also to browsers that ask for /favicon.ico.
// robots.txt lets the public pages be read and keeps crawlers out of the API and the key links.
func TestEveryPageHasADescriptionAndAnIcon(t *testing.T) {
	w, slug := publishWorld(t)
	pages := []struct{ name, path, token, own string }{
		{"home", "/", "", "home"},
		{"join", "/join", "", "join"},
		{"privacy", "/privacy", "", "privacy"},
		{"accessibility", "/accessibility", "", "accessibility"},
		{"published", "/p/" + slug, "", "published"},
		{"new school", "/school/new", "", ""},
		{"new municipality", "/municipality/new", "", ""},
		{"class", "/c/" + w.a.ID, w.a.Facilitator, ""},
		{"projector", "/c/" + w.a.ID + "/projector", w.a.Facilitator, ""},
		{"agreement", "/a/" + w.parents.ID, w.parent, ""},
		{"school", "/s/" + w.school.ID, w.school.Token, ""},
		{"an unknown page", "/p/nothing-here", "", ""},
	}
	langs := []string{"da", "en", "ar", "tr", "uk", "pl", "ro", "ur", "fa", "so"}
	icon := ""
	for _, p := range pages {
		seen := map[string]string{}
		for _, lang := range langs {
			headers := []string{"Cookie: ka_lang=" + lang}
			if p.token != "" {
				headers = []string{"Cookie: ka_lang=" + lang + "; ka_session=" + p.token}
			}
			r := fetch(t, w.app, "GET", p.path, "", headers...)
			m := metaDescription.FindStringSubmatch(r.Body)
			if m == nil || strings.TrimSpace(m[1]) == "" {
				t.Errorf("%s in %s (%d): no meta description", p.name, lang, r.StatusCode)
				continue
			}
			want := "meta.default"
			if p.own != "" {
				want = "meta." + p.own
			}
			if got := html.UnescapeString(m[1]); got != localeText(t, lang, want, nil) {
				t.Errorf("%s in %s describes itself as %q, want %s", p.name, lang, got, want)
			}
			if other, ok := seen[m[1]]; ok {
				t.Errorf("%s: %s and %s share the description %q", p.name, other, lang, m[1])
			}
			seen[m[1]] = lang
			l := iconLink.FindStringSubmatch(r.Body)
			if l == nil {
				t.Errorf("%s in %s links no icon", p.name, lang)
				continue
			}
			icon = l[1]
			// The page asks for its script's font files at once (the text does not jump when they
			// arrive), and for no other.
			font := map[string]string{"ar": "noto-naskh-arabic", "fa": "noto-naskh-arabic", "ur": "noto-nastaliq-urdu"}[lang]
			fonts := fontPreload.FindAllStringSubmatch(r.Body, -1)
			if font == "" && len(fonts) > 0 || font != "" && len(fonts) != 2 {
				t.Errorf("%s in %s asks early for %d font files", p.name, lang, len(fonts))
			}
			for _, f := range fonts {
				if f[2] != font {
					t.Errorf("%s in %s asks for the font %s", p.name, lang, f[1])
				} else if fr := fetch(t, w.app, "GET", f[1], ""); fr.StatusCode != http.StatusOK {
					t.Errorf("%s in %s: the font %s: %d", p.name, lang, f[1], fr.StatusCode)
				}
			}
		}
	}
	if icon == "" {
		t.Fatal("no page links an icon")
	}
	r := fetch(t, w.app, "GET", icon, "")
	if r.StatusCode != http.StatusOK || r.Header.Get("Content-Type") != "image/svg+xml" || !strings.Contains(r.Body, "<svg") {
		t.Errorf("the icon %s: %d %s %.40q", icon, r.StatusCode, r.Header.Get("Content-Type"), r.Body)
	}
	if r := fetch(t, w.app, "GET", "/favicon.ico", ""); r.StatusCode != http.StatusMovedPermanently || r.Header.Get("Location") != icon {
		t.Errorf("/favicon.ico: %d to %q, want %s", r.StatusCode, r.Header.Get("Location"), icon)
	}
	r = fetch(t, w.app, "GET", "/robots.txt", "")
	if r.StatusCode != http.StatusOK || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/plain") ||
		!strings.HasPrefix(r.Body, "User-agent: *\n") || !strings.Contains(r.Body, "Disallow: /k/\n") || strings.Contains(r.Body, "Disallow: /\n") {
		t.Errorf("/robots.txt: %d %s %q", r.StatusCode, r.Header.Get("Content-Type"), r.Body)
	}
}
