// ACLED exports in and out: `sitrep import --format acled` on the project's fixture (current
// layout, written for these tests) and on the real samples in ../shared/eval/acled (read in
// place, never copied; skipped without them), and `sitrep events --format acled|acled-2020|jsonl`:
// every column read back with a CSV parser, and import-export-import-export byte-identical.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { loadConfig, ROOT } from '../src/config.js';
import { resources } from '../src/cli/io.js';
import { createApp } from '../src/serve/app.js';
import { Store } from '../src/store/store.js';
import { sitrepIn } from './support/cli.js';
import { acledDate } from '../src/ingest/acled.js';
import { ACLED_2020, ACLED_CURRENT, acledRegion, interactionLabel, iso3Of } from '../src/schema/acled.js';
import { loadResources } from '../src/extract/index.js';
import { loadControlRules } from '../src/control/claims.js';
import { prepareReport } from '../src/ingest/prepare.js';
import { formatAcled } from '../src/output/acled.js';
import { INTER_LABELS } from '../src/schema/event.js';
import { tempDir } from './support/stores.js';

const FIXTURE = path.join(ROOT, 'test', 'fixtures', 'acled', 'current.csv');
const SHARED = path.join(ROOT, '..', 'shared', 'eval', 'acled');
const SAMPLES = ['export-2020-afg.csv', 'export-2020-world.csv'].map((f) => path.join(SHARED, f));

const run = (args: string[]) => sitrepIn(args, '2021-09-01');

type Row = Record<string, string>;
const rows = (csv: string): Row[] => parse(csv, { bom: true, columns: true, skip_empty_lines: true, relax_column_count: true }) as Row[];

/** Every column of every original row is in the export: dates as dates, numbers as numbers, inter as the layout writes it. */
function assertSameRows(original: Row[], exported: Row[], layout: 'current' | '2020') {
  assert.equal(exported.length, original.length);
  const byId = new Map(exported.map((r) => [r.event_id_cnty, r]));
  const columns = layout === '2020' ? ACLED_2020 : ACLED_CURRENT;
  for (const o of original) {
    const x = byId.get(o.event_id_cnty!);
    assert.ok(x, `row ${o.event_id_cnty} exported`);
    for (const c of columns) {
      if (!(c in o)) continue;
      const a: string = o[c]!.trim();
      const b: string = x[c]!;
      const where = `${o.event_id_cnty} ${c}`;
      if (c === 'event_date') assert.equal(acledDate(b), acledDate(a), where);
      else if (c === 'latitude' || c === 'longitude') assert.equal(Number(b), Number(a), where);
      else if ((c === 'inter1' || c === 'inter2') && layout === 'current' && /^\d$/.test(a)) assert.equal(b, INTER_LABELS[Number(a)], where);
      else if (c === 'interaction' && layout === 'current' && /^\d+$/.test(a)) assert.equal(b, interactionLabel(Number(o.inter1), Number(o.inter2)), where);
      else if (c === 'notes') assert.equal(b, o[c], where);
      else assert.equal(b, a, where);
    }
  }
}

test('ACLED dates: ISO, as ACLED writes them, and after a spreadsheet re-save', () => {
  assert.equal(acledDate('2020-03-21'), '2020-03-21');
  assert.equal(acledDate('21 March 2020'), '2020-03-21');
  assert.equal(acledDate('9-May-20'), '2020-05-09');
  assert.equal(acledDate('9 Sept 2020'), '2020-09-09');
  assert.equal(acledDate('1-Jan-98'), '1998-01-01');
  for (const bad of ['31 February 2021', '2020-13-01', 'May 9 2020', '9-Mai-20', '']) assert.equal(acledDate(bad), null, bad);
});

