package agreements

import (
	"errors"
	"fmt"
	"testing"
)

// errors.Is matches an Error by its code: the Error itself, a copy with placeholders, one built
// afresh with a Detail, and any of them wrapped; never an Error with another code.
func TestErrorIsByCode(t *testing.T) {
	stale := &Error{Kind: KindConflict, Code: ErrStaleRev.Code, Detail: "the clause"}
	for _, tc := range []struct {
		name   string
		err    error
		target *Error
		want   bool
	}{
		{"itself", ErrNotFound, ErrNotFound, true},
		{"a copy with a placeholder", ErrBodyTooLong.With("Max", 10), ErrBodyTooLong, true},
		{"built afresh with a detail", stale, ErrStaleRev, true},
		{"wrapped", fmt.Errorf("loading: %w", ErrNotFound), ErrNotFound, true},
		{"a copy, wrapped", fmt.Errorf("x: %w", ErrClassLimit.With("N", 1)), ErrClassLimit, true},
		{"another code of the same kind", ErrCodeUnknown, ErrNotFound, false},
		{"a plain error", errors.New("not_found"), ErrNotFound, false},
		{"nil", nil, ErrNotFound, false},
	} {
		if got := errors.Is(tc.err, tc.target); got != tc.want {
			t.Errorf("%s: errors.Is(%v, %s) = %v, want %v", tc.name, tc.err, tc.target.Code, got, tc.want)
		}
	}
}
