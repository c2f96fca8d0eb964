package ot

import (
	"encoding/json"
	"errors"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode/utf16"
	"unicode/utf8"
)

// seedDocs are the fuzz seeds: every kind of text the tests must cover.
var seedDocs = []string{
	"",
	"a",
	"hello world",
	"😀",
	"a😀b😀😀",
	"👨‍👩‍👧",
	"🇩🇰🇸🇪",
	"e\u0301 a\u030a",
	"æøå ÆØÅ",
	"rødgrød med fløde",
	"مرحبا بالعالم",
	"mixed: æ😀👨‍👩‍👧🇩🇰e\u0301مرحبا\U0001D11E",
}

func addSeeds(f *testing.F) {
	for i, d := range seedDocs {
		f.Add(uint64(i), d)
		f.Add(uint64(1000+i*7919), d)
	}
}

// units returns the UTF-16 length of s the slow, obviously right way.
func units(s string) int { return len(utf16.Encode([]rune(s))) }

// FuzzCompose checks apply(compose(a, c)) == apply(c, apply(a)).
func FuzzCompose(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, seed uint64, doc string) {
		doc = strings.ToValidUTF8(doc, "")
		r := fuzzRand(seed)
		a := randomOp(r, doc, allPieces)
		mid := mustApply(t, doc, a)
		c := randomOp(r, mid, allPieces)
		want := mustApply(t, mid, c)
		ac, err := Compose(a, c)
		if err != nil {
			t.Fatalf("Compose(%v, %v): %v", a, c, err)
		}
		if got := mustApply(t, doc, ac); got != want {
			t.Fatalf("doc %q a %v c %v: composed %v gives %q, want %q", doc, a, c, ac, got, want)
		}
		if !slices.Equal(ac, ac.Normalize()) {
			t.Fatalf("Compose result %v not normalised", ac)
		}
	})
}

// FuzzTP1 checks the transformation property: a·b' == b·a'.
func FuzzTP1(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, seed uint64, doc string) {
		doc = strings.ToValidUTF8(doc, "")
		r := fuzzRand(seed)
		a := randomOp(r, doc, allPieces)
		b := randomOp(r, doc, allPieces)
		aP, bP, err := Transform(a, b)
		if err != nil {
			t.Fatalf("Transform(%v, %v): %v", a, b, err)
		}
		if r, err := Rebase(a, b); err != nil || !slices.Equal(r, aP) {
			t.Fatalf("Rebase(%v, %v) = %v, %v; Transform gives %v", a, b, r, err, aP)
		}
		left := mustApply(t, mustApply(t, doc, a), bP)
		right := mustApply(t, mustApply(t, doc, b), aP)
		if left != right {
			t.Fatalf("doc %q a %v b %v: a·b' = %q, b·a' = %q", doc, a, b, left, right)
		}
		// Composing either way round gives the same op.
		ab, err1 := Compose(a, bP)
		ba, err2 := Compose(b, aP)
		if err1 != nil || err2 != nil || !slices.Equal(ab, ba) {
			t.Fatalf("a∘b' = %v (%v), b∘a' = %v (%v)", ab, err1, ba, err2)
		}
	})
}

// FuzzLengths checks BaseLen/TargetLen against Apply, IsNoop, and the JSON
// round trip.
func FuzzLengths(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, seed uint64, doc string) {
		doc = strings.ToValidUTF8(doc, "")
		op := randomOp(fuzzRand(seed), doc, allPieces)
		out := mustApply(t, doc, op)
		if op.BaseLen() != units(doc) || op.TargetLen() != units(out) {
			t.Fatalf("op %v: lengths %d→%d, doc %d→%d", op, op.BaseLen(), op.TargetLen(), units(doc), units(out))
		}
		if op.IsNoop() && out != doc {
			t.Fatalf("noop %v changed %q to %q", op, doc, out)
		}
		if err := op.Check(doc, units(out)); err != nil {
			t.Fatalf("Check at exact limit: %v", err)
		}
		b, err := json.Marshal(op)
		if err != nil {
			t.Fatal(err)
		}
		var back Op
		if err := json.Unmarshal(b, &back); err != nil || !slices.Equal(back, op) {
			t.Fatalf("round trip %v → %s → %v, %v", op, b, back, err)
		}
	})
}

// FuzzDiff checks that Diff(x, y) turns x into y without splitting a
// surrogate pair (Apply rejects ops that do).
func FuzzDiff(f *testing.F) {
	for _, x := range seedDocs {
		for _, y := range seedDocs[:6] {
			f.Add(x, y)
		}
	}
	f.Add("😀", "😁")
	f.Add("👨‍👩‍👧", "👨‍👩‍👦")
	f.Add("🇩🇰", "🇩🇪")
	f.Add("e\u0301", "e\u0300")
	f.Fuzz(func(t *testing.T, x, y string) {
		x, y = strings.ToValidUTF8(x, ""), strings.ToValidUTF8(y, "")
		op := Diff(x, y)
		if got, err := Apply(x, op); err != nil || got != y {
			t.Fatalf("Diff(%q, %q) = %v applies to %q, %v", x, y, op, got, err)
		}
		if !slices.Equal(op, op.Normalize()) {
			t.Fatalf("Diff result %v not normalised", op)
		}
		if (x == y) != op.IsNoop() {
			t.Fatalf("Diff(%q, %q) = %v: IsNoop %v", x, y, op, op.IsNoop())
		}
	})
}

