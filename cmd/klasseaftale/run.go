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

	"klasseaftale/agreements"
	"klasseaftale/agreements/sqlite"
	"klasseaftale/agreements/templates"
	"klasseaftale/frontend"
	"klasseaftale/locales"
	"klasseaftale/server"
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
	store, err := sqlite.Open(ctx, cfg.DB)
	if err != nil {
		return err
	}
	defer store.Close()
	lib, err := templates.Load()
	if err != nil {
		return err
	}
	msgs, err := locales.Load()
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return err
	}
	if cfg.BaseURL == "" {
		cfg.BaseURL = fmt.Sprintf("http://localhost:%d", ln.Addr().(*net.TCPAddr).Port)
	}
	svc := agreements.NewService(store, lib, nil)
	liveCfg := live.DefaultConfig()
	liveCfg.Logger = log
	hub := live.New(svc, msgs, liveCfg)
	svc.SetPublisher(hub)
	srv, err := server.New(server.Config{BaseURL: cfg.BaseURL, TrustedProxy: cfg.TrustedProxy,
		MaxBodyBytes: cfg.MaxBodyBytes, Logger: log}, svc, msgs, frontend.FS, hub)
	if err != nil {
		ln.Close()
		return err
	}
	go svc.RunTicks(ctx, time.Minute, func(err error) { log.Error("scheduled work", "err", err) })
	log.Info("listening", "addr", ln.Addr().String(), "url", cfg.BaseURL, "db", cfg.DB)
	return serve(ctx, ln, srv, hub, cfg.Shutdown)
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
