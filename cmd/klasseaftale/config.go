package main

import (
	"flag"
	"fmt"
	"io"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	"klasseaftale/internal/demo"
)

// config is everything the binary can be told, by flag or by environment variable (the flag
// wins). It is validated before anything starts.
type config struct {
	Addr         string
	DB           string
	BaseURL      string
	TrustedProxy []string
	MaxBodyBytes int64
	ArchiveDays  int // how long an archived class is kept before its data is deleted
	LogLevel     string
	Shutdown     time.Duration
	// HTTP timeouts: a request's whole body must arrive within ReadTimeout, an answer be
	// written within WriteTimeout; an idle kept-alive connection closes after IdleTimeout.
	// Live sockets set their own deadlines once upgraded.
	ReadTimeout, WriteTimeout, IdleTimeout time.Duration
	// Caps on live connections: per member's token, per client address, in all (0: derived
	// from the process's limit of open files).
	LivePerMember, LivePerAddress, LiveMax int
	// LiveRing writes a broadcast to many sockets with one system call (io_uring) where the
	// system allows it; off: one system call a socket, as where it does not.
	LiveRing bool
	// MetricsAddr is where /metrics is served in the Prometheus format ("": not at all). Not
	// the public address: keep it to the operator's network.
	MetricsAddr string
	// Demo serves a demo school from a database of its own (DB, when not given, is
	// demo.DefaultDB), filled on the first start; a database with real data is refused.
	Demo bool
	// ContactURL is where a person reaches the operator, named by the accessibility statement
	// ("": the statement says that none is given).
	ContactURL string
}

// maxArchiveDays bounds the archive retention: ten years is longer than any school would
// want, and a typo of extra digits should not keep data forever.
const maxArchiveDays = 3650

func parseConfig(args []string, getenv func(string) string, stderr io.Writer) (config, error) {
	env := func(key, def string) string {
		if v := getenv(key); v != "" {
			return v
		}
		return def
	}
	var c config
	var proxies string
	fs := flag.NewFlagSet("klasseaftale", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.Addr, "addr", env("KLASSEAFTALE_ADDR", ":8080"), "address to listen on (env KLASSEAFTALE_ADDR)")
	fs.StringVar(&c.DB, "db", env("KLASSEAFTALE_DB", "klasseaftale.db"), "SQLite database file, or a postgres:// URL for PostgreSQL (env KLASSEAFTALE_DB)")
	fs.StringVar(&c.BaseURL, "base-url", env("KLASSEAFTALE_BASE_URL", ""), "public address, e.g. https://klasseaftale.dk (env KLASSEAFTALE_BASE_URL; default http://localhost:<port>)")
	fs.StringVar(&proxies, "trusted-proxies", env("KLASSEAFTALE_TRUSTED_PROXIES", ""), "comma-separated CIDRs of reverse proxies whose X-Forwarded-For is trusted (env KLASSEAFTALE_TRUSTED_PROXIES)")
	maxBody := fs.Int64("max-body", envInt(getenv, "KLASSEAFTALE_MAX_BODY", 256<<10), "largest request body in bytes (env KLASSEAFTALE_MAX_BODY)")
	archive := fs.Int64("archive-days", envInt(getenv, "KLASSEAFTALE_ARCHIVE_DAYS", 30), "days an archived class is kept before its data is deleted (env KLASSEAFTALE_ARCHIVE_DAYS)")
	fs.StringVar(&c.LogLevel, "log-level", env("KLASSEAFTALE_LOG_LEVEL", "info"), "debug, info, warn or error (env KLASSEAFTALE_LOG_LEVEL)")
	fs.DurationVar(&c.Shutdown, "shutdown-timeout", 10*time.Second, "how long to wait for requests to finish on shutdown")
	fs.DurationVar(&c.ReadTimeout, "read-timeout", envDuration(getenv, "KLASSEAFTALE_READ_TIMEOUT", 30*time.Second), "time to read a whole request, body included (env KLASSEAFTALE_READ_TIMEOUT)")
	fs.DurationVar(&c.WriteTimeout, "write-timeout", envDuration(getenv, "KLASSEAFTALE_WRITE_TIMEOUT", 60*time.Second), "time to write an answer (env KLASSEAFTALE_WRITE_TIMEOUT)")
	fs.DurationVar(&c.IdleTimeout, "idle-timeout", envDuration(getenv, "KLASSEAFTALE_IDLE_TIMEOUT", 120*time.Second), "time an idle kept-alive connection stays open (env KLASSEAFTALE_IDLE_TIMEOUT)")
	fs.IntVar(&c.LivePerMember, "live-per-member", int(envInt(getenv, "KLASSEAFTALE_LIVE_PER_MEMBER", 8)), "live connections one member's token may hold (env KLASSEAFTALE_LIVE_PER_MEMBER)")
	fs.IntVar(&c.LivePerAddress, "live-per-address", int(envInt(getenv, "KLASSEAFTALE_LIVE_PER_ADDRESS", 200)), "live connections from one client address, an IPv6 /64 as one (env KLASSEAFTALE_LIVE_PER_ADDRESS)")
	fs.StringVar(&c.MetricsAddr, "metrics-addr", env("KLASSEAFTALE_METRICS_ADDR", ""), "address to serve /metrics on for Prometheus, e.g. 127.0.0.1:9090; empty: none (env KLASSEAFTALE_METRICS_ADDR)")
	fs.IntVar(&c.LiveMax, "live-max", int(envInt(getenv, "KLASSEAFTALE_LIVE_MAX", 0)), "live connections in all; 0: from the limit of open files (env KLASSEAFTALE_LIVE_MAX)")
	fs.BoolVar(&c.LiveRing, "live-ring", envBoolOr(getenv("KLASSEAFTALE_LIVE_RING"), true), "write a live broadcast to many sockets with one system call (io_uring on Linux) where the system allows it (env KLASSEAFTALE_LIVE_RING)")
	fs.BoolVar(&c.Demo, "demo", envBool(getenv("KLASSEAFTALE_DEMO")), "serve a demo school from a database of its own ("+demo.DefaultDB+" unless -db is given), filled on the first start (env KLASSEAFTALE_DEMO)")
	fs.StringVar(&c.ContactURL, "contact-url", env("KLASSEAFTALE_CONTACT_URL", ""), "where people reach the operator (an https or mailto address), named by the accessibility statement (env KLASSEAFTALE_CONTACT_URL)")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if c.Demo {
		dbGiven := false
		fs.Visit(func(f *flag.Flag) { dbGiven = dbGiven || f.Name == "db" })
		if !dbGiven {
			c.DB = demo.DefaultDB // never the product's own database, whatever KLASSEAFTALE_DB says
		}
	}
	c.MaxBodyBytes, c.ArchiveDays = *maxBody, int(*archive)
	if proxies != "" {
		c.TrustedProxy = strings.Split(proxies, ",")
	}
	return c, c.validate()
}

