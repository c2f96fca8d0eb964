package server

import (
	"sync"
	"time"
)

// limiter is a token bucket per key (a client address): burst tries at once, then one every
// interval. Idle buckets are swept so the map stays small.
type limiter struct {
	mu       sync.Mutex
	burst    float64
	interval time.Duration
	buckets  map[string]*bucket
	swept    time.Time
}

type bucket struct {
	tokens float64
	last   time.Time
}

func newLimiter(burst int, interval time.Duration) *limiter {
	return &limiter{burst: float64(burst), interval: interval, buckets: map[string]*bucket{}}
}

// allow takes one token for key, reporting false when none is left.
func (l *limiter) allow(key string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.sweep(now)
	b, ok := l.buckets[key]
	if !ok {
		b = &bucket{tokens: l.burst, last: now}
		l.buckets[key] = b
	}
	b.tokens = min(l.burst, b.tokens+float64(now.Sub(b.last))/float64(l.interval))
	b.last = now
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

// ok reports whether key has a token left, without taking one.
func (l *limiter) ok(key string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	b, found := l.buckets[key]
	if !found {
		return true
	}
	return min(l.burst, b.tokens+float64(now.Sub(b.last))/float64(l.interval)) >= 1
}

func (l *limiter) sweep(now time.Time) {
	full := time.Duration(l.burst) * l.interval
	if now.Sub(l.swept) < full {
		return
	}
	l.swept = now
	for k, b := range l.buckets {
		if now.Sub(b.last) > full {
			delete(l.buckets, k)
		}
	}
}

// limiters are the server's rate limits. Joining is limited by wrong codes only: a whole class
// meeting shares one school address and must all be able to join within minutes (some
// mistyping), while a guesser fails almost every time. With 21^8 codes, 720 guesses an hour
// from an address find a given class once in millions of years.
type limiters struct {
	joinFail *limiter // wrong codes per address
	create   *limiter // new classes and schools per address
}

func newLimiters() *limiters {
	return &limiters{
		joinFail: newLimiter(60, 5*time.Second),
		create:   newLimiter(30, 2*time.Minute),
	}
}
