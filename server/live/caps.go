package live

import (
	"sync"

	"klasseaftale/agreements"
)

// caps count the open connections per member, per client address and in all, so that no one
// token, no one network and no flood can take the sockets the server needs for everyone else.
// A connection is counted from before its upgrade until its reader ends.
type caps struct {
	mu        sync.Mutex
	perMember map[string]int
	perAddr   map[string]int
	total     int
}

// admit counts a new connection of the member from the address, or says which cap it hits.
// The release it returns uncounts it, once.
func (h *Hub) admit(member, addr string) (release func(), err error) {
	c := &h.caps
	c.mu.Lock()
	defer c.mu.Unlock()
	var refusal *agreements.Error
	switch {
	case c.total >= h.cfg.MaxConnections:
		refusal = errServerFull
	case c.perMember[member] >= h.cfg.MaxPerMember:
		refusal = errTooManyTabs
	case c.perAddr[addr] >= h.cfg.MaxPerAddress:
		refusal = errTooManyFrom
	}
	if refusal != nil {
		h.cfg.Metrics.Refused(refusal.Code)
		return nil, refusal
	}
	c.total++
	c.perMember[member]++
	c.perAddr[addr]++
	var once sync.Once
	return func() { once.Do(func() { c.release(member, addr) }) }, nil
}

func (c *caps) release(member, addr string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.total--
	if c.perMember[member]--; c.perMember[member] <= 0 {
		delete(c.perMember, member)
	}
	if c.perAddr[addr]--; c.perAddr[addr] <= 0 {
		delete(c.perAddr, addr)
	}
}

// ConnectionsFor returns the live connections a process may hold when it may open fds files:
// a fifth of them (at least 256) stay for HTTP requests, the database and the logs.
func ConnectionsFor(fds int) int {
	return max(16, fds-max(256, fds/5))
}
