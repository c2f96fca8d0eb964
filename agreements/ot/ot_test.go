package ot

import (
	"encoding/json"
	"errors"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode/utf16"
)

// ops builds an Op from the ot.js notation: int for retain/delete, string
// for insert. It does not normalise, so tests can build any shape.
func ops(items ...any) Op {
	op := Op{}
	for _, it := range items {
		switch v := it.(type) {
		case int:
			op = append(op, Component{N: v})
		case string:
			op = append(op, Component{S: v})
		default:
			panic("bad test op item")
		}
	}
	return op
}

func TestBuilder(t *testing.T) {
	tests := []struct {
		name  string
		build func(*Op)
		want  Op
	}{
		{"empty", func(o *Op) {}, ops()},
		{"zeros vanish", func(o *Op) { o.Retain(0).Delete(0).Insert("") }, ops()},
		{"retains merge", func(o *Op) { o.Retain(2).Retain(3) }, ops(5)},
		{"deletes merge", func(o *Op) { o.Delete(2).Delete(1) }, ops(-3)},
		{"inserts merge", func(o *Op) { o.Insert("æ").Insert("😀") }, ops("æ😀")},
		{"insert before delete", func(o *Op) { o.Retain(1).Delete(2).Insert("x") }, ops(1, "x", -2)},
		{"insert joins insert before delete", func(o *Op) { o.Insert("a").Delete(1).Insert("b") }, ops("ab", -1)},
		{"delete then insert then retain", func(o *Op) { o.Delete(2).Insert("🇩🇰").Retain(4) }, ops("🇩🇰", -2, 4)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var op Op
			tt.build(&op)
			if !slices.Equal(op, tt.want) {
				t.Errorf("got %v, want %v", op, tt.want)
			}
			if got := tt.want.Normalize(); !slices.Equal(got, tt.want) {
				t.Errorf("Normalize(%v) = %v", tt.want, got)
			}
		})
	}
	if got := ops(1, 2, -1, "a", -2, "b", "c").Normalize(); !slices.Equal(got, ops(3, "abc", -3)) {
		t.Errorf("Normalize = %v", got)
	}
	for name, f := range map[string]func(){
		"retain": func() { new(Op).Retain(-1) },
		"delete": func() { new(Op).Delete(-1) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("negative %s did not panic", name)
				}
			}()
			f()
		}()
	}
}

func TestLengths(t *testing.T) {
	tests := []struct {
		op           Op
		base, target int
		noop         bool
	}{
		{ops(), 0, 0, true},
		{ops(3), 3, 3, true},
		{ops(1, 2), 3, 3, true},
		{ops("😀"), 0, 2, false},
		{ops("👨‍👩‍👧"), 0, 8, false},
		{ops("🇩🇰"), 0, 4, false},
		{ops("e\u0301"), 0, 2, false},
		{ops("æøå ÆØÅ"), 0, 7, false},
		{ops("مرحبا بالعالم"), 0, 13, false},
		{ops(2, "😀", -4, 1), 7, 5, false},
	}
	for _, tt := range tests {
		if got := tt.op.BaseLen(); got != tt.base {
			t.Errorf("%v.BaseLen() = %d, want %d", tt.op, got, tt.base)
		}
		if got := tt.op.TargetLen(); got != tt.target {
			t.Errorf("%v.TargetLen() = %d, want %d", tt.op, got, tt.target)
		}
		if got := tt.op.IsNoop(); got != tt.noop {
			t.Errorf("%v.IsNoop() = %v, want %v", tt.op, got, tt.noop)
		}
	}
}

