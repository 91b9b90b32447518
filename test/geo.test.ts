// Gazetteer contract and the lookup examples the places stage relies on (committed data/geo).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../src/config.js';
import { loadGazetteer, foldName, MIN_SCORE, plainLatin, type Gazetteer } from '../src/geo/gazetteer.js';

// Load time is measured by scripts/bench-geo.ts, not asserted here.
const gaz: Gazetteer = loadGazetteer(loadConfig().dataDir);

test('contract: lookup ranks best first, Place fields are filled', () => {
  const c = gaz.lookup('Kramatorsk');
  assert.ok(c.length > 0);
  for (let i = 1; i < c.length; i++) assert.ok((c[i - 1]?.score ?? 0) >= (c[i]?.score ?? 0));
  const p = c[0]!.place;
  assert.equal(p.iso2, 'UA');
  assert.equal(p.country, 'Ukraine');
  assert.equal(p.iso, 804);
  assert.equal(p.level, 'town');
  assert.equal(p.geo_precision, 1);
  assert.ok(Number.isFinite(p.latitude) && Number.isFinite(p.longitude));
  assert.deepEqual(gaz.lookup('Xqzzyvv'), []);
  assert.equal(gaz.country('AF')?.iso3, 'AFG');
  assert.equal(gaz.country('AF')?.country, 'Afghanistan');
  assert.equal(gaz.country('ZZ'), null);
});

test('foldName folds spelling variants together', () => {
  const same: [string, string][] = [
    ['Pul-e-Hesar', 'Pul-i-Hisar'],
    ['Pol-e Hesar', 'Pul-e-Hesar'],
    ['Kunduz', 'Kondoz'],
    ['Asad Abad', 'Asadabad'],
    ['Culiacán', 'Culiacan'],
    ['Al-Hasakah', 'Hasakah'],
    ['Taizz', "Ta'izz"],
    ['كابل', 'کابل'],
  ];
  for (const [a, b] of same) assert.equal(foldName(a), foldName(b), `${a} ~ ${b}`);
  assert.notEqual(foldName('Kabul'), foldName('Kandahar'));
});

