// The web map's weight and speed in Debian's Chromium over a store of synthetic events
// (20,000 by default, across 10 countries: Afghanistan's shipped districts and nine theatres
// without boundary packs; scripts/synthetic-store.ts): the bytes of the first load on the wire
// (a fresh browser context, so nothing cached), load to idle (page opened to the map drawn and
// ready) and date change to idle (a date typed to its control and events drawn), each the
// median of --runs. Prints a table and a final JSON line.
//   node dist/scripts/bench-map.js [--events 20000] [--runs 10] [--db DIR (kept and reused)]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Browser } from 'playwright-core';
import { afghanDistricts, buildSyntheticStore } from './synthetic-store.js';
import type { SyntheticDistrict } from './synthetic-store.js';
import { CHROMIUM, launch, serve, stop } from '../test/support/browser.js';

const { values: args } = parseArgs({
  options: {
    events: { type: 'string', default: '20000' },
    runs: { type: 'string', default: '10' },
    db: { type: 'string' },
  },
});
const EVENTS = Number(args.events);
const RUNS = Number(args.runs);
if (!Number.isInteger(EVENTS) || EVENTS < 1000) throw new Error('--events must be an integer >= 1000');
if (!Number.isInteger(RUNS) || RUNS < 1 || RUNS > 100) throw new Error('--runs must be 1..100');
if (!fs.existsSync(CHROMIUM)) throw new Error(`bench-map needs Debian's chromium at ${CHROMIUM} (apt-get install -y chromium)`);

