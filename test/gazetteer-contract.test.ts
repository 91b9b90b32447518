// The Gazetteer contract: one table of behaviours that every implementation must pass: the
// shipped index (data/geo with the built-in Afghan boundary pack), the same index with a user's
// imported pack (Yemen, hand-written fixture) whose units replace the index's for that country,
// and, where ../shared is present, with the real COD-AB Afghan layers imported. A new implementation is added to IMPLEMENTATIONS and must pass all rows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig, ROOT, type Config } from '../src/config.js';
import { foldName, loadGazetteer, MIN_SCORE, type Gazetteer, type GeoContext, type Place } from '../src/geo/gazetteer.js';
import { importPack } from '../src/geo/import.js';
import { tempDir as makeTempDir } from './support/tmp.js';

const PACKS = path.join(ROOT, 'test', 'fixtures', 'geo', 'packs');
const tempDir = () => makeTempDir('sitrep-geo-');

const IMPLEMENTATIONS: [string, () => Gazetteer][] = [
  ['shipped index', () => {
    const config: Config = { ...loadConfig({}), geoDir: tempDir() };
    return loadGazetteer(config.dataDir, config);
  }],
  ['index + imported pack (YEM)', () => {
    const config: Config = { ...loadConfig({}), geoDir: tempDir() };
    importPack(config, path.join(PACKS, 'gb-YEM-ADM1.geojson'));
    importPack(config, path.join(PACKS, 'gb-YEM-ADM2.geojson'), { aliases: path.join(PACKS, 'yem-aliases.csv') });
    return loadGazetteer(config.dataDir, config);
  }],
];
// With ../shared present: the real OCHA COD-AB Afghan layers imported as a user pack, replacing the shipped one.
const COD_AF = path.join(ROOT, '..', 'shared', 'data', 'afghanistan', 'afg_adm12.topojson');
if (fs.existsSync(COD_AF))
  IMPLEMENTATIONS.push(['index + imported COD-AB pack (AFG)', () => {
    const config: Config = { ...loadConfig({}), geoDir: tempDir() };
    importPack(config, COD_AF);
    return loadGazetteer(config.dataDir, config);
  }]);

const best = (g: Gazetteer, q: string, ctx: GeoContext = {}): Place | undefined => g.lookup(q, ctx).find((c) => c.score >= MIN_SCORE)?.place;
const PRECISION: Record<Place['level'], number[]> = { country: [3], admin1: [3], admin2: [2], town: [1, 2] };
// Queries across levels, countries and scripts whose answers every row below may inspect.
const SAMPLE: [string, GeoContext][] = [
  ['Kabul', { countries: ['AF'] }],
  ['Pul-e Hesar', { countries: ['AF'] }],
  ['Lahij', { countries: ['YE'], cue: 'admin1' }],
  ['Tuban', { countries: ['YE'], cue: 'admin2' }],
  ['Al Hawtah', { countries: ['YE'], cue: 'town' }],
  ['Kramatorsk', {}],
  ['Maiduguri', { countries: ['NG'] }],
  ['Georgia', {}],
  ['پل حصار', { countries: ['AF'] }],
];

