// Place queries as people type them (src/geo/query.ts through src/geo/answer.ts): "Place,
// Country", "Place, Admin1, Country", "Place (Admin1)", a country by name, ISO2 or ISO3; the
// tail restricts, an unknown tail is said in the notes; spelling classes inside a named country.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../src/config.js';
import { loadGazetteer } from '../src/geo/gazetteer.js';
import { geocodeQuery } from '../src/geo/answer.js';
import { parseQuery } from '../src/geo/query.js';

const config = loadConfig();
const gaz = loadGazetteer(config.dataDir, config);
const ask = (q: string, country?: string) => geocodeQuery(gaz, q, country ? { country } : {});

// [query, iso2, admin1 code, admin2 code or null (any)]
const FORMS: [string, string, string, string | null][] = [
  ['Jaghuri, Afghanistan', 'AF', 'AF11', 'AF1114'],
  ['Jaghuri, Ghazni, Afghanistan', 'AF', 'AF11', 'AF1114'],
  ['Jaghuri (Ghazni)', 'AF', 'AF11', 'AF1114'],
  ['Jaghuri, AFG', 'AF', 'AF11', 'AF1114'],
  ['Taizz, Yemen', 'YE', 'YE.25', null],
  ['Taizz, ye', 'YE', 'YE.25', null],
  ['Taizz, YEM', 'YE', 'YE.25', null],
  ['Maiduguri, Nigeria', 'NG', 'NG.27', null],
  ['Nawa-i-Barakzayi district, Helmand', 'AF', 'AF30', 'AF3003'],
  ['As Sukhnah (Homs)', 'SY', 'SY.11', null],
  // Spelling classes of the named country (rules/geo/translit.tsv, stage loose).
  ['Gorlovka, Ukraine', 'UA', 'UA.05', null],
  ['Nikolaev, UA', 'UA', 'UA.16', null],
  ['Zaporozhye, Ukraine', 'UA', 'UA.26', null],
  ['Saraqab, Syria', 'SY', 'SY.12', null],
  ['Maarat an Numan, Syria', 'SY', 'SY.12', null],
  ['Hudur, Somalia', 'SO', 'SO.01', null],
];

for (const [q, iso2, admin1, admin2] of FORMS)
  test(`query form: ${q} → ${admin1}`, () => {
    const r = ask(q).result;
    assert.ok(r, 'no result');
    assert.equal(r.iso, iso2);
    assert.equal(r.admin1_code, admin1, `${r.location} ${r.admin1} (${r.reason})`);
    if (admin2) assert.equal(r.admin2_code, admin2);
  });

test('the tail restricts: a name found only elsewhere gives the unit the query names, said so', () => {
  const a = ask('Sabzi Kar, Balkh');
  assert.deepEqual([a.result?.iso, a.result?.level, a.result?.admin1_code, a.result?.geo_precision], ['AF', 'admin1', 'AF21', 3]);
  assert.equal(a.result?.unresolved, 'Sabzi Kar');
  assert.match(a.result?.reason ?? '', /"Sabzi Kar" not found; the province the query names/);
  const k = ask('Kabul, Pakistan').result;
  assert.deepEqual([k?.iso, k?.level], ['PK', 'country']);
});

test('a tail that is no known unit is said in the notes, and the head still resolves', () => {
  const a = ask('Jaghuri, Xyzland');
  assert.equal(a.result?.admin2_code, 'AF1114');
  assert.deepEqual(a.notes, ['"Xyzland" is no known unit; not used']);
  // Beyond the country a tail is no hamlet of that name ("Asia" in the Philippines).
  assert.equal(ask('Taizz, Yemen, Asia').result?.iso, 'YE');
});

test('parseQuery: head, cue word and tails', () => {
  const p = parseQuery(gaz, 'Nawa district, Helmand, Afghanistan');
  assert.deepEqual([p.head, p.whole, p.cue, p.tails.map((t) => t.name)], ['Nawa', 'Nawa district', 'admin2', ['Helmand', 'Afghanistan']]);
  const q = parseQuery(gaz, 'As Sukhnah (Homs), Syria');
  assert.deepEqual([q.head, q.tails.map((t) => t.name)], ['As Sukhnah', ['Homs', 'Syria']]);
});

test('traps: no letters, nonsense and non-places give no answer, with or without a country', () => {
  assert.deepEqual(ask('0,-30', undefined), { query: '0,-30', result: null, candidates: [] });
  for (const q of ['Kanbalux', 'The Police', 'Hamid Karzai', 'Xqzzyvv, Yemen'])
    assert.ok(!ask(q).result || ask(q).result?.level === 'country', `${q} → ${ask(q).result?.location}`);
});

test('without a country, a spelling or other name found in one country alone resolves there', () => {
  for (const [q, admin1] of [['Garmsir', 'AF30'], ['Maidan Shar', 'AF04'], ['Islam Qalah', 'AF32']] as const) {
    const r = ask(q).result;
    assert.deepEqual([r?.iso, r?.admin1_code], ['AF', admin1], `${q} → ${r?.location} (${r?.reason})`);
    assert.match(r?.reason ?? '', /no country named/);
    assert.doesNotMatch(r?.reason ?? '', /in main country/);
  }
  // A country given by the caller is not second-guessed.
  assert.equal(ask('Garmsir', 'PK').result?.iso ?? null, null);
});
