package server

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"regexp"
	"strings"

	"github.com/labstack/echo/v4"

	"klasseaftale/agreements"
	"klasseaftale/locales"
)

// page is what every template gets: the language, the way to translate, and the page's data.
type page struct {
	Name  string // the template to render
	Lang  string
	Dir   string
	Title string
	Path  string // the current path, for the language switch
	Langs []langLink
	Actor agreements.Actor
	Data  any
	msgs  *locales.Bundle
	// contacts reads what a school adds to the help panel (see Help), bound to the request.
	contacts func(classID, schoolID string) *agreements.ContactsOfSchool
}

type langLink struct {
	Code, Name, Href string
	Current          bool
}

// T translates a message; args are key, value pairs for its placeholders.
func (p *page) T(id string, args ...any) string { return p.msgs.T(p.Lang, id, pairs(args)) }

// Bare reports whether the page fills a projector's screen without the site's header, language
// menu and footer: the join screen and the meeting view.
func (p *page) Bare() bool { return p.Name == "projector" || p.Name == "meeting" }

// Description sums the page up for search engines and shared links: in the page's own words
// (meta.<page>) where it has them, in the product's otherwise.
func (p *page) Description() string {
	if _, ok := p.msgs.Message(p.Lang, "meta."+p.Name); ok {
		return p.T("meta." + p.Name)
	}
	return p.T("meta.default")
}

// LangName is a language's own name, for saying which language a text is in.
func (p *page) LangName(lang string) string { return p.msgs.T(lang, "lang.name", nil) }

// N translates a message in the plural form for count.
func (p *page) N(id string, count int, args ...any) string {
	return p.msgs.N(p.Lang, id, count, pairs(args))
}

func pairs(args []any) map[string]any {
	if len(args) == 0 {
		return nil
	}
	m := make(map[string]any, len(args)/2)
	for i := 0; i+1 < len(args); i += 2 {
		m[fmt.Sprint(args[i])] = args[i+1]
	}
	return m
}

func parsePages(web fs.FS, funcs template.FuncMap) (*template.Template, error) {
	t, err := template.New("").Funcs(funcs).ParseFS(web, "templates/*.html")
	if err != nil {
		return nil, fmt.Errorf("server: templates: %w", err)
	}
	return t, nil
}

func (s *Server) funcs() template.FuncMap {
	return template.FuncMap{
		"asset": func(name string) string { return s.assets.url(name) },
		"qr":    qrSVG,
		"grade": func(g int) string { return fmt.Sprintf("%d.", g) },
		"spaced": func(code string) string { // "ABCD EFGH" reads more easily off a projector
			if len(code) == agreements.CodeLen {
				return code[:4] + " " + code[4:]
			}
			return code
		},
		"dict":   func(kv ...any) map[string]any { return pairs(kv) },
		"list":   func(xs ...string) []string { return xs },
		"add":    func(a, b int) int { return a + b },
		"deref":  func(b *bool) bool { return b != nil && *b },
		"date":   date,
		"dir":    locales.Dir,
		"phones": phones,
		// Only the font of the script in use is loaded, and its files are asked for with the
		// page, not once the style sheet is read: the text does not jump when they arrive.
		"fontCSS":   func(lang string) string { return scriptFonts[lang].css },
		"fontFiles": func(lang string) []string { return scriptFonts[lang].files },
		"param":     s.paramLabel,
		"masked":    func() string { return agreements.Count{Masked: true}.String() }, // "< 5"
		"minGroup":  func() int { return agreements.MinGroup },
		"seq": func(from, to int) []int {
			out := []int{}
			for i := from; i <= to; i++ {
				out = append(out, i)
			}
			return out
		},
	}
}

// render writes a page. It renders into a buffer first, so a failing template yields a clean
// error page rather than half a page.
func (s *Server) render(c echo.Context, status int, name, title string, data any) error {
	p := s.newPage(c, name, title, data)
	var buf bytes.Buffer
	if err := s.pages.ExecuteTemplate(&buf, name, p); err != nil {
		return fmt.Errorf("render %s: %w", name, err)
	}
	h := c.Response().Header()
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Language", p.Lang)
	return c.HTMLBlob(status, buf.Bytes())
}

