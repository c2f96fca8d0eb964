package e2e

import (
	"context"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"klasseaftale/internal/apptest"
)

// cutProxy stands between the browser and the server as a phone's network does. Cut, it goes
// silent: what is sent on open connections is swallowed without a word (no close, no reset),
// and new connections are refused. Mended, it forgets the silenced connections (as a network
// that came back does: they are closed) and passes new ones again.
type cutProxy struct {
	ln     net.Listener
	target string
	mu     sync.Mutex
	cut    bool
	conns  []net.Conn
	URL    string
}

func newCutProxy(t *testing.T, target string) *cutProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &cutProxy{ln: ln, target: strings.TrimPrefix(target, "http://"), URL: "http://" + ln.Addr().String()}
	t.Cleanup(func() { ln.Close(); p.mend() })
	go p.serve()
	return p
}

func (p *cutProxy) serve() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.mu.Lock()
		if p.cut {
			p.mu.Unlock()
			c.Close()
			continue
		}
		s, err := net.Dial("tcp", p.target)
		if err != nil {
			p.mu.Unlock()
			c.Close()
			continue
		}
		p.conns = append(p.conns, c, s)
		p.mu.Unlock()
		go p.pipe(c, s)
		go p.pipe(s, c)
	}
}

// pipe copies from one side to the other while the network is up, and swallows while it is cut.
func (p *cutProxy) pipe(from, to net.Conn) {
	buf := make([]byte, 32<<10)
	for {
		n, err := from.Read(buf)
		if n > 0 {
			p.mu.Lock()
			cut := p.cut
			p.mu.Unlock()
			if !cut {
				to.Write(buf[:n])
			}
		}
		if err != nil {
			to.Close()
			return
		}
	}
}

func (p *cutProxy) setCut() {
	p.mu.Lock()
	p.cut = true
	p.mu.Unlock()
}

func (p *cutProxy) mend() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.cut = false
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}

// keptForOffline holds once the service worker keeps the page and every file it loaded; what
// it still lacks is in window.kaMissing.
const keptForOffline = `(caches.open('ka-offline-1').then(async (c) => {
  const urls = [location.href, ...performance.getEntriesByType('resource').map((e) => e.name).filter((u) => new URL(u).pathname.startsWith('/static/'))];
  const kept = await Promise.all(urls.map((u) => c.match(u)));
  window.kaMissing = urls.filter((u, i) => !kept[i]);
  if (!navigator.serviceWorker.controller) window.kaMissing.unshift('(no worker in charge)');
  window.kaKept = window.kaMissing.length === 0;
}), window.kaKept === true)`

// waitKeptForOffline waits until the page and its files are kept, and says which are not when
// they are not.
func waitKeptForOffline(t *testing.T, ctx context.Context) {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(sctx, waitJS(keptForOffline)); err != nil {
		t.Fatalf("the page and its files kept for reading without a network: %v; not kept: %v", err, eval[[]string](t, ctx, `window.kaMissing ?? []`))
	}
}

