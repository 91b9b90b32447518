// Throughput of extraction on one core, beside two baselines timed in the same run on the
// same texts: a bare whitespace split (the floor) and wink-nlp's full linguistic pass
// (a real NLP pipeline of the kind sitrep could have been built on). Each is first run over
// as many reports of another seed (the cold pass: compiling, lazy caches), then timed over
// the measured reports, as a long ingest runs. Where ../shared is present, real text too: ACLED's
// notes (cold over the part held aside, timed over the rest). Prints a table and a JSON line.
//   npm run bench [-- --reports 300 --seed 20240601]
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import winkNLP from 'wink-nlp';
import model from 'wink-eng-lite-web-model';
import { loadConfig } from '../src/config.js';
import { ACLED_FILE, loadAcled } from '../src/eval/evaluate.js';
import { extractDoc, loadResources } from '../src/extract/index.js';
import { readDocument } from '../src/ingest/read.js';
import { syntheticReports, type SyntheticReport } from './bench-corpus.js';
import { largeRows } from './bench-large.js';

const { values: args } = parseArgs({
  options: {
    reports: { type: 'string', default: '300' },
    seed: { type: 'string', default: '20240601' },
    // Sizes in MB of the one-report rows (bench-large.ts); "" skips them.
    large: { type: 'string', default: '1,5,20' },
  },
});
const count = Number(args.reports);
const seed = Number(args.seed);
if (!Number.isInteger(count) || count < 10) throw new Error('--reports must be an integer >= 10');

const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;

/**
 * CPU time of this thread in ms (Linux: /proc, 10 ms ticks), or null elsewhere. On a shared
 * machine wall time also counts the time other processes held the core; this does not, so the
 * ratios between rows timed moments apart stay comparable.
 */
function threadCpuMs(): number | null {
  try {
    const fields = fs.readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * (1000 / 100);
  } catch {
    return null;
  }
}

/** One pass over the reports: wall and thread CPU time, and the sum of what run returns. */
function pass(name: string, reports: SyntheticReport[], run: (r: SyntheticReport) => number) {
  let sink = 0;
  const c0 = threadCpuMs();
  const t0 = process.hrtime.bigint();
  for (const r of reports) sink += run(r);
  const elapsed = ms(t0);
  const c1 = threadCpuMs();
  const cpuMs = c0 === null || c1 === null ? null : c1 - c0;
  const bytes = reports.reduce((n, r) => n + Buffer.byteLength(r.text), 0);
  return { name, ms: elapsed, cpuMs, mbPerS: bytes / 1e6 / (elapsed / 1000), reportsPerS: reports.length / (elapsed / 1000), output: sink };
}

/** The cold pass over other reports (JIT, lazy caches), then the timed pass over the measured ones. */
function timed(name: string, reports: SyntheticReport[], run: (r: SyntheticReport) => number, afterCold = () => {}) {
  const cold = pass(name, warmup, run);
  afterCold();
  return { ...pass(name, reports, run), cold };
}

const reports = syntheticReports(count, seed);
// Same templates, other draws: the same kind of text, none of the same reports.
const warmup = syntheticReports(count, seed + 1);
const bytes = reports.reduce((n, r) => n + Buffer.byteLength(r.text), 0);

let t0 = process.hrtime.bigint();
const res = loadResources(loadConfig());
const loadMs = ms(t0);

t0 = process.hrtime.bigint();
const nlp = winkNLP(model);
const winkLoadMs = ms(t0);

const split = timed('whitespace split', reports, (r) => r.text.split(/\s+/).length);
const wink = timed('wink-nlp readDoc', reports, (r) => nlp.readDoc(r.text).tokens().length());
let warnings = 0;
const extract = timed('sitrep read+extract', reports, (r) => {
  const doc = readDocument(r.text, { published: r.published, format: 'text' });
  const out = extractDoc(doc.value, res, { published: r.published, source: 'bench' });
  warnings += doc.warnings.length + out.warnings.length;
  return out.value.length;
}, () => (warnings = 0));

