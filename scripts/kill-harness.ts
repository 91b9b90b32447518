// Kill harness: SIGKILL `sitrep ingest` at random moments (store creation included), run it
// again to the end, and compare the store with one from an ingest never interrupted: the same
// reports, events (with their ids), sources and control claims. On the embedded store, and on
// PostgreSQL when SITREP_TEST_PG names a server (each run in a schema of its own).
//   node dist/scripts/kill-harness.js [--points 50] [--reports 30] [--seed 7] [--backend pglite|postgres|both]
// Prints one line per point and a JSON summary; exits 1 if any point differs.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ROOT } from '../src/config.js';
import { Store } from '../src/store/store.js';
import { backends } from '../test/support/stores.js';
import { rng, syntheticReports } from './bench-corpus.js';

const BIN = path.join(ROOT, 'bin', 'sitrep.js');

export interface PointResult {
  point: number;
  moment: string;
  /** Whether the process was still running when the kill came (else it had finished). */
  killed: boolean;
  /** What the killed run left: no directory, an unfinished creation, or a store. */
  left: string;
  same: boolean;
  diff: string | null;
}

/** A store's content, without the row numbers a crash may skip (sequences are not transactional). */
export async function dumpStore(target: string): Promise<Record<string, string[]>> {
  const store = await Store.open(target);
  try {
    const q = async (sql: string) => (await store.db.query<Record<string, unknown>>(sql)).map((r) => JSON.stringify(r)).sort();
    return {
      reports: await q(`SELECT content_hash, url, title, source, published::text, text, minhash,
        (SELECT n.content_hash FROM reports n WHERE n.id = r.near_duplicate_of) AS near_duplicate_of FROM reports r`),
      events: await q(`SELECT event_id, event_date::text, time_precision, event_type, sub_event_type, actor1, assoc_actor_1, actor2, assoc_actor_2,
        country, admin1, admin2, location, latitude, longitude, fatalities, source, notes, certainty, confidence, rule, evidence::text, first_known::text FROM events`),
      sources: await q(`SELECT r.content_hash, s.position, e.event_id, s.source, s.fatalities, s.certainty, s.notes, s.evidence::text
        FROM event_sources s JOIN reports r ON r.id = s.report_id JOIN events e ON e.id = s.event_id`),
      claims: await q(`SELECT c.district, c.kind, c.actor, c.against, c.valid_from::text, c.known_at::text, c.certainty, c.reason, c.evidence::text,
        e.event_id, r.content_hash FROM control_claims c LEFT JOIN events e ON e.id = c.event_id LEFT JOIN reports r ON r.id = c.report_id`),
      districts: await q('SELECT code, country, admin1, admin1_code, admin2 FROM districts'),
    };
  } finally {
    await store.close();
  }
}

function firstDifference(a: Record<string, string[]>, b: Record<string, string[]>): string | null {
  for (const table of Object.keys(a)) {
    const x = a[table]!;
    const y = b[table] ?? [];
    if (x.length !== y.length) return `${table}: ${x.length} rows vs ${y.length}`;
    const i = x.findIndex((row, k) => row !== y[k]);
    if (i >= 0) return `${table}: row ${i} differs: ${x[i]!.slice(0, 200)} vs ${y[i]!.slice(0, 200)}`;
  }
  return null;
}

/**
 * A clean ingest, watched: when its store directory appeared and when its creation was over
 * (the marker gone, PG_VERSION there), so that kills can be aimed at store creation too.
 */
async function watchedIngest(target: string, batch: string): Promise<{ code: number | null; err: string; ms: number; creation: [number, number] | null }> {
  const t0 = Date.now();
  const child = spawn(process.execPath, [BIN, 'ingest', '--no-progress', '--db', target, batch], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  let from: number | null = null;
  let to: number | null = null;
  const poll = setInterval(() => {
    if (/^postgres/.test(target)) return;
    if (from === null && fs.existsSync(target)) from = Date.now() - t0;
    if (from !== null && to === null && fs.existsSync(path.join(target, 'PG_VERSION')) && !fs.existsSync(path.join(target, 'sitrep.creating'))) to = Date.now() - t0;
  }, 10);
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  clearInterval(poll);
  return { code, err, ms: Date.now() - t0, creation: from !== null && to !== null ? [from, to] : null };
}

function ingest(target: string, batch: string): { code: number | null; out: string; err: string; ms: number } {
  const t0 = Date.now();
  const r = spawnSync(process.execPath, [BIN, 'ingest', '--no-progress', '--db', target, batch], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr, ms: Date.now() - t0 };
}

/** When to kill: `ms` after the store directory appears (store creation), or after report `report` began. */
type Moment = { creation: number } | { report: number; ms: number };

const describeMoment = (m: Moment) => ('creation' in m ? `${m.creation} ms into store creation` : `${m.ms} ms into report ${m.report}`);

/**
 * Starts an ingest and SIGKILLs it at a moment of its own progress (a time from the start
 * would mostly fall in the seconds spent loading rules, before the store is touched);
 * resolves with whether it was still running.
 */
function ingestKilledAt(target: string, batch: string, m: Moment): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, 'ingest', '--progress', '--db', target, batch], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    let armed = false;
    const arm = (ms: number) => {
      if (armed) return;
      armed = true;
      setTimeout(() => child.kill('SIGKILL'), ms);
    };
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
      if ('report' in m && new RegExp(`ingest ${m.report}/`).test(err)) arm(m.ms);
    });
    const poll = setInterval(() => {
      if ('creation' in m && (/^postgres/.test(target) ? /ingest 1\//.test(err) : fs.existsSync(target))) arm(m.creation);
    }, 5);
    child.on('exit', (_code, signal) => {
      clearInterval(poll);
      resolve(signal === 'SIGKILL');
    });
  });
}

