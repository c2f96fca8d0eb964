package main

import (
	"math"
	"sync"
	"sync/atomic"
	"time"
)

// histogram counts durations in buckets 1 % wide, from 1 µs to about 2 minutes, without locks:
// the acks of thousands of tabs record into it at once (their receipts of others' operations,
// far more, go through a tally per tab). Percentiles are read as the upper edge
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
