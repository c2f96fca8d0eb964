//go:build unix

package live

import (
	"syscall"
	"unsafe"
)

// canTryWrite: this system can write to a socket without waiting (the tests ask).
const canTryWrite = true

// maxIov bounds the parts of one writev; a frame in more parts (rare: one connection skipped
// by many messages of one broadcast) is written in more calls.
const maxIov = 64

// tryWrite writes what the socket takes of the parts, in order, without waiting for it to take
// more; EAGAIN is not an error, it took nothing. A nil raw takes nothing. One part is one
// write, several one writev.
func tryWrite(raw syscall.RawConn, parts [][]byte) (int, error) {
	if raw == nil {
		return 0, nil
	}
	var n int
	var werr error
	err := raw.Write(func(fd uintptr) bool {
		n, werr = writeParts(int(fd), parts)
		return true // done, whatever it took: never wait here
	})
	switch {
	case err != nil:
		return 0, err
	case werr == syscall.EAGAIN:
		return n, nil
	case werr != nil:
		return 0, werr
	}
	return n, nil
}

// writeParts writes the parts until the socket takes no more; it reports how much it took, and
// EAGAIN when that is not all.
func writeParts(fd int, parts [][]byte) (int, error) {
	total := 0
	for len(parts) > 0 {
		var n, given int
		var err error
		if len(parts) == 1 {
			given = len(parts[0])
			n, err = retry(func() (int, error) { return syscall.Write(fd, parts[0]) })
		} else {
			n, given, err = writev(fd, parts)
		}
		total += n
		switch {
		case err != nil:
			return total, err
		case n < given:
			return total, syscall.EAGAIN // the socket is full
		}
		for len(parts) > 0 && given >= len(parts[0]) {
			given -= len(parts[0])
			parts = parts[1:]
		}
	}
	return total, nil
}

// retry repeats a call that a signal interrupted.
func retry(call func() (int, error)) (int, error) {
	for {
		n, err := call()
		if err != syscall.EINTR {
			return max(n, 0), err
		}
	}
}

// writev writes up to maxIov parts with one system call; given is how many bytes it was
// given.
func writev(fd int, parts [][]byte) (n, given int, err error) {
	var iov [maxIov]syscall.Iovec
	k := 0
	for _, p := range parts {
		if k == maxIov {
			break
		}
		given += len(p)
		if len(p) == 0 {
			continue
		}
		iov[k].Base = &p[0]
		iov[k].SetLen(len(p))
		k++
	}
	if k == 0 {
		return 0, given, nil
	}
	n, err = retry(func() (int, error) {
		r, _, errno := syscall.Syscall(syscall.SYS_WRITEV, uintptr(fd), uintptr(unsafe.Pointer(&iov[0])), uintptr(k))
		if errno != 0 {
			return 0, errno
		}
		return int(r), nil
	})
	return n, given, err
}
