// Package e2e drives the product in a real Chromium, with one browser context per person so
// each has their own cookies, as on their own phones.
package e2e

import (
	"context"
	"flag"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// css selects the first element matching a CSS selector.
type css = chromedp.CSS

// chromium is the one browser of the package: started by the first test that needs it, shared
// by all (each person gets a browser context of their own), and stopped by TestMain.
var chromium struct {
	once   sync.Once
	root   context.Context
	err    error
	cancel func()
}

func TestMain(m *testing.M) {
	// Browser tests wait on the browser and the server far more than they compute: with the
	// default of one test at a time per core, two cores would leave both mostly idle. Four at
	// once keep the package well inside go test's ten minutes; -parallel on the command line wins.
	flag.Parse()
	parallelSet := false
	flag.Visit(func(f *flag.Flag) { parallelSet = parallelSet || f.Name == "test.parallel" })
	if !parallelSet {
		flag.Set("test.parallel", "4")
	}
	code := m.Run()
	if chromium.cancel != nil {
		chromium.cancel()
	}
	os.Exit(code)
}

// browser returns the package's Chromium. Without Chromium the test is skipped, unless
// KA_REQUIRE_BROWSER=1 (as in CI), where that is a failure.
func browser(t *testing.T) context.Context {
	t.Helper()
	path := chromiumPath()
	if path == "" {
		if os.Getenv("KA_REQUIRE_BROWSER") == "1" {
			t.Fatal("Chromium is required (KA_REQUIRE_BROWSER=1) but not installed")
		}
		t.Skip("Chromium is not installed")
	}
	chromium.once.Do(func() { chromium.root, chromium.cancel, chromium.err = startChromium(path) })
	if chromium.err != nil {
		t.Fatalf("start Chromium: %v", chromium.err)
	}
	return chromium.root
}

func chromiumPath() string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

func startChromium(path string) (context.Context, func(), error) {
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox,
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		// A machine with a roomy /dev/shm keeps the browser's shared memory there, in memory; the
		// default puts it in files of the temporary directory, for containers with 64 MB (about
		// a tenth of the package's time on two cores).
		chromedp.Flag("disable-dev-shm-usage", !roomyShm()),
		// Every test's pages come from one loopback server: isolating sites would start
		// renderer processes per site and per frame. Without it each person has one renderer
		// process (a browser context cannot share one with another, so the limit of two does
		// not bind across people), which saved about a seventh more. The flag replaces
		// chromedp's list of features to turn off (its first two); of the last three, two are
		// background services and one holds the old page's paint while the next loads: no test
		// looks at them.
		chromedp.Flag("disable-features", "Translate,BlinkGenPropertyTrees,IsolateOrigins,site-per-process,OptimizationHints,MediaRouter,PaintHolding"),
		chromedp.Flag("disable-site-isolation-trials", true),
		chromedp.Flag("renderer-process-limit", "2"),
		chromedp.WindowSize(412, 915), // a phone
	)
	// The whole browser lives until shortly before go test would stop the package, so a hung
	// test run ends by itself, with each test saying where it stood.
	bounded, cancelBound := context.WithTimeout(context.Background(), browserLife())
	alloc, cancelAlloc := chromedp.NewExecAllocator(bounded, opts...)
	root, cancelRoot := chromedp.NewContext(alloc)
	cancel := func() { cancelRoot(); cancelAlloc(); cancelBound() }
	if err := chromedp.Do(root); err != nil {
		cancel()
		return nil, nil, err
	}
	return root, cancel, nil
}

// browserLife is how long the package's browser may live: until 15 s before go test's -timeout
// (ten minutes unless given) would stop the package, and an hour when there is none. A fixed
// nine minutes cut a slow machine's run short (the package took 9 min 1 s there).
func browserLife() time.Duration {
	timeout := 10 * time.Minute
	if f := flag.Lookup("test.timeout"); f != nil {
		if d, err := time.ParseDuration(f.Value.String()); err == nil {
			timeout = d
		}
	}
	if timeout <= 0 {
		return time.Hour
	}
	return max(timeout-15*time.Second, timeout/2)
}

// person opens a new browser context (own cookies and storage) in the browser.
func person(t *testing.T, root context.Context) context.Context {
	t.Helper()
	ctx, cancel := chromedp.NewContext(root, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil {
		t.Fatal(err)
	}
	return ctx
}

// do runs actions, each step bounded, and fails the test with the step's name and the page.
func do(t *testing.T, ctx context.Context, step string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(sctx, actions...); err != nil {
		t.Fatalf("%s: %v\n%s", step, err, where(ctx))
	}
}

// get runs one action that reads a value.
func get[T any](t *testing.T, ctx context.Context, step string, a chromedp.Action[T]) T {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	v, err := chromedp.Run(sctx, a)
	if err != nil {
		t.Fatalf("%s: %v\n%s", step, err, where(ctx))
	}
	return v
}

// eval evaluates JavaScript in the page.
func eval[T any](t *testing.T, ctx context.Context, js string) T {
	t.Helper()
	return get(t, ctx, js, chromedp.Evaluate[T](js))
}

func where(ctx context.Context) string {
	sctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	url, _ := chromedp.Run(sctx, chromedp.Location())
	body, _ := chromedp.Run(sctx, chromedp.Evaluate[string](`document.body ? document.body.innerText : ''`))
	return "at " + url + "\n" + body
}

// waitPath waits until the page's path starts with prefix ("/" means the front page itself:
// every path starts with it).
func waitPath(prefix string) chromedp.Action[chromedp.Void] {
	if prefix == "/" {
		return waitJS(`location.pathname === '/' && document.readyState === 'complete'`)
	}
	return waitJS(`location.pathname.startsWith(` + jsString(prefix) + `) && document.readyState === 'complete'`)
}

// waitJS waits until a JavaScript condition holds.
func waitJS(cond string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		for {
			ok, err := chromedp.Evaluate[bool](`!!(`+cond+`)`)(ctx, t)
			if err == nil && ok {
				return nil
			}
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(50 * time.Millisecond):
			}
		}
	})
}

func jsString(s string) string {
	return `'` + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + `'`
}

// acceptConfirms makes window.confirm say yes, as a person clicking OK.
var acceptConfirms = chromedp.Evaluate[chromedp.Void](`window.confirm = () => true`)

// ready waits until the page's scripts have bound its forms: after a reload a test could
// otherwise click a form the script has not taken over yet.
func ready() chromedp.Action[chromedp.Void] {
	return waitJS(`document.readyState === 'complete' && document.documentElement.dataset.ready === '1' && !document.documentElement.dataset.navigating`)
}
