package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"klasseaftale/server/live"
)

// syncBuffer is a bytes.Buffer the server goroutine writes while the test reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

var listening = regexp.MustCompile(`msg=listening addr=(\S+)`)

// start runs the binary's run() on a free port with the database file (and more flags) and
// returns its address and a function that stops it and waits.
func start(t *testing.T, db string, flags ...string) (string, func()) {
	t.Helper()
	base, _, stop := startLogging(t, db, flags...)
	return base, stop
}

// startLogging is start, and also gives what the server logs.
func startLogging(t *testing.T, db string, flags ...string) (string, *syncBuffer, func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	out := &syncBuffer{}
	done := make(chan error, 1)
	getenv := func(string) string { return "" }
	args := append([]string{"-addr", "127.0.0.1:0", "-db", db}, flags...)
	go func() { done <- run(ctx, args, getenv, out) }()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if m := listening.FindStringSubmatch(out.String()); m != nil {
			return "http://" + m[1], out, func() {
				cancel()
				if err := <-done; err != nil {
					t.Errorf("run: %v", err)
				}
			}
		}
		select {
		case err := <-done:
			t.Fatalf("run ended early: %v\n%s", err, out)
		case <-time.After(20 * time.Millisecond):
		}
	}
	cancel()
	t.Fatalf("run did not start listening:\n%s", out)
	return "", nil, nil
}

// The server says at start whether it writes live broadcasts through a ring: as the system
// allows, unless -live-ring=false.
func TestTheLogSaysWhetherTheRingIsUsed(t *testing.T) {
	for _, tc := range []struct {
		flags []string
		want  bool
	}{{nil, live.RingWrites()}, {[]string{"-live-ring=false"}, false}} {
		_, out, stop := startLogging(t, filepath.Join(t.TempDir(), "k.db"), tc.flags...)
		stop()
		if want := fmt.Sprintf("live_ring=%v", tc.want); !strings.Contains(out.String(), want) {
			t.Errorf("%v: the log does not say %s:\n%s", tc.flags, want, out)
		}
	}
}

func TestRestartKeepsEverything(t *testing.T) {
	db := filepath.Join(t.TempDir(), "klasseaftale.db")
	base, stop := start(t, db)
	res, err := http.Post(base+"/api/v1/classes", "application/json", strings.NewReader(`{"name":"4.B","grade":4,"facilitator_name":"Lærer"}`))
	if err != nil {
		t.Fatal(err)
	}
	var created struct {
		Class struct{ ID, ParentCode string } `json:"class"`
		Token string                          `json:"token"`
	}
	json.NewDecoder(res.Body).Decode(&created)
	res.Body.Close()
	if res.StatusCode != http.StatusCreated || created.Token == "" {
		t.Fatalf("create: %d %+v", res.StatusCode, created)
	}
	stop()

	base, stop = start(t, db)
	defer stop()
	req, _ := http.NewRequest("GET", base+"/api/v1/classes/"+created.Class.ID, nil)
	req.Header.Set("Authorization", "Bearer "+created.Token)
	res, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var view struct {
		Class struct{ Name, ParentCode string } `json:"class"`
	}
	json.NewDecoder(res.Body).Decode(&view)
	if res.StatusCode != http.StatusOK || view.Class.Name != "4.B" {
		t.Fatalf("after restart: %d %+v", res.StatusCode, view)
	}
}

func TestConfig(t *testing.T) {
	var out bytes.Buffer
	if c, err := parseConfig(nil, func(string) string { return "" }, &out); err != nil || c.ArchiveDays != 30 || !c.LiveRing {
		t.Errorf("defaults: %+v %v", c, err)
	}
	env := map[string]string{"KLASSEAFTALE_ADDR": "127.0.0.1:9000", "KLASSEAFTALE_DB": "x.db", "KLASSEAFTALE_ARCHIVE_DAYS": "14"}
	getenv := func(k string) string { return env[k] }
	c, err := parseConfig(nil, getenv, &out)
	if err != nil || c.Addr != "127.0.0.1:9000" || c.DB != "x.db" || c.ArchiveDays != 14 {
		t.Errorf("env defaults: %+v %v", c, err)
	}
	c, err = parseConfig([]string{"-addr", ":7000", "-base-url", "https://klasseaftale.dk/", "-archive-days", "90"}, getenv, &out)
	if err != nil || c.Addr != ":7000" || c.BaseURL != "https://klasseaftale.dk" || c.ArchiveDays != 90 {
		t.Errorf("flags win: %+v %v", c, err)
	}
	c, err = parseConfig([]string{"-live-per-member", "2", "-live-per-address", "5", "-live-max", "9", "-read-timeout", "3s"}, getenv, &out)
	if err != nil || c.LivePerMember != 2 || c.LivePerAddress != 5 || c.LiveMax != 9 || c.ReadTimeout != 3*time.Second {
		t.Errorf("caps and timeouts: %+v %v", c, err)
	}
	env["KLASSEAFTALE_LIVE_PER_ADDRESS"] = "7"
	if c, err = parseConfig(nil, getenv, &out); err != nil || c.LivePerAddress != 7 || c.LivePerMember != 8 {
		t.Errorf("caps from the environment: %+v %v", c, err)
	}
	env["KLASSEAFTALE_LIVE_RING"] = "off" // not a boolean: the default holds
	if c, err = parseConfig(nil, getenv, &out); err != nil || !c.LiveRing {
		t.Errorf("a live ring of %q: %v %v", env["KLASSEAFTALE_LIVE_RING"], c.LiveRing, err)
	}
	env["KLASSEAFTALE_LIVE_RING"] = "false"
	if c, err = parseConfig(nil, getenv, &out); err != nil || c.LiveRing {
		t.Errorf("a live ring of %q: %v %v", env["KLASSEAFTALE_LIVE_RING"], c.LiveRing, err)
	}
	if c, err = parseConfig([]string{"-live-ring=true"}, getenv, &out); err != nil || !c.LiveRing {
		t.Errorf("-live-ring=true: %v %v", c.LiveRing, err)
	}
	if lc, err := liveConfig(c); err != nil || !lc.Ring {
		t.Errorf("the live side's ring: %v %v", lc.Ring, err)
	}
	for _, args := range [][]string{{"-addr", "nonsense"}, {"-base-url", "ftp://x"}, {"-max-body", "10"}, {"-nope"},
		{"-live-per-member", "0"}, {"-live-max", "-1"}, {"-read-timeout", "0s"},
		{"-archive-days", "0"}, {"-archive-days", "3651"}, {"-archive-days", "30d"}} {
		if _, err := parseConfig(args, getenv, &out); err == nil {
			t.Errorf("%v accepted", args)
		}
	}
}

// The archive retention set at start is the one the server applies and the privacy page states.
func TestArchiveDaysReachThePrivacyPage(t *testing.T) {
	base, stop := start(t, filepath.Join(t.TempDir(), "klasseaftale.db"), "-archive-days", "14")
	defer stop()
	res, err := http.Get(base + "/privacy?lang=en")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var page strings.Builder
	io.Copy(&page, res.Body)
	if res.StatusCode != http.StatusOK || !strings.Contains(page.String(), "everything is deleted 14 days later") {
		t.Errorf("%d: the privacy page does not state the 14 days:\n%s", res.StatusCode, page.String())
	}
}
