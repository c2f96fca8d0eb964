package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"klasseaftale/agreements/ot"
	"klasseaftale/internal/liveclient"
)

// A backup taken while tabs type holds every edit acknowledged before it began, and serving
// the copy restores them.
func TestBackupWhileTyping(t *testing.T) {
	dir := t.TempDir()
	db, dest := filepath.Join(dir, "k.db"), filepath.Join(dir, "copy.db")
	base, stop := start(t, db)
	defer stop()
	var class struct {
		Class struct {
			ID         string `json:"id"`
			ParentCode string `json:"parent_code"`
		} `json:"class"`
		Token string `json:"token"`
	}
	postJSON(t, base, "/api/v1/classes", "", `{"name":"4.B","grade":4,"facilitator_name":"L"}`, &class)
	var draft struct {
		ID      string
		Clauses []struct{ ID string }
	}
	postJSON(t, base, "/api/v1/classes/"+class.Class.ID+"/agreements", class.Token, `{"kind":"parents","templates":["photos"],"lang":"da"}`, &draft)
	clause := draft.Clauses[0].ID

	var mu sync.Mutex
	var acked []string
	stopTyping := make(chan struct{})
	var wg sync.WaitGroup
	for p := range 4 {
		var joined struct{ Token string }
		postJSON(t, base, "/api/v1/join", "", fmt.Sprintf(`{"code":%q,"name":"P%d","household":"C%d"}`, class.Class.ParentCode, p, p), &joined)
		c := &liveclient.Client{URL: base, Agree: draft.ID, Token: joined.Token, ID: fmt.Sprintf("p%d", p)}
		if err := c.Connect(context.Background()); err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := 0; ; n++ {
				select {
				case <-stopTyping:
					return
				default:
				}
				marker := fmt.Sprintf("«%s.%d»", c.ID, n)
				if _, err := c.EditFunc(clause, func(text string) ot.Op {
					var op ot.Op
					return *op.Insert(marker).Retain(ot.Len(text))
				}); err != nil || !c.Wait(5*time.Second, func() bool { return !c.Pending() }) {
					return
				}
				mu.Lock()
				acked = append(acked, marker)
				mu.Unlock()
			}
		}()
	}
	for len(snapshot(&mu, &acked)) < 100 {
		time.Sleep(5 * time.Millisecond)
	}
	before := snapshot(&mu, &acked)
	var out strings.Builder
	if err := command(context.Background(), []string{"backup", "-db", db, dest}, func(string) string { return "" }, &out); err != nil {
		t.Fatal(err)
	}
	close(stopTyping)
	wg.Wait()
	if err := command(context.Background(), []string{"backup", "-db", db, dest}, func(string) string { return "" }, &out); err == nil {
		t.Error("a backup over an existing file was written")
	}

	restored, stopRestored := start(t, dest)
	defer stopRestored()
	req, _ := http.NewRequest("GET", restored+"/api/v1/agreements/"+draft.ID, nil)
	req.Header.Set("Authorization", "Bearer "+class.Token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var a struct{ Clauses []struct{ Body string } }
	json.NewDecoder(res.Body).Decode(&a)
	res.Body.Close()
	missing := 0
	for _, m := range before {
		if strings.Count(a.Clauses[0].Body, m) != 1 {
			missing++
		}
	}
	t.Logf("%d edits acknowledged before the backup began; %d missing from it", len(before), missing)
	if missing > 0 {
		t.Errorf("%d of %d acknowledged edits are not in the backup", missing, len(before))
	}
}

func snapshot(mu *sync.Mutex, xs *[]string) []string {
	mu.Lock()
	defer mu.Unlock()
	return append([]string(nil), *xs...)
}

// The backup command copies SQLite files only: for a PostgreSQL database it names pg_dump, and
// writes nothing.
func TestBackupOfPostgresNamesPgDump(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "copy.db")
	var out strings.Builder
	err := command(context.Background(), []string{"backup", "-db", "postgres://user:secret@db.invalid/klasseaftale", dest}, func(string) string { return "" }, &out)
	if err == nil || !strings.Contains(err.Error(), "pg_dump") || strings.Contains(err.Error(), "secret") {
		t.Errorf("backup of a PostgreSQL database: %v", err)
	}
	if _, err := os.Stat(dest); !os.IsNotExist(err) {
		t.Errorf("the backup wrote %s: %v", dest, err)
	}
}