func envBool(v string) bool { return envBoolOr(v, false) }

// envBoolOr is v as a boolean, or def when v is empty or not one.
func envBoolOr(v string, def bool) bool {
	if b, err := strconv.ParseBool(v); err == nil {
		return b
	}
	return def
}

func envInt(getenv func(string) string, key string, def int64) int64 {
	if v, err := strconv.ParseInt(getenv(key), 10, 64); err == nil {
		return v
	}
	return def
}

func envDuration(getenv func(string) string, key string, def time.Duration) time.Duration {
	if v, err := time.ParseDuration(getenv(key)); err == nil {
		return v
	}
	return def
}

func (c *config) validate() error {
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		return fmt.Errorf("-addr %q: %w", c.Addr, err)
	}
	if c.MetricsAddr != "" {
		if _, _, err := net.SplitHostPort(c.MetricsAddr); err != nil {
			return fmt.Errorf("-metrics-addr %q: %w", c.MetricsAddr, err)
		}
	}
	if c.DB == "" {
		return fmt.Errorf("-db must name a file")
	}
	if c.MaxBodyBytes < 1024 {
		return fmt.Errorf("-max-body %d is too small", c.MaxBodyBytes)
	}
	if c.ReadTimeout <= 0 || c.WriteTimeout <= 0 || c.IdleTimeout <= 0 {
		return fmt.Errorf("-read-timeout, -write-timeout and -idle-timeout must be positive")
	}
	if c.LivePerMember < 1 || c.LivePerAddress < 1 || c.LiveMax < 0 {
		return fmt.Errorf("-live-per-member and -live-per-address must be at least 1, -live-max at least 0")
	}
	if c.ArchiveDays < 1 || c.ArchiveDays > maxArchiveDays {
		return fmt.Errorf("-archive-days %d must be 1 to %d", c.ArchiveDays, maxArchiveDays)
	}
	if c.ContactURL != "" {
		u, err := url.Parse(c.ContactURL)
		if err != nil || !(((u.Scheme == "http" || u.Scheme == "https") && u.Host != "") || (u.Scheme == "mailto" && u.Opaque != "")) {
			return fmt.Errorf("-contact-url %q must be an http(s) or mailto address", c.ContactURL)
		}
	}
	if c.BaseURL != "" {
		u, err := url.Parse(c.BaseURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("-base-url %q must be an http(s) address", c.BaseURL)
		}
		c.BaseURL = strings.TrimSuffix(c.BaseURL, "/")
	}
	return nil
}
