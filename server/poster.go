package server

import (
	"unicode/utf8"

	"klasseaftale/agreements"
)

// posterFit says how tightly the poster sets its type so that it prints on one A4 page: from 1,
// a short agreement in large type, to 6, twelve long clauses in small type (see app.css). What
// fits at each size was measured by printing the longest templates in Danish and in Arabic.
func posterFit(v *agreements.PublishedView) int {
	n := posterChars(v)
	if v.Agreement.Lang == "ar" {
		n = n * 4 / 5 // Arabic sets about a fifth more letters on a line
	}
	for i, most := range posterFits {
		if n <= most {
			return i + 1
		}
	}
	return len(posterFits) + 1
}

// posterFits holds the most characters each size of type prints on one page, largest type first.
var posterFits = []int{2050, 2450, 3000, 3850, 4800}

// posterChars counts the characters the poster prints.
func posterChars(v *agreements.PublishedView) int {
	const line = 60
	n := 0
	for _, c := range v.Agreement.Clauses {
		n += line + runes(c.Title) + runes(c.Body)
		if p := c.Parameter; p != nil {
			n += runes(p.Label) + runes(p.LabelOf(p.Value))
		}
	}
	for _, it := range v.Help.Items {
		n += runes(it.Title) + runes(it.Text)
	}
	for _, a := range v.Adults {
		n += line + runes(a.Name) + runes(a.Role) + runes(a.Where)
	}
	return n + runes(v.SchoolHelp.Contact) + runes(v.SchoolHelp.Lines)
}

func runes(s string) int { return utf8.RuneCountInString(s) }
