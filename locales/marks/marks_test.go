package marks

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

var (
	danish = map[string]string{"a": "Hej", "b": "Farvel", "c": "Tak"}
	arabic = map[string]string{"a": "مرحبا", "b": "مع السلامة", "c": "شكرا"}
)

// marked returns marks saying every text of translation translates the Danish as it is.
func marked(source, translation map[string]string) File {
	f, _ := Update(File{}, source, translation)
	return f
}

func TestFormatAndParse(t *testing.T) {
	f := marked(danish, arabic)
	data := f.Format("Arabic\nmarks")
	if !strings.HasPrefix(string(data), "# Arabic\n# marks\na ") {
		t.Errorf("Format =\n%s", data)
	}
	back, err := Parse(data)
	if err != nil || len(back) != 3 || back["b"] != f["b"] {
		t.Errorf("Parse(Format) = %v, %v, want %v", back, err, f)
	}
	for _, bad := range []string{"a 1234abcd\n", "a 1 2\na 1 2\n", "a b c d\n"} {
		if _, err := Parse([]byte(bad)); err == nil {
			t.Errorf("Parse(%q) did not fail", bad)
		}
	}
}

func TestCheck(t *testing.T) {
	f := marked(danish, arabic)
	if p := Check(danish, map[string]map[string]string{"ar": arabic}, map[string]File{"ar": f}); len(p) != 0 {
		t.Fatalf("fresh marks: %v", p)
	}
	source := map[string]string{"a": "Hej med dig", "b": "Farvel", "c": "Tak", "d": "Ny"}
	arabicNow := map[string]string{"a": "مرحبا", "b": "وداعا", "c": "شكرا", "d": "جديد"}
	f["gone"] = Mark{Source: "00000000", Text: "00000000"}
	got := Check(source, map[string]map[string]string{"ar": arabicNow}, map[string]File{"ar": f})
	want := []Problem{
		{Kind: Stale, Key: "a", Lang: "ar", Mark: f["a"]},
		{Kind: Unmarked, Key: "d", Lang: "ar"},
		{Kind: Edited, Key: "b", Lang: "ar", Mark: f["b"]},
		{Kind: Unused, Key: "gone", Lang: "ar"},
	}
	if !slices.Equal(got, want) {
		t.Errorf("Check =\n%v\nwant\n%v", got, want)
	}
}

// Update marks what was just translated, but never a translation the Danish left behind.
func TestUpdate(t *testing.T) {
	f := marked(danish, arabic)
	f["gone"] = Mark{Source: "00000000", Text: "00000000"}
	source := map[string]string{"a": "Hej med dig", "b": "Farvel nu", "c": "Tak", "d": "Ny"}
	translation := map[string]string{"a": "مرحبا", "b": "وداعا الآن", "c": "شكرا", "d": "جديد"}
	out, changes := Update(f, source, translation)
	var keys []string
	for _, c := range changes {
		keys = append(keys, c.Key)
	}
	slices.Sort(keys)
	if !slices.Equal(keys, []string{"b", "d", "gone"}) {
		t.Errorf("changed %v, want b (translated again), d (new) and gone (dropped)", keys)
	}
	p := Check(source, map[string]map[string]string{"ar": translation}, map[string]File{"ar": out})
	if len(p) != 1 || p[0].Kind != Stale || p[0].Key != "a" {
		t.Errorf("after Update: %v, want only a still stale", p)
	}
	out, changes, err := Force(out, source, translation, []string{"a"})
	if err != nil || len(changes) != 1 || !changes[0].Forced {
		t.Errorf("Force = %v, %v", changes, err)
	}
	if p := Check(source, map[string]map[string]string{"ar": translation}, map[string]File{"ar": out}); len(p) != 0 {
		t.Errorf("after Force: %v", p)
	}
	if _, _, err := Force(out, source, translation, []string{"nope"}); err == nil {
		t.Error("Force of an unknown key did not fail")
	}
}

