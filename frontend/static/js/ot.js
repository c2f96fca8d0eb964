// Plain-text operational transformation in the ot.js form, matching the Go
// package klasseaftale/agreements/ot (shared test vectors keep them equal).
//
// An op is a plain array walking the whole document: a positive integer
// retains that many UTF-16 code units, a negative integer deletes, a string
// inserts. JS strings are UTF-16, so lengths and positions are ordinary
// string indexes. Ops go straight into JSON.stringify.

/** Error thrown for invalid ops; `code` matches the Go sentinel errors. */
export class OTError extends Error {
  /**
   * @param {'malformed'|'base_length'|'split_surrogate'|'lone_surrogate'} code
   * @param {string} message
   */
  constructor(code, message) {
    super(message);
    this.name = 'OTError';
    this.code = code;
  }
}

/** @param {unknown} c @returns {boolean} whether c is a retain component. */
export const isRetain = (c) => typeof c === 'number' && c > 0;
/** @param {unknown} c @returns {boolean} whether c is a delete component. */
export const isDelete = (c) => typeof c === 'number' && c < 0;
/** @param {unknown} c @returns {boolean} whether c is an insert component. */
export const isInsert = (c) => typeof c === 'string';

const isHigh = (u) => u >= 0xd800 && u <= 0xdbff;
const isLow = (u) => u >= 0xdc00 && u <= 0xdfff;

/** Whether s holds a surrogate that is not half of a proper pair. */
function hasLoneSurrogate(s) {
  for (let i = 0; i < s.length; i++) {
    const u = s.charCodeAt(i);
    if (isHigh(u) && isLow(s.charCodeAt(i + 1))) i++;
    else if (isHigh(u) || isLow(u)) return true;
  }
  return false;
}

/** Whether index i of s lies between the two halves of a surrogate pair. */
const splitsPair = (s, i) =>
  i > 0 && i < s.length && isHigh(s.charCodeAt(i - 1)) && isLow(s.charCodeAt(i));

/** Builds a normalised op, as the Go builder does. */
export class OpBuilder {
  constructor() {
    /** @type {Array<number|string>} */
    this.ops = [];
  }

  /** Retain n code units, merging with a preceding retain. */
  retain(n) {
    if (!Number.isSafeInteger(n) || n < 0) throw new OTError('malformed', `bad retain ${n}`);
    if (n === 0) return this;
    const o = this.ops;
    if (isRetain(o[o.length - 1])) o[o.length - 1] += n;
    else o.push(n);
    return this;
  }

  /** Delete n code units (n counts positively), merging with a preceding delete. */
  delete(n) {
    if (!Number.isSafeInteger(n) || n < 0) throw new OTError('malformed', `bad delete ${n}`);
    if (n === 0) return this;
    const o = this.ops;
    if (isDelete(o[o.length - 1])) o[o.length - 1] -= n;
    else o.push(-n);
    return this;
  }

  /** Insert s; an insert right after a delete goes before it, as in ot.js. */
  insert(s) {
    if (typeof s !== 'string') throw new OTError('malformed', 'insert needs a string');
    if (s === '') return this;
    const o = this.ops;
    const k = o.length;
    if (isInsert(o[k - 1])) {
      o[k - 1] += s;
    } else if (isDelete(o[k - 1])) {
      if (isInsert(o[k - 2])) o[k - 2] += s;
      else {
        o.push(o[k - 1]);
        o[k - 1] = s;
      }
    } else {
      o.push(s);
    }
    return this;
  }

  /** Append one component in ot.js form. */
  add(c) {
    if (isInsert(c)) return this.insert(c);
    if (isRetain(c)) return this.retain(c);
    return this.delete(-c);
  }
}

/** @returns {Array<number|string>} op with adjacent components merged and inserts before deletes. */
export function normalize(op) {
  checkComponents(op);
  const b = new OpBuilder();
  for (const c of op) b.add(c);
  return b.ops;
}

