// app.js makes the pages' forms talk to the JSON API: a form with data-api is sent as JSON,
// its errors are shown in the form in the person's language (the server localizes them), and
// on success the page goes on as the form says (data-next, data-reveal).

import './menu.js';

const network = document.body.dataset.msgNetwork || 'Network error';

bindForms(document);
for (const button of document.querySelectorAll('[data-print]')) {
  button.addEventListener('click', () => window.print());
}
localTimes();
// The forms now talk to the API; tests wait for this before they click.
document.documentElement.dataset.ready = '1';

/** localTimes shows a moment the server gives in UTC ([data-local-time], with its sentence in
 * data-message around "{time}") in the reader's own time, as their language writes dates. */
function localTimes() {
  const format = new Intl.DateTimeFormat(document.documentElement.lang || undefined,
    { dateStyle: 'long', timeStyle: 'short', hourCycle: 'h23', numberingSystem: 'latn' });
  for (const el of document.querySelectorAll('[data-local-time]')) {
    const time = document.createElement('time');
    time.dateTime = el.dataset.localTime;
    time.textContent = format.format(new Date(el.dataset.localTime));
    const [before, after = ''] = el.dataset.message.split('{time}');
    el.replaceChildren(before, time, after);
  }
}

/** bindForms has the forms with data-api in a part of the page send themselves to the API. */
function bindForms(part) {
  for (const form of part.querySelectorAll('form[data-api]')) {
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      submit(form);
    });
  }
}

/** submit sends a form to its API endpoint and acts on the answer. */
async function submit(form) {
  // One request at a time, and none after a form's one-time answer (a class, a school) came:
  // pressing twice must not create twice.
  if (form.hasAttribute('aria-busy') || form.dataset.sent === 'done') return;
  if (form.dataset.confirm && !window.confirm(form.dataset.confirm)) return;
  const method = (form.dataset.method || 'POST').toUpperCase();
  const init = { method, headers: { Accept: 'application/json' }, credentials: 'same-origin' };
  if (method !== 'DELETE' && method !== 'GET') {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(collect(form));
  }
  setBusy(form, true);
  let res, data = null;
  try {
    res = await fetch(form.dataset.api, init);
    if (res.status !== 204) data = await res.json().catch(() => null);
  } catch {
    setBusy(form, false);
    return showError(form, network);
  }
  setBusy(form, false);
  if (!res.ok) {
    showError(form, data?.error?.message || network);
    form.dispatchEvent(new CustomEvent('api-error', { detail: { status: res.status, data } }));
    return;
  }
  showError(form, '');
  done(form, data);
}

function done(form, data) {
  if (/\/api\/v1\/logout$|\/members\/me$/.test(form.dataset.api)) forgetDevice();
  if (form.dataset.reveal || form.dataset.next) {
    form.dataset.sent = 'done';
    for (const b of form.querySelectorAll('button')) b.disabled = true;
  }
  form.dispatchEvent(new CustomEvent('api-ok', { detail: data }));
  const next = form.dataset.next;
  if (next?.startsWith('refresh:')) return refresh(next.slice('refresh:'.length));
  // Other scripts (watch.js) leave the navigating to us when we are already on our way.
  if (next) document.documentElement.dataset.navigating = '1';
  if (next === 'reload') return location.reload();
  if (next) return location.assign(fill(next, data));
  if (form.dataset.reveal) reveal(form, document.querySelector(form.dataset.reveal), data);
}

/** collect turns a form's named fields into an object: data-type="int" gives numbers,
 * checkboxes with data-array gather into arrays of their values. */
export function collect(form) {
  const out = {};
  for (const el of form.elements) {
    if (!el.name || el.disabled || (el.type === 'radio' && !el.checked)) continue;
    if (el.type === 'checkbox' && 'array' in el.dataset) {
      out[el.name] ??= [];
      if (el.checked) out[el.name].push(el.value);
    } else if (el.type === 'checkbox') {
      out[el.name] = el.checked;
    } else if (el.dataset.type === 'datetime') {
      if (el.value) out[el.name] = new Date(el.value).toISOString(); // local time, as the person means it
    } else if (el.dataset.type === 'int') {
      out[el.name] = el.value === '' ? null : Number.parseInt(el.value, 10);
    } else if (el.value !== '' || el.type === 'hidden' || el.tagName === 'TEXTAREA' || el.required) {
      out[el.name] = el.value;
    }
  }
  return out;
}

/** fill replaces {a.b} in a pattern with values from the API's answer. */
export function fill(pattern, data) {
  return pattern.replace(/\{([\w.]+)\}/g, (_, path) => {
    const v = path.split('.').reduce((o, k) => (o == null ? o : o[k]), data);
    return v == null ? '' : String(v);
  });
}

/** refresh puts the page's part (a selector) as the server now draws it in place of the old one,
 * without reloading: the person keeps their place, and the part's message ([data-status], else
 * its first button) takes the focus, so a screen reader reads what changed. Should the page not
 * come, it reloads as before. */
async function refresh(sel) {
  try {
    const res = await fetch(location.href, { credentials: 'same-origin', cache: 'no-store', headers: { Accept: 'text/html' } });
    const fresh = new DOMParser().parseFromString(await res.text(), 'text/html').querySelector(sel);
    const old = document.querySelector(sel);
    if (!res.ok || !fresh || !old) throw new Error('no ' + sel);
    old.replaceWith(fresh);
    bindForms(fresh);
    (fresh.querySelector('[data-status]') ?? fresh.querySelector('button'))?.focus();
  } catch {
    document.documentElement.dataset.navigating = '1';
    location.reload();
  }
}

function reveal(form, panel, data) {
  if (!panel) return;
  for (const el of panel.querySelectorAll('[data-fill-text]')) el.textContent = fill(el.dataset.fillText, data);
  for (const el of panel.querySelectorAll('[data-fill-href]')) el.href = fill(el.dataset.fillHref, data);
  form.hidden = true;
  panel.hidden = false;
  panel.focus();
}

// forgetDevice deletes what the agreement pages keep on this device (changes not yet sent, the
// copy for reading without a network) when the person signs out or leaves.
function forgetDevice() {
  try {
    for (const key of Object.keys(localStorage)) if (key.startsWith('ka:edit:')) localStorage.removeItem(key);
    for (const key of Object.keys(sessionStorage)) if (key.startsWith('ka-unsent:')) sessionStorage.removeItem(key);
  } catch { /* no storage */ }
  globalThis.caches?.delete('ka-offline-1').catch(() => {});
}

function setBusy(form, busy) {
  form.toggleAttribute('aria-busy', busy);
  for (const b of form.querySelectorAll('button')) b.disabled = busy;
}

function showError(form, message) {
  const el = form.querySelector('.form-error');
  if (!el) return;
  el.textContent = message;
  el.hidden = message === '';
}

// A clause edited by someone else meanwhile: show the current clause, keep the person's own
// text beside it so nothing they typed is lost.
for (const form of document.querySelectorAll('form.clause-form')) {
  form.addEventListener('api-error', (ev) => {
    const current = ev.detail.data?.current;
    if (ev.detail.status !== 409 || !current) return;
    const box = form.querySelector('.conflict');
    box.querySelector('.mine').value = form.elements.body.value;
    box.hidden = false;
    form.elements.base_rev.value = current.rev;
    form.elements.title.value = current.title;
    form.elements.body.value = current.body;
    if (form.elements.value && current.parameter) form.elements.value.value = current.parameter.value;
  });
}
