// editor.js binds the agreement page to the live protocol: each clause's textarea is edited by
// text operations (live.js), titles and values by server-ordered commands, and the page shows
// who is here, where, and whether each clause is saved.
import { Live, newTabID, socketURL } from './live.js';
import { transformIndex } from './ot.js';
import { load } from './i18n.js';

const root = document.getElementById('live');
const list = document.getElementById('clauses');

function start() {
  const msg = root.dataset;
  const status = document.getElementById('live-status');
  const state = document.getElementById('live-state');
  const people = document.getElementById('people');
  const toggle = document.getElementById('people-toggle');
  let words = null; // the messages, for the plural forms of the count of who is here
  load(document.documentElement.lang || 'da').then((m) => { words = m; countPeople(); }, () => {});
  const presence = new Map(); // client → presence message
  const composing = new Map(); // clause → fallback timer
  const titleTimers = new Map();
  let me = null;

  // The tab's id is kept over a reload (tabId), so the tab takes its own place again; the server
  // tells it in the welcome how far its seq numbers went. An earlier page that left changes not
  // yet acknowledged hands them back with that page's id and seq (live.restore), sent once.
  const client = tabId();
  const kept = new Kept(msg.agreement);
  const live = new Live({ url: socketURL(msg.url), client, emit, keep: (id, k) => kept.put(id, k) });
  window.addEventListener('pagehide', () => keepTabId(live.client));
  window.addEventListener('pageshow', (ev) => { if (ev.persisted) tabId(); });
  document.body.classList.add('live-mode');
  restoreKept();
  live.connect();

  for (const ev of ['online', 'pageshow']) window.addEventListener(ev, () => live.reconnectNow());
  window.addEventListener('offline', () => live.drop());
  document.addEventListener('visibilitychange', () => {
    if (!document.hidden) live.reconnectNow();
    sendPresence(document.activeElement);
  });
  // Without the browser's storage, changes not yet sent are lost with the page: ask first.
  window.addEventListener('beforeunload', (ev) => { if (!kept.works && live.anyPending()) ev.preventDefault(); });
  keepForOffline();

  // restoreKept shows what an earlier page of this agreement left unsent, and hands it to the
  // live side. Changes of another tab id than the newest (two tabs closed with changes) cannot
  // be sent as theirs: they are offered for copying instead.
  function restoreKept() {
    const all = kept.all();
    const newest = Object.values(all).sort((a, b) => b.at - a.at)[0];
    if (!newest) return;
    const mine = {};
    for (const [id, k] of Object.entries(all)) {
      if (k.client === newest.client) mine[id] = k;
      else {
        keepLost({ clause: id, text: k.text });
        kept.put(id, null);
      }
    }
    live.restore(mine);
    for (const [id, k] of Object.entries(mine)) {
      const ta = clauseEl(id)?.querySelector('.clause-body');
      if (ta) ta.value = k.text;
    }
  }

  for (const li of list.children) bind(li);
  bindAdd();
  bindPeople();
  keepBarHeight();

  function emit(type, d) {
    switch (type) {
      case 'state': return showState(d.connected);
      case 'welcome': return welcome(d);
      case 'remote': tell(d.clause, 'ka:changed', { member: memberRef(d.member) }); return remote(d);
      case 'local': tell(d.clause, 'ka:changed', { member: me }); return moveCarets(d.clause, d.op);
      case 'saved': return showSaved(d.clause);
      case 'clause': return upsert(d.clause);
      case 'removed': clauseEl(d.clause)?.remove(); return renumber();
      case 'order': return reorder(d.clauses);
      case 'presence': return updatePresence(d);
      case 'agreement': if (d.agreement.status !== 'draft' && !document.documentElement.dataset.navigating) location.replace('?was=draft'); return;
      case 'lost': return keepLost(d);
      case 'error': return showError(d);
    }
  }

  function showState(connected) {
    if (root.dataset.state === (connected ? 'connected' : 'offline')) return;
    root.dataset.state = connected ? 'connected' : 'offline';
    status.textContent = connected ? msg.msgConnected : msg.msgOffline;
    state.textContent = connected ? msg.msgStateConnected : msg.msgStateOffline;
    document.body.classList.toggle('offline', !connected);
    for (const li of list.children) showSaved(li.dataset.clause);
  }

  function welcome(d) {
    me = d.member;
    presence.clear();
    for (const p of d.presence) presence.set(p.client, p);
    for (const c of d.agreement.clauses) upsert(c);
    reorder(d.agreement.clauses.map((c) => c.id));
    for (const li of [...list.children]) if (!live.docs.has(li.dataset.clause)) li.remove();
    drawPresence();
    sendPresence(document.activeElement);
  }

  function clauseEl(id) { return document.getElementById('clause-' + id); }

  // tell lets the page's other scripts (history.js) know who changed a clause and how a clause
  // is now (e.g. locked), without knowing the protocol.
  function tell(id, type, detail) {
    clauseEl(id)?.dispatchEvent(new CustomEvent(type, { bubbles: true, detail }));
  }

  function memberRef(id) {
    if (id && id === me?.id) return me;
    for (const p of presence.values()) if (p.member.id === id) return p.member;
    return { id };
  }

  // Remote text goes in with setRangeText, so the caret and selection stay where the person is.
  function remote(d) {
    const { clause, op, text } = d;
    const ta = clauseEl(clause)?.querySelector('.clause-body');
    if (!ta) return;
    let i = 0;
    for (const c of op) {
      if (typeof c === 'string') {
        ta.setRangeText(c, i, i, 'preserve');
        i += c.length;
      } else if (c > 0) {
        i += c;
      } else {
        ta.setRangeText('', i, i - c, 'preserve');
      }
    }
    if (ta.value !== text) ta.value = text; // never expected; the text must match the model
    moveCarets(clause, op, d.client);
    showSaved(clause);
  }

  function showSaved(id) {
    const el = clauseEl(id)?.querySelector('.saved');
    if (!el) return;
    const pending = live.pending(id);
    el.textContent = !pending ? msg.msgSaved : live.connected ? msg.msgSaving : msg.msgUnsaved;
    el.dataset.state = !pending ? 'saved' : live.connected ? 'saving' : 'unsaved';
  }

  function bind(li) {
    const id = li.dataset.clause;
    const ta = li.querySelector('.clause-body');
    const title = li.querySelector('.clause-title');
    const value = li.querySelector('.clause-value');
    li.querySelector('form.clause-form')?.addEventListener('submit', (ev) => { ev.preventDefault(); ev.stopImmediatePropagation(); }, true);
    if (ta) {
      ta.addEventListener('input', () => {
        if (!composing.has(id)) live.edit(id, ta.value); else keepComposing(id, ta);
        sendPresence(ta); // the others' view of this caret follows the typing
      });
      ta.addEventListener('compositionstart', () => { live.hold(id); keepComposing(id, ta); });
      ta.addEventListener('compositionend', () => endComposing(id, ta));
      for (const ev of ['focus', 'select', 'keyup', 'click']) ta.addEventListener(ev, () => sendPresence(ta));
      ta.addEventListener('blur', () => sendPresence(null));
    }
    title?.addEventListener('input', () => {
      nameClause(li, title.value);
      clearTimeout(titleTimers.get(id));
      titleTimers.set(id, setTimeout(() => live.send({ type: 'clause.title', clause: id, title: title.value }), 400));
    });
    value?.addEventListener('change', () => live.send({ type: 'clause.value', clause: id, value: value.value }));
    bindTools(li, id);
    showSaved(id);
  }

  // During composition (IME, Android keyboards) nothing is sent and nothing remote is written
  // into the field; if the browser never says the composition ended, a timer ends it.
  function keepComposing(id, ta) {
    clearTimeout(composing.get(id));
    composing.set(id, setTimeout(() => endComposing(id, ta), 2000));
  }

  function endComposing(id, ta) {
    clearTimeout(composing.get(id));
    composing.delete(id);
    live.edit(id, ta.value);
    live.release(id);
  }

  function bindTools(li, id) {
    const intercept = (sel, fn) => li.querySelector(sel)?.addEventListener('submit', (ev) => {
      ev.preventDefault();
      ev.stopImmediatePropagation();
      fn();
    }, true);
    intercept('form.move-up', () => {
      const prev = li.previousElementSibling;
      live.send({ type: 'clause.move', clause: id, after: prev?.previousElementSibling?.dataset.clause ?? '' });
    });
    intercept('form.move-down', () => {
      const next = li.nextElementSibling;
      if (next) live.send({ type: 'clause.move', clause: id, after: next.dataset.clause });
    });
    intercept('form.remove', () => {
      if (window.confirm(msg.msgConfirmRemove)) live.send({ type: 'clause.remove', clause: id });
    });
  }

  function bindAdd() {
    const form = document.getElementById('add-clause');
    form?.addEventListener('submit', (ev) => {
      ev.preventDefault();
      ev.stopImmediatePropagation();
      if (!live.connected) {
        // Said where the person looks, and to a screen reader: nothing is kept for later here.
        const err = form.querySelector('.form-error');
        if (err) {
          err.textContent = msg.msgAddOffline;
          err.hidden = false;
        }
        return;
      }
      const err = form.querySelector('.form-error');
      if (err) err.hidden = true;
      live.send({ type: 'clause.add', title: form.elements.title.value, body: form.elements.body.value });
      form.reset();
    }, true);
  }

  // upsert shows a clause the server reports: a new one from the template, or a changed title
  // or value of one shown (unless the person is typing that title right now).
  function upsert(c) {
    let li = clauseEl(c.id);
    const added = !li;
    if (!li) {
      li = fromTemplate(c);
      if (!li) return;
      list.append(li);
      bind(li);
      renumber();
    }
    const title = li.querySelector('.clause-title');
    if (title && !(document.activeElement === title && titleTimers.has(c.id)) && title.value !== c.title) {
      keepCaret(title, c.title);
      nameClause(li, c.title);
    }
    const value = li.querySelector('.clause-value');
    if (value && c.parameter && value.value !== c.parameter.value) {
      value.value = c.parameter.value;
      // The list the person is on changed under them: said, not only shown.
      if (document.activeElement === value) announce((value.labels[0]?.textContent.trim() ?? '') + ': ' + value.selectedOptions[0]?.text + '. ' + msg.msgChangedByOther);
    }
    if (added) announce(msg.msgAdded + '. ' + li.querySelector('.clause-heading')?.textContent.trim());
    li.querySelector('.changed-mark')?.toggleAttribute('hidden', !c.changed);
    const ta = li.querySelector('.clause-body');
    if (ta && !live.pending(c.id) && !composing.has(c.id) && ta.value !== live.text(c.id)) ta.value = live.text(c.id);
    tell(c.id, 'ka:clause', c);
  }

  function fromTemplate(c) {
    const tpl = document.getElementById('clause-template');
    if (!tpl) return null;
    const li = tpl.content.firstElementChild.cloneNode(true);
    li.id = 'clause-' + c.id;
    li.dataset.clause = c.id;
    for (const el of li.querySelectorAll('[id]')) el.id += c.id;
    for (const el of li.querySelectorAll('label[for]')) el.htmlFor += c.id;
    for (const el of li.querySelectorAll('[aria-labelledby]')) el.setAttribute('aria-labelledby', el.getAttribute('aria-labelledby').split(' ').map((x) => x + c.id).join(' '));
    for (const f of li.querySelectorAll('form[data-api]')) f.dataset.api = f.dataset.api.replace('/clauses/', '/clauses/' + c.id);
    li.querySelector('.clause-title').value = c.title;
    li.querySelector('.clause-body').value = live.text(c.id) ?? c.body;
    nameClause(li, c.title);
    return li;
  }

  // announce tells a screen reader what changed on the page without moving the focus; the
  // same words twice are told twice.
  function announce(text) {
    const news = document.getElementById('editor-news');
    if (!news || !text) return;
    news.textContent = news.textContent === text ? text + '\u00a0' : text;
  }

  // A clause's heading says its number and title; its fields are named after it.
  function nameClause(li, title) {
    const name = li.querySelector('.clause-heading .clause-name');
    if (name && name.textContent !== title) name.textContent = title;
  }

  function renumber() {
    [...list.children].forEach((li, i) => {
      const no = li.querySelector('.clause-heading .clause-no');
      if (no) no.textContent = msg.msgNumber.replace('%n', i + 1);
    });
  }

  function reorder(ids) {
    for (const id of ids) {
      const li = clauseEl(id);
      if (li) list.append(li);
    }
    const items = [...list.children];
    items.forEach((li, i) => {
      li.querySelector('form.move-up')?.toggleAttribute('hidden', i === 0);
      li.querySelector('form.move-down')?.toggleAttribute('hidden', i === items.length - 1);
    });
    renumber();
  }

  // Who is here is a count in the bar that opens into the list: with twenty people the list
  // would fill a phone's screen. Escape closes it again.
  function bindPeople() {
    const box = document.getElementById('people-box');
    const open = (yes) => {
      toggle.setAttribute('aria-expanded', String(yes));
      box.hidden = !yes;
    };
    toggle.addEventListener('click', () => open(toggle.getAttribute('aria-expanded') !== 'true'));
    root.addEventListener('keydown', (ev) => {
      if (ev.key !== 'Escape' || box.hidden) return;
      open(false);
      toggle.focus();
    });
  }

  function countPeople() {
    const n = people.children.length;
    toggle.hidden = n === 0 || !words;
    if (words) toggle.textContent = words.n('live.present', n);
  }

  // The page scrolls a focused field clear of the bar (scroll-padding in app.css): the bar's
  // height, which changes with the zoom and when the list opens, is kept in --live-bar. A field
  // the browser deems in view already is not scrolled, even when its top is under the bar: the
  // page moves it down below the bar itself.
  function keepBarHeight() {
    const set = () => document.documentElement.style.setProperty('--live-bar', Math.ceil(root.getBoundingClientRect().height) + 8 + 'px');
    new ResizeObserver(set).observe(root);
    set();
    document.addEventListener('focusin', (ev) => {
      if (root.contains(ev.target)) return;
      const bar = root.getBoundingClientRect(), box = ev.target.getBoundingClientRect();
      if (box.top < bar.bottom && box.bottom > bar.top) window.scrollBy(0, box.top - bar.bottom - 8);
    });
  }

  let presenceTimer = null;
  function sendPresence(el) {
    clearTimeout(presenceTimer);
    presenceTimer = setTimeout(() => {
      const li = el?.closest?.('[data-clause]');
      const clause = li && el.classList.contains('clause-body') ? li.dataset.clause : li?.dataset.clause ?? null;
      const sel = el && 'selectionStart' in el && el.classList.contains('clause-body') ? [el.selectionStart, el.selectionEnd] : [];
      live.send({ type: 'presence', clause, sel, rev: clause ? live.rev(clause) ?? 0 : 0, away: document.hidden });
    }, 150);
  }

  function updatePresence(p) {
    if (p.gone) presence.delete(p.client);
    else presence.set(p.client, p);
    drawPresence();
  }

  // drawPresence lists who is here at the top, and in each clause who is in it. Names are
  // always written out: colour is never the only sign.
  // Others' carets follow every change to the text, theirs and ours: the author's own caret
  // stays after what the author typed (author: the tab that made the change).
  function moveCarets(clause, op, author) {
    for (const p of presence.values()) {
      if (p.clause === clause && p.sel?.length === 2) p.sel = p.sel.map((x) => transformIndex(x, op, author !== undefined && p.client === author));
    }
    drawCarets(clause);
  }

  // drawCarets shows where the others are in a clause's text: a thin line in their colour with
  // their name, laid over the textarea. (Screen readers get the names from the list below it.)
  function drawCarets(clause) {
    const li = clauseEl(clause);
    const ta = li?.querySelector('.clause-body');
    if (!ta) return;
    let box = ta.parentElement.classList.contains('caret-box') ? ta.parentElement : null;
    if (!box) {
      box = document.createElement('div');
      box.className = 'caret-box';
      ta.replaceWith(box);
      box.append(ta);
      ta.addEventListener('scroll', () => drawCarets(clause));
    }
    for (const old of box.querySelectorAll('.caret')) old.remove();
    for (const p of presence.values()) {
      if (p.clause !== clause || p.sel?.length !== 2 || p.away) continue;
      const at = caretXY(box, ta, Math.min(p.sel[1], ta.value.length));
      if (!at) continue;
      const caret = document.createElement('span');
      caret.className = 'caret';
      caret.setAttribute('aria-hidden', 'true');
      const name = document.createElement('span');
      name.className = 'caret-name';
      name.dir = 'auto';
      name.textContent = p.member.name;
      caret.append(name);
      caret.style.setProperty('--caret-color', p.member.color);
      caret.style.setProperty('inset-block-start', at.top + 'px');
      caret.style.setProperty('left', at.left + 'px');
      box.append(caret);
      // A name that would stick out of the field at the edge of a line hangs the other way.
      const n = name.getBoundingClientRect();
      const b = box.getBoundingClientRect();
      if (n.left < b.left || n.right > b.right) caret.classList.add('flip');
    }
  }

  function drawPresence() {
    const all = [...presence.values()];
    people.replaceChildren(...all.map((p) => chip(p)));
    if (me) people.prepend(chip({ member: me, client: client, away: false }, msg.msgYou));
    countPeople();
    for (const li of list.children) {
      const here = li.querySelector('.here');
      if (here) here.replaceChildren(...all.filter((p) => p.clause === li.dataset.clause).map((p) => chip(p)));
      drawCarets(li.dataset.clause);
    }
  }

  function chip(p, suffix) {
    const el = document.createElement('li');
    el.className = 'person' + (p.away ? ' away' : '');
    const dot = document.createElement('span');
    dot.className = 'dot';
    dot.dataset.color = p.member.color;
    el.append(dot);
    // The name stands isolated, in its own direction; the words after it follow the page's.
    const label = document.createElement('span');
    const name = document.createElement('bdi');
    name.textContent = p.member.name;
    label.append(name, (suffix ? ' (' + suffix + ')' : '') + (p.away ? ' (' + msg.msgAway + ')' : ''));
    el.append(label);
    colour(dot);
    return el;
  }

  function keepLost({ clause, text }) {
    const li = clauseEl(clause);
    const box = li?.querySelector('.conflict');
    if (!box) return;
    box.querySelector('.mine').value = text;
    box.hidden = false;
  }

  function showError(d) {
    status.textContent = d.message;
  }
}

