package live_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"klasseaftale/internal/apptest"
	"klasseaftale/server/live"
)

// A room that finds many operations waiting commits and broadcasts them in batches of at most
// 64 (maxBatch), each batch a broadcast of its own, so that one broadcast does bounded work:
// not all of the backlog in one frame once it has been committed piece by piece.
func TestABacklogGoesOutInBoundedBatches(t *testing.T) {
	const ops, bound = 600, 64
	cfg := live.DefaultConfig()
	cfg.MessageRate, cfg.MessageBurst, cfg.ByteRate = 1e9, 1<<20, 1e12
	app := apptest.New(t, apptest.Options{Live: &cfg})
	class := app.NewClass("4.B", 4)
	_, token := app.Join(class.ParentCode, "Mor", "Ida")
	draft := app.NewAgreement(class, "parents", "photos")
	clause := draft.Clauses[0]
	url := "ws" + strings.TrimPrefix(app.URL, "http") + "/api/v1/agreements/" + draft.ID + "/live"
	dial := func(client string) *websocket.Conn {
		ws, _, err := websocket.DefaultDialer.Dial(url, map[string][]string{"Authorization": {"Bearer " + token}})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { ws.Close() })
		if err := ws.WriteJSON(map[string]any{"type": "hello", "client": client}); err != nil {
			t.Fatal(err)
		}
		return ws
	}
	watcher, author := dial("watcher"), dial("author")
	waitFor := func(ws *websocket.Conn, typ string) {
		t.Helper()
		ws.SetReadDeadline(time.Now().Add(10 * time.Second))
		for {
			_, b, err := ws.ReadMessage()
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(string(b), `"type":"`+typ+`"`) {
				return
			}
		}
	}
	waitFor(watcher, "welcome")
	waitFor(author, "welcome")

	// Every operation is made on the clause's first revision (the server rebases it past the
	// others) and written at once, in one piece: the room finds them waiting.
	n := len([]rune(clause.Body)) // the photos template is plain Danish text: one unit a rune
	for seq := 1; seq <= ops; seq++ {
		m, _ := json.Marshal(map[string]any{"type": "op", "clause": clause.ID, "rev": clause.Rev,
			"client": "author", "seq": seq, "op": []any{"x", n}})
		if err := author.WriteMessage(websocket.TextMessage, m); err != nil {
			t.Fatal(err)
		}
	}
	seen, frames, biggest := 0, 0, 0
	watcher.SetReadDeadline(time.Now().Add(30 * time.Second))
	for seen < ops {
		_, b, err := watcher.ReadMessage()
		if err != nil {
			t.Fatalf("after %d operations: %v", seen, err)
		}
		k := strings.Count(string(b), `"type":"op"`)
		if k == 0 {
			continue
		}
		seen += k
		frames++
		biggest = max(biggest, k)
	}
	if biggest > bound {
		t.Errorf("a broadcast held %d operations, more than %d", biggest, bound)
	}
	if frames < ops/bound {
		t.Errorf("%d operations in %d broadcasts", ops, frames)
	}
	t.Logf("%d operations in %d broadcasts, at most %d in one", ops, frames, biggest)
}
