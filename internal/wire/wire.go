// Package wire puts the product's parts together — the store, the template library, the
// messages, the service, the live hub and the HTTP server — the one way the binary, the tests
// and the load tool all use.
package wire

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"time"

	"klasseaftale/agreements"
	"klasseaftale/agreements/postgres"
	"klasseaftale/agreements/sqlite"
	"klasseaftale/agreements/templates"
	"klasseaftale/frontend"
	"klasseaftale/internal/metrics"
	"klasseaftale/locales"
	"klasseaftale/server"
	"klasseaftale/server/live"
)

// Config is what the parts need to know.
type Config struct {
	DB           string // the SQLite file, or a PostgreSQL URL (see IsPostgres)
	BaseURL      string
	TrustedProxy []string
	MaxBodyBytes int64
	Limits       *server.Limits // the rate limits; nil: the defaults
	Logger       *slog.Logger
	Live         *live.Config     // the live side's timings; nil: the defaults
	Retention    time.Duration    // how long archived classes are kept; 0: agreements.DefaultRetention
	Metrics      *metrics.Metrics // nil: none
	ContactURL   string           // where people reach the operator; "": none given
	// WrapStore, when set, wraps the store the service commits through (tests hold a commit
	// back with it).
	WrapStore func(agreements.Store) agreements.Store
}

// Store is the store the parts run on, which they close at the end: SQLite's or PostgreSQL's.
type Store interface {
	agreements.Store
	Close() error
}

// IsPostgres reports whether a database named by -db is a PostgreSQL URL (postgres:// or
// postgresql://) rather than a SQLite file.
func IsPostgres(db string) bool {
	return strings.HasPrefix(db, "postgres://") || strings.HasPrefix(db, "postgresql://")
}

// Redacted is the database's name fit for a log: a PostgreSQL URL without its password.
func Redacted(db string) string {
	if !IsPostgres(db) {
		return db
	}
	u, err := url.Parse(db)
	if err != nil {
		return "postgres://…" // a URL that does not parse may hold a password anywhere
	}
	return u.Redacted()
}

// OpenStore opens the store at db: a PostgreSQL database when db is its URL, a SQLite file
// otherwise.
func OpenStore(ctx context.Context, db string) (Store, error) {
	if IsPostgres(db) {
		return postgres.Open(ctx, db)
	}
	return sqlite.Open(ctx, db)
}

// Parts are the product, wired.
type Parts struct {
	Store   Store
	Service *agreements.Service
	Hub     *live.Hub
	Server  *server.Server

	bus *postgres.Bus // on PostgreSQL: what the instances tell each other
}

// Build opens the store and wires the parts on it.
func Build(ctx context.Context, cfg Config) (*Parts, error) {
	store, err := OpenStore(ctx, cfg.DB)
	if err != nil {
		return nil, err
	}
	p, err := build(store, cfg)
	if err != nil {
		store.Close()
		return nil, err
	}
	return p, nil
}

func build(store Store, cfg Config) (*Parts, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	lib, err := templates.Load()
	if err != nil {
		return nil, err
	}
	msgs, err := locales.Load()
	if err != nil {
		return nil, err
	}
	var svcStore agreements.Store = store
	if cfg.WrapStore != nil {
		svcStore = cfg.WrapStore(store)
	}
	svc := agreements.NewService(svcStore, lib, nil)
	if cfg.Retention > 0 {
		svc.SetRetention(cfg.Retention)
	}
	liveCfg := live.DefaultConfig()
	if cfg.Live != nil {
		liveCfg = *cfg.Live
	}
	liveCfg.Logger = cfg.Logger
	scfg := server.Config{BaseURL: cfg.BaseURL, TrustedProxy: cfg.TrustedProxy,
		MaxBodyBytes: cfg.MaxBodyBytes, Limits: cfg.Limits, Logger: cfg.Logger, ContactURL: cfg.ContactURL}
	if cfg.Metrics != nil {
		liveCfg.Metrics, scfg.Metrics = cfg.Metrics, cfg.Metrics
	}
	hub := live.New(svc, msgs, liveCfg)
	svc.SetPublisher(hub)
	if cfg.Metrics != nil {
		cfg.Metrics.WatchLive(hub)
	}
	srv, err := server.New(scfg, svc, msgs, frontend.FS, hub)
	if err != nil {
		return nil, err
	}
	p := &Parts{Store: store, Service: svc, Hub: hub, Server: srv}
	if pg, ok := store.(*postgres.DB); ok {
		if p.bus, err = joinInstances(pg, svc, hub, cfg.Logger); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// joinInstances connects this instance to the others on the same PostgreSQL database: they hear
// of its commits and its rooms' presence, and it of theirs (docs/architecture.md, Several
// instances).
func joinInstances(pg *postgres.DB, svc *agreements.Service, hub *live.Hub, log *slog.Logger) (*postgres.Bus, error) {
	bus := postgres.NewBus(pg, log)
	bus.OnEvent(hub.Publish)
	bus.OnPresence(hub.RemotePresence)
	bus.OnGap(hub.Resync)
	svc.SetAnnouncer(bus)
	hub.SetPeers(bus)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := bus.Start(ctx); err != nil {
		return nil, fmt.Errorf("listen for other instances: %w", err)
	}
	return bus, nil
}

// Close ends the live connections and closes the store; the HTTP server is the caller's.
func (p *Parts) Close() {
	p.Hub.Close()
	if p.bus != nil {
		p.bus.Close()
	}
	p.Store.Close()
}
