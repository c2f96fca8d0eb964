package ot

import (
	"math/rand/v2"
	"strings"
	"unicode/utf8"
)

// corpora are the pieces random documents and inserts are built from, one
// list per kind of text the tests must cover.
var corpora = []struct {
	name   string
	pieces []string
}{
	{"ascii", []string{"a", "b", "c", "hello", " ", "\n", "x", "42", "\t"}},
	{"danish", []string{"æ", "ø", "å", "Æ", "Ø", "Å", "blåbærgrød", " ", "rødgrød med fløde", "Ærø"}},
	{"emoji", []string{"😀", "🎉", "a", " ", "👍🏽", "😀😀", "x😀y"}},
	{"zwj", []string{"👨‍👩‍👧", "\u200d", "👩‍💻", " ", "a", "🏳️‍🌈"}},
	{"flags", []string{"🇩🇰", "🇸🇪", "🇳🇴", " ", "🇩🇰🇸🇪", "b"}},
	{"combining", []string{"e\u0301", "a\u030a", "\u0301", "o\u0308\u0304", " ", "n\u0303"}},
	{"arabic", []string{"مرحبا", " ", "بالعالم", "م", "ر", "\u064e", "١٢٣"}},
	{"mixed", []string{"æ", "😀", "👨‍👩‍👧", "🇩🇰", "e\u0301", "مرحبا", "a", " ", "中文", "ß", "\U0001D11E"}},
}

// allPieces is every piece of every corpus, for the fuzz tests.
var allPieces = func() []string {
	var all []string
	for _, c := range corpora {
		all = append(all, c.pieces...)
	}
	return all
}()

// randomText joins up to max random pieces (at least one).
func randomText(r *rand.Rand, pieces []string, max int) string {
	var b strings.Builder
	for n := 1 + r.IntN(max); n > 0; n-- {
		b.WriteString(pieces[r.IntN(len(pieces))])
	}
	return b.String()
}

// randomOp returns a random valid op on doc: it walks doc by code points so
// no boundary splits a surrogate pair, retaining or deleting runs of one to
// four code points and now and then inserting random text.
func randomOp(r *rand.Rand, doc string, pieces []string) Op {
	var op Op
	rest := doc
	for {
		if r.IntN(4) == 0 {
			op.Insert(randomText(r, pieces, 3))
		}
		if rest == "" {
			return op
		}
		units, i := 0, 0
		for k := 1 + r.IntN(4); k > 0 && i < len(rest); k-- {
			_, size := utf8.DecodeRuneInString(rest[i:])
			units += utf16Len(rest[i : i+size])
			i += size
		}
		if r.IntN(3) == 0 {
			op.Delete(units)
		} else {
			op.Retain(units)
		}
		rest = rest[i:]
	}
}

// fuzzRand returns a deterministic generator for a fuzz input.
func fuzzRand(seed uint64) *rand.Rand {
	return rand.New(rand.NewPCG(seed, 0x6b6c6173736561)) // "klassea"
}