func TestApply(t *testing.T) {
	tests := []struct {
		doc  string
		op   Op
		want string
	}{
		{"", ops(), ""},
		{"", ops("hej"), "hej"},
		{"abc", ops(3), "abc"},
		{"abc", ops(-3), ""},
		{"abc", ops(1, "X", -1, 1), "aXc"},
		{"😀", ops(2, "!"), "😀!"},
		{"😀x", ops(-2, 1), "x"},
		{"a😀b", ops(1, "😁", -2, 1), "a😁b"},
		{"👨‍👩‍👧", ops(3, -2, "👨", 3), "👨‍👨‍👧"}, // swap a person inside the ZWJ sequence
		{"🇩🇰", ops(2, -2, "🇪"), "🇩🇪"},
		{"🇩🇰🇸🇪", ops(4, -4), "🇩🇰"},
		{"e\u0301", ops(1, -1, "\u0300"), "e\u0300"},
		{"e\u0301", ops(-1, 1), "\u0301"}, // a combining mark alone is still valid text
		{"blåbær", ops(2, -1, "aa", 3), "blaabær"},
		{"ÆØÅ", ops(3, " æøå"), "ÆØÅ æøå"},
		{"مرحبا بالعالم", ops(5, -8), "مرحبا"},
		{"مرحبا", ops("أهلا ", 5), "أهلا مرحبا"},
		{"x\U0001D11Ey", ops(1, -2, 1), "xy"},
	}
	for _, tt := range tests {
		got, err := Apply(tt.doc, tt.op)
		if err != nil || got != tt.want {
			t.Errorf("Apply(%q, %v) = %q, %v; want %q", tt.doc, tt.op, got, err, tt.want)
		}
		if err := Validate(tt.doc, tt.op); err != nil {
			t.Errorf("Validate(%q, %v) = %v", tt.doc, tt.op, err)
		}
	}
}

