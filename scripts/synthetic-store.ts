// A store of synthetic events for the benchmarks (bench-api, bench-map): events spread over
// given districts and days, each with one source, and control claims on about one event in
// 100, generated in batches straight into the store's tables (generate_series, a seeded
// random()), so nothing large crosses into JavaScript.
import { loadConfig } from '../src/config.js';
import { loadBoundaries } from '../src/geo/boundaries.js';
import { EVENT_TYPES } from '../src/schema/event.js';
import type { EventType } from '../src/schema/event.js';
import { Store } from '../src/store/store.js';

export interface SyntheticDistrict {
  code: string;
  country: string;
  /** ISO 3166 numeric code of the country. */
  iso: number;
  admin1: string;
  admin1_code: string | null;
  admin2: string;
  lon: number;
  lat: number;
}

export interface SyntheticOptions {
  events: number;
  districts: SyntheticDistrict[];
  /** Actor names with their ACLED inter code. */
  actors: readonly (readonly [string, number])[];
  /** Who the control claims give districts to. */
  sides: readonly string[];
  reports: number;
  /** First day (YYYY-MM-DD) and how many days the events spread over. */
  firstDay: string;
  days: number;
  /** How far from its district's point an event may lie, in degrees. */
  jitter: number;
  log: (s: string) => void;
}

const q = (v: string | number | null) => (v === null ? 'NULL' : typeof v === 'number' ? String(v) : `'${v.replaceAll("'", "''")}'`);
const sqlArray = (xs: readonly (string | number)[]) => `ARRAY[${xs.map((x) => q(x)).join(', ')}]`;
const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;

/** The shipped Afghan districts, each at the mean of its outer ring's points. */
export function afghanDistricts(): SyntheticDistrict[] {
  const fc = loadBoundaries(loadConfig()).featureCollection(2, 'AFG');
  return fc.features.map((f) => {
    const ring = f.geometry.type === 'Polygon' ? f.geometry.coordinates[0]! : f.geometry.coordinates[0]![0]!;
    const lon = ring.reduce((s, p) => s + p[0]!, 0) / ring.length;
    const lat = ring.reduce((s, p) => s + p[1]!, 0) / ring.length;
    const p = f.properties;
    return { code: p.pcode, country: p.country, iso: 4, admin1: p.admin1, admin1_code: p.admin1_code, admin2: p.name, lon, lat };
  });
}

