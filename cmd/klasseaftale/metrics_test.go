package main

import (
	"context"
	"io"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"klasseaftale/agreements/ot"
	"klasseaftale/internal/liveclient"
)

var metricsAt = regexp.MustCompile(`msg=metrics addr=(\S+)`)

// /metrics is served on its own address, in the Prometheus format, with what an operator
// watches; the public address does not serve it.
func TestMetrics(t *testing.T) {
	base, logs, stop := startLogging(t, filepath.Join(t.TempDir(), "k.db"), "-metrics-addr", "127.0.0.1:0")
	defer stop()
	m := metricsAt.FindStringSubmatch(logs.String())
	if m == nil {
		t.Fatalf("no metrics address in the log:\n%s", logs)
	}
	meeting := newMeeting(t, base, 0)
	http.Post(base+"/api/v1/join", "application/json", strings.NewReader(`{"code":"XXXXXXXX","name":"G"}`))
	c := &liveclient.Client{URL: base, Agree: meeting.draft, Token: meeting.facToken, ID: "tab"}
	if err := c.Connect(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.EditFunc(meeting.clause, func(text string) ot.Op {
		var op ot.Op
		return *op.Insert("x").Retain(ot.Len(text))
	})
	c.Wait(5*time.Second, func() bool { return !c.Pending() })

	scrape := func() string {
		res, err := http.Get("http://" + m[1] + "/metrics")
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return string(b)
	}
	text := scrape()
	for _, want := range []string{
		`klasseaftale_http_requests_total{method="POST",route="/api/v1/classes",status="201"} 1`,
		`klasseaftale_http_requests_total{method="POST",route="/api/v1/join",status="404"} 1`,
		`klasseaftale_refusals_total{limit="wrong_secret"} 1`,
		`klasseaftale_live_operations_committed_total 1`,
		`klasseaftale_live_connections 1`,
		`klasseaftale_live_rooms 1`,
		`klasseaftale_live_commit_seconds_count 1`,
		`klasseaftale_live_broadcast_seconds_count`,
		`klasseaftale_faults_total 0`,
		`go_goroutines`,
		`process_resident_memory_bytes`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	if res, err := http.Get(base + "/metrics"); err != nil || res.StatusCode != http.StatusNotFound {
		t.Errorf("the public address serves /metrics: %v", res.StatusCode)
	}
}
