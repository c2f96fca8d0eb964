package agreements

import (
	"strings"
	"unicode"
)

// oneLine is a name or title as typed, made safe to show anywhere: control characters and the
// bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) are dropped —
// an override in a name would turn the text around it backwards on every page that shows it —
// and runs of spaces become one.
func oneLine(s string) string {
	s = strings.Map(func(r rune) rune {
		if isBidiControl(r) || (unicode.IsControl(r) && !unicode.IsSpace(r)) {
			return -1
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

func isBidiControl(r rune) bool {
	return (r >= 0x202A && r <= 0x202E) || (r >= 0x2066 && r <= 0x2069)
}
