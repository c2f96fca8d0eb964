// Tests of the browser's live client (static/js/live.js) against a fake WebSocket: the ot.js
// states, acknowledgements, reconnecting with resume, and resending the op in flight.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Live, newTabID, socketURL } from '../static/js/live.js';

class FakeWS {
  static all = [];
  constructor(url) { this.url = url; this.readyState = 0; this.sent = []; FakeWS.all.push(this); }
  send(s) { this.sent.push(JSON.parse(s)); }
  close() { this.readyState = 3; this.onclose?.(); }
  open() { this.readyState = 1; this.onopen?.(); }
  receive(...msgs) { this.onmessage?.({ data: msgs.map((m) => JSON.stringify(m)).join('\n') }); }
}

const timers = { setTimeout: () => 1, clearTimeout: () => {} };

function setup(text = 'abc', rev = 3) {
  FakeWS.all = [];
  const events = [];
  const live = new Live({ url: 'ws://x/live', client: 'tab1', emit: (type, d) => events.push([type, d]), WebSocket: FakeWS, timers });
  live.connect();
  const ws = FakeWS.all[0];
  ws.open();
  ws.receive(welcome([{ id: 'k1', body: text, rev }]));
  return { live, ws, events };
}

function welcome(clauses, presence = []) {
  return { type: 'welcome', client: 'tab1', member: { id: 'm1' }, agreement: { clauses }, presence };
}

test('hello, then the welcome gives the text', () => {
  const { live, ws } = setup();
  assert.deepEqual(ws.sent[0], { type: 'hello', client: 'tab1', resume: {} });
  assert.equal(live.text('k1'), 'abc');
  assert.equal(live.rev('k1'), 3);
  assert.equal(live.connected, true);
});

test('one op in flight, the rest buffered and sent after the acknowledgement', () => {
  const { live, ws } = setup();
  live.edit('k1', 'abcd');
  live.edit('k1', 'abcde');
  live.edit('k1', 'xabcde');
  const ops = ws.sent.filter((m) => m.type === 'op');
  assert.equal(ops.length, 1);
  assert.deepEqual(ops[0], { type: 'op', clause: 'k1', rev: 3, client: 'tab1', seq: 1, op: [3, 'd'] });
  ws.receive({ type: 'op', clause: 'k1', rev: 4, client: 'tab1', seq: 1, member: 'm1', op: [3, 'd'] });
  const next = ws.sent.filter((m) => m.type === 'op')[1];
  assert.deepEqual(next, { type: 'op', clause: 'k1', rev: 4, client: 'tab1', seq: 2, op: ['x', 4, 'e'] });
  assert.equal(live.pending('k1'), true);
  ws.receive({ type: 'op', clause: 'k1', rev: 5, client: 'tab1', seq: 2, member: 'm1', op: ['x', 4, 'e'] });
  assert.equal(live.pending('k1'), false);
  assert.equal(live.text('k1'), 'xabcde');
});

test('a remote op is transformed past the op in flight and the buffer', () => {
  const { live, ws, events } = setup('abc');
  live.edit('k1', 'abcX'); // in flight
  live.edit('k1', 'YabcX'); // buffered
  ws.receive({ type: 'op', clause: 'k1', rev: 4, client: 'tab2', seq: 1, op: [1, '-', 2] }); // a-bc
  assert.equal(live.text('k1'), 'Ya-bcX');
  const remote = events.filter(([t]) => t === 'remote').at(-1)[1];
  assert.deepEqual(remote.op, [2, '-', 3]);
  ws.receive({ type: 'op', clause: 'k1', rev: 5, client: 'tab1', seq: 1, member: 'm1', op: [4, 'X'] });
  const sent = ws.sent.filter((m) => m.type === 'op').at(-1);
  assert.deepEqual(sent, { type: 'op', clause: 'k1', rev: 5, client: 'tab1', seq: 2, op: ['Y', 5] });
});

test('emoji count two units, as on the server', () => {
  const { live, ws } = setup('😀');
  live.edit('k1', '😀!');
  assert.deepEqual(ws.sent.at(-1).op, [2, '!']);
});

