// Store benchmark: ingest throughput (reports/s, extraction and storage timed apart) into the
// embedded store and, when SITREP_BENCH_PG (or SITREP_TEST_PG) names a server, into
// PostgreSQL; then `control --as-of` latency on a store filled with 1,000,000 synthetic events
// and their control claims across the Afghan districts. Prints a table and a JSON line.
//   npm run bench:store [-- --reports 200 --events 1000000 --queries 40]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.js';
import { loadControlRules, unitDistrict } from '../src/control/claims.js';
import { loadResources } from '../src/extract/index.js';
import { loadBoundaries } from '../src/geo/boundaries.js';
import { prepareReport } from '../src/ingest/prepare.js';
import { Store } from '../src/store/store.js';
import type { PreparedReport } from '../src/store/store.js';
import { syntheticReports } from './bench-corpus.js';

const { values: args } = parseArgs({
  options: {
    reports: { type: 'string', default: '200' },
    events: { type: 'string', default: '1000000' },
    queries: { type: 'string', default: '40' },
    // Keep the big store in this directory and reuse it on the next run (filling takes minutes).
    keep: { type: 'string' },
  },
});
const nReports = Number(args.reports);
const nEvents = Number(args.events);
const nQueries = Number(args.queries);
const pgUrl = process.env.SITREP_BENCH_PG ?? process.env.SITREP_TEST_PG ?? null;

const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;
const log = (s: string) => process.stderr.write(`${s}\n`);
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

const config = loadConfig();
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sitrep-bench-'));

// --- Ingest: extraction once, then the same prepared reports written into each store.
const res = loadResources(config);
const control = loadControlRules(config);
const reports = syntheticReports(nReports, 20240601);
let t0 = process.hrtime.bigint();
const prepared: PreparedReport[] = reports.map((r, i) => prepareReport({ text: r.text, published: r.published, source: 'bench', url: `urn:bench:${i}`, title: null, filename: null }, res, control, r.published).value);
const extractMs = ms(t0);

async function ingestInto(target: string) {
  const store = await Store.open(target);
  try {
    const t = process.hrtime.bigint();
    for (const p of prepared) await store.addReport(p);
    const storeMs = ms(t);
    return { storeMs, reportsPerS: prepared.length / (storeMs / 1000), counts: await store.counts() };
  } finally {
    await store.close();
  }
}

