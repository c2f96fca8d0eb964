package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
)

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
