package templates

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"klasseaftale/agreements"
)

// problems collects every fault in a file, so one run shows them all.
type problems []error

func (p *problems) addf(format string, args ...any) { *p = append(*p, fmt.Errorf(format, args...)) }

func (p problems) err() error { return errors.Join(p...) }

// validate checks the structure: unique keys, known kinds, grade bands, and parameters whose
// default is an option and whose order means what the vote expects.
func (d *libraryDef) validate() error {
	var p problems
	if len(d.Templates) == 0 {
		p.addf("no templates")
	}
	templates, clauses := map[string]bool{}, map[string]bool{}
	for _, t := range d.Templates {
		switch {
		case t.Key == "":
			p.addf("a template without a key")
		case templates[t.Key]:
			p.addf("template %q: duplicate key", t.Key)
		}
		templates[t.Key] = true
		if !t.Kind.Valid() {
			p.addf("template %q: kind %q is not parents or pupils", t.Key, t.Kind)
		}
		if len(t.Clauses) == 0 {
			p.addf("template %q: no clauses", t.Key)
		}
		for _, c := range t.Clauses {
			name, ok := strings.CutPrefix(c.Key, t.Key+".")
			switch {
			case !ok || name == "":
				p.addf("clause %q: key must be %q followed by a name", c.Key, t.Key+".")
			case clauses[c.Key]:
				p.addf("clause %q: duplicate key", c.Key)
			}
			clauses[c.Key] = true
			if len(c.Grades) != 2 || c.Grades[0] < 0 || c.Grades[0] > c.Grades[1] || c.Grades[1] > agreements.MaxGrade {
				p.addf("clause %q: grades %v is not [from, to] within 0–%d", c.Key, c.Grades, agreements.MaxGrade)
			}
			if c.Parameter != nil {
				c.Parameter.validate(c.Key, &p)
			}
		}
	}
	d.validateHelp(&p)
	return p.err()
}

func (pd *paramDef) validate(key string, p *problems) {
	switch pd.Kind {
	case agreements.ParamChoice:
		if pd.Protective != "" {
			p.addf("clause %q: a choice lists its options from the most protective; drop protective", key)
		}
	case agreements.ParamNumber, agreements.ParamTime:
		if pd.Protective != ProtectHigh && pd.Protective != ProtectLow {
			p.addf("clause %q: protective must be %q or %q", key, ProtectHigh, ProtectLow)
		}
		if !ascending(pd.Kind, pd.Options) {
			p.addf("clause %q: %s options must be valid and in ascending order", key, pd.Kind)
		}
	default:
		p.addf("clause %q: parameter kind %q is not choice, number or time", key, pd.Kind)
	}
	if len(pd.Options) < 2 {
		p.addf("clause %q: a parameter needs at least two options", key)
	}
	seen := map[string]bool{}
	for _, o := range pd.Options {
		if o == "" || seen[o] {
			p.addf("clause %q: option %q is empty or a duplicate", key, o)
		}
		seen[o] = true
	}
	if !seen[pd.Default] {
		p.addf("clause %q: default %q is not one of the options", key, pd.Default)
	}
}

// ascending reports whether the options of a number or time parameter parse and rise strictly,
// since the median vote and the display both rely on the order.
func ascending(kind agreements.ParamKind, options []string) bool {
	last := -1
	for _, o := range options {
		var n int
		if kind == agreements.ParamNumber {
			v, err := strconv.Atoi(o)
			if err != nil {
				return false
			}
			n = v
		} else {
			t, err := time.Parse("15:04", o)
			if err != nil {
				return false
			}
			n = t.Hour()*60 + t.Minute()
		}
		if n <= last {
			return false
		}
		last = n
	}
	return true
}

func (d *libraryDef) validateHelp(p *problems) {
	for _, kind := range []agreements.AgreementKind{agreements.KindParents, agreements.KindPupils} {
		if len(d.Help[string(kind)]) == 0 {
			p.addf("help: no items for %s", kind)
		}
	}
	for _, kind := range slices.Sorted(maps.Keys(d.Help)) {
		keys := d.Help[kind]
		if !agreements.AgreementKind(kind).Valid() {
			p.addf("help: kind %q is not parents or pupils", kind)
		}
		seen := map[string]bool{}
		for _, k := range keys {
			if k == "" || seen[k] {
				p.addf("help %s: item %q is empty or a duplicate", kind, k)
			}
			seen[k] = true
		}
	}
}