/** Fills a new store at `dir`; returns the seconds it took. */
export async function buildSyntheticStore(dir: string, o: SyntheticOptions): Promise<number> {
  const t0 = process.hrtime.bigint();
  const step = async (label: string, run: () => Promise<unknown>) => {
    const t = process.hrtime.bigint();
    await run();
    o.log(`  ${label}: ${(ms(t) / 1000).toFixed(1)} s\n`);
  };
  const TYPES = (Object.keys(EVENT_TYPES) as EventType[]).flatMap((t) => EVENT_TYPES[t].map((sub) => [t, sub] as const));
  const N = o.districts.length;
  const store = await Store.open(dir);
  const db = store.db;
  try {
    await store.addDistricts(o.districts);
    await db.exec(
      `CREATE TEMP TABLE bench_d (k int PRIMARY KEY, code text, country text, iso int, admin1 text, admin1_code text, admin2 text, admin2_code text, lon float8, lat float8);
       INSERT INTO bench_d VALUES ${o.districts
         .map((d, k) => `(${k}, ${q(d.code)}, ${q(d.country)}, ${d.iso}, ${q(d.admin1)}, ${q(d.admin1_code)}, ${q(d.admin2)}, ${q(d.code.startsWith('name:') ? null : d.code)}, ${d.lon}, ${d.lat})`)
         .join(', ')};
       SELECT setseed(0.20240601);`,
    );
    await step(`reports (${o.reports})`, () =>
      db.exec(
        `INSERT INTO reports (id, content_hash, title, source, published, text, minhash)
         SELECT g, 'bench-' || g, 'Bench report ' || g, 'Bench Wire', DATE '${o.firstDay}' + (g * ${o.days} / ${o.reports}), 'Synthetic report ' || g || ' for the benchmarks.', '{}'::integer[]
         FROM generate_series(1, ${o.reports}) g;
         SELECT setval('reports_id_seq', ${o.reports});`,
      ),
    );
    const evidence = q(JSON.stringify([{ text: 'seized', start: 10, end: 16, role: 'type' }, { text: 'Bench', start: 0, end: 5, role: 'place' }]));
    const tE = process.hrtime.bigint();
    const batch = 100_000;
    for (let start = 1; start <= o.events; start += batch) {
      const end = Math.min(start + batch - 1, o.events);
      // Dates rise with the id (reports arrive roughly in date order); places, types and actors
      // are random; most events kill no one and a few many.
      await db.exec(
        `INSERT INTO events (id, event_id, event_date, time_precision, event_type, sub_event_type, actor1, assoc_actor_1, actor2, assoc_actor_2,
           inter1, inter2, interaction, country, iso, admin1, admin1_code, admin2, admin2_code, location, latitude, longitude, geo_precision,
           fatalities, source, notes, attribution, certainty, confidence, rule, evidence, first_known)
         SELECT r.g, 'BENCH' || r.g, DATE '${o.firstDay}' + r.dn, 1, (${sqlArray(TYPES.map((t) => t[0]))})[r.t], (${sqlArray(TYPES.map((t) => t[1]))})[r.t],
           (${sqlArray(o.actors.map((a) => a[0]))})[r.a1], '', (${sqlArray(o.actors.map((a) => a[0]))})[r.a2], '',
           r.i1, r.i2, least(r.i1, r.i2) * 10 + greatest(r.i1, r.i2),
           d.country, d.iso, d.admin1, d.admin1_code, d.admin2, d.admin2_code, d.admin2,
           round((d.lat + (r.j1 - 0.5) * ${2 * o.jitter})::numeric, 4), round((d.lon + (r.j2 - 0.5) * ${2 * o.jitter})::numeric, 4), 2,
           CASE WHEN r.f < 0.6 THEN 0 ELSE floor(((r.f - 0.6) / 0.4) ^ 3 * 60)::int END,
           'Bench Wire', 'Synthetic event ' || r.g || ' in ' || d.admin2 || '.', NULL, 'reported', 0.8, 'bench', ${evidence}::jsonb,
           DATE '${o.firstDay}' + r.dn + r.lag
         FROM (SELECT *, (${sqlArray(o.actors.map((a) => a[1]))})[a1] AS i1, (${sqlArray(o.actors.map((a) => a[1]))})[a2] AS i2 FROM (
                 SELECT g, floor(random() * ${N})::int AS k, (g::bigint * ${o.days} / ${o.events + 1})::int AS dn, 1 + floor(random() * ${TYPES.length})::int AS t,
                   1 + floor(random() * ${o.actors.length})::int AS a1, 1 + floor(random() * ${o.actors.length})::int AS a2, random() AS j1, random() AS j2,
                   random() AS f, floor(random() * 4)::int AS lag
                 FROM generate_series(${start}, ${end}) g) r0) r
         JOIN bench_d d ON d.k = r.k;
         INSERT INTO event_sources (report_id, position, event_id, source, published, fatalities, certainty, attribution, notes, evidence, extracted)
         SELECT 1 + e.id % ${o.reports}, e.id / ${o.reports}, e.id, 'Bench Wire', e.first_known, e.fatalities, 'reported', NULL, e.notes, e.evidence, '{}'::jsonb
         FROM events e WHERE e.id BETWEEN ${start} AND ${end};`,
      );
      const s = ms(tE) / 1000;
      o.log(`\r  events and sources: ${end.toLocaleString('en')} / ${o.events.toLocaleString('en')} (${Math.round(end / s).toLocaleString('en')}/s, ${s.toFixed(0)} s)   `);
    }
    o.log('\n');
    await db.exec(`SELECT setval('events_id_seq', ${o.events})`);
    // Control: about one event in 100 is a change of control by one of the sides, and one in
    // 700 a contest.
    await step('control claims', async () => {
      await db.exec(
        `INSERT INTO control_claims (district, kind, actor, against, valid_from, known_at, certainty, reason, evidence, event_id, report_id)
         SELECT COALESCE(e.admin2_code, d.code), 'control', (${sqlArray(o.sides)})[1 + floor(random() * ${o.sides.length})::int], '', e.event_date, e.first_known,
           CASE WHEN e.id % 5000 = 0 THEN 'denied' ELSE 'reported' END, 'bench',
           '[{"text": "Fighters seized the district.", "start": 0, "end": 29, "role": "sentence"}]'::jsonb, e.id, 1 + e.id % ${o.reports}
         FROM events e JOIN bench_d d ON d.admin2 = e.admin2 AND d.admin1 = e.admin1 AND d.country = e.country WHERE e.id % 100 = 0;
         INSERT INTO control_claims (district, kind, actor, against, valid_from, known_at, reason)
         SELECT c.district, 'contest', (${sqlArray(o.sides)})[1], c.actor, c.valid_from + 2, c.known_at + 2, 'bench' FROM control_claims c WHERE c.id % 7 = 0;`,
      );
    });
    // Fresh planner statistics for the bulk-loaded tables (PGlite runs no autovacuum).
    await step('analyze', () => db.exec('ANALYZE'));
  } finally {
    await store.close();
  }
  return ms(t0) / 1000;
}
