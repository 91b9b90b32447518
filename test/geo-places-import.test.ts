// `sitrep geo import XX.txt`: a GeoNames country dump's places join the index with their admin
// codes. The dump is written here (a handful of Donbas villages cities500 leaves out, in their
// Ukrainian and Russian spellings), and the bar is measured before and after the import.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig, type Config } from '../src/config.js';
import { geocodeQuery } from '../src/geo/answer.js';
import { loadGazetteer } from '../src/geo/gazetteer.js';
import { PackError } from '../src/geo/packs.js';
import { importedPlaces, importPlaces, isGeoNamesDump } from '../src/geo/userplaces.js';
import { sitrep } from './support/cli.js';
import { tempDir as makeTempDir } from './support/tmp.js';

/** One GeoNames dump row: the 19 columns of download.geonames.org/export/dump. */
function dumpRow(id: number, name: string, alts: string[], lat: number, lon: number, fclass: string, fcode: string, cc: string, a1: string, a2: string, pop: number): string {
  return [id, name, name, alts.join(','), lat, lon, fclass, fcode, cc, '', a1, a2, '', '', pop, '', '', 'Europe/Kyiv', '2024-01-01'].join('\t');
}

// Made-up ids; names, codes and points as a UA.txt dump writes them (UA.05 Donetsk, UA.14 Luhansk).
const DUMP = [
  dumpRow(9100001, 'Pavlopil', ['Pavlopol'], 47.3166, 37.6542, 'P', 'PPL', 'UA', '05', '', 400),
  dumpRow(9100002, 'Shyrokyne', ['Shirokino', 'Широкине'], 47.096, 37.754, 'P', 'PPL', 'UA', '05', '', 0),
  dumpRow(9100003, 'Novotoshkivske', ['Novotoshkovskoye'], 48.7011, 38.4505, 'P', 'PPL', 'UA', '14', '', 300),
  dumpRow(9100004, 'Hnutove', ['Gnutovo'], 47.1561, 37.7183, 'P', 'PPL', 'UA', '05', '', 150),
  // A hill: another named feature, not a populated place.
  dumpRow(9100005, 'Savur-Mohyla', ['Saur-Mogila'], 47.9, 38.6, 'T', 'HLL', 'UA', '05', '', 0),
  // The shipped index has these: a town over 500 people and an admin unit.
  dumpRow(9100006, 'Kramatorsk', [], 48.7305, 37.5879, 'P', 'PPLA2', 'UA', '05', '1412', 147145),
  dumpRow(9100007, 'Donetska Oblast', [], 48, 37.8, 'A', 'ADM1', 'UA', '05', '', 0),
].join('\n');

const QUERIES: [string, string][] = [
  ['Pavlopil, Ukraine', 'UA.05'],
  ['Shirokino, Ukraine', 'UA.05'],
  ['Novotoshkivske, Luhansk', 'UA.14'],
  ['Gnutovo, Donetsk', 'UA.05'],
  ['Saur-Mogila, Ukraine', 'UA.05'],
];

function tempConfig(): Config {
  return { ...loadConfig({}), geoDir: makeTempDir('sitrep-places-') };
}

function writeDump(text: string, name = 'UA.txt'): string {
  const file = path.join(makeTempDir('sitrep-dump-'), name);
  fs.writeFileSync(file, text + '\n');
  return file;
}

/** How many queries answer a place (below the country) in the admin1 expected. */
function bar(config: Config): number {
  const gaz = loadGazetteer(config.dataDir, config);
  return QUERIES.filter(([q, a1]) => {
    const r = geocodeQuery(gaz, q, { dataDir: config.dataDir }).result;
    return r && r.level !== 'country' && r.level !== 'admin1' && r.admin1_code === a1;
  }).length;
}

test('a GeoNames dump is told from a boundary pack by its first line', () => {
  assert.equal(isGeoNamesDump(writeDump(DUMP)), true);
  assert.equal(isGeoNamesDump(writeDump('{"type": "FeatureCollection", "features": []}', 'x.geojson')), false);
});

test("geo import of a country dump: the villages cities500 leaves out answer, with their province's code", () => {
  const config = tempConfig();
  const before = bar(config);
  const r = importPlaces(config, writeDump(DUMP));
  assert.deepEqual([r.iso2, r.places, r.features, r.shipped], ['UA', 4, 1, 1]);
  assert.deepEqual(
    importedPlaces(config).map((p) => [p.iso2, p.rows]),
    [['UA', 5]],
  );
  const after = bar(config);
  // The gain the dump brings on these queries: none of them answered before, all after.
  assert.deepEqual([before, after], [0, QUERIES.length]);
  const gaz = loadGazetteer(config.dataDir, config);
  const p = geocodeQuery(gaz, 'Pavlopol, Donetsk', { dataDir: config.dataDir }).result;
  assert.deepEqual([p?.location, p?.admin1, p?.latitude], ['Pavlopil', 'Donetsk', 47.3166]);
  // The shipped rows stay the shipped ones: Kramatorsk is not doubled.
  const k = gaz.lookup('Kramatorsk', { countries: ['UA'] }).filter((c) => c.place.level === 'town' && c.place.location === 'Kramatorsk');
  assert.equal(k.length, 1);
});