test('after a reconnect: resume, the replay acknowledges, the op in flight is sent again with its seq', () => {
  const { live, ws } = setup('abc', 3);
  live.edit('k1', 'abcd');
  ws.close(); // the network drops before the acknowledgement
  assert.equal(live.connected, false);
  live.edit('k1', 'abcde'); // typed while offline: buffered
  live.reconnectNow();
  const ws2 = FakeWS.all[1];
  ws2.open();
  assert.deepEqual(ws2.sent[0], { type: 'hello', client: 'tab1', resume: { k1: 3 } });
  // The first sending did arrive: the welcome has it at rev 4, the replay shows it.
  ws2.receive(welcome([{ id: 'k1', body: 'abcd', rev: 4 }]),
    { type: 'op', clause: 'k1', rev: 4, client: 'tab1', seq: 1, member: 'm1', op: [3, 'd'] });
  // The replayed acknowledgement settled the op in flight, so it is not sent again; the buffer
  // goes on, once.
  const ops = ws2.sent.filter((m) => m.type === 'op');
  assert.deepEqual(ops, [{ type: 'op', clause: 'k1', rev: 4, client: 'tab1', seq: 2, op: [4, 'e'] }]);
  ws2.receive({ type: 'op', clause: 'k1', rev: 5, client: 'tab1', seq: 2, member: 'm1', op: [4, 'e'] });
  assert.equal(live.text('k1'), 'abcde');
  assert.equal(live.anyPending(), false);
});

test('a clause without changes in flight takes the welcome text after a reconnect', () => {
  const { live, ws, events } = setup('abc', 3);
  ws.close();
  live.reconnectNow();
  const ws2 = FakeWS.all[1];
  ws2.open();
  assert.deepEqual(ws2.sent[0].resume, {});
  ws2.receive(welcome([{ id: 'k1', body: 'abc, mens du var væk', rev: 9 }, { id: 'k2', body: 'nyt', rev: 0 }]));
  assert.equal(live.text('k1'), 'abc, mens du var væk');
  assert.equal(live.rev('k1'), 9);
  assert.equal(live.text('k2'), 'nyt');
  assert.ok(events.some(([t, d]) => t === 'remote' && d.clause === 'k1'));
});

test('while composing, remote ops wait and then follow the composed text', () => {
  const { live, ws } = setup('abc');
  live.hold('k1');
  ws.receive({ type: 'op', clause: 'k1', rev: 4, client: 'tab2', seq: 1, op: ['>', 3] });
  assert.equal(live.text('k1'), 'abc'); // nothing written into the field meanwhile
  live.edit('k1', 'abcあ');
  live.release('k1');
  assert.equal(live.text('k1'), '>abcあ');
});

test('an op the server refuses is reported with the text, and the clause resyncs', () => {
  const { live, ws, events } = setup('abc');
  live.edit('k1', 'abcd');
  ws.receive({ type: 'error', code: 'op.invalid', message: 'nej', clause: 'k1', seq: 1 });
  const lost = events.find(([t]) => t === 'lost');
  assert.equal(lost[1].text, 'abcd');
  assert.equal(live.connected, false); // it reconnects to take the server's text
});

test("another member's op with our tab id and seq is no acknowledgement", () => {
  const { live, ws } = setup('abc');
  live.edit('k1', 'abcd'); // in flight, seq 1
  ws.receive({ type: 'op', clause: 'k1', rev: 4, client: 'tab1', seq: 1, member: 'm2', op: ['X', 3] });
  assert.equal(live.pending('k1'), true);
  assert.equal(live.text('k1'), 'Xabcd');
  ws.receive({ type: 'op', clause: 'k1', rev: 5, client: 'tab1', seq: 1, member: 'm1', op: [4, 'd'] });
  assert.equal(live.pending('k1'), false);
  assert.equal(live.text('k1'), 'Xabcd');
});

test('a welcome with another tab id: the op in flight waits until the old id is ours again, then goes with its seq', () => {
  const { live, ws } = setup('abc');
  live.edit('k1', 'abcd'); // in flight, seq 1
  ws.close();
  live.reconnectNow();
  const ws2 = FakeWS.all[1];
  ws2.open();
  // The server still holds the old connection open: another id. The op may yet reach it there.
  ws2.receive({ ...welcome([{ id: 'k1', body: 'abc', rev: 3 }]), client: 'fresh', seq: 41 });
  assert.deepEqual(ws2.sent.filter((m) => m.type === 'op'), []);
  assert.equal(live.connected, false);
  live.reconnectNow();
  const ws3 = FakeWS.all[2];
  ws3.open();
  assert.deepEqual(ws3.sent[0], { type: 'hello', client: 'tab1', resume: { k1: 3 } });
  ws3.receive({ ...welcome([{ id: 'k1', body: 'abc', rev: 3 }]), seq: 1 });
  assert.deepEqual(ws3.sent.filter((m) => m.type === 'op'), [{ type: 'op', clause: 'k1', rev: 3, client: 'tab1', seq: 1, op: [3, 'd'] }]);
});

