package liveclient

import (
	"bytes"
	"encoding/binary"
	"strings"
	"testing"
)

// serverFrame is a frame as a server sends it: not masked.
func serverFrame(fin bool, op byte, payload []byte) []byte {
	b := []byte{op}
	if fin {
		b[0] |= 0x80
	}
	switch n := len(payload); {
	case n < 126:
		b = append(b, byte(n))
	case n <= 0xFFFF:
		b = append(b, 126)
		b = binary.BigEndian.AppendUint16(b, uint16(n))
	default:
		b = append(b, 127)
		b = binary.BigEndian.AppendUint64(b, uint64(n))
	}
	return append(b, payload...)
}

type got struct {
	op      byte
	payload string
}

// readAll gives stream to frames in pieces of size n (the whole at once when n is 0), keeping
// what is not taken between pieces as the poller does, and returns the frames taken.
func readAll(t *testing.T, stream []byte, n int) []got {
	t.Helper()
	var f frames
	var out []got
	if n == 0 {
		n = len(stream)
	}
	for len(stream) > 0 {
		k := min(n, len(stream))
		piece := bytes.Clone(stream[:k]) // a read's buffer, reused after keep
		stream = stream[k:]
		f.add(piece)
		for {
			op, payload, ok, err := f.next()
			if err != nil {
				t.Fatal(err)
			}
			if !ok {
				break
			}
			out = append(out, got{op, string(payload)})
		}
		f.keep()
		clear(piece) // what frames still needs must have been copied
	}
	if len(f.buf) != 0 || f.msg != nil {
		t.Fatalf("%d bytes and a message in parts (%v) left over", len(f.buf), f.msg != nil)
	}
	return out
}

// The server's frames are read whole however the stream is cut into reads: every length
// encoding, a message in parts with a ping between its parts, and a close.
func TestFramesAreReadWholeHoweverTheReadsCutThem(t *testing.T) {
	long := strings.Repeat("æ", 40000) // 80,000 bytes: a 64-bit length
	mid := strings.Repeat("x", 300)    // a 16-bit length
	var stream []byte
	stream = append(stream, serverFrame(true, opText, []byte(`{"type":"op"}`))...)
	stream = append(stream, serverFrame(true, opText, []byte(mid))...)
	stream = append(stream, serverFrame(false, opText, []byte("first "))...)
	stream = append(stream, serverFrame(true, opPing, []byte("p"))...)
	stream = append(stream, serverFrame(false, opContinuation, []byte("second "))...)
	stream = append(stream, serverFrame(true, opContinuation, []byte("third"))...)
	stream = append(stream, serverFrame(true, opBinary, []byte(long))...)
	stream = append(stream, serverFrame(true, opClose, []byte{0x03, 0xE8, 'b', 'y', 'e'})...)
	want := []got{{opText, `{"type":"op"}`}, {opText, mid}, {opPing, "p"}, {opText, "first second third"},
		{opBinary, long}, {opClose, "\x03\xe8bye"}}
	for _, n := range []int{0, 1, 2, 3, 7, 100, 4096} {
		out := readAll(t, stream, n)
		if len(out) != len(want) {
			t.Fatalf("reads of %d bytes: %d frames, want %d", n, len(out), len(want))
		}
		for i := range want {
			if out[i] != want[i] {
				t.Errorf("reads of %d bytes: frame %d is %d %.20q, want %d %.20q", n, i, out[i].op, out[i].payload, want[i].op, want[i].payload)
			}
		}
	}
}

// What a server may not send ends the connection: a mask, reserved bits (no extension was
// asked for), a part with no message begun, a message begun inside another, and a length past
// the limit.
func TestFramesRefuseWhatAServerMayNotSend(t *testing.T) {
	masked := serverFrame(true, opText, []byte("hi"))
	masked[1] |= 0x80
	huge := []byte{0x82, 127}
	huge = binary.BigEndian.AppendUint64(huge, maxWireMessage+1)
	for name, stream := range map[string][]byte{
		"masked":        masked,
		"reserved bits": append([]byte{0xC1, 2}, "hi"...),
		"lone part":     serverFrame(true, opContinuation, []byte("hi")),
		"two begun":     append(serverFrame(false, opText, []byte("a")), serverFrame(true, opText, []byte("b"))...),
		"too large":     huge,
	} {
		var f frames
		f.add(stream)
		var err error
		for {
			var ok bool
			if _, _, ok, err = f.next(); err != nil || !ok {
				break
			}
		}
		if err == nil {
			t.Errorf("%s: read without an error", name)
		}
	}
}

// The client's frames are masked, and unmasked they are what was sent.
func TestClientFramesAreMasked(t *testing.T) {
	for _, n := range []int{0, 5, 125, 126, 300, 70000} {
		payload := bytes.Repeat([]byte{'a'}, n)
		b := clientFrame(opText, payload)
		if b[0] != 0x81 || b[1]&0x80 == 0 {
			t.Fatalf("%d bytes: header % x, want a final text frame with a mask", n, b[:2])
		}
		h := 2
		switch b[1] & 0x7F {
		case 126:
			h += 2
		case 127:
			h += 8
		}
		mask, body := b[h:h+4], b[h+4:]
		if len(body) != n {
			t.Fatalf("%d bytes: body of %d", n, len(body))
		}
		for i := range body {
			body[i] ^= mask[i&3]
		}
		if !bytes.Equal(body, payload) {
			t.Errorf("%d bytes: unmasked body differs", n)
		}
	}
}
