package main

import (
	"context"
	"fmt"
	"io"
	"math"
	"runtime/debug"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"klasseaftale/agreements"
	"klasseaftale/internal/liveclient"
)

// markerBudget is about how many code units of markers a clause holds when -keep is 0: with
// the template's text, a clause of about 2,000 code units (as in the benchmarks), so that the
// tabs the tool plays, which apply every operation to their copy, stay cheap.
const markerBudget = 2000

// toolGCPercent is the tool's GOGC while it runs against a server in another process.
const toolGCPercent = 400

// runner is one run: the server, the rooms and what was measured.
type runner struct {
	cfg    config
	target *target
	api    *api
	rooms  []*room
	keep   int
	maxSeq int
	laid   int       // tabs laid out so far, which spreads them over the instances
	start  time.Time // the clock of sent and received times
	cache  *liveclient.OpCache
	poll   *liveclient.Poller // reads the tabs' sockets; nil: a goroutine per tab

	ack, bcast histogram
	typed      atomic.Int64 // keystrokes
	sent       atomic.Int64 // operations sent
	committed  atomic.Int64 // operations acknowledged
	skipped    atomic.Int64 // keystrokes skipped because the author was late
	unmatched  atomic.Int64 // receipts or acks whose send time is unknown
	dropped    atomic.Int64
	lastAck    atomic.Int64
	stopping   chan struct{}

	errMu      sync.Mutex
	errors     int
	errSamples []string
}

func (r *runner) now() int64 { return int64(time.Since(r.start)) }

// fault counts an error: one the server sent, or a fault of a client.
func (r *runner) fault(err error) {
	r.errMu.Lock()
	defer r.errMu.Unlock()
	r.errors++
	if len(r.errSamples) < 10 {
		r.errSamples = append(r.errSamples, err.Error())
	}
}

// load runs the whole of one configuration and returns its result; an error means the run
// could not be made at all.
func load(ctx context.Context, cfg config, logw io.Writer) (*result, error) {
	ctx, cancel := context.WithTimeout(ctx, cfg.Duration+20*time.Minute)
	defer cancel()
	fds := cfg.Clients + 256
	if cfg.InProcess {
		fds += cfg.Clients // both ends of each connection
	}
	if err := raiseFileLimit(fds); err != nil {
		return nil, err
	}
	t, err := startTarget(ctx, cfg, logw)
	if err != nil {
		return nil, err
	}
	defer t.Close()
	r := &runner{cfg: cfg, target: t, api: newAPI(t.URL), start: time.Now(), stopping: make(chan struct{}),
		cache: liveclient.NewOpCache()}
	res := &result{Config: cfg, Server: t.URL}
	defer r.prepareTool(res, logw)() // undone after the tabs are closed (deferred below)
	if len(t.URLs) > 1 {
		res.Servers, res.ConnectedPerServer = t.URLs, make([]int, len(t.URLs))
	}

	tabs := spread(cfg.Clients, cfg.Rooms)
	began := time.Now()
	setups, err := setupRooms(ctx, r.api, cfg, tabs)
	if err != nil {
		return nil, fmt.Errorf("setup: %w", err)
	}
	res.SetupSeconds = time.Since(began).Seconds()
	r.maxSeq = int(math.Ceil(cfg.Rate*cfg.Duration.Seconds())) + 16
	if r.keep, err = keepFor(cfg, setups, r.maxSeq); err != nil {
		return nil, err
	}
	res.Keep = r.keep
	for i, s := range setups {
		rm := &room{setup: s}
		r.newTabs(rm, tabs[i], i*cfg.Authors)
		r.rooms = append(r.rooms, rm)
	}

	prof := &profiler{t: t, cpu: cfg.CPUProfile, heap: cfg.HeapProfile, tool: cfg.ToolProfile}
	defer r.closeAll()
	if err := r.connectAndMeasure(ctx, res, prof); err != nil {
		return nil, err
	}
	typingStart, err := r.typeAndMeasure(ctx, res, prof)
	if err != nil {
		return nil, err
	}

	r.settle(ctx, time.Minute+cfg.Duration, &res.Check)
	res.Check.SettleSeconds = math.Round(res.Check.SettleSeconds*1000) / 1000
	close(r.stopping)
	r.check(ctx, &res.Check)
	r.figures(res, typingStart)
	return res, nil
}

// prepareTool sets how the tool reads its tabs (a poller, with -poll, where there is one) and
// collects its garbage during the run; the function it returns undoes both, once the tabs are
// closed.
func (r *runner) prepareTool(res *result, logw io.Writer) (undo func()) {
	restoreGC := func() {}
	if !r.cfg.InProcess {
		// The tool's own collections pause its tabs' reading, which would count as the server's
		// latency: with 10,000 tabs it holds 400 MB (every tab's copy of the text) and would
		// collect it every 20 s or so. Collecting at five times the live heap, not twice, takes
		// memory the machine has.
		old := debug.SetGCPercent(toolGCPercent)
		restoreGC = func() { debug.SetGCPercent(old) }
	}
	if r.cfg.Poll {
		p, err := liveclient.NewPoller()
		if err != nil {
			fmt.Fprintf(logw, "liveload: %v: a goroutine reads each tab\n", err)
		} else {
			r.poll, res.Polled = p, true
		}
	}
	return func() {
		if r.poll != nil {
			r.poll.Close()
		}
		restoreGC()
	}
}

