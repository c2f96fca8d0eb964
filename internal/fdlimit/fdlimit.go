//go:build linux || darwin

// Package fdlimit raises the process's limit of open files to the most it may have: every live
// connection is one.
package fdlimit

import "syscall"

// Raise sets the soft limit of open files to the hard one and returns it.
func Raise() (int, error) {
	var l syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &l); err != nil {
		return 0, err
	}
	if l.Cur < l.Max {
		l.Cur = l.Max
		if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &l); err != nil {
			return 0, err
		}
	}
	return int(min(l.Cur, 1<<30)), nil
}
