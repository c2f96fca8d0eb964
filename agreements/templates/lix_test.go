package templates

import (
	"math"
	"strings"
	"testing"

	"klasseaftale/agreements"
)

func TestLIX(t *testing.T) {
	tests := []struct {
		text string
		want float64
	}{
		{"", 0},
		{"– …", 0},
		// 6 words, 2 sentences, 1 long word ("spørger", 7 letters): 3 + 100/6.
		{"Vi spørger først. Det er godt.", 3 + 100.0/6},
		// Abbreviations and numbers do not end a sentence: 6 words, 1 sentence, no long word.
		{"Ring kl. 19 eller ca. 20.", 6},
		// A heading on its own line is a sentence; "elev-til-elev" has 11 letters, "aftale" only 6.
		{"Vores aftale\nEn elev-til-elev aftale.", 5.0/2 + 100*1.0/5},
		// A stop before a capital ends a sentence; a colon before a small letter does not.
		{"Gem det: spørg en voksen! Hvem? Mor.", 7.0 / 3},
	}
	for _, tt := range tests {
		if got := LIX(tt.text); math.Abs(got-tt.want) > 1e-9 {
			t.Errorf("LIX(%q) = %.3f, want %.3f", tt.text, got, tt.want)
		}
	}
}

// pupilReading is what a pupil reads of a template in an agreement: its clauses' bodies, one a
// line. Headings are left out: they are not sentences, and their few words would flatter the
// index.
func pupilReading(tp agreements.Template) string {
	var b strings.Builder
	for _, c := range tp.Clauses {
		b.WriteString(c.Body + "\n")
	}
	return b.String()
}

// TestPupilTemplatesLIX prints the readability of every Danish pupil template and of the pupils'
// help block (go test -v -run LIX). Children of 10 read texts up to about LIX 25 with ease.
func TestPupilTemplatesLIX(t *testing.T) {
	l := load(t)
	for _, tp := range l.Templates(agreements.KindPupils, SourceLang) {
		t.Logf("LIX %5.1f  %s", LIX(pupilReading(tp)), tp.Key)
	}
	var help strings.Builder
	for _, it := range l.Help(agreements.KindPupils, SourceLang).Items {
		help.WriteString(it.Text + "\n")
	}
	t.Logf("LIX %5.1f  help.pupils", LIX(help.String()))
}
