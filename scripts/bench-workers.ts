// End-to-end ingest throughput with 1, 2, 4... `sitrep worker` processes on a PostgreSQL store
// (SITREP_BENCH_PG or SITREP_TEST_PG): a loopback feed of synthetic reports is queued by
// `sitrep watch --once`, the workers fetch, extract and store it (reports in feed order). Timed
// from the first report stored to the last, so the workers' start (loading rules) is left out.
//   node dist/scripts/bench-workers.js [ITEMS] [WORKERS,...]   (default 300 and 1,2,4)
import { spawn } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import pg from 'pg';
import { ROOT } from '../src/config.js';
import { main } from '../src/cli/main.js';
import { escapeHtml } from '../src/ingest/feed.js';
import { syntheticFeed, syntheticReports } from './bench-corpus.js';

const n = Number(process.argv[2] ?? 300);
const counts = (process.argv[3] ?? '1,2,4').split(',').map(Number);
const base = process.env.SITREP_BENCH_PG ?? process.env.SITREP_TEST_PG;
if (!base) {
  console.error('bench-workers: set SITREP_BENCH_PG=postgres://... (a server where it may create databases)');
  process.exit(2);
}
const feed = syntheticFeed(syntheticReports(n, 99), escapeHtml);
const server = http.createServer((_req, res) => void res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(feed));
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/feed.xml`;
const admin = new pg.Client({ connectionString: base });
await admin.connect();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

console.log(`${n} synthetic reports (2-5 KB) from a loopback feed, fetched, extracted and stored by K workers (concurrency 1 each)`);
const results: { workers: number; reportsPerS: number; seconds: number }[] = [];
for (const k of counts) {
  const database = `sitrep_bench_w${k}_${process.pid}`;
  await admin.query(`CREATE DATABASE ${database}`);
  const u = new URL(base);
  u.pathname = `/${database}`;
  const target = u.toString();
  const io = { out: () => {}, err: () => {}, stdin: () => Buffer.alloc(0), today: () => '2024-06-01' };
  await main(['watch', '--once', '--db', target, '--delay', '0s', url], io);
  const kids = Array.from({ length: k }, () =>
    spawn(process.execPath, [path.join(ROOT, 'bin', 'sitrep.js'), 'worker', '--db', target, '--concurrency', '1', '--delay', '0s'], { env: { ...process.env, SITREP_WORKER_CHECK_S: '1' }, stdio: 'ignore' }),
  );
  const db = new pg.Client({ connectionString: target });
  await db.connect();
  const stored = async () => Number((await db.query('SELECT count(*) AS n FROM watch_items')).rows[0].n);
  while ((await stored()) < 1) await sleep(20);
  const t0 = performance.now();
  while ((await stored()) < n) await sleep(50);
  const seconds = (performance.now() - t0) / 1000;
  // The first item was in when the clock started: n - 1 reports in the time measured.
  results.push({ workers: k, reportsPerS: (n - 1) / seconds, seconds });
  console.log(`  ${k} worker${k === 1 ? ' ' : 's'}  ${((n - 1) / seconds).toFixed(1).padStart(7)} reports/s  (${seconds.toFixed(1)} s)`);
  for (const c of kids) c.kill('SIGTERM');
  await Promise.all(kids.map((c) => new Promise((r) => (c.exitCode === null ? c.on('exit', r) : r(null)))));
  await db.end();
  await admin.query(`DROP DATABASE ${database} WITH (FORCE)`);
}
await admin.end();
server.close();
console.log(JSON.stringify({ bench: 'workers', reports: n, results }));
