// Command marks records which Danish text each translation was made from, in the interface's
// messages (locales/) and in the template library (agreements/templates/data/). Run it from
// the repository's root after translating:
//
//	go run ./locales/cmd/marks
//
// marks every text that has no mark yet and every translation changed since it was marked, and
// then lists what is still stale. A translation that still holds after a change of the Danish
// (a corrected typo, say) is marked by naming it:
//
//	go run ./locales/cmd/marks -lang ar,fa -keys join.child_hint
//
// Without -lang, every language is meant.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"klasseaftale/agreements/templates"
	"klasseaftale/locales"
	"klasseaftale/locales/marks"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "marks:", err)
		os.Exit(1)
	}
}

// sets lists the folders of translations, from the repository's root.
var sets = []struct {
	name  string
	parse marks.Parser
	skip  []string
}{
	{"locales", locales.ParseTexts, nil},
	{"agreements/templates/data", func(b []byte, _ string) (map[string]string, error) { return templates.ParseTexts(b) }, []string{"library.toml"}},
}

func run(args []string, stdout io.Writer) error {
	fl := flag.NewFlagSet("marks", flag.ContinueOnError)
	langs := fl.String("lang", "", "languages to mark, such as ar,fa (default: all)")
	keys := fl.String("keys", "", "keys to mark as translating the Danish as it is now, such as join.child_hint")
	root := fl.String("root", ".", "the repository's root")
	if err := fl.Parse(args); err != nil {
		return err
	}
	unknown := split(*keys)
	for _, s := range sets {
		dir := filepath.Join(*root, s.name)
		set, err := marks.ReadSet(os.DirFS(dir), s.name, dir, s.parse, s.skip...)
		if err != nil {
			return err
		}
		var mine []string
		mine, unknown = partition(split(*keys), unknown, set.Source)
		if err := mark(set, split(*langs), mine, *keys != "", stdout); err != nil {
			return err
		}
		for _, msg := range set.Report(set.Check()) {
			fmt.Fprintln(stdout, msg)
		}
	}
	if len(unknown) > 0 {
		return fmt.Errorf("no Danish text has the key %s", strings.Join(unknown, ", "))
	}
	return nil
}

// partition picks the keys the set's Danish has, and leaves out of unknown those it has.
func partition(keys, unknown []string, source map[string]string) (mine, stillUnknown []string) {
	for _, k := range keys {
		if _, ok := source[k]; ok {
			mine = append(mine, k)
		}
	}
	for _, k := range unknown {
		if _, ok := source[k]; !ok {
			stillUnknown = append(stillUnknown, k)
		}
	}
	return mine, stillUnknown
}

// mark refreshes the marks of the chosen languages (all when langs is empty) and says what it
// did: with force, it marks the keys and nothing else; without, it marks what was translated.
func mark(set *marks.Set, langs, keys []string, force bool, stdout io.Writer) error {
	for _, lang := range set.Langs() {
		if len(langs) > 0 && !slices.Contains(langs, lang) {
			continue
		}
		f, changes := marks.Update(set.Marks[lang], set.Source, set.Translations[lang])
		if force {
			var err error
			if f, changes, err = marks.Force(set.Marks[lang], set.Source, set.Translations[lang], keys); err != nil {
				return fmt.Errorf("%s/%s.toml: %w", set.Name, lang, err)
			}
		}
		if len(changes) == 0 {
			continue
		}
		slices.SortFunc(changes, func(a, b marks.Change) int { return strings.Compare(a.Key, b.Key) })
		if err := set.Write(lang, f); err != nil {
			return err
		}
		for _, c := range changes {
			fmt.Fprintf(stdout, "%s/%s.marks: %s %s\n", set.Name, lang, c.Key, describe(c))
		}
	}
	return nil
}

func describe(c marks.Change) string {
	switch {
	case c.Dropped:
		return "dropped: the Danish no longer has it"
	case c.Forced:
		return "marked as still holding"
	}
	return "marked"
}

func split(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
