// API latency with a large store: builds a store of synthetic events (1,000,000 by default)
// across 400 districts with their sources and control claims (scripts/synthetic-store.ts);
// starts `sitrep serve` on it; then runs a bounded load with autocannon on 127.0.0.1 against a
// filtered page of /api/events and against /api/control for a date: every answer from the
// store (1 and --connections clients), then as the server runs by default, keeping answers
// until the next write; last, reads of both routes with writes among them (one request in ten
// a new report POSTed to /api/reports, extracted and stored, so kept answers are dropped as
// they would be). Prints p50/p99, errors and a final JSON line.
//   node dist/scripts/bench-api.js [--events 1000000] [--db DIR (kept and reused)] [--duration 10] [--connections 4]
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { ROOT } from '../src/config.js';
import { afghanDistricts, buildSyntheticStore } from './synthetic-store.js';
import type { SyntheticDistrict } from './synthetic-store.js';

const { values: args } = parseArgs({
  options: {
    events: { type: 'string', default: '1000000' },
    db: { type: 'string' },
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '4' },
  },
});
const EVENTS = Number(args.events);
const DURATION = Number(args.duration);
const CONNECTIONS = Number(args.connections);
if (!Number.isInteger(EVENTS) || EVENTS < 1000) throw new Error('--events must be an integer >= 1000');
if (!(DURATION > 0 && DURATION <= 120)) throw new Error('--duration must be 1..120 seconds');
if (!Number.isInteger(CONNECTIONS) || CONNECTIONS < 1 || CONNECTIONS > 64) throw new Error('--connections must be 1..64');

const DISTRICTS = 400;
const TARGET_P99_MS = 50;
const REPORTS = 2000;
const FIRST_DAY = Date.UTC(2019, 0, 1);
const DAYS = 5 * 365;

const log = (s: string) => process.stderr.write(s);
const day = (n: number) => new Date(FIRST_DAY + n * 86400000).toISOString().slice(0, 10);

/** The shipped Afghan districts (399) and, to make 400, one more without polygons. */
function districts(): SyntheticDistrict[] {
  const out = afghanDistricts();
  while (out.length < DISTRICTS) {
    const n = out.length;
    out.push({ code: `name:Afghanistan/Bench/District ${n}`, country: 'Afghanistan', iso: 4, admin1: 'Bench', admin1_code: null, admin2: `District ${n}`, lon: 66, lat: 34 });
  }
  return out.slice(0, DISTRICTS);
}

const ACTORS = [
  ['Taliban', 2],
  ['Military Forces of Afghanistan (2004-2021)', 1],
  ['Police Forces of Afghanistan (2004-2021)', 1],
  ['Islamic State (Afghanistan)', 2],
  ['Unidentified Armed Group (Afghanistan)', 3],
  ['Civilians (Afghanistan)', 7],
  ['Protesters (Afghanistan)', 6],
] as const;
const SIDES = ['Taliban', 'Military Forces of Afghanistan (2004-2021)', 'Anti-Taliban Militia (Afghanistan)'];

const build = (dir: string) => buildSyntheticStore(dir, { events: EVENTS, districts: districts(), actors: ACTORS, sides: SIDES, reports: REPORTS, firstDay: day(0), days: DAYS, jitter: 0.05, log });

const TOKEN = `bench-${process.pid}`;

function serve(db: string, cache: boolean): Promise<{ url: string; child: ChildProcess }> {
  const argv = [path.join(ROOT, 'bin', 'sitrep.js'), 'serve', '--db', db, '--port', '0', '--host', '127.0.0.1', '--token', TOKEN, ...(cache ? [] : ['--no-cache'])];
  const child = spawn(process.execPath, argv, { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\S+)/.exec(out);
      if (m) resolve({ url: m[1]!.replace(/\/$/, ''), child });
    });
    child.on('exit', (code) => reject(new Error(`sitrep serve exited (${code})`)));
  });
}

interface Measured {
  route: string;
  cache: boolean;
  connections: number;
  requests: number;
  rps: number;
  p50_ms: number;
  p90_ms: number;
  p99_ms: number;
  max_ms: number;
  errors: number;
  non2xx: number;
  bytes_per_response: number;
  p99_under_target: boolean;
  /** Reports POSTed (and stored) during the row, for the row of reads and writes. */
  writes?: number;
}

async function load(url: string, route: string, paths: string[], cache: boolean, connections: number, writeEvery = 0): Promise<Measured> {
  // Warm up: the first requests compile plans and fill caches.
  for (const p of paths.slice(0, 5)) await (await fetch(url + p)).arrayBuffer();
  const requests: autocannon.Request[] = paths.map((p) => ({ method: 'GET' as const, path: p }));
  let writes = 0;
  if (writeEvery) {
    // Each write a report of its own (a repeated one would be "already known" and store nothing).
    const write: autocannon.Request = {
      method: 'POST',
      path: '/api/reports',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
      setupRequest: (req) => {
        const n = ++writes;
        const text = `Taliban fighters attacked a police checkpoint in ${provinces[n % provinces.length]} province on Monday, killing ${n % 9} policemen, officials said. (bench write ${n}, ${process.pid})`;
        return { ...req, body: JSON.stringify({ text, published: day(n % DAYS), source: 'Bench Wire' }) };
      },
    };
    for (let i = writeEvery - 1; i <= requests.length; i += writeEvery) requests.splice(i, 0, write);
  }
  const r = await autocannon({ url, connections, duration: DURATION, requests });
  return {
    route,
    cache,
    connections,
    requests: r.requests.total,
    rps: Math.round(r.requests.average),
    p50_ms: r.latency.p50,
    p90_ms: r.latency.p90,
    p99_ms: r.latency.p99,
    max_ms: r.latency.max,
    errors: r.errors + r.timeouts,
    non2xx: r.non2xx,
    bytes_per_response: Math.round(r.throughput.total / Math.max(1, r.requests.total)),
    p99_under_target: r.latency.p99 < TARGET_P99_MS,
    ...(writeEvery ? { writes } : {}),
  };
}

