package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// tree copies the repository's translation folders, marks included, into a temporary root.
func tree(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	for _, s := range sets {
		from := filepath.Join("..", "..", "..", s.name)
		to := filepath.Join(root, s.name)
		if err := os.MkdirAll(to, 0o755); err != nil {
			t.Fatal(err)
		}
		for _, pattern := range []string{"*.toml", "*.marks"} {
			names, _ := filepath.Glob(filepath.Join(from, pattern))
			for _, n := range names {
				data, err := os.ReadFile(n)
				if err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(to, filepath.Base(n)), data, 0o644); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	return root
}

func replace(t *testing.T, path, old, new string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil || !bytes.Contains(data, []byte(old)) {
		t.Fatalf("%s does not contain %q (%v)", path, old, err)
	}
	if err := os.WriteFile(path, bytes.Replace(data, []byte(old), []byte(new), 1), 0o644); err != nil {
		t.Fatal(err)
	}
}

func marksRun(t *testing.T, args ...string) string {
	t.Helper()
	var out bytes.Buffer
	if err := run(args, &out); err != nil {
		t.Fatalf("run %v: %v\n%s", args, err, out.String())
	}
	return out.String()
}

// The Danish changes; English is translated again and gets marked; the others stay stale until
// they are translated or named as still holding.
func TestMarkWhatWasTranslated(t *testing.T) {
	root := tree(t)
	loc := filepath.Join(root, "locales")
	if out := marksRun(t, "-root", root); out != "" {
		t.Fatalf("a fresh tree: %s", out)
	}
	replace(t, filepath.Join(loc, "da.toml"), `skip = "Gå til indholdet"`, `skip = "Spring til indholdet"`)
	replace(t, filepath.Join(loc, "en.toml"), `skip = "Skip to content"`, `skip = "Skip to the content"`)
	out := marksRun(t, "-root", root)
	if !strings.Contains(out, "locales/en.marks: nav.skip marked\n") || strings.Contains(out, "ar.marks") {
		t.Errorf("want only English marked:\n%s", out)
	}
	if !strings.Contains(out, "nav.skip: the Danish has changed since it was translated into ar, fa, pl, ro, so, tr, uk, ur.") {
		t.Errorf("want the others still stale:\n%s", out)
	}
	out = marksRun(t, "-root", root, "-lang", "ar,fa", "-keys", "nav.skip")
	if !strings.Contains(out, "locales/ar.marks: nav.skip marked as still holding") ||
		!strings.Contains(out, "translated into pl, ro, so, tr, uk, ur.") {
		t.Errorf("want ar and fa forced, the rest still stale:\n%s", out)
	}
	var sink bytes.Buffer
	if err := run([]string{"-root", root, "-keys", "nav.nope"}, &sink); err == nil {
		t.Error("an unknown key was marked")
	}
}

// A text without a mark, in the template library this time, is marked, and the marks file
// comes out as it was.
func TestMarkUnmarkedText(t *testing.T) {
	root := tree(t)
	data := filepath.Join(root, "agreements/templates/data")
	before, _ := os.ReadFile(filepath.Join(data, "en.marks"))
	if err := os.WriteFile(filepath.Join(data, "en.marks"), before[:bytes.LastIndexByte(before[:len(before)-1], '\n')+1], 0o644); err != nil {
		t.Fatal(err)
	}
	out := marksRun(t, "-root", root)
	if !strings.HasPrefix(out, "agreements/templates/data/en.marks: ") || strings.Count(out, "\n") != 1 {
		t.Errorf("want the one unmarked English text marked:\n%s", out)
	}
	after, _ := os.ReadFile(filepath.Join(data, "en.marks"))
	if !bytes.Equal(after, before) {
		t.Error("marking again did not give the same file")
	}
}