test('a welcome with another tab id whose replay holds our op: it is acknowledged, not sent again', () => {
  const { live, ws } = setup('abc');
  live.edit('k1', 'abcd'); // in flight, seq 1
  ws.close();
  live.reconnectNow();
  const ws2 = FakeWS.all[1];
  ws2.open();
  ws2.receive({ ...welcome([{ id: 'k1', body: 'abcd', rev: 4 }]), client: 'fresh', seq: 0 },
    { type: 'op', clause: 'k1', rev: 4, client: 'tab1', seq: 1, member: 'm1', op: [3, 'd'] });
  assert.equal(live.anyPending(), false);
  assert.equal(live.connected, true);
  assert.deepEqual(ws2.sent.filter((m) => m.type === 'op'), []);
  assert.equal(live.client, 'fresh');
});

test('a welcome with another tab id: an op typed offline, never sent, goes at once under the new id', () => {
  const { live, ws } = setup('abc');
  ws.close();
  live.edit('k1', 'abcd'); // typed offline: numbered, not sent
  live.reconnectNow();
  const ws2 = FakeWS.all[1];
  ws2.open();
  ws2.receive({ ...welcome([{ id: 'k1', body: 'abc', rev: 3 }]), client: 'fresh', seq: 41 });
  assert.deepEqual(ws2.sent.filter((m) => m.type === 'op'), [{ type: 'op', clause: 'k1', rev: 3, client: 'fresh', seq: 42, op: [3, 'd'] }]);
  assert.equal(live.connected, true);
});

test('once claiming the old id back has taken too long, the op in flight goes under the new id, numbered above', () => {
  const { live, ws } = setup('abc');
  live.edit('k1', 'abcd'); // in flight, seq 1
  ws.close();
  live.reconnectNow();
  live.claimUntil = Date.now() - 1; // tried long enough
  const ws2 = FakeWS.all[1];
  ws2.open();
  ws2.receive({ ...welcome([{ id: 'k1', body: 'abc', rev: 3 }]), client: 'fresh', seq: 41 });
  const ops = ws2.sent.filter((m) => m.type === 'op');
  assert.deepEqual(ops, [{ type: 'op', clause: 'k1', rev: 3, client: 'fresh', seq: 42, op: [3, 'd'] }]);
  assert.equal(live.client, 'fresh');
});

test('what is not acknowledged is kept, and a new page takes it back and sends it once with its tab id and seq', () => {
  const kept = {};
  FakeWS.all = [];
  const keep = (id, k) => { if (k) kept[id] = JSON.parse(JSON.stringify(k)); else delete kept[id]; };
  const live = new Live({ url: 'ws://x/live', client: 'tab1', emit: () => {}, keep, WebSocket: FakeWS, timers });
  live.connect();
  FakeWS.all[0].open();
  FakeWS.all[0].receive(welcome([{ id: 'k1', body: 'abc', rev: 3 }]));
  live.edit('k1', 'abcd');
  live.edit('k1', 'abcde');
  assert.deepEqual(kept.k1, { client: 'tab1', member: 'm1', seq: 1, rev: 3, op: [3, 'd'], buffer: [4, 'e'], text: 'abcde', sent: true });
  // The page is closed. A new one, with a new tab id of its own, restores what was kept.
  const again = new Live({ url: 'ws://x/live', client: 'tab9', emit: () => {}, keep, WebSocket: FakeWS, timers });
  again.restore(kept);
  assert.equal(again.text('k1'), 'abcde');
  again.connect();
  const ws = FakeWS.all[1];
  ws.open();
  assert.deepEqual(ws.sent[0], { type: 'hello', client: 'tab1', resume: { k1: 3 } });
  ws.receive({ ...welcome([{ id: 'k1', body: 'abcd', rev: 4 }]), seq: 1 },
    { type: 'op', clause: 'k1', rev: 4, client: 'tab1', seq: 1, member: 'm1', op: [3, 'd'] });
  assert.deepEqual(ws.sent.filter((m) => m.type === 'op'), [{ type: 'op', clause: 'k1', rev: 4, client: 'tab1', seq: 2, op: [4, 'e'] }]);
  ws.receive({ type: 'op', clause: 'k1', rev: 5, client: 'tab1', seq: 2, member: 'm1', op: [4, 'e'] });
  assert.equal(again.text('k1'), 'abcde');
  assert.deepEqual(kept, {});
});

