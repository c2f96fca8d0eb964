package marks

import (
	"fmt"
	"strings"
)

// Command is how a person refreshes the marks, from the repository's root.
const Command = "go run ./locales/cmd/marks"

// group is the problems of one kind with one key, across languages.
type group struct {
	kind  Kind
	key   string
	langs []string
	marks []Mark
}

// Report turns problems into messages, one per kind and key, each naming the languages and
// what to do. A stale key's message shows the Danish the translations were made from, when the
// history still has it, and the Danish now. dir is the folder of the files, such as "locales".
func Report(problems []Problem, source map[string]string, h *History, dir string) []string {
	var groups []*group
	for _, p := range problems {
		if n := len(groups); n == 0 || groups[n-1].kind != p.Kind || groups[n-1].key != p.Key {
			groups = append(groups, &group{kind: p.Kind, key: p.Key})
		}
		g := groups[len(groups)-1]
		g.langs, g.marks = append(g.langs, p.Lang), append(g.marks, p.Mark)
	}
	out := make([]string, 0, len(groups))
	for _, g := range groups {
		out = append(out, g.message(source, h, dir))
	}
	return out
}

func (g *group) message(source map[string]string, h *History, dir string) string {
	langs := strings.Join(g.langs, ", ")
	switch g.kind {
	case Stale:
		return fmt.Sprintf("%s: the Danish has changed since it was translated into %s.\n%s"+
			"  Translate it again in %s/<lang>.toml, then run: %s\n"+
			"  If a translation still holds as it is: %s -lang %s -keys %s",
			g.key, langs, g.then(source, h), dir, Command, Command, strings.Join(g.langs, ","), g.key)
	case Unmarked:
		return fmt.Sprintf("%s: not marked in %s. Once it is translated in %s/<lang>.toml, run: %s",
			g.key, langs, dir, Command)
	case Edited:
		return fmt.Sprintf("%s: the translation into %s changed after it was marked. "+
			"If it translates the Danish as it is now, run: %s", g.key, langs, Command)
	}
	return fmt.Sprintf("%s: marked in %s but no longer in the Danish. Drop the marks with: %s",
		g.key, langs, Command)
}

// then shows each earlier Danish the languages were translated from, and the Danish now.
func (g *group) then(source map[string]string, h *History) string {
	var b strings.Builder
	seen := map[string]bool{}
	for _, m := range g.marks {
		if seen[m.Source] {
			continue
		}
		seen[m.Source] = true
		var langs []string
		for i, o := range g.marks {
			if o.Source == m.Source {
				langs = append(langs, g.langs[i])
			}
		}
		old, ok := h.Text(g.key, m.Source)
		if !ok {
			old = "(not in this checkout's git history; its hash was " + m.Source + ")"
		}
		fmt.Fprintf(&b, "    Danish then (%s): %s\n", strings.Join(langs, ", "), quote(old))
	}
	fmt.Fprintf(&b, "    Danish now: %s\n", quote(source[g.key]))
	return b.String()
}

// quote shows a text on one line, with its line breaks visible.
func quote(s string) string {
	return "«" + strings.ReplaceAll(s, "\n", " ⏎ ") + "»"
}
