package marks

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
)

// SourceLang is the language every text is written in first.
const SourceLang = "da"

// Parser reads one language file into texts by key.
type Parser func(data []byte, lang string) (map[string]string, error)

// Set is one folder of translation files: the Danish source, the translations and their marks.
type Set struct {
	Name         string // the folder from the repository's root, for messages: "locales"
	Dir          string // the folder on disk, for git and for writing marks
	Source       map[string]string
	Translations map[string]map[string]string // by language
	Marks        map[string]File              // by language
	parse        Parser
}

var langFile = regexp.MustCompile(`^([a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*)\.toml$`)

// ReadSet reads da.toml, every other <lang>.toml and the <lang>.marks beside it from fsys,
// the folder that is dir on disk and name from the repository's root. Files named in skip, such
// as library.toml, are not languages.
func ReadSet(fsys fs.FS, name, dir string, parse Parser, skip ...string) (*Set, error) {
	s := &Set{Name: name, Dir: dir, Translations: map[string]map[string]string{}, Marks: map[string]File{}, parse: parse}
	var err error
	if s.Source, err = s.read(fsys, SourceLang); err != nil {
		return nil, err
	}
	names, _ := fs.Glob(fsys, "*.toml")
	for _, n := range names {
		m := langFile.FindStringSubmatch(n)
		if m == nil || m[1] == SourceLang || slices.Contains(skip, n) {
			continue
		}
		if s.Translations[m[1]], err = s.read(fsys, m[1]); err != nil {
			return nil, err
		}
		data, err := fs.ReadFile(fsys, m[1]+".marks")
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
		if s.Marks[m[1]], err = Parse(data); err != nil {
			return nil, fmt.Errorf("%s: %w", path.Join(name, m[1]+".marks"), err)
		}
	}
	return s, nil
}

func (s *Set) read(fsys fs.FS, lang string) (map[string]string, error) {
	data, err := fs.ReadFile(fsys, lang+".toml")
	if err != nil {
		return nil, err
	}
	return s.parse(data, lang)
}

// Langs lists the translations' languages, sorted.
func (s *Set) Langs() []string {
	var langs []string
	for lang := range s.Translations {
		langs = append(langs, lang)
	}
	slices.Sort(langs)
	return langs
}

// Check lists every problem of every language's marks.
func (s *Set) Check() []Problem { return Check(s.Source, s.Translations, s.Marks) }

// Report describes problems for a person, with the earlier Danish from git where it can.
func (s *Set) Report(problems []Problem) []string {
	h := NewHistory(s.Dir, SourceLang+".toml", func(b []byte) (map[string]string, error) { return s.parse(b, SourceLang) })
	return Report(problems, s.Source, h, s.Name)
}

// Write saves one language's marks as <lang>.marks in the folder on disk.
func (s *Set) Write(lang string, f File) error {
	s.Marks[lang] = f
	header := fmt.Sprintf(`Which Danish text each translation in %[1]s.toml was made from: one line per text, with
its key, a hash of the Danish in %[2]s.toml it translates and a hash of the translation then.
Written by %[3]s (README.md, "Translations", tells how).`, lang, SourceLang, Command)
	return os.WriteFile(filepath.Join(s.Dir, lang+".marks"), f.Format(header), 0o644)
}
