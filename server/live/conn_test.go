package live

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"klasseaftale/agreements"
)

// pair is a server conn and the client's socket at its other end, over loopback, with the
// socket buffers small on both sides (32 KiB) so a little data fills them.
func pair(t testing.TB, cfg Config) (*conn, *websocket.Conn) {
	t.Helper()
	h := benchHub()
	h.cfg = cfg
	arrived := make(chan *conn, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		ws, err := h.upgrader.Upgrade(w, req, nil)
		if err != nil {
			return
		}
		setBuffer(t, ws.NetConn(), syscall.SO_SNDBUF)
		arrived <- newConn(ws, agreements.Actor{}, "da", cfg, h.msgs)
	}))
	t.Cleanup(srv.Close)
	d := websocket.Dialer{NetDialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		nc, err := (&net.Dialer{}).DialContext(ctx, network, addr)
		if err == nil {
			setBuffer(t, nc, syscall.SO_RCVBUF)
		}
		return nc, err
	}}
	ws, _, err := d.Dial("ws"+strings.TrimPrefix(srv.URL, "http"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ws.Close() })
	return <-arrived, ws
}

func setBuffer(t testing.TB, nc net.Conn, opt int) {
	raw, err := nc.(syscall.Conn).SyscallConn()
	if err != nil {
		t.Fatal(err)
	}
	raw.Control(func(fd uintptr) { syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, opt, 32<<10) })
}

// What the socket does not take at once waits for the flusher, in order, and the frames after
// it too; once the peer reads, all arrive whole and in order, and the connection writes at once
// again. Every other frame is given in parts (as a broadcast gives a tab one of its messages
// skips), which the socket may take up to the middle of one.
func TestWritesTheSocketDoesNotTakeWaitInOrder(t *testing.T) {
	if !canTryWrite {
		t.Skip("every write goes to the flusher here")
	}
	c, ws := pair(t, DefaultConfig())
	const n = 60
	for i := range n {
		msg := []byte(fmt.Sprintf(`{"type":"op","seq":%d,"pad":%q}`, i, strings.Repeat("ø", 8000)))
		ok := false
		if i%2 == 0 {
			ok = c.queue(msg)
		} else {
			head := make([]byte, headLen(len(msg)))
			putHead(head, websocket.TextMessage, len(msg))
			ok = c.queueParts([][]byte{head, msg[:7], nil, msg[7:5000], msg[5000:]})
		}
		if !ok {
			t.Fatalf("message %d: the connection ended", i)
		}
	}
	if q := c.queuedFrames(); q < 2 || q > n {
		t.Errorf("%d frames counted as waiting, of %d sent", q, n)
	}
	if !c.pending() {
		t.Fatal("960 KB went into a socket of a few dozen KB without waiting: the test does not fill it")
	}
	ws.SetReadDeadline(time.Now().Add(10 * time.Second))
	for i := range n {
		_, b, err := ws.ReadMessage()
		if err != nil {
			t.Fatalf("message %d: %v", i, err)
		}
		if want := fmt.Sprintf(`{"type":"op","seq":%d,`, i); !bytes.HasPrefix(b, []byte(want)) || len(b) < 8000*2 {
			t.Fatalf("message %d arrived as %.40s… (%d bytes)", i, b, len(b))
		}
	}
	for c.pending() || c.isFlushing() {
		time.Sleep(time.Millisecond) // the flusher ends once it has written the last frame
	}
	c.queue([]byte(`{"type":"pong"}`))
	if c.pending() || c.isFlushing() {
		t.Error("a small message to an idle socket did not go at once")
	}
	if _, b, err := ws.ReadMessage(); err != nil || string(b) != `{"type":"pong"}` {
		t.Errorf("after the flush: %q, %v", b, err)
	}
}

// The flusher's deadline goes with it: a write after the time it had has passed still goes.
func TestAWriteAfterTheFlushersDeadline(t *testing.T) {
	if !canTryWrite {
		t.Skip("every write goes to the flusher here")
	}
	cfg := DefaultConfig()
	cfg.WriteWait = time.Second
	c, ws := pair(t, cfg)
	c.queue([]byte(strings.Repeat("x", 100<<10)))
	if !c.pending() {
		t.Fatal("100 KB went into a socket of a few dozen KB without waiting: the test does not fill it")
	}
	ws.SetReadDeadline(time.Now().Add(10 * time.Second))
	if _, b, err := ws.ReadMessage(); err != nil || len(b) != 100<<10 {
		t.Fatalf("%d bytes, %v", len(b), err)
	}
	for c.pending() || c.isFlushing() {
		time.Sleep(time.Millisecond)
	}
	time.Sleep(cfg.WriteWait + cfg.WriteWait/2) // the condition tested: the deadline has passed
	if !c.queue([]byte(`{"type":"pong"}`)) {
		t.Fatal("a write after the flusher's deadline ended the connection")
	}
	if _, b, err := ws.ReadMessage(); err != nil || string(b) != `{"type":"pong"}` {
		t.Errorf("after the deadline: %q, %v", b, err)
	}
}

