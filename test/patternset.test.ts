import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PatternSet, prefixes, requiredLiterals } from '../src/extract/patternset.js';

const own = (re: RegExp, text: string) => [...text.matchAll(new RegExp(re.source, re.flags.includes('g') ? re.flags : re.flags + 'g'))].map((m) => [m.index, ...m]);
const viaSet = (set: PatternSet, k: number, text: string) => set.matches(k, text).map((m) => [m.index, ...m]);

const sets: { name: string; patterns: RegExp[]; texts: string[] }[] = [
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
    name: 'many alternatives (their prefixes in one table)',
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
    name: 'prefixes shared by patterns, and a pattern scanning alone beside them',
    patterns: [/(?<![\p{L}\p{N}])(?:killed|kill)(?![\p{L}\p{N}])/giu, /(?<![\p{L}\p{N}])(?:killing)(?![\p{L}\p{N}])/giu, /\b\w+ killed\b/gi],
    texts: ['killed, killing, kill, killer, skill', 'no', '\u212Allled \u212AILLING', 'kill', 'killing', 'men killed'],
  },
  {
    name: 'astral characters, lone surrogates and classes outside ASCII',
    patterns: [/😀ab/gu, /[😀-😎]ab/gu, /\uD83Dab/g, /[éè]té/giu, /[\s,]+and/gu, /\d\d\d/g, /(?!b)/gu, /x?/g],
    texts: ['😀ab 😎ab \uD83Dab', 'Été été ÉTÉ', 'x\u00A0and ,and', '12 345 6789', '\uD83D\uDE00ab'],
  },
];

for (const s of sets)
  test(`PatternSet gives each pattern's own matches: ${s.name}`, () => {
    const set = new PatternSet(s.patterns);
    for (const text of s.texts) s.patterns.forEach((re, k) => assert.deepEqual(viaSet(set, k, text), own(re, text), `${re} on ${JSON.stringify(text)}`));
  });

test('PatternSet.scan: whether some pattern can match', () => {
  const set = new PatternSet([/\bon (?:monday|friday)\b/gi, /\b(\w+) days later\b/gi]);
  assert.equal(set.scan('On Friday'), true);
  assert.equal(set.scan('two days later'), true);
  assert.equal(set.scan('At Sunday, days passed'), false);
});

/** A trigram as its three characters (DEL for any code unit outside ASCII). */
const grams = (re: RegExp) => prefixes(re)?.map((g) => String.fromCharCode(g >> 14, (g >> 7) & 127, g & 127)).sort() ?? null;

test('prefixes: the first three characters (folded) of every match, or null', () => {
  const digits = '0123456789'.split('');
  const spaces = ['\t', '\n', '\v', '\f', '\r', ' ', '\x7f'];
  const cases: [RegExp, string[] | null][] = [
    [/\bon (?:monday|friday)\b/gi, ['on ']],
    [/(?<![\p{L}\p{N}])(?:(kill(?:ed|ing)?|shot dead))(?![\p{L}\p{N}])/giu, ['kil', 'sho']],
    [/a?bcd/, ['abc', 'bcd']],
    [/[Aa]\d{2}/, digits.flatMap((x) => digits.map((y) => `a${x}${y}`))],
    [/(?:ab){2,}/, ['aba']],
    [/[éa]bc/iu, ['\x7fbc', 'abc']],
    [/\u017Fky/iu, ['\x7fky', 'sky']],
    // \s: ASCII whitespace, and some outside ASCII.
    [/x\s+y/, spaces.flatMap((w) => [`x${w}y`, ...spaces.map((v) => `x${w}${v}`)])],
    // Not listed: too many, a match shorter than three, a character of two code units, a backreference, a repeat that may match empty.
    [/\b(\w+) days later\b/gi, null],
    [/ab|abc/, null],
    [/[^a]bc/, null],
    [/😀ab/u, null],
    [/(a)\1b/, null],
    [/(?:a?)*bcd/, null],
    [/(?:x?){40}yz/, null],
  ];
  for (const [re, expected] of cases) assert.deepEqual(grams(re), expected && [...expected].sort(), String(re));
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
