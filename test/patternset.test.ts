import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PatternSet, uncaptured } from '../src/extract/patternset.js';

const own = (re: RegExp, text: string) => [...text.matchAll(new RegExp(re.source, re.flags.includes('g') ? re.flags : re.flags + 'g'))].map((m) => [m.index, ...m]);
const viaSet = (set: PatternSet, k: number, text: string) => set.matches(k, text, set.starts(text)).map((m) => [m.index, ...m]);

const sets: { name: string; patterns: RegExp[]; union?: RegExp; texts: string[] }[] = [
  {
    name: 'word patterns with overlapping and repeated matches',
    patterns: [/\b(?:shell(?:ed|ing)|artillery)\b/gi, /\bshell\w*/gi, /\b(\w+) days later\b/gi, /(?<!tear )gas\b/gi],
    texts: ['Shelling and shelled; artillery fire.', 'two days later, three days later', 'tear gas then gas', 'nothing here', ''],
  },
  {
    name: 'unicode, lookbehind and a pattern no text matches',
    patterns: [/(?<![\p{L}\p{N}])(?:kämpfe|combats?)(?![\p{L}\p{N}])/giu, /(?<![\p{L}\p{N}])zzz(?![\p{L}\p{N}])/giu, /é+/giu],
    texts: ['Kämpfe bei 😀 Combats, combat, écoles éé', 'xcombat combatx', '😀😀'],
  },
  {
    name: 'backreferences keep each pattern scanning alone',
    patterns: [/(\w)\1/g, /\bab/g],
    texts: ['aab bb abba', 'ab ab'],
  },
  {
    name: 'a looser union given by the caller',
    patterns: [/(?<![\p{L}\p{N}])(?:killed|kill)(?![\p{L}\p{N}])/giu, /(?<![\p{L}\p{N}])(?:killing)(?![\p{L}\p{N}])/giu],
    union: /(?<![\p{L}\p{N}])(?:kill)/giu,
    texts: ['killed, killing, kill, killer, skill', 'no'],
  },
];

for (const s of sets)
  test(`PatternSet gives each pattern's own matches: ${s.name}`, () => {
    const set = new PatternSet(s.patterns, s.union);
    for (const text of s.texts) s.patterns.forEach((re, k) => assert.deepEqual(viaSet(set, k, text), own(re, text), `${re} on ${JSON.stringify(text)}`));
  });

test('PatternSet: offsets where some pattern starts, none where none does', () => {
  const set = new PatternSet([/\bon (?:monday|friday)\b/gi, /\bfriday\b/gi]);
  assert.deepEqual(set.starts('On Friday and friday'), [0, 3, 14]);
  assert.deepEqual(set.starts('On Sunday'), []);
  assert.equal(new PatternSet([/(\w)\1/g]).starts('aa'), null);
});

test('uncaptured: groups stop capturing, nothing else changes', () => {
  const cases: [string, string][] = [
    ['(a|b)c', '(?:a|b)c'],
    ['(?:a)(?<!x)(?=y)(?!z)(?<=w)', '(?:a)(?<!x)(?=y)(?!z)(?<=w)'],
    ['(?<year>\\d{4})', '(?:\\d{4})'],
    ['\\(literal\\) [(](x)', '\\(literal\\) [(](?:x)'],
    ['[\\]( ](y)', '[\\]( ](?:y)'],
    ['(\\w)\\1', '(\\w)\\1'],
  ];
  for (const [from, to] of cases) assert.equal(uncaptured(from), to, from);
});

test('PatternSet.first is the pattern\'s own first match, or null', () => {
  const re = /(?<![\p{L}\p{N}])(?:crowds?|protesters)(?![\p{L}\p{N}])/giu;
  const set = new PatternSet([re], /(?<![\p{L}\p{N}])(?:crowds?|protesters)/giu);
  const cases: [string, number | null][] = [
    ['the crowdfunding crowd and protesters', 17],
    ['Protesters gathered', 0],
    ['crowdsourced protestersx', null],
    ['', null],
  ];
  for (const [text, at] of cases) assert.equal(set.first(0, text)?.index ?? null, at, text);
  assert.equal(new PatternSet([/(\w)\1/g]).first(0, 'abba')?.index, 1);
});