// [name, report countries, expected iso2, admin1 (name or code), admin2 code or null (any)]
const EXAMPLES: [string, string[], string, string, string | null][] = [
  ['Pul-e-Hesar', ['AF'], 'AF', 'AF09', 'AF0912'],
  ['Pul-i-Hisar', ['AF'], 'AF', 'AF09', 'AF0912'],
  ['Pol-e Hesar', ['AF'], 'AF', 'AF09', 'AF0912'],
  ['Banu', ['AF'], 'AF', 'AF09', 'AF0907'],
  ['Bano', ['AF'], 'AF', 'AF09', 'AF0907'],
  ['Deh Salah', ['AF'], 'AF', 'AF09', 'AF0908'],
  ['Asadabad', ['AF'], 'AF', 'AF15', 'AF1501'],
  ['Kunduz', ['AF'], 'AF', 'AF19', null],
  ['Kondoz', ['AF'], 'AF', 'AF19', null],
  ['Sheberghan', ['AF'], 'AF', 'Jawzjan', null],
  ['Shiberghan', ['AF'], 'AF', 'Jawzjan', null],
  ['Pul-i-Khumri', ['AF'], 'AF', 'AF09', null],
  ['Dihdadi', ['AF'], 'AF', 'Balkh', null],
  ['Dehdadi', ['AF'], 'AF', 'Balkh', null],
  ['Achin', ['AF'], 'AF', 'Nangarhar', null],
  ['Khidir', ['AF'], 'AF', 'Daykundi', null],
  ['Kabul', ['US', 'AF'], 'AF', 'AF01', 'AF0101'],
  ['Baghlan', ['AF'], 'AF', 'AF09', null],
  ['Lagos', ['NG'], 'NG', 'Lagos', null],
  ['Khadir', ['AF'], 'AF', 'Daykundi', null],
  ['Mazari Sharif', ['AF'], 'AF', 'Balkh', 'AF2101'],
  ['Kabul', ['AF'], 'AF', 'AF01', 'AF0101'],
  ['Kramatorsk', [], 'UA', 'Donetsk', null],
  ['Nasiriyah', ['IQ'], 'IQ', 'Dhi Qar', null],
  ['Douma', ['SY'], 'SY', 'Rif-dimashq', null],
  ['Culiacán', [], 'MX', 'Sinaloa', null],
  ['Kankara', ['NG'], 'NG', 'Katsina', null],
  ['Bunagana', ['CD'], 'CD', 'Nord Kivu', null],
  ['Rutshuru', ['CD'], 'CD', 'Nord Kivu', null],
  ['Izium', ['UA'], 'UA', 'Kharkiv', null],
  ['Melitopol', ['UA'], 'UA', 'Zaporizhzhia', null],
  ['Nyala', ['SD'], 'SD', 'South Darfur', null],
  ['El Geneina', ['SD'], 'SD', 'West Darfur', null],
  ['Mocímboa da Praia', ['MZ'], 'MZ', 'Cabo Delgado', null],
  ['Kidal', ['ML'], 'ML', 'Kidal', null],
  ['Bankass', ['ML'], 'ML', 'Mopti', null],
  ['Arbinda', ['BF'], 'BF', 'Sahel', null],
  ['Soum', ['BF'], 'BF', 'Sahel', null],
  ['Gimbi', ['ET'], 'ET', 'Oromia', null],
  ['West Wellega', ['ET'], 'ET', 'Oromia', null],
  ['Kanbalu', ['MM'], 'MM', 'Sagaing', null],
  ['Jammu', ['IN'], 'IN', 'Jammu and Kashmir', null],
  ['Pulwama', ['IN'], 'IN', 'Jammu and Kashmir', null],
  ['Lahore', ['PK'], 'PK', 'Punjab', null],
  ['Rawalpindi', ['PK'], 'PK', 'Punjab', null],
  ['Mogadishu', ['SO'], 'SO', 'Banadir', null],
  ['Cartagena', ['CO'], 'CO', 'Bolivar', null],
  ['Tadmur', ['SY'], 'SY', 'Homs', null],
  ['Palmyra', ['SY'], 'SY', 'Homs', null],
  ['Manbij', ['SY'], 'SY', 'Aleppo', null],
  ['Afrin', ['SY'], 'SY', 'Aleppo', null],
  ['Erbil', [], 'IQ', 'IQ.11', null],
  ['Bogotá', [], 'CO', 'Bogota D.C.', null],
  ['Gezira', ['SD'], 'SD', 'SD.38', null],
  ['Georgia', ['US'], 'US', 'Georgia', null],
];

for (const [name, countries, iso2, admin1, admin2] of EXAMPLES) {
  test(`lookup ${name} (${countries.join(',') || 'no context'}) → ${admin1} ${iso2}`, () => {
    const best = gaz.lookup(name, { countries })[0];
    assert.ok(best, 'no candidate');
    assert.ok(best.score >= MIN_SCORE, `weak score ${best.score}`);
    assert.equal(best.place.iso2, iso2);
    assert.ok(best.place.admin1 === admin1 || best.place.admin1_code === admin1, `admin1 ${best.place.admin1}/${best.place.admin1_code}`);
    if (admin2) assert.equal(best.place.admin2_code, admin2);
  });
}

test('Georgia without US context is the country', () => {
  assert.equal(gaz.lookup('Georgia', { countries: ['GE'] })[0]?.place.level, 'country');
  assert.equal(gaz.lookup('Georgia')[0]?.place.level, 'country');
});

test('cues choose the level: Kabul province vs Kabul city', () => {
  assert.equal(gaz.lookup('Kabul', { countries: ['AF'], cue: 'admin1' })[0]?.place.level, 'admin1');
  assert.equal(gaz.lookup('Kabul', { countries: ['AF'] })[0]?.place.level, 'town');
  assert.equal(gaz.lookup('Andarab', { countries: ['AF'], cue: 'admin2' })[0]?.place.admin2_code, 'AF0907');
});

test('traps: common words and person names are not places', () => {
  for (const w of ['The', 'Police', 'Security', 'Friday', 'Thursday', 'Taliban', 'Army', 'President', 'Government', 'State', 'Hamid Karzai']) {
    const best = gaz.lookup(w, { countries: ['AF'] })[0];
    assert.ok(!best || best.score < MIN_SCORE, `${w} → ${best?.place.location} ${best?.score}`);
  }
});

