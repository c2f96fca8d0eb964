package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/url"
	"strings"
	"time"
)

// Bounds that keep one run of the tool finite.
const (
	maxClients  = 10000
	maxRooms    = 500
	maxRate     = 50.0
	maxDuration = 10 * time.Minute
	maxClauses  = 20
	maxIdle     = time.Minute
)

// config is what one run is told.
type config struct {
	URL         string   // as given: one base URL, or several separated by commas
	URLs        []string // the instances the tabs are spread over, in order; the first also serves the setup
	Rooms       int
	Clients     int // in all, spread over the rooms
	Authors     int // per room
	Rate        float64
	Duration    time.Duration
	Clauses     int
	Keep        int  // markers an author keeps before deleting its oldest; 0: as many as fit
	Carets      bool // authors send their caret after each keystroke, as the browser does
	Thin        bool // authors past the first fullAuthors of a room are thin (see tab.thin)
	Poll        bool // the tabs are read by a poller, not a goroutine each (see liveclient.Poller)
	Grade       int
	Idle        time.Duration // wait after connecting, before reading the memory
	ServerPID   int
	OtherPIDs   string // the other instances' processes, comma-separated, for their CPU
	DBUser      string // the user whose processes are the database server, for its CPU
	PProf       string // base URL of a net/http/pprof handler of the server, e.g. http://127.0.0.1:6060
	Spawn       bool
	SpawnNetns  string // start the server in this network namespace, listening on SpawnAddr
	SpawnAddr   string
	InProcess   bool
	CPUProfile  string
	ToolProfile string
	HeapProfile string
	JSON        bool
	Seed        uint64
}

func parseConfig(args []string, stderr io.Writer) (config, error) {
	var c config
	fs := flag.NewFlagSet("liveload", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.URL, "url", "http://127.0.0.1:8080", "base URL of a running server, on loopback or a private network of this machine (e.g. a veth into a network namespace); several instances of one deployment, comma-separated, share the tabs round-robin (the setup and the check use the first)")
	fs.IntVar(&c.Rooms, "rooms", 1, "rooms: classes, each with one agreement")
	fs.IntVar(&c.Clients, "clients", 10, "connected tabs in all, spread evenly over the rooms")
	fs.IntVar(&c.Authors, "authors", 1, "tabs per room that type; the others watch")
	fs.Float64Var(&c.Rate, "rate", 5, "keystrokes (operations) per second per author")
	fs.DurationVar(&c.Duration, "duration", 20*time.Second, "how long the authors type")
	fs.IntVar(&c.Clauses, "clauses", 1, "clauses per agreement the authors type into (authors are spread over them)")
	fs.IntVar(&c.Keep, "keep", 0, "markers an author keeps before each new one deletes its oldest; 0: as many as fit in the body limit")
	fs.BoolVar(&c.Carets, "carets", true, "authors send their caret (a presence message) after each keystroke, as the browser does when typing")
	fs.BoolVar(&c.Thin, "thin", false, "authors past the first 4 of each room are thin: they build their keystrokes on the text of the room's first watching tab and do not apply the others' (for hundreds of authors in one room, which full clients cannot play on one machine); needs a watching tab per room")
	fs.BoolVar(&c.Poll, "poll", true, "read the tabs' sockets with a few goroutines waiting on epoll (Linux), one read a frame, instead of a goroutine per tab, two reads a frame and a wake-up: the tool then leaves more of the machine to the server")
	fs.IntVar(&c.Grade, "grade", 4, "the classes' grade (chooses the templates)")
	fs.DurationVar(&c.Idle, "idle", 3*time.Second, "quiet time after connecting, before the memory is read")
	fs.IntVar(&c.ServerPID, "server-pid", 0, "process id of the server, to read its VmRSS from /proc")
	fs.StringVar(&c.OtherPIDs, "other-pids", "", "process ids of the other instances (comma-separated), to report their CPU beside the first's")
	fs.StringVar(&c.DBUser, "db-user", "", "the user the database server runs as (e.g. postgres), to report the CPU of all its processes")
	fs.StringVar(&c.PProf, "pprof", "", "base URL of the server's net/http/pprof (…/debug/pprof/ is appended), loopback only")
	fs.BoolVar(&c.Spawn, "spawn", false, "start this binary again as the server (a temporary database) and measure its memory")
	fs.StringVar(&c.SpawnNetns, "spawn-netns", "", "with -spawn: start the server in this network namespace (ip netns exec), so that it and the tool do not share a socket table; needs -spawn-addr")
	fs.StringVar(&c.SpawnAddr, "spawn-addr", "", "with -spawn-netns: the server's address in its namespace, on a private network attached to this machine (e.g. the far end of a veth pair)")
	fs.BoolVar(&c.InProcess, "inprocess", false, "run the server inside this process (memory then includes the clients)")
	fs.StringVar(&c.CPUProfile, "cpuprofile", "", "write the server's CPU profile during the typing to this file (-spawn, -pprof or -inprocess)")
	fs.StringVar(&c.ToolProfile, "toolprofile", "", "write this tool's own CPU profile during the typing to this file (not with -inprocess)")
	fs.StringVar(&c.HeapProfile, "heapprofile", "", "write the server's heap profile once all are connected to this file (-spawn, -pprof or -inprocess)")
	fs.BoolVar(&c.JSON, "json", false, "print the results as JSON")
	fs.Uint64Var(&c.Seed, "seed", 1, "seed of the random positions")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	return c, c.validate()
}

