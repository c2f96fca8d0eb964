package templates

import (
	"strings"
	"unicode"
)

// LIX returns the readability index of a text: the average number of words per sentence plus
// the percentage of long words, those of more than six letters. Danish readers' rule of thumb:
// under 25 is a children's book, 25–34 easy, 35–44 middling, 45–54 hard, 55 and over very hard.
//
// A word is a run of non-space characters holding a letter or a digit; only letters count
// towards its length, so "elev-til-elev" has eleven and "116" none. A sentence ends at ".", "!",
// "?" or ":" when the text or its line ends there or the next word begins with a capital
// letter, so "kl. 19", "ca. 16 år" and "fx" do not end one; each line is one sentence at least,
// so a heading on a line of its own counts as a sentence. An empty text scores 0.
func LIX(text string) float64 {
	var words, long, sentences int
	for _, line := range strings.Split(text, "\n") {
		w, l, s := lixLine(strings.Fields(line))
		words, long, sentences = words+w, long+l, sentences+s
	}
	if words == 0 {
		return 0
	}
	return float64(words)/float64(sentences) + 100*float64(long)/float64(words)
}

// lixLine counts the words, the long words and the sentences of one line's tokens.
func lixLine(tokens []string) (words, long, sentences int) {
	open := false // whether a sentence has begun that no stop has ended yet
	for i, tok := range tokens {
		letters, word := 0, false
		for _, r := range tok {
			if unicode.IsLetter(r) {
				letters++
			}
			word = word || unicode.IsLetter(r) || unicode.IsDigit(r)
		}
		if !word {
			continue
		}
		words++
		open = true
		if letters > 6 {
			long++
		}
		if endsSentence(tok) && (i == len(tokens)-1 || startsCapital(tokens[i+1])) {
			sentences++
			open = false
		}
	}
	if open {
		sentences++
	}
	return words, long, sentences
}

// endsSentence reports whether a token ends with a stop, behind any closing quotes or brackets.
func endsSentence(tok string) bool {
	tok = strings.TrimRight(tok, "\"'»«”“’)]")
	return strings.HasSuffix(tok, ".") || strings.HasSuffix(tok, "!") ||
		strings.HasSuffix(tok, "?") || strings.HasSuffix(tok, ":")
}

// startsCapital reports whether the first letter or digit of a token is a capital letter.
func startsCapital(tok string) bool {
	for _, r := range tok {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return unicode.IsUpper(r)
		}
	}
	return false
}
