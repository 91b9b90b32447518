// Boundary packs a user brings: `sitrep geo import` (geoBoundaries and COD-AB fields, GeoJSON and
// TopoJSON, alias CSV, bad files) and `sitrep geo fetch` against a loopback geoBoundaries API.
// Every test writes to its own temporary geo dir; nothing reaches the network.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { topology } from 'topojson-server';
import { loadConfig, ROOT, type Config } from '../src/config.js';
import { loadBoundaries } from '../src/geo/boundaries.js';
import { loadGazetteer, MIN_SCORE } from '../src/geo/gazetteer.js';
import { importPack } from '../src/geo/import.js';
import { evalGeo, readGeoCases } from '../src/geo/evalset.js';
import { loadQueryWords } from '../src/geo/query.js';
import { detectCountry, detectLevel, PackError, readLayers } from '../src/geo/packs.js';
import { tempDir as makeTempDir } from './support/tmp.js';

const PACKS = path.join(ROOT, 'test', 'fixtures', 'geo', 'packs');
const BIN = path.join(ROOT, 'bin', 'sitrep.js');
const fixture = (f: string) => path.join(PACKS, f);

function tempConfig(): Config {
  return { ...loadConfig({}), geoDir: makeTempDir('sitrep-geo-') };
}

/** The CLI in a child process (async, so a server in this process can answer it). */
function sitrep(args: string[], env: Record<string, string>): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...env } });
    let out = '';
    let err = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (err += d));
    p.on('close', (code) => resolve({ code, out, err }));
  });
}

test('field detection: level and country from geoBoundaries and COD-AB properties', () => {
  const cases: [string, 1 | 2, string][] = [
    ['gb-YEM-ADM1.geojson', 1, 'YEM'],
    ['gb-YEM-ADM2.geojson', 2, 'YEM'],
    ['cod-yem-adm2.geojson', 2, 'YE'],
  ];
  for (const [file, level, country] of cases) {
    const [layer] = readLayers(fs.readFileSync(fixture(file), 'utf8'), file);
    assert.ok(layer);
    assert.equal(detectLevel(layer), level, file);
    assert.equal(detectCountry(layer), country, file);
  }
  const [none] = readLayers(fs.readFileSync(fixture('no-name-field.geojson'), 'utf8'), 'x');
  assert.equal(detectLevel(none!), null);
  assert.equal(detectCountry(none!), '');
});

test('geoBoundaries ADM1 then ADM2: districts find their province by point; codes, aliases and locate', () => {
  const config = tempConfig();
  const r1 = importPack(config, fixture('gb-YEM-ADM1.geojson'));
  assert.deepEqual([r1.iso3, r1.adm1, r1.adm2], ['YEM', 2, 0]);
  const r2 = importPack(config, fixture('gb-YEM-ADM2.geojson'), { aliases: fixture('yem-aliases.csv') });
  assert.deepEqual([r2.adm1, r2.adm2, r2.aliases], [2, 4, 3], 'the ADM1 layer stored before is kept');
  // Re-importing the provinces alone keeps the districts and the user's aliases.
  const r3 = importPack(config, fixture('gb-YEM-ADM1.geojson'));
  assert.deepEqual([r3.adm1, r3.adm2, r3.aliases], [2, 4, 3]);
  const b = loadBoundaries(config);
  const lahij = b.units(1, 'YEM').find((u) => u.name === 'Lahij');
  assert.deepEqual(lahij, { country: 'Yemen', iso3: 'YEM', level: 1, name: 'Lahij', pcode: 'YE-LA', admin1: 'Lahij', admin1_code: 'YE-LA' }, 'shapeISO is the code');
  const tuban = b.units(2, 'YEM').find((u) => u.name === 'Tuban');
  assert.deepEqual([tuban?.pcode, tuban?.admin1, tuban?.admin1_code], ['YEM-ADM2-0101', 'Lahij', 'YE-LA'], 'shapeID, parent by point');
  const at = b.locate(44.8819, 13.0567);
  assert.equal(at?.admin2?.name, 'Al Hawtah');
  assert.equal(at?.admin1?.pcode, 'YE-LA');
  // The shipped Afghan pack still answers beside the imported one.
  assert.equal(b.locate(69.18, 34.52)?.admin2?.pcode, 'AF0101');
  assert.equal(b.locate(-40, 10), null, 'the open sea is in no pack');
  const fc = b.featureCollection(2, 'YEM');
  assert.equal(fc.features.length, 4);
  assert.ok(fc.features.every((f) => f.geometry.type === 'Polygon' || f.geometry.type === 'MultiPolygon'));
  const topo = b.topology('YEM') as { type: string; objects: Record<string, { geometries: unknown[] }> };
  assert.equal(topo.type, 'Topology');
  assert.deepEqual([topo.objects.adm1?.geometries.length, topo.objects.adm2?.geometries.length], [2, 4]);
  const all = b.topology() as typeof topo;
  assert.equal(all.objects.adm2?.geometries.length, 399 + 4, 'both packs in one topology');
});

