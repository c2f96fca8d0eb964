// live.js speaks the live protocol (docs/protocol.md) for one agreement: the ot.js client state
// per clause (synchronized / awaiting an acknowledgement / awaiting with a buffer), resuming
// after a reconnect, and resending the operation in flight with its original seq. A heartbeat
// (ping → pong) tells within seconds that the network is gone. What is not yet acknowledged is
// handed to keep() after every change, so the page can store it and give it back to restore()
// after a reload: it is then resent under the same tab id and seq, and applied once. It knows
// nothing of the page: the editor gives it edits and listens to what it reports.
import { apply, compose, diff, isNoop, transform } from './ot.js';

/** A clause as this tab knows it. */
class Doc {
  constructor(text, rev) {
    this.text = text;
    this.rev = rev;
    this.outstanding = null; // sent, not yet acknowledged
    this.outSeq = 0;
    this.outClient = null; // the tab id the outstanding op was sent under
    this.sent = false; // whether the outstanding op may have reached the server
    this.buffer = null; // typed since the outstanding op was sent
    this.held = null; // server messages kept back while the person composes (IME)
  }
  get pending() { return this.outstanding !== null; }
}

const backoff = [250, 500, 1000, 2000, 4000, 8000, 15000];

// The heartbeat: with nothing heard for PING ms the tab pings; with nothing heard for DEAD ms
// the connection counts as lost (the network went without a word). A connection not welcomed
// within OPEN ms of opening is given up too (a welcome can be long on a slow network). A check
// that comes much later than asked (a hidden tab's timers are slowed) judges nothing.
const PING = 1000;
const DEAD = 3500;
const OPEN = 10000;
// After a reconnect the server may give another tab id while the old connection still looks
// open to it (a network that went silently); operations sent under the old id are then resent
// only once it is ours again, for at most CLAIM ms (the server drops a silent connection after
// 30 s), so none is applied twice.
const CLAIM = 40000;
const claimBackoff = [500, 1000, 2000, 3000, 5000];

// The server takes 30 messages a second from a tab, 120 at once, and drops what comes over
// (docs/protocol.md, Limits). A tab stays well below, so that messages held up on the way (a
// busy phone, a slow network) and then arriving together still fit: what would go over waits
// here, in order.
const RATE = 20; // messages a second
const BURST = 60;

// socketURL is the WebSocket address of a page's live link (its data-url), on the page's own
// host: wss: under https:, ws: under http:.
export function socketURL(path, base = location.href) {
  const url = new URL(path, base);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.href;
}

// newTabID is a fresh tab ID, 16 random characters of [0-9a-z] after prefix: a plain ID, as
// the server keeps (docs/protocol.md, hello).
export function newTabID(prefix = '') {
  const b = new Uint8Array(9);
  crypto.getRandomValues(b);
  return prefix + Array.from(b, (x) => x.toString(36).padStart(2, '0')).join('').slice(0, 16);
}

export class Live {
  /**
   * @param {object} o
   * @param {string} o.url the WebSocket address
   * @param {string} o.client this tab's id, kept across reconnects
   * @param {(type: string, detail: object) => void} o.emit what the live side reports
   * @param {typeof WebSocket} [o.WebSocket] for tests
   */
  constructor({ url, client, emit, keep = () => {}, WebSocket: WS = globalThis.WebSocket, timers = globalThis }) {
    this.url = url;
    this.client = client;
    this.emit = emit;
    this.WS = WS;
    this.timers = timers;
    this.docs = new Map();
    this.seq = 0;
    this.member = null; // who this tab is, from the welcome
    this.ws = null;
    this.ready = false; // welcomed on the current socket
    this.attempt = 0;
    this.retry = null;
    this.stopped = false;
    this.tokens = BURST;
    this.filled = Date.now();
    this.waiting = []; // messages held back to stay within the server's budget
    this.drain = null;
    this.keep = keep;
    this.heard = 0; // when the server was last heard from
    this.pinged = 0;
    this.beat = null;
    this.claimUntil = 0; // while set: the tab id is claimed back for operations sent under it
  }