func (c *config) validate() error {
	switch {
	case c.Rooms < 1 || c.Rooms > maxRooms:
		return fmt.Errorf("-rooms must be 1…%d", maxRooms)
	case c.Clients < c.Rooms || c.Clients > maxClients:
		return fmt.Errorf("-clients must be at least -rooms and at most %d", maxClients)
	case c.Authors < 0 || c.Authors > c.Clients/c.Rooms:
		return fmt.Errorf("-authors is per room: 0…%d (the smallest room's tabs)", c.Clients/c.Rooms)
	case c.Rate <= 0 || c.Rate > maxRate:
		return fmt.Errorf("-rate must be in (0, %g]", maxRate)
	case c.Duration <= 0 || c.Duration > maxDuration:
		return fmt.Errorf("-duration must be in (0, %s]", maxDuration)
	case c.Clauses < 1 || c.Clauses > maxClauses:
		return fmt.Errorf("-clauses must be 1…%d", maxClauses)
	case c.Keep < 0:
		return errors.New("-keep must not be negative")
	case c.Thin && c.Authors >= c.Clients/c.Rooms:
		return errors.New("-thin needs a tab that watches in every room (-clients above -rooms × -authors)")
	case c.Grade < 0 || c.Grade > 10:
		return errors.New("-grade must be 0…10")
	case c.Idle < 0 || c.Idle > maxIdle:
		return fmt.Errorf("-idle must be 0…%s", maxIdle)
	case c.Spawn && c.InProcess:
		return errors.New("-spawn and -inprocess exclude each other")
	case c.InProcess && c.ToolProfile != "":
		return errors.New("-toolprofile is for a server in another process")
	case (c.Spawn || c.InProcess) && c.PProf != "":
		return errors.New("-pprof is for a server started separately")
	case (c.SpawnNetns != "" || c.SpawnAddr != "") && (!c.Spawn || c.SpawnNetns == "" || c.SpawnAddr == ""):
		return errors.New("-spawn-netns and -spawn-addr go together, with -spawn")
	case c.SpawnAddr != "" && !onAttachedPrivateNet(c.SpawnAddr, attachedNets()):
		return fmt.Errorf("-spawn-addr %s is not a private address on a network attached to this machine", c.SpawnAddr)
	}
	if c.Spawn || c.InProcess {
		return nil
	}
	urls, err := loopbackURLs(c.URL)
	if err != nil {
		return fmt.Errorf("-url: %w", err)
	}
	c.URL, c.URLs = strings.Join(urls, ","), urls
	if c.PProf != "" {
		if c.PProf, err = loopbackURL(c.PProf); err != nil {
			return fmt.Errorf("-pprof: %w", err)
		}
	}
	return nil
}

// loopbackURLs accepts a comma-separated list of loopback base URLs, each named once.
func loopbackURLs(raw string) ([]string, error) {
	var out []string
	seen := map[string]bool{}
	for _, part := range strings.Split(raw, ",") {
		u, err := loopbackURL(strings.TrimSpace(part))
		if err != nil {
			return nil, err
		}
		if seen[u] {
			return nil, fmt.Errorf("%q is named twice", u)
		}
		seen[u] = true
		out = append(out, u)
	}
	return out, nil
}

// loopbackURL accepts an http URL whose host is a loopback address or localhost, or a private
// address on a network attached to this machine (a veth pair into a network namespace of its
// own, so that tool and server do not share a socket table), and returns it without a
// trailing slash.
func loopbackURL(raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "http" || u.Host == "" || u.User != nil {
		return "", fmt.Errorf("%q is not an http://host:port address", raw)
	}
	if !isLoopback(u.Hostname()) && !onAttachedPrivateNet(u.Hostname(), attachedNets()) {
		return "", fmt.Errorf("%q is not on loopback nor a private network of this machine: the tool only loads this machine", raw)
	}
	return strings.TrimSuffix(u.Scheme+"://"+u.Host+u.Path, "/"), nil
}

// attachedNets lists the networks this machine's interfaces are on.
func attachedNets() []*net.IPNet {
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		return nil
	}
	var nets []*net.IPNet
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok {
			nets = append(nets, n)
		}
	}
	return nets
}

// onAttachedPrivateNet reports whether host is a private address inside one of nets (reached
// without a router).
func onAttachedPrivateNet(host string, nets []*net.IPNet) bool {
	ip := net.ParseIP(host)
	if ip == nil || !ip.IsPrivate() {
		return false
	}
	for _, n := range nets {
		if !n.IP.IsLoopback() && n.Contains(ip) {
			return true
		}
	}
	return false
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
