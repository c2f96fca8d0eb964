package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"klasseaftale/agreements/ot"
	"klasseaftale/internal/liveclient"
	"klasseaftale/internal/pgtest"
)

// TestMain lets a test start this test binary again as the server, in a process of its own
// that it can kill.
func TestMain(m *testing.M) {
	if os.Getenv("KA_TEST_SERVE") == "1" {
		ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM) // stopped as in production
		defer stop()
		err := run(ctx, os.Args[len(os.Args)-4:], func(string) string { return "" }, os.Stdout)
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	pgtest.Main(m)
}

// child is the server in a process of its own.
type child struct {
	cmd  *exec.Cmd
	base string
}

func startChild(t *testing.T, db string) *child {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$", "-addr", "127.0.0.1:0", "-db", db)
	cmd.Env = append(os.Environ(), "KA_TEST_SERVE=1")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	lines := bufio.NewScanner(out)
	for lines.Scan() {
		if m := listening.FindStringSubmatch(lines.Text()); m != nil {
			go func() {
				for lines.Scan() {
				}
			}()
			return &child{cmd: cmd, base: "http://" + m[1]}
		}
	}
	t.Fatal("the server did not start")
	return nil
}

func postJSON(t *testing.T, base, path, token, body string, out any) {
	t.Helper()
	req, _ := http.NewRequest("POST", base+path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode >= 300 {
		t.Fatalf("POST %s: %d", path, res.StatusCode)
	}
	json.NewDecoder(res.Body).Decode(out)
}

// Killed with SIGKILL while 30 tabs type, the server loses no edit it acknowledged: each was
// committed before its acknowledgement went out.
func TestKill9LosesNothingAcknowledged(t *testing.T) {
	db := filepath.Join(t.TempDir(), "k.db")
	srv := startChild(t, db)
	var class struct {
		Class struct {
			ID         string `json:"id"`
			ParentCode string `json:"parent_code"`
		} `json:"class"`
		Token string `json:"token"`
	}
	postJSON(t, srv.base, "/api/v1/classes", "", `{"name":"4.B","grade":4,"facilitator_name":"L"}`, &class)
	var draft struct {
		ID      string
		Clauses []struct{ ID string }
	}
	postJSON(t, srv.base, "/api/v1/classes/"+class.Class.ID+"/agreements", class.Token, `{"kind":"parents","templates":["photos"],"lang":"da"}`, &draft)
	clause := draft.Clauses[0].ID

	var mu sync.Mutex
	var acked []string
	var wg sync.WaitGroup
	for p := range 10 {
		var joined struct{ Token string }
		postJSON(t, srv.base, "/api/v1/join", "", fmt.Sprintf(`{"code":%q,"name":"P%d","household":"C%d"}`, class.Class.ParentCode, p, p), &joined)
		for tab := range 3 {
			c := &liveclient.Client{URL: srv.base, Agree: draft.ID, Token: joined.Token, ID: fmt.Sprintf("p%d-t%d", p, tab)}
			if err := c.Connect(context.Background()); err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			wg.Add(1)
			go func() { // type one marker at a time, each acknowledged before the next
				defer wg.Done()
				for n := 0; ; n++ {
					marker := fmt.Sprintf("«%s.%d»", c.ID, n)
					if _, err := c.EditFunc(clause, func(text string) ot.Op {
						var op ot.Op
						return *op.Insert(marker).Retain(ot.Len(text))
					}); err != nil {
						return
					}
					if !c.Wait(5*time.Second, func() bool { return !c.Pending() }) {
						return // the server is gone: this one may or may not be stored
					}
					mu.Lock()
					acked = append(acked, marker)
					mu.Unlock()
				}
			}()
		}
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		mu.Lock()
		n := len(acked)
		mu.Unlock()
		if n >= 600 || time.Now().After(deadline) {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	srv.cmd.Process.Kill() // SIGKILL: no shutdown, no flush
	srv.cmd.Wait()
	wg.Wait()

	again := startChild(t, db)
	req, _ := http.NewRequest("GET", again.base+"/api/v1/agreements/"+draft.ID, nil)
	req.Header.Set("Authorization", "Bearer "+class.Token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var stored struct {
		Clauses []struct{ ID, Body string }
	}
	json.NewDecoder(res.Body).Decode(&stored)
	res.Body.Close()
	body := stored.Clauses[0].Body
	lost := 0
	for _, m := range acked {
		if strings.Count(body, m) != 1 {
			lost++
		}
	}
	t.Logf("%d edits acknowledged before the kill, %d lost", len(acked), lost)
	if len(acked) == 0 || lost > 0 {
		t.Errorf("%d of %d acknowledged edits lost", lost, len(acked))
	}
}
