//go:build unix

package live

import "syscall"

// canTryWrite: this system can write to a socket without waiting (the tests ask).
const canTryWrite = true

// tryWrite writes what the socket takes of b without waiting for it to take more; EAGAIN is
// not an error, it took nothing. A nil raw takes nothing.
func tryWrite(raw syscall.RawConn, b []byte) (int, error) {
	if raw == nil {
		return 0, nil
	}
	var n int
	var werr error
	err := raw.Write(func(fd uintptr) bool {
		for {
			n, werr = syscall.Write(int(fd), b)
			if werr != syscall.EINTR {
				return true // done, whatever it took: never wait here
			}
		}
	})
	switch {
	case err != nil:
		return 0, err
	case werr == syscall.EAGAIN:
		return 0, nil
	case werr != nil:
		return 0, werr
	}
	return n, nil
}