  /** restore takes back changes kept from an earlier page (see keep): each clause's text,
   * revision, operation in flight with its tab id and seq, and buffer. */
  restore(kept) {
    for (const [id, k] of Object.entries(kept)) {
      const d = new Doc(k.text, k.rev);
      d.outstanding = k.op;
      d.outSeq = k.seq;
      d.outClient = k.client;
      d.sent = k.sent !== false; // whether the page before may have sent it
      d.buffer = k.buffer ?? null;
      d.owner = k.member; // whose change it is: checked against the welcome
      this.docs.set(id, d);
      this.client = k.client;
      this.seq = Math.max(this.seq, k.seq);
    }
  }

  /** connect opens the socket unless one is open or opening. */
  connect() {
    if (this.stopped || (this.ws && this.ws.readyState <= 1)) return;
    this.timers.clearTimeout(this.retry);
    this.retry = null;
    const ws = new this.WS(this.url);
    this.ws = ws;
    ws.onopen = () => this.hello();
    ws.onmessage = (ev) => { if (ws === this.ws) { this.heard = Date.now(); this.frame(ev.data); } };
    ws.onclose = () => { if (ws === this.ws) this.lost(); };
    ws.onerror = () => {};
    this.heard = this.checked = Date.now();
    this.heartbeat();
  }

  /** heartbeat pings when the server has been quiet, and gives the connection up when it has
   * been silent too long: a phone that lost its network often gets no close at all. */
  heartbeat() {
    this.timers.clearTimeout(this.beat);
    this.checked ||= Date.now();
    this.beat = this.timers.setTimeout(() => {
      this.beat = null;
      const ws = this.ws;
      if (!ws || this.stopped) return;
      const now = Date.now();
      const late = now - this.checked > PING * 2;
      this.checked = now;
      if (!late && now - this.heard > (this.ready ? DEAD : OPEN)) return this.drop();
      if (ws.readyState === 1 && now - this.heard > PING && now - this.pinged > PING) {
        this.pinged = now;
        this.send({ type: 'ping' });
      }
      this.heartbeat();
    }, PING / 2);
  }

  /** drop gives the current connection up at once, e.g. when the browser says it is offline. */
  drop() {
    const ws = this.ws;
    if (!ws) return;
    this.ws = null;
    try { ws.close(); } catch { /* already closing */ }
    this.ws = ws;
    this.lost();
  }

  /** reconnectNow retries at once, e.g. when the browser says it is online again. */
  reconnectNow() {
    this.attempt = 0;
    if (!this.ws || this.ws.readyState > 1) this.connect();
  }

  stop() {
    this.stopped = true;
    this.timers.clearTimeout(this.retry);
    this.timers.clearTimeout(this.beat);
    this.ws?.close();
  }

  get connected() { return this.ready; }

  hello() {
    const resume = {};
    for (const [id, d] of this.docs) if (d.pending) resume[id] = d.rev;
    this.send({ type: 'hello', client: this.client, resume });
  }

  lost() {
    const was = this.ready;
    this.ready = false;
    this.ws = null;
    this.waiting = []; // operations in flight are sent again after the welcome
    this.timers.clearTimeout(this.drain);
    this.drain = null;
    this.timers.clearTimeout(this.beat);
    this.beat = null;
    if (was || this.attempt === 0) this.emit('state', { connected: false });
    if (this.stopped) return;
    const wait = this.claimUntil ? claimBackoff[Math.min(this.claims++, claimBackoff.length - 1)] : backoff[Math.min(this.attempt, backoff.length - 1)];
    this.attempt++;
    this.retry = this.timers.setTimeout(() => this.connect(), wait * (0.75 + Math.random() / 2));
  }

  send(msg) {
    if (!this.ws || this.ws.readyState !== 1) return;
    if (this.waiting.length === 0 && this.take()) {
      this.ws.send(JSON.stringify(msg));
      return;
    }
    // Only the newest place of the caret matters.
    const i = msg.type === 'presence' ? this.waiting.findIndex((m) => m.type === 'presence') : -1;
    if (i >= 0) this.waiting[i] = msg;
    else this.waiting.push(msg);
    this.scheduleDrain();
  }

  /** take spends one message of the tab's budget, if one is left. */
  take() {
    const now = Date.now();
    this.tokens = Math.min(BURST, this.tokens + ((now - this.filled) * RATE) / 1000);
    this.filled = now;
    if (this.tokens < 1) return false;
    this.tokens--;
    return true;
  }

  scheduleDrain() {
    if (this.drain) return;
    this.drain = this.timers.setTimeout(() => {
      this.drain = null;
      while (this.waiting.length > 0 && this.ws?.readyState === 1 && this.take()) {
        this.ws.send(JSON.stringify(this.waiting.shift()));
      }
      if (this.waiting.length > 0) this.scheduleDrain();
    }, Math.ceil(1000 / RATE));
  }