/**
 * Throw OTError('malformed') unless op is an array of non-zero safe integers
 * and non-empty strings, and OTError('lone_surrogate') for an insert holding
 * an unpaired surrogate (the server rejects those).
 */
export function checkComponents(op) {
  if (!Array.isArray(op)) throw new OTError('malformed', 'op is not an array');
  op.forEach((c, i) => {
    if (typeof c === 'string') {
      if (c === '') throw new OTError('malformed', `empty insert at component ${i}`);
      if (hasLoneSurrogate(c)) throw new OTError('lone_surrogate', `lone surrogate at component ${i}`);
    } else if (!Number.isSafeInteger(c) || c === 0) {
      throw new OTError('malformed', `bad component ${i}: ${JSON.stringify(c)}`);
    }
  });
}

/** @returns {number} the length of documents op applies to. */
export function baseLength(op) {
  let n = 0;
  for (const c of op) if (typeof c === 'number') n += Math.abs(c);
  return n;
}

/** @returns {number} the length of the document op produces. */
export function targetLength(op) {
  let n = 0;
  for (const c of op) {
    if (isRetain(c)) n += c;
    else if (isInsert(c)) n += c.length;
  }
  return n;
}

/** @returns {boolean} whether op only retains, leaving documents unchanged. */
export function isNoop(op) {
  return op.every(isRetain);
}

/**
 * Throw OTError unless op can be applied to doc: well-formed components,
 * base length equal to doc.length, and no retain/delete boundary between the
 * halves of a surrogate pair. Errors come in the same order as on the Go side.
 */
export function validate(doc, op) {
  checkComponents(op);
  let pos = 0;
  op.forEach((c, i) => {
    if (typeof c !== 'number') return;
    pos += Math.abs(c);
    if (pos > doc.length) throw new OTError('base_length', `op runs past the document at component ${i}`);
    if (splitsPair(doc, pos)) throw new OTError('split_surrogate', `component ${i} splits a surrogate pair`);
  });
  if (pos !== doc.length) throw new OTError('base_length', 'op ends before the document');
}

/** @returns {string} doc with op applied; throws OTError as validate does. */
export function apply(doc, op) {
  validate(doc, op);
  const parts = [];
  let pos = 0;
  for (const c of op) {
    if (isInsert(c)) parts.push(c);
    else if (isRetain(c)) {
      parts.push(doc.slice(pos, pos + c));
      pos += c;
    } else pos -= c;
  }
  return parts.join('');
}

/**
 * Steps through an op's components, letting the caller consume part of the
 * current one (a string, a number, or undefined when done).
 */
class Cursor {
  constructor(op) {
    this.op = op;
    this.i = 0;
    this.cur = op[0];
  }
  next() {
    this.cur = this.op[++this.i];
  }
  get len() {
    return typeof this.cur === 'string' ? this.cur.length : Math.abs(this.cur);
  }
  /** Take n units off the current component; returns them for an insert. */
  consume(n) {
    const c = this.cur;
    let head = '';
    if (typeof c === 'string') {
      if (splitsPair(c, n)) throw new OTError('split_surrogate', 'boundary splits an inserted surrogate pair');
      head = c.slice(0, n);
      this.cur = c.slice(n);
      if (this.cur === '') this.next();
    } else {
      this.cur = c > 0 ? c - n : c + n;
      if (this.cur === 0) this.next();
    }
    return head;
  }
}

