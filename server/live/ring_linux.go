package live

import (
	"errors"
	"runtime"
	"sync"
	"sync/atomic"
	"syscall"
	"unsafe"

	"golang.org/x/sys/unix"
)

// A ring writes a broadcast to many sockets with one system call: Linux's io_uring, given a
// send per socket that does not wait (MSG_DONTWAIT: a full socket answers EAGAIN, as writev
// does). On two cores of a virtual machine a system call costs about a microsecond before it
// does anything, and a room of 200 made 200 of them per broadcast; with a ring it makes one,
// and at 200 authors the server works about two thirds of the CPU it did at the same latency
// (see docs/architecture.md, "The live write path").
//
// The kernel reads the sockets' descriptors when the sends are submitted, so a descriptor
// must not be closed (and its number reused) meanwhile: the room holds each connection's
// write lock while its send is in the ring, and a socket is closed only under that lock
// (shutLocked). Every send is done when send returns, so nothing of Go's memory is left in the
// kernel's hands after it.

const (
	opSend    = 26 // IORING_OP_SEND, Linux 5.6
	opSendmsg = 9  // IORING_OP_SENDMSG, for a frame in parts

	enterGetEvents = 1 // IORING_ENTER_GETEVENTS

	offSQRing = 0
	offCQRing = 0x8000000
	offSQEs   = 0x10000000

	featSingleMmap = 1 // IORING_FEAT_SINGLE_MMAP

	ringEntries = 256 // sends per system call; a larger room takes more than one
)

type ringParams struct {
	sqEntries, cqEntries, flags, sqThreadCPU, sqThreadIdle, features, wqFd uint32
	resv                                                                   [3]uint32
	sq                                                                     struct {
		head, tail, ringMask, ringEntries, flags, dropped, array, resv1 uint32
		userAddr                                                        uint64
	}
	cq struct {
		head, tail, ringMask, ringEntries, overflow, cqes, flags, resv1 uint32
		userAddr                                                        uint64
	}
}

// ringSQE is a submission (struct io_uring_sqe, 64 bytes).
type ringSQE struct {
	opcode, flags uint8
	ioprio        uint16
	fd            int32
	off, addr     uint64
	len, opFlags  uint32
	userData      uint64
	bufIndex      uint16
	personality   uint16
	spliceFdIn    int32
	addr3, pad    uint64
}

// ringCQE is a completion (struct io_uring_cqe, 16 bytes).
type ringCQE struct {
	userData uint64
	res      int32
	flags    uint32
}

// ring is one io_uring, used by one goroutine at a time (see takeRing).
type ring struct {
	fd                   int
	sqHead, sqTail       *uint32
	cqHead, cqTail       *uint32
	sqMask, cqMask, size uint32
	sqes                 []ringSQE
	cqes                 []ringCQE
	iov                  []unix.Iovec // the parts of frames given in parts, for this batch
	msg                  []unix.Msghdr
	sends                []ringSend // the batch, kept between broadcasts (see writeRing)
}

