package templates

import (
	"strings"

	"klasseaftale/agreements"
)

// Which end of a parameter's options protects the children most, as Protective reports it.
const (
	ProtectHigh  = "high"  // a number or time: the highest option (the oldest age)
	ProtectLow   = "low"   // a number or time: the lowest option (the earliest time)
	ProtectFirst = "first" // a choice: the options are listed from the most protective
)

// Library is the loaded template library. It is read-only and safe for concurrent use; every
// method returns copies.
type Library struct {
	langs      []string
	catalogs   map[string]*catalog
	protective map[string]string
}

var _ agreements.Library = (*Library)(nil)

// catalog is the library in one language.
type catalog struct {
	templates []agreements.Template
	index     map[string]int
	clauses   map[string]agreements.TemplateClause
	help      map[agreements.AgreementKind]agreements.HelpBlock
}

// Langs lists the languages, the source language first.
func (l *Library) Langs() []string { return append([]string(nil), l.langs...) }

// Templates lists the templates of a kind, in the library's order.
func (l *Library) Templates(kind agreements.AgreementKind, lang string) []agreements.Template {
	ts := []agreements.Template{}
	for _, t := range l.catalog(lang).templates {
		if t.Kind == kind {
			ts = append(ts, cloneTemplate(t))
		}
	}
	return ts
}

// Template returns one template.
func (l *Library) Template(key, lang string) (agreements.Template, bool) {
	c := l.catalog(lang)
	i, ok := c.index[key]
	if !ok {
		return agreements.Template{}, false
	}
	return cloneTemplate(c.templates[i]), true
}

// Clause returns one template clause by its key, such as "first-smartphone.age".
func (l *Library) Clause(key, lang string) (agreements.TemplateClause, bool) {
	tc, ok := l.catalog(lang).clauses[key]
	return cloneClause(tc), ok
}

// Help returns the help block for agreements of a kind.
func (l *Library) Help(kind agreements.AgreementKind, lang string) agreements.HelpBlock {
	h := l.catalog(lang).help[kind]
	h.Items = append([]agreements.HelpItem(nil), h.Items...)
	return h
}

// Protective says which end of a clause's parameter options protects the children most:
// ProtectHigh or ProtectLow for a number or a time, whose options stay in ascending order for
// display, and ProtectFirst for a choice. It returns "" for a clause without a parameter.
// A tied vote goes to the more protective option.
func (l *Library) Protective(clauseKey string) string { return l.protective[clauseKey] }

// catalog returns the catalog for lang, trying "pt-BR", then "pt", then the source language.
func (l *Library) catalog(lang string) *catalog {
	if c, ok := l.catalogs[lang]; ok {
		return c
	}
	base, _, _ := strings.Cut(strings.ToLower(lang), "-")
	if c, ok := l.catalogs[base]; ok {
		return c
	}
	return l.catalogs[SourceLang]
}

// newCatalog joins the structure with one language's texts, which validate has checked.
func newCatalog(def *libraryDef, texts *langTexts) *catalog {
	c := &catalog{
		index:   map[string]int{},
		clauses: map[string]agreements.TemplateClause{},
		help:    map[agreements.AgreementKind]agreements.HelpBlock{},
	}
	for _, td := range def.Templates {
		tt := texts.Templates[td.Key]
		t := agreements.Template{Key: td.Key, Kind: td.Kind, Title: clean(tt.Title), Summary: clean(tt.Summary)}
		for _, cd := range td.Clauses {
			tc := newClause(cd, texts.Clauses[cd.Key])
			c.clauses[cd.Key] = tc
			t.Clauses = append(t.Clauses, tc)
		}
		c.index[td.Key] = len(c.templates)
		c.templates = append(c.templates, t)
	}
	for kind, keys := range def.Help {
		ht := texts.Help[kind]
		hb := agreements.HelpBlock{Title: clean(ht.Title)}
		for _, k := range keys {
			hb.Items = append(hb.Items, agreements.HelpItem{Title: clean(ht.Items[k].Title), Text: clean(ht.Items[k].Text)})
		}
		c.help[agreements.AgreementKind(kind)] = hb
	}
	return c
}

func newClause(cd clauseDef, ct clauseText) agreements.TemplateClause {
	tc := agreements.TemplateClause{
		Key:    cd.Key,
		Grades: [2]int{cd.Grades[0], cd.Grades[1]},
		Title:  clean(ct.Title),
		Body:   clean(ct.Body),
	}
	if p := cd.Parameter; p != nil {
		pd := &agreements.ParamDef{Kind: p.Kind, Label: clean(ct.Label), Default: p.Default, Protective: p.Protective}
		for _, v := range p.Options {
			pd.Options = append(pd.Options, agreements.Option{Value: v, Label: clean(ct.Options[v])})
		}
		tc.Parameter = pd
	}
	return tc
}

func cloneTemplate(t agreements.Template) agreements.Template {
	cs := make([]agreements.TemplateClause, len(t.Clauses))
	for i, c := range t.Clauses {
		cs[i] = cloneClause(c)
	}
	t.Clauses = cs
	return t
}

func cloneClause(c agreements.TemplateClause) agreements.TemplateClause {
	if c.Parameter != nil {
		p := *c.Parameter
		p.Options = append([]agreements.Option(nil), p.Options...)
		c.Parameter = &p
	}
	return c
}

func clean(s string) string { return strings.TrimSpace(s) }