test('geo import again replaces the country, and geo list shows it', () => {
  const config = tempConfig();
  importPlaces(config, writeDump(DUMP));
  importPlaces(config, writeDump(DUMP.split('\n').slice(0, 2).join('\n')));
  assert.deepEqual(
    importedPlaces(config).map((p) => p.rows),
    [2],
  );
  const list = sitrep(['geo', 'list'], undefined, { SITREP_GEO_DIR: config.geoDir });
  assert.equal(list.code, 0, list.err);
  assert.match(list.out, /^UA\tplaces\t.*UA\.places\.json\t2 places$/m);
});

test('geo import of a dump through the CLI, and bad dumps are one line and exit 2', () => {
  const config = tempConfig();
  const env = { SITREP_GEO_DIR: config.geoDir };
  const ok = sitrep(['geo', 'import', writeDump(DUMP)], undefined, env);
  assert.equal(ok.code, 0, ok.err);
  assert.match(ok.out, /^UA: 4 populated places and 1 other named features the shipped index lacks \(1 it has\)/);
  const q = sitrep(['geocode', '--format', 'jsonl', '-'], 'Shirokino, Ukraine\n', env);
  assert.equal(JSON.parse(q.out).result.location, 'Shyrokyne');
  const two = sitrep(['geo', 'import', writeDump(DUMP + '\n' + dumpRow(9100008, 'Afrin', [], 36.5, 36.87, 'P', 'PPL', 'SY', '01', '', 100))], undefined, env);
  assert.equal(two.code, 2);
  assert.match(two.err, /^sitrep: UA\.txt holds SY, UA: import one country's file/);
  const bad = writeDump(DUMP + '\n' + DUMP.split('\n')[0]!.replace('\t47.3166\t', '\tnorth\t'));
  assert.throws(() => importPlaces(config, bad), (e: Error) => e instanceof PackError && /UA\.txt:8: not a GeoNames dump row/.test(e.message));
});

test('geo import of an OCHA COD populated-places CSV: its places answer with its own P-codes and unit names', () => {
  const config = tempConfig();
  // Columns as HDX's COD populated-places tables write them; made-up villages and codes.
  const csv = [
    'admin4Name_en,admin4Name_ar,admin4AltName1_en,admin4Pcode,admin2Name_en,admin2Pcode,admin1Name_en,admin1Pcode,admin0Pcode,latitude,longitude',
    'Qaryat Zuhayrat,قرية,Zuhairat,YE990101001,Wadi Qirsh,YE9901,Jabal Wusab,YE99,YE,14.51,43.92',
    '"Bayt al Fuqayh, Upper",,,YE990101002,Wadi Qirsh,YE9901,Jabal Wusab,YE99,YE,14.55,43.95',
  ].join('\n');
  const r = importPlaces(config, writeDump(csv, 'yem_pplp.csv'));
  assert.deepEqual([r.iso2, r.places, r.features], ['YE', 2, 0]);
  const gaz = loadGazetteer(config.dataDir, config);
  for (const q of ['Qaryat Zuhayrat, Yemen', 'Zuhairat, Yemen']) {
    const p = geocodeQuery(gaz, q, { dataDir: config.dataDir }).result;
    assert.deepEqual([p?.level, p?.admin1, p?.admin1_code, p?.admin2, p?.admin2_code], ['town', 'Jabal Wusab', 'YE99', 'Wadi Qirsh', 'YE9901'], q);
  }
  // A quoted name with a comma stays one name.
  assert.equal(gaz.lookup('Bayt al-Fuqayh, Upper', { countries: ['YE'] })[0]?.place.admin2_code, 'YE9901');
  // A row without a point is named by its line.
  const bad = writeDump(csv + '\nNo Point,,,YE990101003,Wadi Qirsh,YE9901,Jabal Wusab,YE99,YE,,', 'bad.csv');
  assert.throws(() => importPlaces(config, bad), (e: Error) => e instanceof PackError && /bad\.csv:4: expected a name and a point/.test(e.message));
  const none = writeDump('a,b\n1,2', 'none.csv');
  assert.throws(() => importPlaces(config, none), (e: Error) => e instanceof PackError && /COD populated-places CSV with a name/.test(e.message));
});