function leftBehind(target: string): string {
  if (/^postgres/.test(target)) return 'server';
  if (!fs.existsSync(target)) return 'nothing';
  if (fs.existsSync(path.join(target, 'sitrep.creating'))) return 'unfinished creation';
  if (!fs.existsSync(path.join(target, 'PG_VERSION'))) return fs.readdirSync(target).length ? 'partial directory' : 'empty directory';
  return 'store';
}

export interface HarnessOptions {
  points: number;
  reports: number;
  seed: number;
  backend: 'pglite' | 'postgres';
  log?: (s: string) => void;
}

export async function runHarness(o: HarnessOptions): Promise<{ backend: string; cleanMs: number; creation: [number, number] | null; results: PointResult[] }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sitrep-kill-'));
  const batch = path.join(dir, 'batch.jsonl');
  const reports = syntheticReports(o.reports, o.seed);
  fs.writeFileSync(batch, reports.map((r, i) => JSON.stringify({ id: `r${i}`, text: r.text, published: r.published, source: 'Synthetic' })).join('\n') + '\n');
  // A server store is a schema of its own, made as the contract tests make theirs.
  const server = backends.find((b) => b.name === 'postgres')!;
  const target = async (name: string) => (o.backend === 'postgres' ? server.target() : path.join(dir, name));

  const cleanTarget = await target('clean');
  const clean = await watchedIngest(cleanTarget, batch);
  o.log?.(`clean run: ${clean.ms} ms${clean.creation ? `, store created from ${clean.creation[0]} to ${clean.creation[1]} ms` : ''}`);
  if (clean.code !== 0) throw new Error(`the clean ingest failed: ${clean.err}`);
  const expected = await dumpStore(cleanTarget);
  const random = rng(o.seed);
  const results: PointResult[] = [];
  for (let point = 1; point <= o.points; point++) {
    // Every other point falls in store creation (or, on a server, as the first report begins);
    // the others in a report chosen at random, up to 1.5 s into it.
    const c = clean.creation;
    const moment: Moment =
      point % 2 === 0 ? { creation: Math.round(random() * (c ? c[1] - c[0] + 200 : 300)) } : { report: 1 + Math.floor(random() * o.reports), ms: Math.round(random() * 1500) };
    const t = await target(`p${point}`);
    const killed = await ingestKilledAt(t, batch, moment);
    const left = leftBehind(t);
    const rerun = ingest(t, batch);
    let diff: string | null;
    if (rerun.code !== 0) diff = `the rerun exited ${rerun.code}: ${rerun.err.trim().split('\n').pop()}`;
    else diff = firstDifference(expected, await dumpStore(t));
    const r = { point, moment: describeMoment(moment), killed, left, same: diff === null, diff };
    results.push(r);
    o.log?.(`${o.backend} point ${point}: killed ${describeMoment(moment)} (${killed ? 'running' : 'had finished'}; left ${left}): ${diff ?? 'same as the clean run'}`);
    if (o.backend === 'pglite') fs.rmSync(t, { recursive: true, force: true });
  }
  fs.rmSync(dir, { recursive: true, force: true });
  return { backend: o.backend, cleanMs: clean.ms, creation: clean.creation, results };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      points: { type: 'string', default: '50' },
      reports: { type: 'string', default: '30' },
      seed: { type: 'string', default: '7' },
      backend: { type: 'string', default: 'both' },
    },
  });
  const backends = values.backend === 'both' ? (['pglite', 'postgres'] as const) : ([values.backend] as ('pglite' | 'postgres')[]);
  let failed = 0;
  const summary = [];
  for (const backend of backends) {
    if (backend === 'postgres' && !process.env.SITREP_TEST_PG) {
      console.log('postgres: skipped (set SITREP_TEST_PG=postgres://...)');
      continue;
    }
    const { cleanMs, creation, results } = await runHarness({ points: Number(values.points), reports: Number(values.reports), seed: Number(values.seed), backend, log: (s) => console.log(s) });
    const bad = results.filter((r) => !r.same);
    failed += bad.length;
    const byLeft: Record<string, number> = {};
    for (const r of results) byLeft[r.left] = (byLeft[r.left] ?? 0) + 1;
    summary.push({ backend, points: results.length, survived: results.length - bad.length, failed: bad.length, killedWhileRunning: results.filter((r) => r.killed).length, left: byLeft, cleanMs, creation });
  }
  console.log(JSON.stringify(summary));
  process.exitCode = failed ? 1 : 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.join(ROOT, 'dist', 'scripts', 'kill-harness.js')) await main();
