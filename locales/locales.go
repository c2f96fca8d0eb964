// Package locales holds the interface's messages in every language, as go-i18n TOML files with
// Danish as the source. The same messages are served to the browser as JSON, so Go and
// JavaScript say the same things.
package locales

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"slices"
	"strings"

	"github.com/BurntSushi/toml"
	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

//go:embed *.toml
var files embed.FS

// Source is the language every message is written in first.
const Source = "da"

// order is how languages are listed to people: Danish, English, then the languages parents in
// Danish schools speak most.
var order = []string{"da", "en", "ar", "tr", "uk", "pl", "ro", "ur", "fa", "so"}

// rtl lists the languages written right to left.
var rtl = map[string]bool{"ar": true, "ur": true, "fa": true}

// Bundle is every message in every language.
type Bundle struct {
	bundle   *i18n.Bundle
	langs    []string
	messages map[string]map[string]*i18n.Message
	local    map[string]*i18n.Localizer
	json     map[string][]byte
}

// Load reads the embedded message files.
func Load() (*Bundle, error) { return LoadFS(files) }

// LoadFS reads the message files <lang>.toml of fsys; tests feed it broken copies.
func LoadFS(fsys fs.FS) (*Bundle, error) {
	b := &Bundle{bundle: i18n.NewBundle(language.Danish), messages: map[string]map[string]*i18n.Message{},
		local: map[string]*i18n.Localizer{}, json: map[string][]byte{}}
	b.bundle.RegisterUnmarshalFunc("toml", toml.Unmarshal)
	for _, lang := range order {
		data, err := fs.ReadFile(fsys, lang+".toml")
		if err != nil {
			continue
		}
		mf, err := b.bundle.ParseMessageFileBytes(data, lang+".toml")
		if err != nil {
			return nil, fmt.Errorf("locales: %s: %w", lang, err)
		}
		b.langs = append(b.langs, lang)
		b.messages[lang] = map[string]*i18n.Message{}
		for _, m := range mf.Messages {
			b.messages[lang][m.ID] = m
		}
	}
	if len(b.langs) == 0 || b.langs[0] != Source {
		return nil, fmt.Errorf("locales: no %s.toml", Source)
	}
	for _, lang := range b.langs {
		b.local[lang] = i18n.NewLocalizer(b.bundle, lang, Source)
		if b.json[lang], _ = json.Marshal(b.flatten(lang)); b.json[lang] == nil {
			return nil, fmt.Errorf("locales: %s: cannot encode", lang)
		}
	}
	return b, nil
}

// Langs lists the languages in the order they are offered.
func (b *Bundle) Langs() []string { return b.langs }

// Has reports whether lang is one of the bundle's languages.
func (b *Bundle) Has(lang string) bool { return slices.Contains(b.langs, lang) }

// Dir returns "rtl" for languages written right to left and "ltr" for the others.
func Dir(lang string) string {
	if rtl[lang] {
		return "rtl"
	}
	return "ltr"
}

// T returns message id in lang, with data filling its placeholders. A missing message shows
// its ID, which the parity test keeps from ever reaching a person.
func (b *Bundle) T(lang, id string, data map[string]any) string {
	return b.localize(lang, &i18n.LocalizeConfig{MessageID: id, TemplateData: data})
}

// N returns the plural form of message id for count, by the CLDR rules of lang.
func (b *Bundle) N(lang, id string, count int, data map[string]any) string {
	if data == nil {
		data = map[string]any{}
	}
	if _, ok := data["Count"]; !ok {
		data["Count"] = count
	}
	return b.localize(lang, &i18n.LocalizeConfig{MessageID: id, TemplateData: data, PluralCount: count})
}

func (b *Bundle) localize(lang string, cfg *i18n.LocalizeConfig) string {
	l, ok := b.local[lang]
	if !ok {
		l = b.local[Source]
	}
	s, err := l.Localize(cfg)
	if err != nil {
		return cfg.MessageID
	}
	return s
}

// Match picks the language for a request: an explicit choice (cookie or ?lang=) first, then
// the browser's Accept-Language, then Danish.
func (b *Bundle) Match(choice, acceptLanguage string) string {
	if b.Has(choice) {
		return choice
	}
	tags, _, _ := language.ParseAcceptLanguage(acceptLanguage)
	for _, t := range tags {
		base, _ := t.Base()
		if b.Has(base.String()) {
			return base.String()
		}
	}
	return Source
}

// IDs lists the message IDs of lang, sorted.
func (b *Bundle) IDs(lang string) []string {
	ids := make([]string, 0, len(b.messages[lang]))
	for id := range b.messages[lang] {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// Message returns the raw message id of lang, for checks of plural forms and placeholders.
func (b *Bundle) Message(lang, id string) (*i18n.Message, bool) {
	m, ok := b.messages[lang][id]
	return m, ok
}

// JSON returns lang's messages for the browser: {"id": "text"} or, for plurals,
// {"id": {"one": ..., "other": ...}}.
func (b *Bundle) JSON(lang string) []byte {
	if j, ok := b.json[lang]; ok {
		return j
	}
	return b.json[Source]
}

func (b *Bundle) flatten(lang string) map[string]any {
	out := map[string]any{}
	for id, m := range b.messages[lang] {
		forms := pluralForms(m)
		if len(forms) == 1 && forms["other"] != "" {
			out[id] = forms["other"]
		} else {
			out[id] = forms
		}
	}
	return out
}

// pluralForms returns the forms a message has, by CLDR category name.
func pluralForms(m *i18n.Message) map[string]string {
	forms := map[string]string{}
	for name, text := range map[string]string{"zero": m.Zero, "one": m.One, "two": m.Two,
		"few": m.Few, "many": m.Many, "other": m.Other} {
		if text != "" {
			forms[name] = text
		}
	}
	return forms
}

// Placeholders returns the template fields ({{.Name}}) a text uses, sorted.
func Placeholders(text string) []string {
	var out []string
	for _, part := range strings.Split(text, "{{")[1:] {
		field, _, ok := strings.Cut(part, "}}")
		if ok {
			out = append(out, strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(field), ".")))
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}
