import { test } from 'node:test';
import assert from 'node:assert/strict';
import { blank } from '../src/extract/spans.js';

test('blank keeps offsets and clips spans to the text', () => {
  const cases: [string, { start: number; end: number }[], number, string][] = [
    ['On 5 March in Kabul', [{ start: 3, end: 10 }], 0, 'On         in Kabul'],
    ['5 March in Kabul', [{ start: 100, end: 107 }], 100, '        in Kabul'],
    ['abc', [{ start: 0, end: 10 }], 2, '   '],
    ['abc', [{ start: 10, end: 12 }], 0, 'abc'],
    ['abcdef', [{ start: 0, end: 1 }, { start: 4, end: 6 }], 0, ' bcd  '],
  ];
  for (const [text, spans, base, want] of cases) {
    const got = blank(text, spans, base);
    assert.equal(got, want);
    assert.equal(got.length, text.length);
  }
});
