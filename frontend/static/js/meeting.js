// meeting.js is the projector's view of a class meeting: how many families are here, the clause
// under discussion and, live, its votes — only the number cast while results are hidden.
import { Live } from './live.js';
import { load } from './i18n.js';

const root = document.getElementById('meeting');
if (root) start();

async function start() {
  const msg = root.dataset;
  const line = document.getElementById('present-line');
  const messages = await load(line.dataset.lang);
  const initial = JSON.parse(document.getElementById('meeting-data').textContent);
  let agreement = initial.agreement;
  let results = initial.results;
  let index = 0;
  let heard = 0; // results messages received
  const presence = new Map();
  const $ = (id) => document.getElementById(id);

  const url = new URL(msg.url, location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  const live = new Live({ url: url.href, client: 'meeting-' + Math.random().toString(36).slice(2), emit });
  live.connect();
  window.addEventListener('online', () => live.reconnectNow());
  $('prev').addEventListener('click', () => { index = Math.max(0, index - 1); draw(); });
  $('next').addEventListener('click', () => { index = Math.min(agreement.clauses.length - 1, index + 1); draw(); });
  draw();

  function emit(type, d) {
    if (type === 'welcome') {
      presence.clear();
      for (const p of d.presence) presence.set(p.client, p);
      agreement = d.agreement;
      refreshResults(); // votes cast before this connection (or while it was down) sent no message to it
    } else if (type === 'presence') {
      if (d.gone) presence.delete(d.client); else presence.set(d.client, d);
    } else if (type === 'results') {
      results = d.results;
      heard++;
    } else if (type === 'agreement') {
      agreement = { ...agreement, ...d.agreement, clauses: agreement.clauses };
    } else {
      return;
    }
    draw();
  }

  // refreshResults reads the results as they are now. A results message that arrives while
  // the request is under way is newer than its answer, which is then dropped.
  async function refreshResults() {
    const before = heard;
    try {
      const res = await fetch('/api/v1/agreements/' + encodeURIComponent(agreement.id) + '/results',
        { credentials: 'same-origin', headers: { Accept: 'application/json' } });
      const fresh = res.ok ? await res.json() : null;
      if (fresh && heard === before) { results = fresh; draw(); }
    } catch { /* the next results message brings them */ }
  }

  // present counts households (or pupils) with someone in the room, not tabs.
  function present() {
    const seen = new Set();
    for (const p of presence.values()) {
      const key = msg.kind === 'pupils' ? p.member.id : p.member.household;
      if (key) seen.add(key);
    }
    return seen.size;
  }

  function draw() {
    const n = present(), cast = results?.voted ?? 0;
    $('present').textContent = String(n);
    $('cast').textContent = String(cast);
    line.textContent = messages.n(line.dataset.key, n);
    $('cast-line').textContent = messages.n('meeting.cast', cast);
    $('meeting-status').textContent = msg['msgStatus' + cap(agreement.status)] || agreement.status;
    const clauses = agreement.clauses || [];
    const c = clauses[index];
    if (!c) return;
    $('clause-pos').textContent = msg.msgClause.replace('{n}', index + 1).replace('{of}', clauses.length);
    $('clause-title').textContent = c.title;
    $('clause-body').textContent = c.body;
    drawVotes(c);
  }

  function drawVotes(c) {
    const box = $('clause-votes');
    const r = results?.clauses?.find((x) => x.clause_id === c.id);
    if (!r) {
      box.textContent = results?.hidden ? msg.msgHidden : '';
      return;
    }
    if (r.masked) {
      // Fewer than min_answers have answered: how many, and, once decided, the decision only.
      const p = document.createElement('p');
      p.dataset.testid = 'masked';
      p.textContent = messages.n(decided() ? 'vote.masked_decided' : 'vote.masked', r.answers, { Min: results.min_answers });
      box.replaceChildren(p);
      if (decided()) box.append(decision(r));
      return;
    }
    const total = Math.max(1, r.counts.yes + r.counts.yes_but + r.counts.no + r.counts.no_but + r.counts.abstain);
    const rows = ['yes', 'yes_but', 'no', 'no_but', 'abstain'].map((k) => bar(msg['msg' + cap(k)] ?? k, r.counts[k], total, k));
    box.replaceChildren(...rows);
    // The reasons given with "Ja, men" and "Nej, men", without names, for the room to discuss.
    const reasons = (results.comments || []).filter((x) => x.clause_id === c.id);
    if (reasons.length) {
      const ul = document.createElement('ul');
      ul.className = 'comments';
      for (const x of reasons) {
        const li = document.createElement('li');
        li.dir = 'auto';
        li.textContent = (msg['msg' + cap(x.answer)] ?? x.answer) + ' ' + x.text;
        ul.append(li);
      }
      box.append(ul);
    }
    if (decided()) box.append(decision(r));
  }

  function decided() { return results.status !== 'voting' && results.status !== 'draft'; }

  function decision(r) {
    const p = document.createElement('p');
    p.className = 'decision ' + (r.adopted ? 'adopted' : 'rejected');
    p.textContent = (r.adopted ? '✓ ' : '✗ ') + (r.adopted ? msg.msgAdopted : msg.msgRejected);
    return p;
  }

  // A bar with its number and label in text: colour is never the only sign.
  function bar(label, n, total, kind) {
    const row = document.createElement('div');
    row.className = 'bar-row';
    const name = document.createElement('span');
    name.textContent = label + ': ' + n;
    const meter = document.createElement('meter');
    meter.min = 0; meter.max = total; meter.value = n;
    meter.className = 'bar-' + kind;
    meter.setAttribute('aria-label', label);
    row.append(name, meter);
    return row;
  }
}

function cap(s) { return s.charAt(0).toUpperCase() + s.slice(1); }
