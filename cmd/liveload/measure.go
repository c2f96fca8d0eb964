package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"math"
	"net/http"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// histogram counts durations in buckets 1 % wide, from 1 µs to about 2 minutes, without locks:
// the hooks of thousands of tabs record into it at once. Percentiles are read as the upper edge
// of their bucket, so they are at most 1 % high.
type histogram struct {
	buckets [nBuckets]atomic.Uint64
	n       atomic.Uint64
	sum     atomic.Int64
	max     atomic.Int64
}

const (
	nBuckets = 1900
	growth   = 1.01
)

var logGrowth = math.Log(growth)

func (h *histogram) record(d time.Duration) {
	d = max(d, 0)
	h.buckets[bucket(d)].Add(1)
	h.n.Add(1)
	h.sum.Add(int64(d))
	h.raise(int64(d))
}

func (h *histogram) raise(d int64) {
	for {
		m := h.max.Load()
		if d <= m || h.max.CompareAndSwap(m, d) {
			return
		}
	}
}

// bucket returns the bucket of a duration.
func bucket(d time.Duration) int {
	if us := float64(d) / float64(time.Microsecond); us > 1 {
		return min(int(math.Log(us)/logGrowth), nBuckets-1)
	}
	return 0
}

// tally is one tab's share of a histogram. A tab's hooks run one at a time, so a tally
// needs no atomics: hundreds of tabs recording every operation into one shared histogram
// spent much of the tool's time on contended counters. Tallies are merged at the end.
type tally struct {
	mu      sync.Mutex // uncontended: for merging while a late frame may still arrive
	buckets []uint32   // nil until the first sample
	n       uint64
	sum     int64
	max     int64
}

func (t *tally) record(d time.Duration) {
	d = max(d, 0)
	t.mu.Lock()
	if t.buckets == nil {
		t.buckets = make([]uint32, nBuckets)
	}
	t.buckets[bucket(d)]++
	t.n++
	t.sum += int64(d)
	t.max = max(t.max, int64(d))
	t.mu.Unlock()
}

// merge adds a tally into the histogram and empties it.
func (h *histogram) merge(t *tally) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for i, n := range t.buckets {
		if n > 0 {
			h.buckets[i].Add(uint64(n))
		}
	}
	h.n.Add(t.n)
	h.sum.Add(t.sum)
	h.raise(t.max)
	t.buckets, t.n, t.sum, t.max = nil, 0, 0, 0
}

// quantile returns the duration below which a fraction q of the samples fall.
func (h *histogram) quantile(q float64) time.Duration {
	n := h.n.Load()
	if n == 0 {
		return 0
	}
	rank := uint64(math.Ceil(q * float64(n)))
	var seen uint64
	for i := range h.buckets {
		seen += h.buckets[i].Load()
		if seen >= rank {
			upper := time.Duration(float64(time.Microsecond) * math.Pow(growth, float64(i+1)))
			return min(upper, time.Duration(h.max.Load()))
		}
	}
	return time.Duration(h.max.Load())
}

// latency is a histogram's summary, in milliseconds.
type latency struct {
	N    uint64  `json:"n"`
	Mean float64 `json:"mean_ms"`
	P50  float64 `json:"p50_ms"`
	P95  float64 `json:"p95_ms"`
	P99  float64 `json:"p99_ms"`
	Max  float64 `json:"max_ms"`
}

func ms(d time.Duration) float64 { return math.Round(float64(d)/1e3) / 1e3 }

func (h *histogram) summary() latency {
	l := latency{N: h.n.Load(), P50: ms(h.quantile(.5)), P95: ms(h.quantile(.95)), P99: ms(h.quantile(.99)),
		Max: ms(time.Duration(h.max.Load()))}
	if l.N > 0 {
		l.Mean = ms(time.Duration(h.sum.Load() / int64(l.N)))
	}
	return l
}

// memSample is the server's memory at one moment.
type memSample struct {
	HeapInuse  uint64 // Go heap spans in use, after a GC; 0: unknown
	HeapAlloc  uint64 // live heap objects, after a GC
	StackInuse uint64 // goroutine stacks
	RSS        uint64 // resident set (VmRSS); 0: unknown
	Goroutines int
}

