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
	shards [cacheShards]cacheShard
	frames cacheFrames
}

const maxFrames = 512

// cacheFrames maps a frame's hash to the frame split into lines, its op lines decoded.
type cacheFrames struct {
	mu       sync.Mutex
	cur, old map[uint64]*frame
}

type frame struct {
	data  string
	lines []frameLine
}

// frameLine is an op message, decoded, or another line as it came.
type frameLine struct {
	op  *opLine
	raw []byte
}

// frame returns a frame split into its lines, op lines decoded; nil without a cache.
func (c *OpCache) frame(data []byte) *frame {
	if c == nil {
		return nil
	}
	h := maphash.Bytes(c.seed, data)
	fs := &c.frames
	fs.mu.Lock()
	f, ok := fs.cur[h]
	if !ok {
		f, ok = fs.old[h]
	}
	fs.mu.Unlock()
	if ok && f.data == string(data) {
		return f
	}
	f = &frame{data: string(data)}
	for line := range bytes.SplitSeq([]byte(f.data), []byte{'\n'}) {
		l := frameLine{raw: line}
		if bytes.HasPrefix(line, opPrefix) {
			if m, err := c.decode(line); err == nil {
				l = frameLine{op: m}
			}
		}
		f.lines = append(f.lines, l)
	}
	fs.mu.Lock()
	if fs.cur == nil || len(fs.cur) >= maxFrames/2 {
		fs.old, fs.cur = fs.cur, make(map[uint64]*frame)
	}
	fs.cur[h] = f
	fs.mu.Unlock()
	return f
}

const (
	cacheShards = 32
	maxCached   = 1 << 16
)

// cacheShard maps a line's hash to the line and its message: the line is hashed once, and
// compared whole only with the line it is taken for.
type cacheShard struct {
	mu       sync.Mutex
	cur, old map[uint64]cached
}

type cached struct {
	line string
	msg  *opLine
}

// NewOpCache returns an empty cache.
func NewOpCache() *OpCache { return &OpCache{seed: maphash.MakeSeed()} }

// decode returns the op message of line. A nil cache decodes every time.
func (c *OpCache) decode(line []byte) (*opLine, error) {
	if c == nil {
		return decodeOp(line)
	}
	h := maphash.Bytes(c.seed, line)
	sh := &c.shards[h%cacheShards]
	sh.mu.Lock()
	e, ok := sh.cur[h]
	if !ok {
		e, ok = sh.old[h]
	}
	sh.mu.Unlock()
	if ok && e.line == string(line) {
		return e.msg, nil
	}
	m, err := decodeOp(line)
	if err != nil {
		return nil, err
	}
	sh.mu.Lock()
	if sh.cur == nil || len(sh.cur) >= maxCached/cacheShards/2 {
		sh.old, sh.cur = sh.cur, make(map[uint64]cached)
	}
	sh.cur[h] = cached{line: string(line), msg: m}
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
