package server

import (
	"strings"
	"testing"

	"klasseaftale/agreements"
)

// The poster's type shrinks step by step as its text grows, never past the smallest size, and an
// Arabic text of the same length sets larger than a Danish one.
func TestPosterFitGrowsWithTheText(t *testing.T) {
	view := func(lang string, chars int) *agreements.PublishedView {
		return &agreements.PublishedView{Agreement: &agreements.Agreement{Lang: lang,
			Clauses: []agreements.Clause{{Title: "Vi venter", Body: strings.Repeat("a", chars)}}}}
	}
	last := 0
	for _, n := range []int{0, 1000, 2100, 2500, 3100, 3900, 4900, 20000} {
		fit := posterFit(view("da", n))
		if fit < last || fit < 1 || fit > len(posterFits)+1 {
			t.Errorf("%d characters set in type %d, after type %d", n, fit, last)
		}
		last = fit
	}
	if first := posterFit(view("da", 0)); first != 1 {
		t.Errorf("a short text sets in type %d, want the largest (1)", first)
	}
	if last != len(posterFits)+1 {
		t.Errorf("the longest text sets in type %d, want the smallest (%d)", last, len(posterFits)+1)
	}
	if da, ar := posterFit(view("da", 3500)), posterFit(view("ar", 3500)); ar >= da {
		t.Errorf("3,500 characters in Arabic set in type %d, in Danish %d: want larger in Arabic", ar, da)
	}
}