// Real text: ACLED's own notes, short and dense, each through the whole extraction.
const realRun = (r: SyntheticReport) => extractDoc(readDocument(r.text, { published: r.published, format: 'text' }).value, res, { published: r.published, source: 'bench' }).value.length;
const asReports = (set: string): SyntheticReport[] => loadAcled(set).map((r) => ({ id: r.id, text: r.text, published: r.published }));
const real = fs.existsSync(ACLED_FILE) ? (pass('ACLED notes', asReports('acled-held'), realRun), pass('ACLED notes', asReports('acled-dev'), realRun)) : null;

const peakRssMb = process.resourceUsage().maxRSS / 1024;
const rows = [split, wink, extract];
const pad = (s: string, n: number) => s.padEnd(n);
const num = (x: number, d = 1) => x.toFixed(d).padStart(10);
console.log(`${reports.length} synthetic reports, ${(bytes / 1e6).toFixed(2)} MB (avg ${(bytes / reports.length / 1024).toFixed(1)} KB), seed ${seed}, one core (node ${process.version})`);
console.log(`${pad('', 22)}${'ms'.padStart(10)}${'MB/s'.padStart(10)}${'reports/s'.padStart(10)}${'cpu ms'.padStart(10)}${'cpu MB/s'.padStart(10)}${'cold ms'.padStart(10)}`);
const cpuCols = (r: { cpuMs: number | null }) => (r.cpuMs ? `${num(r.cpuMs, 0)}${num(bytes / 1e6 / (r.cpuMs / 1000), 2)}` : '');
for (const r of rows) console.log(`${pad(r.name, 22)}${num(r.ms)}${num(r.mbPerS, 2)}${num(r.reportsPerS)}${cpuCols(r)}${num(r.cold.ms)}`);
console.log(`cold ms: the same row's first pass, over ${warmup.length} reports of seed ${seed + 1}, before the timed one`);
console.log(`extract cost / wink cost: ${(extract.ms / wink.ms).toFixed(2)}x${extract.cpuMs && wink.cpuMs ? ` (cpu time of this thread: ${(extract.cpuMs / wink.cpuMs).toFixed(2)}x)` : ''}; extract cost / split cost: ${(extract.ms / split.ms).toFixed(0)}x`);
console.log(`events found: ${extract.output}; warnings: ${warnings}`);
if (real) console.log(`real text: ${Math.round(real.reportsPerS)} ACLED notes/s, ${real.mbPerS.toFixed(2)} MB/s (${asReports('acled-dev').length} notes, after a cold pass over the held-aside part); ${real.output} events`);
else console.log(`real text: skipped, ${ACLED_FILE} is absent`);
console.log(`resources load: ${loadMs.toFixed(0)} ms (wink model load: ${winkLoadMs.toFixed(0)} ms); peak RSS: ${peakRssMb.toFixed(0)} MB`);
console.log(
  JSON.stringify({
    reports: reports.length,
    bytes,
    seed,
    node: process.version,
    resourcesLoadMs: loadMs,
    winkLoadMs,
    peakRssMb,
    runs: rows.map(({ name, ms, cpuMs, mbPerS, reportsPerS, cold }) => ({ name, ms, cpuMs, mbPerS, reportsPerS, coldMs: cold.ms })),
    extractOverWink: extract.ms / wink.ms,
    extractOverWinkCpu: extract.cpuMs && wink.cpuMs ? extract.cpuMs / wink.cpuMs : null,
    extractOverSplit: extract.ms / split.ms,
    events: extract.output,
    real: real && { notes: asReports('acled-dev').length, ms: real.ms, notesPerS: real.reportsPerS, mbPerS: real.mbPerS, events: real.output },
  }),
);

if (args.large) largeRows(args.large.split(',').map(Number));
