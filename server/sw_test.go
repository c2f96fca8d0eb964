package server_test

import (
	"net/http"
	"strings"
	"testing"

	"klasseaftale/internal/apptest"
)

// The service worker is served from the site's root (so it may keep the agreement pages), as a
// script, revalidated every time, under the pages' security headers; it fetches nothing from
// other sites.
func TestServiceWorkerIsServedFromTheRoot(t *testing.T) {
	app := apptest.New(t)
	r := app.Do("GET", "/sw.js", "", nil)
	if r.Status != http.StatusOK {
		t.Fatalf("GET /sw.js: %d", r.Status)
	}
	if ct := r.Header.Get("Content-Type"); !strings.Contains(ct, "javascript") {
		t.Errorf("Content-Type %q", ct)
	}
	if cc := r.Header.Get("Cache-Control"); cc != "no-cache" {
		t.Errorf("Cache-Control %q, want no-cache", cc)
	}
	if r.Header.Get("Content-Security-Policy") == "" {
		t.Error("no Content-Security-Policy")
	}
	body := string(r.Body)
	if !strings.Contains(body, "addEventListener('fetch'") || strings.Contains(body, "https://") {
		t.Errorf("the worker: %.200s", body)
	}
	again := app.Do("GET", "/sw.js", "", nil, "If-None-Match: "+r.Header.Get("ETag"))
	if again.Status != http.StatusNotModified {
		t.Errorf("revalidating: %d, want 304", again.Status)
	}
}
