package liveclient

import (
	"encoding/json"
	"hash/maphash"
	"sync"
)

// OpCache decodes each op message once for all the clients of a process that receive it. A
// room sends the same line to every tab; decoding it hundreds of times would make the tool
// that plays the tabs, rather than the server, the bottleneck it measures. Decoded messages
// are shared and never changed. It keeps about the last maxCached lines; an older line is
// decoded again.
type OpCache struct {
	seed   maphash.Seed
	shards [cacheShards]cacheShard
}

const (
	cacheShards = 32
	maxCached   = 1 << 16
)

type cacheShard struct {
	mu       sync.Mutex
	cur, old map[string]*opLine
}

// NewOpCache returns an empty cache.
func NewOpCache() *OpCache { return &OpCache{seed: maphash.MakeSeed()} }

// decode returns the op message of line. A nil cache decodes every time.
func (c *OpCache) decode(line []byte) (*opLine, error) {
	if c == nil {
		return decodeOp(line)
	}
	sh := &c.shards[maphash.Bytes(c.seed, line)%cacheShards]
	sh.mu.Lock()
	m := sh.cur[string(line)]
	if m == nil {
		m = sh.old[string(line)]
	}
	sh.mu.Unlock()
	if m != nil {
		return m, nil
	}
	m, err := decodeOp(line)
	if err != nil {
		return nil, err
	}
	sh.mu.Lock()
	if sh.cur == nil || len(sh.cur) >= maxCached/cacheShards/2 {
		sh.old, sh.cur = sh.cur, make(map[string]*opLine)
	}
	sh.cur[string(line)] = m
	sh.mu.Unlock()
	return m, nil
}

func decodeOp(line []byte) (*opLine, error) {
	m := new(opLine)
	if err := json.Unmarshal(line, m); err != nil {
		return nil, err
	}
	return m, nil
}
