package live_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"klasseaftale/agreements/ot"
	"klasseaftale/internal/apptest"
	"klasseaftale/internal/liveclient"
	"klasseaftale/server/live"
)

// keysPerRound is how many keystrokes one iteration of BenchmarkRoomOps types, so that even
// -benchtime 2x gives a figure.
const keysPerRound = 200

// BenchmarkRoomOps measures the room's batch path end to end: one author types with one
// operation in flight at a time (as the editor does: the next keystroke goes once the last is
// acknowledged), in a room of 1, 60, 200 or 400 tabs, through the real server, SQLite file and
// WebSockets. Every keystroke is committed, then broadcast to every tab, before the author
// hears of it, so ops/s is 1 / (commit + broadcast + the round trip): a room that waited for a
// clock before broadcasting would show it here at once. The other tabs only read.
func BenchmarkRoomOps(b *testing.B) {
	for _, tabs := range []int{1, 60, 200, 400} {
		b.Run(fmt.Sprintf("tabs=%d", tabs), func(b *testing.B) { benchRoomOps(b, tabs) })
	}
}

func benchRoomOps(b *testing.B, tabs int) {
	cfg := live.DefaultConfig()
	cfg.MaxPerMember, cfg.MaxPerAddress = tabs+1, tabs+1
	// One tab types far faster than a person: its budget must not be what is measured.
	cfg.MessageRate, cfg.MessageBurst, cfg.ByteRate = 1e9, 1<<20, 1e12
	app := apptest.New(b, apptest.Options{Live: &cfg})
	class := app.NewClass("4.B", 4)
	_, token := app.Join(class.ParentCode, "Mor", "Ida")
	draft := app.NewAgreement(class, "parents", "photos")
	clause := draft.Clauses[0].ID

	// The watchers: hello, then read and drop every frame.
	url := "ws" + strings.TrimPrefix(app.URL, "http") + "/api/v1/agreements/" + draft.ID + "/live"
	welcomed := make(chan struct{}, tabs)
	for i := 1; i < tabs; i++ {
		ws, _, err := websocket.DefaultDialer.Dial(url, map[string][]string{"Authorization": {"Bearer " + token}})
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { ws.Close() })
		if err := ws.WriteJSON(map[string]any{"type": "hello", "client": fmt.Sprintf("watch%d", i)}); err != nil {
			b.Fatal(err)
		}
		go func() {
			first := true
			for {
				if _, _, err := ws.ReadMessage(); err != nil {
					return
				}
				if first {
					welcomed <- struct{}{}
					first = false
				}
			}
		}()
	}
	for i := 1; i < tabs; i++ {
		<-welcomed
	}

	acked, refused := make(chan struct{}, 1), make(chan any, 1)
	author := &liveclient.Client{URL: app.URL, Agree: draft.ID, Token: token, ID: "author",
		Hooks: liveclient.Hooks{Ack: func(string, int, int) { acked <- struct{}{} },
			Other: func(m map[string]any) {
				if m["type"] == "error" {
					select {
					case refused <- m:
					default:
					}
				}
			}}}
	if err := author.Connect(context.Background()); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(author.Close)

	// Each keystroke types an x at the start, and the next takes it away again, so the text
	// keeps its length however long the benchmark runs.
	key := func(k int) {
		_, err := author.EditFunc(clause, func(text string) ot.Op {
			if k%2 == 0 {
				return insertAt(ot.Len(text), 0, "x")
			}
			var op ot.Op
			return *op.Delete(1).Retain(ot.Len(text) - 1)
		})
		if err != nil {
			b.Fatal(err)
		}
		select {
		case <-acked:
		case m := <-refused:
			b.Fatalf("the keystroke was refused: %v", m)
		case <-author.Closed():
			b.Fatalf("the author's connection closed: %v", author.Errors())
		}
	}
	start := time.Now()
	keys := 0
	for b.Loop() {
		for range keysPerRound {
			key(keys)
			keys++
		}
	}
	b.ReportMetric(float64(keys)/time.Since(start).Seconds(), "ops/s")
	b.ReportMetric(0, "ns/op") // a round is keysPerRound keystrokes: ops/s is the figure
}