/** @returns {Array<number|string>} one op with the effect of a then b. */
export function compose(a, b) {
  checkComponents(a);
  checkComponents(b);
  if (targetLength(a) !== baseLength(b)) {
    throw new OTError('base_length', 'first op target length differs from second op base length');
  }
  const out = new OpBuilder();
  const ca = new Cursor(a);
  const cb = new Cursor(b);
  while (ca.cur !== undefined || cb.cur !== undefined) {
    if (isDelete(ca.cur)) {
      out.delete(-ca.cur);
      ca.next();
      continue;
    }
    if (isInsert(cb.cur)) {
      out.insert(cb.cur);
      cb.next();
      continue;
    }
    if (ca.cur === undefined || cb.cur === undefined) throw new OTError('base_length', 'ops differ in length');
    const n = Math.min(ca.len, cb.len);
    const aInsert = isInsert(ca.cur);
    const bRetain = isRetain(cb.cur);
    const head = ca.consume(n);
    cb.consume(n);
    if (aInsert) {
      if (bRetain) out.insert(head);
    } else if (bRetain) out.retain(n);
    else out.delete(n);
  }
  return out.ops;
}

/**
 * Transform concurrent ops a and b on the same document.
 * @returns {[Array<number|string>, Array<number|string>]} [aPrime, bPrime]
 *   with apply(apply(s, a), bPrime) === apply(apply(s, b), aPrime). On a tie
 *   (both insert at one place) a's insert comes first.
 */
export function transform(a, b) {
  checkComponents(a);
  checkComponents(b);
  if (baseLength(a) !== baseLength(b)) throw new OTError('base_length', 'concurrent ops differ in base length');
  const ap = new OpBuilder();
  const bp = new OpBuilder();
  const ca = new Cursor(a);
  const cb = new Cursor(b);
  while (ca.cur !== undefined || cb.cur !== undefined) {
    if (isInsert(ca.cur)) {
      ap.insert(ca.cur);
      bp.retain(ca.cur.length);
      ca.next();
      continue;
    }
    if (isInsert(cb.cur)) {
      ap.retain(cb.cur.length);
      bp.insert(cb.cur);
      cb.next();
      continue;
    }
    if (ca.cur === undefined || cb.cur === undefined) throw new OTError('base_length', 'ops differ in length');
    const n = Math.min(ca.len, cb.len);
    const aRetain = isRetain(ca.cur);
    const bRetain = isRetain(cb.cur);
    if (aRetain && bRetain) {
      ap.retain(n);
      bp.retain(n);
    } else if (aRetain) bp.delete(n);
    else if (bRetain) ap.delete(n);
    ca.consume(n);
    cb.consume(n);
  }
  return [ap.ops, bp.ops];
}

/**
 * @returns {Array<number|string>} an op turning from into to: common prefix
 *   and suffix kept, the middle replaced; never splits a surrogate pair.
 */
export function diff(from, to) {
  const max = Math.min(from.length, to.length);
  let p = 0;
  while (p < max && from.charCodeAt(p) === to.charCodeAt(p)) p++;
  if (p > 0 && isHigh(from.charCodeAt(p - 1))) p--; // widen to a code point
  let s = 0;
  while (s < max - p && from.charCodeAt(from.length - 1 - s) === to.charCodeAt(to.length - 1 - s)) s++;
  if (s > 0 && isLow(from.charCodeAt(from.length - s))) s--;
  return new OpBuilder()
    .retain(p)
    .insert(to.slice(p, to.length - s))
    .delete(from.length - s - p)
    .retain(s).ops;
}

/**
 * Move a caret position through op (applied to the document it is in).
 * Text inserted before the caret pushes it right; text inserted exactly at
 * the caret does so only when isOwn (the user's own typing); deleted text
 * around the caret pulls it to the deletion point.
 * @param {number} index caret position before op
 * @param {Array<number|string>} op
 * @param {boolean} [isOwn=false]
 * @returns {number} caret position after op
 */
export function transformIndex(index, op, isOwn = false) {
  let pos = 0; // position in the old document
  let out = index;
  for (const c of op) {
    if (pos > index) break;
    if (isInsert(c)) {
      if (pos < index || isOwn) out += c.length;
    } else if (isRetain(c)) {
      pos += c;
    } else {
      out -= Math.min(-c, index - pos);
      pos -= c;
    }
  }
  return out;
}
