package ot

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/vectors.json from the Go implementation")

// vectorsPath is shared with frontend/jstest/ot.test.mjs, which checks the
// JavaScript implementation against the same cases.
var vectorsPath = filepath.Join("testdata", "vectors.json")

// vectorCase is one shared test case. a and b are concurrent ops on doc; c is
// an op on apply_a, so compose is a∘c; the diff turns doc into apply_a.
type vectorCase struct {
	Name         string   `json:"name"`
	Doc          string   `json:"doc"`
	A            Op       `json:"a"`
	B            Op       `json:"b"`
	C            Op       `json:"c"`
	BaseLen      int      `json:"base_len"`   // of a
	TargetLen    int      `json:"target_len"` // of a
	Noop         bool     `json:"noop"`       // of a
	ApplyA       string   `json:"apply_a"`
	ApplyB       string   `json:"apply_b"`
	Compose      Op       `json:"compose"`
	ApplyCompose string   `json:"apply_compose"`
	Transform    [2]Op    `json:"transform"` // [aPrime, bPrime]
	Converged    string   `json:"converged"` // apply(apply_a, bPrime)
	Diff         diffCase `json:"diff"`
}

type diffCase struct {
	Old string `json:"old"`
	New string `json:"new"`
	Op  Op     `json:"op"`
}

// invalidCase is an op (raw JSON, so it can hold what Op cannot) that must be
// rejected for doc with the given error code.
type invalidCase struct {
	Name  string          `json:"name"`
	Doc   string          `json:"doc"`
	Op    json.RawMessage `json:"op"`
	Error string          `json:"error"`
}

// invalidPair is a pair of ops that compose or transform must reject.
type invalidPair struct {
	Name  string `json:"name"`
	A     Op     `json:"a"`
	B     Op     `json:"b"`
	Error string `json:"error"`
}

// errCodes names the sentinel errors in the vectors; the JS throws OTError
// with the same code.
var errCodes = []struct {
	err  error
	code string
}{
	{ErrMalformed, "malformed"},
	{ErrBaseLength, "base_length"},
	{ErrSplitSurrogate, "split_surrogate"},
	{ErrLoneSurrogate, "lone_surrogate"},
	{ErrInvalidUTF8, "invalid_utf8"},
	{ErrTooLong, "too_long"},
}

func errCode(err error) string {
	if err == nil {
		return ""
	}
	for _, e := range errCodes {
		if errors.Is(err, e.err) {
			return e.code
		}
	}
	return "unknown: " + err.Error()
}

// handCases are the edge cases worth pinning by name: name, doc, a, b, c.
// Some ops are deliberately not normalised (delete before insert), since
// peers may send such ops and every function must accept them.
var handCases = []struct {
	name    string
	doc     string
	a, b, c Op
}{
	{"empty", "", ops(), ops(), ops()},
	{"tie on empty doc", "", ops("a"), ops("b"), ops(1, "c")},
	{"tie after emoji", "😀", ops(2, "æ"), ops(2, "ø"), ops(-2, 1)},
	{"tie before emoji", "😀", ops("🇩🇰", 2), ops("🇸🇪", 2), ops(4, -2)},
	{"same delete", "abc", ops(1, -1, 1), ops(1, -1, 1), ops(2, "!")},
	{"overlapping deletes", "abcd", ops(-3, 1), ops(1, -3), ops("x", 1)},
	{"insert inside deleted range", "abc", ops(1, "X", 2), ops(-3), ops(2, -2)},
	{"delete emoji", "a😀b", ops(1, -2, 1), ops(3, "c", 1), ops(-1, 1)},
	{"retain across zwj", "👨‍👩‍👧", ops(3, -2, "👨", 3), ops(8, "!"), ops(8)},
	{"zwj member swap", "👨‍👩‍👧", ops(6, "👦", -2), ops(-3, 5), ops(2, -1, 5)},
	{"flag change", "🇩🇰🇸🇪", ops(2, "🇪", -2, 4), ops(4, -4), ops(8, " 🇳🇴")},
	{"combining mark", "e\u0301", ops(1, -1, "\u0300"), ops(2, "\u0301"), ops(1, "\u0302", 1)},
	{"combining base", "e\u0301", ops(-1, 1), ops("a", 2), ops("o", 1)},
	{"danish", "blåbærgrød", ops(2, -1, "aa", 7), ops(6, -4, "tærte"), ops(11, " med fløde")},
	{"arabic", "مرحبا بالعالم", ops(5, -8), ops(6, "كل ", 7), ops("أهلا ", 5)},
	{"compose splits insert", "", ops("a😀b🇩🇰"), ops("x"), ops(1, -2, 1, 2, "|", 2)},
	{"astral symbol", "x\U0001D11Ey", ops(1, -2, 1), ops(3, "\U0001D160", 1), ops(2)},
}

