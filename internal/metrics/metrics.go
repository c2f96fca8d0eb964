// Package metrics gathers what an operator watches — live connections and rooms, operations
// committed, commit and broadcast latencies, HTTP requests by route and status, rate-limit
// refusals and faults — in the Prometheus format, for a separate, non-public address.
// The server and the live side only know the small interfaces they report to; this package
// is where Prometheus is.
package metrics

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics is one set of collectors in a registry of its own.
type Metrics struct {
	reg       *prometheus.Registry
	requests  *prometheus.CounterVec
	latency   *prometheus.HistogramVec
	refusals  *prometheus.CounterVec
	faults    prometheus.Counter
	ops       prometheus.Counter
	commits   prometheus.Histogram
	broadcast prometheus.Histogram
}

// Live is what the live side can tell about itself at any moment.
type Live interface {
	Connections() int
	Rooms() int
	Waiting() int
}

// New builds the collectors and registers them, with the process's and the Go runtime's own.
func New() *Metrics {
	m := &Metrics{reg: prometheus.NewRegistry()}
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "klasseaftale_http_requests_total",
		Help: "HTTP requests answered, by route pattern, method and status."}, []string{"route", "method", "status"})
	m.latency = prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "klasseaftale_http_request_seconds",
		Help: "Time to answer an HTTP request, by route pattern.", Buckets: prometheus.ExponentialBuckets(0.0005, 2, 14)}, []string{"route"})
	m.refusals = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "klasseaftale_refusals_total",
		Help: "Requests and live messages refused by a rate limit or a cap, by which."}, []string{"limit"})
	m.faults = prometheus.NewCounter(prometheus.CounterOpts{Name: "klasseaftale_faults_total",
		Help: "Errors that are nobody's doing (database and other faults), answered as 500 or logged by a room."})
	m.ops = prometheus.NewCounter(prometheus.CounterOpts{Name: "klasseaftale_live_operations_committed_total",
		Help: "Text operations committed from live connections."})
	m.commits = prometheus.NewHistogram(prometheus.HistogramOpts{Name: "klasseaftale_live_commit_seconds",
		Help: "Time to commit one room's batch of operations.", Buckets: prometheus.ExponentialBuckets(0.0001, 2, 16)})
	m.broadcast = prometheus.NewHistogram(prometheus.HistogramOpts{Name: "klasseaftale_live_broadcast_seconds",
		Help:    "From the arrival of the oldest message of a broadcast to the broadcast's queueing to every connection.",
		Buckets: prometheus.ExponentialBuckets(0.0001, 2, 16)})
	m.reg.MustRegister(m.requests, m.latency, m.refusals, m.faults, m.ops, m.commits, m.broadcast,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// WatchLive adds the live side's gauges; the hub is built after the metrics it reports to.
func (m *Metrics) WatchLive(live Live) {
	m.reg.MustRegister(
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "klasseaftale_live_connections", Help: "Open live connections."},
			func() float64 { return float64(live.Connections()) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "klasseaftale_live_rooms", Help: "Open live rooms (agreements with people connected)."},
			func() float64 { return float64(live.Rooms()) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "klasseaftale_live_waiting", Help: "Messages waiting for their rooms."},
			func() float64 { return float64(live.Waiting()) }))
}

// Handler serves the metrics.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// Request counts an HTTP request.
func (m *Metrics) Request(route, method string, status int, took time.Duration) {
	m.requests.WithLabelValues(route, method, strconv.Itoa(status)).Inc()
	m.latency.WithLabelValues(route).Observe(took.Seconds())
}

// Refused counts a refusal by a limit or a cap.
func (m *Metrics) Refused(limit string) { m.refusals.WithLabelValues(limit).Inc() }

// Fault counts an error that is nobody's doing.
func (m *Metrics) Fault() { m.faults.Inc() }

// Committed records a room's commit of n operations.
func (m *Metrics) Committed(n int, took time.Duration) {
	m.ops.Add(float64(n))
	m.commits.Observe(took.Seconds())
}

// Broadcast records how long the oldest message of a broadcast waited for it.
func (m *Metrics) Broadcast(waited time.Duration) { m.broadcast.Observe(waited.Seconds()) }
