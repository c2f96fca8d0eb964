package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/user"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"klasseaftale/internal/wire"
)

// A small real run against the server in this process: two rooms of four tabs, two of them
// typing in each, for two seconds. It passes its own check and measures something, with its
// tabs read by a poller (on Linux) and by a goroutine each.
func TestSmallRunPasses(t *testing.T) {
	for _, poll := range []bool{true, false} {
		t.Run(fmt.Sprintf("poll=%v", poll), func(t *testing.T) { smallRun(t, poll) })
	}
}

func smallRun(t *testing.T, poll bool) {
	var out, errs bytes.Buffer
	args := []string{"-inprocess", "-rooms", "2", "-clients", "8", "-authors", "2", "-duration", "2s", "-idle", "200ms", "-keep", "4", "-json",
		fmt.Sprintf("-poll=%v", poll)}
	if code := run(context.Background(), args, &out, &errs); code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, out.String(), errs.String())
	}
	var res result
	if err := json.Unmarshal(out.Bytes(), &res); err != nil {
		t.Fatalf("%v: %s", err, out.String())
	}
	if res.Polled != (poll && runtime.GOOS == "linux") {
		t.Errorf("polled %v with -poll=%v on %s", res.Polled, poll, runtime.GOOS)
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

// Thin authors: a room of 8 authors, the last 4 thin, and one watching tab they type on. All
// their keystrokes are committed and acknowledged, every marker is in the server's text once
// (or deleted), and the full tabs agree with the server.
func TestThinAuthorsPass(t *testing.T) {
	var out, errs bytes.Buffer
	args := []string{"-inprocess", "-rooms", "1", "-clients", "9", "-authors", "8", "-thin", "-duration", "2s", "-idle", "200ms", "-keep", "3", "-json"}
	if code := run(context.Background(), args, &out, &errs); code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, out.String(), errs.String())
	}
	var res result
	if err := json.Unmarshal(out.Bytes(), &res); err != nil {
		t.Fatalf("%v: %s", err, out.String())
	}
	// The 4 full authors and the watcher are checked against the server; the thin keep no copy.
	if !res.Pass || !res.Check.Settled || res.Check.TabsChecked != 5 {
		t.Errorf("not a pass: %s", out.String())
	}
	if res.OpsCommitted != res.OpsSent || res.Check.Markers != int(res.Keystrokes) || res.Check.Deleted == 0 {
		t.Errorf("%d sent, %d committed, %d markers for %d keystrokes, %d deleted", res.OpsSent, res.OpsCommitted, res.Check.Markers, res.Keystrokes, res.Check.Deleted)
	}
	// Every operation reaches the 8 other tabs, thin ones included.
	if res.Ack.N != uint64(res.OpsCommitted) || res.Broadcast.N != 8*uint64(res.OpsCommitted) {
		t.Errorf("ack %+v, broadcast %+v for %d operations", res.Ack, res.Broadcast, res.OpsCommitted)
	}
	if _, err := parseConfig([]string{"-clients", "8", "-authors", "8", "-thin"}, io.Discard); err == nil {
		t.Error("-thin without a watching tab accepted")
	}
}

func TestOnlyLoopback(t *testing.T) {
	for _, u := range []string{"http://example.com:8080", "http://192.0.2.1:8080", "https://127.0.0.1:8080", "ftp://127.0.0.1", "127.0.0.1:8080"} {
		if _, err := parseConfig([]string{"-url", u}, io.Discard); err == nil {
			t.Errorf("%s accepted", u)
		}
	}
	for _, u := range []string{"http://127.0.0.1:8080", "http://localhost:9000/", "http://[::1]:8080", "http://127.0.0.2:80"} {
		if _, err := parseConfig([]string{"-url", u}, io.Discard); err != nil {
			t.Errorf("%s refused: %v", u, err)
		}
	}
	_, veth, _ := net.ParseCIDR("10.77.0.2/24")
	_, lan, _ := net.ParseCIDR("192.168.1.5/24")
	nets := []*net.IPNet{veth, {IP: net.IPv4(127, 0, 0, 1), Mask: net.CIDRMask(8, 32)}}
	for host, want := range map[string]bool{"10.77.0.1": true, "10.78.0.1": false, "8.8.8.8": false, "192.168.1.9": false, "127.0.0.1": false} {
		if got := onAttachedPrivateNet(host, nets); got != want {
			t.Errorf("onAttachedPrivateNet(%s) = %v", host, got)
		}
	}
	if !onAttachedPrivateNet("192.168.1.9", append(nets, lan)) {
		t.Error("a private address on an attached network refused")
	}
	for _, args := range [][]string{{"-duration", "11m"}, {"-clients", "99999"}, {"-rooms", "3", "-clients", "6", "-authors", "3"}, {"-spawn", "-inprocess"}} {
		if _, err := parseConfig(args, io.Discard); err == nil {
			t.Errorf("%v accepted", args)
		}
	}
}

