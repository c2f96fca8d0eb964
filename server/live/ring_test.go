package live

import (
	"fmt"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// needRing skips a test of the ring where the system has none (not Linux, a kernel before
// 5.6, or io_uring not allowed, as in a container's default seccomp profile).
func needRing(t testing.TB) {
	t.Helper()
	if !RingWrites() {
		t.Skip("no io_uring here: the room writes one socket at a time")
	}
}

// A room writes its broadcasts through the ring: each socket takes what it has room for, and
// what a full socket did not take (part of a frame, or none of it) waits for the connection's
// flusher with the frames after it. Every tab then gets every frame whole and in order, a
// tab that a caret skips gets the frame without it (a frame in parts, sent as one), and a tab
// that has ended leaves the room.
func TestARoomWritesThroughTheRing(t *testing.T) {
	needRing(t)
	r, conns, clients := roomOf(t, DefaultConfig(), 5)
	pad := strings.Repeat("ø", 3000)
	const n = 40 // 40 frames of 6 KB: more than the 32 KiB buffers at both ends hold
	sent := ringSent.Load()
	for i := range n {
		r.broadcast(opMsg{Type: "op", Clause: "c", Rev: i + 1, Client: pad}, nil)
		r.outPresence(presenceMsg{Type: "presence", Client: "tab2", Sel: []int{i, i}}, conns[2])
		r.sendOut()
	}
	if got := ringSent.Load() - sent; got < 5 {
		t.Fatalf("%d sends went through the ring, of %d broadcasts to 5 tabs", got, n)
	}
	for k, c := range conns {
		if !c.pending() && !c.isFlushing() {
			t.Fatalf("tab %d: 240 KB went into its socket without waiting: the test does not fill it", k)
		}
	}
	for k, ws := range clients {
		ws.SetReadDeadline(time.Now().Add(10 * time.Second))
		for i := range n {
			_, b, err := ws.ReadMessage()
			if err != nil {
				t.Fatalf("tab %d, frame %d: %v", k, i, err)
			}
			want := fmt.Sprintf(`{"type":"op","clause":"c","rev":%d,"client":"%s"`, i+1, pad)
			if !strings.HasPrefix(string(b), want) {
				t.Fatalf("tab %d, frame %d: %.60s", k, i, b)
			}
			if hasCaret := strings.Contains(string(b), `"presence"`); hasCaret == (k == 2) {
				t.Fatalf("tab %d, frame %d: caret %v: %.60s…%s", k, i, hasCaret, b, b[len(b)-60:])
			}
		}
	}
	for _, c := range conns {
		for c.pending() || c.isFlushing() {
			time.Sleep(time.Millisecond) // the flusher ends once it has written the last frame
		}
	}
	conns[4].closeWith(websocket.CloseGoingAway, "")
	sent = ringSent.Load()
	r.broadcast(opMsg{Type: "op", Clause: "c", Rev: n + 1}, nil)
	r.sendOut()
	if got := ringSent.Load() - sent; got != 4 {
		t.Errorf("after the flushers were done, %d sends went through the ring, want 4", got)
	}
	if r.conns[conns[4]] || len(r.conns) != 4 {
		t.Errorf("after a connection ended: %d in the room, the ended one %v", len(r.conns), r.conns[conns[4]])
	}
	for k, ws := range clients[:4] {
		if _, b, err := ws.ReadMessage(); err != nil || !strings.HasPrefix(string(b), fmt.Sprintf(`{"type":"op","clause":"c","rev":%d,`, n+1)) {
			t.Errorf("tab %d, the last frame: %.60s, %v", k, b, err)
		}
	}
}

// A connection with SendQueue frames waiting is dropped by a broadcast through the ring as by
// one written a socket at a time: a tab that cannot keep up must not slow the room.
func TestTheRingDropsATabTooSlow(t *testing.T) {
	needRing(t)
	cfg := DefaultConfig()
	cfg.SendQueue = 4
	r, conns, clients := roomOf(t, cfg, 3)
	slow := conns[0]          // its client never reads
	got := make(chan bool, 8) // a frame reached a tab that reads
	go readAll(clients[1], got)
	go readAll(clients[2], got)
	pad := strings.Repeat("x", 16<<10)
	for i := 0; i < 40 && r.conns[slow]; i++ {
		r.broadcast(opMsg{Type: "op", Clause: "c", Rev: i + 1, Client: pad}, nil)
		r.sendOut()
		for range 2 { // the tabs that read keep up: only the one that does not falls behind
			select {
			case <-got:
			case <-time.After(10 * time.Second):
				t.Fatalf("broadcast %d did not reach a tab that reads", i+1)
			}
		}
	}
	if r.conns[slow] {
		t.Fatal("a tab that read nothing of 640 KB is still in the room")
	}
	if len(r.conns) != 2 {
		t.Errorf("%d tabs left, want the 2 that read", len(r.conns))
	}
}

// The ring answers for each send what the socket took: all of a frame, part of it, or EAGAIN
// when the socket is full; a descriptor that is not open is an error of that send alone.
func TestTheRingSaysWhatEachSocketTook(t *testing.T) {
	needRing(t)
	rg := takeRing()
	defer putRing(rg)
	fds, err := syscall.Socketpair(syscall.AF_UNIX, syscall.SOCK_STREAM, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer syscall.Close(fds[0])
	defer syscall.Close(fds[1])
	syscall.SetsockoptInt(fds[0], syscall.SOL_SOCKET, syscall.SO_SNDBUF, 4096)
	other, err := syscall.Socketpair(syscall.AF_UNIX, syscall.SOCK_STREAM, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer syscall.Close(other[0])
	defer syscall.Close(other[1])

	big := make([]byte, 1<<20)
	b := []ringSend{
		{fd: fds[0], parts: [][]byte{big}},
		{fd: other[0], parts: [][]byte{[]byte("ab"), nil, []byte("cd")}},
		{fd: fds[0], parts: [][]byte{[]byte("more")}},
		{fd: -1, parts: [][]byte{[]byte("x")}},
	}
	rg.send(b)
	if b[0].n <= 0 || b[0].n >= len(big) || b[0].err != syscall.EAGAIN {
		t.Errorf("1 MB to a small socket: took %d, %v; want part of it and EAGAIN", b[0].n, b[0].err)
	}
	if b[1].n != 4 || b[1].err != nil {
		t.Errorf("a frame in parts: took %d, %v", b[1].n, b[1].err)
	}
	if b[2].n != 0 || b[2].err != syscall.EAGAIN {
		t.Errorf("to the full socket: took %d, %v; want nothing and EAGAIN", b[2].n, b[2].err)
	}
	if b[3].err != syscall.EBADF {
		t.Errorf("to no descriptor: %v, want EBADF", b[3].err)
	}
	got := make([]byte, 8)
	if n, err := syscall.Read(other[1], got); err != nil || string(got[:n]) != "abcd" {
		t.Errorf("the frame in parts arrived as %q, %v", got[:n], err)
	}
}

// BenchmarkWriteOut is one broadcast of an operation written to 60 or 200 tabs over loopback,
// through a ring and a socket at a time, until every tab's client has read it; cpu-ns/op is
// the process's CPU (the clients' reads included) per broadcast.
func BenchmarkWriteOut(b *testing.B) {
	for _, tabs := range []int{60, 200} {
		for _, ring := range []bool{false, true} {
			b.Run(fmt.Sprintf("tabs=%d/ring=%v", tabs, ring), func(b *testing.B) { benchWriteOut(b, tabs, ring) })
		}
	}
}

func benchWriteOut(b *testing.B, tabs int, ring bool) {
	if ring {
		needRing(b)
	}
	cfg := benchHub().cfg
	cfg.Ring = ring
	r, _, clients := roomOf(b, cfg, tabs)
	got := make(chan bool, tabs)
	for _, ws := range clients {
		go readAll(ws, got)
	}
	msg := []byte(`{"type":"op","clause":"c_0123456789","rev":1234,"client":"t_0123456789","seq":56,"member":"m_0123456789","op":[5123,"a17.4 ",-6]}`)
	f := newFrameOut([]outMsg{{b: msg}})
	var before, after syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &before)
	b.ResetTimer()
	for range b.N {
		if gone := r.writeOut(f); len(gone) > 0 {
			b.Fatalf("%d tabs ended", len(gone))
		}
		for range tabs { // every tab has it before the next: a broadcast at a time, as a room's
			<-got
		}
	}
	b.StopTimer()
	syscall.Getrusage(syscall.RUSAGE_SELF, &after)
	cpu := after.Utime.Nano() + after.Stime.Nano() - before.Utime.Nano() - before.Stime.Nano()
	b.ReportMetric(float64(cpu)/float64(b.N), "cpu-ns/op")
}