func TestApplyErrors(t *testing.T) {
	tests := []struct {
		name string
		doc  string
		op   Op
		want error
	}{
		{"too short", "abc", ops(2), ErrBaseLength},
		{"too long", "abc", ops(4), ErrBaseLength},
		{"empty doc", "", ops(1), ErrBaseLength},
		{"empty op on text", "a", ops(), ErrBaseLength},
		{"emoji counts two", "😀", ops(2, 1), ErrBaseLength},
		{"retain into emoji", "😀", ops(1, 1), ErrSplitSurrogate},
		{"insert inside emoji", "😀", ops(1, "x", 1), ErrSplitSurrogate},
		{"delete half emoji", "a😀", ops(1, -1, 1), ErrSplitSurrogate},
		{"delete into flag", "🇩🇰", ops(-3, 1), ErrSplitSurrogate},
		{"split person in zwj", "👨‍👩‍👧", ops(4, -4), ErrSplitSurrogate},
		{"zero component", "a", ops(0, 1), ErrMalformed},
		{"both set", "a", Op{{N: 1, S: "a"}}, ErrMalformed},
		{"min int", "a", ops(minInt), ErrMalformed},
		{"insert not utf8", "", ops("\xff"), ErrInvalidUTF8},
		{"insert utf8 surrogate", "", ops("\xed\xa0\x80"), ErrInvalidUTF8},
		{"doc not utf8", "a\xffb", ops(3), ErrInvalidUTF8},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Apply(tt.doc, tt.op); !errors.Is(err, tt.want) {
				t.Errorf("Apply error = %v, want %v", err, tt.want)
			}
			if err := Validate(tt.doc, tt.op); !errors.Is(err, tt.want) {
				t.Errorf("Validate error = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestCheck(t *testing.T) {
	op := ops(2, "æø")
	if err := op.Check("😀", 4); err != nil {
		t.Errorf("Check at limit = %v", err)
	}
	if err := op.Check("😀", 3); !errors.Is(err, ErrTooLong) {
		t.Errorf("Check over limit = %v, want ErrTooLong", err)
	}
	if err := op.Check("ab😀", 10); !errors.Is(err, ErrBaseLength) {
		t.Errorf("Check wrong doc = %v, want ErrBaseLength", err)
	}
	if err := ops(0).Check("", 10); !errors.Is(err, ErrMalformed) {
		t.Errorf("Check malformed = %v, want ErrMalformed", err)
	}
}

func TestCompose(t *testing.T) {
	tests := []struct {
		doc  string
		a, b Op
		want Op
	}{
		{"", ops(), ops(), ops()},
		{"", ops("abc"), ops(1, -1, 1), ops("ac")},
		{"abc", ops(1, "X", 2), ops(2, "Y", 2), ops(1, "XY", 2)},
		{"abc", ops(-3), ops("xyz"), ops("xyz", -3)},
		{"😀", ops(2, "😁"), ops(-2, 2), ops("😁", -2)},
		{"", ops("a😀b"), ops(1, -2, 1), ops("ab")},
		{"", ops("a😀b"), ops(3, "!", 1), ops("a😀!b")},
		{"æøå", ops(-1, 2), ops(1, "ÆØ", 1), ops(-1, 1, "ÆØ", 1)},
		{"🇩🇰", ops(2, -2, "🇪"), ops("🇩", 4), ops("🇩", 2, "🇪", -2)},
		{"مرحبا", ops(5, " بالعالم"), ops(-6, 7), ops("بالعالم", -5)},
		{"e\u0301", ops(1, -1), ops(1, "\u0302"), ops(1, "\u0302", -1)},
	}
	for _, tt := range tests {
		got, err := Compose(tt.a, tt.b)
		if err != nil || !slices.Equal(got, tt.want) {
			t.Errorf("Compose(%v, %v) = %v, %v; want %v", tt.a, tt.b, got, err, tt.want)
			continue
		}
		mid, err1 := Apply(tt.doc, tt.a)
		seq, err2 := Apply(mid, tt.b)
		one, err3 := Apply(tt.doc, got)
		if err1 != nil || err2 != nil || err3 != nil || seq != one {
			t.Errorf("doc %q: a then b = %q, composed = %q (%v %v %v)", tt.doc, seq, one, err1, err2, err3)
		}
	}
}

func TestComposeErrors(t *testing.T) {
	tests := []struct {
		name string
		a, b Op
		want error
	}{
		{"length mismatch", ops(2, "x"), ops(2), ErrBaseLength},
		{"split inserted emoji", ops("😀"), ops(1, -1), ErrSplitSurrogate},
		{"delete half inserted emoji", ops("a😀"), ops(-2, 1), ErrSplitSurrogate},
		{"malformed a", ops(0), ops(), ErrMalformed},
		{"malformed b", ops(), ops(""), ErrMalformed},
	}
	for _, tt := range tests {
		if _, err := Compose(tt.a, tt.b); !errors.Is(err, tt.want) {
			t.Errorf("%s: Compose error = %v, want %v", tt.name, err, tt.want)
		}
	}
}

func TestTransform(t *testing.T) {
	tests := []struct {
		name       string
		doc        string
		a, b       Op
		aP, bP     Op
		convergent string
	}{
		{"both empty", "", ops(), ops(), ops(), ops(), ""},
		{"tie: a first", "", ops("a"), ops("b"), ops("a", 1), ops(1, "b"), "ab"},
		{"tie reversed", "", ops("b"), ops("a"), ops("b", 1), ops(1, "a"), "ba"},
		{"tie after emoji", "😀", ops(2, "æ"), ops(2, "ø"), ops(2, "æ", 1), ops(3, "ø"), "😀æø"},
		{"same delete", "abc", ops(1, -1, 1), ops(1, -1, 1), ops(2), ops(2), "ac"},
		{"overlapping deletes", "abcd", ops(-3, 1), ops(1, -3), ops(-1), ops(-1), ""},
		{"insert inside deleted range", "abc", ops(1, "X", 2), ops(-3), ops("X"), ops(-1, 1, -2), "X"},
		{"flag edits", "🇩🇰🇸🇪", ops(4, -4), ops("🇳🇴", 8), ops(8, -4), ops("🇳🇴", 4), "🇳🇴🇩🇰"},
		{"zwj family", "👨‍👩‍👧", ops(8, "‍👦"), ops(-2, 6), ops(6, "‍👦"), ops(-2, 9), "‍👩‍👧‍👦"},
		{"combining", "e\u0301", ops(1, -1), ops(2, "\u0301"), ops(1, -1, 1), ops(1, "\u0301"), "e\u0301"},
		{"arabic", "مرحبا بالعالم", ops(5, -8), ops(6, "كل ", 7), ops(5, -1, 3, -7), ops(5, "كل "), "مرحباكل "},
		{"danish", "rødgrød", ops(3, -4), ops(7, " med fløde"), ops(3, -4, 10), ops(3, " med fløde"), "rød med fløde"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			aP, bP, err := Transform(tt.a, tt.b)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(aP, tt.aP) || !slices.Equal(bP, tt.bP) {
				t.Errorf("Transform(%v, %v) = %v, %v; want %v, %v", tt.a, tt.b, aP, bP, tt.aP, tt.bP)
			}
			left := mustApply(t, mustApply(t, tt.doc, tt.a), bP)
			right := mustApply(t, mustApply(t, tt.doc, tt.b), aP)
			if left != right || left != tt.convergent {
				t.Errorf("a·b' = %q, b·a' = %q, want %q", left, right, tt.convergent)
			}
		})
	}
	if _, _, err := Transform(ops(1), ops(2)); !errors.Is(err, ErrBaseLength) {
		t.Errorf("Transform length mismatch = %v", err)
	}
	if _, _, err := Transform(ops(0), ops()); !errors.Is(err, ErrMalformed) {
		t.Errorf("Transform malformed = %v", err)
	}
}

func mustApply(t *testing.T, doc string, op Op) string {
	t.Helper()
	s, err := Apply(doc, op)
	if err != nil {
		t.Fatalf("Apply(%q, %v): %v", doc, op, err)
	}
	return s
}

func TestDiff(t *testing.T) {
	tests := []struct {
		from, to string
		want     Op
	}{
		{"", "", ops()},
		{"abc", "abc", ops(3)},
		{"", "æøå", ops("æøå")},
		{"æøå", "", ops(-3)},
		{"abc", "aXc", ops(1, "X", -1, 1)},
		{"😀", "😁", ops("😁", -2)}, // same high surrogate: must not split
		{"a😀b", "a😁b", ops(1, "😁", -2, 1)},
		{"👨‍👩‍👧", "👨‍👩‍👦", ops(6, "👦", -2)},
		{"🇩🇰", "🇩🇪", ops(2, "🇪", -2)},
		{"e\u0301", "e\u0300", ops(1, "\u0300", -1)},
		{"e\u0301", "e", ops(1, -1)},
		{"blåbær", "blåbærgrød", ops(6, "grød")},
		{"مرحبا بالعالم", "مرحبا", ops(5, -8)},
		{"aaa", "aa", ops(2, -1)}, // prefix first, suffix takes what is left
		{"x\U0001D11E", "x\U0001D160", ops(1, "\U0001D160", -2)},
	}
	for _, tt := range tests {
		got := Diff(tt.from, tt.to)
		if !slices.Equal(got, tt.want) {
			t.Errorf("Diff(%q, %q) = %v, want %v", tt.from, tt.to, got, tt.want)
		}
		if s := mustApply(t, tt.from, got); s != tt.to {
			t.Errorf("Diff(%q, %q) applies to %q", tt.from, tt.to, s)
		}
	}
}

func TestJSON(t *testing.T) {
	tests := []struct {
		json string
		op   Op
	}{
		{`[]`, ops()},
		{`[5]`, ops(5)},
		{`[-3]`, ops(-3)},
		{`[1,"😀",-2,3]`, ops(1, "😀", -2, 3)},
		{`["æøå ÆØÅ"]`, ops("æøå ÆØÅ")},
		{`["مرحبا"]`, ops("مرحبا")},
		{"[\"👨‍👩‍👧🇩🇰e\u0301\"]", ops("👨‍👩‍👧🇩🇰e\u0301")},
	}
	for _, tt := range tests {
		var got Op
		if err := json.Unmarshal([]byte(tt.json), &got); err != nil || !slices.Equal(got, tt.op) {
			t.Errorf("Unmarshal(%s) = %v, %v; want %v", tt.json, got, err, tt.op)
		}
		b, err := json.Marshal(tt.op)
		if err != nil || string(b) != tt.json {
			t.Errorf("Marshal(%v) = %s, %v; want %s", tt.op, b, err, tt.json)
		}
	}
	// Escaped forms decode to the same text, including a proper pair.
	var got Op
	if err := json.Unmarshal([]byte(` [ 1 , "\ud83d\ude00\u00e6" ] `), &got); err != nil || !slices.Equal(got, ops(1, "😀æ")) {
		t.Errorf("escaped pair = %v, %v", got, err)
	}
	if b, _ := json.Marshal(Op(nil)); string(b) != "[]" {
		t.Errorf("nil Op marshals as %s", b)
	}
	if _, err := json.Marshal(ops(0)); !errors.Is(err, ErrMalformed) {
		t.Errorf("Marshal malformed = %v", err)
	}
}

func TestUnmarshalErrors(t *testing.T) {
	tests := []struct {
		json string
		want error
	}{
		{`["\ud83d"]`, ErrLoneSurrogate},
		{`["\ude00"]`, ErrLoneSurrogate},
		{`["a\ud83db"]`, ErrLoneSurrogate},
		{`["\ud83d\u0041"]`, ErrLoneSurrogate},
		{`["\ude00\ud83d"]`, ErrLoneSurrogate},
		{`["\\ud83d", "\ud83d"]`, ErrLoneSurrogate},
		{`[0]`, ErrMalformed},
		{`[-0]`, ErrMalformed},
		{`[1.5]`, ErrMalformed},
		{`[1e2]`, ErrMalformed},
		{`[""]`, ErrMalformed},
		{`[null]`, ErrMalformed},
		{`[true]`, ErrMalformed},
		{`[[1]]`, ErrMalformed},
		{`[{}]`, ErrMalformed},
		{`[99999999999999999999]`, ErrMalformed},
		{`{}`, ErrMalformed},
		{`"abc"`, ErrMalformed},
		{`null`, ErrMalformed},
		{`5`, ErrMalformed},
		{"[\"\xff\"]", ErrInvalidUTF8},
	}
	for _, tt := range tests {
		var op Op
		if err := op.UnmarshalJSON([]byte(tt.json)); !errors.Is(err, tt.want) {
			t.Errorf("UnmarshalJSON(%s) = %v, want %v", tt.json, err, tt.want)
		}
		// Through encoding/json as a struct field the same errors come back.
		var v struct{ Op Op }
		if err := json.Unmarshal([]byte(`{"Op":`+tt.json+`}`), &v); err == nil {
			t.Errorf("json.Unmarshal field %s succeeded", tt.json)
		}
	}
	// An escaped backslash before "u" is not an escape.
	var op Op
	if err := json.Unmarshal([]byte(`["\\ud83d"]`), &op); err != nil || !slices.Equal(op, ops(`\ud83d`)) {
		t.Errorf(`["\\ud83d"] = %v, %v`, op, err)
	}
}

// Rebasing past a chain of operations is rebasing past each in turn, for many seeded runs of
// every kind of text, whenever the chain says it can stand in; the plain Compose is not.
func TestChainRebasesAsEachInTurn(t *testing.T) {
	for _, c := range corpora {
		t.Run(c.name, func(t *testing.T) {
			r := rand.New(rand.NewPCG(17, uint64(len(c.name))))
			const runs = 4000
			chained := 0
			for range runs {
				if checkChain(t, r, randomText(r, c.pieces, 12), c.pieces) {
					chained++
				}
			}
			if chained < runs/4 {
				t.Errorf("the chain stood in for the run only %d times in %d", chained, runs)
			}
		})
	}
	// Text typed where deleted text was, then an insert inside that text: past each in turn
	// the insert goes first (the incoming operation wins ties); Compose would put it after.
	var del, ins, a Op
	del.Retain(1).Delete(2).Retain(1)
	ins.Retain(1).Insert("X").Retain(1)
	a.Retain(2).Insert("Y").Retain(2)
	seq, _ := Rebase(a, del)
	seq, _ = Rebase(seq, ins)
	chained, _ := Chain(del, ins)
	viaChain, ok, _ := RebaseChained(a, chained)
	if !ok {
		t.Fatal("an insert alone: the chain must stand in")
	}
	composed, _ := Compose(del, ins)
	viaCompose, _ := Rebase(a, composed)
	if got, want := mustApply(t, mustApply(t, mustApply(t, "abcd", del), ins), seq), "aYXd"; got != want {
		t.Fatalf("past each in turn: %q, want %q", got, want)
	}
	if !slices.Equal(viaChain, seq) {
		t.Errorf("past the chain %v, past each %v", viaChain, seq)
	}
	if slices.Equal(viaCompose, seq) {
		t.Errorf("past the composed op %v is past each %v: the case no longer tells them apart", viaCompose, seq)
	}
}

// Len counts UTF-16 code units as decoding does, for text of every width at every offset of
// the eight bytes it reads at a time.
func TestLenCountsUnits(t *testing.T) {
	pieces := []string{"a", "ø", "⟦", "😀", "Ärø ", "zx", "\u07ff", "\U0010ffff"}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		var s strings.Builder
		for range rng.IntN(40) {
			s.WriteString(pieces[rng.IntN(len(pieces))])
		}
		want := len(utf16.Encode([]rune(s.String())))
		if got := Len(s.String()); got != want {
			t.Fatalf("Len(%q) = %d, want %d", s.String(), got, want)
		}
	}
}