// A parent's phone loses its network in the middle of writing: the page says so in words within
// seconds, keeps what is typed, shows it again after a reload without a network (the agreement as
// last seen, not the browser's error page), and sends it once the network is back — exactly once.
// In Danish and Arabic, on a phone.
func TestOfflineKeepsTheTextAndSaysSo(t *testing.T) {
	t.Parallel()
	root := browser(t)
	for _, lang := range []string{"da", "ar"} {
		t.Run(lang, func(t *testing.T) {
			app := apptest.New(t)
			class := app.NewClass("4.B", 4)
			_, mor := app.Join(class.ParentCode, "Mor til Ida", "Ida")
			draft := app.NewAgreement(class, "parents", "photos")
			clause := draft.Clauses[0].ID
			ta := `#clause-` + clause + ` textarea.clause-body`
			net := newCutProxy(t, app.URL)
			p := person(t, root)
			page := net.URL + "/a/" + draft.ID + "?lang=" + lang
			// The second visit is the one the offline worker serves whole (the first loaded before
			// it). The reload waits until the worker is in charge of the first: a reload begun
			// while it was still starting was served without it, and stayed so.
			do(t, p, "open the draft", phone(), signIn(net.URL, mor), chromedp.Navigate(page), connected())
			do(t, p, "the offline worker in charge of the page", waitJS(`!!navigator.serviceWorker.controller`))
			do(t, p, "open the draft again", chromedp.Reload(), connected())
			waitKeptForOffline(t, p)
			shoot(t, p, "offline-before-"+lang)

			// The network goes silently: no close reaches the page. What is typed at once goes
			// into the void on the old connection.
			first, second := " Skrevet lige før.", " Og uden net."
			net.setCut()
			cut := time.Now()
			do(t, p, "type as the network goes", caretAtEnd(ta), chromedp.SendKeys(css(ta), first))
			do(t, p, "the page says offline", waitJS(`document.getElementById('live').dataset.state === 'offline'`))
			t.Logf("%s: the page said offline %.1f s after the network was cut", lang, time.Since(cut).Seconds())
			status := eval[string](t, p, `document.getElementById('live-status').textContent`)
			if want := eval[string](t, p, `document.getElementById('live').dataset.msgOffline`); status != want || want == "" {
				t.Errorf("status %q, want %q", status, want)
			}
			do(t, p, "type offline", caretAtEnd(ta), chromedp.SendKeys(css(ta), second),
				waitJS(`document.querySelector('#clause-`+clause+` .saved').dataset.state === 'unsaved'`))
			noSidewaysScroll(t, p, "the offline page")
			shoot(t, p, "offline-"+lang)

			// A reload without any network: the kept page, with the kept text.
			typed := eval[string](t, p, `document.querySelector('`+ta+`').value`)
			if !strings.HasSuffix(typed, first+second) {
				t.Fatalf("typed %q", typed)
			}
			do(t, p, "reload offline", offline(true), chromedp.Reload(),
				waitJS(`document.querySelector('`+ta+`') && document.documentElement.dataset.ready === '1'`),
				waitJS(`document.getElementById('live').dataset.state === 'offline'`))
			if got := eval[string](t, p, `document.querySelector('`+ta+`').value`); got != typed {
				t.Fatalf("after the reload offline the clause says %q, want %q", got, typed)
			}
			noSidewaysScroll(t, p, "the page reloaded offline")
			shoot(t, p, "offline-reloaded-"+lang)
			if s := serverText(t, app, class, draft.ID, clause); strings.Contains(s, first) {
				t.Fatalf("the server has the text while the network is cut: %q", s)
			}

			// The network is back: the kept text is sent, once.
			net.mend()
			do(t, p, "back online", offline(false), connected(),
				waitJS(`document.querySelector('#clause-`+clause+` .saved').dataset.state === 'saved'`))
			if s := serverText(t, app, class, draft.ID, clause); s != typed || strings.Count(s, first) != 1 || strings.Count(s, second) != 1 {
				t.Fatalf("the server has %q, want %q", s, typed)
			}
			if n := eval[int](t, p, `Object.keys(localStorage).filter((k) => k.startsWith('ka:edit:')).length`); n != 0 {
				t.Errorf("%d changes still kept after they were saved", n)
			}
			// A second reload sends nothing again.
			do(t, p, "reload online", chromedp.Reload(), connected())
			if s := serverText(t, app, class, draft.ID, clause); s != typed {
				t.Fatalf("after another reload the server has %q", s)
			}
			shoot(t, p, "online-again-"+lang)

			// Signing out on the device deletes what the pages kept there.
			do(t, p, "sign out", chromedp.Evaluate[chromedp.Void](`localStorage.setItem('ka:edit:x:y', '{}')`), acceptConfirms,
				chromedp.Click(css(`form[data-api="/api/v1/logout"] button`)), waitPath("/"),
				waitJS(`(caches.open('ka-offline-1').then((c) => c.keys()).then((ks) => { window.kaGone = !ks.some((r) => new URL(r.url).pathname.startsWith('/a/')) }), window.kaGone === true)`))
			if n := eval[int](t, p, `Object.keys(localStorage).filter((k) => k.startsWith('ka:edit:')).length`); n != 0 {
				t.Errorf("%d kept changes left after signing out", n)
			}
		})
	}
}