// Kept is what the live side hands over as not yet acknowledged, per clause, in the browser's
// storage (docs/protocol.md, Kept changes), so a reload or a closed tab loses nothing.
class Kept {
  constructor(agreement) {
    this.prefix = 'ka:edit:' + agreement + ':';
    try {
      this.store = window.localStorage;
      this.store.setItem(this.prefix + 'probe', '1');
      this.store.removeItem(this.prefix + 'probe');
      this.works = true;
    } catch {
      this.store = null;
      this.works = false;
    }
  }

  put(clause, k) {
    if (!this.store) return;
    try {
      if (k) this.store.setItem(this.prefix + clause, JSON.stringify({ ...k, at: Date.now() }));
      else this.store.removeItem(this.prefix + clause);
    } catch { /* full: the page keeps it until it is sent */ }
  }

  all() {
    const out = {};
    if (!this.store) return out;
    for (let i = 0; i < this.store.length; i++) {
      const key = this.store.key(i);
      if (!key?.startsWith(this.prefix)) continue;
      try {
        const k = JSON.parse(this.store.getItem(key));
        if (k && typeof k.client === 'string' && Array.isArray(k.op) && typeof k.text === 'string') out[key.slice(this.prefix.length)] = k;
      } catch { /* not ours to read */ }
    }
    return out;
  }
}