func newRing() (*ring, error) {
	var p ringParams
	fd, _, errno := syscall.Syscall(unix.SYS_IO_URING_SETUP, ringEntries, uintptr(unsafe.Pointer(&p)), 0)
	if errno != 0 {
		return nil, errno
	}
	r := &ring{fd: int(fd), size: p.sqEntries}
	fail := func(err error) (*ring, error) { syscall.Close(r.fd); return nil, err }
	sqSize := int(p.sq.array + p.sqEntries*4)
	cqSize := int(p.cq.cqes + p.cqEntries*uint32(unsafe.Sizeof(ringCQE{})))
	if p.features&featSingleMmap != 0 {
		sqSize = max(sqSize, cqSize)
	}
	mmap := func(off int64, n int) ([]byte, error) {
		return unix.Mmap(r.fd, off, n, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED|unix.MAP_POPULATE)
	}
	sq, err := mmap(offSQRing, sqSize)
	if err != nil {
		return fail(err)
	}
	cq := sq
	if p.features&featSingleMmap == 0 {
		if cq, err = mmap(offCQRing, cqSize); err != nil {
			return fail(err)
		}
	}
	sqes, err := mmap(offSQEs, int(p.sqEntries)*int(unsafe.Sizeof(ringSQE{})))
	if err != nil {
		return fail(err)
	}
	u32 := func(b []byte, off uint32) *uint32 { return (*uint32)(unsafe.Pointer(&b[off])) }
	r.sqHead, r.sqTail, r.sqMask = u32(sq, p.sq.head), u32(sq, p.sq.tail), *u32(sq, p.sq.ringMask)
	r.cqHead, r.cqTail, r.cqMask = u32(cq, p.cq.head), u32(cq, p.cq.tail), *u32(cq, p.cq.ringMask)
	for i := range p.sqEntries {
		*u32(sq, p.sq.array+i*4) = i // the submission in slot i is sqes[i]
	}
	r.sqes = unsafe.Slice((*ringSQE)(unsafe.Pointer(&sqes[0])), p.sqEntries)
	r.cqes = unsafe.Slice((*ringCQE)(unsafe.Pointer(&cq[p.cq.cqes])), p.cqEntries)
	return r, nil
}

// send makes the sends, ring.size at a time, each without waiting. A send the ring could not
// make fails with the ring's error (its connection then ends, and the tab reconnects).
func (r *ring) send(b []ringSend) {
	for len(b) > 0 {
		k := min(len(b), int(r.size))
		r.sendSome(b[:k])
		b = b[k:]
	}
}

// sendSome makes at most ring.size sends with one system call (or a few, when a signal
// interrupts it) and reports each one's outcome in b.
func (r *ring) sendSome(b []ringSend) {
	tail := r.fill(b)
	if failed := r.wait(b, tail); failed != nil {
		// Only when the ring itself fails (never seen): what is not done must not be written
		// again, as part of it may have been. Its connections end; the process stops using rings.
		for i := range b {
			if b[i].err == errNotDone {
				b[i].n, b[i].err = 0, failed
			}
		}
		ringBroken.Store(true)
	}
	runtime.KeepAlive(b)
	runtime.KeepAlive(r.iov)
	runtime.KeepAlive(r.msg)
}

// errNotDone marks a send the ring has not completed yet.
var errNotDone = errors.New("live: send not done")

// fill puts a send per entry of b into the submission queue, a frame in one part as a send and
// one in parts as a sendmsg over iovecs, and returns the queue's new tail.
func (r *ring) fill(b []ringSend) uint32 {
	parts := 0
	for i := range b {
		parts += len(b[i].parts)
	}
	// Capacity for all at once: msg and iov hand out pointers into themselves as they grow.
	if cap(r.iov) < parts {
		r.iov = make([]unix.Iovec, 0, parts)
	}
	if cap(r.msg) < len(b) {
		r.msg = make([]unix.Msghdr, len(b))
	}
	r.iov, r.msg = r.iov[:0], r.msg[:len(b)]
	clear(r.msg)
	tail := atomic.LoadUint32(r.sqTail)
	for i := range b {
		b[i].n, b[i].err = 0, errNotDone
		s := ringSQE{opcode: opSend, fd: int32(b[i].fd), opFlags: syscall.MSG_DONTWAIT | syscall.MSG_NOSIGNAL, userData: uint64(i)}
		if p := b[i].parts; len(p) == 1 && len(p[0]) > 0 {
			s.addr, s.len = uint64(uintptr(unsafe.Pointer(&p[0][0]))), uint32(len(p[0]))
		} else {
			m, start := &r.msg[i], len(r.iov)
			for _, part := range p {
				if len(part) > 0 {
					v := unix.Iovec{Base: &part[0]}
					v.SetLen(len(part))
					r.iov = append(r.iov, v)
				}
			}
			if n := len(r.iov) - start; n > 0 {
				m.Iov = &r.iov[start]
				m.SetIovlen(n)
			}
			s.opcode, s.addr, s.len = opSendmsg, uint64(uintptr(unsafe.Pointer(m))), 1
		}
		r.sqes[tail&r.sqMask] = s
		tail++
	}
	atomic.StoreUint32(r.sqTail, tail)
	return tail
}

