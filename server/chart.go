package server

import (
	"fmt"
	"html/template"
	"strings"
)

// bar is one bar of a chart: its label, its value and the text written at its end.
type bar struct {
	Label string
	Value int
	Text  string
}

// barChart draws horizontal bars as inline SVG on the server: no chart library, no request,
// crisp in print. Every bar carries its number in text, so colour and length are never the only
// signs; the table beside it holds the same figures. A chart without bars is the sentence empty,
// not an empty frame.
func barChart(title string, bars []bar, max int, empty string) template.HTML {
	if len(bars) == 0 {
		return template.HTML(`<p class="chart-empty" data-testid="chart-empty">` + template.HTMLEscapeString(empty) + `</p>`)
	}
	const rowH, labelW, barW, pad = 28, 120, 260, 6
	if max <= 0 {
		max = 1
	}
	h := len(bars)*rowH + pad
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" role="img" aria-label="%s">`,
		labelW+barW+70, h, template.HTMLEscapeString(title))
	fmt.Fprintf(&b, `<title>%s</title>`, template.HTMLEscapeString(title))
	for i, x := range bars {
		y := pad + i*rowH
		w := x.Value * barW / max
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="end" class="chart-label">%s</text>`, labelW-8, y+16, template.HTMLEscapeString(x.Label))
		fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d" class="chart-track"/>`, labelW, y+2, barW, rowH-10)
		fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d" class="chart-bar"/>`, labelW, y+2, w, rowH-10)
		fmt.Fprintf(&b, `<text x="%d" y="%d" class="chart-value">%s</text>`, labelW+barW+6, y+16, template.HTMLEscapeString(x.Text))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}
