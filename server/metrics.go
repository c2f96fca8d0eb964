package server

import "time"

// Metrics hears what the server does, for monitoring (internal/metrics serves it to
// Prometheus); a nil Config.Metrics hears nothing.
type Metrics interface {
	Request(route, method string, status int, took time.Duration)
	Refused(limit string)
	Fault()
}

type noMetrics struct{}

func (noMetrics) Request(string, string, int, time.Duration) {}
func (noMetrics) Refused(string)                             {}
func (noMetrics) Fault()                                     {}
