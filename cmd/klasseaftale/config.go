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
	fs.StringVar(&c.DB, "db", env("KLASSEAFTALE_DB", "klasseaftale.db"), "SQLite database file (env KLASSEAFTALE_DB)")
	fs.StringVar(&c.BaseURL, "base-url", env("KLASSEAFTALE_BASE_URL", ""), "public address, e.g. https://klasseaftale.dk (env KLASSEAFTALE_BASE_URL; default http://localhost:<port>)")
	fs.StringVar(&proxies, "trusted-proxies", env("KLASSEAFTALE_TRUSTED_PROXIES", ""), "comma-separated CIDRs of reverse proxies whose X-Forwarded-For is trusted (env KLASSEAFTALE_TRUSTED_PROXIES)")
	maxBody := fs.Int64("max-body", envInt(getenv, "KLASSEAFTALE_MAX_BODY", 256<<10), "largest request body in bytes (env KLASSEAFTALE_MAX_BODY)")
	archive := fs.Int64("archive-days", envInt(getenv, "KLASSEAFTALE_ARCHIVE_DAYS", 30), "days an archived class is kept before its data is deleted (env KLASSEAFTALE_ARCHIVE_DAYS)")
	fs.StringVar(&c.LogLevel, "log-level", env("KLASSEAFTALE_LOG_LEVEL", "info"), "debug, info, warn or error (env KLASSEAFTALE_LOG_LEVEL)")
	fs.DurationVar(&c.Shutdown, "shutdown-timeout", 10*time.Second, "how long to wait for requests to finish on shutdown")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	c.MaxBodyBytes, c.ArchiveDays = *maxBody, int(*archive)
	if proxies != "" {
		c.TrustedProxy = strings.Split(proxies, ",")
	}
	return c, c.validate()
}

func envInt(getenv func(string) string, key string, def int64) int64 {
	if v, err := strconv.ParseInt(getenv(key), 10, 64); err == nil {
		return v
	}
	return def
}

func (c *config) validate() error {
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		return fmt.Errorf("-addr %q: %w", c.Addr, err)
	}
	if c.DB == "" {
		return fmt.Errorf("-db must name a file")
	}
	if c.MaxBodyBytes < 1024 {
		return fmt.Errorf("-max-body %d is too small", c.MaxBodyBytes)
	}
	if c.ArchiveDays < 1 || c.ArchiveDays > maxArchiveDays {
		return fmt.Errorf("-archive-days %d must be 1 to %d", c.ArchiveDays, maxArchiveDays)
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