func (s *Server) newPage(c echo.Context, name, title string, data any) *page {
	lang := s.lang(c)
	p := &page{Name: name, Lang: lang, Dir: locales.Dir(lang), Path: c.Request().URL.Path, Data: data, msgs: s.msgs}
	p.Title = p.T(title)
	p.Actor, _ = s.actor(c)
	p.contacts = s.contactsLoader(c.Request().Context())
	for _, l := range s.msgs.Langs() {
		next := url.Values{"set": {l}, "next": {c.Request().URL.RequestURI()}}
		p.Langs = append(p.Langs, langLink{Code: l, Name: s.msgs.T(l, "lang.name", nil),
			Href: "/lang?" + next.Encode(), Current: l == lang})
	}
	return p
}

// renderError shows an error as a page, in the request's language.
func (s *Server) renderError(c echo.Context, status int, lang string, e *agreements.Error) {
	data := map[string]any{"Status": status, "Message": s.msgs.T(lang, e.Code, e.Data), "Code": e.Code}
	if err := s.render(c, status, "error", "error.title", data); err != nil {
		s.log.Error("render error page", "err", err)
		c.String(http.StatusInternalServerError, http.StatusText(http.StatusInternalServerError))
	}
}

// pageLang remembers a language choice and goes back to the page it was made on.
func (s *Server) pageLang(c echo.Context) error {
	lang := c.QueryParam("set")
	if s.msgs.Has(lang) {
		c.SetCookie(&http.Cookie{Name: langCookie, Value: lang, Path: "/", MaxAge: 400 * 24 * 3600,
			SameSite: http.SameSiteLaxMode, Secure: s.base.Scheme == "https"})
	}
	return c.Redirect(http.StatusSeeOther, localPath(c.QueryParam("next")))
}

// localPath keeps a redirect target on this site: "/x" yes, "//evil" or "https://evil" no.
func localPath(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/"
	}
	u, err := url.Parse(next)
	if err != nil || u.Host != "" || u.Scheme != "" {
		return "/"
	}
	q := u.Query()
	q.Del("lang") // the new choice must win over a ?lang= in the old address
	u.RawQuery = q.Encode()
	return u.String()
}

// messagesJSON serves a language's messages to the browser's scripts.
func (s *Server) messagesJSON(c echo.Context) error {
	lang := strings.TrimSuffix(c.Param("lang"), ".json")
	if !s.msgs.Has(lang) {
		return agreements.ErrNotFound
	}
	c.Response().Header().Set("Cache-Control", "no-cache")
	return c.Blob(http.StatusOK, "application/json; charset=utf-8", s.msgs.JSON(lang))
}

// paramLabel shows a key value of the school overview (first_smartphone_age, social_media,
// quiet_hours) with its option's label in the page's language.
func (s *Server) paramLabel(lang, name, value string) string {
	if value == "" {
		return "–"
	}
	for _, kv := range agreements.KeyValues {
		if kv.Name != name {
			continue
		}
		if tc, ok := s.svc.Library().Clause(kv.Clause, lang); ok && tc.Parameter != nil {
			for _, o := range tc.Parameter.Options {
				if o.Value == value {
					return o.Label
				}
			}
		}
	}
	return value
}

// phoneNumber matches numbers written in groups, like 116 111.
var phoneNumber = regexp.MustCompile(`\d{2,4}(?: \d{2,4})+`)

// phones escapes text and keeps grouped numbers left to right and on one line: in an Arabic,
// Urdu or Farsi sentence the bidirectional algorithm would otherwise show "116 111" as
// "111 116", and a narrow line would break it in two.
func phones(text string) template.HTML {
	escaped := template.HTMLEscapeString(text)
	return template.HTML(phoneNumber.ReplaceAllString(escaped, `<span class="phone" dir="ltr">$0</span>`))
}

// scriptFont is a script's own font: its style sheet and its files.
type scriptFont struct {
	css   string
	files []string
}

// scriptFonts are the fonts of the languages whose script the system fonts draw poorly: Arabic
// and Farsi in Naskh, Urdu in Nastaliq.
var scriptFonts = map[string]scriptFont{"ar": naskh, "fa": naskh, "ur": nastaliq}

var (
	naskh    = scriptFont{"css/font-naskh.css", []string{"fonts/noto-naskh-arabic-400.woff2", "fonts/noto-naskh-arabic-700.woff2"}}
	nastaliq = scriptFont{"css/font-nastaliq.css", []string{"fonts/noto-nastaliq-urdu-400.woff2", "fonts/noto-nastaliq-urdu-700.woff2"}}
)
