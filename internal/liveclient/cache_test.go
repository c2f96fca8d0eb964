package liveclient

import (
	"fmt"
	"testing"

	"klasseaftale/agreements/ot"
)

func TestOpCache(t *testing.T) {
	c := NewOpCache()
	line := []byte(`{"type":"op","clause":"k","rev":3,"client":"a","seq":2,"member":"m","op":[1,"😀",-2]}`)
	a, err := c.decode(line)
	if err != nil {
		t.Fatal(err)
	}
	if a.Clause != "k" || a.Rev != 3 || a.Client != "a" || a.Seq != 2 || len(a.Op) != 3 || a.Op[1].S != "😀" {
		t.Fatalf("decoded %+v", a)
	}
	b, _ := c.decode(append([]byte(nil), line...))
	if a != b {
		t.Fatal("the same line was decoded twice")
	}
	if _, err := c.decode([]byte(`{"type":"op","op":[0]}`)); err == nil {
		t.Fatal("an invalid operation was accepted")
	}
	// Far more lines than it keeps: every one still decodes to itself.
	for i := range 3 * maxCached {
		m, err := c.decode(fmt.Appendf(nil, `{"type":"op","clause":"k","rev":%d,"op":[%d]}`, i, i+1))
		if err != nil || m.Rev != i || m.Op[0].N != i+1 {
			t.Fatalf("line %d: %+v, %v", i, m, err)
		}
	}
	n := 0
	for i := range c.shards {
		n += c.shards[i].len()
	}
	if n > maxCached {
		t.Fatalf("the cache holds %d lines, more than %d", n, maxCached)
	}
	var none *OpCache
	if m, err := none.decode(line); err != nil || m.Rev != 3 {
		t.Fatalf("without a cache: %+v, %v", m, err)
	}
}

func TestDocText(t *testing.T) {
	for _, s := range []string{"", "æøå", "a😀b", "👨‍👩‍👧 مرحبا e\u0301", "\uFFFD"} {
		var d Doc
		d.setText(s)
		if got := d.Text(); got != s {
			t.Errorf("%q came back as %q", s, got)
		}
	}
}

// Others' operations wait and are applied together; the text is always what applying each in
// turn gives.
func TestDocAppliesLater(t *testing.T) {
	var d Doc
	want := "Vi aftaler 😀"
	d.setText(want)
	for i := range 3*maxLater + 5 {
		ins := fmt.Sprintf("«%d»", i)
		var op ot.Op
		n := ot.Len(want)
		op.Retain(n / 2).Insert(ins).Retain(n - n/2)
		if i%2 == 1 && n > 40 {
			op = nil
			op.Retain(2).Delete(3).Retain(n - 5)
		}
		var err error
		if want, err = ot.Apply(want, op); err != nil {
			t.Fatal(err)
		}
		if err := d.applyLater(op); err != nil {
			t.Fatal(err)
		}
		if i%17 == 0 && d.Text() != want {
			t.Fatalf("after %d: %q, want %q", i, d.Text(), want)
		}
	}
	if d.Text() != want {
		t.Fatalf("%q, want %q", d.Text(), want)
	}
	// A local change applies after the waiting ones.
	var op ot.Op
	op.Insert("!").Retain(ot.Len(want))
	d.applyLater(op)
	var op2 ot.Op
	op2.Insert("?").Retain(ot.Len(want) + 1)
	if err := d.apply(op2); err != nil || d.Text() != "?!"+want {
		t.Fatalf("%q, %v", d.Text(), err)
	}
}

func TestFrameCache(t *testing.T) {
	c := NewOpCache()
	data := []byte(`{"type":"op","clause":"k","rev":3,"client":"a","seq":2,"member":"m","op":[1,"x",-2]}` + "\n" +
		`{"type":"presence","client":"b"}` + "\n" + `{"type":"op","op":[0]}`)
	f := c.frame(data)
	if len(f) != 3 || f[0].op == nil || f[0].op.Rev != 3 ||
		f[1].op != nil || string(f[1].raw) != `{"type":"presence","client":"b"}` ||
		f[2].op != nil || f[2].raw == nil {
		t.Fatalf("frame: %+v", f)
	}
	again := append([]byte(nil), data...)
	if g := c.frame(again); &g[0] != &f[0] {
		t.Fatal("the same frame was split twice")
	}
	data[0] = 'X' // the reader's buffer is reused: the cached frame must not change with it
	if f[0].op.Rev != 3 || string(f[1].raw) != `{"type":"presence","client":"b"}` {
		t.Fatal("the cached frame shares the reader's buffer")
	}
	for i := range 2 * maxFrames {
		g := c.frame(fmt.Appendf(nil, `{"type":"op","clause":"k","rev":%d,"op":[1]}`, i))
		if g[0].op.Rev != i {
			t.Fatalf("frame %d: %+v", i, g[0].op)
		}
	}
	if n := c.frames.len(); n > maxFrames {
		t.Fatalf("the cache holds %d frames, more than %d", n, maxFrames)
	}
	var none *OpCache
	if none.frame(data) != nil {
		t.Fatal("no cache should split nothing")
	}
}