const PER_COUNTRY = 40;
const FIRST = '2021-01-01';
const DAYS = 3 * 365;
const TARGET_BYTES = 1_000_000;
const log = (s: string) => process.stderr.write(s);
const day = (n: number) => new Date(Date.parse(`${FIRST}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

// Nine theatres around a point inside each (ISO numeric code), their districts spread about it.
const THEATRES: [string, number, number, number][] = [
  ['Yemen', 887, 45.0, 15.0],
  ['Sudan', 729, 30.0, 14.0],
  ['Ukraine', 804, 35.0, 48.5],
  ['Myanmar', 104, 96.5, 21.0],
  ['Syria', 760, 38.0, 35.0],
  ['Democratic Republic of Congo', 180, 27.0, -2.0],
  ['Somalia', 706, 45.5, 4.0],
  ['Mali', 466, -3.0, 15.0],
  ['Burkina Faso', 854, -1.5, 12.5],
];

/** Forty districts in each of ten countries: Afghanistan's first forty, and forty points in each theatre. */
function districts(): SyntheticDistrict[] {
  const out = afghanDistricts().slice(0, PER_COUNTRY);
  for (const [country, iso, lon, lat] of THEATRES)
    for (let i = 0; i < PER_COUNTRY; i++) {
      const admin1 = `Province ${1 + (i % 5)}`;
      const admin2 = `District ${i + 1}`;
      // A spiral about the point, so districts do not sit on one another.
      const r = 0.25 + 0.06 * i;
      out.push({ code: `name:${country}/${admin1}/${admin2}`, country, iso, admin1, admin1_code: null, admin2, lon: lon + r * Math.cos(i * 2.4), lat: lat + r * Math.sin(i * 2.4) });
    }
  return out;
}

const ACTORS = [
  ['Unidentified Armed Group', 3],
  ['Military Forces', 1],
  ['Rebel Group', 2],
  ['Civilians', 7],
  ['Protesters', 6],
] as const;
const SIDES = ['Military Forces', 'Rebel Group', 'Unidentified Armed Group'];

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** A fresh context (empty cache) loads the page; bytes on the wire and the time to the map ready. */
async function firstLoad(browser: Browser, url: string) {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  const sizes: Promise<{ wire: number; body: number }>[] = [];
  page.on('requestfinished', (r) =>
    sizes.push(
      Promise.all([r.sizes(), r.response()]).then(async ([s, res]) => ({ wire: s.responseBodySize + s.responseHeadersSize, body: (await res?.body().catch(() => null))?.length ?? 0 })),
    ),
  );
  const t0 = performance.now();
  await page.goto(url);
  await page.waitForSelector('html[data-ready="true"]', { state: 'attached', timeout: 120_000 });
  const ms = performance.now() - t0;
  const all = await Promise.all(sizes);
  await context.close();
  return { ms, requests: all.length, wire: all.reduce((a, b) => a + b.wire, 0), unpacked: all.reduce((a, b) => a + b.body, 0) };
}

const dir = args.db ?? path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sitrep-bench-map-')), 'db');
let buildSeconds: number | null = null;
if (fs.existsSync(path.join(dir, 'PG_VERSION'))) log(`bench-map: reusing the store at ${dir}\n`);
else {
  log(`bench-map: building a store of ${EVENTS.toLocaleString('en')} events across 10 countries at ${dir}\n`);
  buildSeconds = await buildSyntheticStore(dir, { events: EVENTS, districts: districts(), actors: ACTORS, sides: SIDES, reports: 500, firstDay: FIRST, days: DAYS, jitter: 0.2, log });
}

const server = await serve(dir);
const browser = await launch();
try {
  const meta = (await (await fetch(new URL('/api/meta', server.url))).json()) as { counts: { events: number; claims: number; districts: number } };
  log(`bench-map: ${server.url} serves ${meta.counts.events.toLocaleString('en')} events, ${meta.counts.claims} claims, ${meta.counts.districts} districts\n`);
  const loads = [];
  for (let i = 0; i < RUNS; i++) {
    loads.push(await firstLoad(browser, server.url));
    log(`  load ${i + 1}: ${Math.round(loads[i]!.ms)} ms, ${loads[i]!.requests} requests, ${loads[i]!.wire.toLocaleString('en')} bytes on the wire\n`);
  }
  // Date changes on one open page: dates spread over the range, each typed and drawn.
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await page.goto(server.url);
  await page.waitForSelector('html[data-ready="true"]', { state: 'attached', timeout: 120_000 });
  const changes: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const date = day(Math.floor(((i + 0.5) / RUNS) * DAYS));
    const t0 = performance.now();
    await page.fill('#date-input', date);
    await page.locator('#date-input').dispatchEvent('change');
    await page.waitForSelector(`#map[data-control-date="${date}"][data-events-date="${date}"]`, { state: 'attached', timeout: 120_000 });
    changes.push(performance.now() - t0);
    log(`  date ${date}: ${Math.round(changes[i]!)} ms (${await page.locator('#status').textContent()})\n`);
  }
  const first = loads[0]!;
  const result = {
    bench: 'map',
    events: meta.counts.events,
    countries: 10,
    runs: RUNS,
    build_s: buildSeconds === null ? null : Math.round(buildSeconds),
    first_load_requests: first.requests,
    first_load_wire_bytes: first.wire,
    first_load_unpacked_bytes: first.unpacked,
    first_load_under_1mb: first.wire < TARGET_BYTES,
    load_to_idle_median_ms: Math.round(median(loads.map((l) => l.ms))),
    date_change_to_idle_median_ms: Math.round(median(changes)),
  };
  console.log(`\nThe map over ${meta.counts.events.toLocaleString('en')} events in 10 countries (Chromium, software WebGL, 1440x900, median of ${RUNS})`);
  console.log(`first load         ${first.requests} requests, ${first.wire.toLocaleString('en')} bytes on the wire (${first.unpacked.toLocaleString('en')} unpacked)`);
  console.log(`load to idle       ${result.load_to_idle_median_ms} ms`);
  console.log(`date change, idle  ${result.date_change_to_idle_median_ms} ms`);
  console.log(JSON.stringify(result));
} finally {
  await browser.close();
  await stop(server);
}
if (!args.db && buildSeconds !== null) fs.rmSync(path.dirname(dir), { recursive: true, force: true });
