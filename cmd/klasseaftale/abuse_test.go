package main

import (
	"bufio"
	"encoding/json"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// A request body sent a byte at a time is cut off by the read timeout, and the server answers
// others meanwhile; a live socket is not cut by the HTTP timeouts.
func TestSlowBodiesTimeOut(t *testing.T) {
	base, stop := start(t, filepath.Join(t.TempDir(), "k.db"), "-read-timeout", "500ms", "-write-timeout", "500ms")
	defer stop()
	conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	const size = 100
	if _, err := conn.Write([]byte("POST /api/v1/classes HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n")); err != nil {
		t.Fatal(err)
	}
	ended := make(chan struct{})
	go func() { // the server's side ends: EOF, a reset, or an error answer
		bufio.NewReader(conn).ReadByte()
		close(ended)
	}()
	sent := 0
	tick := time.NewTicker(100 * time.Millisecond) // a byte every 100 ms: the body would take 10 s
	defer tick.Stop()
slow:
	for ; sent < size; sent++ {
		if sent == 2 {
			if res, err := http.Get(base + "/healthz"); err != nil || res.StatusCode != http.StatusOK {
				t.Errorf("healthz during a slow body: %v", err)
			}
		}
		select {
		case <-ended:
			break slow
		case <-tick.C:
			if _, err := conn.Write([]byte{' '}); err != nil {
				break slow
			}
		}
	}
	if sent >= size {
		t.Fatalf("the server waited for all %d bytes of a body sent a byte at a time", size)
	}
	t.Logf("cut off after %d bytes", sent)

	// A live socket outlives both timeouts.
	var made struct {
		Class struct{ ID string } `json:"class"`
		Token string              `json:"token"`
	}
	res, err := http.Post(base+"/api/v1/classes", "application/json", strings.NewReader(`{"name":"4.B","grade":4,"facilitator_name":"L"}`))
	if err != nil {
		t.Fatal(err)
	}
	json.NewDecoder(res.Body).Decode(&made)
	res.Body.Close()
	var a struct{ ID string }
	req, _ := http.NewRequest("POST", base+"/api/v1/classes/"+made.Class.ID+"/agreements", strings.NewReader(`{"kind":"parents","templates":["photos"],"lang":"da"}`))
	req.Header.Set("Authorization", "Bearer "+made.Token)
	res, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	json.NewDecoder(res.Body).Decode(&a)
	res.Body.Close()
	ws, _, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(base, "http")+"/api/v1/agreements/"+a.ID+"/live",
		http.Header{"Authorization": {"Bearer " + made.Token}})
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	time.Sleep(1200 * time.Millisecond) // past both timeouts, which is what is tested
	if err := ws.WriteJSON(map[string]any{"type": "hello", "client": "tab"}); err != nil {
		t.Fatalf("write after the timeouts: %v", err)
	}
	ws.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, data, err := ws.ReadMessage(); err != nil || !strings.Contains(string(data), `"type":"welcome"`) {
		t.Errorf("the live socket after the HTTP timeouts: %v %.80s", err, data)
	}
}

// Debug logs name no secrets: neither key links nor published agreements' addresses.
func TestLogsCarryNoSecrets(t *testing.T) {
	base, logs, stop := startLogging(t, filepath.Join(t.TempDir(), "k.db"), "-log-level", "debug")
	defer stop()
	for _, p := range []string{"/k/secretkeysecretkeysecretkey", "/p/secretslugsecretslugsecretsl", "/api/v1/published/secretslugsecretslugsecretsl"} {
		if res, err := http.Get(base + p); err == nil {
			res.Body.Close()
		}
	}
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(logs.String(), "/api/v1/published/…") && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if l := logs.String(); strings.Contains(l, "secretkey") || strings.Contains(l, "secretslug") || !strings.Contains(l, "/p/…") {
		t.Errorf("the log:\n%s", l)
	}
}

// The caps come from the flags; without -live-max, from the limit of open files.
func TestLiveCapsFromFlags(t *testing.T) {
	c, err := parseConfig([]string{"-live-per-member", "3", "-live-per-address", "40"}, func(string) string { return "" }, &strings.Builder{})
	if err != nil {
		t.Fatal(err)
	}
	lc, err := liveConfig(c)
	if err != nil {
		t.Fatal(err)
	}
	if lc.MaxPerMember != 3 || lc.MaxPerAddress != 40 || lc.MaxConnections < 16 {
		t.Errorf("%+v", lc)
	}
	c.LiveMax = 77
	if lc, _ = liveConfig(c); lc.MaxConnections != 77 {
		t.Errorf("-live-max 77 gave %d", lc.MaxConnections)
	}
}
