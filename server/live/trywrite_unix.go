//go:build unix

package live

import (
	"syscall"
	"unsafe"
)

// canTryWrite: this system can write to a socket without waiting (the tests ask).
const canTryWrite = true

// tryWrite writes what the socket takes of the parts, in order, with writev and without
// waiting for it to take more; EAGAIN is not an error, it took less. A nil raw takes nothing.
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

// writeParts writes the parts, maxIov at a time, until the socket takes no more; it reports
// how much it took, and EAGAIN when that is not all.
func writeParts(fd int, parts [][]byte) (int, error) {
	total := 0
	for len(parts) > 0 {
		k := min(len(parts), maxIov)
		given := partsLen(parts[:k])
		n, err := writev(fd, parts[:k])
		total += n
		switch {
		case err != nil:
			return total, err
		case n < given:
			return total, syscall.EAGAIN // the socket is full
		}
		parts = parts[k:]
	}
	return total, nil
}

// writev writes parts (at most maxIov) with one system call, again when a signal interrupts it.
func writev(fd int, parts [][]byte) (int, error) {
	var iov [maxIov]syscall.Iovec
	k := 0
	for _, p := range parts {
		if len(p) > 0 {
			iov[k].Base = &p[0]
			iov[k].SetLen(len(p))
			k++
		}
	}
	if k == 0 {
		return 0, nil
	}
	for {
		n, _, errno := syscall.Syscall(syscall.SYS_WRITEV, uintptr(fd), uintptr(unsafe.Pointer(&iov[0])), uintptr(k))
		switch errno {
		case 0:
			return int(n), nil
		case syscall.EINTR:
		default:
			return 0, errno
		}
	}
}
