package liveclient

import (
	"errors"
	"fmt"
	"io"
	"net"
	"runtime"
	"sync"
	"sync/atomic"
	"syscall"

	"golang.org/x/sys/unix"
)

// A Poller reads the sockets of many clients with a few goroutines, each waiting on an epoll
// set and reading a socket once when it has something: a frame costs one read. A client read
// by a goroutine of its own costs two reads a frame (the second finds the socket empty and
// parks the goroutine) and a wake-up of the goroutine, which for 10,000 tabs of one process
// is most of what the process does. The load tool reads its tabs so, to leave the machine's
// processors to the server it measures.
type Poller struct {
	loops []*pollLoop
	next  atomic.Uint32
}

type pollLoop struct {
	ep   int // the epoll set
	stop int // an eventfd in it: written to end the loop
	mu   sync.Mutex
	tabs map[int32]*polled // by socket
	done chan struct{}
}

// NewPoller starts a poller with one goroutine per processor.
func NewPoller() (*Poller, error) {
	p := &Poller{}
	for range runtime.GOMAXPROCS(0) {
		ep, err := unix.EpollCreate1(unix.EPOLL_CLOEXEC)
		if err != nil {
			p.Close()
			return nil, fmt.Errorf("poller: %w", err)
		}
		stop, err := unix.Eventfd(0, unix.EFD_CLOEXEC|unix.EFD_NONBLOCK)
		if err == nil {
			err = unix.EpollCtl(ep, unix.EPOLL_CTL_ADD, stop, &unix.EpollEvent{Events: unix.EPOLLIN, Fd: int32(stop)})
		}
		if err != nil {
			unix.Close(ep)
			p.Close()
			return nil, fmt.Errorf("poller: %w", err)
		}
		l := &pollLoop{ep: ep, stop: stop, tabs: map[int32]*polled{}, done: make(chan struct{})}
		p.loops = append(p.loops, l)
		go l.run()
	}
	return p, nil
}

// Close ends the poller's goroutines; the clients it reads must have been closed.
func (p *Poller) Close() {
	for _, l := range p.loops {
		unix.Write(l.stop, []byte{1, 0, 0, 0, 0, 0, 0, 0})
		<-l.done
		unix.Close(l.ep)
		unix.Close(l.stop)
	}
	p.loops = nil
}

func (l *pollLoop) run() {
	defer close(l.done)
	events := make([]unix.EpollEvent, 256)
	scratch := make([]byte, 64<<10)
	for {
		n, err := unix.EpollWait(l.ep, events, -1)
		if err != nil {
			if err == unix.EINTR {
				continue
			}
			panic("liveclient: epoll_wait: " + err.Error())
		}
		for _, ev := range events[:n] {
			if int(ev.Fd) == l.stop {
				return
			}
			l.mu.Lock()
			t := l.tabs[ev.Fd]
			l.mu.Unlock()
			if t != nil {
				t.readOnce(scratch)
			}
		}
	}
}

// polled is one client's socket in a poller. Its frames are touched by its loop's goroutine
// alone, once it is registered.
type polled struct {
	c      *Client
	loop   *pollLoop
	fd     int // guarded by c.wmu for writing and closing; -1 once closed
	f      frames
	closed chan struct{}
}

// adopt takes over the socket of conn, whose handshake and welcome are done; f holds what was
// read past the welcome. conn is closed (the socket stays open, as a copy only the poller
// reads). start must follow.
func (p *Poller) adopt(c *Client, conn net.Conn, f *frames) (*polled, error) {
	sc, ok := conn.(syscall.Conn)
	if !ok {
		conn.Close()
		return nil, errors.New("poller: not a socket")
	}
	raw, err := sc.SyscallConn()
	if err != nil {
		conn.Close()
		return nil, err
	}
	fd := -1
	if cerr := raw.Control(func(s uintptr) { fd, err = unix.FcntlInt(s, unix.F_DUPFD_CLOEXEC, 0) }); cerr != nil {
		err = cerr
	}
	conn.Close()
	if err != nil {
		return nil, fmt.Errorf("poller: %w", err)
	}
	if err := unix.SetNonblock(fd, true); err != nil {
		unix.Close(fd)
		return nil, fmt.Errorf("poller: %w", err)
	}
	l := p.loops[int(p.next.Add(1))%len(p.loops)]
	return &polled{c: c, loop: l, fd: fd, f: *f, closed: make(chan struct{})}, nil
}

