//go:build !unix

package e2e

// roomyShm reports whether /dev/shm has room for a browser's shared memory: not a Unix, no.
func roomyShm() bool { return false }
