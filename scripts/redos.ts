// Lists the regular expressions of src/ and rules/ that recheck finds backtracking
// super-linearly, with its attack string and how long one match takes on about 30 KB of it (in
// a child process, given up after 60 s): what test/redos.test.ts allow-lists, with the numbers
// for its comments. `--all` lists every pattern with its verdict.
//   npm run redos [-- --all]
import { attackOfLength, checkAll, collect, holdsInV8, timeExec } from '../test/support/regexps.js';

const ATTACK_CHARS = 30_000;
const LIMIT_MS = 60_000;

const all = process.argv.includes('--all');
const started = Date.now();
const collected = await collect();
const checked = await checkAll(collected.patterns, 60_000);
const flagged = checked.filter((c) => c.diagnostics.status !== 'safe');
console.log(`${collected.patterns.length} patterns checked in ${((Date.now() - started) / 1000).toFixed(0)} s; ${flagged.length} flagged`);
if (collected.unseen.length) console.log(`never seen built (unchecked): ${collected.unseen.join(', ')}`);
for (const c of all ? checked : flagged) {
  const { pattern, diagnostics: d } = c;
  console.log(`\n${pattern.sites.join(' ')}\n  /${pattern.source}/${pattern.flags}`);
  if (d.status === 'safe') console.log(`  safe (${d.complexity.summary})`);
  else if (d.status === 'unknown') console.log(`  unknown: ${d.error.kind}${'message' in d.error ? ` ${d.error.message}` : ''}`);
  else {
    const input = attackOfLength(d, ATTACK_CHARS)!;
    const ms = timeExec(pattern, input, LIMIT_MS);
    console.log(`  ${d.complexity.summary}; attack ${d.attack.pattern}${d.complexity.isFuzz ? `; holds in V8: ${holdsInV8(c)}` : ''}`);
    console.log(`  ${input.length} characters: ${ms === null ? `more than ${LIMIT_MS / 1000} s` : `${ms.toFixed(0)} ms`}`);
  }
}
process.exit(0);
