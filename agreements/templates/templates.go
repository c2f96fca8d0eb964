// Package templates is the library of agreement templates: the topics a class starts from, with
// their clauses, parameters and the help every agreement ends with. The structure lives in
// data/library.toml and the words in one file per language (data/da.toml, data/en.toml, …), so a
// translator works on one file and a test tells them what is missing.
package templates

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strings"

	"github.com/BurntSushi/toml"

	"klasseaftale/agreements"
)

// SourceLang is the language the texts are written in first, and the fallback for any other.
const SourceLang = "da"

// libraryFile is the name of the language-free structure; every other .toml file is a language.
const libraryFile = "library.toml"

//go:embed data/*.toml
var data embed.FS

// Load reads the library embedded in the binary.
func Load() (*Library, error) {
	sub, err := fs.Sub(data, "data")
	if err != nil {
		return nil, err
	}
	return LoadFS(sub)
}

// MustLoad is Load for the tests, which cannot go on without the library. The program calls Load
// and reports its error (internal/wire). The embedded files cannot change after the build and
// the tests of this package load them, so a failure here is a programming error.
func MustLoad() *Library {
	l, err := Load()
	if err != nil {
		panic(err)
	}
	return l
}

// LoadFS reads a library from the root of fsys: library.toml and one <lang>.toml per language.
// It returns every problem it finds at once, so a translator sees the whole list.
func LoadFS(fsys fs.FS) (*Library, error) {
	var def libraryDef
	if err := decode(fsys, libraryFile, &def); err != nil {
		return nil, err
	}
	if err := def.validate(); err != nil {
		return nil, fmt.Errorf("templates: %s: %w", libraryFile, err)
	}
	langs, err := languages(fsys)
	if err != nil {
		return nil, err
	}
	l := &Library{langs: langs, catalogs: map[string]*catalog{}, protective: def.protective()}
	var errs []error
	for _, lang := range langs {
		name := lang + ".toml"
		var texts langTexts
		if err := decode(fsys, name, &texts); err != nil {
			errs = append(errs, err)
			continue
		}
		if err := texts.validate(&def); err != nil {
			errs = append(errs, fmt.Errorf("templates: %s: %w", name, err))
			continue
		}
		l.catalogs[lang] = newCatalog(&def, &texts)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return l, nil
}

// decode reads one TOML file into v and refuses keys v has no place for, such as a misspelt
// "sumary", which would otherwise vanish without a word.
func decode(fsys fs.FS, name string, v any) error {
	b, err := fs.ReadFile(fsys, name)
	if err != nil {
		return fmt.Errorf("templates: %w", err)
	}
	md, err := toml.Decode(string(b), v)
	if err != nil {
		return fmt.Errorf("templates: %s: %w", name, err)
	}
	if u := md.Undecoded(); len(u) > 0 {
		return fmt.Errorf("templates: %s: unknown keys %v", name, u)
	}
	return nil
}

var langName = regexp.MustCompile(`^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$`)

// languages lists the language files' names, the source language first.
func languages(fsys fs.FS) ([]string, error) {
	names, err := fs.Glob(fsys, "*.toml")
	if err != nil {
		return nil, fmt.Errorf("templates: %w", err)
	}
	langs := []string{SourceLang}
	for _, name := range names {
		lang := strings.TrimSuffix(path.Base(name), ".toml")
		switch {
		case name == libraryFile || lang == SourceLang:
		case !langName.MatchString(lang):
			return nil, fmt.Errorf("templates: %s: not a language file name such as en.toml", name)
		default:
			langs = append(langs, lang)
		}
	}
	sort.Strings(langs[1:])
	return langs, nil
}

// libraryDef is library.toml: the templates and their clauses, without words.
type libraryDef struct {
	Help      map[string][]string `toml:"help"`
	Templates []templateDef       `toml:"template"`
}

type templateDef struct {
	Key     string                   `toml:"key"`
	Kind    agreements.AgreementKind `toml:"kind"`
	Clauses []clauseDef              `toml:"clause"`
}

type clauseDef struct {
	Key       string    `toml:"key"`
	Grades    []int     `toml:"grades"`
	Parameter *paramDef `toml:"parameter"`
}

type paramDef struct {
	Kind       agreements.ParamKind `toml:"kind"`
	Options    []string             `toml:"options"`
	Default    string               `toml:"default"`
	Protective string               `toml:"protective"`
}

// langTexts is one language file: every text, keyed by what it belongs to.
type langTexts struct {
	Help      map[string]helpText     `toml:"help"`
	Templates map[string]templateText `toml:"template"`
	Clauses   map[string]clauseText   `toml:"clause"`
}

type helpText struct {
	Title string              `toml:"title"`
	Items map[string]itemText `toml:"items"`
}

type itemText struct {
	Title string `toml:"title"`
	Text  string `toml:"text"`
}

type templateText struct {
	Title   string `toml:"title"`
	Summary string `toml:"summary"`
}

type clauseText struct {
	Title   string            `toml:"title"`
	Body    string            `toml:"body"`
	Label   string            `toml:"label"`
	Options map[string]string `toml:"options"`
}
