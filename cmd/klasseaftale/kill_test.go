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
	"syscall"
	"testing"
	"time"

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
	m := newMeeting(t, srv.base, 10)
	typists := startTypists(t, m, []string{srv.base}, 3, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	wg := typeAll(ctx, typists, m.clause, 1000) // one marker at a time, each acknowledged before the next
	for deadline := time.Now().Add(30 * time.Second); ackedCount(typists) < 600 && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
	}
	srv.cmd.Process.Kill() // SIGKILL: no shutdown, no flush
	srv.cmd.Wait()
	cancel() // the tabs stop: the server is gone, and a marker in flight may or may not be stored
	wg.Wait()

	again := startChild(t, db)
	body := m.storedBody(t, again.base)
	acked, lost := 0, 0
	for _, ty := range typists {
		for _, marker := range ty.ackedMarkers() {
			acked++
			if strings.Count(body, marker) != 1 {
				lost++
			}
		}
	}
	t.Logf("%d edits acknowledged before the kill, %d lost", acked, lost)
	if acked == 0 || lost > 0 {
		t.Errorf("%d of %d acknowledged edits lost", lost, acked)
	}
}
