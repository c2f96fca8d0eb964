// history.js shows, under each clause of the editor, who changed it and when, and keeps that
// line up to date as changes arrive (editor.js tells it, with 'ka:changed' and 'ka:clause'
// events on the clause). A locked clause turns read-only for everyone but the facilitator. The
// facilitator also gets the clause's earlier texts, read from its log, with a way back: the
// restore is an ordinary operation that every tab receives live, and a lock button.

const root = document.getElementById('live');
const list = document.getElementById('clauses');
if (root && list) start();

function start() {
  const base = '/api/v1/agreements/' + root.dataset.agreement + '/clauses/';
  const lang = document.documentElement.lang;
  const when = new Intl.DateTimeFormat(lang, { day: 'numeric', month: 'numeric', hour: '2-digit', minute: '2-digit' });
  const network = document.body.dataset.msgNetwork;
  const refresh = new Map(); // clause → timer: a history read waiting for the typing to pause

  for (const li of list.children) bind(li);
  // Clauses added live come from the page's template; moved ones come back too.
  new MutationObserver((changes) => {
    for (const ch of changes) for (const n of ch.addedNodes) if (n.dataset?.clause && !n.dataset.historyBound) bind(n);
  }).observe(list, { childList: true });
  list.addEventListener('ka:changed', (ev) => changed(ev.target, ev.detail.member));
  list.addEventListener('ka:clause', (ev) => showLock(ev.target, !!ev.detail.locked));

  function bind(li) {
    li.dataset.historyBound = '1';
    for (const dot of li.querySelectorAll('.authors .dot')) colour(dot);
    for (const t of li.querySelectorAll('.authors time[datetime]')) localTime(t, new Date(t.dateTime));
    li.querySelector('.lock-toggle')?.addEventListener('click', () => toggleLock(li));
    const details = li.querySelector('details.history');
    details?.addEventListener('toggle', () => { if (details.open) load(li); });
  }

  function url(li, rest = '') { return base + li.dataset.clause + rest; }

  // changed puts the author first in the clause's line, with the time now. Someone the page
  // does not know by name (an edit over HTTP by someone not here) is read from the history.
  function changed(li, member) {
    const box = li.querySelector('.authors');
    if (!box) return;
    if (!member?.id || !member.name) return later(li);
    const ul = box.querySelector('ul');
    let chip = ul.querySelector(`[data-member="${CSS.escape(member.id)}"]`);
    chip ??= person(member, box.dataset.msgLeft);
    ul.prepend(chip);
    localTime(box.querySelector('time'), new Date());
    box.hidden = false;
    if (li.querySelector('details.history')?.open) later(li);
  }

  function later(li) {
    const id = li.dataset.clause;
    clearTimeout(refresh.get(id));
    refresh.set(id, setTimeout(() => { refresh.delete(id); reload(li); }, 1500));
  }

  async function reload(li) {
    const h = await get(url(li, '/history'));
    if (!h) return;
    const box = li.querySelector('.authors');
    box.querySelector('ul').replaceChildren(...h.authors.map((a) => person(a.member, box.dataset.msgLeft)));
    if (h.authors.length) localTime(box.querySelector('time'), new Date(h.authors[0].last_at));
    box.hidden = h.authors.length === 0;
    if (li.querySelector('details.history')?.open) draw(li, h);
  }

  function localTime(el, date) {
    if (!el) return;
    el.dateTime = date.toISOString();
    el.textContent = when.format(date);
  }

  // showLock makes a locked clause read-only for everyone but the facilitator, who keeps the
  // lock button; the note says why.
  function showLock(li, locked) {
    li.toggleAttribute('data-locked', locked);
    li.querySelector('.locked-note')?.toggleAttribute('hidden', !locked);
    const button = li.querySelector('.lock-toggle');
    if (button) {
      button.setAttribute('aria-pressed', String(locked));
      button.textContent = locked ? button.dataset.msgUnlock : button.dataset.msgLock;
      return;
    }
    for (const el of li.querySelectorAll('.clause-body, .clause-title')) el.readOnly = locked;
    const value = li.querySelector('.clause-value');
    if (value) value.disabled = locked;
  }

  async function toggleLock(li) {
    const button = li.querySelector('.lock-toggle');
    const lock = button.getAttribute('aria-pressed') !== 'true';
    const res = await send(url(li, '/lock'), lock ? 'PUT' : 'DELETE');
    if (res.ok) showLock(li, !!res.data.locked);
    else say(li, res.message);
  }

  async function load(li) {
    const body = li.querySelector('.history-body');
    const msg = li.querySelector('details.history').dataset;
    body.textContent = msg.msgLoading;
    const h = await get(url(li, '/history'));
    if (h) draw(li, h);
    else body.textContent = network;
  }

  // draw lists the runs of changes, newest first, and the text the clause started with; each
  // can be shown, and shown texts restored.
  function draw(li, h) {
    const msg = li.querySelector('details.history').dataset;
    const body = li.querySelector('.history-body');
    const ol = document.createElement('ol');
    ol.className = 'history-list';
    for (const e of h.entries) {
      const item = document.createElement('li');
      const t = document.createElement('time');
      localTime(t, new Date(e.at));
      item.append(t, ' ', person(e.member, li.querySelector('.authors').dataset.msgLeft, 'span'), ' ', e.text ? msg.msgText : msg.msgOther);
      if (h.texts) item.append(' ', showButton(li, e.rev, msg));
      ol.append(item);
    }
    if (h.texts && h.rev >= 0) {
      const item = document.createElement('li');
      item.append(msg.msgStart, ' ', showButton(li, 0, msg));
      ol.append(item);
    }
    const parts = [];
    if (!h.entries.length) parts.push(para(msg.msgNone));
    if (!h.texts && h.entries.length) parts.push(para(msg.msgNoTexts));
    parts.push(ol);
    if (h.more) parts.push(para(msg.msgMore));
    const version = li.querySelector('.history-version') ?? versionBox(li, msg);
    body.replaceChildren(...parts, version);
  }

  function showButton(li, rev, msg) {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'linklike';
    b.textContent = msg.msgShow;
    b.dataset.rev = rev;
    b.addEventListener('click', () => showVersion(li, rev));
    return b;
  }

  function versionBox(li, msg) {
    const box = document.createElement('div');
    box.className = 'history-version stack';
    box.hidden = true;
    const id = 'version-' + li.dataset.clause;
    box.innerHTML = '<label></label><textarea readonly rows="5" dir="auto"></textarea><div class="row"><button type="button" class="restore"></button></div><p class="small history-status" role="status"></p>';
    box.querySelector('label').htmlFor = id;
    box.querySelector('label').textContent = msg.msgVersion;
    box.querySelector('textarea').id = id;
    const restore = box.querySelector('button.restore');
    restore.textContent = msg.msgRestore;
    restore.addEventListener('click', () => restoreVersion(li, Number(box.dataset.rev), msg));
    return box;
  }

  async function showVersion(li, rev) {
    const box = li.querySelector('.history-version');
    const v = await get(url(li, '/history/' + rev));
    if (!v) return say(li, network);
    box.dataset.rev = rev;
    box.querySelector('textarea').value = v.body;
    box.querySelector('.history-status').textContent = '';
    box.hidden = false;
    box.querySelector('textarea').focus();
  }

  async function restoreVersion(li, rev, msg) {
    if (!window.confirm(msg.msgConfirm)) return;
    const res = await send(url(li, '/restore'), 'POST', { rev });
    say(li, res.ok ? msg.msgRestored : res.message);
    if (res.ok) later(li);
  }

  function say(li, text) {
    const status = li.querySelector('.history-status') ?? li.querySelector('.form-error');
    if (!status) return;
    status.textContent = text;
    status.hidden = false;
  }

  async function get(path) {
    const res = await send(path, 'GET');
    return res.ok ? res.data : null;
  }

  async function send(path, method, body) {
    const init = { method, credentials: 'same-origin', headers: { Accept: 'application/json' } };
    if (body) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    try {
      const res = await fetch(path, init);
      const data = await res.json().catch(() => null);
      return { ok: res.ok, data, message: data?.error?.message || network };
    } catch {
      return { ok: false, data: null, message: network };
    }
  }
}

function person(member, left, tag = 'li') {
  const li = document.createElement(tag);
  li.className = 'person';
  li.dataset.member = member.id;
  const dot = document.createElement('span');
  dot.className = 'dot';
  dot.dataset.color = member.color || '#5d4037';
  colour(dot);
  const name = document.createElement('span');
  name.dir = 'auto';
  name.textContent = member.name || left;
  li.append(dot, name);
  return li;
}

function para(text) {
  const p = document.createElement('p');
  p.className = 'small';
  p.textContent = text;
  return p;
}

// Colours come from the server; the page's policy allows no inline styles, so they go through
// the CSS object model.
function colour(dot) { dot.style.setProperty('background-color', dot.dataset.color); }
