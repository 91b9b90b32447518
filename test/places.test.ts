// The places stage on sentences in the three report styles, positive and negative.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../src/config.js';
import { loadGazetteer } from '../src/geo/gazetteer.js';
import { findPlaces, findCountries } from '../src/extract/places.js';

const gaz = loadGazetteer(loadConfig().dataDir);

function places(text: string, countries: string[]) {
  const r = findPlaces(gaz, text, { start: 0, end: text.length, text }, { countries });
  for (const m of r.value) assert.equal(text.slice(m.start, m.end), m.text);
  return r.value;
}

// [sentence, report countries, expected "mention→admin1" pairs (subset, in order), mentions that must NOT appear]
const CASES: [string, string[], string[], string[]][] = [
  ['On 5 May 2020, unidentified gunmen reportedly seized a vehicle in Ar Rubat area of Tuban district (Lahij).', ['YE'], ['Tuban→Lahij', 'Lahij→Lahij'], ['Ar Rubat', 'On']],
  ["Taliban fighters attacked a checkpoint in Pul-e-Khumri, the capital of Baghlan province, on Friday, while Kabul's airport stayed open.", ['AF'], ['Pul-e-Khumri→Baghlan', 'Baghlan→Baghlan', 'Kabul→Kabul'], ['Taliban', 'Friday']],
  ['President Hamid Karzai said the Police in Kunduz city and Andarab district were on alert.', ['AF'], ['Kunduz→Kunduz', 'Andarab→Baghlan'], ['Hamid', 'Hamid Karzai', 'Karzai', 'Police', 'President']],
  ['Russian shelling hit Kramatorsk (Donetsk oblast) and Izium in Kharkiv region.', ['UA'], ['Kramatorsk→Donetsk', 'Izium→Kharkiv'], []],
  ['Fighting in El Geneina, West Darfur, and Nyala displaced thousands, OCHA said.', ['SD'], ['El Geneina→West Darfur', 'Nyala→South Darfur'], ['OCHA']],
  ['Security forces in Jammu district, Jammu and Kashmir, killed two militants in Pulwama.', ['IN'], ['Jammu→Jammu and Kashmir', 'Pulwama→Jammu and Kashmir'], ['Security']],
  ['The Army said on Thursday that the Government and the State would respond.', ['NG'], [], ['The', 'Army', 'Thursday', 'Government', 'State']],
  ['Clashes were reported near Pol-e Hesar and in Deh Salah.', ['AF'], ['Pol-e Hesar→Baghlan', 'Deh Salah→Baghlan'], []],
  // "X district in Y": of two Arghandabs (Zabul, Kandahar), the one in Y.
  ['The army denied that Arghandab district in Kandahar had fallen.', ['AF'], ['Arghandab→Kandahar', 'Kandahar→Kandahar'], []],
  ['Fighting went on in Arghandab district in Zabul.', ['AF'], ['Arghandab→Zabul', 'Zabul→Zabul'], []],
  // Precision: person names, titles, demonyms, acronyms, ordinary words, far-away homonyms.
  ['Meanwhile, the envoy met Saleh and Vice-President Amrullah Saleh in Kabul on Independence Day.', ['AF'], ['Kabul→Kabul'], ['Meanwhile', 'Saleh', 'Amrullah Saleh', 'Day', 'Independence Day']],
  ['Rockets hit Kabul airport as US forces left; Pakistani and Russian diplomats watched.', ['US', 'AF'], ['Kabul→Kabul'], ['as US', 'Pakistani', 'Russian']],
  ['Prime Minister Hassan Ali Khaire visited the base in Mogadishu.', ['SO', 'TR'], ['Mogadishu→Banadir'], ['Ali', 'Hassan Ali Khaire', 'Khaire']],
  ['The strike followed the killing of commander Qassem Soleimani near Baghdad.', ['IQ', 'IR', 'US'], ['Baghdad→Baghdad'], ['Soleimani', 'Qassem Soleimani']],
  ['A bomb exploded at the Sayed ul-Shuhada school in the Dasht-e-Barchi area of western Kabul.', ['AF'], ['Kabul→Kabul'], ['Sayed', 'Dasht-e-Barchi']],
  // The rest of a name and a parenthetical may stand between a name and its "area of Y": X lies in Y, or is no place.
  ['Police were killed on a check point in the Taqchi (Taqcha) area of Pashtun Zarghun district, Herat.', ['AF'], ['Pashtun Zarghun→Hirat'], ['Taqchi']],
  ['Taliban militants killed 1 local policeman in the Qaisar Kuhadanak of Farah city.', ['AF'], ['Farah→Farah'], ['Qaisar']],
  // Two connectors inside one name: "de los".
  ['In Chilpancingo de los Bravo, Guerrero, armed men shot at a car wash.', ['MX'], ['Chilpancingo de los Bravo→Guerrero', 'Guerrero→Guerrero'], ['Bravo']],
  ['The IS fighters and the OLA retreated after Islamic State lost ground.', ['SY', 'ET'], [], ['IS', 'OLA', 'Islamic']],
  ['There were no casualties, the governor of Baghlan said.', ['AF'], ['Baghlan→Baghlan'], ['There']],
  ['Militia fighters attacked villages in Tole kebele of Gimbi woreda, West Wellega zone.', ['ET'], ['West Wellega→Oromia'], ['Tole']],
  ['A drone struck Pa Zi Gyi village, Kanbalu township, after the President spoke.', ['MM'], ['Kanbalu→Sagaing'], ['Zi Gyi', 'Pa Zi Gyi']],
  ['Fighting was reported in Khidir district and near the Black Sea coast.', ['AF'], ['Khidir→Daykundi'], ['Black']],
  // "Town, Province": the town inside the province, the province as the province (not Chihuahua's Guerrero).
  ['On 30 April 2020, in Acapulco, Guerrero, a group of people blocked the roads.', ['MX'], ['Acapulco→Guerrero', 'Guerrero→Guerrero'], []],
  ['Merchants protested in Tepeji, Hidalgo, outside the municipal palace.', ['MX'], ['Tepeji→Hidalgo', 'Hidalgo→Hidalgo'], []],
  // A city that is a province of its own holds its boroughs, after a comma or "area of" (not Chihuahua's Cuauhtémoc).
  ['On 29 April 2020, in Cuauhtemoc, Ciudad de Mexico, a group of art-craft sellers protested.', ['MX'], ['Cuauhtemoc→Mexico City', 'Ciudad de Mexico→Mexico City'], []],
  ['On 3 May 2020, in Cuauhtemoc area of Mexico City, a man and a woman were shot.', ['MX'], ['Cuauhtemoc→Mexico City'], []],
  // With no country to go by, the famous place: Mexico's state, not Brazil's small Vera Cruz.
  ['On 8 May 2020, in Tlalcopan, Veracruz, armed men carried out a drive-by shooting.', [], ['Veracruz→Veracruz'], []],
  // With no country named, a sizeable town's exonym is the town ("Patras" is Greece's Pátra).
  ['On 7 May 2020, artists rallied in Patras demanding support for art workers.', [], ['Patras→West Greece'], []],
  // A demonym with a unit word alone after it is the unit ("Somali region" of Ethiopia), not the people.
  ['Inter-clan clashes occurred in Fik zone in Somali region, Ethiopia.', ['ET'], ['Somali→Somali'], []],
  // A city joined to its quarter's name by a hyphen is the city ("Belgrade-Stari Grad"); the span ends at the hyphen.
  ['On 30 April 2020, the oppositional SzS demonstrated in Belgrade-Stari Grad, Serbia, against the government.', ['RS'], ['Belgrade→Central Serbia'], ['Grad']],
  // Two cities joined are a route, no place of the event.
  ['On 28 March 2022, bandits attacked an Abuja-Kaduna passenger train near Katari (Kaduna).', ['NG'], ['Kaduna→Kaduna'], ['Abuja']],
  // A list is no address: each keeps its own reading.
  ['Clashes in Kabul, Herat and Balkh killed five soldiers.', ['AF'], ['Kabul→Kabul', 'Herat→Hirat', 'Balkh→Balkh'], []],
  // A square named after a person is not the place of that name.
  ["Riot police cleared protesters from Bogotá's Plaza de Bolívar on Thursday.", ['CO'], ['Bogotá→Bogota D.C.'], ['Bolívar']],
  // A city is no demonym though it folds like one ("Chennai" ~ "China" + "i").
  ['Members held a protest in Chennai city (Chennai, Tamil Nadu).', [], ['Chennai→Tamil Nadu'], []],
  // A province of the second country named is written in plain Latin letters (Gǝdǝbǝy → Gadabay).
  ['Forces of Armenia fired on positions of Azerbaijan in Gadabay.', ['AM', 'AZ'], ['Gadabay→Gadabay'], []],
];