// keepForOffline has the service worker (/sw.js) keep this page and what it loaded, so that
// a reload without a network shows the agreement as last seen instead of the browser's error.
function keepForOffline() {
  if (!('serviceWorker' in navigator)) return;
  const keep = (reg) => reg.active?.postMessage({ type: 'keep', urls: [location.href, ...performance.getEntriesByType('resource').map((e) => e.name)] });
  navigator.serviceWorker.register('/sw.js').then(() => navigator.serviceWorker.ready).then((reg) => {
    keep(reg);
    // What loaded after that and before the worker took charge is asked for once it has.
    if (!navigator.serviceWorker.controller) navigator.serviceWorker.addEventListener('controllerchange', () => keep(reg), { once: true });
  }).catch(() => {});
}

// Presence colours come from the server; inline styles are not allowed by the page's policy,
// so the dot takes its colour through the CSS object model.
function colour(dot) { dot.style.setProperty('background-color', dot.dataset.color); }

// tabId is this tab's id: kept over a reload, so the tab takes its own place among those here
// again instead of appearing twice. It is taken out of the tab's storage while the page lives
// and put back when it goes, so a duplicated tab, which copies the storage, gets an id of its own.
function tabId() {
  let id = null;
  try {
    id = sessionStorage.getItem('ka-tab');
    sessionStorage.removeItem('ka-tab');
  } catch { /* storage off: a new id */ }
  return id && /^[\w.:-]{1,64}$/.test(id) ? id : newTabID();
}

