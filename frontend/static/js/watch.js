// watch.js keeps a ballot or a decided agreement in step with the room: when the agreement's
// status changes (the vote closes, or goes back to draft and its votes are discarded), the page
// reloads to show it, with a word about why.
import { Live, newTabID, socketURL } from './live.js';

const root = document.getElementById('watch');
if (root) {
  const status = root.dataset.status;
  const keptKey = 'ka-unsent:' + new URL(root.dataset.url, location.href).pathname;
  showUnsent(keptKey);
  const live = new Live({
    url: socketURL(root.dataset.url),
    client: newTabID('watch-'),
    emit(type, d) {
      if (type === 'agreement' && d.agreement.status !== status && !document.documentElement.dataset.navigating) {
        keepUnsent(keptKey);
        const next = new URL(location.href);
        next.searchParams.set('was', status);
        location.replace(next.href);
      }
    },
  });
  live.connect();
  window.addEventListener('online', () => live.reconnectNow());
}

// keepUnsent keeps, for the page that replaces this one, the reasons a person wrote on the
// ballot and had not sent when the vote closed: they cannot count any more, but they are theirs.
function keepUnsent(key) {
  const unsent = [...document.querySelectorAll('textarea[name=reason]')]
    .filter((ta) => ta.value.trim() && ta.value !== (ta.dataset.sent ?? ta.defaultValue))
    .map((ta) => ta.value);
  try {
    if (unsent.length) sessionStorage.setItem(key, JSON.stringify(unsent));
  } catch { /* no storage: nothing more to do */ }
}

// showUnsent shows such reasons once, at the top of the page, to copy.
function showUnsent(key) {
  let unsent = [];
  try {
    unsent = JSON.parse(sessionStorage.getItem(key) || '[]');
    sessionStorage.removeItem(key);
  } catch { /* nothing kept */ }
  if (!Array.isArray(unsent) || !unsent.length) return;
  const box = document.createElement('section');
  box.className = 'card unsent';
  box.dataset.testid = 'unsent';
  const say = document.createElement('p');
  say.setAttribute('role', 'alert');
  say.textContent = root.dataset.msgUnsent;
  box.append(say);
  for (const text of unsent) {
    const ta = document.createElement('textarea');
    ta.readOnly = true;
    ta.dir = 'auto';
    ta.value = String(text);
    ta.setAttribute('aria-label', root.dataset.msgUnsent);
    box.append(ta);
  }
  document.querySelector('main')?.prepend(box);
}
