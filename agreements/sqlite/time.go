package sqlite

import "time"

// Times are stored as Unix milliseconds: compact, sortable and free of time-zone text.
func ms(t time.Time) int64 { return t.UnixMilli() }

func fromMS(v int64) time.Time { return time.UnixMilli(v).UTC() }