// FuzzUnmarshalJSON checks that whatever UnmarshalJSON accepts is well
// formed and survives a round trip.
func FuzzUnmarshalJSON(f *testing.F) {
	for _, s := range []string{`[]`, `[1,"a",-2]`, `["\ud83d\ude00"]`, `["\ud83d"]`, `[0]`, `{}`, `[1.5]`, `["æ😀",3]`, `null`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var op Op
		if err := json.Unmarshal(data, &op); err != nil {
			return
		}
		if err := op.CheckComponents(); err != nil {
			t.Fatalf("accepted %q as malformed %v: %v", data, op, err)
		}
		for _, c := range op {
			if strings.ContainsRune(c.S, utf8.RuneError) && !strings.Contains(string(data), "\uFFFD") && !strings.Contains(strings.ToLower(string(data)), `\ufffd`) {
				t.Fatalf("%q decoded with a replacement character: %v", data, op)
			}
		}
		b, err := json.Marshal(op)
		if err != nil {
			t.Fatal(err)
		}
		var back Op
		if err := json.Unmarshal(b, &back); err != nil || !slices.Equal(back, op) {
			t.Fatalf("round trip %v → %s → %v, %v", op, b, back, err)
		}
	})
}

// FuzzApplyUTF16 checks that applying to UTF-16 code units gives what Apply gives, and that
// it rejects what Apply rejects.
func FuzzApplyUTF16(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, seed uint64, doc string) {
		doc = strings.ToValidUTF8(doc, "")
		r := fuzzRand(seed)
		op := randomOp(r, doc, allPieces)
		want := mustApply(t, doc, op)
		units := utf16.Encode([]rune(doc))
		for _, room := range []int{0, 64} { // in place, and grown
			in := append(make([]uint16, 0, len(units)+room), units...)
			got, err := ApplyUTF16(in, op)
			if err != nil || string(utf16.Decode(got)) != want {
				t.Fatalf("doc %q op %v: got %q, %v; want %q", doc, op, string(utf16.Decode(got)), err, want)
			}
		}
		// A retain one longer or one shorter, or a boundary moved into a pair, is refused
		// by both.
		if len(op) > 0 && op[0].N > 0 {
			bad := append(Op{{N: op[0].N + 1}}, op[1:]...)
			_, errS := Apply(doc, bad)
			in := slices.Clone(units)
			_, errU := ApplyUTF16(in, bad)
			if (errS == nil) != (errU == nil) || (errS != nil && !sameKind(errS, errU)) {
				t.Fatalf("doc %q op %v: Apply says %v, ApplyUTF16 says %v", doc, bad, errS, errU)
			}
			if errU != nil && !slices.Equal(in, units) {
				t.Fatalf("doc %q op %v: refused, but changed the text", doc, bad)
			}
		}
	})
}

func sameKind(a, b error) bool {
	for _, e := range []error{ErrBaseLength, ErrSplitSurrogate} {
		if errors.Is(a, e) != errors.Is(b, e) {
			return false
		}
	}
	return true
}

// FuzzChain checks that rebasing past a chained run of operations is rebasing past each in
// turn, and that the chain applies as the run does.
func FuzzChain(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, seed uint64, doc string) {
		doc = strings.ToValidUTF8(doc, "")
		checkChain(t, fuzzRand(seed), doc, allPieces)
	})
}

// checkChain rebases a random operation past a random run of operations, past each in turn
// and past the run chained, and reports whether the chain could stand in for the run.
func checkChain(t *testing.T, r *rand.Rand, doc string, pieces []string) bool {
	t.Helper()
	a := randomOp(r, doc, pieces)
	var run []Op
	text, want := doc, a
	for k := 1 + r.IntN(12); k > 0; k-- {
		b := randomOp(r, text, pieces)
		run = append(run, b)
		text = mustApply(t, text, b)
		var err error
		if want, err = Rebase(want, b); err != nil {
			t.Fatalf("Rebase: %v", err)
		}
	}
	c, err := Chain(run...)
	if err != nil {
		t.Fatalf("Chain(%v): %v", run, err)
	}
	if got := mustApply(t, doc, c); got != text {
		t.Fatalf("doc %q run %v: the chain %v gives %q, the run %q", doc, run, c, got, text)
	}
	got, ok, err := RebaseChained(a, c)
	if err != nil {
		t.Fatalf("RebaseChained(%v, %v): %v", a, c, err)
	}
	if !ok && Chainable(a) {
		t.Fatalf("a %v is chainable, but the chain %v was refused", a, c)
	}
	if ok && !slices.Equal(got, want) {
		t.Fatalf("doc %q a %v run %v: past the chain %v, past each %v", doc, a, run, got, want)
	}
	return ok
}