// readMemory reads the server's memory: through the runtime when it runs in this process,
// through net/http/pprof (heap?gc=1&debug=1 prints runtime.MemStats after a GC) when it has
// one, and its VmRSS when its process is known. Heap figures are taken after two collections;
// the RSS of a server in this process or spawned by it after it has returned freed memory.
func readMemory(ctx context.Context, t *target) (memSample, error) {
	var m memSample
	switch {
	case t.Self:
		runtime.GC() // twice: what sync.Pools held survives one collection
		debug.FreeOSMemory()
		var s runtime.MemStats
		runtime.ReadMemStats(&s)
		m.HeapInuse, m.HeapAlloc, m.StackInuse = s.HeapInuse, s.HeapAlloc, s.StackInuse
		m.Goroutines = runtime.NumGoroutine()
	case t.PProf != "":
		get(ctx, t.PProf+freeMemoryPath) // a spawned server only; others answer 404
		if err := readPProfMem(ctx, t.PProf, &m); err != nil {
			return m, err
		}
	}
	if t.PID > 0 {
		rss, err := vmRSS(t.PID)
		if err != nil && m.HeapInuse == 0 {
			return m, err
		}
		m.RSS = rss
	}
	return m, nil
}

func readPProfMem(ctx context.Context, base string, m *memSample) error {
	// Collect twice: what sync.Pools held survives one collection.
	if _, err := get(ctx, base+"/debug/pprof/heap?gc=1"); err != nil {
		return err
	}
	body, err := get(ctx, base+"/debug/pprof/heap?gc=1&debug=1")
	if err != nil {
		return err
	}
	for line := range strings.Lines(body) {
		k, v, ok := strings.Cut(strings.TrimPrefix(strings.TrimSpace(line), "# "), " = ")
		if !ok {
			continue
		}
		first, _, _ := strings.Cut(v, " ")
		n, _ := strconv.ParseUint(first, 10, 64)
		switch k {
		case "HeapInuse":
			m.HeapInuse = n
		case "HeapAlloc":
			m.HeapAlloc = n
		case "Stack":
			m.StackInuse = n
		}
	}
	if m.HeapInuse == 0 {
		return fmt.Errorf("%s: no MemStats in the heap profile", base)
	}
	g, err := get(ctx, base+"/debug/pprof/goroutine?debug=1")
	if err == nil {
		fmt.Sscanf(g, "goroutine profile: total %d", &m.Goroutines)
	}
	return nil
}

func get(ctx context.Context, u string) (string, error) {
	req, err := http.NewRequestWithContext(ctx, "GET", u, nil)
	if err != nil {
		return "", err
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(io.LimitReader(res.Body, 64<<20))
	if err == nil && res.StatusCode != http.StatusOK {
		err = fmt.Errorf("GET %s: %s", u, res.Status)
	}
	return string(b), err
}

// vmRSS reads the resident set of a process from /proc (Linux).
func vmRSS(pid int) (uint64, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if v, ok := strings.CutPrefix(s.Text(), "VmRSS:"); ok {
			kb, err := strconv.ParseUint(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10, err
		}
	}
	return 0, fmt.Errorf("no VmRSS for process %d", pid)
}

// memPerConn is the memory per connection between two samples, in bytes.
type memPerConn struct {
	Source        string  `json:"source"`
	Connections   int     `json:"connections"`
	HeapStackPer  float64 `json:"heap_plus_stack_bytes_per_conn,omitempty"`
	HeapAllocPer  float64 `json:"heap_alloc_bytes_per_conn,omitempty"`
	StackPer      float64 `json:"stack_bytes_per_conn,omitempty"`
	RSSPer        float64 `json:"rss_bytes_per_conn,omitempty"`
	GoroutinesPer float64 `json:"goroutines_per_conn,omitempty"`
	Before        uint64  `json:"heap_plus_stack_before,omitempty"`
	After         uint64  `json:"heap_plus_stack_after,omitempty"`
	RSSBefore     uint64  `json:"rss_before,omitempty"`
	RSSAfter      uint64  `json:"rss_after,omitempty"`
}

func perConn(t *target, before, after memSample, n int) *memPerConn {
	if n == 0 || (after.HeapInuse == 0 && after.RSS == 0) {
		return nil
	}
	p := &memPerConn{Connections: n, RSSBefore: before.RSS, RSSAfter: after.RSS}
	switch {
	case t.Self:
		p.Source = "this process (server and clients): runtime.MemStats after GC"
	case after.HeapInuse > 0:
		p.Source = "server process: runtime.MemStats via pprof after GC"
	default:
		p.Source = "server process: VmRSS only"
	}
	diff := func(a, b uint64) float64 { return (float64(a) - float64(b)) / float64(n) }
	if after.HeapInuse > 0 {
		p.Before, p.After = before.HeapInuse+before.StackInuse, after.HeapInuse+after.StackInuse
		p.HeapStackPer = diff(p.After, p.Before)
		p.HeapAllocPer = diff(after.HeapAlloc, before.HeapAlloc)
		p.StackPer = diff(after.StackInuse, before.StackInuse)
		p.GoroutinesPer = float64(after.Goroutines-before.Goroutines) / float64(n)
	}
	if after.RSS > 0 {
		p.RSSPer = diff(after.RSS, before.RSS)
	}
	return p
}
