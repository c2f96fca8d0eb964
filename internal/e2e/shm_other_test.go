//go:build !linux

package e2e

// roomyShm reports whether /dev/shm has room for a browser's shared memory: it is
// Linux's, so elsewhere no.
func roomyShm() bool { return false }
