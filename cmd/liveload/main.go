// Command liveload puts a Klasseaftale server under live co-editing load, on this machine only
// (loopback, or a private network attached to it, such as a veth pair into a network namespace
// the tool runs in so that tool and server do not share a socket table), and prints what it
// measured.
//
// It creates one class per room through the HTTP API, joins the parents, starts one agreement
// per class, connects every tab over WebSocket (as a browser would, through internal/liveclient)
// and lets the authors of each room type unique markers such as ⟦1k.2s⟧ at a fixed rate for a
// bounded time, never inside another marker; the other tabs only watch. Once an author holds
// -keep markers it deletes its oldest one in the same operation, so the clause stays under the
// body limit however long the run. After each keystroke an author sends its caret (a presence
// message), as the browser does while someone types (-carets=false leaves them out). It
// reports:
//
//   - ack latency: an operation sent → the arrival of the frame that acknowledges it
//     (p50/p95/p99);
//   - broadcast latency: an operation sent → the arrival of the frame that brings it to each
//     other tab of the room. An operation sent from the buffer carries several keystrokes; both
//     latencies are per operation sent, timed from when it was sent;
//   - keystrokes typed and operations committed per second, errors, dropped connections;
//   - the server's memory per idle connection (see below).
//
// Then it waits until every tab has settled and checks that each tab's text equals the server's
// (GET /api/v1/agreements/{id}) and that every marker is there exactly once, or not at all once
// deleted. It prints PASS or FAIL and exits 1 on FAIL, 2 on a bad flag or a failed setup.
//
// Usage:
//
//	go run ./cmd/liveload -spawn -rooms 1 -clients 60 -authors 60
//	go run ./cmd/liveload -spawn -rooms 50 -clients 2000 -authors 1 -json
//	go run ./cmd/liveload -url http://127.0.0.1:8080 -server-pid 12345 -rooms 2 -clients 40
//	go run ./cmd/liveload -url http://127.0.0.1:8081,http://127.0.0.1:8082 -rooms 2 -clients 40
//	go run ./cmd/liveload -inprocess -rooms 2 -clients 8 -authors 2 -duration 2s
//
// The tool plays hundreds of tabs in one process on the machine the server runs on, so each
// tab is as cheap as it can be while still doing a browser's work: it reads its own socket
// (through a poller on Linux: a few goroutines wait on epoll and read a socket once when it has
// a frame, instead of a goroutine per tab reading twice and waking for each; -poll=false for
// the latter), keeps the OT state of every clause, transforms what it has in flight against every operation
// of its clauses and applies every operation to its own copy (as UTF-16 code units, in place,
// others' operations a few at a time). Only decoding is shared: the same frame sent to every
// tab is split and decoded once (internal/liveclient.OpCache). Lines of presence are read, not
// decoded. The tool collects its garbage at five times its live heap (the server at twice, its
// default), so its own collections pause its tabs less often.
//
// Where the server runs:
//
//   - -url: a server already running on this machine (the default, http://127.0.0.1:8080).
//     Memory: VmRSS of -server-pid, and the Go heap when -pprof names a net/http/pprof base URL.
//     Several instances of one deployment (sharing one PostgreSQL database) are named
//     comma-separated, -url http://127.0.0.1:8081,http://127.0.0.1:8082: the tabs of all rooms,
//     in order, take the instances in turn, so each room has tabs on each of them and every
//     keystroke must cross from one instance to the others; the classes and agreements are
//     made, and the texts checked, through the first. -server-pid and -pprof name the first
//     instance: its memory is divided by the tabs connected to it. The report says how many
//     tabs each instance took.
//   - -spawn: this binary started again as the server, wired as cmd/klasseaftale wires it, on a
//     temporary database, with net/http/pprof on a second loopback port. Memory per connection
//     is the server's own Go heap in use plus goroutine stacks (after a GC), and its VmRSS;
//     -cpuprofile and -heapprofile fetch the server's profiles (-toolprofile profiles the tool). This
//     is the mode to measure with.
//   - -inprocess: the server inside this process. Quick and self-contained (the test uses it),
//     but its memory figure counts the clients' side of each connection too.
//
// Class creation is rate-limited per address (30, then one per 2 minutes). On Linux all of
// 127.0.0.0/8 is loopback, so the tool creates classes from 127.0.0.2, 127.0.0.3, … and moves to
// the next address on 429; against a server not listening on 127.0.0.1 it uses only the default
// address. A class holds at most 400 members, so beyond 399 tabs in a room parents open a
// second tab (the same token, another client id).
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == serveChildArg {
		os.Exit(serveChild(os.Args[2:], os.Stdin, os.Stdout, os.Stderr))
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// run parses the flags, runs the load and reports; it returns the exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	cfg, err := parseConfig(args, stderr)
	if err != nil {
		if err != flag.ErrHelp {
			fmt.Fprintln(stderr, "liveload:", err)
		}
		return 2
	}
	res, err := load(ctx, cfg, stderr)
	if err != nil {
		fmt.Fprintln(stderr, "liveload:", err)
		return 2
	}
	if err := res.print(stdout, cfg.JSON); err != nil {
		fmt.Fprintln(stderr, "liveload:", err)
		return 2
	}
	if !res.Pass {
		return 1
	}
	return 0
}