// figures fills in the counts and latencies.
func (r *runner) figures(res *result, typingStart int64) {
	res.Authors = 0
	for _, rm := range r.rooms {
		res.Authors += len(rm.authors)
	}
	res.Keystrokes = r.typed.Load()
	res.Skipped = r.skipped.Load()
	res.OpsSent = r.sent.Load()
	res.OpsCommitted = r.committed.Load()
	if res.TypingSeconds > 0 {
		res.KeystrokesPerSec = round1(float64(res.Keystrokes) / res.TypingSeconds)
	}
	if span := time.Duration(r.lastAck.Load() - typingStart).Seconds(); span > 0 {
		res.CommittedPerSec = round1(float64(res.OpsCommitted) / span)
	}
	res.TargetPerSec = round1(float64(res.Authors) * r.cfg.Rate)
	for _, rm := range r.rooms {
		for _, t := range rm.tabs {
			r.bcast.merge(&t.bcast)
		}
	}
	res.Ack, res.Broadcast = r.ack.summary(), r.bcast.summary()
	res.Unmatched = r.unmatched.Load()
	res.Dropped = r.dropped.Load()
	r.errMu.Lock()
	res.Errors, res.ErrorSamples = r.errors, r.errSamples
	r.errMu.Unlock()
	res.Pass = res.Check.ok() && res.Errors == 0 && res.Unmatched == 0 && res.Connected == r.cfg.Clients
}

func (r *runner) closeAll() {
	select {
	case <-r.stopping:
	default:
		close(r.stopping)
	}
	for _, rm := range r.rooms {
		for _, t := range rm.tabs {
			t.mu.Lock()
			t.c.Close()
			t.mu.Unlock()
		}
	}
}

// spread divides n tabs over k rooms as evenly as can be.
func spread(n, k int) []int {
	out := make([]int, k)
	for i := range out {
		out[i] = n / k
		if i < n%k {
			out[i]++
		}
	}
	return out
}

// keepFor chooses how many markers an author keeps before deleting its oldest, so that a
// clause stays within the body limit however long the run.
func keepFor(cfg config, rooms []*roomSetup, maxTyped int) (int, error) {
	if cfg.Authors == 0 {
		return 0, nil
	}
	perClause := (cfg.Authors + cfg.Clauses - 1) / cfg.Clauses
	markerLen := 3 + len(strconv.FormatInt(int64(cfg.Rooms*cfg.Authors), 36)) + len(strconv.FormatInt(int64(maxTyped), 36))
	initial := 0
	for _, r := range rooms {
		initial = max(initial, r.InitialLen)
	}
	keep := cfg.Keep
	if keep == 0 {
		keep = max(1, markerBudget/(perClause*markerLen))
	}
	if need := initial + perClause*keep*markerLen; need > agreements.MaxBodyLen {
		return 0, fmt.Errorf("%d authors per clause keeping %d markers of up to %d code units need %d code units, more than a clause holds (%d): lower -keep or raise -clauses",
			perClause, keep, markerLen, need, agreements.MaxBodyLen)
	}
	return keep, nil
}

func sleep(ctx context.Context, d time.Duration) {
	select {
	case <-time.After(d):
	case <-ctx.Done():
	}
}

func round1(x float64) float64 { return math.Round(x*10) / 10 }

// connectAndMeasure connects every tab, lets them idle and reads the server's memory per
// connection (and its heap profile when asked).
func (r *runner) connectAndMeasure(ctx context.Context, res *result, prof *profiler) error {
	t := r.target
	before, memErr := readMemory(ctx, t)
	began := time.Now()
	r.connectAll(ctx)
	res.ConnectSeconds = time.Since(began).Seconds()
	first := 0 // connected to the first instance, whose memory is read
	for _, rm := range r.rooms {
		for _, tb := range rm.tabs {
			if !tb.dead.Load() {
				res.Connected++
				if res.ConnectedPerServer != nil {
					res.ConnectedPerServer[tb.server]++
				}
				if tb.server == 0 {
					first++
				}
				go r.watch(ctx, tb)
			}
		}
	}
	sleep(ctx, r.cfg.Idle)
	if memErr == nil {
		var after memSample
		if after, memErr = readMemory(ctx, t); memErr == nil {
			res.Memory = perConn(t, before, after, first)
		}
	}
	if memErr != nil {
		res.MemoryError = memErr.Error()
	}
	return prof.writeHeap(ctx)
}

// typeAndMeasure has the authors type for the configured time, reading the CPU used (and a CPU
// profile when asked); it returns when the typing began.
func (r *runner) typeAndMeasure(ctx context.Context, res *result, prof *profiler) (int64, error) {
	if err := prof.startCPU(ctx, r.cfg.Duration); err != nil {
		return 0, err
	}
	typingStart := r.now()
	cpu0, cpuOK := readCPU(r.target)
	stopTool, err := prof.startTool()
	if err != nil {
		return 0, err
	}
	r.typeAll(ctx, r.cfg.Duration)
	if err := stopTool(); err != nil {
		return 0, err
	}
	if cpu1, ok := readCPU(r.target); ok && cpuOK {
		res.CPU = cpuBetween(cpu0, cpu1, r.target)
	}
	res.TypingSeconds = time.Duration(r.now() - typingStart).Seconds()
	return typingStart, prof.finishCPU()
}