async function freshPgSchema(url: string): Promise<string> {
  const pg = (await import('pg')).default;
  const schema = `bench_${process.pid}`;
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE; CREATE SCHEMA ${schema}`);
  await c.end();
  const u = new URL(url);
  u.searchParams.set('options', `-c search_path=${schema}`);
  return u.toString();
}

log(`ingest: ${prepared.length} reports extracted in ${extractMs.toFixed(0)} ms; writing to the embedded store...`);
const embedded = await ingestInto(path.join(tmp, 'ingest'));
let server: Awaited<ReturnType<typeof ingestInto>> | null = null;
if (pgUrl) {
  log('ingest: writing to PostgreSQL...');
  server = await ingestInto(await freshPgSchema(pgUrl));
}

// --- Control latency on a big store: events and claims generated inside the database.
async function fillSynthetic(store: Store, events: number) {
  const units = loadBoundaries(config).units(2, 'AFG');
  await store.addDistricts(units.map(unitDistrict));
  const codes = units.map((u) => u.pcode);
  const actors = ['Taliban', 'Military Forces of Afghanistan (2004-2021)', 'Anti-Taliban Militia (Afghanistan)', 'Islamic State Khorasan Province'];
  const batch = 100_000;
  for (let start = 0; start < events; start += batch) {
    const n = Math.min(batch, events - start);
    // Dates over 2019-2023, districts round-robin, one event in ten a change of control; the
    // taker changes every 39,900 events, so each district changes hands every ~10 claims.
    await store.db.exec(`
      INSERT INTO events (event_id, event_date, time_precision, event_type, sub_event_type, actor1, assoc_actor_1, actor2, assoc_actor_2,
        inter1, inter2, interaction, country, iso, admin1, admin1_code, admin2, admin2_code, location, latitude, longitude, geo_precision,
        fatalities, source, notes, attribution, certainty, confidence, rule, evidence, first_known)
      SELECT 'AFGB' || g, d, 1,
        CASE WHEN g % 10 = 0 THEN 'Battles' ELSE 'Explosions/Remote violence' END,
        CASE WHEN g % 10 = 0 THEN 'Non-state actor overtakes territory' ELSE 'Remote explosive/landmine/IED' END,
        (ARRAY['${actors.join("','")}'])[1 + (g / 39900) % 4], '', 'Civilians (Afghanistan)', '', 2, 7, 27,
        'Afghanistan', 4, x.admin1, x.admin1_code, x.admin2, x.code, x.admin2, 34.5, 69.2, 2, g % 5, 'bench', '', NULL, 'reported', 0.9, 'bench', '[]'::jsonb, d + 1
      FROM generate_series(${start + 1}, ${start + n}) g
      CROSS JOIN LATERAL (SELECT DATE '2019-01-01' + (g * 1826 / ${events})::int AS d) dd
      JOIN (SELECT code, admin1, admin1_code, admin2, row_number() OVER (ORDER BY code) - 1 AS k FROM districts) x ON x.k = g % ${codes.length};`);
    log(`control: ${start + n}/${events} events`);
  }
  await store.db.exec(`
    INSERT INTO control_claims (district, kind, actor, against, valid_from, known_at, certainty, reason, event_id)
    SELECT e.admin2_code, 'control', e.actor1, e.actor2, e.event_date, e.first_known,
      CASE WHEN e.id % 50 = 0 THEN 'denied' ELSE 'reported' END, 'bench', e.id
    FROM events e WHERE e.sub_event_type = 'Non-state actor overtakes territory';
    INSERT INTO control_claims (district, kind, actor, against, valid_from, known_at, reason)
    SELECT e.admin2_code, 'contest', 'Taliban', e.actor1, e.event_date + 2, e.first_known + 2, 'bench'
    FROM events e WHERE e.sub_event_type = 'Non-state actor overtakes territory' AND e.id % 7 = 0;
    ANALYZE;`);
}

const big = await Store.open(args.keep ?? path.join(tmp, 'big'));
t0 = process.hrtime.bigint();
const reused = (await big.counts()).events > 0;
if (!reused) {
  log(`control: filling an embedded store with ${nEvents} synthetic events...`);
  await fillSynthetic(big, nEvents);
}
const fillMs = ms(t0);
const counts = await big.counts();
const dates = Array.from({ length: nQueries }, (_, i) => new Date(Date.parse('2019-06-01') + ((i * 37) % 1600) * 86_400_000).toISOString().slice(0, 10));
// The first answer loads the claims index (what a one-shot `sitrep control` pays); the rest
// is what a running server answers with.
t0 = process.hrtime.bigint();
await big.control({ asOf: dates[0]! });
const firstMs = ms(t0);
const asOfMs: number[] = [];
const knownAtMs: number[] = [];
let districtsAnswered = 0;
for (const d of dates) {
  let t = process.hrtime.bigint();
  districtsAnswered = (await big.control({ asOf: d })).length;
  asOfMs.push(ms(t));
  t = process.hrtime.bigint();
  await big.control({ asOf: d, knownAt: d });
  knownAtMs.push(ms(t));
}
await big.close();
fs.rmSync(tmp, { recursive: true, force: true });

const peakRssMb = process.resourceUsage().maxRSS / 1024;
console.log(`ingest of ${prepared.length} synthetic reports (extraction ${(prepared.length / (extractMs / 1000)).toFixed(1)} reports/s, timed apart):`);
console.log(`  embedded PGlite   ${embedded.reportsPerS.toFixed(1)} reports/s written (${embedded.counts.events} events, ${embedded.counts.claims} claims)`);
console.log(server ? `  PostgreSQL        ${server.reportsPerS.toFixed(1)} reports/s written (${server.counts.events} events)` : '  PostgreSQL        skipped (set SITREP_BENCH_PG=postgres://...)');
console.log(`control on ${counts.events} events, ${counts.claims} claims, ${counts.districts} districts (${reused ? `reused from ${args.keep}` : `filled in ${(fillMs / 1000).toFixed(1)} s`}):`);
console.log(`  first answer       ${firstMs.toFixed(0)} ms (loads the claims index)`);
console.log(`  --as-of            p50 ${pct(asOfMs, 50).toFixed(1)} ms   p99 ${pct(asOfMs, 99).toFixed(1)} ms   (${nQueries} dates, ${districtsAnswered} districts each)`);
console.log(`  --as-of --known-at p50 ${pct(knownAtMs, 50).toFixed(1)} ms   p99 ${pct(knownAtMs, 99).toFixed(1)} ms`);
console.log(`peak RSS ${peakRssMb.toFixed(0)} MB`);
console.log(
  JSON.stringify({
    bench: 'store',
    reports: prepared.length,
    extractReportsPerS: prepared.length / (extractMs / 1000),
    ingestPgliteReportsPerS: embedded.reportsPerS,
    ingestPostgresReportsPerS: server?.reportsPerS ?? null,
    controlEvents: counts.events,
    controlClaims: counts.claims,
    controlDistricts: counts.districts,
    controlFirstMs: firstMs,
    controlAsOfMs: { p50: pct(asOfMs, 50), p99: pct(asOfMs, 99) },
    controlKnownAtMs: { p50: pct(knownAtMs, 50), p99: pct(knownAtMs, 99) },
    fillMs,
    peakRssMb,
  }),
);
