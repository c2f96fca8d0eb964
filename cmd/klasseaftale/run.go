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
	p, err := wire.Build(ctx, wire.Config{DB: cfg.DB, BaseURL: cfg.BaseURL, TrustedProxy: cfg.TrustedProxy,
		MaxBodyBytes: cfg.MaxBodyBytes, Logger: log, Retention: time.Duration(cfg.ArchiveDays) * 24 * time.Hour})
	if err != nil {
		ln.Close()
		return err
	}
	defer p.Close()
	go p.Service.RunTicks(ctx, time.Minute, func(err error) { log.Error("scheduled work", "err", err) })
	log.Info("listening", "addr", ln.Addr().String(), "url", cfg.BaseURL, "db", cfg.DB)
	return serve(ctx, ln, p.Server, p.Hub, cfg.Shutdown)
}

// serve serves until ctx ends, then closes the live connections (their clients reconnect to
// the next server and resume) and lets requests in flight finish.
func serve(ctx context.Context, ln net.Listener, h http.Handler, hub *live.Hub, grace time.Duration) error {
	hs := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 120 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	hub.Close()
	sctx, cancel := context.WithTimeout(context.Background(), grace)
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
