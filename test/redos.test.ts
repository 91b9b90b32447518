// No regular expression of the project backtracks without bound on what a client sends: every
// pattern written in src/ and every one src/ builds at run time (the rules of rules/**/*.tsv as
// the code compiles them) goes through recheck, a ReDoS checker (automata theory, and fuzzing
// for what automata cannot express), and what it finds super-linear fails this test unless
// allow-listed below. scripts/redos.ts prints the same list with attack strings and timings.
// Verdicts are cached in node_modules/.cache/sitrep-redos: a pattern unchanged since the last
// run is not checked again (SITREP_REDOS_FRESH=1 checks all). A cold run takes about a minute
// on two processors, a warm one about 15 s.
// Nothing of src/ is imported before collect(): it must see every pattern being built.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { check } from 'recheck';
import type { Checked, Collected, Pattern } from './support/regexps.js';
import { checkAll, collectWithin, holdsInV8 } from './support/regexps.js';

/**
 * Patterns recheck flags that this test lets pass: `from` is the file that writes the pattern
 * (for a rule, the rules file), `pattern` its source as written there, or for one built from
 * pieces (a rule line, constants joined), `part`, the piece that backtracks. Each must still
 * exist: an entry whose pattern is gone (fixed, or moved to another file) fails the test until
 * it is removed. Times are for one match on about 30 KB of the attack (node dist/scripts/redos.js).
 */
type Allowed = { from: string } & ({ pattern: string } | { part: string });
const ALLOWED: Allowed[] = [];

const allows = (a: Allowed, c: Checked) => c.pattern.sites.some((s) => s.startsWith(`${a.from}:`)) && ('pattern' in a ? c.pattern.source === a.pattern : c.pattern.source.includes(a.part));

/**
 * What fails the check: a pattern recheck could not decide, or one it finds super-linear that is
 * not allow-listed (a fuzz verdict only when it holds in V8; timed after the allow-list is
 * consulted, so allow-listed patterns cost no timing).
 */
const problems = (checked: Checked[]) => checked.filter((c) => c.diagnostics.status === 'unknown' || (!ALLOWED.some((a) => allows(a, c)) && holdsInV8(c)));

const describeChecked = (c: Checked) => {
  const d = c.diagnostics;
  const verdict = d.status === 'vulnerable' ? `${d.complexity.summary}, attack ${d.attack.pattern}` : d.status === 'unknown' ? `undecided (${d.error.kind})` : 'safe';
  return `${c.pattern.sites.join(' ')}: /${c.pattern.source}/${c.pattern.flags}\n    ${verdict}`;
};

describe('ReDoS: every pattern of src/ and rules/ through recheck', () => {
  let collected: Collected;
  let checked: Checked[];
  before(async () => {
    collected = await collectWithin(60_000);
    checked = await checkAll(collected.patterns, 60_000);
  });

  test('the checker catches the sniffers this project had (exponential on "<!---->" repeated)', async () => {
    const oldHtml = String.raw`^\s*(?:<!--[\s\S]*?-->\s*)*<(?:!doctype\s+html|html|head|body|article|main|div|p|h[1-6]|meta|title|section)\b`;
    const oldFeed = String.raw`^\s*(?:<\?xml[^>]*>\s*)?(?:<!--[\s\S]*?-->\s*)*<(?:rss|feed|rdf:RDF)\b`;
    for (const source of [oldHtml, oldFeed]) {
      const d = await check(source, 'i', { timeout: 60_000 });
      assert.equal(d.status, 'vulnerable', source);
      assert.equal(d.status === 'vulnerable' && d.complexity.type, 'exponential');
    }
  });

  test('the check fails on what backtracks: (a+)+b written in src/, a quadratic rule the fuzzer finds; not on ^a+b', async () => {
    const planted: Pattern[] = [
      { source: '(a+)+b', flags: '', sites: ['src/planted.ts:1'] },
      { source: String.raw`(?<![\p{L}\p{N}])\s*,\s*\s*$`, flags: 'u', sites: ['src/extract/planted.ts:2', 'rules/events/planted.tsv:3'] },
      { source: '^a+b', flags: '', sites: ['src/planted.ts:4'] },
    ];
    const found = problems(await checkAll(planted, 60_000, { cache: false }));
    assert.deepEqual(
      found.map((c) => c.pattern.source).sort(),
      planted.slice(0, 2).map((p) => p.source).sort(),
    );
  });

  test('every RegExp constructor call in src/ was seen building its patterns', () => {
    assert.ok(collected.constructorSites.length >= 20, `only ${collected.constructorSites.length} constructor calls found`);
    assert.deepEqual(collected.unseen, [], 'these sites built no pattern while the rules were compiled and the examples extracted: make them run here (test/support/regexps.ts) or their patterns go unchecked');
    const rules = collected.patterns.filter((p) => p.sites.some((s) => s.startsWith('rules/')));
    assert.ok(rules.length >= 50, `only ${rules.length} patterns traced to rules/**/*.tsv`);
  });

  test('no pattern backtracks super-linearly, except the allow-listed ones', () => {
    const bad = problems(checked);
    assert.equal(bad.length, 0, `${bad.length} of ${checked.length} patterns backtrack super-linearly (or could not be decided): rewrite them, or allow-list them with the reason\n  ${bad.map(describeChecked).join('\n  ')}`);
    assert.ok(checked.length >= 300, `only ${checked.length} patterns checked`);
  });

  test('every allow-list entry names a pattern that is still there', () => {
    const gone = ALLOWED.filter((a) => !checked.some((c) => allows(a, c)));
    assert.deepEqual(gone, [], 'fixed or moved: remove these entries (or point them at the file that writes the pattern now)');
  });
});
