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

// screenshot saves the whole page as a PNG (quality 100: below it Chromium writes JPEG) in the directory named by KA_SCREENSHOTS, for a
// person to look at; without it nothing is written. Either way the page must not scroll
// sideways.
func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	if w := eval[int](t, ctx, `document.documentElement.scrollWidth - document.documentElement.clientWidth`); w > 0 {
		t.Errorf("%s scrolls sideways by %d px", name, w)
	}
	dir := os.Getenv("KA_SCREENSHOTS")
	if dir == "" {
		return
	}
	png := get(t, ctx, "screenshot "+name, chromedp.FullScreenshot(100))
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		t.Error(err)
	}
}