// diffPairs are diff cases where the naive UTF-16 prefix or suffix would
// split a surrogate pair.
var diffPairs = [][2]string{
	{"", ""},
	{"", "æøå"},
	{"æøå", ""},
	{"😀", "😁"},
	{"a😀b", "a😁b"},
	{"😀x", "😁x"},
	{"👨‍👩‍👧", "👨‍👩‍👦"},
	{"👨‍👩‍👧", "👨‍👩"},
	{"🇩🇰", "🇩🇪"},
	{"🇩🇰🇸🇪", "🇩🇪🇸🇪"},
	{"e\u0301", "e\u0300"},
	{"e\u0301", "e"},
	{"x\U0001D11E", "x\U0001D160"},
	{"\U0001D11E\U0001D11E", "\U0001D11E"},
	{"blåbær", "blåbærgrød"},
	{"rødgrød med fløde", "rødgrød uden fløde"},
	{"مرحبا بالعالم", "مرحبا"},
	{"مرحبا", "مرحبًا"},
	{"aaa", "aa"},
}

var invalidCases = []invalidCase{
	{"too short", "abc", raw(`[2]`), "base_length"},
	{"too long", "abc", raw(`[4]`), "base_length"},
	{"retain on empty doc", "", raw(`[1]`), "base_length"},
	{"empty op on text", "a", raw(`[]`), "base_length"},
	{"emoji counts two", "😀", raw(`[2,"x",1]`), "base_length"},
	{"retain into emoji", "😀", raw(`[1,1]`), "split_surrogate"},
	{"insert inside emoji", "😀", raw(`[1,"x",1]`), "split_surrogate"},
	{"delete half emoji", "a😀", raw(`[1,-1,1]`), "split_surrogate"},
	{"delete into flag", "🇩🇰", raw(`[-3,1]`), "split_surrogate"},
	{"split member of zwj", "👨‍👩‍👧", raw(`[4,-4]`), "split_surrogate"},
	{"split astral symbol", "x\U0001D11E", raw(`[2,-1]`), "split_surrogate"},
	{"lone high surrogate", "", raw(`["\ud83d"]`), "lone_surrogate"},
	{"lone low surrogate", "a", raw(`[1,"\ude00"]`), "lone_surrogate"},
	{"reversed pair", "", raw(`["\ude00\ud83d"]`), "lone_surrogate"},
	{"high then letter", "", raw(`["\ud83dA"]`), "lone_surrogate"},
	{"zero", "a", raw(`[0,1]`), "malformed"},
	{"fraction", "a", raw(`[1.5]`), "malformed"},
	{"empty insert", "a", raw(`["",1]`), "malformed"},
	{"null item", "a", raw(`[null]`), "malformed"},
	{"nested array", "a", raw(`[[1]]`), "malformed"},
	{"object", "a", raw(`{"retain":1}`), "malformed"},
	{"string", "a", raw(`"a"`), "malformed"},
	{"null", "", raw(`null`), "malformed"},
}

var invalidCompose = []invalidPair{
	{"length mismatch", ops(2, "x"), ops(2), "base_length"},
	{"split inserted emoji", ops("😀"), ops(1, -1), "split_surrogate"},
	{"delete half inserted emoji", ops("a😀"), ops(-2, 1), "split_surrogate"},
}

var invalidTransform = []invalidPair{
	{"length mismatch", ops(1), ops(2), "base_length"},
	{"length mismatch with emoji", ops("😀", 1), ops(2), "base_length"},
}

func raw(s string) json.RawMessage { return json.RawMessage(s) }

// makeCase fills in every result for doc, a, b, c from the Go code.
func makeCase(name, doc string, a, b, c Op) (vectorCase, error) {
	v := vectorCase{Name: name, Doc: doc, A: a, B: b, C: c,
		BaseLen: a.BaseLen(), TargetLen: a.TargetLen(), Noop: a.IsNoop()}
	var errs [6]error
	v.ApplyA, errs[0] = Apply(doc, a)
	v.ApplyB, errs[1] = Apply(doc, b)
	v.Compose, errs[2] = Compose(a, c)
	v.ApplyCompose, errs[3] = Apply(doc, v.Compose)
	v.Transform[0], v.Transform[1], errs[4] = Transform(a, b)
	v.Converged, errs[5] = Apply(v.ApplyA, v.Transform[1])
	if err := errors.Join(errs[:]...); err != nil {
		return v, fmt.Errorf("case %s: %w", name, err)
	}
	v.Diff = diffCase{Old: doc, New: v.ApplyA, Op: Diff(doc, v.ApplyA)}
	return v, nil
}

