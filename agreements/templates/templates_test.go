package templates

import (
	"io/fs"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"klasseaftale/agreements"
)

var kinds = []agreements.AgreementKind{agreements.KindParents, agreements.KindPupils}

func load(t *testing.T) *Library {
	t.Helper()
	l, err := Load()
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return l
}

// dataFS copies the embedded files into a map the tests can break.
func dataFS(t *testing.T) fstest.MapFS {
	t.Helper()
	m := fstest.MapFS{}
	err := fs.WalkDir(data, "data", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := data.ReadFile(p)
		m[strings.TrimPrefix(p, "data/")] = &fstest.MapFile{Data: b}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// edit replaces the first old in a file, and fails if old is not there, so a test cannot pass
// because its edit silently missed.
func edit(t *testing.T, m fstest.MapFS, name, old, new string) {
	t.Helper()
	s := string(m[name].Data)
	if !strings.Contains(s, old) {
		t.Fatalf("%s does not contain %q", name, old)
	}
	m[name] = &fstest.MapFile{Data: []byte(strings.Replace(s, old, new, 1))}
}

func TestLoad(t *testing.T) {
	l := load(t)
	langs := l.Langs()
	if len(langs) < 2 || langs[0] != "da" || !slices.Contains(langs, "en") {
		t.Errorf("Langs() = %v, want da first, then en and more", langs)
	}
	if MustLoad() == nil {
		t.Error("MustLoad returned nil")
	}
}

// TestParity counts every text in every language: template titles and summaries, clause titles
// and bodies, parameter labels, option labels, help titles and help items.
func TestParity(t *testing.T) {
	l := load(t)
	var def libraryDef
	if err := decode(dataFS(t), libraryFile, &def); err != nil {
		t.Fatal(err)
	}
	want := 0
	for _, td := range def.Templates {
		want += 2
		for _, cd := range td.Clauses {
			want += 2
			if cd.Parameter != nil {
				want += 1 + len(cd.Parameter.Options)
			}
		}
	}
	for _, keys := range def.Help {
		want += 1 + 2*len(keys)
	}
	for _, lang := range l.Langs() {
		var texts []string
		for _, kind := range kinds {
			for _, tp := range l.Templates(kind, lang) {
				texts = append(texts, tp.Title, tp.Summary)
				for _, c := range tp.Clauses {
					texts = append(texts, c.Title, c.Body)
					if c.Parameter != nil {
						texts = append(texts, c.Parameter.Label)
						for _, o := range c.Parameter.Options {
							texts = append(texts, o.Label)
						}
					}
				}
			}
			h := l.Help(kind, lang)
			texts = append(texts, h.Title)
			for _, it := range h.Items {
				texts = append(texts, it.Title, it.Text)
			}
		}
		if len(texts) != want {
			t.Errorf("%s: %d texts, want %d", lang, len(texts), want)
		}
		for i, s := range texts {
			if strings.TrimSpace(s) == "" {
				t.Errorf("%s: text %d is empty", lang, i)
			}
		}
	}
}

// TestTranslated catches a language file that is a copy of Danish and not yet translated.
func TestTranslated(t *testing.T) {
	l := load(t)
	for _, lang := range l.Langs()[1:] {
		for _, kind := range kinds {
			for _, tp := range l.Templates(kind, lang) {
				for _, c := range tp.Clauses {
					da, _ := l.Clause(c.Key, SourceLang)
					if c.Body == da.Body {
						t.Errorf("%s: clause %q: body is still the Danish text", lang, c.Key)
					}
				}
			}
		}
	}
}

func TestBrokenFilesFail(t *testing.T) {
	tests := []struct {
		name           string
		file, old, new string
		want           string
	}{
		{"option label removed", "en.toml", "\"10\" = \"Age 10\"\n", "", `missing label for option "10"`},
		{"option label empty", "en.toml", `"10" = "Age 10"`, `"10" = " "`, `label for option "10" is empty`},
		{"option label extra", "en.toml", "\"10\" = \"Age 10\"\n", "\"10\" = \"Age 10\"\n\"9\" = \"Age 9\"\n", `option "9": not in library.toml`},
		{"clause body removed", "en.toml", "body = \"At night, phones", "bodx = \"At night, phones", "unknown keys"},
		{"label removed", "da.toml", "label = \"Hvornår er der ro i børnenes klassechat?\"\n", "", `clause "class-chat.quiet-hours": label is empty`},
		{"label without parameter", "da.toml", "[clause.\"photos.consent\"]\n", "[clause.\"photos.consent\"]\nlabel = \"?\"\n", "label or options but no parameter"},
		{"summary removed", "en.toml", "summary = \"How we look after photos", "# summary = \"", `template "photos": summary is empty`},
		{"title empty", "en.toml", `title = "We ask first"`, `title = ""`, `clause "photos.consent": title is empty`},
		{"clause removed", "da.toml", "[clause.\"evenings.night\"]", "[clause.\"evenings.nite\"]", `clause "evenings.night": missing`},
		{"extra clause", "en.toml", "[template.photos]", "[clause.\"photos.extra\"]\ntitle = \"x\"\nbody = \"y\"\n\n[template.photos]", `clause "photos.extra": not in library.toml`},
		{"extra template", "en.toml", "[template.photos]", "[template.videos]\ntitle = \"x\"\nsummary = \"y\"\n\n[template.photos]", `template "videos": not in library.toml`},
		{"help item removed", "en.toml", "[help.pupils.items.sletdet]", "[help.pupils.items.sletdot]", `help pupils: item "sletdet" missing`},
		{"help item text removed", "da.toml", "text = \"Giver råd", "# text = \"", `help parents item "sletdet": text is empty`},
		{"help title removed", "en.toml", "title = \"When something online makes you sad\"\n", "", "help pupils: title is empty"},
		{"default not an option", libraryFile, `protective = "high", default = "13"`, `protective = "high", default = "16"`, `default "16" is not one of the options`},
		{"duplicate template", libraryFile, "key = \"smartwatch\"\n", "key = \"first-smartphone\"\n", `template "first-smartphone": duplicate key`},
		{"duplicate clause", libraryFile, `key = "evenings.night"`, `key = "evenings.messages"`, `clause "evenings.messages": duplicate key`},
		{"clause outside its template", libraryFile, `key = "photos.consent"`, `key = "gaming.consent"`, `key must be "photos." followed by a name`},
		{"times out of order", libraryFile, `["19:00", "20:00", "21:00"]`, `["20:00", "19:00", "21:00"]`, "ascending order"},
		{"no protective end", libraryFile, `protective = "low", default = "20:00" }`, `default = "20:00" }`, `protective must be "high" or "low"`},
		{"grades out of range", libraryFile, "grades = [7, 10]", "grades = [7, 11]", "not [from, to] within 0–10"},
		{"unknown kind", libraryFile, "kind = \"pupils\"", "kind = \"teachers\"", `kind "teachers" is not parents or pupils`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := dataFS(t)
			if _, err := LoadFS(m); err != nil {
				t.Fatalf("the unbroken copy fails: %v", err)
			}
			edit(t, m, tt.file, tt.old, tt.new)
			_, err := LoadFS(m)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("LoadFS error = %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func TestNewLanguage(t *testing.T) {
	m := dataFS(t)
	m["sv.toml"] = &fstest.MapFile{Data: []byte("[template.photos]\ntitle = \"Bilder\"\nsummary = \"Om bilder.\"\n")}
	if _, err := LoadFS(m); err == nil || !strings.Contains(err.Error(), "sv.toml") ||
		!strings.Contains(err.Error(), `template "smartwatch": missing`) {
		t.Errorf("a half-done language loads: %v", err)
	}
	m["sv.toml"] = m["en.toml"]
	l, err := LoadFS(m)
	if err != nil {
		t.Fatal(err)
	}
	if got := l.Langs(); got[0] != "da" || !slices.Contains(got, "sv") || len(got) != len(MustLoad().Langs())+1 {
		t.Errorf("Langs() = %v", got)
	}
	m["en copy.toml"] = m["en.toml"]
	if _, err := LoadFS(m); err == nil {
		t.Error("a stray file name loads as a language")
	}
}

func TestEveryGradeCovered(t *testing.T) {
	l := load(t)
	for _, kind := range kinds {
		for _, tp := range l.Templates(kind, SourceLang) {
			for g := 0; g <= agreements.MaxGrade; g++ {
				if !tp.Suits(g) {
					t.Errorf("template %q has no clause for grade %d", tp.Key, g)
				}
			}
		}
	}
}

func TestParameters(t *testing.T) {
	l := load(t)
	for _, lang := range l.Langs() {
		for _, kind := range kinds {
			for _, tp := range l.Templates(kind, lang) {
				for _, c := range tp.Clauses {
					p := c.Parameter
					if p == nil {
						if l.Protective(c.Key) != "" {
							t.Errorf("%q: Protective without a parameter", c.Key)
						}
						continue
					}
					if !slices.ContainsFunc(p.Options, func(o agreements.Option) bool { return o.Value == p.Default }) {
						t.Errorf("%s %q: default %q is not an option", lang, c.Key, p.Default)
					}
					want := []string{ProtectHigh, ProtectLow}
					if p.Kind == agreements.ParamChoice {
						want = []string{ProtectFirst}
					}
					if !slices.Contains(want, l.Protective(c.Key)) {
						t.Errorf("%q: Protective = %q, want one of %v", c.Key, l.Protective(c.Key), want)
					}
				}
			}
		}
	}
}

func TestOptionOrderAndProtective(t *testing.T) {
	l := load(t)
	tests := []struct {
		clause     string
		values     []string
		def        string
		protective string
	}{
		{"first-smartphone.age", []string{"10", "11", "12", "13", "14", "15"}, "13", ProtectHigh},
		{"smartwatch.use", []string{"no", "home-only", "yes"}, "home-only", ProtectFirst},
		{"social-media.age", []string{"not-in-primary", "16", "15", "13"}, "13", ProtectFirst},
		{"class-chat.rules", []string{"no-chat", "teacher", "parents"}, "parents", ProtectFirst},
		{"class-chat.quiet-hours", []string{"19:00", "20:00", "21:00"}, "20:00", ProtectLow},
		{"evenings.messages", []string{"19:00", "19:30", "20:00", "20:30", "21:00"}, "20:00", ProtectLow},
		{"gaming.ratings", []string{"pegi", "pegi-with-judgement"}, "pegi", ProtectFirst},
		{"social-events.screens", []string{"screen-free", "together-only", "no-rule"}, "together-only", ProtectFirst},
	}
	for _, tt := range tests {
		c, ok := l.Clause(tt.clause, "en")
		if !ok || c.Parameter == nil {
			t.Errorf("%q: missing or without a parameter", tt.clause)
			continue
		}
		var values []string
		for _, o := range c.Parameter.Options {
			values = append(values, o.Value)
		}
		if !slices.Equal(values, tt.values) || c.Parameter.Default != tt.def || l.Protective(tt.clause) != tt.protective {
			t.Errorf("%q: options %v default %q protective %q, want %v %q %q",
				tt.clause, values, c.Parameter.Default, l.Protective(tt.clause), tt.values, tt.def, tt.protective)
		}
	}
}

func TestHelpHasBorneTelefonen(t *testing.T) {
	l := load(t)
	for _, lang := range l.Langs() {
		for _, kind := range kinds {
			h := l.Help(kind, lang)
			var all strings.Builder
			for _, it := range h.Items {
				all.WriteString(it.Title + " " + it.Text + "\n")
			}
			if h.Title == "" || !strings.Contains(all.String(), "116 111") {
				t.Errorf("%s %s: help block %q lacks 116 111", lang, kind, h.Title)
			}
		}
	}
}

func TestTemplatesInOrderByKind(t *testing.T) {
	l := load(t)
	want := map[agreements.AgreementKind][]string{
		agreements.KindParents: {"first-smartphone", "smartwatch", "social-media", "class-chat", "chat-checklist",
			"evenings", "photos", "gaming", "social-events", "role-models", "device-settings", "when-wrong"},
		agreements.KindPupils: {"pupil-class-chat", "pupil-chat-checklist", "pupil-photos", "pupil-tone",
			"pupil-left-out", "pupil-when-wrong", "pupil-phones-at-school"},
	}
	for _, lang := range l.Langs() {
		for kind, keys := range want {
			var got []string
			for _, tp := range l.Templates(kind, lang) {
				if tp.Kind != kind {
					t.Errorf("%s: Templates(%s) returned %q of kind %s", lang, kind, tp.Key, tp.Kind)
				}
				got = append(got, tp.Key)
			}
			if !slices.Equal(got, keys) {
				t.Errorf("%s: Templates(%s) = %v, want %v", lang, kind, got, keys)
			}
		}
	}
}

func TestLanguageFallback(t *testing.T) {
	l := load(t)
	da, _ := l.Template("photos", "da")
	en, _ := l.Template("photos", "en")
	for lang, want := range map[string]string{"xx": da.Title, "": da.Title, "en-GB": en.Title, "EN": en.Title} {
		if got, ok := l.Template("photos", lang); !ok || got.Title != want {
			t.Errorf("Template(photos, %q).Title = %q, want %q", lang, got.Title, want)
		}
	}
	if _, ok := l.Template("nope", "da"); ok {
		t.Error("an unknown template was found")
	}
	if _, ok := l.Clause("nope.nope", "da"); ok {
		t.Error("an unknown clause was found")
	}
}

func TestResultsAreCopies(t *testing.T) {
	l := load(t)
	tp, _ := l.Template("first-smartphone", "da")
	tp.Clauses[0].Parameter.Options[0].Label = "changed"
	tp.Clauses[0].Title = "changed"
	l.Help(agreements.KindParents, "da").Items[0].Text = "changed"
	again, _ := l.Template("first-smartphone", "da")
	if again.Clauses[0].Parameter.Options[0].Label == "changed" || again.Clauses[0].Title == "changed" ||
		l.Help(agreements.KindParents, "da").Items[0].Text == "changed" {
		t.Error("changing a result changed the library")
	}
}