for (const [text, countries, want, notWant] of CASES) {
  test(`findPlaces: ${text.slice(0, 60)}`, () => {
    const got = places(text, countries);
    const pairs = got.map((m) => `${m.text}→${m.place.admin1}`);
    let at = 0;
    for (const w of want) {
      const i = pairs.indexOf(w, at);
      assert.ok(i >= 0, `missing ${w} in ${JSON.stringify(pairs)}`);
      at = i + 1;
    }
    for (const n of notWant) assert.ok(!got.some((m) => m.text === n), `${n} should not be a place: ${JSON.stringify(pairs)}`);
  });
}

test('findPlaces: cue is reported and each place appears once', () => {
  const got = places('Kunduz province saw fighting; Kunduz province officials said so.', ['AF']);
  assert.equal(got.filter((m) => m.place.level === 'admin1').length, 1);
  assert.equal(got[0]?.cue, 'province');
});

test('findPlaces: offsets point into the document when the sentence is not at 0', () => {
  const text = 'Headline. Gunmen attacked Asadabad on Monday.';
  const start = text.indexOf('Gunmen');
  const r = findPlaces(gaz, text, { start, end: text.length, text: text.slice(start) }, { countries: ['AF'] });
  const m = r.value[0];
  assert.ok(m);
  assert.equal(text.slice(m.start, m.end), 'Asadabad');
  assert.equal(m.place.admin2_code, 'AF1501');
});

