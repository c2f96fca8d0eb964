package marks

import (
	"cmp"
	"slices"
)

// Kind is what is wrong with a mark.
type Kind int

// The kinds of problem Check finds, in the order a report lists them.
const (
	Stale    Kind = iota // the Danish has changed since the translation was marked
	Unmarked             // the translation has no mark: a new key, or a new language
	Edited               // the translation has changed since it was marked
	Unused               // a mark for a key the Danish no longer has
)

// Problem is one language's trouble with one key.
type Problem struct {
	Kind Kind
	Key  string
	Lang string
	Mark Mark // the mark as it is, for Stale and Edited
}

// Check compares every language's marks with the Danish source and the translations, all by
// text key, and returns the problems sorted by kind, key and language. A key a translation lacks
// is left to the tests that every language has every text.
func Check(source map[string]string, translations map[string]map[string]string, marks map[string]File) []Problem {
	var out []Problem
	for lang, texts := range translations {
		f := marks[lang]
		for key, text := range texts {
			src, ok := source[key]
			if !ok {
				continue
			}
			m, marked := f[key]
			switch {
			case !marked:
				out = append(out, Problem{Kind: Unmarked, Key: key, Lang: lang})
			case m.Source != Hash(src):
				out = append(out, Problem{Kind: Stale, Key: key, Lang: lang, Mark: m})
			case m.Text != Hash(text):
				out = append(out, Problem{Kind: Edited, Key: key, Lang: lang, Mark: m})
			}
		}
		for key := range f {
			if _, ok := source[key]; !ok {
				out = append(out, Problem{Kind: Unused, Key: key, Lang: lang})
			}
		}
	}
	slices.SortFunc(out, func(a, b Problem) int {
		if a.Kind != b.Kind {
			return int(a.Kind - b.Kind)
		}
		if a.Key != b.Key {
			return cmp.Compare(a.Key, b.Key)
		}
		return cmp.Compare(a.Lang, b.Lang)
	})
	return out
}