// Given two instances, the tool connects its tabs to them in turn and makes its setup and
// check through the first. The two instances here are two HTTP servers over one set of wired
// parts, so they share the rooms as instances over one database would; what is tested is the
// tool's spreading, counted by each server itself: the connections it handed to the WebSocket
// side, and the other requests it answered.
func TestSpreadsTabsOverInstances(t *testing.T) {
	type counts struct{ live, other atomic.Int64 }
	var n [2]counts
	var hs [2]*httptest.Server
	for i := range hs {
		hs[i] = httptest.NewUnstartedServer(nil)
		c := &n[i]
		hs[i].Config.ConnState = func(_ net.Conn, s http.ConnState) {
			if s == http.StateHijacked {
				c.live.Add(1)
			}
		}
	}
	p, err := wire.Build(context.Background(), wire.Config{DB: filepath.Join(t.TempDir(), "load.db"),
		BaseURL: "http://" + hs[0].Listener.Addr().String(), Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	for i := range hs {
		c := &n[i]
		hs[i].Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if !strings.HasSuffix(r.URL.Path, "/live") {
				c.other.Add(1)
			}
			p.Server.ServeHTTP(w, r)
		})
		hs[i].Start()
		defer hs[i].Close()
	}

	var out, errs bytes.Buffer
	args := []string{"-url", hs[0].URL + "," + hs[1].URL + "/", "-rooms", "2", "-clients", "8", "-authors", "2",
		"-duration", "1s", "-idle", "0s", "-keep", "4", "-json"}
	if code := run(context.Background(), args, &out, &errs); code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, out.String(), errs.String())
	}
	var res result
	if err := json.Unmarshal(out.Bytes(), &res); err != nil {
		t.Fatalf("%v: %s", err, out.String())
	}
	if !res.Pass || res.Connected != 8 || res.Check.TabsChecked != 8 || res.OpsCommitted == 0 {
		t.Errorf("not a pass: %s", out.String())
	}
	if want := []string{hs[0].URL, hs[1].URL}; !slices.Equal(res.Servers, want) || !slices.Equal(res.ConnectedPerServer, []int{4, 4}) {
		t.Errorf("servers %v with %v tabs, want %v with 4 each", res.Servers, res.ConnectedPerServer, want)
	}
	var text bytes.Buffer
	if err := res.print(&text, false); err != nil || !strings.Contains(text.String(), "4 tabs to "+hs[1].URL+"\n") {
		t.Errorf("the report does not say where the tabs went: %v\n%s", err, text.String())
	}
	t.Logf("tabs per instance %v; ack p50 %.2f ms p99 %.2f ms; broadcast p50 %.2f ms p99 %.2f ms; %d operations committed",
		res.ConnectedPerServer, res.Ack.P50, res.Ack.P99, res.Broadcast.P50, res.Broadcast.P99, res.OpsCommitted)
	for i := range n {
		if got := n[i].live.Load(); got != 4 {
			t.Errorf("instance %d took %d live connections, want 4", i+1, got)
		}
	}
	if n[0].other.Load() == 0 || n[1].other.Load() != 0 {
		t.Errorf("other requests: %d to the first instance, %d to the second; the setup and check go to the first only",
			n[0].other.Load(), n[1].other.Load())
	}
}

func TestURLList(t *testing.T) {
	c, err := parseConfig([]string{"-url", "http://127.0.0.1:8080, http://127.0.0.1:8081/"}, io.Discard)
	if err != nil || !slices.Equal(c.URLs, []string{"http://127.0.0.1:8080", "http://127.0.0.1:8081"}) {
		t.Errorf("two instances: %v %v", c.URLs, err)
	}
	for _, u := range []string{"http://127.0.0.1:8080,http://example.com:8080", "http://127.0.0.1:8080,", "http://127.0.0.1:8080,http://127.0.0.1:8080/"} {
		if _, err := parseConfig([]string{"-url", u}, io.Discard); err == nil {
			t.Errorf("%s accepted", u)
		}
	}
}

// The CPU of other instances and of the database server is read from the processes named.
func TestCPUWatchFlags(t *testing.T) {
	me, err := user.Current()
	if err != nil {
		t.Skip(err)
	}
	pids, uid, err := cpuWatch(config{OtherPIDs: fmt.Sprint(os.Getpid(), ",", os.Getppid()), DBUser: me.Username})
	if err != nil || len(pids) != 2 || fmt.Sprint(uid) != me.Uid {
		t.Fatalf("cpuWatch = %v, %d, %v", pids, uid, err)
	}
	for _, bad := range []string{"x", "0", "1,,-2"} {
		if _, _, err := cpuWatch(config{OtherPIDs: bad}); err == nil {
			t.Errorf("-other-pids %q accepted", bad)
		}
	}
	if _, _, err := cpuWatch(config{DBUser: "no-such-user-here"}); err == nil {
		t.Error("an unknown -db-user accepted")
	}
	// This process has used some CPU by now, and it is one of its user's.
	for deadline := time.Now().Add(5 * time.Second); procTicks(os.Getpid()) == 0 && time.Now().Before(deadline); {
		for i := 0; i < 1e6; i++ {
			_ = fmt.Sprint(i)
		}
	}
	if own, all := procTicks(os.Getpid()), userTicks(uid); own == 0 || all < own {
		t.Errorf("ticks: this process %d, its user's %d", own, all)
	}
}
