// Checks frontend/static/js/ot.js against the vectors the Go implementation
// generates (agreements/ot/testdata/vectors.json). Run: node --test this file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  OTError, OpBuilder, apply, compose, transform, baseLength, targetLength,
  diff, isNoop, validate, normalize, transformIndex,
} from '../static/js/ot.js';

const vectors = JSON.parse(
  readFileSync(new URL('../../agreements/ot/testdata/vectors.json', import.meta.url), 'utf8'),
);

/** Assert that f throws an OTError with the given code. */
function throwsCode(f, code, label) {
  assert.throws(f, (err) => {
    assert.ok(err instanceof OTError, `${label}: not an OTError: ${err}`);
    assert.equal(err.code, code, `${label}: ${err.message}`);
    return true;
  });
}

test('vectors file has cases', () => {
  assert.ok(vectors.cases.length > 100);
  assert.ok(vectors.invalid.length > 5);
});

test('cases', () => {
  for (const v of vectors.cases) {
    const at = (what) => `${v.name}: ${what}`;
    assert.equal(baseLength(v.a), v.base_len, at('baseLength'));
    assert.equal(targetLength(v.a), v.target_len, at('targetLength'));
    assert.equal(isNoop(v.a), v.noop, at('isNoop'));
    validate(v.doc, v.a);
    assert.equal(apply(v.doc, v.a), v.apply_a, at('apply a'));
    assert.equal(apply(v.doc, v.b), v.apply_b, at('apply b'));
    assert.deepEqual(compose(v.a, v.c), v.compose, at('compose'));
    assert.equal(apply(v.doc, v.compose), v.apply_compose, at('apply compose'));
    assert.equal(apply(v.apply_a, v.c), v.apply_compose, at('apply c'));
    assert.deepEqual(transform(v.a, v.b), v.transform, at('transform'));
    const [aP, bP] = v.transform;
    assert.equal(apply(v.apply_a, bP), v.converged, at('a then bPrime'));
    assert.equal(apply(v.apply_b, aP), v.converged, at('b then aPrime'));
    assert.deepEqual(diff(v.diff.old, v.diff.new), v.diff.op, at('diff'));
    for (const op of [v.compose, aP, bP, v.diff.op]) assert.deepEqual(normalize(op), op, at('results are normalised'));
  }
});

test('diffs', () => {
  for (const d of vectors.diffs) {
    const op = diff(d.old, d.new);
    assert.deepEqual(op, d.op, `diff ${JSON.stringify(d.old)} → ${JSON.stringify(d.new)}`);
    assert.equal(apply(d.old, op), d.new);
  }
});

test('invalid ops are rejected', () => {
  for (const v of vectors.invalid) {
    throwsCode(() => validate(v.doc, v.op), v.error, `validate ${v.name}`);
    throwsCode(() => apply(v.doc, v.op), v.error, `apply ${v.name}`);
  }
});

test('invalid compose and transform are rejected', () => {
  for (const v of vectors.invalid_compose) throwsCode(() => compose(v.a, v.b), v.error, `compose ${v.name}`);
  for (const v of vectors.invalid_transform) throwsCode(() => transform(v.a, v.b), v.error, `transform ${v.name}`);
});

test('builder normalises like ot.js', () => {
  assert.deepEqual(new OpBuilder().retain(2).retain(3).ops, [5]);
  assert.deepEqual(new OpBuilder().retain(1).delete(2).insert('x').ops, [1, 'x', -2]);
  assert.deepEqual(new OpBuilder().insert('a').delete(1).insert('b').ops, ['ab', -1]);
  assert.deepEqual(new OpBuilder().retain(0).delete(0).insert('').ops, []);
  assert.deepEqual(normalize([1, 2, -1, 'a', -2, 'b', 'c']), [3, 'abc', -3]);
  throwsCode(() => new OpBuilder().retain(-1), 'malformed', 'negative retain');
});

test('transformIndex', () => {
  // Insert before the caret moves it; after the caret does not.
  assert.equal(transformIndex(3, ['ab', 5]), 5);
  assert.equal(transformIndex(3, [4, 'ab', 1]), 3);
  // Insert exactly at the caret: only the user's own typing moves it.
  assert.equal(transformIndex(3, [3, 'ab', 2]), 3);
  assert.equal(transformIndex(3, [3, 'ab', 2], true), 5);
  assert.equal(transformIndex(0, ['x', 2], true), 1);
  assert.equal(transformIndex(0, ['x', 2]), 0);
  // Deletes before the caret pull it left; a delete around it collapses it.
  assert.equal(transformIndex(5, [-2, 4]), 3);
  assert.equal(transformIndex(3, [1, -4, 1]), 1);
  assert.equal(transformIndex(3, [3, -2, 1]), 3);
  // A caret inside replaced text ends after the new text (as in ot.js);
  // at the start of the replacement it stays unless the edit is the user's.
  assert.equal(transformIndex(2, [1, 'XY', -3]), 3);
  assert.equal(transformIndex(1, [1, 'XY', -3]), 1);
  assert.equal(transformIndex(1, [1, 'XY', -3], true), 3);
  // Emoji count two code units.
  assert.equal(transformIndex(2, ['😀', 2]), 4);
  assert.equal(transformIndex(4, [-2, 2]), 2);
  // End of the document.
  assert.equal(transformIndex(2, [2, '!']), 2);
  assert.equal(transformIndex(2, [2, '!'], true), 3);
});

test('lone surrogates in inserts are rejected', () => {
  throwsCode(() => apply('', ['\ud83d']), 'lone_surrogate', 'lone high');
  throwsCode(() => apply('', ['\ude00x']), 'lone_surrogate', 'lone low');
  assert.equal(apply('', ['\ud83d\ude00']), '😀');
});
