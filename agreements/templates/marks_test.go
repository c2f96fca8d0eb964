package templates

import (
	"io/fs"
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"klasseaftale/locales/marks"
)

const dataDir = "agreements/templates/data"

func parseTexts(data []byte, _ string) (map[string]string, error) { return ParseTexts(data) }

// readMarks reads the texts and their marks from a copy of data/. The marks are not embedded in
// the program: only the tests and the marks command read them.
func readMarks(t *testing.T, m fstest.MapFS) *marks.Set {
	t.Helper()
	set, err := marks.ReadSet(m, dataDir, "data", parseTexts, libraryFile)
	if err != nil {
		t.Fatal(err)
	}
	return set
}

// withMarks is dataFS with the marks files from disk added.
func withMarks(t *testing.T) fstest.MapFS {
	t.Helper()
	m := dataFS(t)
	names, _ := fs.Glob(os.DirFS("data"), "*.marks")
	for _, n := range names {
		b, err := os.ReadFile("data/" + n)
		if err != nil {
			t.Fatal(err)
		}
		m[n] = &fstest.MapFile{Data: b}
	}
	return m
}

// TestTranslationsAreFresh fails when a Danish text has changed since a language's translation
// of it was marked, or a translation has no mark: the README's Translations section tells what
// to do.
func TestTranslationsAreFresh(t *testing.T) {
	set := readMarks(t, withMarks(t))
	if got, want := len(set.Langs()), len(load(t).Langs())-1; got != want {
		t.Fatalf("read %d translations, want %d", got, want)
	}
	for _, msg := range set.Report(set.Check()) {
		t.Error(msg)
	}
}

// A changed Danish text fails the check, naming the text, every language and the Danish now.
func TestFreshnessCatchesAChangedDanish(t *testing.T) {
	m := withMarks(t)
	edit(t, m, "da.toml", `title = "Vi spørger først"`, `title = "Vi spørger altid først"`)
	set := readMarks(t, m)
	key := `clause."photos.consent".title`
	var msg string
	for _, s := range set.Report(set.Check()) {
		if strings.HasPrefix(s, key+":") {
			msg = s
		}
	}
	for _, want := range []string{key + ": the Danish has changed since it was translated into ar, en, fa, pl, ro, so, tr, uk, ur.",
		"Danish now: «Vi spørger altid først»", dataDir + "/<lang>.toml", marks.Command} {
		if !strings.Contains(msg, want) {
			t.Errorf("the message lacks %q:\n%s", want, msg)
		}
	}
}

// Every text a language file holds has a key in the form the marks use, found again in the file.
func TestTextsCoverEveryText(t *testing.T) {
	texts, err := Texts(dataFS(t), SourceLang)
	if err != nil {
		t.Fatal(err)
	}
	for key, want := range map[string]string{
		`template.photos.title`:                           "Billeder og deling",
		`clause."first-smartphone.age".options.10`:        "10 år",
		`clause."class-chat.quiet-hours".options."19:00"`: "Fra kl. 19 til kl. 7",
		`help.pupils.items.borne-telefonen.title`:         "BørneTelefonen: 116 111",
		`clause."social-media.age".label`:                 "Hvornår må vores børn begynde på sociale medier?",
	} {
		if texts[key] != want {
			t.Errorf("%s = %q, want %q", key, texts[key], want)
		}
	}
	if _, ok := texts[`clause."photos.consent".label`]; ok {
		t.Error("a clause without a parameter has a label text")
	}
}
