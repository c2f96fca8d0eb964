// sw.js keeps the agreement pages and the files they load, so that a reload without a network
// shows the agreement as last seen (with the changes the page kept in storage) instead of the
// browser's error page. Network first: whenever the network answers, its answer is shown and
// kept. Nothing else is kept, nothing from other sites is ever fetched, and signing out or
// leaving deletes the kept agreement pages.
const CACHE = 'ka-offline-1';
// How long a page waits for the network before the kept copy is shown: long enough for a slow
// phone network (a stale page there would mislead more than a slow one), short enough for a
// network that went without a word.
const WAIT = 10000;

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (ev) => ev.waitUntil(self.clients.claim()));

function kept(url) {
  return url.origin === self.location.origin &&
    (url.pathname.startsWith('/a/') || url.pathname.startsWith('/static/') || url.pathname.startsWith('/i18n/'));
}

self.addEventListener('fetch', (ev) => {
  const req = ev.request;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin) return;
  if (req.method !== 'GET') {
    if (url.pathname === '/api/v1/logout' || /^\/api\/v1\/classes\/[^/]+\/members\/me$/.test(url.pathname)) {
      ev.waitUntil(forgetPages());
    }
    return;
  }
  if (!kept(url) || url.pathname.startsWith('/api/')) return;
  ev.respondWith(networkFirst(req));
});

// forgetPages deletes the kept agreement pages, the only kept files that hold a class's words;
// the site's own scripts, styles and messages may stay (the next page fetches them anyway).
// A page fetched before the person signed out and put after must not come back: each put checks
// that no forgetting happened since its fetch began.
let forgets = 0;

async function forgetPages() {
  forgets++;
  const cache = await caches.open(CACHE);
  for (const req of await cache.keys()) {
    if (new URL(req.url).pathname.startsWith('/a/')) await cache.delete(req);
  }
}

async function networkFirst(req) {
  const cache = await caches.open(CACHE);
  const since = forgets;
  const fromNet = fetch(req).then(async (res) => {
    if (res.ok && res.type === 'basic' && since === forgets) await cache.put(req, res.clone());
    return res;
  });
  const copy = cache.match(req, { ignoreVary: true }).then((r) => r || cache.match(req, { ignoreVary: true, ignoreSearch: true }));
  let timer;
  const late = new Promise((resolve) => { timer = setTimeout(resolve, WAIT); });
  try {
    // The network's answer, unless it fails or is slow and a copy is kept.
    const first = await Promise.race([fromNet, late.then(async () => (await copy) || fromNet)]);
    return first;
  } catch {
    const c = await copy;
    if (c) return c;
    throw new Error('offline');
  } finally {
    clearTimeout(timer);
  }
}

// keep: a page asks for itself and what it loaded to be kept (on its first visit they were
// fetched before this worker was in charge). Files of an older version of the site go.
self.addEventListener('message', (ev) => {
  if (ev.origin && ev.origin !== self.location.origin) return;
  if (ev.data?.type !== 'keep' || !Array.isArray(ev.data.urls)) return;
  ev.waitUntil(keepAll(ev.data.urls.slice(0, 100)));
});

async function keepAll(urls) {
  const cache = await caches.open(CACHE);
  const wanted = urls.map((u) => new URL(u, self.location.href)).filter((u) => kept(u));
  const versions = new Set(wanted.map((u) => u.pathname.split('/')[2]).filter((v) => /^v[0-9a-f]+$/.test(v || '')));
  for (const u of wanted) {
    if (await cache.match(u.href) && !u.pathname.startsWith('/a/')) continue;
    try {
      const since = forgets;
      const res = await fetch(u.href, { credentials: 'same-origin' });
      if (res.ok && res.type === 'basic' && since === forgets) await cache.put(u.href, res);
    } catch { /* offline: kept next time */ }
  }
  if (versions.size === 0) return;
  for (const req of await cache.keys()) {
    const p = new URL(req.url).pathname.split('/');
    if (p[1] === 'static' && /^v[0-9a-f]+$/.test(p[2]) && !versions.has(p[2])) await cache.delete(req);
  }
}
