// meeting.js is the projector's view of a class meeting: how many families are here, the clause
// under discussion and, live, its votes — only the number cast while results are hidden.
import { Live, newTabID, socketURL } from './live.js';
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
  let shownClause = null; // the clause on the screen, told to a screen reader when another is shown
  const tally = { told: initial.results?.voted ?? 0, at: 0, timer: 0 };

  const live = new Live({ url: socketURL(msg.url), client: newTabID('meeting-'), emit });
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
    if (shownClause !== null && shownClause !== c.id) tellClause();
    shownClause = c.id;
    tellTally();
  }

  // tellClause has a screen reader say which point is now on the screen.
  function tellClause() {
    const pos = document.createElement('p'), title = document.createElement('p');
    pos.textContent = $('clause-pos').textContent;
    title.textContent = $('clause-title').textContent;
    title.dir = 'auto';
    $('clause-news').replaceChildren(pos, title);
  }

  // tellTally has a screen reader say how many have voted when the number changes, at most once
  // every ten seconds: a room voting at once would otherwise drown out everything else.
  function tellTally() {
    const cast = results?.voted ?? 0;
    if (cast === tally.told || tally.timer) return;
    const wait = tally.at + 10000 - Date.now();
    if (wait > 0) {
      tally.timer = setTimeout(() => { tally.timer = 0; tellTally(); }, wait);
      return;
    }
    tally.told = cast;
    tally.at = Date.now();
    $('tally-news').textContent = messages.n('vote.voted', cast, { Electorate: results.electorate });
  }

  function drawVotes(c) {
    const box = $('clause-votes');
    const r = results?.clauses?.find((x) => x.clause_id === c.id);
    drawPreferences(r);
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

  // drawPreferences shows, for a clause with a parameter whose figures may be shown, a bar per
  // option with its preferences, the chosen (or, while voting, leading) one marked in words,
  // and one sentence of how the value is chosen — as the decided and published pages do.
  function drawPreferences(r) {
    const box = $('clause-prefs');
    if (!r || r.masked || !r.rule) { box.replaceChildren(); return; }
    const fig = document.createElement('figure');
    fig.className = 'prefs';
    fig.dataset.testid = 'preferences';
    const cap1 = document.createElement('figcaption');
    cap1.textContent = msg.msgPrefs;
    fig.append(cap1);
    if (r.preferences) {
      const ul = document.createElement('ul');
      for (const o of r.distribution || []) {
        const li = document.createElement('li');
        li.className = 'pref' + (o.chosen ? ' chosen' : '');
        li.dataset.value = o.value;
        li.dataset.count = String(o.count);
        if (o.chosen) li.dataset.chosen = 'true';
        const label = document.createElement('span');
        label.className = 'pref-label';
        const bdi = document.createElement('bdi');
        bdi.textContent = o.label;
        label.append(bdi);
        const meter = document.createElement('meter');
        meter.min = 0; meter.max = r.preferences; meter.value = o.count;
        meter.setAttribute('aria-hidden', 'true');
        const count = document.createElement('span');
        count.className = 'pref-count';
        count.textContent = String(o.count);
        if (o.chosen) {
          const mark = document.createElement('strong');
          mark.textContent = ' ✓ ' + (decided() ? msg.msgChosen : msg.msgLeading);
          count.append(mark);
        }
        li.append(label, meter, count);
        ul.append(li);
      }
      fig.append(ul);
    }
    const rule = document.createElement('p');
    rule.className = 'small rule';
    rule.dataset.testid = 'rule';
    const pupils = msg.kind === 'pupils' ? '_pupils' : '';
    let text = r.rule === 'unchanged' ? messages.t('prefs.unchanged') : messages.n('prefs.' + r.rule + pupils, r.preferences);
    if (r.implied) {
      const shown = (r.distribution || []).find((o) => o.value === r.shown_value);
      text += ' ' + messages.n('prefs.implied', r.implied, { Label: shown ? shown.label : r.shown_value });
    }
    rule.textContent = text;
    fig.append(rule);
    box.replaceChildren(fig);
  }

  function decided() { return results.status !== 'voting' && results.status !== 'draft'; }

  function decision(r) {
    const p = document.createElement('p');
    p.className = 'decision ' + (r.adopted ? 'adopted' : 'rejected');
    p.textContent = (r.adopted ? '✓ ' : '✗ ') + (r.adopted ? msg.msgAdopted : msg.msgRejected);
    return p;
  }

  // A bar with its number and label in text, and its own colour and fill pattern: neither
  // colour nor length is ever the only sign.
  function bar(label, n, total, kind) {
    const row = document.createElement('div');
    row.className = 'bar-row';
    row.dataset.kind = kind;
    const name = document.createElement('span');
    name.textContent = label + ': ' + n;
    const track = document.createElement('span');
    track.className = 'bar';
    track.setAttribute('role', 'img');
    track.setAttribute('aria-label', label + ': ' + n);
    const fill = document.createElement('span');
    fill.className = 'fill fill-' + kind;
    fill.style.inlineSize = (100 * n / total) + '%'; // set through the CSSOM, which the page's policy allows
    track.append(fill);
    row.append(name, track);
    return row;
  }
}

function cap(s) { return s.charAt(0).toUpperCase() + s.slice(1); }