const BEHAVIOURS: [string, (g: Gazetteer) => void][] = [
  ['candidates come best first', (g) => {
    for (const [q, ctx] of SAMPLE) {
      const c = g.lookup(q, ctx);
      assert.ok(c.length > 0, q);
      for (let i = 1; i < c.length; i++) assert.ok(c[i - 1]!.score >= c[i]!.score, q);
    }
  }],
  ['every place is complete and consistent with its level', (g) => {
    const codes = new Set(g.countryCodes());
    for (const [q, ctx] of SAMPLE)
      for (const { place: p, reason } of g.lookup(q, ctx)) {
        assert.ok(p.country && codes.has(p.iso2), `${q}: country`);
        assert.ok(PRECISION[p.level].includes(p.geo_precision), `${q}: precision ${p.geo_precision} for ${p.level}`);
        assert.ok(Math.abs(p.latitude) <= 90 && Math.abs(p.longitude) <= 180, `${q}: point`);
        assert.ok(reason.length > 0, `${q}: reason`);
        if (p.level !== 'country') assert.ok(p.admin1_code, `${q}: admin1 code of ${p.location}`);
        if (p.level === 'admin2') assert.ok(p.admin2_code && p.admin2 === p.location, `${q}: a district is its own admin2`);
        if (p.level === 'admin1') assert.ok(p.admin1 === p.location && !p.admin2_code, `${q}: a province is its own admin1`);
        assert.equal(!p.admin2, !p.admin2_code, `${q}: admin2 name and code go together`);
      }
  }],
  ['names that are no place give no candidate', (g) => {
    for (const q of ['Xqzzyvv', 'Qqzzyx Abad', '', 'a']) assert.deepEqual(g.lookup(q, { countries: ['AF'] }), [], q);
  }],
  ['traps are never answered', (g) => {
    const traps: [string, string][] = [['Friday', 'NG'], ['Police', 'AF'], ['Pakistani', 'AF'], ['Hamid Karzai', 'AF'], ['IS', 'SY'], ['Salem', 'AF'], ['Somali', 'SO']];
    for (const [q, c] of traps) assert.equal(best(g, q, { countries: [c] }), undefined, q);
  }],
  ['the report country decides homonyms', (g) => {
    assert.equal(best(g, 'Georgia')?.level, 'country');
    assert.equal(best(g, 'Georgia', { countries: ['US'], cue: 'admin1' })?.iso2, 'US');
    assert.equal(best(g, 'Kabul', { countries: ['AF'], cue: 'admin1' })?.level, 'admin1');
    assert.equal(best(g, 'Khost', { countries: ['AF'], cue: 'admin1' })?.admin1_code, 'AF14');
  }],
  ['spelling variants and scripts meet the same unit', (g) => {
    const want = best(g, 'Pul-e-Hisar', { countries: ['AF'] })?.admin2_code;
    assert.equal(want, 'AF0912');
    for (const q of ['Pol-e Hesar', 'Puli Hisar', 'پل حصار']) assert.equal(best(g, q, { countries: ['AF'] })?.admin2_code, want, q);
  }],
  ["a town's codes are those of the units the gazetteer gives by name", (g) => {
    const town = best(g, 'Al Hawtah', { countries: ['YE'], cue: 'town' });
    const province = best(g, 'Lahij', { countries: ['YE'], cue: 'admin1' });
    assert.ok(town && province);
    assert.equal(town.admin1_code, province.admin1_code);
    const kabul = best(g, 'Kabul', { countries: ['AF'], cue: 'town' });
    assert.equal(kabul?.admin2_code, best(g, 'Kabul', { countries: ['AF'], cue: 'admin2' })?.admin2_code);
  }],
  ['answers are stable and callers get copies', (g) => {
    const a = g.lookup('Kramatorsk');
    a[0]!.place.location = 'changed';
    a[0]!.score = -1;
    const b = g.lookup('Kramatorsk');
    assert.notEqual(b[0]!.place.location, 'changed');
    assert.deepEqual(b, g.lookup('Kramatorsk'));
  }],
  ['countries by code, name and alias; demonyms and non-places', (g) => {
    assert.equal(g.country('AF')?.iso3, 'AFG');
    assert.equal(g.country('ye')?.country, 'Yemen');
    assert.equal(g.country('ZZ'), null);
    assert.ok(g.countryCodes().length >= 240);
    assert.equal(g.countryCode('Burma'), 'MM');
    assert.equal(g.countryCode('Kabul'), null);
    assert.ok(g.isDemonym('Pakistani') && !g.isDemonym('Pakistan'));
    assert.ok(g.isNotPlace('Friday') && !g.isNotPlace('Kabul'));
    assert.ok(g.cues.after.size > 0);
  }],
  ['folding is the one the index was built with', (g) => {
    assert.equal(foldName('Mazar-i-Sharif'), foldName('Mazar-e Sharif'));
    assert.ok(best(g, 'Mazari Sharif', { countries: ['AF'] }));
  }],
];

for (const [impl, make] of IMPLEMENTATIONS) {
  let gaz: Gazetteer | undefined;
  const g = () => (gaz ??= make());
  for (const [name, check] of BEHAVIOURS) test(`contract [${impl}]: ${name}`, () => check(g()));
}