test('fuzzy step does not invent places without context', () => {
  assert.deepEqual(gaz.lookup('Kanbalux'), []);
  assert.equal(gaz.countryCode('Burma'), 'MM');
  assert.equal(gaz.countryCode('DR Congo'), 'CD');
  assert.equal(gaz.countryCode('Kabul'), null);
});

test('lookup is fast', () => {
  gaz.lookup('Pol-e Hesar', { countries: ['AF'] }); // builds the fuzzy pool once
  const names = EXAMPLES.map((e) => e[0]);
  const t = performance.now();
  for (let i = 0; i < 20; i++) for (const n of names) gaz.lookup(n, { countries: ['AF'] });
  const per = (performance.now() - t) / (20 * names.length);
  assert.ok(per < 5, `${per.toFixed(2)} ms per lookup`);
});

test('seat: the capital town of a province or state, by its code', () => {
  const seats: [string, string | null, string | null][] = [
    ['AF09', 'Pul-e-Khumri', 'AF0901'],
    ['AF34', 'Zaranj', 'AF3401'],
    ['AF01', 'Kabul', 'AF0101'],
  ];
  for (const [code, admin2, admin2Code] of seats) {
    const p = gaz.seat(code);
    assert.equal(p?.admin2, admin2, code);
    assert.equal(p?.admin2_code, admin2Code, code);
    assert.equal(p?.level, 'town');
  }
  assert.match(gaz.seat('ML.08')?.location ?? '', /Timbuktu|Tombouctou/);
  assert.equal(gaz.seat('XX.99'), null);
});

// findCountries skips a capitalised word when no country name can begin with it, which is only
// exact if keyPrefix(word) begins the folded key of everything that starts with that word.
test('keyPrefix begins the folded key of any text that starts with the word', async () => {
  const { keyPrefix } = await import('../src/geo/fold.js');
  const { rng } = await import('../scripts/bench-corpus.js');
  const next = rng(20261125);
  const pick = (chars: string, max: number, min = 0) => Array.from({ length: min + Math.floor(next() * max) }, () => chars[Math.floor(next() * chars.length)]).join('');
  // Letters of the transliteration pairs, articles, marks, separators and non-Latin letters.
  const word = "aeioudjchkhqyAEOUDCKHQY'0";
  const rest = "aeioudjchkhqyAEOUDCKHQYsnt'- .,’ʿ‐éÉΣσßæøłı\u0301()_/ال";
  let settled = 0;
  for (let i = 0; i < 50_000; i++) {
    const s = pick(word, 7, 1) + pick(rest, 8);
    const p = keyPrefix(s);
    if (p) settled++;
    assert.ok(foldName(s).startsWith(p), `${JSON.stringify(s)}: key ${foldName(s)} does not begin with ${p}`);
  }
  // The check must say something: most words give a prefix.
  assert.ok(settled > 25_000, `only ${settled} of 50000 texts had a prefix`);
});

test('admin units are written without the unit words GeoNames puts around their names, and found by the bare name', () => {
  const cases: [string, string, 'admin1' | 'admin2', string][] = [
    ['Punilla', 'AR', 'admin2', 'Punilla'],
    ['Houet', 'BF', 'admin2', 'Houet'],
    ['Palma', 'MZ', 'admin2', 'Palma'],
    ['Fier', 'AL', 'admin1', 'Fier'],
  ];
  for (const [name, iso2, field, want] of cases) {
    const best = gaz.lookup(name, { countries: [iso2] }).find((c) => c.place.iso2 === iso2);
    assert.equal(best?.place[field], want, `${name} (${iso2}): ${JSON.stringify(best?.place)}`);
    assert.doesNotMatch(best?.place[field] ?? '', /^(?:Departamento|Provincia|Province|Circunscri)|County$/);
  }
});

// Admin units are written in plain Latin letters, as ACLED writes them.
const PLAIN: [string, string][] = [
  ['Shkodër', 'Shkoder'],
  ['General San Martín', 'General San Martin'],
  ['Sfântu Gheorghe', 'Sfantu Gheorghe'],
  ['Diyarbakır', 'Diyarbakir'],
  ['Gǝdǝbǝy', 'Gadabay'],
  ['Karbalāʼ', 'Karbala'],
  ['Łódź', 'Lodz'],
];
for (const [name, want] of PLAIN) test(`plain Latin ${name} → ${want}`, () => assert.equal(plainLatin(name), want));