// protective maps every clause with a parameter to the end of its options that protects most.
func (d *libraryDef) protective() map[string]string {
	m := map[string]string{}
	for _, t := range d.Templates {
		for _, c := range t.Clauses {
			switch {
			case c.Parameter == nil:
			case c.Parameter.Kind == agreements.ParamChoice:
				m[c.Key] = ProtectFirst
			default:
				m[c.Key] = c.Parameter.Protective
			}
		}
	}
	return m
}

// validate checks that a language has a text for everything the structure defines, and nothing
// else: no missing, empty or left-over texts.
func (l *langTexts) validate(d *libraryDef) error {
	var p problems
	templates, clauses := map[string]bool{}, map[string]bool{}
	for _, td := range d.Templates {
		templates[td.Key] = true
		tt, ok := l.Templates[td.Key]
		if !ok {
			p.addf("template %q: missing", td.Key)
		}
		need(&p, "template "+strconv.Quote(td.Key), ok, "title", tt.Title, "summary", tt.Summary)
		for _, cd := range td.Clauses {
			clauses[cd.Key] = true
			l.validateClause(cd, &p)
		}
	}
	extra(&p, "template", l.Templates, templates)
	extra(&p, "clause", l.Clauses, clauses)
	l.validateHelp(d, &p)
	return p.err()
}

func (l *langTexts) validateClause(cd clauseDef, p *problems) {
	name := "clause " + strconv.Quote(cd.Key)
	ct, ok := l.Clauses[cd.Key]
	if !ok {
		p.addf("%s: missing", name)
	}
	need(p, name, ok, "title", ct.Title, "body", ct.Body)
	if cd.Parameter == nil {
		if ct.Label != "" || len(ct.Options) > 0 {
			p.addf("%s: has a label or options but no parameter", name)
		}
		return
	}
	need(p, name, ok, "label", ct.Label)
	options := map[string]bool{}
	for _, o := range cd.Parameter.Options {
		options[o] = true
		label, has := ct.Options[o]
		if !has && ok {
			p.addf("%s: missing label for option %q", name, o)
		}
		need(p, name, has, "label for option "+strconv.Quote(o), label)
	}
	extra(p, name+" option", ct.Options, options)
}

func (l *langTexts) validateHelp(d *libraryDef, p *problems) {
	kinds := map[string]bool{}
	for _, kind := range slices.Sorted(maps.Keys(d.Help)) {
		keys := d.Help[kind]
		kinds[kind] = true
		name := "help " + kind
		ht, ok := l.Help[kind]
		if !ok {
			p.addf("%s: missing", name)
		}
		need(p, name, ok, "title", ht.Title)
		items := map[string]bool{}
		for _, k := range keys {
			items[k] = true
			it, has := ht.Items[k]
			if !has && ok {
				p.addf("%s: item %q missing", name, k)
			}
			need(p, name+" item "+strconv.Quote(k), has, "title", it.Title, "text", it.Text)
		}
		extra(p, name+" item", ht.Items, items)
	}
	extra(p, "help", l.Help, kinds)
}

// need reports each empty text among name/text pairs. When present is false the whole entry was
// reported missing already, so an empty text says nothing new.
func need(p *problems, what string, present bool, pairs ...string) {
	for i := 0; i+1 < len(pairs); i += 2 {
		if strings.TrimSpace(pairs[i+1]) == "" && present {
			p.addf("%s: %s is empty", what, pairs[i])
		}
	}
}

// extra reports keys in a language file that the structure does not define, in a stable order.
func extra[V any](p *problems, what string, got map[string]V, want map[string]bool) {
	var keys []string
	for k := range got {
		if !want[k] {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	for _, k := range keys {
		p.addf("%s %q: not in %s", what, k, libraryFile)
	}
}