const dir = args.db ?? path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sitrep-bench-api-')), 'db');
let buildSeconds: number | null = null;
const existing = fs.existsSync(path.join(dir, 'PG_VERSION'));
if (existing) log(`bench-api: reusing the store at ${dir}\n`);
else {
  log(`bench-api: building a store of ${EVENTS.toLocaleString('en')} events across ${DISTRICTS} districts at ${dir}\n`);
  buildSeconds = await build(dir);
}

const provinces = [...new Set(districts().map((d) => d.admin1))].filter((p) => p !== 'Bench');
// A filtered page: one province in one month (what the map asks when zoomed to a province).
const eventPaths = Array.from({ length: 40 }, (_, i) => {
  const n = Math.floor(((i + 0.5) / 40) * (DAYS - 31));
  return `/api/events?admin1=${encodeURIComponent(provinces[i % provinces.length]!)}&from=${day(n)}&to=${day(n + 30)}&limit=100`;
});
// Control of all 400 districts on a date (what the map asks as the slider moves).
const controlPaths = Array.from({ length: 40 }, (_, i) => `/api/control?as_of=${day(Math.floor(((i + 0.5) / 40) * DAYS))}`);
const routes = [
  ['/api/events (province, month, 100/page)', eventPaths],
  ['/api/control (400 districts, a date)', controlPaths],
] as const;

const results: Measured[] = [];
// Every request from the store (one client, then several), then as the server runs by default:
// answers kept until the next write.
for (const cache of [false, true]) {
  log(`bench-api: starting sitrep serve${cache ? '' : ' --no-cache'}\n`);
  const server = await serve(dir, cache);
  try {
    const meta = (await (await fetch(`${server.url}/api/meta`)).json()) as { counts: { events: number; claims: number; districts: number } };
    log(`bench-api: ${server.url} serves ${meta.counts.events.toLocaleString('en')} events, ${meta.counts.claims} claims, ${meta.counts.districts} districts\n`);
    for (const connections of cache ? [CONNECTIONS] : [1, CONNECTIONS]) {
      for (const [route, paths] of routes) {
        log(`bench-api: ${route}${cache ? ', kept answers' : ''}: ${connections} connection${connections === 1 ? '' : 's'} for ${DURATION} s\n`);
        results.push(await load(server.url, route, [...paths], cache, connections));
      }
    }
    if (cache) {
      const route = 'reads, 1 in 10 POST /api/reports';
      log(`bench-api: ${route}: ${CONNECTIONS} connections for ${DURATION} s\n`);
      const reads = eventPaths.flatMap((p, i) => [p, controlPaths[i]!]);
      results.push(await load(server.url, route, reads, cache, CONNECTIONS, 10));
    }
  } finally {
    const exited = new Promise((resolve) => server.child.once('exit', resolve));
    server.child.kill('SIGTERM');
    await exited;
  }
}

const pad = (s: string | number, n: number) => String(s).padEnd(n);
console.log(`\nAPI latency over ${EVENTS.toLocaleString('en')} events, ${DISTRICTS} districts (autocannon on 127.0.0.1, ${DURATION} s a row, 40 distinct requests a route)`);
console.log(`${pad('route', 42)}${pad('answers', 9)}${pad('conns', 7)}${pad('req/s', 7)}${pad('p50 ms', 8)}${pad('p90 ms', 8)}${pad('p99 ms', 8)}${pad('max ms', 8)}${pad('errors', 8)}bytes`);
for (const r of results) {
  console.log(
    `${pad(r.route, 42)}${pad(r.cache ? 'kept' : 'store', 9)}${pad(r.connections, 7)}${pad(r.rps, 7)}${pad(r.p50_ms, 8)}${pad(r.p90_ms, 8)}${pad(r.p99_ms, 8)}${pad(r.max_ms, 8)}${pad(r.errors + r.non2xx, 8)}${r.bytes_per_response}${r.writes === undefined ? '' : ` (${r.writes} reports written)`}`,
  );
}
console.log(
  JSON.stringify({
    bench: 'api',
    events: EVENTS,
    districts: DISTRICTS,
    duration_s: DURATION,
    build_s: buildSeconds === null ? null : Math.round(buildSeconds),
    target_p99_ms: TARGET_P99_MS,
    routes: results,
  }),
);
if (!args.db && buildSeconds !== null) fs.rmSync(path.dirname(dir), { recursive: true, force: true });