func TestReport(t *testing.T) {
	f := marked(danish, arabic)
	source := map[string]string{"a": "Hej med dig", "b": "Farvel", "c": "Tak"}
	langs := map[string]map[string]string{"ar": arabic, "fa": arabic, "en": {"a": "Hi", "b": "Bye", "c": "Thanks"}}
	marks := map[string]File{"ar": f, "fa": f, "en": marked(source, langs["en"])}
	msgs := Report(Check(source, langs, marks), source, nil, "locales")
	if len(msgs) != 1 {
		t.Fatalf("Report = %q, want one message for a", msgs)
	}
	for _, want := range []string{"a: the Danish has changed since it was translated into ar, fa.",
		"Danish now: «Hej med dig»", "locales/<lang>.toml", Command + " -lang ar,fa -keys a"} {
		if !strings.Contains(msgs[0], want) {
			t.Errorf("the message lacks %q:\n%s", want, msgs[0])
		}
	}
}

// History finds the Danish a stale translation was made from in git.
func TestHistory(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git")
	}
	dir := t.TempDir()
	run := func(args ...string) {
		t.Helper()
		cmd := exec.Command("git", append([]string{"-C", dir, "-c", "user.name=t", "-c", "user.email=t@t", "-c", "commit.gpgsign=false"}, args...)...)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	write := func(text string) {
		if err := os.WriteFile(filepath.Join(dir, "da.txt"), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	run("init", "-q")
	write("Hej")
	run("add", ".")
	run("commit", "-qm", "one")
	write("Hej med dig")
	run("commit", "-qam", "two")
	parse := func(b []byte) (map[string]string, error) { return map[string]string{"a": string(b)}, nil }
	h := NewHistory(dir, "da.txt", parse)
	if text, ok := h.Text("a", Hash("Hej")); !ok || text != "Hej" {
		t.Errorf("Text = %q, %v, want the first version", text, ok)
	}
	if _, ok := h.Text("a", "00000000"); ok {
		t.Error("found a version that never was")
	}
	if _, ok := NewHistory(t.TempDir(), "da.txt", parse).Text("a", Hash("Hej")); ok {
		t.Error("found a version outside a repository")
	}
}

func TestReadSet(t *testing.T) {
	lines := func(b []byte, _ string) (map[string]string, error) {
		out := map[string]string{}
		for _, l := range strings.Split(strings.TrimSpace(string(b)), "\n") {
			k, v, _ := strings.Cut(l, "=")
			out[k] = v
		}
		return out, nil
	}
	fsys := fstest.MapFS{
		"da.toml":      {Data: []byte("a=Hej\nb=Tak")},
		"en.toml":      {Data: []byte("a=Hi\nb=Thanks")},
		"en.marks":     {Data: marked(map[string]string{"a": "Hej"}, map[string]string{"a": "Hi"}).Format("x")},
		"sv.toml":      {Data: []byte("a=Hej\nb=Tack")},
		"library.toml": {Data: []byte("not a language")},
		"en copy.toml": {Data: []byte("not a language either")},
	}
	set, err := ReadSet(fsys, "words", ".", lines, "library.toml")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(set.Langs(), []string{"en", "sv"}) {
		t.Errorf("Langs = %v", set.Langs())
	}
	got := Check(set.Source, set.Translations, set.Marks)
	want := []Problem{{Kind: Unmarked, Key: "a", Lang: "sv"}, {Kind: Unmarked, Key: "b", Lang: "en"}, {Kind: Unmarked, Key: "b", Lang: "sv"}}
	if !slices.Equal(got, want) {
		t.Errorf("Check = %v, want %v", got, want)
	}
	fsys["sv.marks"] = &fstest.MapFile{Data: []byte("a 1234\n")}
	if _, err := ReadSet(fsys, "words", ".", lines); err == nil || !strings.Contains(err.Error(), "words/sv.marks") {
		t.Errorf("a broken marks file: %v", err)
	}
}
