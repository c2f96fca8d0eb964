package templates

import (
	"fmt"
	"io/fs"
	"regexp"
	"strconv"

	"github.com/BurntSushi/toml"
)

// Texts returns every text of the language file <lang>.toml in fsys by its place in the file,
// such as `clause."photos.consent".body`: the form the translation marks use.
func Texts(fsys fs.FS, lang string) (map[string]string, error) {
	data, err := fs.ReadFile(fsys, lang+".toml")
	if err != nil {
		return nil, fmt.Errorf("templates: %w", err)
	}
	return ParseTexts(data)
}

// ParseTexts reads one language file, such as an earlier da.toml from the history, into the
// form Texts returns.
func ParseTexts(data []byte) (map[string]string, error) {
	var l langTexts
	if _, err := toml.Decode(string(data), &l); err != nil {
		return nil, fmt.Errorf("templates: %w", err)
	}
	out := map[string]string{}
	add := func(text string, path ...string) {
		if text = clean(text); text != "" {
			out[tomlPath(path)] = text
		}
	}
	for key, t := range l.Templates {
		add(t.Title, "template", key, "title")
		add(t.Summary, "template", key, "summary")
	}
	for key, c := range l.Clauses {
		add(c.Title, "clause", key, "title")
		add(c.Body, "clause", key, "body")
		add(c.Label, "clause", key, "label")
		for o, label := range c.Options {
			add(label, "clause", key, "options", o)
		}
	}
	for kind, h := range l.Help {
		add(h.Title, "help", kind, "title")
		for item, it := range h.Items {
			add(it.Title, "help", kind, "items", item, "title")
			add(it.Text, "help", kind, "items", item, "text")
		}
	}
	return out, nil
}

var bareKey = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)

// tomlPath writes a path as TOML does, quoting a part that is not a bare key, so it can be
// found in the file: clause."photos.consent".body.
func tomlPath(parts []string) string {
	s := ""
	for i, p := range parts {
		if !bareKey.MatchString(p) {
			p = strconv.Quote(p)
		}
		if i > 0 {
			s += "."
		}
		s += p
	}
	return s
}