describe('the project fixture (current layout, BOM, a multi-line note, bad rows)', () => {
  const db = path.join(tempDir(), 'db');

  test('bad rows are reported with their line and skipped, exit 1; the rest imported; again, all known', async () => {
    const r = await run(['import', '--format', 'acled', '--db', db, FIXTURE]);
    assert.equal(r.code, 1, r.err);
    assert.match(r.out, /\(ACLED current layout\): 8 rows read, 4 imported \(4 new events, 0 merged with known events\), 0 already known; 1 control claims; 4 rejected/);
    assert.deepEqual(r.err.trim().split('\n').map((l) => l.replace(`${FIXTURE}:`, 'L')), [
      'sitrep: rejected L7: unknown sub_event_type "Armed skirmish"',
      'sitrep: rejected L8: event_date "31 February 2021" is not a date (2020-03-21, 21 March 2020 or 9-May-20)',
      'sitrep: rejected L9: fatalities "two" is not a whole number',
      'sitrep: rejected L10: 4 fields, the header has 31',
    ]);
    const again = await run(['import', '--format', 'acled', '--db', db, FIXTURE]);
    assert.match(again.out, /8 rows read, 0 imported \(0 new events, 0 merged with known events\), 4 already known/);
  });

  test('the territory row takes part in control: Andarab held by the militia', async () => {
    const r = await run(['control', '--db', db, '--as-of', '2021-08-25', '--admin1', 'Baghlan']);
    const andarab = JSON.parse(r.out).districts.find((d: { pcode: string }) => d.pcode === 'AF0907');
    assert.equal(andarab.controller, 'Unidentified Communal Militia (Afghanistan)');
    assert.equal(andarab.evidence[0].source, 'ACLED');
    assert.equal(andarab.evidence[0].known_at, '2021-08-24', "known from ACLED's timestamp");
  });

  test('--format acled gives every column of the good rows back; derived fields by the codebook', async () => {
    const original = rows(fs.readFileSync(FIXTURE, 'utf8')).filter((r) => ['AFG90001', 'AFG90002', 'KEN90003', 'NGA90004'].includes(r.event_id_cnty!));
    const r = await run(['events', '--db', db, '--format', 'acled']);
    assert.equal(r.out.split('\n')[0], ACLED_CURRENT.join(','));
    assertSameRows(original, rows(r.out), 'current');
    const old = rows((await run(['events', '--db', db, '--format', 'acled-2020'])).out);
    const nga = old.find((x) => x.event_id_cnty === 'NGA90004')!;
    assert.deepEqual([nga.event_date, nga.inter1, nga.inter2, nga.interaction, nga.event_id_no_cnty], ['18 August 2021', '3', '7', '37', '90004']);
    const lines = (await run(['events', '--db', db, '--format', 'jsonl'])).out.trim().split('\n');
    assert.equal(lines.length, 4);
    assert.equal(JSON.parse(lines[0]!).acled.event_id_cnty, 'NGA90004');
  });

  test('GET /api/events?format=acled|acled-2020|jsonl writes the same as the CLI', async () => {
    const store = await Store.open(db);
    try {
      const config = loadConfig();
      const app = createApp({ store, config, resources: () => resources(config), token: null, open: false, today: () => '2021-09-01', version: 'test', log: () => {} });
      for (const format of ['acled', 'acled-2020']) {
        const r = await app.request(`/api/events?format=${format}`);
        assert.equal(r.status, 200);
        assert.match(r.headers.get('content-type')!, /^text\/csv/);
        const text = await r.text();
        assert.equal(text.split('\n')[0], (format === 'acled' ? ACLED_CURRENT : ACLED_2020).join(','));
        assert.equal(rows(text).length, 4);
      }
      const jsonl = await app.request('/api/events?format=jsonl');
      assert.equal((await jsonl.text()).trim().split('\n').length, 4);
    } finally {
      await store.close();
    }
  });

  test('round trip: export, import into a fresh store, export again: byte-identical', async () => {
    for (const format of ['acled', 'acled-2020']) {
      const first = (await run(['events', '--db', db, '--format', format])).out;
      const file = path.join(tempDir(), `export.csv`);
      fs.writeFileSync(file, first);
      const fresh = path.join(tempDir(), 'db');
      assert.equal((await run(['import', '--format', 'acled', '--db', fresh, file])).code, 0);
      assert.equal((await run(['events', '--db', fresh, '--format', format])).out, first, format);
    }
  });
});

