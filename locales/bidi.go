package locales

import (
	"regexp"
	"strings"
	"unicode"
)

// The Unicode isolates that keep a piece of left-to-right text whole inside right-to-left text.
const (
	FSI = "\u2068" // first strong isolate: opens a piece whose direction its own letters decide
	PDI = "\u2069" // pop directional isolate: closes it
)

// isolatedPlaceholders carry text typed by people (a class's, a school's, a pupil council's, a
// clause's, a person's or a child's name) or an option's label that may be in another language, so in a right-to-left
// message they stand in isolates: a class named "4.B" would otherwise show as "B.4".
var isolatedPlaceholders = []string{"Class", "School", "Title", "Label", "Council", "Name", "Child"}

// mixedPiece matches a run of Latin letters and digits joined by spaces or stops, such as
// "4.B", "WCAG 2.1" or "116 111".
var mixedPiece = regexp.MustCompile(`[\p{Latin}\p{Nd}]+(?:[ .:/-]+[\p{Latin}\p{Nd}]+)*`)

var placeholder = regexp.MustCompile(`{{[^}]*}}`)

// IsolateProblems lists what would read wrongly in a right-to-left text: an isolate left open
// or closed without opening, a piece that mixes Latin letters with digits or groups digits with
// spaces outside an isolate (the bidirectional algorithm would show "4.B" as "B.4" and
// "116 111" as "111 116"), and a placeholder that carries a name outside one.
func IsolateProblems(text string) []string {
	var out []string
	depth := 0
	var outside strings.Builder // the text outside isolates, placeholders kept
	for _, r := range text {
		switch string(r) {
		case FSI, "\u2066", "\u2067":
			depth++
			outside.WriteString(" ")
		case PDI:
			if depth--; depth < 0 {
				return append(out, "an isolate is closed that was never opened")
			}
			outside.WriteString(" ")
		default:
			if depth == 0 {
				outside.WriteRune(r)
			}
		}
	}
	if depth > 0 {
		out = append(out, "an isolate is left open")
	}
	for _, name := range isolatedPlaceholders {
		if strings.Contains(outside.String(), "{{."+name+"}}") {
			out = append(out, "{{."+name+"}} is not in an isolate")
		}
	}
	for _, piece := range mixedPiece.FindAllString(placeholder.ReplaceAllString(outside.String(), " "), -1) {
		if mixed(piece) {
			out = append(out, "«"+piece+"» is not in an isolate")
		}
	}
	return out
}

// mixed reports whether a piece holds Latin letters and digits together, or digits in more than
// one group.
func mixed(piece string) bool {
	letters := strings.IndexFunc(piece, func(r rune) bool { return unicode.Is(unicode.Latin, r) }) >= 0
	digits := strings.IndexFunc(piece, unicode.IsDigit) >= 0
	groups := len(strings.FieldsFunc(piece, func(r rune) bool { return !unicode.IsDigit(r) }))
	return digits && (letters || groups > 1 && strings.Contains(piece, " "))
}