const COUNTRY_CASES: [string, string[]][] = [
  ['Fighting in Burma spilled into Thailand. Myanmar troops crossed again.', ['MM', 'TH']],
  ['The DRC and DR Congo and the Democratic Republic of the Congo; Rwanda denied it.', ['CD', 'RW']],
  ['Clashes in Kabul and Kandahar.', []],
  ['The US said Afghanistan and Afghanistan again.', ['AF', 'US']],
];
for (const [text, want] of COUNTRY_CASES)
  test(`findCountries: ${text.slice(0, 50)}`, () => assert.deepEqual(findCountries(gaz, text), want));

test('findPlaces: a province whose capital has another name is the province; admin2 cues reach the unit', () => {
  const b = places('Heavy fighting continued in Baghlan on Sunday.', ['AF']).find((m) => m.text === 'Baghlan');
  assert.equal(b?.place.level, 'admin1');
  const k = places('Gunmen attacked Kunduz on Sunday.', ['AF']).find((m) => m.text === 'Kunduz');
  assert.equal(k?.place.level, 'town');
  const cases: [string, string, string][] = [
    ['Dogon militia attacked Ogossagou in Bankass cercle (Mopti region).', 'ML', 'Bankass Cercle'],
    ['M23 rebels took Bunagana in Rutshuru territory (North Kivu).', 'CD', 'Rutshuru Territory'],
    ['Women were raped in Rubkona county, Northern Liech state.', 'SS', 'Rubkona'],
    ['Gunmen killed 20 in Kankara Local Government Area of Katsina state.', 'NG', 'Kankara'],
  ];
  for (const [text, cc, admin2] of cases) {
    const got = places(text, [cc]);
    assert.ok(got.some((m) => m.place.admin2 === admin2 && m.place.level === 'admin2'), `${admin2} in ${JSON.stringify(got.map((m) => [m.text, m.place.level, m.place.admin2]))}`);
  }
});

test('findPlaces: a name before "neighborhood" or "community" is a part of the town, not a namesake town elsewhere', () => {
  const found = places('On 30 April 2020, in Trindade, Pernambuco, two men were killed in Sao Geraldo neighborhood.', ['BR']).map((m) => m.text);
  assert.ok(found.includes('Trindade'), JSON.stringify(found));
  assert.ok(!found.includes('Sao Geraldo'), JSON.stringify(found));
});

test('findPlaces: after a cue word the whole run is the name: a part of it matched by another name is no place', () => {
  const found = (text: string) => findPlaces(gaz, text, { start: 0, end: text.length, text }, { countries: ['MZ'] }).value.map((m) => m.place.location);
  assert.deepEqual(found('Gunmen attacked the village of Rio Atari.'), []);
  assert.equal(found('Gunmen attacked the town of Mocimboa da Praia.').length, 1);
});
