package e2e

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"
)

// phone is the viewport the pages are looked at in: a 390×844 phone.
func phone() chromedp.Action[chromedp.Void] { return chromedp.EmulateViewport(390, 844) }

// The pictures the tests take, for a person to look at, go to the folder KA_SCREENSHOTS names
// (made if missing); without it nothing is written. Taking them does not change what the
// tests check.

// shotsWanted reports whether pictures are to be kept, for a test that would take extra steps
// only to show something.
func shotsWanted() bool { return os.Getenv("KA_SCREENSHOTS") != "" }

// keepShot writes a picture (or a printed PDF) as file in the folder, when pictures are wanted.
func keepShot(t *testing.T, file string, data []byte) {
	t.Helper()
	dir := os.Getenv("KA_SCREENSHOTS")
	if dir == "" {
		return
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, file), data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// screenshot saves the whole page, as tall as it is, as name.png (quality 100: below it
// Chromium writes JPEG). Whether or not pictures are wanted, the page must not scroll
// sideways.
func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	noSidewaysScroll(t, ctx, name)
	if shotsWanted() {
		keepShot(t, name+".png", get(t, ctx, "screenshot "+name, chromedp.FullScreenshot(100)))
	}
}

// noSidewaysScroll fails when the page is wider than the screen.
func noSidewaysScroll(t *testing.T, ctx context.Context, what string) {
	t.Helper()
	if w := eval[int](t, ctx, `document.documentElement.scrollWidth - document.documentElement.clientWidth`); w > 0 {
		wide := eval[string](t, ctx, `[...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().width > 0 && e.getBoundingClientRect().right > document.documentElement.clientWidth + 1).slice(0, 3).map((e) => e.tagName + '.' + e.className).join(', ')`)
		t.Errorf("%s scrolls sideways by %d px (%s)", what, w, wide)
	}
}

// shoot saves what the screen shows now, as name.png: the part of the page a person sees,
// with what is scrolled or opened over it.
func shoot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	if shotsWanted() {
		keepShot(t, name+".png", get(t, ctx, "screenshot "+name, chromedp.CaptureScreenshot()))
	}
}
