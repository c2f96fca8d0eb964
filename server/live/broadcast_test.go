package live

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// A tab that messages of a broadcast skip gets the broadcast's frame without their lines: the
// same text as a frame joined for it alone, in parts of the shared frame behind a header of
// its own.
func TestWithoutLeavesTheOtherLines(t *testing.T) {
	a, b := &conn{}, &conn{}
	long := strings.Repeat("x", 200) // past 125 bytes the header is longer
	out := []outMsg{{b: []byte(`{"n":1}`), skip: a}, {b: []byte(`{"n":2}`)}, {b: nil, skip: b},
		{b: []byte(`{"n":4,"pad":"` + long + `"}`), skip: b}, {b: []byte(`{"n":5}`), skip: a}, {b: []byte(`{"n":6}`)}}
	f := newFrameOut(out)
	all := f.all
	whole := func(f []byte) string { // the payload of one text frame
		t.Helper()
		start := map[byte]int{126: 4, 127: 10}[f[1]]
		if start == 0 {
			start = 2
		}
		if want := frame(websocket.TextMessage, f[start:]); !bytes.Equal(want, f) {
			t.Fatalf("not one text frame: %q", f)
		}
		return string(f[start:])
	}
	var lineText []string
	for _, m := range out {
		if m.b != nil {
			lineText = append(lineText, string(m.b))
		}
	}
	if got := whole(all); got != strings.Join(lineText, "\n") {
		t.Fatalf("all: %q", got)
	}
	for _, tc := range []struct {
		name string
		skip []int
		want []string
	}{
		{"the first and one after", []int{0, 4}, []string{`{"n":2}`, `{"n":4,"pad":"` + long + `"}`, `{"n":6}`}},
		{"one absent and one in the middle", []int{2, 3}, []string{`{"n":1}`, `{"n":2}`, `{"n":5}`, `{"n":6}`}},
		{"the last", []int{5}, []string{`{"n":1}`, `{"n":2}`, `{"n":4,"pad":"` + long + `"}`, `{"n":5}`}},
		{"all of them", []int{0, 1, 2, 3, 4, 5}, nil},
	} {
		parts := f.without(tc.skip)
		if tc.want == nil {
			if parts != nil {
				t.Errorf("%s: %q, want nothing", tc.name, parts)
			}
			continue
		}
		if got := whole(bytes.Join(parts, nil)); got != strings.Join(tc.want, "\n") {
			t.Errorf("%s: %q", tc.name, got)
		}
		for _, p := range parts[1:] {
			if i := cap(all) - cap(p); i < 0 || i >= len(all) || &p[0] != &all[i] {
				t.Errorf("%s: a part is a copy, not the shared frame's bytes", tc.name)
			}
		}
	}
}

// A room written in two halves at once (see splitFrom) still gives every connection every
// frame, whole and in order, without the lines it skips; a connection that has ended leaves the
// room. Each half is written through a ring of its own where the system has one, and a socket
// at a time where it has not.
func TestABroadcastInHalves(t *testing.T) {
	for _, ring := range []bool{true, false} {
		t.Run(fmt.Sprintf("ring=%v", ring), func(t *testing.T) {
			cfg := DefaultConfig()
			cfg.Ring = ring
			broadcastInHalves(t, cfg)
		})
	}
}

func broadcastInHalves(t *testing.T, cfg Config) {
	defer func(n int) { splitFrom = n }(splitFrom)
	splitFrom = 2
	r, conns, clients := roomOf(t, cfg, 7)
	for i := range 20 {
		r.broadcast(opMsg{Type: "op", Clause: "c", Rev: i + 1}, nil)
		r.outPresence(presenceMsg{Type: "presence", Client: "tab3", Sel: []int{i, i}}, conns[3])
		r.sendOut()
	}
	for k, ws := range clients {
		ws.SetReadDeadline(time.Now().Add(10 * time.Second))
		for i := range 20 {
			_, b, err := ws.ReadMessage()
			if err != nil {
				t.Fatalf("tab %d, frame %d: %v", k, i, err)
			}
			want := fmt.Sprintf(`{"type":"op","clause":"c","rev":%d`, i+1)
			if !strings.HasPrefix(string(b), want) {
				t.Fatalf("tab %d, frame %d: %.60s", k, i, b)
			}
			if hasCaret := strings.Contains(string(b), `"presence"`); hasCaret == (k == 3) {
				t.Fatalf("tab %d, frame %d: %s", k, i, b)
			}
		}
	}
	conns[5].closeWith(websocket.CloseGoingAway, "")
	r.broadcast(opMsg{Type: "op", Clause: "c", Rev: 21}, nil)
	r.sendOut()
	if r.conns[conns[5]] || len(r.conns) != 6 {
		t.Errorf("after a connection ended: %d in the room, the ended one %v", len(r.conns), r.conns[conns[5]])
	}
}

// roomOf is a room of n tabs that have said hello: the server's connections, and the clients'
// sockets at their other ends (see pair).
func roomOf(t testing.TB, cfg Config, n int) (*room, []*conn, []*websocket.Conn) {
	t.Helper()
	r := &room{hub: &Hub{cfg: cfg}, conns: map[*conn]bool{}}
	var conns []*conn
	var clients []*websocket.Conn
	for range n {
		c, ws := pair(t, cfg)
		c.hello = true
		r.conns[c] = true
		conns, clients = append(conns, c), append(clients, ws)
	}
	return r, conns, clients
}

// readAll reads every frame the client gets until its socket closes, and tells got of each
// when got is not nil.
func readAll(ws *websocket.Conn, got chan<- bool) {
	for {
		if _, _, err := ws.ReadMessage(); err != nil {
			return
		}
		if got != nil {
			got <- true
		}
	}
}
