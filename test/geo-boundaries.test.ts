// The shipped Afghan boundary pack, point-in-polygon, coordinate queries, and districts filled
// from polygons. The geo dir is an empty temporary one so a user's packs do not interfere.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig, type Config } from '../src/config.js';
import { loadBoundaries } from '../src/geo/boundaries.js';
import { parseCoordinates } from '../src/geo/coords.js';
import { loadGazetteer } from '../src/geo/gazetteer.js';
import { geocodeQuery } from '../src/cli/geocode.js';
import { importPack } from '../src/geo/import.js';
import { tempDir as makeTempDir } from './support/tmp.js';

const config: Config = { ...loadConfig({}), geoDir: makeTempDir('sitrep-geo-') };
const b = loadBoundaries(config);
const SHARED_AF = path.join(config.dataDir, '..', '..', 'shared', 'data', 'afghanistan');

test('shipped pack: 34 provinces and 399 districts with P-codes, compact', () => {
  const adm1 = b.units(1, 'AFG');
  const adm2 = b.units(2);
  assert.equal(adm1.length, 34);
  assert.equal(adm2.length, 399);
  assert.ok(adm2.every((u) => /^AF\d{4}$/.test(u.pcode) && u.admin1_code === u.pcode.slice(0, 4) && u.level === 2 && u.iso3 === 'AFG'));
  assert.ok(adm1.every((u) => u.admin1 === u.name && u.admin1_code === u.pcode));
  const file = path.join(config.dataDir, 'geo', 'boundaries', 'AFG.topo.json');
  assert.ok(fs.statSync(file).size < 2e6, 'well under 2 MB');
  const topo = b.topology('AFG') as { type: string; transform?: unknown; objects: Record<string, { geometries: { properties: Record<string, unknown> }[] }> };
  assert.equal(topo.type, 'Topology');
  assert.ok(topo.transform, 'quantized');
  assert.deepEqual(Object.keys(topo.objects.adm2!.geometries[0]!.properties).sort(), ['admin1', 'admin1_code', 'country', 'iso3', 'level', 'name', 'pcode']);
  assert.equal(b.featureCollection(1).features.length, 34);
  assert.deepEqual(b.units(1, 'YEM'), []);
  assert.equal(b.units(2, 'af').length, 399, 'ISO2 is taken too');
});

const points: [string, number, number, string | null, string | null][] = [
  // name, lon, lat, admin1, admin2
  ['Kabul city', 69.1723, 34.5281, 'AF01', 'AF0101'],
  ['Pul-e Hisar (Baghlan)', 69.65, 35.53, 'AF09', 'AF0912'],
  ['Lashkar Gah', 64.3692, 31.5938, 'AF30', 'AF3001'],
  ['Herat', 62.1997, 34.3482, 'AF32', 'AF3201'],
  ['Kunduz', 68.8576, 36.729, 'AF19', 'AF1901'],
  ['Peshawar (Pakistan)', 71.5785, 34.008, null, null],
  ['Sanaa (Yemen)', 44.2, 15.35, null, null],
];
for (const [name, lon, lat, a1, a2] of points)
  test(`locate ${name}`, () => {
    const at = b.locate(lon, lat);
    assert.equal(at?.admin1?.pcode ?? null, a1);
    assert.equal(at?.admin2?.pcode ?? null, a2);
  });

test('locate: every curated Afghan town falls in the district the full-resolution polygons give', { skip: !fs.existsSync(SHARED_AF) && 'needs ../shared' }, () => {
  const [head = '', ...rows] = fs.readFileSync(path.join(SHARED_AF, 'afg_places_geonames.csv'), 'utf8').trim().split('\n');
  const cols = head.split(',');
  let ok = 0;
  const wrong: string[] = [];
  for (const line of rows) {
    const f = Object.fromEntries(line.split(',').map((v, i) => [cols[i], v]));
    const got = b.locate(Number(f.lon), Number(f.lat))?.admin2?.pcode;
    if (got === f.adm2_pcode) ok++;
    else wrong.push(`${f.name}: ${f.adm2_pcode} got ${got}`);
  }
  assert.ok(ok >= 0.99 * rows.length, wrong.join('; '));
});

test('locate: not a number is no point', () => {
  assert.equal(b.locate(Number.NaN, 34), null);
});

const coords: [string, [number, number] | null][] = [
  ['34.52,69.18', [34.52, 69.18]],
  ['34.52, 69.18', [34.52, 69.18]],
  ['34.52 69.18', [34.52, 69.18]],
  ['34.52 N 69.18 E', [34.52, 69.18]],
  ['34.52N, 69.18E', [34.52, 69.18]],
  ['69.18E 34.52N', [34.52, 69.18]],
  ["34°31'N 69°11'E", [34.5167, 69.1833]],
  ['12.5 S 40.1 E', [-12.5, 40.1]],
  ['-12.5,40.1', [-12.5, 40.1]],
  ['4.6 N 74.08 W', [4.6, -74.08]],
  // Not points: years, one number, two latitudes, out of range, a name.
  ['1990 2020', null],
  ['34.52', null],
  ['34 N 69 N', null],
  ['95.1, 69.2', null],
  ['Kabul', null],
  ['Route 66, 12', null],
];
for (const [q, want] of coords)
  test(`coordinates: "${q}"`, () => {
    const got = parseCoordinates(q);
    if (!want) return assert.equal(got, null);
    assert.ok(got);
    assert.ok(Math.abs(got.lat - want[0]) < 1e-3 && Math.abs(got.lon - want[1]) < 1e-3, JSON.stringify(got));
  });

