//go:build linux || darwin

package main

import (
	"fmt"
	"syscall"
)

// raiseFileLimit makes room for need open files, raising the soft limit up to the hard one.
func raiseFileLimit(need int) error {
	var l syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &l); err != nil {
		return err
	}
	if l.Cur >= uint64(need) {
		return nil
	}
	if l.Max < uint64(need) {
		return fmt.Errorf("the run needs %d open files and the hard limit is %d (ulimit -Hn)", need, l.Max)
	}
	l.Cur = uint64(need)
	return syscall.Setrlimit(syscall.RLIMIT_NOFILE, &l)
}