test('imported units take precedence in geocoding: names, aliases and towns carry the pack codes', () => {
  const config = tempConfig();
  importPack(config, fixture('gb-YEM-ADM1.geojson'));
  importPack(config, fixture('gb-YEM-ADM2.geojson'), { aliases: fixture('yem-aliases.csv') });
  const gaz = loadGazetteer(config.dataDir, config);
  const best = (q: string, cue?: 'admin1' | 'admin2' | 'town') => gaz.lookup(q, { countries: ['YE'], cue }).find((c) => c.score >= MIN_SCORE)?.place;
  const cases: [string, 'admin1' | 'admin2' | 'town' | undefined, string | null, string | null][] = [
    ['Lahij', 'admin1', 'YE-LA', null],
    ['Lahej', undefined, 'YE-LA', null],
    ['Tuban', 'admin2', 'YE-LA', 'YEM-ADM2-0101'],
    ['Hota', undefined, 'YE-LA', 'YEM-ADM2-0102'],
    ['Al Hawtah', 'town', 'YE-LA', 'YEM-ADM2-0102'],
  ];
  for (const [q, cue, a1, a2] of cases) {
    const p = best(q, cue);
    assert.equal(p?.admin1_code, a1, q);
    assert.equal(p?.admin2_code ?? null, a2, q);
  }
  // Outside the pack's polygons (Abyan) the index's own codes stand.
  assert.equal(best('Zinjibar')?.admin1_code, 'YE.01');
  // Other countries are untouched.
  assert.equal(gaz.lookup('Pul-e Hesar', { countries: ['AF'] })[0]?.place.admin2_code, 'AF0912');
});

test('COD-AB district layer as TopoJSON: parent fields are read, ISO2 country accepted', () => {
  const config = tempConfig();
  const fc = JSON.parse(fs.readFileSync(fixture('cod-yem-adm2.geojson'), 'utf8'));
  const file = path.join(config.geoDir, 'yem_admbnda_adm2.topojson');
  fs.writeFileSync(file, JSON.stringify(topology({ yem_admbnda_adm2: fc })));
  const r = importPack(config, file);
  assert.deepEqual([r.iso3, r.adm1, r.adm2, r.aliases], ['YEM', 0, 3, 1]);
  const at = loadBoundaries(config).locate(45.03, 12.78);
  assert.deepEqual([at?.admin2?.name, at?.admin2?.pcode, at?.admin1?.name, at?.admin1?.pcode], ['Craiter', 'YE2403', 'Aden', 'YE24']);
  // The pack's alternate-name field (ADM2ALT1EN) is an alias of its unit.
  const gaz = loadGazetteer(config.dataDir, config);
  assert.equal(gaz.lookup('Hawta', { countries: ['YE'] })[0]?.place.admin2_code, 'YE2512');
});

test('an imported Afghan pack replaces the shipped one in locate()', () => {
  const config = tempConfig();
  const fc = {
    type: 'FeatureCollection',
    features: [{ type: 'Feature', properties: { ADM1_EN: 'Kabul', ADM1_PCODE: 'KBL', ADM0_PCODE: 'AF' }, geometry: { type: 'Polygon', coordinates: [[[68.5, 34], [69.8, 34], [69.8, 35], [68.5, 35], [68.5, 34]]] } }],
  };
  const file = path.join(config.geoDir, 'af.geojson');
  fs.writeFileSync(file, JSON.stringify(fc));
  importPack(config, file);
  const at = loadBoundaries(config).locate(69.18, 34.52);
  assert.equal(at?.admin1?.pcode, 'KBL');
  assert.equal(at?.admin2, undefined, 'the shipped districts are not mixed in');
  assert.equal(loadBoundaries(config).units(2, 'AFG').length, 0);
});

const badFiles: [string, string[], RegExp][] = [
  ['not JSON', ['not-json.geojson'], /not JSON/],
  ['no features', ['empty.geojson'], /no polygon features/],
  ['no level', ['no-name-field.geojson'], /cannot tell the admin level.*fields: OBJECTID, Shape_Area, AREA_KM2/],
  ['no name field', ['no-name-field.geojson', '--level', '2', '--country', 'YEM'], /no name field found.*fields: OBJECTID, Shape_Area, AREA_KM2/],
  ['named field missing', ['gb-YEM-ADM1.geojson', '--name-field', 'NAME_X'], /no field "NAME_X".*shapeName/],
  ['unknown country', ['gb-YEM-ADM1.geojson', '--country', 'XXX'], /unknown country code "XXX"/],
  ['bad level', ['gb-YEM-ADM1.geojson', '--level', '3'], /--level must be 1 or 2/],
  ['missing file', ['nope.geojson'], /no such file/],
];

