package ot

import (
	"strings"
	"testing"
	"unicode/utf16"
)

// benchDoc is a clause of 2,000 UTF-16 code units of Danish text (æ, ø and å are one unit
// each but two bytes in UTF-8, so positions and byte offsets differ, as in real clauses).
var benchDoc = func() string {
	const s = "Vi aftaler, at børnene først får en smartphone i 6. klasse, og at skærmen er væk ved måltiderne. "
	doc := strings.Repeat(s, 2000/len([]rune(s))+1)
	return string([]rune(doc)[:2000])
}()

// insertAt is a single-character insert at pos into a document of n code units.
func insertAt(n, pos int, s string) Op {
	var op Op
	op.Retain(pos).Insert(s).Retain(n - pos)
	return op
}

var (
	sinkOp  Op
	sinkStr string
)

// A keystroke in the middle of the clause: the server applies every committed operation.
func BenchmarkApply(b *testing.B) {
	op := insertAt(2000, 1000, "x")
	b.ReportAllocs()
	for b.Loop() {
		s, err := Apply(benchDoc, op)
		if err != nil {
			b.Fatal(err)
		}
		sinkStr = s
	}
}

// The same keystroke, and its undoing, applied in place to the clause as UTF-16 code units, as
// a client that applies every operation of its room does.
func BenchmarkApplyUTF16(b *testing.B) {
	ins := insertAt(2000, 1000, "x")
	var del Op
	del.Retain(1000).Delete(1).Retain(1000)
	doc := append(make([]uint16, 0, 2001), utf16.Encode([]rune(benchDoc))...)
	b.ReportAllocs()
	for b.Loop() {
		var err error
		if doc, err = ApplyUTF16(doc, ins); err != nil {
			b.Fatal(err)
		}
		if doc, err = ApplyUTF16(doc, del); err != nil {
			b.Fatal(err)
		}
	}
}

// Two keystrokes made at once, at different places: the server rebases an incoming operation
// past each one committed since its base revision.
func BenchmarkTransform(b *testing.B) {
	a, c := insertAt(2000, 1500, "x"), insertAt(2000, 500, "y")
	b.ReportAllocs()
	for b.Loop() {
		ap, _, err := Transform(a, c)
		if err != nil {
			b.Fatal(err)
		}
		sinkOp = ap
	}
}

// The server's side of the same: only the incoming operation is transformed.
func BenchmarkRebase(b *testing.B) {
	a, c := insertAt(2000, 1500, "x"), insertAt(2000, 500, "y")
	b.ReportAllocs()
	for b.Loop() {
		ap, err := Rebase(a, c)
		if err != nil {
			b.Fatal(err)
		}
		sinkOp = ap
	}
}

// Two keystrokes in a row: a client gathers the keystrokes typed while one operation is in
// flight into its buffer.
func BenchmarkCompose(b *testing.B) {
	a, c := insertAt(2000, 1000, "x"), insertAt(2001, 1001, "y")
	b.ReportAllocs()
	for b.Loop() {
		op, err := Compose(a, c)
		if err != nil {
			b.Fatal(err)
		}
		sinkOp = op
	}
}
