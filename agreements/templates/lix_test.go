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

// pupilReading is what a pupil of a band of grades reads of a template in an agreement: the
// bodies of the clauses meant for any grade of the band, one a line, and the questions of their
// parameters. Headings and option labels are left out: they are not sentences, and their few
// words would flatter the index.
func pupilReading(tp agreements.Template, from, to int) string {
	var b strings.Builder
	for _, c := range tp.Clauses {
		if c.Grades[0] > to || c.Grades[1] < from {
			continue
		}
		b.WriteString(c.Body + "\n")
		if c.Parameter != nil {
			b.WriteString(c.Parameter.Label + "\n")
		}
	}
	return b.String()
}

// readingBands are the pupils' grade bands and the highest LIX their templates may have: in
// 0.–3. klasse a text must read like an easy children's book (up to 25), in 4.–6. klasse like
// easy text (up to 35).
var readingBands = []struct {
	name     string
	from, to int
	max      float64
}{
	{"0.–3. klasse", 0, 3, 25},
	{"4.–6. klasse", 4, 6, 35},
}

// TestPupilTemplatesLIX holds every Danish pupil template to the readability of its readers'
// grades, and prints the index of each and of the pupils' help block (go test -v -run LIX).
func TestPupilTemplatesLIX(t *testing.T) {
	l := load(t)
	for _, tp := range l.Templates(agreements.KindPupils, SourceLang) {
		for _, band := range readingBands {
			text := pupilReading(tp, band.from, band.to)
			if text == "" {
				continue
			}
			lix := LIX(text)
			t.Logf("LIX %5.1f  %-24s %s (at most %.0f)", lix, tp.Key, band.name, band.max)
			if lix > band.max {
				t.Errorf("%s reads at LIX %.1f in %s: above %.0f. Shorter sentences and shorter words.", tp.Key, lix, band.name, band.max)
			}
		}
	}
	var help strings.Builder
	for _, it := range l.Help(agreements.KindPupils, SourceLang).Items {
		help.WriteString(it.Text + "\n")
	}
	t.Logf("LIX %5.1f  help.pupils", LIX(help.String()))
}
