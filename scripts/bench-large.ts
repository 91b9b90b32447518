// Large single reports: 1, 5 and 20 MB of text, each extracted in a process of its own so
// that its peak RSS is its own. Over MAX_REPORT_CHARS a report is refused (the refusal is
// timed too); the extraction behind the limit is timed with the limit lifted, to show how the
// cost grows with size. Rows for scripts/bench.ts; alone: node dist/scripts/bench-large.js [--sizes 1,5,20].
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig, ROOT } from '../src/config.js';
import { extractDoc, loadResources } from '../src/extract/index.js';
import { MAX_REPORT_CHARS, readDocument } from '../src/ingest/read.js';
import { syntheticReports } from './bench-corpus.js';

export interface LargeRow {
  mb: number;
  chars: number;
  refusedMs: number | null;
  ms: number;
  cpuMs: number;
  peakRssMb: number;
  baseRssMb: number;
  events: number;
  longestNotes: number;
  mostEvidence: number;
}

/** Synthetic reports one after another, blank lines between, up to `mb` million characters. */
function bigText(mb: number): string {
  const parts: string[] = [];
  let n = 0;
  for (let seed = 1; n < mb * 1e6; seed++) {
    for (const r of syntheticReports(200, seed)) {
      parts.push(r.text);
      n += r.text.length + 2;
      if (n >= mb * 1e6) break;
    }
  }
  return parts.join('\n\n').slice(0, mb * 1e6);
}

function measureOne(mb: number): LargeRow {
  const res = loadResources(loadConfig());
  const text = bigText(mb);
  const baseRssMb = process.memoryUsage().rss / 1048576;
  let refusedMs: number | null = null;
  if (text.length > MAX_REPORT_CHARS) {
    const t = process.hrtime.bigint();
    try {
      readDocument(text, { published: '2024-01-15', format: 'text' });
    } catch {
      refusedMs = Number(process.hrtime.bigint() - t) / 1e6;
    }
  }
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const doc = readDocument(text, { published: '2024-01-15', format: 'text', maxChars: Infinity }).value;
  const events = extractDoc(doc, res, { published: '2024-01-15', source: 'bench' }).value;
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const cpu = process.cpuUsage(cpu0);
  return {
    mb,
    chars: text.length,
    refusedMs,
    ms,
    cpuMs: (cpu.user + cpu.system) / 1000,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    baseRssMb,
    events: events.length,
    longestNotes: Math.max(0, ...events.map((e) => e.notes.length)),
    mostEvidence: Math.max(0, ...events.map((e) => e.evidence.length)),
  };
}

/** Each size in a child process; prints a table and returns the rows. */
export function largeRows(sizes: number[], log: (s: string) => void = console.log): LargeRow[] {
  const rows: LargeRow[] = [];
  log(`one large report (synthetic reports end to end), each in its own process; over ${MAX_REPORT_CHARS / 1e6} MB a report is refused, timed here with the limit lifted`);
  log(`${'MB'.padStart(4)}${'refused ms'.padStart(12)}${'ms'.padStart(10)}${'cpu ms'.padStart(10)}${'cpu ms/MB'.padStart(11)}${'peak RSS MB'.padStart(13)}${'events'.padStart(8)}${'max notes'.padStart(11)}${'max spans'.padStart(11)}`);
  for (const mb of sizes) {
    const r = spawnSync(process.execPath, ['--max-old-space-size=8192', path.join(ROOT, 'dist', 'scripts', 'bench-large.js'), '--one', String(mb)], { encoding: 'utf8', maxBuffer: 1 << 20 });
    const line = r.stdout.trim().split('\n').pop() ?? '';
    if (r.status !== 0 || !line.startsWith('{')) {
      log(`${String(mb).padStart(4)}  failed (exit ${r.status}): ${r.stderr.trim().split('\n').pop()}`);
      continue;
    }
    const row = JSON.parse(line) as LargeRow;
    rows.push(row);
    const f = (x: number | null, w: number) => (x === null ? '-' : x.toFixed(0)).padStart(w);
    log(`${String(mb).padStart(4)}${f(row.refusedMs, 12)}${f(row.ms, 10)}${f(row.cpuMs, 10)}${f(row.cpuMs / mb, 11)}${f(row.peakRssMb, 13)}${f(row.events, 8)}${f(row.longestNotes, 11)}${f(row.mostEvidence, 11)}`);
  }
  return rows;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.join(ROOT, 'dist', 'scripts', 'bench-large.js')) {
  const { values } = parseArgs({ options: { one: { type: 'string' }, sizes: { type: 'string', default: '1,5,20' } } });
  if (values.one) console.log(JSON.stringify(measureOne(Number(values.one))));
  else console.log(JSON.stringify(largeRows(values.sizes.split(',').map(Number))));
}