// wait submits what is queued up to tail and waits until every send of b is done, reading
// each completion into its entry. It returns nil, or the ring's error once it has stopped
// making progress.
func (r *ring) wait(b []ringSend, tail uint32) error {
	waiting, stuck := len(b), 0
	var failed error
	for waiting > 0 && stuck < 100 {
		toSubmit := tail - atomic.LoadUint32(r.sqHead)
		_, _, errno := syscall.Syscall6(unix.SYS_IO_URING_ENTER, uintptr(r.fd), uintptr(toSubmit), uintptr(waiting), enterGetEvents, 0, 0)
		done := r.reap(b)
		waiting -= done
		switch {
		case done > 0:
			stuck = 0
		case errno != 0 && errno != syscall.EINTR:
			failed, stuck = errno, stuck+1 // EAGAIN or EBUSY: again, a few times
		default:
			stuck++ // a signal, or a wait that ended early
		}
	}
	switch {
	case waiting == 0:
		return nil
	case failed != nil:
		return failed
	}
	return syscall.EIO
}

// reap reads the completions there are into their entries of b and returns how many.
func (r *ring) reap(b []ringSend) int {
	n := 0
	head := atomic.LoadUint32(r.cqHead)
	for ; head != atomic.LoadUint32(r.cqTail); head++ {
		c := r.cqes[head&r.cqMask]
		s := &b[c.userData]
		switch {
		case c.res < 0:
			s.n, s.err = 0, syscall.Errno(-c.res) // EAGAIN: the socket is full
		case int(c.res) < partsLen(s.parts):
			s.n, s.err = int(c.res), syscall.EAGAIN // it took part of it
		default:
			s.n, s.err = int(c.res), nil
		}
		n++
	}
	atomic.StoreUint32(r.cqHead, head)
	return n
}

// The rings: one per goroutine writing at once (a room, or the second half of a large one),
// made when first needed, at most maxRings; a writer that finds none free writes as before.
var (
	ringMu     sync.Mutex
	ringFree   []*ring
	ringMade   int
	ringBroken atomic.Bool // io_uring is not there, not allowed (a container's seccomp), or failed
)

func maxRings() int { return 2 * runtime.GOMAXPROCS(0) }

// takeRing is a ring for this goroutine alone, or nil; give it back with putRing.
func takeRing() *ring {
	if ringBroken.Load() {
		return nil
	}
	ringMu.Lock()
	defer ringMu.Unlock()
	if n := len(ringFree); n > 0 {
		r := ringFree[n-1]
		ringFree = ringFree[:n-1]
		return r
	}
	if ringMade >= maxRings() {
		return nil
	}
	r, err := newRing()
	if err == nil {
		err = r.probe()
	}
	if err != nil {
		ringBroken.Store(true)
		return nil
	}
	ringMade++
	return r
}

func putRing(r *ring) {
	ringMu.Lock()
	ringFree = append(ringFree, r)
	ringMu.Unlock()
}

// probe sends a byte and a byte in two parts through the ring to a socket pair: a kernel
// older than the sends (5.6) answers EINVAL.
func (r *ring) probe() error {
	fds, err := syscall.Socketpair(syscall.AF_UNIX, syscall.SOCK_STREAM|syscall.SOCK_CLOEXEC, 0)
	if err != nil {
		return err
	}
	defer syscall.Close(fds[0])
	defer syscall.Close(fds[1])
	b := []ringSend{{fd: fds[0], parts: [][]byte{{'a'}}}, {fd: fds[0], parts: [][]byte{{'b'}, nil, {'c'}}}}
	r.send(b)
	for _, s := range b {
		if s.err != nil {
			return s.err
		}
	}
	got := make([]byte, 4)
	if n, err := syscall.Read(fds[1], got); err != nil || string(got[:n]) != "abc" {
		return syscall.EIO
	}
	return nil
}