// A connection ends with its close frame after what was sent before it, also when that still
// waits for the flusher.
func TestCloseComesAfterWhatWaits(t *testing.T) {
	c, ws := pair(t, DefaultConfig())
	big := strings.Repeat("x", 200<<10)
	c.queue([]byte(big))
	c.end([]byte(`{"type":"error","code":"auth.required"}`), websocket.ClosePolicyViolation, "auth.required")
	ws.SetReadDeadline(time.Now().Add(10 * time.Second))
	if _, b, err := ws.ReadMessage(); err != nil || len(b) != len(big) {
		t.Fatalf("the big message: %d bytes, %v", len(b), err)
	}
	if _, b, err := ws.ReadMessage(); err != nil || !bytes.Contains(b, []byte("auth.required")) {
		t.Fatalf("the last message: %q, %v", b, err)
	}
	_, _, err := ws.ReadMessage()
	if !websocket.IsCloseError(err, websocket.ClosePolicyViolation) {
		t.Fatalf("the close: %v", err)
	}
	if c.queue([]byte(`{}`)) {
		t.Error("a closed connection took a message")
	}
}

// A peer that takes nothing for WriteWait is cut off, and the connection ends.
func TestAPeerThatTakesNothingIsCutOff(t *testing.T) {
	cfg := DefaultConfig()
	cfg.WriteWait = 200 * time.Millisecond
	c, _ := pair(t, cfg)
	for i := 0; c.queue([]byte(strings.Repeat("x", 64<<10))); i++ {
		if i > 10000 {
			t.Fatal("the connection never ended")
		}
		time.Sleep(time.Millisecond)
	}
	select {
	case <-c.done:
	case <-time.After(10 * time.Second):
		t.Fatal("the connection did not end")
	}
}

// A ping from the peer is answered with a pong through the same writes.
func TestAPingIsAnswered(t *testing.T) {
	c, ws := pair(t, DefaultConfig())
	go func() {
		for {
			if _, _, err := c.ws.ReadMessage(); err != nil {
				return
			}
		}
	}()
	ponged := make(chan string, 1)
	ws.SetPongHandler(func(s string) error { ponged <- s; return nil })
	go ws.ReadMessage()
	if err := ws.WriteControl(websocket.PingMessage, []byte("hej"), time.Now().Add(time.Second)); err != nil {
		t.Fatal(err)
	}
	select {
	case s := <-ponged:
		if s != "hej" {
			t.Errorf("pong %q", s)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no pong")
	}
}

// After its writes a large room rests eight times as long as they took, less the time it did
// not write before them, and never longer than maxRest: a room whose broadcasts come far apart
// never rests, nor does a small room.
func TestRestAfterWrites(t *testing.T) {
	ms, us := time.Millisecond, time.Microsecond
	for _, tc := range []struct {
		tabs              int
		wrote, idle, want time.Duration
	}{
		{200, 500 * us, 0, 4 * ms},
		{200, 500 * us, ms, 3 * ms},
		{200, 500 * us, 10 * ms, 0},
		{400, 2 * ms, 0, maxRest},
		{200, 100 * ms, 0, maxRest},
		{60, 500 * us, 0, 0},
		{restFrom - 1, ms, 0, 0},
		{restFrom, ms / 2, 0, 4 * ms},
	} {
		if got := restAfter(tc.tabs, tc.wrote, tc.idle); got != tc.want {
			t.Errorf("restAfter(%d, %v, %v) = %v, want %v", tc.tabs, tc.wrote, tc.idle, got, tc.want)
		}
	}
}

// pending reports whether frames wait for the flusher.
func (c *conn) pending() bool {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	return len(c.frames) > 0
}

// queuedFrames is how many frames wait for the flusher.
func (c *conn) queuedFrames() int {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	return c.queued
}

// isFlushing reports whether a flusher runs.
func (c *conn) isFlushing() bool {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	return c.flushing
}
