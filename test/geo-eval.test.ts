// The place-lookup test set (test/fixtures/geo/places.tsv) meets its targets: >= 95% admin2 on
// the Afghan rows, >= 95% admin1 elsewhere, and no trap answered with a place.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { loadConfig, ROOT } from '../src/config.js';
import { loadGazetteer } from '../src/geo/gazetteer.js';
import { evalGeo, readGeoCases } from '../src/geo/evalset.js';
import { loadQueryWords } from '../src/geo/query.js';

const config = loadConfig();
const gaz = loadGazetteer(config.dataDir, config);
const cases = readGeoCases(path.join(ROOT, 'test', 'fixtures', 'geo', 'places.tsv'));
const r = evalGeo(gaz, cases, loadQueryWords(config));

test('the set is big enough and spread over Afghanistan and 10+ other countries', () => {
  assert.ok(cases.length >= 200, `${cases.length} rows`);
  assert.ok(r.afghanistan.n >= 100);
  const others = new Set(cases.map((c) => c.iso2).filter((c) => c && c !== 'AF'));
  assert.ok(others.size >= 10, [...others].join(','));
  assert.ok(r.traps.n >= 20);
  // The forms people type ("Taizz, Yemen", "Andarab (Baghlan)") go through the geocode resolver.
  assert.ok(cases.filter((c) => /[,(]/.test(c.query)).length >= 90);
});

test('Afghan rows: >= 95% right down to the district', () => {
  const acc = r.afghanistan.admin2 / r.afghanistan.admin2N;
  assert.ok(acc >= 0.95, `${(acc * 100).toFixed(1)}%:\n${r.misses.join('\n')}`);
});

test('other countries: >= 95% right at admin1', () => {
  const acc = r.elsewhere.admin1 / r.elsewhere.n;
  assert.ok(acc >= 0.95, `${(acc * 100).toFixed(1)}%:\n${r.misses.join('\n')}`);
});

test('no trap is answered with a place', () => {
  assert.deepEqual(r.traps.wrong, []);
});

test('a lookup takes well under 10 ms', () => {
  assert.ok(r.msPerQuery < 10, `${r.msPerQuery.toFixed(2)} ms`);
});
