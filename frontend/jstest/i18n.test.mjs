import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Messages } from '../static/js/i18n.js';

test('plural forms follow the language', () => {
  const pl = new Messages('pl', { 'x': { one: '{{.Count}} rodzina', few: '{{.Count}} rodziny', many: '{{.Count}} rodzin', other: '{{.Count}} rodziny' } });
  assert.equal(pl.n('x', 1), '1 rodzina');
  assert.equal(pl.n('x', 3), '3 rodziny');
  assert.equal(pl.n('x', 5), '5 rodzin');
  const ar = new Messages('ar', { 'x': { zero: 'لا أحد', one: 'واحد', two: 'اثنان', few: '{{.Count}} قليل', many: '{{.Count}} كثير', other: '{{.Count}}' } });
  assert.equal(ar.n('x', 0), 'لا أحد');
  assert.equal(ar.n('x', 2), 'اثنان');
  assert.equal(ar.n('x', 11), '11 كثير');
});

test('placeholders and plain messages', () => {
  const da = new Messages('da', { 'a': 'Hej {{.Name}}', 'b': { one: '{{.Count}} familie', other: '{{.Count}} familier' } });
  assert.equal(da.t('a', { Name: 'Ida' }), 'Hej Ida');
  assert.equal(da.n('b', 1), '1 familie');
  assert.equal(da.n('b', 2), '2 familier');
  assert.equal(da.t('missing'), 'missing');
});
