package main

import (
	"fmt"

	"klasseaftale/internal/fdlimit"
)

// raiseFileLimit makes room for need open files, raising the soft limit up to the hard one.
func raiseFileLimit(need int) error {
	n, err := fdlimit.Raise()
	if err != nil {
		return err
	}
	if n < need {
		return fmt.Errorf("the run needs %d open files and the limit is %d (ulimit -Hn)", need, n)
	}
	return nil
}