for (const [name, [file = '', ...flags], message] of badFiles) {
  test(`geo import, bad input: ${name} → one line on stderr, exit 2`, async () => {
    const config = tempConfig();
    const r = await sitrep(['geo', 'import', fixture(file), ...flags], { SITREP_GEO_DIR: config.geoDir });
    assert.equal(r.code, 2, r.err);
    assert.match(r.err, message);
    assert.equal(r.err.trim().split('\n').length, 1);
    assert.deepEqual(fs.readdirSync(config.geoDir), [], 'nothing stored');
  });
}

test('the alias CSV must name units of the pack', () => {
  const config = tempConfig();
  const csv = path.join(config.geoDir, 'bad.csv');
  fs.writeFileSync(csv, 'alias,name\nNowhere,Atlantis\n');
  assert.throws(() => importPack(config, fixture('gb-YEM-ADM1.geojson'), { aliases: csv }), (e: unknown) => e instanceof PackError && /bad.csv:2: "Atlantis"/.test(e.message));
});

/** A loopback stand-in for the geoBoundaries API, answering for YEM only. */
async function fakeGeoBoundaries(): Promise<{ url: string; hits: string[]; close: () => Promise<void> }> {
  const hits: string[] = [];
  const server = http.createServer((req, res) => {
    hits.push(req.url ?? '');
    const m = /^\/api\/gbOpen\/YEM\/ADM([12])\/$/.exec(req.url ?? '');
    if (m) {
      res.setHeader('content-type', 'application/json');
      res.end(
        JSON.stringify({
          boundaryID: `YEM-ADM${m[1]}-test`,
          boundaryISO: 'YEM',
          boundaryType: `ADM${m[1]}`,
          boundarySource: 'hand-written fixture',
          boundaryLicense: 'CC BY 4.0',
          gjDownloadURL: `/files/full-${m[1]}.geojson`,
          simplifiedGeometryGeoJSON: `/files/gb-YEM-ADM${m[1]}.geojson`,
        }),
      );
      return;
    }
    const f = /^\/files\/(gb-YEM-ADM[12]\.geojson)$/.exec(req.url ?? '');
    if (f) return void res.end(fs.readFileSync(fixture(f[1]!)));
    res.statusCode = 404;
    res.end('not found');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/api`, hits, close: () => new Promise((r) => server.close(() => r())) };
}

test('geo fetch downloads ADM1 and ADM2 from the API (simplified geometry) and imports them', async () => {
  const api = await fakeGeoBoundaries();
  try {
    const config = tempConfig();
    const r = await sitrep(['geo', 'fetch', 'yem', '--base-url', api.url], { SITREP_GEO_DIR: config.geoDir });
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /YEM \(Yemen\): ADM1 2 units/);
    assert.match(r.out, /pack now 2 provinces, 4 districts/);
    assert.match(r.out, /licence: CC BY 4\.0/);
    assert.deepEqual(api.hits, ['/api/gbOpen/YEM/ADM1/', '/files/gb-YEM-ADM1.geojson', '/api/gbOpen/YEM/ADM2/', '/files/gb-YEM-ADM2.geojson']);
    assert.equal(loadBoundaries(config).locate(44.5, 13.2)?.admin2?.name, 'Tuban');
    assert.deepEqual(fs.readdirSync(config.geoDir), ['YEM.topo.json'], 'no download left behind');
    const list = await sitrep(['geo', 'list'], { SITREP_GEO_DIR: config.geoDir });
    assert.match(list.out, /^YEM\timported\t.*YEM\.topo\.json\nAFG\tbuilt-in\t/);
    // The environment variable names the API too.
    const one = await sitrep(['geo', 'fetch', 'YEM', '--level', '1'], { SITREP_GEO_DIR: config.geoDir, SITREP_GEOBOUNDARIES_URL: api.url });
    assert.equal(one.code, 0, one.err);
    assert.equal(api.hits.length, 6);
  } finally {
    await api.close();
  }
});

test('geo fetch failures: unknown country at the API, a closed port, a bad code → exit 2', async () => {
  const api = await fakeGeoBoundaries();
  const config = tempConfig();
  const env = { SITREP_GEO_DIR: config.geoDir };
  try {
    const missing = await sitrep(['geo', 'fetch', 'SOM', '--base-url', api.url], env);
    assert.equal(missing.code, 2);
    assert.match(missing.err, /gbOpen\/SOM\/ADM1\/: HTTP 404/);
  } finally {
    await api.close();
  }
  // The server is closed now: nothing listens on its port.
  const refused = await sitrep(['geo', 'fetch', 'YEM', '--base-url', api.url], env);
  assert.equal(refused.code, 2);
  assert.match(refused.err, /cannot download .*ECONNREFUSED/);
  const bad = await sitrep(['geo', 'fetch', 'Yemen', '--base-url', api.url], env);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /not an ISO3 country code/);
  assert.deepEqual(fs.readdirSync(config.geoDir).filter((f) => !f.startsWith('.')), []);
});

const SHARED_AF = path.join(ROOT, '..', 'shared', 'data', 'afghanistan');
test('the real COD-AB Afghan pack imported as a user pack: country from its P-codes, alternate names, geo set figures hold', { skip: !fs.existsSync(SHARED_AF) && 'needs ../shared' }, () => {
  const config = tempConfig();
  const r = importPack(config, path.join(SHARED_AF, 'afg_adm12.topojson'));
  assert.deepEqual([r.iso3, r.adm1, r.adm2], ['AFG', 34, 399]);
  assert.ok(r.aliases > 0, 'alt_en names kept as aliases');
  const gaz = loadGazetteer(config.dataDir, config);
  const res = evalGeo(gaz, readGeoCases(path.join(ROOT, 'test', 'fixtures', 'geo', 'places.tsv')), loadQueryWords(config));
  assert.ok(res.afghanistan.admin2 / res.afghanistan.admin2N >= 0.95, `AF admin2 ${res.afghanistan.admin2}/${res.afghanistan.admin2N}`);
  assert.deepEqual(res.traps.wrong, []);
  assert.match(gaz.lookup('Pul-e Hesar', { countries: ['AF'] })[0]?.reason ?? '', /imported pack/);
});

test('GeometryCollection features count as their polygons; points are skipped; districts without a province are reported', () => {
  const config = tempConfig();
  const ring = [[[44, 13], [44.5, 13], [44.5, 13.5], [44, 13.5], [44, 13]]];
  const fc = {
    type: 'FeatureCollection',
    features: [
      { type: 'Feature', properties: { shapeName: 'Tuban', shapeID: 'T1', shapeGroup: 'YEM', shapeType: 'ADM2' }, geometry: { type: 'GeometryCollection', geometries: [{ type: 'Polygon', coordinates: ring }, { type: 'Point', coordinates: [44.1, 13.1] }] } },
      { type: 'Feature', properties: { shapeName: 'Marker', shapeID: 'P1', shapeGroup: 'YEM', shapeType: 'ADM2' }, geometry: { type: 'Point', coordinates: [44.2, 13.2] } },
    ],
  };
  const file = path.join(config.geoDir, 'mixed.geojson');
  fs.writeFileSync(file, JSON.stringify(fc));
  const r = importPack(config, file);
  assert.deepEqual([r.adm2, r.layers[0]?.skipped, r.orphans], [1, 1, 1]);
  assert.equal(loadBoundaries(config).locate(44.25, 13.25)?.admin2?.pcode, 'T1');
});

test("a pack's unit names pass the index's refusals: non-places, demonyms, acronyms, other reports' countries", () => {
  const config = tempConfig();
  const ring = (x: number) => [[[x, 13], [x + 0.2, 13], [x + 0.2, 13.2], [x, 13.2], [x, 13]]];
  const names = ['Police', 'Somali', 'IS', 'Mawiyah'];
  const fc = {
    type: 'FeatureCollection',
    features: names.map((n, i) => ({ type: 'Feature', properties: { shapeName: n, shapeID: `U${i}`, shapeGroup: 'YEM', shapeType: 'ADM1' }, geometry: { type: 'Polygon', coordinates: ring(43 + i * 0.3) } })),
  };
  const file = path.join(config.geoDir, 'odd.geojson');
  fs.writeFileSync(file, JSON.stringify(fc));
  importPack(config, file);
  const gaz = loadGazetteer(config.dataDir, config);
  for (const n of ['Police', 'Somali', 'IS']) assert.ok(!gaz.lookup(n, { countries: ['YE'] }).some((c) => c.reason.includes('imported pack') && c.score >= MIN_SCORE), n);
  assert.equal(gaz.lookup('Mawiyah', { countries: ['YE'], cue: 'admin1' })[0]?.place.admin1_code, 'U3');
  assert.ok(!gaz.lookup('Mawiyah', { countries: ['SO'] }).some((c) => c.place.admin1_code === 'U3'), 'a Somali report does not reach a Yemeni pack unit');
});
