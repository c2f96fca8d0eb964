package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"testing"
)

// A small real run against the server in this process: two rooms of four tabs, two of them
// typing in each, for two seconds. It passes its own check and measures something.
func TestSmallRunPasses(t *testing.T) {
	var out, errs bytes.Buffer
	args := []string{"-inprocess", "-rooms", "2", "-clients", "8", "-authors", "2", "-duration", "2s", "-idle", "200ms", "-keep", "4", "-json"}
	if code := run(context.Background(), args, &out, &errs); code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, out.String(), errs.String())
	}
	var res result
	if err := json.Unmarshal(out.Bytes(), &res); err != nil {
		t.Fatalf("%v: %s", err, out.String())
	}
	if !res.Pass || !res.Check.Settled || res.Check.TabsChecked != 8 {
		t.Errorf("not a pass: %s", out.String())
	}
	if res.Connected != 8 || res.Authors != 4 || res.Keystrokes == 0 || res.OpsCommitted == 0 || res.CommittedPerSec == 0 {
		t.Errorf("counts: %s", out.String())
	}
	// Four authors at 5/s for 2 s type about 40 markers; with 4 kept each, some are deleted.
	if res.Check.Markers != int(res.Keystrokes) || res.Check.Deleted == 0 {
		t.Errorf("markers %d for %d keystrokes, %d deleted", res.Check.Markers, res.Keystrokes, res.Check.Deleted)
	}
	if res.Ack.N == 0 || res.Ack.P50 <= 0 || res.Ack.P99 < res.Ack.P50 {
		t.Errorf("ack latency %+v", res.Ack)
	}
	// Each operation reaches the three other tabs of its room.
	if res.Broadcast.N != 3*uint64(res.OpsCommitted) || res.Broadcast.P50 <= 0 {
		t.Errorf("broadcast latency %+v for %d operations", res.Broadcast, res.OpsCommitted)
	}
	if res.Memory == nil || res.Memory.HeapStackPer == 0 {
		t.Errorf("memory not measured: %+v %s", res.Memory, res.MemoryError)
	}
}

func TestOnlyLoopback(t *testing.T) {
	for _, u := range []string{"http://example.com:8080", "http://10.0.0.1:8080", "https://127.0.0.1:8080", "ftp://127.0.0.1", "127.0.0.1:8080"} {
		if _, err := parseConfig([]string{"-url", u}, io.Discard); err == nil {
			t.Errorf("%s accepted", u)
		}
	}
	for _, u := range []string{"http://127.0.0.1:8080", "http://localhost:9000/", "http://[::1]:8080", "http://127.0.0.2:80"} {
		if _, err := parseConfig([]string{"-url", u}, io.Discard); err != nil {
			t.Errorf("%s refused: %v", u, err)
		}
	}
	for _, args := range [][]string{{"-duration", "11m"}, {"-clients", "99999"}, {"-rooms", "3", "-clients", "6", "-authors", "3"}, {"-spawn", "-inprocess"}} {
		if _, err := parseConfig(args, io.Discard); err == nil {
			t.Errorf("%v accepted", args)
		}
	}
}
