package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"
	"time"

	"klasseaftale/internal/fdlimit"
	"klasseaftale/internal/wire"
	"klasseaftale/server/live"
)

// serveChildArg, as the first argument, makes the binary the server of a -spawn run.
const serveChildArg = "-serve-child"

// freeMemoryPath, on the spawned server's debug port, returns the memory it has freed to the
// system, so that its RSS before and after connecting compare like with like (a fresh server
// still holds what starting it needed for a while).
const freeMemoryPath = "/debug/liveload/free-os-memory"

// target is the server under load: where it is, how to read its memory, and how to stop it
// when the tool started it.
type target struct {
	URL     string   // where the setup and the check are made
	URLs    []string // where the tabs connect, round-robin; URL is the first
	PProf   string   // base URL of its net/http/pprof, or ""
	PID     int      // its process, for VmRSS; 0: unknown
	Others  []int    // the other instances' processes, for their CPU
	DBUID   int      // the database server's user, for its CPU, when WatchDB
	WatchDB bool
	Self    bool // it runs in this process
	Hub     *live.Hub
	stop    func()
	tempDir string
}

func (t *target) Close() {
	if t.stop != nil {
		t.stop()
	}
	if t.tempDir != "" {
		os.RemoveAll(t.tempDir)
	}
}

// startTarget finds or starts the server the configuration names.
func startTarget(ctx context.Context, cfg config, logw io.Writer) (*target, error) {
	if !cfg.Spawn && !cfg.InProcess {
		others, dbUID, err := cpuWatch(cfg)
		if err != nil {
			return nil, err
		}
		return &target{URL: cfg.URLs[0], URLs: cfg.URLs, PProf: cfg.PProf, PID: cfg.ServerPID, Others: others, DBUID: dbUID, WatchDB: dbUID >= 0}, nil
	}
	dir, err := os.MkdirTemp("", "liveload-")
	if err != nil {
		return nil, err
	}
	db := filepath.Join(dir, "load.db")
	var t *target
	if cfg.InProcess {
		t, err = startInProcess(ctx, db, "127.0.0.1", logw)
		if t != nil {
			t.PID = os.Getpid()
		}
	} else {
		t, err = spawn(ctx, db, cfg.SpawnNetns, cfg.SpawnAddr, logw)
	}
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	t.tempDir = dir
	t.URLs = []string{t.URL}
	return t, nil
}

// startInProcess serves the product from this process, wired as cmd/klasseaftale wires it, on
// a port of its own at host (loopback, unless the server runs in a network namespace).
func startInProcess(ctx context.Context, db, host string, logw io.Writer) (*target, error) {
	log := slog.New(slog.NewTextHandler(logw, &slog.HandlerOptions{Level: slog.LevelWarn}))
	ln, err := net.Listen("tcp", net.JoinHostPort(host, "0"))
	if err != nil {
		return nil, err
	}
	base := "http://" + ln.Addr().String()
	// Every tab of the tool comes from this machine's loopback: the cap per client address,
	// which guards a real server from one network, would stop the run.
	lc := live.DefaultConfig()
	lc.MaxPerAddress = 1 << 30
	if fds, err := fdlimit.Raise(); err == nil {
		lc.MaxConnections = live.ConnectionsFor(fds)
	}
	p, err := wire.Build(ctx, wire.Config{DB: db, BaseURL: base, Logger: log, Live: &lc})
	if err != nil {
		ln.Close()
		return nil, err
	}
	hs := &http.Server{Handler: p.Server, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 120 * time.Second}
	go hs.Serve(ln)
	tickCtx, stopTick := context.WithCancel(context.Background())
	go p.Service.RunTicks(tickCtx, time.Minute, func(err error) { log.Error("scheduled work", "err", err) })
	stop := func() {
		stopTick()
		p.Hub.Close()
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		hs.Shutdown(sctx)
		p.Store.Close()
	}
	return &target{URL: base, Self: true, Hub: p.Hub, stop: stop}, nil
}

// spawn starts this binary again as the server, in the network namespace netns listening on
// host when netns is given. The child serves until its standard input closes, so it ends with
// the tool however the tool ends.
func spawn(ctx context.Context, db, netns, host string, logw io.Writer) (*target, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(exe, serveChildArg, db)
	if netns != "" {
		// ip execs the program once in the namespace: the child's process is the server's.
		cmd = exec.Command("ip", "netns", "exec", netns, exe, serveChildArg, db, host)
	}
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	cmd.Stderr = logw
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	stop := func() {
		stdin.Close()
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(15 * time.Second):
			cmd.Process.Kill()
			<-done
		}
	}
	line := make(chan string, 1)
	go func() {
		s := bufio.NewScanner(stdout)
		if s.Scan() {
			line <- s.Text()
		}
		close(line)
		io.Copy(io.Discard, stdout)
	}()
	select {
	case l := <-line:
		f := strings.Fields(l)
		if len(f) != 3 || f[0] != "listening" {
			stop()
			return nil, fmt.Errorf("spawned server said %q", l)
		}
		return &target{URL: f[1], PProf: f[2], PID: cmd.Process.Pid, stop: stop}, nil
	case <-time.After(30 * time.Second):
	case <-ctx.Done():
	}
	stop()
	return nil, errors.New("spawned server did not start")
}

// serveChild is the server of a -spawn run: the product on one loopback port, net/http/pprof on
// another. It prints "listening <url> <pprof url>" and serves until standard input closes.
func serveChild(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) != 1 && len(args) != 2 {
		fmt.Fprintln(stderr, "liveload: "+serveChildArg+" takes the database file, and the address to listen on")
		return 2
	}
	host := "127.0.0.1"
	if len(args) == 2 {
		host = args[1]
	}
	ctx := context.Background()
	t, err := startInProcess(ctx, args[0], host, stderr)
	if err != nil {
		fmt.Fprintln(stderr, "liveload: serve:", err)
		return 1
	}
	defer t.Close()
	ln, err := net.Listen("tcp", net.JoinHostPort(host, "0"))
	if err != nil {
		fmt.Fprintln(stderr, "liveload: serve:", err)
		return 1
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc(freeMemoryPath, func(w http.ResponseWriter, _ *http.Request) { debug.FreeOSMemory() })
	go http.Serve(ln, mux)
	fmt.Fprintf(stdout, "listening %s http://%s\n", t.URL, ln.Addr())
	io.Copy(io.Discard, stdin)
	return 0
}