// start handles the whole frames already read, then lets the loop read the socket.
func (t *polled) start() {
	if err := t.frames(); err != nil {
		t.end(err)
		return
	}
	t.f.keep()
	t.loop.mu.Lock()
	t.loop.tabs[int32(t.fd)] = t
	t.loop.mu.Unlock()
	err := unix.EpollCtl(t.loop.ep, unix.EPOLL_CTL_ADD, t.fd, &unix.EpollEvent{Events: unix.EPOLLIN | unix.EPOLLRDHUP, Fd: int32(t.fd)})
	if err != nil {
		t.end(fmt.Errorf("poller: %w", err))
	}
}

// readOnce reads the socket once and handles the whole frames read; the loop reads again
// while the socket holds more.
func (t *polled) readOnce(scratch []byte) {
	n, err := unix.Read(t.fd, scratch)
	switch {
	case err == unix.EAGAIN || err == unix.EINTR:
		return
	case err != nil:
		t.end(err)
		return
	case n == 0:
		t.end(io.EOF)
		return
	}
	t.f.add(scratch[:n])
	if err := t.frames(); err != nil {
		t.end(err)
		return
	}
	t.f.keep()
}

// frames acts on the whole frames read.
func (t *polled) frames() error {
	for {
		op, payload, ok, err := t.f.next()
		switch {
		case err != nil:
			return err
		case !ok:
			return nil
		case op == opText || op == opBinary:
			t.c.receive(payload)
		case op == opPing:
			pong := clientFrame(opPong, payload)
			go t.write(pong) // not here: the loop reads other tabs too
		case op == opClose:
			return fmt.Errorf("websocket: closed by the server: %s", closeText(payload))
		}
	}
}

var errClosed = errors.New("use of closed connection")

// write writes b whole, waiting while the socket is full.
func (t *polled) write(b []byte) error {
	t.c.wmu.Lock()
	defer t.c.wmu.Unlock()
	for len(b) > 0 {
		if t.fd < 0 {
			return errClosed
		}
		n, err := unix.Write(t.fd, b)
		switch {
		case err == unix.EAGAIN:
			fds := []unix.PollFd{{Fd: int32(t.fd), Events: unix.POLLOUT}}
			if _, err := unix.Poll(fds, int(t.c.Timeout.Milliseconds())); err != nil && err != unix.EINTR {
				return err
			}
			if fds[0].Revents == 0 {
				return errors.New("write: timed out")
			}
		case err == unix.EINTR:
		case err != nil:
			return err
		default:
			b = b[n:]
		}
	}
	return nil
}

// shutdown ends the connection as a lost network does; the loop then finds it ended.
func (t *polled) shutdown() {
	t.c.wmu.Lock()
	defer t.c.wmu.Unlock()
	if t.fd >= 0 {
		unix.Shutdown(t.fd, unix.SHUT_RDWR)
	}
}

// end closes the socket and tells the client why it ended. Only the loop's goroutine (or start,
// before the loop knows the socket) calls it.
func (t *polled) end(err error) {
	t.loop.mu.Lock()
	delete(t.loop.tabs, int32(t.fd))
	t.loop.mu.Unlock()
	t.c.wmu.Lock()
	unix.EpollCtl(t.loop.ep, unix.EPOLL_CTL_DEL, t.fd, nil)
	unix.Close(t.fd)
	t.fd = -1
	t.c.wmu.Unlock()
	t.c.mu.Lock()
	t.c.gone = err
	t.c.mu.Unlock()
	close(t.closed)
}
