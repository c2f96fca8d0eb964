package templates

import (
	"slices"
	"testing"

	"klasseaftale/locales"
)

// In the right-to-left languages, every Latin-and-digit piece of a template or help text, such
// as the number 116 111, stands in isolates, so it reads as written, and every isolate is closed.
func TestRightToLeftTextsIsolateLatinPieces(t *testing.T) {
	for _, lang := range load(t).Langs() {
		if locales.Dir(lang) != "rtl" {
			continue
		}
		texts, err := Texts(dataFS(t), lang)
		if err != nil {
			t.Fatal(err)
		}
		keys := make([]string, 0, len(texts))
		for k := range texts {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			for _, p := range locales.IsolateProblems(texts[k]) {
				t.Errorf("%s: %s: %s", lang, k, p)
			}
		}
	}
}
