package locales

import (
	"slices"
	"testing"
)

func TestIsolateProblems(t *testing.T) {
	tests := []struct {
		text string
		want []string
	}{
		{"مثلًا: 4.B في Bakkeskolen", []string{"«4.B» is not in an isolate"}},
		{"مثلًا: " + FSI + "4.B" + PDI + " في Bakkeskolen", nil},
		{"اتصل على 116 111", []string{"«116 111» is not in an isolate"}},
		{"اتصل على " + FSI + "116 111" + PDI, nil},
		{"من الساعة 20:30 حتى 07:00، و 5 أسر، 100 %", nil},
		{"انقل «{{.Title}}» لأعلى", []string{"{{.Title}} is not in an isolate"}},
		{"انقل «" + FSI + "{{.Title}}" + PDI + "» لأعلى، {{.Count}} من {{.Holding}}", nil},
		{FSI + "4.B", []string{"an isolate is left open"}},
		{"4" + PDI, []string{"an isolate is closed that was never opened"}},
	}
	for _, tt := range tests {
		if got := IsolateProblems(tt.text); !slices.Equal(got, tt.want) {
			t.Errorf("IsolateProblems(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

// In the right-to-left languages, every Latin-and-digit piece and every name a placeholder
// brings stands in isolates, and every isolate is closed.
func TestRightToLeftMessagesIsolateLatinPieces(t *testing.T) {
	b := mustLoad(t)
	for _, lang := range b.Langs() {
		if Dir(lang) != "rtl" {
			continue
		}
		texts := b.texts(lang)
		for _, id := range b.IDs(lang) {
			text := texts[id]
			for _, p := range IsolateProblems(text) {
				t.Errorf("%s: %s: %s", lang, id, p)
			}
		}
	}
}
