import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PatternSet, requiredLiterals, uncaptured } from '../src/extract/patternset.js';

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
    name: 'texts holding the literals of some patterns, all or none',
    patterns: [/\bovernight\b/gi, /\b(\w+) days later\b/gi, /\b(?:a|one|the) day after\b/gi, /\d+/g, /\bnear(?:by)?\b/gi],
    texts: ['Overnight, two days later', 'the day after; a day after 3', 'nearby 12', 'Two DAYS LATER', 'days laters', 'nothing at all', 'overnigh t'],
  },
  {
    name: 'many literals (looked up by trigram)',
    patterns: [
      new RegExp(`\\b(?:${Array.from({ length: 70 }, (_, i) => `kword${i}s`).join('|')})\\b`, 'giu'),
      new RegExp(`(?:${Array.from({ length: 30 }, (_, i) => `${i}th day`).join('|')})`, 'giu'),
      /\bday\w*/giu,
    ],
    texts: ['KWORD7S and kword69s, 3th day', '\u212Aword12\u017F', 'kword70s 30th day', 'nothing', 'Days'],
  },
  {
    name: 'characters folding to ASCII only under iu (long s, Kelvin sign)',
    patterns: [/\bsky\b/giu, /kick/giu, /kick/gi, /\bKICK\b/g, /Straße/giu],
    texts: ['\u017Fky \u212Aick kick KICK', 'SKY \u212AICK', 'STRASSE straße STRAẞE', '\u017F\u212A'],
  },
  {
    name: 'a looser union given by the caller',
    patterns: [/(?<![\p{L}\p{N}])(?:killed|kill)(?![\p{L}\p{N}])/giu, /(?<![\p{L}\p{N}])(?:killing)(?![\p{L}\p{N}])/giu],
    union: /(?<![\p{L}\p{N}])(?:kill)/giu,
    texts: ['killed, killing, kill, killer, skill', 'no', '\u212Allled \u212AILLING', 'kill', 'killing'],
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

test('requiredLiterals: literals one of which every match holds (lower case), or null', () => {
  const cases: [RegExp, string[] | null][] = [
    [/\bovernight\b/gi, ['overnight']],
    [/\b(\w+) days later\b/gi, [' days later']],
    [/\b(?:a|one|the) day after\b/gi, ['a day after', 'one day after', 'the day after']],
    [/(?<![\p{L}\p{N}])(?:(drones?|drone strikes?))(?![\p{L}\p{N}])/giu, ['drone']],
    [/ab(?:cd)?ef/, ['abcdef', 'abef']],
    [/[abc]def|ghij+/, ['def', 'ghi']],
    [/Kämpfe/iu, ['mpfe']],
    [/(\w)\1xyz/, ['xyz']],
    [/x{0}abc/, ['abc']],
    // No literal in every match: too short, only in a lookaround, optional, or none at all.
    [/\w+/, null],
    [/a|bcd/, null],
    [/(?<=abc)x(?=def)/, null],
    [/(?:abc)?x/, null],
    [/(?:abc)*/, null],
    [/\d+-\d+/, null],
    [/é+/u, null],
  ];
  for (const [re, literals] of cases) assert.deepEqual(requiredLiterals(re), literals, String(re));
});

test('prefilter: the only characters outside ASCII matching an ASCII one under i or iu are U+017F and U+212A', () => {
  const found: number[] = [];
  for (let cp = 0x7f; cp <= 0x10ffff; cp++) {
    const c = String.fromCodePoint(cp);
    if (/[\0-\x7f]/iu.test(c) || /[\0-\x7f]/i.test(c)) found.push(cp);
  }
  // DEL itself is no literal character either (it stands for the rest in the prefilter).
  assert.deepEqual(found, [0x7f, 0x17f, 0x212a]);
});
