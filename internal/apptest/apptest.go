// Package apptest starts the whole product for tests: a real SQLite file in a temporary
// directory, the real server behind httptest, and a small JSON client.
package apptest

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"klasseaftale/agreements"
	"klasseaftale/internal/metrics"
	"klasseaftale/internal/pgtest"
	"klasseaftale/internal/wire"
	"klasseaftale/server"
	"klasseaftale/server/live"
)

// App is a running product.
type App struct {
	t       testing.TB
	URL     string
	DBPath  string
	Store   wire.Store
	Service *agreements.Service
	HTTP    *httptest.Server
	Hub     *live.Hub
	once    sync.Once
}

// Options changes how the app is built.
type Options struct {
	Live         *live.Config // the live side's timings; nil: the defaults
	MaxBodyBytes int64
	Limits       *server.Limits   // the rate limits; nil: the defaults
	TrustedProxy []string         // CIDRs whose X-Forwarded-For is believed, to play many addresses
	DBPath       string           // reuse a database file, e.g. for a restart, or a PostgreSQL URL
	ContactURL   string           // where people reach the operator, named by the accessibility statement
	Metrics      *metrics.Metrics // what the server and the live side report to; nil: none
	// WrapStore wraps the store the service commits through, e.g. to hold a commit back.
	WrapStore func(agreements.Store) agreements.Store
}

// New starts the app; it stops when the test ends.
func New(t testing.TB, opts ...Options) *App {
	t.Helper()
	var o Options
	if len(opts) > 0 {
		o = opts[0]
	}
	if o.DBPath == "" {
		o.DBPath = filepath.Join(t.TempDir(), "test.db")
		if os.Getenv("KA_TEST_STORE") == "postgres" {
			o.DBPath = pgtest.EmptyDSN(t) // the server's tests on PostgreSQL, each on a database of its own
		}
	}
	hs := httptest.NewUnstartedServer(nil)
	p, err := wire.Build(context.Background(), wire.Config{DB: o.DBPath, BaseURL: "http://" + hs.Listener.Addr().String(),
		MaxBodyBytes: o.MaxBodyBytes, Limits: o.Limits, TrustedProxy: o.TrustedProxy, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Live: o.Live,
		ContactURL: o.ContactURL, WrapStore: o.WrapStore, Metrics: o.Metrics})
	if err != nil {
		t.Fatal(err)
	}
	srv := p.Server
	hs.Config.Handler = srv
	hs.Start()
	a := &App{t: t, URL: hs.URL, DBPath: o.DBPath, Store: p.Store, Service: p.Service, HTTP: hs, Hub: p.Hub}
	t.Cleanup(a.Stop)
	return a
}

// Stop closes the live connections, the server and the database, as a shutdown would; it is
// safe to call twice.
func (a *App) Stop() {
	a.once.Do(func() {
		a.Hub.Close()
		a.HTTP.Close()
		a.Store.Close()
	})
}

// Response is an API answer.
type Response struct {
	Status int
	Body   []byte
	Header http.Header
}

// JSON decodes the body into v.
func (r *Response) JSON(v any) error { return json.Unmarshal(r.Body, v) }

// ErrorCode returns error.code of an error answer.
func (r *Response) ErrorCode() string {
	var e struct {
		Error struct{ Code, Message string } `json:"error"`
	}
	json.Unmarshal(r.Body, &e)
	return e.Error.Code
}

// ErrorMessage returns error.message of an error answer.
func (r *Response) ErrorMessage() string {
	var e struct {
		Error struct{ Code, Message string } `json:"error"`
	}
	json.Unmarshal(r.Body, &e)
	return e.Error.Message
}

// Do sends a request with a Bearer token (if any) and a JSON body: a string or []byte is sent
// as it is, anything else is encoded. Extra headers come as "Name: value".
func (a *App) Do(method, path, token string, body any, headers ...string) *Response {
	a.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			a.t.Fatal(err)
		}
		rd = bytes.NewReader(j)
	}
	req, err := http.NewRequest(method, a.URL+path, rd)
	if err != nil {
		a.t.Fatal(err)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for _, h := range headers {
		k, v, _ := strings.Cut(h, ":")
		req.Header.Set(strings.TrimSpace(k), strings.TrimSpace(v))
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		a.t.Fatal(err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	return &Response{Status: res.StatusCode, Body: data, Header: res.Header}
}

// Must sends a request and fails the test unless the status is want; it decodes into out.
func (a *App) Must(want int, method, path, token string, body, out any) *Response {
	a.t.Helper()
	r := a.Do(method, path, token, body)
	if r.Status != want {
		a.t.Fatalf("%s %s: status %d, want %d: %s", method, path, r.Status, want, r.Body)
	}
	if out != nil {
		if err := r.JSON(out); err != nil {
			a.t.Fatalf("%s %s: decode: %v: %s", method, path, err, r.Body)
		}
	}
	return r
}
