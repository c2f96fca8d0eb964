package liveclient

import (
	"bytes"
	"encoding/json"
	"hash/maphash"
	"sync"
)

// OpCache decodes each op message once for all the clients of a process that receive it. A
// room sends the same frame, and the same lines, to every tab; decoding them hundreds of times
// would make the tool that plays the tabs, rather than the server, the bottleneck it
// measures. Decoded messages are shared and never changed. It keeps about the last maxCached
// lines and maxFrames frames; an older one is decoded again.
type OpCache struct {
	seed   maphash.Seed
	shards [cacheShards]recent[*opLine]
	frames recent[[]frameLine]
}

const (
	cacheShards = 32
	maxCached   = 1 << 16
	maxFrames   = 512
)

// frameLine is an op message, decoded, or another line as it came.
type frameLine struct {
	op  *opLine
	raw []byte
}

// NewOpCache returns an empty cache.
func NewOpCache() *OpCache { return &OpCache{seed: maphash.MakeSeed()} }

// frame returns a frame split into its lines, op lines decoded; nil without a cache.
func (c *OpCache) frame(data []byte) []frameLine {
	if c == nil {
		return nil
	}
	h := maphash.Bytes(c.seed, data)
	if lines, ok := c.frames.get(h, data); ok {
		return lines
	}
	var lines []frameLine
	for line := range bytes.SplitSeq(bytes.Clone(data), []byte{'\n'}) {
		l := frameLine{raw: line}
		if bytes.HasPrefix(line, opPrefix) {
			if m, err := c.decode(line); err == nil {
				l = frameLine{op: m}
			}
		}
		lines = append(lines, l)
	}
	c.frames.put(h, data, lines, maxFrames)
	return lines
}

// decode returns the op message of line. A nil cache decodes every time.
func (c *OpCache) decode(line []byte) (*opLine, error) {
	if c == nil {
		return decodeOp(line)
	}
	h := maphash.Bytes(c.seed, line)
	sh := &c.shards[h%cacheShards]
	if m, ok := sh.get(h, line); ok {
		return m, nil
	}
	m, err := decodeOp(line)
	if err != nil {
		return nil, err
	}
	sh.put(h, line, m, maxCached/cacheShards)
	return m, nil
}

func decodeOp(line []byte) (*opLine, error) {
	m := new(opLine)
	if err := json.Unmarshal(line, m); err != nil {
		return nil, err
	}
	return m, nil
}

// recent maps a text, by its hash, to what was made of it, and keeps about the last max: two
// generations, the older dropped when the newer holds max/2. The text is kept, to tell a hash
// that two texts share from a hit.
type recent[V any] struct {
	mu       sync.Mutex
	cur, old map[uint64]made[V]
}

type made[V any] struct {
	text string
	v    V
}

func (r *recent[V]) get(h uint64, text []byte) (V, bool) {
	r.mu.Lock()
	e, ok := r.cur[h]
	if !ok {
		e, ok = r.old[h]
	}
	r.mu.Unlock()
	if !ok || e.text != string(text) {
		var zero V
		return zero, false
	}
	return e.v, true
}

func (r *recent[V]) put(h uint64, text []byte, v V, max int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.cur == nil || len(r.cur) >= max/2 {
		r.old, r.cur = r.cur, make(map[uint64]made[V])
	}
	r.cur[h] = made[V]{text: string(text), v: v}
}

// len returns how many it holds.
func (r *recent[V]) len() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.cur) + len(r.old)
}
