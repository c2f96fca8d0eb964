package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"

	"klasseaftale/internal/demo"
	"klasseaftale/internal/fdlimit"
	"klasseaftale/internal/metrics"
	"klasseaftale/internal/wire"
	"klasseaftale/server/live"
)

// run wires the parts together and serves until ctx ends. Tests call it with port :0 and a
// database in a temporary directory; it prints the address it listens on.
func run(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	cfg, err := parseConfig(args, getenv, stdout)
	if err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(stdout, &slog.HandlerOptions{Level: level(cfg.LogLevel)}))
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return err
	}
	if cfg.BaseURL == "" {
		cfg.BaseURL = fmt.Sprintf("http://localhost:%d", ln.Addr().(*net.TCPAddr).Port)
	}
	lc, err := liveConfig(cfg)
	if err != nil {
		ln.Close()
		return err
	}
	m, stopMetrics, err := serveMetrics(cfg.MetricsAddr, log)
	if err != nil {
		ln.Close()
		return err
	}
	defer stopMetrics()
	p, err := wire.Build(ctx, wire.Config{DB: cfg.DB, BaseURL: cfg.BaseURL, TrustedProxy: cfg.TrustedProxy,
		MaxBodyBytes: cfg.MaxBodyBytes, Logger: log, Live: &lc, Retention: time.Duration(cfg.ArchiveDays) * 24 * time.Hour,
		Metrics: m, ContactURL: cfg.ContactURL})
	if err != nil {
		ln.Close()
		return err
	}
	defer p.Close()
	if cfg.Demo {
		if err := startDemo(ctx, p, cfg, stdout); err != nil {
			return err
		}
	}
	go p.Service.RunTicks(ctx, time.Minute, func(err error) { log.Error("scheduled work", "err", err) })
	log.Info("listening", "addr", ln.Addr().String(), "url", cfg.BaseURL, "db", wire.Redacted(cfg.DB), "live_max", lc.MaxConnections, "live_ring", lc.Ring && live.RingWrites())
	return serve(ctx, ln, p.Server, p.Hub, cfg)
}

// startDemo fills the demo's database on its first start (or finds it filled) and prints the
// links that sign its people in, made anew at every start.
func startDemo(ctx context.Context, p *wire.Parts, cfg config, stdout io.Writer) error {
	w, err := demo.Start(ctx, p.Store, p.Service.Library())
	if err != nil {
		return fmt.Errorf("-demo with %s: %w", wire.Redacted(cfg.DB), err)
	}
	fmt.Fprintf(stdout, "Demo school in %s. Open each link in a browser (or private window) of its own to be that person:\n", wire.Redacted(cfg.DB))
	for _, l := range w.Links {
		fmt.Fprintf(stdout, "  %-14s %-22s %s%s\n", l.Role, "("+l.Who+")", cfg.BaseURL, l.Path)
	}
	return nil
}

// serveMetrics serves /metrics on its own address, when one is given: nil metrics otherwise.
func serveMetrics(addr string, log *slog.Logger) (*metrics.Metrics, func(), error) {
	if addr == "" {
		return nil, func() {}, nil
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, nil, fmt.Errorf("-metrics-addr: %w", err)
	}
	m := metrics.New()
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", m.Handler())
	hs := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, WriteTimeout: 30 * time.Second}
	go hs.Serve(ln)
	log.Info("metrics", "addr", ln.Addr().String())
	return m, func() { hs.Close() }, nil
}

// liveConfig is the live side's configuration with the caps of cfg; without a total cap, the
// limit of open files (raised to the most allowed) sets it.
func liveConfig(cfg config) (live.Config, error) {
	lc := live.DefaultConfig()
	lc.MaxPerMember, lc.MaxPerAddress, lc.MaxConnections = cfg.LivePerMember, cfg.LivePerAddress, cfg.LiveMax
	lc.Ring = cfg.LiveRing
	fds, err := fdlimit.Raise()
	if err != nil {
		return lc, fmt.Errorf("limit of open files: %w", err)
	}
	if lc.MaxConnections == 0 {
		lc.MaxConnections = live.ConnectionsFor(fds)
	}
	return lc, nil
}

// serve serves until ctx ends, then closes the live connections (their clients reconnect to
// the next server and resume) and lets requests in flight finish.
func serve(ctx context.Context, ln net.Listener, h http.Handler, hub *live.Hub, cfg config) error {
	hs := &http.Server{Handler: h, ReadHeaderTimeout: min(10*time.Second, cfg.ReadTimeout),
		ReadTimeout: cfg.ReadTimeout, WriteTimeout: cfg.WriteTimeout, IdleTimeout: cfg.IdleTimeout}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	hub.Close()
	sctx, cancel := context.WithTimeout(context.Background(), cfg.Shutdown)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return nil
}

func level(s string) slog.Level {
	var l slog.Level
	if l.UnmarshalText([]byte(s)) != nil {
		return slog.LevelInfo
	}
	return l
}
