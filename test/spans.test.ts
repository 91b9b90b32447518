import { test } from 'node:test';
import assert from 'node:assert/strict';
import { blank, isSpace, moreWordsThan } from '../src/core/spans.js';

test('blank keeps offsets and clips spans to the text', () => {
  const cases: [string, { start: number; end: number }[], number, string][] = [
    ['On 5 March in Kabul', [{ start: 3, end: 10 }], 0, 'On         in Kabul'],
    ['5 March in Kabul', [{ start: 100, end: 107 }], 100, '        in Kabul'],
    ['abc', [{ start: 0, end: 10 }], 2, '   '],
    ['abc', [{ start: 10, end: 12 }], 0, 'abc'],
    ['abcdef', [{ start: 0, end: 1 }, { start: 4, end: 6 }], 0, ' bcd  '],
    // Out of order and overlapping, as masks from several finders come.
    ['abcdefgh', [{ start: 5, end: 7 }, { start: 1, end: 3 }, { start: 2, end: 4 }, { start: 6, end: 6 }], 0, 'a   e  h'],
  ];
  for (const [text, spans, base, want] of cases) {
    const got = blank(text, spans, base);
    assert.equal(got, want);
    assert.equal(got.length, text.length);
  }
});

test('moreWordsThan counts whitespace-delimited words, as /\\S+/g would, up to an end', () => {
  const cases: [string, number, number | undefined, boolean][] = [
    ['three short words', 2, undefined, true],
    ['three short words', 3, undefined, false],
    ['  padded\t\nwords  ', 1, undefined, true],
    ['', 0, undefined, false],
    ['one\u00a0two\u2003three', 2, undefined, true], // no-break and em spaces part words too
    ['one two three four', 2, 7, false], // only "one two" lies before offset 7
    ['one two three four', 2, 9, true],
  ];
  for (const [text, n, end, want] of cases) {
    assert.equal(moreWordsThan(text, n, end), want, JSON.stringify([text, n, end]));
    assert.equal(moreWordsThan(text, n, end), (text.slice(0, end).match(/\S+/g)?.length ?? 0) > n);
  }
});

test('isSpace is what \\s matches, for every UTF-16 code unit', () => {
  for (let c = 0; c <= 0xffff; c++) assert.equal(isSpace(c), /\s/.test(String.fromCharCode(c)), c.toString(16));
});
