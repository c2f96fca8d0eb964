package live

import (
	"time"

	"golang.org/x/time/rate"
)

// budget bounds what one connection may send, in messages and in bytes. A person typing fast
// sends an operation and a caret a keystroke at most (the browser keeps one operation in flight
// per clause and folds the rest into it), a few kilobytes a second; a paste is one operation.
// So the rates, with bursts for a paste or a reconnect's catching up, are far above any person
// and far below what a script can send — every message is broadcast to the whole room, and an
// operation's text is kept in the log. Past them, messages are dropped with one error, and a
// connection that goes on sending well above them (its refusals outrun a sixth of the message
// rate beyond half the burst) is closed with websocket.ClosePolicyViolation (1008).
type budget struct {
	msgs    *rate.Limiter
	bytes   *rate.Limiter
	strikes *rate.Limiter
	told    bool // an error was sent for the refusals since the last message that passed
}

func newBudget(cfg Config) *budget {
	return &budget{
		msgs:    rate.NewLimiter(rate.Limit(cfg.MessageRate), cfg.MessageBurst),
		bytes:   rate.NewLimiter(rate.Limit(cfg.ByteRate), int(cfg.ReadLimit)),
		strikes: rate.NewLimiter(rate.Limit(cfg.MessageRate/6), cfg.MessageBurst/2),
	}
}

// verdict is what becomes of one message.
type verdict int

const (
	pass   verdict = iota // act on it
	refuse                // drop it, and tell the person once
	drop                  // drop it: they were told
	enough                // close the connection
)

func (b *budget) take(now time.Time, size int) verdict {
	if b.msgs.TokensAt(now) >= 1 && b.bytes.AllowN(now, size) && b.msgs.AllowN(now, 1) {
		b.told = false
		return pass
	}
	if !b.strikes.AllowN(now, 1) {
		return enough
	}
	if b.told {
		return drop
	}
	b.told = true
	return refuse
}
