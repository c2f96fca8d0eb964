package locales

import (
	"io/fs"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"

	"klasseaftale/agreements"
)

func mustLoad(t *testing.T) *Bundle {
	t.Helper()
	b, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// problems lists what a language lacks or has too much of, against Danish.
func problems(b *Bundle) []string {
	var out []string
	source := b.IDs(Source)
	for _, lang := range b.Langs()[1:] {
		ids := b.IDs(lang)
		for _, id := range source {
			if !slices.Contains(ids, id) {
				out = append(out, lang+": missing "+id)
				continue
			}
			out = append(out, placeholderProblems(b, lang, id)...)
			out = append(out, pluralProblems(b, lang, id)...)
		}
		for _, id := range ids {
			if !slices.Contains(source, id) {
				out = append(out, lang+": extra "+id)
			}
		}
	}
	return out
}

func placeholderProblems(b *Bundle, lang, id string) []string {
	src, _ := b.Message(Source, id)
	msg, _ := b.Message(lang, id)
	want := Placeholders(src.Other + src.One)
	for form, text := range pluralForms(msg) {
		if got := Placeholders(text); !slices.Equal(got, want) && !(form == "one" && len(got) < len(want)) {
			return []string{lang + ": " + id + "." + form + " has placeholders " + strings.Join(got, ",") + ", want " + strings.Join(want, ",")}
		}
	}
	return nil
}

// pluralProblems checks that a plural message has every form CLDR requires in lang.
func pluralProblems(b *Bundle, lang, id string) []string {
	src, _ := b.Message(Source, id)
	if len(pluralForms(src)) < 2 {
		return nil
	}
	msg, _ := b.Message(lang, id)
	have := pluralForms(msg)
	var out []string
	for _, form := range requiredForms(lang) {
		if have[form] == "" {
			out = append(out, lang+": "+id+" lacks the plural form "+form)
		}
	}
	return out
}

// requiredForms finds the CLDR cardinal forms a language uses for whole numbers.
func requiredForms(lang string) []string {
	names := map[plural.Form]string{plural.Zero: "zero", plural.One: "one", plural.Two: "two",
		plural.Few: "few", plural.Many: "many", plural.Other: "other"}
	tag := language.MustParse(lang)
	seen := map[string]bool{}
	for n := 0; n <= 1000; n++ {
		digits := []byte(strconv.Itoa(n))
		for i := range digits {
			digits[i] -= '0'
		}
		seen[names[plural.Cardinal.MatchDigits(tag, digits, len(digits), 0)]] = true
	}
	var out []string
	for _, f := range []string{"zero", "one", "two", "few", "many", "other"} {
		if seen[f] {
			out = append(out, f)
		}
	}
	return out
}

func TestEveryLanguageHasEveryMessage(t *testing.T) {
	b := mustLoad(t)
	if len(b.Langs()) < 2 || b.Langs()[0] != "da" || b.Langs()[1] != "en" {
		t.Fatalf("languages %v: want Danish first, then English", b.Langs())
	}
	for _, p := range problems(b) {
		t.Error(p)
	}
}

// The parity check must catch a missing message: drop one from a copy of English.
func TestParityCatchesAMissingMessage(t *testing.T) {
	da, _ := fs.ReadFile(files, "da.toml")
	en, _ := fs.ReadFile(files, "en.toml")
	broken := strings.Replace(string(en), "\nskip = \"Skip to content\"", "", 1)
	if broken == string(en) {
		t.Fatal("the test's fixture no longer matches en.toml")
	}
	b, err := LoadFS(fstest.MapFS{"da.toml": {Data: da}, "en.toml": {Data: []byte(broken)}})
	if err != nil {
		t.Fatal(err)
	}
	if p := problems(b); len(p) != 1 || !strings.Contains(p[0], "nav.skip") {
		t.Errorf("problems = %v, want the one missing nav.skip", p)
	}
}

func TestEveryErrorCodeHasAMessage(t *testing.T) {
	b := mustLoad(t)
	for _, e := range agreements.AllErrors() {
		for _, lang := range b.Langs() {
			if _, ok := b.Message(lang, e.Code); !ok {
				t.Errorf("%s has no message for the error code %s", lang, e.Code)
			}
		}
	}
}

func TestTranslateAndMatch(t *testing.T) {
	b := mustLoad(t)
	if got := b.N("da", "class.households_joined", 1, nil); got != "1 familie er med" {
		t.Errorf("singular: %q", got)
	}
	if got := b.N("en", "class.households_joined", 3, nil); got != "3 families have joined" {
		t.Errorf("plural: %q", got)
	}
	if got := b.T("en", "grade.name", map[string]any{"Grade": 4}); got != "Grade 4" {
		t.Errorf("placeholder: %q", got)
	}
	for _, tc := range []struct{ choice, accept, want string }{
		{"", "", "da"},
		{"", "en-GB,en;q=0.9", "en"},
		{"", "sv-SE,de;q=0.5", "da"},
		{"en", "da", "en"},
		{"xx", "en", "en"},
	} {
		if got := b.Match(tc.choice, tc.accept); got != tc.want {
			t.Errorf("Match(%q, %q) = %q, want %q", tc.choice, tc.accept, got, tc.want)
		}
	}
	if Dir("ar") != "rtl" || Dir("da") != "ltr" {
		t.Error("Dir is wrong")
	}
}

func TestJSONForTheBrowser(t *testing.T) {
	b := mustLoad(t)
	j := string(b.JSON("en"))
	if !strings.Contains(j, `"nav.skip":"Skip to content"`) || !strings.Contains(j, `"class.households_joined":{`) {
		t.Errorf("JSON lacks plain or plural messages: %.200s", j)
	}
}