  frame(data) {
    for (const line of String(data).split('\n')) {
      if (line.trim() === '') continue;
      let msg;
      try { msg = JSON.parse(line); } catch { continue; }
      this.message(msg);
    }
    // After a welcome, the operations it replayed are in the same frame: only now is it known
    // which of ours were applied before the connection broke.
    if (this.resendDue) {
      this.resendDue = false;
      this.resend();
    }
  }

  message(msg) {
    switch (msg.type) {
      case 'welcome': return this.welcome(msg);
      case 'op': return this.op(msg);
      case 'clause': return this.clause(msg.clause);
      case 'clause.removed': this.docs.delete(msg.clause); this.keep(msg.clause, null); return this.emit('removed', msg);
      case 'error': return this.failed(msg);
      case 'pong': return;
      default: return this.emit(msg.type, msg); // presence, order, agreement, results
    }
  }

  /** welcome adopts the server's text of every clause without changes in flight; the others
   * keep the local text and catch up from the operations that follow. Then the operations in
   * flight are sent again. */
  welcome(msg) {
    this.adoptTab(msg);
    const seen = new Set();
    for (const [id, d] of this.docs) {
      if (d.owner !== undefined && d.owner !== this.member) {
        // Kept on this device by someone else who was signed in here: theirs, not ours to send.
        this.emit('lost', { clause: id, text: d.text, why: 'owner' });
        this.docs.delete(id);
        this.keep(id, null);
      }
      delete d.owner;
    }
    for (const c of msg.agreement.clauses || []) {
      seen.add(c.id);
      const d = this.docs.get(c.id);
      if (!d) {
        this.docs.set(c.id, new Doc(c.body, c.rev));
      } else if (!d.pending && !d.held) {
        const op = diff(d.text, c.body);
        d.text = c.body;
        d.rev = c.rev;
        if (!isNoop(op)) this.emit('remote', { clause: c.id, op, text: d.text });
      }
    }
    for (const id of [...this.docs.keys()]) {
      if (!seen.has(id)) {
        this.docs.delete(id);
        this.keep(id, null);
      }
    }
    this.ready = true;
    this.attempt = 0;
    this.emit('welcome', msg);
    this.emit('state', { connected: true });
    this.resendDue = true;
  }

  /** resend sends every operation in flight again: with its own tab id and seq, so the server
   * applies it once. One sent under another tab id than the connection's is sent only when
   * that id is ours again — or, once claiming it back has taken too long, as a new operation. */
  resend() {
    const stale = [...this.docs.values()].some((d) => d.pending && d.sent && d.outClient !== this.client);
    if (stale && (!this.claimUntil || Date.now() < this.claimUntil)) {
      if (!this.claimUntil) {
        this.claimUntil = Date.now() + CLAIM;
        this.claims = 0;
      }
      this.client = this.claimed;
      this.emit('state', { connected: false });
      this.ready = false;
      this.ws?.close();
      return;
    }
    this.claimUntil = 0;
    for (const [id, d] of this.docs) {
      if (!d.pending) continue;
      if (d.outClient !== this.client) { // never sent, or claiming the old id took too long
        d.outSeq = ++this.seq;
        d.outClient = this.client;
      }
      this.sendOp(id, d, d.outstanding, d.outSeq);
      this.persist(id);
    }
  }

  /** adoptTab takes the tab id and seq count the server gives: when another tab holds our id,
   * we get a new one, and an operation in flight is then new under it, with a new seq. */
  adoptTab(msg) {
    this.member = msg.member?.id ?? null;
    this.seq = Math.max(this.seq, msg.seq || 0);
    this.claimed = this.client; // the id asked for, to ask again (see resend)
    if (msg.client) this.client = msg.client;
  }

  clause(c) {
    if (!this.docs.has(c.id)) this.docs.set(c.id, new Doc(c.body, c.rev));
    this.emit('clause', { clause: c });
  }

