package live

import "time"

// Metrics hears what the live side does, for monitoring (internal/metrics serves it to
// Prometheus); a nil Config.Metrics hears nothing.
type Metrics interface {
	Committed(ops int, took time.Duration)
	Broadcast(waited time.Duration) // from the arrival of the oldest message a broadcast holds
	Refused(limit string)
	Fault()
}

type noMetrics struct{}

func (noMetrics) Committed(int, time.Duration) {}
func (noMetrics) Broadcast(time.Duration)      {}
func (noMetrics) Refused(string)               {}
func (noMetrics) Fault()                       {}
