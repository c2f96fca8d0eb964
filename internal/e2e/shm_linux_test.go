//go:build linux

package e2e

import "syscall"

// roomyShm reports whether /dev/shm has room for a browser's shared memory (1 GiB free).
func roomyShm() bool {
	var st syscall.Statfs_t
	if err := syscall.Statfs("/dev/shm", &st); err != nil {
		return false
	}
	return st.Bavail*uint64(st.Bsize) >= 1<<30
}
