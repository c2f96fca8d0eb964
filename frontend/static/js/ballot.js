// ballot.js makes the ballot one page: an answer is saved through the vote API the moment it
// is tapped, the preference when it is chosen and the "men" reason when it is left, without
// leaving the page. Each clause says whether its answer is saved, or why not, and the ballot
// counts the clauses answered. Without this script each clause's form posts on its own.
import { load } from './i18n.js';

const progress = document.getElementById('ballot-progress');
const forms = [...document.querySelectorAll('#ballot form.vote-form')];
const lang = document.documentElement.lang || 'da';
const words = document.getElementById('ballot')?.dataset ?? {}; // saving, saved, not saved
const network = document.body.dataset.msgNetwork || 'Network error';
// The plural forms of the count come with the messages; the ballot does not wait for them.
let messages = null;
load(lang).then((m) => { messages = m; count(); }, () => {});

for (const form of forms) bind(form);
// Back online: the answers that could not be sent are sent again.
window.addEventListener('online', () => {
  for (const form of forms) if (form.querySelector('[data-state=error]')) save(form);
});
document.documentElement.dataset.ballot = '1';

function bind(form) {
  form.querySelector('button.cast').hidden = true;
  const retry = form.querySelector('button.retry');
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    save(form);
  });
  // A radio button or the preference saves when it changes; the reason when it is left
  // (a textarea's change comes on blur, and only if the text changed).
  form.addEventListener('change', () => save(form));
  retry.addEventListener('click', () => save(form));
  // An answer tapped before the script was bound is saved now.
  const choice = form.querySelector('input[name=choice]:checked')?.value ?? '';
  if (choice && choice !== form.dataset.savedAnswer) save(form);
}

/** save sends the clause's vote as it now stands. One request per clause is in flight at a
 * time; a change made meanwhile is sent when it returns, so the last answer is the one kept. */
async function save(form) {
  const vote = current(form);
  if (!vote.choice && !vote.value) return;
  if (form.sending) {
    form.again = true;
    return;
  }
  form.sending = true;
  show(form, 'saving', words.msgSaving);
  const sent = JSON.stringify(vote);
  let res, data = null;
  try {
    const url = new URL(form.dataset.ballotApi, location.href);
    url.searchParams.set('lang', lang); // errors in the ballot's language
    res = await fetch(url, {
      method: 'PUT', credentials: 'same-origin', body: sent,
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    });
    data = await res.json().catch(() => null);
  } catch {
    res = null;
  }
  form.sending = false;
  if (form.again) {
    form.again = false;
    if (JSON.stringify(current(form)) !== sent) return save(form);
  }
  if (!res?.ok) return failed(form, data?.error?.message || network);
  form.dataset.savedAnswer = vote.choice;
  if (form.elements.reason) form.elements.reason.dataset.sent = vote.reason ?? '';
  show(form, 'saved', '✓ ' + words.msgSaved);
  count(data?.results);
}

/** current is the clause's vote as the form shows it; a reason goes only with a "men" answer. */
function current(form) {
  const choice = form.querySelector('input[name=choice]:checked')?.value ?? '';
  const vote = { clause_id: form.elements.clause_id.value, choice, value: form.elements.value?.value ?? '' };
  if (choice.endsWith('_but')) vote.reason = form.elements.reason.value;
  return vote;
}

function failed(form, why) {
  show(form, 'error', (words.msgNotSaved || '%s').replace('%s', why));
  form.querySelector('button.retry').hidden = false;
}

/** show puts the clause's state beside it, in words a screen reader reads out. */
function show(form, state, text) {
  const el = form.querySelector('[data-testid=vote-state]');
  el.dataset.state = state;
  el.textContent = text;
  form.querySelector('button.retry').hidden = true;
  form.closest('li').dataset.state = state;
}

/** count shows how many clauses have a saved answer, and how many have voted in all. */
function count(results) {
  const answered = forms.filter((f) => f.dataset.savedAnswer).length;
  const m = messages;
  if (progress) {
    progress.dataset.answered = String(answered);
    if (m) progress.textContent = m.n('vote.answered', answered, { Total: forms.length });
  }
  const voted = document.getElementById('vote-count');
  if (m && voted && results && typeof results.voted === 'number') {
    voted.textContent = m.n('vote.voted', results.voted, { Electorate: results.electorate });
  }
}
