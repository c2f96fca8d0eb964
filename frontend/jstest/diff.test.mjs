// Checks frontend/static/js/diff.js, the word diff that shows what a class changed in a clause its
// pupil council wrote. Run: node --test this file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { wordDiff } from '../static/js/diff.js';

// back rebuilds both texts from a diff: what was kept and removed is the first, what was kept and
// added the second.
function back(parts) {
  let a = '', b = '';
  for (const [kind, text] of parts) {
    if (kind !== '+') a += text;
    if (kind !== '-') b += text;
  }
  return [a, b];
}

test('added words at the end', () => {
  assert.deepEqual(wordDiff('Vi spørger først.', 'Vi spørger først. I 4.A også.'),
    [['=', 'Vi spørger først.'], ['+', ' I 4.A også.']]);
});

test('a word replaced shows the old and the new word whole', () => {
  assert.deepEqual(wordDiff('Vi sletter det straks.', 'Vi sletter det bagefter.'),
    [['=', 'Vi sletter det '], ['-', 'straks.'], ['+', 'bagefter.']]);
});

test('nothing changed, everything changed, empty texts', () => {
  assert.deepEqual(wordDiff('ens tekst', 'ens tekst'), [['=', 'ens tekst']]);
  assert.deepEqual(wordDiff('', ''), []);
  assert.deepEqual(wordDiff('alt', ''), [['-', 'alt']]);
  assert.deepEqual(wordDiff('', 'nyt'), [['+', 'nyt']]);
});

test('any two texts come back whole, Arabic, emoji and line breaks included', () => {
  const texts = ['', 'Vi spørger først.', 'نسأل أولاً قبل أن نلتقط صورة 📷', 'linje et\nlinje to', 'a b c a b c', 'c b a'];
  for (const a of texts) {
    for (const b of texts) {
      assert.deepEqual(back(wordDiff(a, b)), [a, b], `${JSON.stringify(a)} → ${JSON.stringify(b)}`);
    }
  }
});

test('a long text is compared as a whole, not word by word', () => {
  const long = 'ord '.repeat(2000);
  const parts = wordDiff(long, long + 'mere');
  assert.deepEqual(back(parts), [long, long + 'mere']);
  assert.equal(parts.length, 2);
});
