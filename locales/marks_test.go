package locales

import (
	"io/fs"
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"klasseaftale/locales/marks"
)

// readMarks reads the messages and their marks from a folder like this one. The marks are not
// embedded in the program: only the tests and the marks command read them.
func readMarks(t *testing.T, fsys fs.FS) *marks.Set {
	t.Helper()
	set, err := marks.ReadSet(fsys, "locales", ".", ParseTexts)
	if err != nil {
		t.Fatal(err)
	}
	return set
}

// folder copies this folder's message and marks files into a map a test can change.
func folder(t *testing.T) fstest.MapFS {
	t.Helper()
	m := fstest.MapFS{}
	for _, pattern := range []string{"*.toml", "*.marks"} {
		names, _ := fs.Glob(os.DirFS("."), pattern)
		for _, n := range names {
			data, err := os.ReadFile(n)
			if err != nil {
				t.Fatal(err)
			}
			m[n] = &fstest.MapFile{Data: data}
		}
	}
	return m
}

func change(t *testing.T, m fstest.MapFS, name, old, new string) {
	t.Helper()
	s := string(m[name].Data)
	if !strings.Contains(s, old) {
		t.Fatalf("%s does not contain %q", name, old)
	}
	m[name] = &fstest.MapFile{Data: []byte(strings.Replace(s, old, new, 1))}
}

// TestTranslationsAreFresh fails when a Danish message has changed since a language's
// translation of it was marked, or a translation has no mark: the README's Translations section
// tells what to do.
func TestTranslationsAreFresh(t *testing.T) {
	set := readMarks(t, os.DirFS("."))
	if got := len(set.Langs()); got != len(order)-1 {
		t.Fatalf("read %d translations, want %d", got, len(order)-1)
	}
	for _, msg := range set.Report(set.Check()) {
		t.Error(msg)
	}
}

// A changed Danish message fails the check, naming the key, every language and both Danish texts.
func TestFreshnessCatchesAChangedDanish(t *testing.T) {
	m := folder(t)
	change(t, m, "da.toml", `skip = "Gå til indholdet"`, `skip = "Spring til indholdet"`)
	set := readMarks(t, m)
	msgs := about("nav.skip", set.Report(set.Check()))
	if len(msgs) != 1 {
		t.Fatalf("messages %q, want one for nav.skip", msgs)
	}
	want := []string{"nav.skip: the Danish has changed since it was translated into ar, en, fa, pl, ro, so, tr, uk, ur.",
		"Danish now: «Spring til indholdet»", "locales/<lang>.toml", marks.Command}
	if _, ok := marks.NewHistory(".", "da.toml", func(b []byte) (map[string]string, error) { return ParseTexts(b, "da") }).
		Text("nav.skip", marks.Hash("Gå til indholdet")); ok {
		want = append(want, "Danish then (ar, en, fa, pl, ro, so, tr, uk, ur): «Gå til indholdet»")
	}
	for _, w := range want {
		if !strings.Contains(msgs[0], w) {
			t.Errorf("the message lacks %q:\n%s", w, msgs[0])
		}
	}
}

// about picks the messages about key; any others are TestTranslationsAreFresh's to report.
func about(key string, msgs []string) []string {
	var out []string
	for _, m := range msgs {
		if strings.HasPrefix(m, key+":") {
			out = append(out, m)
		}
	}
	return out
}

// A message added without marks fails the check, and so does a translation edited since marked.
func TestFreshnessCatchesNewAndEditedMessages(t *testing.T) {
	m := folder(t)
	change(t, m, "da.toml", "[nav]\n", "[nav]\nback = \"Tilbage\"\n")
	change(t, m, "en.toml", "[nav]\n", "[nav]\nback = \"Back\"\n")
	change(t, m, "en.toml", `skip = "Skip to content"`, `skip = "Skip to the content"`)
	set := readMarks(t, m)
	msgs := set.Report(set.Check())
	got := strings.Join(append(about("nav.back", msgs), about("nav.skip", msgs)...), "\n")
	for _, w := range []string{"nav.back: not marked in en.", "nav.skip: the translation into en changed after it was marked."} {
		if !strings.Contains(got, w) {
			t.Errorf("the report lacks %q:\n%s", w, got)
		}
	}
}