function keepTabId(id) {
  try { sessionStorage.setItem('ka-tab', id); } catch { /* storage off */ }
}

// caretXY finds where character index of a textarea's text is drawn, by laying the text out
// again in a hidden copy of the textarea with the same box and font. The copy lies in the
// textarea's own box, exactly over it and clipped to its size: placed far off to one side it
// would widen a right-to-left page (there the start side scrolls). It returns the position
// relative to the textarea's top-left corner, or null when the spot is scrolled out of view.
function caretXY(box, ta, index) {
  let mirror = box.querySelector('.caret-mirror');
  if (!mirror) {
    mirror = document.createElement('div');
    mirror.setAttribute('aria-hidden', 'true');
    mirror.className = 'caret-mirror';
    box.prepend(mirror);
  }
  const cs = getComputedStyle(ta);
  for (const prop of ['box-sizing', 'width', 'height', 'font-family', 'font-size', 'font-weight', 'line-height',
    'letter-spacing', 'word-spacing', 'padding-top', 'padding-right', 'padding-bottom', 'padding-left',
    'border-top-width', 'border-right-width', 'border-bottom-width', 'border-left-width', 'direction', 'text-align', 'tab-size']) {
    mirror.style.setProperty(prop, cs.getPropertyValue(prop));
  }
  mirror.dir = cs.direction;
  mirror.textContent = ta.value.slice(0, index);
  const mark = document.createElement('span');
  mark.textContent = '\u200b';
  mirror.append(mark);
  const top = mark.offsetTop - ta.scrollTop;
  const left = mark.offsetLeft - ta.scrollLeft;
  if (top < 0 || top > ta.clientHeight) return null;
  return { top, left };
}

if (root && list) start(); // last: the classes above must be defined first

// keepCaret sets a field's text changed by someone else, keeping the person's caret where it
// was in the text: before the change it stays put, after it moves with the text.
function keepCaret(el, value) {
  if (document.activeElement !== el) {
    el.value = value;
    return;
  }
  const old = el.value;
  const [from, to] = [el.selectionStart, el.selectionEnd];
  // The one stretch that changed lies between what stayed at the start and at the end.
  let head = 0;
  while (head < old.length && head < value.length && old[head] === value[head]) head++;
  let tail = 0;
  while (tail < old.length - head && tail < value.length - head && old[old.length - 1 - tail] === value[value.length - 1 - tail]) tail++;
  const at = (i) => (i <= head ? i : i >= old.length - tail ? i + value.length - old.length : value.length - tail);
  el.value = value;
  el.setSelectionRange(at(from), at(to));
}