  op(msg) {
    const d = this.docs.get(msg.clause);
    if (!d) return;
    if (d.held) { d.held.push(msg); return; }
    if (msg.rev <= d.rev) return; // a revision we have: a repeat after reconnecting
    // Ours when member, tab and seq are: another member may use a tab id like ours.
    if (d.pending && msg.client === d.outClient && msg.member === this.member && msg.seq === d.outSeq) {
      // An acknowledgement must come in sequence; one that skipped revisions would leave this
      // copy behind without knowing it.
      if (msg.rev !== d.rev + 1) return this.resync(msg.clause, d, 'gap');
      return this.ack(msg.clause, d, msg.rev);
    }
    this.remote(msg.clause, d, msg);
  }

  ack(id, d, rev) {
    d.rev = rev;
    d.outstanding = d.buffer;
    d.buffer = null;
    if (d.outstanding) {
      d.outSeq = ++this.seq;
      d.outClient = this.client;
      d.sent = false;
      if (!this.resendDue) this.sendOp(id, d, d.outstanding, d.outSeq); // else resend() sends it
    }
    this.persist(id);
    this.emit('saved', { clause: id, pending: d.pending });
  }

  remote(id, d, msg) {
    if (msg.rev !== d.rev + 1) return this.resync(id, d, 'gap');
    let op = msg.op;
    try {
      if (d.outstanding) {
        const [out, op1] = transform(d.outstanding, op);
        d.outstanding = out;
        op = op1;
        if (d.buffer) {
          const [buf, op2] = transform(d.buffer, op);
          d.buffer = buf;
          op = op2;
        }
      }
      d.text = apply(d.text, op);
    } catch {
      return this.resync(id, d, 'apply');
    }
    d.rev = msg.rev;
    if (d.pending) this.persist(id);
    this.emit('remote', { clause: id, op, text: d.text, member: msg.member, client: msg.client });
  }

  /** resync gives up on a clause that can no longer follow (never expected): it reconnects,
   * and the welcome brings the server's text; what the person typed is reported, not lost. */
  resync(id, d, why) {
    if (d.pending) this.emit('lost', { clause: id, text: d.text, why });
    this.docs.delete(id);
    this.keep(id, null);
    this.ws?.close();
  }

  failed(msg) {
    const d = msg.clause ? this.docs.get(msg.clause) : null;
    if (d && d.pending && msg.seq === d.outSeq) {
      // The server refused our operation: our text has a change it will never have.
      this.emit('lost', { clause: msg.clause, text: d.text, why: msg.code });
      d.outstanding = d.buffer = null;
      this.docs.delete(msg.clause);
      this.keep(msg.clause, null);
      this.ws?.close();
    }
    this.emit('error', msg);
  }

  /** edit records that the person changed a clause's text to text. */
  edit(id, text) {
    const d = this.docs.get(id);
    if (!d || text === d.text) return;
    const op = diff(d.text, text);
    d.text = text;
    if (!d.outstanding) {
      d.outstanding = op;
      d.outSeq = ++this.seq;
      d.outClient = this.client;
      d.sent = false;
      if (this.ready) this.sendOp(id, d, op, d.outSeq);
    } else {
      d.buffer = d.buffer ? compose(d.buffer, op) : op;
    }
    this.persist(id);
    this.emit('local', { clause: id, op });
    this.emit('saved', { clause: id, pending: true });
  }

  sendOp(id, d, op, seq) {
    if (this.ws?.readyState === 1) d.sent = true;
    this.send({ type: 'op', clause: id, rev: d.rev, client: this.client, seq, op });
  }

  /** persist hands a clause's unacknowledged state to keep(), or null once there is none. */
  persist(id) {
    const d = this.docs.get(id);
    if (!d || !d.pending) return this.keep(id, null);
    this.keep(id, { client: d.outClient, member: this.member, seq: d.outSeq, rev: d.rev,
      op: d.outstanding, buffer: d.buffer, text: d.text, sent: d.sent });
  }

  /** hold keeps a clause's server messages back while the person composes text (IME). */
  hold(id) {
    const d = this.docs.get(id);
    if (d && !d.held) d.held = [];
  }

  /** release applies what was held back, after the composed text has been given to edit. */
  release(id) {
    const d = this.docs.get(id);
    if (!d || !d.held) return;
    const held = d.held;
    d.held = null;
    for (const msg of held) this.op(msg);
  }

  text(id) { return this.docs.get(id)?.text; }
  rev(id) { return this.docs.get(id)?.rev; }
  pending(id) { return !!this.docs.get(id)?.pending; }
  anyPending() { for (const d of this.docs.values()) if (d.pending) return true; return false; }
}