test('coordinates the caller says are a point may be whole numbers ("0,-30" from geocode --reverse)', () => {
  assert.deepEqual(parseCoordinates('0,-30', true), { lat: 0, lon: -30 });
  assert.equal(parseCoordinates('0,-30'), null);
  assert.equal(parseCoordinates('95,10', true), null);
  assert.equal(parseCoordinates('Kabul', true), null);
});

const gaz = loadGazetteer(config.dataDir, config);

test('geocode: a coordinate query resolves to the units containing it', () => {
  const a = geocodeQuery(gaz, '34.52 N 69.18 E', { boundaries: b });
  assert.equal(a.result?.iso, 'AF');
  assert.equal(a.result?.country, 'Afghanistan');
  assert.deepEqual([a.result?.admin1_code, a.result?.admin2_code, a.result?.geo_precision], ['AF01', 'AF0101', 1]);
  assert.deepEqual([a.result?.latitude, a.result?.longitude], [34.52, 69.18]);
  assert.match(a.result?.reason ?? '', /AFG pack/);
});

test('geocode: beyond the packs a point takes the units of the nearest town; open sea gives nothing', () => {
  const sanaa = geocodeQuery(gaz, '15.35,44.2', { boundaries: b, dataDir: config.dataDir }).result;
  assert.deepEqual([sanaa?.iso, sanaa?.location, sanaa?.level, sanaa?.latitude], ['YE', 'Sanaa', 'point', 15.35]);
  assert.ok(sanaa?.admin1_code);
  assert.match(sanaa?.reason ?? '', /nearest town, Sanaa \(\d+\.\d km\)/);
  const near = geocodeQuery(gaz, '48.72 N 37.56 E', { boundaries: b, dataDir: config.dataDir }).result;
  assert.deepEqual([near?.iso, near?.admin1_code], ['UA', 'UA.05']);
  assert.deepEqual(geocodeQuery(gaz, '0,-30', { boundaries: b, dataDir: config.dataDir }), { query: '0,-30', result: null, candidates: [] });
});

test('towns keep the district the index gives them, and it agrees with the polygons', () => {
  for (const t of ['Kabul', 'Jalalabad', 'Charikar', 'Mahmud-e Raqi', 'Sheberghan']) {
    const p = gaz.lookup(t, { countries: ['AF'], cue: 'town' })[0]?.place;
    assert.ok(p?.admin2_code, `${t} has a district`);
    assert.equal(b.locate(p.longitude, p.latitude)?.admin2?.pcode, p.admin2_code, t);
  }
});

test('a town without a district in the index takes it from a shipped pack polygon', () => {
  // A data dir like the shipped one with a pack for Zimbabwe, whose town Chitungwiza has no admin2 in GeoNames.
  const data = makeTempDir('sitrep-data-');
  fs.mkdirSync(path.join(data, 'geo', 'boundaries'), { recursive: true });
  for (const f of ['meta.json', 'names.tsv.gz', 'places.tsv.gz', 'blocks.bin']) fs.symlinkSync(path.join(config.dataDir, 'geo', f), path.join(data, 'geo', f));
  const build: Config = { ...config, dataDir: data, geoDir: makeTempDir('sitrep-geo-') };
  const pack = path.join(build.geoDir, 'zw.geojson');
  const box = [[[30.9, -18.1], [31.2, -18.1], [31.2, -17.9], [30.9, -17.9], [30.9, -18.1]]];
  fs.writeFileSync(pack, JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { ADM2_EN: 'Chitungwiza', ADM2_PCODE: 'ZW1021', ADM0_PCODE: 'ZW' }, geometry: { type: 'Polygon', coordinates: box } }] }));
  const r = importPack(build, pack);
  fs.renameSync(r.file, path.join(data, 'geo', 'boundaries', 'ZWE.topo.json'));
  const shipped: Config = { ...build, geoDir: makeTempDir('sitrep-geo-') };
  const before = gaz.lookup('Chitungwiza', { countries: ['ZW'] })[0]?.place;
  assert.equal(before?.admin2_code, null);
  const c = loadGazetteer(data, shipped).lookup('Chitungwiza', { countries: ['ZW'] })[0];
  assert.equal(c?.place.admin2_code, 'ZW1021');
  assert.equal(c?.place.admin1_code, before?.admin1_code, 'the province of the index stands');
  assert.match(c?.reason ?? '', /district by point/);
});