for (const sample of SAMPLES) {
  describe(`the ACLED sample ${path.basename(sample)}`, { skip: !fs.existsSync(sample) && `needs ${path.relative(ROOT, sample)} (ACLED's data stays outside the repository)` }, () => {
    const db = path.join(tempDir(), 'db');
    test('every row imported, every column given back in both layouts, the 2020 round trip byte-identical', async () => {
      const original = rows(fs.readFileSync(sample, 'utf8'));
      const r = await run(['import', '--format', 'acled', '--db', db, sample]);
      assert.equal(r.code, 0, r.err);
      assert.match(r.out, new RegExp(`\\(ACLED 2020 layout\\): ${original.length} rows read, ${original.length} imported \\(${original.length} new events, 0 merged`));
      for (const [format, layout] of [['acled-2020', '2020'], ['acled', 'current']] as const) {
        const first = (await run(['events', '--db', db, '--format', format])).out;
        assertSameRows(original, rows(first), layout);
        // The samples are in the 2020 layout: the current layout's round trip is the fixture's.
        if (layout !== '2020') continue;
        const file = path.join(tempDir(), 'export.csv');
        fs.writeFileSync(file, first);
        const fresh = path.join(tempDir(), 'db');
        assert.equal((await run(['import', '--format', 'acled', '--db', fresh, file])).code, 0);
        assert.equal((await run(['events', '--db', fresh, '--format', format])).out, first, `${format} round trip`);
      }
    });
  });
}

test('extracted events: iso, iso3 and region derived from the country (UN M49, ACLED\'s regions) in both layouts', () => {
  const config = loadConfig();
  const res = loadResources(config);
  const control = loadControlRules(config);
  const reports = [
    ['Gunmen killed four farmers near Jangebe in Zamfara state on Wednesday, police said.', '2021-08-19'],
    ['Russian forces shelled Kharkiv on Monday, killing two civilians, officials said.', '2022-03-08'],
    ['Taliban fighters captured Andarab district in Baghlan province on Sunday.', '2021-08-17'],
    ['Militants attacked an army post near Uvira in South Kivu on Tuesday, killing three soldiers.', '2021-05-12'],
    ['Protesters marched in Tegucigalpa, Honduras on Friday against fuel prices.', '2021-05-15'],
    ['An airstrike hit a village near Tikrit in Salah al-Din province on Monday, killing five people.', '2021-05-18'],
  ];
  const events = reports.flatMap(([text, published]) => prepareReport({ text: text!, published: published!, source: 'Test Wire', url: null, title: null, filename: null }, res, control, published!).value.events);
  const byCountry = (csv: string) => new Map(rows(csv).map((r) => [r.country!, r]));
  const current = byCountry(formatAcled(events, 'current'));
  const old = byCountry(formatAcled(events, '2020'));
  const expected: [string, string, string, string][] = [
    ['Nigeria', '566', 'NGA', 'Western Africa'],
    ['Ukraine', '804', 'UKR', 'Europe'],
    ['Afghanistan', '4', 'AFG', 'Caucasus and Central Asia'],
    ['Democratic Republic of Congo', '180', 'COD', 'Middle Africa'],
    ['Honduras', '340', 'HND', 'Central America'],
    ['Iraq', '368', 'IRQ', 'Middle East'],
  ];
  for (const [country, iso, iso3, region] of expected) {
    assert.deepEqual([current.get(country)?.iso, current.get(country)?.region], [iso, region], `${country}, current layout`);
    assert.deepEqual([old.get(country)?.iso, old.get(country)?.iso3, old.get(country)?.region], [iso, iso3, region], `${country}, 2020 layout`);
  }
  // The two regions the layouts name differently, and ACLED's exceptions to M49's subregions.
  assert.deepEqual([acledRegion(50, 'current'), acledRegion(50, '2020')], ['South Asia', 'Southern Asia']);
  assert.deepEqual([acledRegion(104, 'current'), acledRegion(104, '2020')], ['Southeast Asia', 'South-Eastern Asia']);
  assert.deepEqual([364, 268, 196, 840, 156].map((iso) => acledRegion(iso, 'current')), ['Middle East', 'Caucasus and Central Asia', 'Europe', 'North America', 'East Asia']);
  assert.deepEqual([acledRegion(null, 'current'), iso3Of(null), acledRegion(999, 'current'), iso3Of(999)], ['', '', '', '']);
});

test("region and iso3 derived from iso agree with ACLED's own on every row of the samples", { skip: !SAMPLES.every((f) => fs.existsSync(f)) && 'needs the ACLED samples in ../shared/eval/acled' }, () => {
  let n = 0;
  for (const sample of SAMPLES) {
    for (const r of rows(fs.readFileSync(sample, 'utf8'))) {
      assert.deepEqual([acledRegion(Number(r.iso), '2020'), iso3Of(Number(r.iso))], [r.region, r.iso3], `${r.event_id_cnty} ${r.country}`);
      n++;
    }
  }
  assert.equal(n, 500);
});
