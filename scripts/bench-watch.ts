// `sitrep watch --once` against a loopback feed of synthetic reports (never the internet): the
// first poll (fetch, extraction, store), a restart's re-poll (304: nothing fetched again) and a
// re-poll whose validators were lost (every item known by its guid: nothing stored again).
// node dist/scripts/bench-watch.js [ITEMS] (default 100)
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { main } from '../src/cli/main.js';
import type { Io } from '../src/cli/io.js';
import { escapeHtml } from '../src/ingest/feed.js';
import { syntheticFeed, syntheticReports } from './bench-corpus.js';

const n = Number(process.argv[2] ?? 100);
const reports = syntheticReports(n);
const feed = syntheticFeed(reports, escapeHtml);
let etag = '"1"';
const server = http.createServer((req, res) => {
  if (req.headers['if-none-match'] === etag) return void res.writeHead(304, { etag }).end();
  res.writeHead(200, { 'content-type': 'application/rss+xml', etag }).end(feed);
});
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/feed.xml`;
const db = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sitrep-bench-watch-')), 'db');

async function poll(label: string): Promise<void> {
  let err = '';
  const io: Io = { out: () => {}, err: (s) => (err += s), stdin: () => Buffer.alloc(0), today: () => '2024-01-01' };
  const t0 = performance.now();
  const code = await main(['watch', '--once', '--db', db, '--delay', '0s', url], io);
  const s = (performance.now() - t0) / 1000;
  const line = err.split('\n').find((l) => l.startsWith('sitrep watch:')) ?? err.trim();
  console.log(`${label.padEnd(34)} ${s.toFixed(2).padStart(7)} s  exit ${code}  ${line.replace(`${url}: `, '')}`);
}

console.log(`loopback feed of ${n} synthetic reports (2-5 KB each), embedded store ${db}`);
await poll('first poll (cold: rules load)');
await poll('restart, re-poll (304)');
etag = '"2"';
await poll('re-poll, validators lost');
server.close();