test("changes kept for another member are not sent as ours", () => {
  const events = [];
  FakeWS.all = [];
  const live = new Live({ url: 'ws://x/live', client: 'tab9', emit: (t, d) => events.push([t, d]), WebSocket: FakeWS, timers });
  live.restore({ k1: { client: 'tab1', member: 'm2', seq: 1, rev: 3, op: [3, 'd'], buffer: null, text: 'abcd' } });
  live.connect();
  FakeWS.all[0].open();
  FakeWS.all[0].receive(welcome([{ id: 'k1', body: 'abc', rev: 3 }]));
  assert.deepEqual(FakeWS.all[0].sent.filter((m) => m.type === 'op'), []);
  assert.equal(live.text('k1'), 'abc');
  assert.ok(events.some(([t, d]) => t === 'lost' && d.text === 'abcd'));
});

test('the heartbeat pings a quiet server and gives a silent connection up', () => {
  const pending = [];
  const timers = { setTimeout: (f) => { pending.push(f); return pending.length; }, clearTimeout: () => {} };
  FakeWS.all = [];
  const states = [];
  const live = new Live({ url: 'ws://x/live', client: 'tab1', emit: (t, d) => { if (t === 'state') states.push(d.connected); }, WebSocket: FakeWS, timers });
  live.connect();
  const ws = FakeWS.all[0];
  ws.open();
  ws.receive(welcome([{ id: 'k1', body: '', rev: 0 }]));
  live.heard = Date.now() - 1500; // quiet for a while
  pending.shift()();
  assert.deepEqual(ws.sent.at(-1), { type: 'ping' });
  ws.receive({ type: 'pong' });
  assert.equal(live.connected, true);
  live.heard = Date.now() - 4000; // silent too long: the network went
  while (pending.length && live.connected) pending.shift()();
  assert.equal(live.connected, false);
  assert.deepEqual(states, [true, false]);
});

test("a tab keeps within the server's message budget: what would go over waits, in order, newest caret only", () => {
  const pending = [];
  const timers = { setTimeout: (f) => { pending.push(f); return pending.length; }, clearTimeout: () => {} };
  FakeWS.all = [];
  const live = new Live({ url: 'ws://x/live', client: 'tab1', emit: () => {}, WebSocket: FakeWS, timers });
  live.connect();
  const ws = FakeWS.all[0];
  ws.open();
  ws.receive(welcome([{ id: 'k1', body: '', rev: 0 }]));
  pending.length = 0; // the heartbeat's
  for (let i = 0; i < 150; i++) live.send({ type: 'presence', clause: 'k1', sel: [i, i], rev: 0 });
  live.send({ type: 'clause.add', title: 'Ny' });
  const sent = ws.sent.length;
  assert.ok(sent <= 61 + 1, `sent ${sent} at once`); // the hello, and the burst
  assert.equal(pending.length, 1);
  live.tokens = 60; // time has passed
  pending.shift()();
  const later = ws.sent.slice(sent);
  assert.deepEqual(later.map((m) => m.type), ['presence', 'clause.add']);
  assert.deepEqual(later[0].sel, [149, 149]);
});

test('the socket address is the live link on the page\'s host, wss under https', () => {
  assert.equal(socketURL('/api/v1/agreements/a1/live', 'https://k.example/a/a1'), 'wss://k.example/api/v1/agreements/a1/live');
  assert.equal(socketURL('/api/v1/agreements/a1/live', 'http://localhost:8080/a/a1'), 'ws://localhost:8080/api/v1/agreements/a1/live');
});

test('a new tab ID is a plain ID of 16 characters after its prefix, and another each time', () => {
  const a = newTabID('meeting-');
  assert.match(a, /^meeting-[0-9a-z]{16}$/);
  assert.match(newTabID(), /^[0-9a-z]{16}$/);
  assert.notEqual(newTabID(), newTabID());
});