// buildVectors produces the shared vectors file, deterministically.
func buildVectors() ([]byte, error) {
	var cases []vectorCase
	for _, h := range handCases {
		v, err := makeCase(h.name, h.doc, h.a, h.b, h.c)
		if err != nil {
			return nil, err
		}
		cases = append(cases, v)
	}
	r := rand.New(rand.NewPCG(20240601, 1))
	for _, corpus := range corpora {
		for i := range 34 {
			doc := ""
			if i > 0 {
				doc = randomText(r, corpus.pieces, 8)
			}
			a := randomOp(r, doc, corpus.pieces)
			if i%11 == 5 { // make sure some noops are covered
				a = Op{}
				a.Retain(utf16Len(doc))
			}
			b := randomOp(r, doc, corpus.pieces)
			mid, err := Apply(doc, a)
			if err != nil {
				return nil, err
			}
			c := randomOp(r, mid, corpus.pieces)
			v, err := makeCase(fmt.Sprintf("%s-%d", corpus.name, i), doc, a, b, c)
			if err != nil {
				return nil, err
			}
			cases = append(cases, v)
		}
	}
	var diffs []diffCase
	for _, p := range diffPairs {
		diffs = append(diffs, diffCase{Old: p[0], New: p[1], Op: Diff(p[0], p[1])})
	}
	// The expected errors are written by hand; make sure Go agrees.
	for _, ic := range invalidCases {
		var op Op
		err := json.Unmarshal(ic.Op, &op)
		if err == nil {
			err = Validate(ic.Doc, op)
		}
		if got := errCode(err); got != ic.Error {
			return nil, fmt.Errorf("invalid case %q: Go gives %q, vector says %q", ic.Name, got, ic.Error)
		}
	}
	for _, p := range invalidCompose {
		if _, err := Compose(p.A, p.B); errCode(err) != p.Error {
			return nil, fmt.Errorf("invalid compose %q: Go gives %v, vector says %q", p.Name, err, p.Error)
		}
	}
	for _, p := range invalidTransform {
		if _, _, err := Transform(p.A, p.B); errCode(err) != p.Error {
			return nil, fmt.Errorf("invalid transform %q: Go gives %v, vector says %q", p.Name, err, p.Error)
		}
	}

	// One item a line keeps the file small and its diffs readable.
	var buf bytes.Buffer
	buf.WriteString("{\n\"comment\": \"Generated by: go test ./agreements/ot/ -run TestVectors -update. Do not edit. Lengths count UTF-16 code units.\",\n")
	sections := []struct {
		key   string
		items any
	}{
		{"cases", cases},
		{"diffs", diffs},
		{"invalid", invalidCases},
		{"invalid_compose", invalidCompose},
		{"invalid_transform", invalidTransform},
	}
	for si, s := range sections {
		fmt.Fprintf(&buf, "%q: [\n", s.key)
		var items []json.RawMessage
		b, err := json.Marshal(s.items)
		if err != nil {
			return nil, err
		}
		if err := json.Unmarshal(b, &items); err != nil {
			return nil, err
		}
		for i, it := range items {
			line, err := marshalLine(it)
			if err != nil {
				return nil, err
			}
			buf.Write(line)
			if i < len(items)-1 {
				buf.WriteByte(',')
			}
			buf.WriteByte('\n')
		}
		buf.WriteString("]")
		if si < len(sections)-1 {
			buf.WriteByte(',')
		}
		buf.WriteByte('\n')
	}
	buf.WriteString("}\n")
	return buf.Bytes(), nil
}

// marshalLine re-encodes v compactly without HTML escaping, so the text in
// the file stays readable.
func marshalLine(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// TestVectors keeps testdata/vectors.json equal to what the Go code produces
// now, so the JavaScript tests never check against stale answers.
func TestVectors(t *testing.T) {
	want, err := buildVectors()
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile(vectorsPath, want, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s (%d bytes)", vectorsPath, len(want))
		return
	}
	got, err := os.ReadFile(vectorsPath)
	if err != nil {
		t.Fatalf("%v; run: go test ./agreements/ot/ -run TestVectors -update", err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("%s is stale; run: go test ./agreements/ot/ -run TestVectors -update", vectorsPath)
	}
	if !json.Valid(got) {
		t.Fatalf("%s is not valid JSON", vectorsPath)
	}
}
