package server

import (
	"net/netip"
	"strconv"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
	"golang.org/x/time/rate"

	"klasseaftale/agreements"
)

// Limits are the figures of the server's rate limits; docs/api.md states them (a test checks
// that it says what DefaultLimits says).
type Limits struct {
	// Wrong guesses of a secret — join codes, organiser codes, municipality codes, key links —
	// per client address: GuessBurst at once, then one every GuessEvery.
	GuessBurst int
	GuessEvery time.Duration
	// Wrong guesses from all addresses together: ServerGuessBurst at once, then
	// ServerGuessRate a second. It bounds a guesser with many addresses.
	ServerGuessBurst int
	ServerGuessRate  float64
	// Things created per client address and hour.
	ClassesPerHour, SchoolsPerHour, MunicipalitiesPerHour int
	// Facilitator links replaced per client address and hour.
	KeysPerHour int
}

// DefaultLimits are the production figures. A school's whole parents' meeting shares one
// address and types its code right almost always, so only wrong guesses count; with 21^8 codes
// and two per class, a guesser at the server-wide rate needs about 20 years on average to find
// one given class (docs/api.md).
func DefaultLimits() Limits {
	return Limits{GuessBurst: 20, GuessEvery: 30 * time.Second, ServerGuessBurst: 1200, ServerGuessRate: 20,
		ClassesPerHour: 30, SchoolsPerHour: 10, MunicipalitiesPerHour: 5, KeysPerHour: 10}
}

// limiter is a token bucket per key (a client address), idle buckets swept so the map stays
// small.
type limiter struct {
	mu      sync.Mutex
	every   rate.Limit
	burst   int
	buckets map[string]*rate.Limiter
	swept   time.Time
	latest  time.Time // the latest time asked about
}

func newLimiter(burst int, every rate.Limit) *limiter {
	return &limiter{burst: burst, every: every, buckets: map[string]*rate.Limiter{}}
}

func perHour(n int) *limiter { return newLimiter(n, rate.Limit(float64(n)/3600)) }

// allow takes one token for key, reporting false when none is left.
func (l *limiter) allow(key string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	now = l.monotonic(now)
	l.sweep(now)
	b, ok := l.buckets[key]
	if !ok {
		b = rate.NewLimiter(l.every, l.burst)
		l.buckets[key] = b
	}
	return b.AllowN(now, 1)
}

// ok reports whether key has a token left, without taking one.
func (l *limiter) ok(key string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	now = l.monotonic(now)
	b, found := l.buckets[key]
	return !found || b.TokensAt(now) >= 1
}

// monotonic never lets the time go back. Requests take their time before a lookup and reach the
// bucket after it, in any order; a bucket asked about an earlier time and then a later one again
// would refill the interval twice, and many guessers at once would get far more than the budget.
func (l *limiter) monotonic(now time.Time) time.Time {
	if now.Before(l.latest) {
		return l.latest
	}
	l.latest = now
	return now
}

// sweep forgets the buckets that have filled up again: they are as good as new.
func (l *limiter) sweep(now time.Time) {
	if now.Sub(l.swept) < time.Minute {
		return
	}
	l.swept = now
	for k, b := range l.buckets {
		if b.TokensAt(now) >= float64(l.burst) {
			delete(l.buckets, k)
		}
	}
}

// limiters are the server's rate limits.
type limiters struct {
	cfg            Limits
	guessAddr      *limiter // wrong secrets per address
	guessAll       *limiter // wrong secrets from everyone, one key
	classes        *limiter // per address
	schools        *limiter
	municipalities *limiter
	keys           *limiter
}

func newLimiters(cfg Limits) *limiters {
	return &limiters{
		cfg:            cfg,
		guessAddr:      newLimiter(cfg.GuessBurst, rate.Every(cfg.GuessEvery)),
		guessAll:       newLimiter(cfg.ServerGuessBurst, rate.Limit(cfg.ServerGuessRate)),
		classes:        perHour(cfg.ClassesPerHour),
		schools:        perHour(cfg.SchoolsPerHour),
		municipalities: perHour(cfg.MunicipalitiesPerHour),
		keys:           perHour(cfg.KeysPerHour),
	}
}

// wrongSecret lists the errors that say a guessed secret was wrong.
var wrongSecret = map[string]bool{
	agreements.ErrCodeUnknown.Code:      true,
	agreements.ErrOrganiserUnknown.Code: true,
	agreements.ErrMunicipalityCode.Code: true,
	agreements.ErrAuthRequired.Code:     true, // a key link that opens nothing
}

// guarded runs a lookup of a secret a person typed or a link carries. An address (or the whole
// server) that has used up its wrong guesses is refused before the lookup, so a guesser learns
// nothing more; a wrong guess is counted. When none was left to count (requests racing past
// the first check), the answer is "too many" rather than the wrong guess, so the count stays
// exact. Right secrets are never held back while guesses are left.
func (s *Server) guarded(c echo.Context, lookup func() error) error {
	addr, now := addrKey(c.RealIP()), s.now()
	l := s.limits
	if !l.guessAddr.ok(addr, now) || !l.guessAll.ok("", now) {
		return s.tooMany(c, l.cfg.GuessEvery)
	}
	err := lookup()
	if err != nil && wrongSecret[agreements.ErrorCode(err)] {
		s.cfg.Metrics.Refused("wrong_secret") // not a refusal yet, but what the limit counts
		if !l.guessAddr.allow(addr, now) || !l.guessAll.allow("", now) {
			return s.tooMany(c, l.cfg.GuessEvery)
		}
	}
	return err
}

// create checks an address's budget for creating a thing, refusing with the thing's error.
func (s *Server) create(c echo.Context, l *limiter, refusal *agreements.Error) error {
	if !l.allow(addrKey(c.RealIP()), s.now()) {
		s.cfg.Metrics.Refused(refusal.Code)
		c.Response().Header().Set("Retry-After", "600")
		return refusal
	}
	return nil
}

func (s *Server) tooMany(c echo.Context, wait time.Duration) error {
	s.cfg.Metrics.Refused("guesses")
	c.Response().Header().Set("Retry-After", strconv.Itoa(int(wait.Seconds())))
	return errTooMany
}

// addrKey is how a client address counts for the limits: an IPv4 address as it is, an IPv6
// address by its /64, which one home or one phone usually holds whole.
func addrKey(ip string) string {
	a, err := netip.ParseAddr(ip)
	if err != nil {
		return ip
	}
	if a.Is4() || a.Is4In6() {
		return a.Unmap().String()
	}
	p, _ := a.Prefix(64)
	return p.String()
}
