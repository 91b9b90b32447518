// Whole-pipeline cases on short reports written for these tests: one row per behaviour of the
// assembly rules (territory, protests, counts, district lists, reference places, intent).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../src/config.js';
import { extractDoc, loadResources } from '../src/extract/index.js';
import { readDocument } from '../src/ingest/read.js';
import type { Event } from '../src/schema/event.js';
import { tempDir as makeTempDir } from './support/tmp.js';

const res = loadResources(loadConfig());

function extract(text: string, published: string, r = res): Event[] {
  const { value: doc } = readDocument(text, { published });
  return extractDoc(doc, r, { published, source: 'test' }).value;
}

interface Want {
  sub: string;
  country?: string;
  place?: RegExp;
  date?: string;
  actor1?: RegExp;
  actor2?: RegExp;
  fatalities?: number;
  assoc1?: RegExp;
}

const cases: [string, string, string, Want[]][] = [
  ['non-state capture', '2015-06-10', 'Islamic State fighters seized the town of Sirte on Monday after clashes with forces loyal to the government, residents said.',
    [{ sub: 'Non-state actor overtakes territory', country: 'Libya', place: /Sirte|Surt/, date: '2015-06-08', actor1: /Islamic State/ }]],
  ['government retakes', '2015-04-01', 'Iraqi forces retook the city of Tikrit from Islamic State militants on Tuesday.',
    [{ sub: 'Government regains territory', country: 'Iraq', place: /Tikrit|Salah/, date: '2015-03-31', actor1: /Forces of Iraq/, actor2: /Islamic State/ }]],
  ['protest dispersed', '2022-01-18', 'Police fired tear gas to disperse hundreds of protesters in Khartoum on Sunday.',
    [{ sub: 'Protest with intervention', country: 'Sudan', place: /Khartoum/, date: '2022-01-16', actor1: /^Protesters \(Sudan\)$/, actor2: /Police Forces of Sudan/ }]],
  ['air strike with a toll', '2016-08-13', 'An air strike killed 12 civilians in the city of Taiz on Thursday, medical sources said.',
    [{ sub: 'Air/drone strike', country: 'Yemen', place: /Taiz|Ta'izz|Taizz/, date: '2016-08-11', actor2: /Civilians \(Yemen\)/, fatalities: 12 }]],
  ['two places, one sentence', '2021-08-09', 'Taliban fighters captured Sheberghan and Kunduz on Sunday, officials said.',
    [{ sub: 'Non-state actor overtakes territory', place: /Sh[ei]b[ei]rgh[aā]n/, date: '2021-08-08', actor1: /^Taliban$/ },
     { sub: 'Non-state actor overtakes territory', place: /Kunduz/, date: '2021-08-08', actor1: /^Taliban$/ }]],
  ['districts named in the next sentence', '2021-06-22', 'Taliban fighters captured two districts in Kunduz province on Sunday.\nThe districts are Imam Sahib and Qala-e-Zal.',
    [{ sub: 'Non-state actor overtakes territory', place: /Imam Sahib/, date: '2021-06-20' },
     { sub: 'Non-state actor overtakes territory', place: /Qala/, date: '2021-06-20' }]],
  ['two clauses, two events', '2023-05-10', 'In Lahore, protesters broke into the residence of the corps commander on Tuesday, while in Rawalpindi a crowd forced its way through the main gate of the army headquarters.',
    [{ sub: 'Violent demonstration', place: /Lahore/, date: '2023-05-09', actor1: /^Rioters \(Pakistan\)$/ },
     { sub: 'Violent demonstration', place: /Rawalpindi/, date: '2023-05-09', actor1: /^Rioters \(Pakistan\)$/ }]],
  ['each clause its own trigger, actors and toll', '2023-05-10', 'Russian shelling killed two civilians in Kherson on Tuesday, while Ukrainian forces repelled attacks near Bakhmut.',
    [{ sub: 'Shelling/artillery/missile attack', place: /Kherson/, actor1: /Forces of Russia/, actor2: /^Civilians \(Ukraine\)$/, fatalities: 2 },
     { sub: 'Armed clash', place: /Bakhmut/, actor1: /Forces of Ukraine/ }]],
  ['a clause without a trigger adds no place', '2023-05-10', 'Russian shelling killed two civilians in Kherson on Tuesday, while Ukrainian officials visited Bakhmut.',
    [{ sub: 'Shelling/artillery/missile attack', place: /Kherson/, actor1: /Forces of Russia/, actor2: /^Civilians \(Ukraine\)$/, fatalities: 2 }]],
  ['a group named after a generic noun', '2023-02-08', 'Militiamen from the CODECO group killed 12 civilians in a night raid near Bunia, in Ituri province, on Monday, a local official said.',
    [{ sub: 'Attack', place: /Bunia/, date: '2023-02-06', actor1: /CODECO/, actor2: /Civilians/, fatalities: 12 }]],
  ['a protest that turns violent is one riot', '2023-07-08', 'Police fired tear gas on Friday to disperse hundreds of protesters in central Nairobi. Protesters threw stones and burned tyres in the capital before riot police pushed them back.',
    [{ sub: 'Violent demonstration', place: /Nairobi/, date: '2023-07-07', actor1: /^Rioters \(Kenya\)$/, actor2: /Police Forces of Kenya/ }]],
  ['ACLED notes: the parenthetical qualifies the place', '2023-03-12', 'On 11 March 2023, a landmine exploded under a motorcycle near As Sukhnah (Tadmor, Homs), killing 2 civilians. 2 fatalities.',
    [{ sub: 'Remote explosive/landmine/IED', place: /Sukhnah/, date: '2023-03-11', actor2: /Civilians \(Syria\)/, fatalities: 2 }]],
  ['people seized and killed: an attack, not an abduction nor a capture', '2020-03-27', 'On 25 March 2020, JNIM militants seized a local official in Niafunke (Niafunke, Tombouctou) and killed his driver. 1 fatality.',
    [{ sub: 'Attack', place: /Niafunk/, date: '2020-03-25', actor1: /JNIM/, fatalities: 1 }]],
  ['allies in the action are associated actors', '2023-11-15', 'On 14 November 2023, Malian armed forces (FAMa), supported by Wagner Group fighters, took control of Kidal town (Kidal, Kidal) after the CSP rebel coalition withdrew.',
    [{ sub: 'Government regains territory', place: /Kidal/, date: '2023-11-14', actor1: /Forces of Mali/, actor2: /CSP/, assoc1: /Wagner/ }]],
  ['a dispersal told in the next sentence upgrades the protest', '2022-03-09', 'On 8 March 2022, around 200 women demonstrated in Kabul city (Kabul) to demand the right to work. Taliban fighters fired in the air to disperse them. 0 fatalities.',
    [{ sub: 'Protest with intervention', place: /Kabul/, date: '2022-03-08', actor1: /^Protesters \(Afghanistan\)$/, actor2: /Afghanistan \(2021-\)/, fatalities: 0 }]],
  ['a device no one claims is an unidentified armed group\'s', '2019-07-02', 'On 1 July 2019, a roadside IED targeted a police vehicle in Maidan Shahr (Maidan Shahr, Wardak), killing 2 policemen. 2 fatalities.',
    [{ sub: 'Remote explosive/landmine/IED', date: '2019-07-01', actor1: /^Unidentified Armed Group \(Afghanistan\)$/, actor2: /Police Forces of Afghanistan/, fatalities: 2 }]],
  ['a place named as a reference point', '2020-03-03', 'Fighting broke out in Maidan Shar, 40 km south-west of Kabul, on Monday between Taliban fighters and security forces.',
    [{ sub: 'Armed clash', place: /Ma[iy]dan Shahr?|Maidan Shar/, date: '2020-03-02' }]],
];

for (const [name, published, text, wants] of cases) {
  test(`extract: ${name}`, () => {
    const events = extract(text, published);
    assert.equal(events.length, wants.length, JSON.stringify(events.map((e) => [e.sub_event_type, e.location, e.admin1, e.event_date])));
    for (const w of wants) {
      const e = events.find((x) => x.sub_event_type === w.sub && (!w.place || w.place.test(`${x.location} ${x.admin2} ${x.admin1}`)));
      assert.ok(e, `${w.sub} at ${w.place}: got ${JSON.stringify(events.map((x) => [x.sub_event_type, x.location, x.admin2, x.admin1]))}`);
      if (w.country) assert.equal(e.country, w.country);
      if (w.date) assert.equal(e.event_date, w.date);
      if (w.actor1) assert.match(e.actor1, w.actor1);
      if (w.actor2) assert.match(e.actor2, w.actor2);
      if (w.fatalities !== undefined) assert.equal(e.fatalities, w.fatalities);
      if (w.assoc1) assert.match(e.assoc_actor_1, w.assoc1);
      for (const ev of e.evidence) assert.equal(text.slice(ev.start, ev.end), ev.text);
    }
  });
}

const nonEvents: [string, string][] = [
  ['Government troops are preparing to retake the town of Gao next week.', 'intent'],
  ['The army has not yet recaptured the town of Gao.', 'negation'],
  ['The militia is moving toward Kunduz and will clear the province soon.', 'movement and future'],
  ['Could the rebels seize Goma before the talks?', 'question'],
  ['Sporadic clashes continue to be reported in Taiz and Marib.', 'habitual'],
  ['Rebels took control of the country after years of war.', 'no place below the country'],
];

for (const [text, why] of nonEvents) {
  test(`extract: no event (${why})`, () => {
    assert.deepEqual(extract(text, '2020-03-03').map((e) => [e.sub_event_type, e.location]), []);
  });
}

test('a user rules directory extends the built-in rules and is named in the rule', () => {
  const dir = makeTempDir('sitrep-rules-');
  fs.mkdirSync(path.join(dir, 'events'));
  fs.writeFileSync(path.join(dir, 'events', 'predicates.tsv'), 'tussle\tfight\t-\ta word this user\'s sources use\n');
  const text = 'Rebels tussled with soldiers in Goma on Monday.';
  assert.deepEqual(extract(text, '2020-03-03'), [], 'the built-in rules do not know "tussled"');
  const custom = loadResources(loadConfig({}, [dir]));
  const events = extract(text, '2020-03-03', custom);
  assert.equal(events.length, 1);
  assert.equal(events[0]!.sub_event_type, 'Armed clash');
  assert.match(events[0]!.rule, new RegExp(`^${path.basename(dir)}/events/predicates\\.tsv:1 \\+ rules/events/decide\\.tsv:\\d+$`));
});

test('a currency, an embassy or a national names no country for the report', () => {
  const [e] = extract('On 28 April 2020, protesters against the high US dollar exchange rate blocked the main road in Beirut.', '2020-04-29');
  assert.equal(e?.country, 'Lebanon');
  assert.equal(e?.actor1, 'Protesters (Lebanon)');
});


test('a mission named in a report says its country: the OSCE SMM observes in Ukraine', () => {
  const [e] = extract('On 28 April 2020, the OSCE SMM observed a total of 3 explosions involving unknown weapons near Berezove.', '2020-04-29');
  assert.equal(e?.country, 'Ukraine');
  assert.equal(e?.sub_event_type, 'Shelling/artillery/missile attack');
});

test('a report whose places the gazetteer does not know keeps its events in its country, without a point', () => {
  const [e, more] = extract('On 28 April 2020, the OSCE SMM observed a total of 138 explosions involving unknown weapons near Kruta Balka.', '2020-04-29');
  assert.equal(more, undefined);
  assert.equal(e?.country, 'Ukraine');
  assert.equal(e?.geo_precision, 3);
  assert.equal(e?.latitude, null);
  assert.equal(e?.longitude, null);
  assert.equal(e?.event_date, '2020-04-28');
  assert.ok(e?.evidence.every((x) => x.end > x.start), 'no empty evidence for the country');
  // A report that places an event in a known town does not add the country-wide one.
  const placed = extract('On 28 April 2020, shelling was reported near Kruta Balka. Later that day, shelling hit Donetsk city.', '2020-04-29');
  assert.deepEqual(placed.map((x) => x.location), ['Donetsk']);
});

test('a landmark votes for the report\'s country though it is not where the event was: "north of Raqqa province" is Syria', () => {
  const [e] = extract('On 7 May 2020, Turkish forces shelled with artillery a position on the M4 road, north of Raqqa province. Neither injuries nor fatalities were reported.', '2020-05-08');
  assert.equal(e?.country, 'Syria');
});

test('fire across a front: heavy weapons alone are shelling, with small arms a clash, and the target follows the list of what was fired', () => {
  const heavy = extract('On 30 April 2020, the NAF rebel forces fired grenade launchers and heavy machine guns at the governmental positions near Taramchuk, Donetsk.', '2020-05-01');
  assert.equal(heavy[0]?.sub_event_type, 'Shelling/artillery/missile attack');
  const [mixed] = extract("On 28 April 2020, the Ukrainian Forces fired anti-aircraft guns, grenade launchers, heavy machine guns and small arms at the positions of the Donbass People's Militia in the area of Zhabichevo, Donetsk.", '2020-04-29');
  assert.equal(mixed?.sub_event_type, 'Armed clash');
  assert.equal(mixed?.actor2, 'NAF: United Armed Forces of Novorossiya');
  // Heavy machine guns by calibre ("14.5mm", "12.7mm") fired at an area are shelling too.
  const [calibre] = extract('On 3 May 2020, pro-Houthi forces reportedly fired 14.5mm, 12.7mm and 7.62mm machine guns east of Salah Complex in the north of Hodeidah Red Sea port city (Al Hali, Al Hudaydah).', '2020-05-04');
  assert.equal(calibre?.sub_event_type, 'Shelling/artillery/missile attack');
});

test('protesters arrested in the next sentence "by the special purpose police" are the protest\'s intervention', () => {
  const [e] = extract('On 7 May 2020, around 40 people protested in Gomel against the arrest of a blogger the previous day. Around 20 people, including two journalists, were arrested by the special purpose police.', '2020-05-08');
  assert.equal(e?.sub_event_type, 'Protest with intervention');
});

test('a procession taken out or a human chain is a protest', () => {
  const [e] = extract('On 1 May 2020, activists of Socialist Party and CPB took out a procession and formed a human chain in Barisal city (Barisal) to observe the labor day.', '2020-05-02');
  assert.equal(e?.sub_event_type, 'Peaceful protest');
  assert.equal(e?.country, 'Bangladesh');
});

test('a place named before a noun after "in" says where, not whom ("found dead in Nova Primavera neighborhood")', () => {
  const [e] = extract('Around 27 April 2020, in Timoteo, Minas Gerais, a drug trafficker was found dead in Nova Primavera neighborhood.', '2020-04-28');
  assert.notEqual(e?.actor2, 'Civilians (Brazil)');
  assert.equal(e?.sub_event_type, 'Armed clash');
});

test('forces harmed at home or off duty are civilians (codebook §1 VAC); a doubt about it is not the fact', () => {
  const [home] = extract('On 7 May 2020, Al shabaab militants shot and killed a security forces personnel (military) who was sitting in front of his house, at Asluubta village in Mogadishu.', '2020-05-08');
  assert.equal(home?.sub_event_type, 'Attack');
  assert.equal(home?.actor2, 'Civilians (Somalia)');
  const [doubt] = extract('On 6 May 2020, 1 policeman was shot and killed by Taliban militants while shopping [not clear from the source if he was off-duty] in PD1 of Lashkargah city, Helmand.', '2020-05-07');
  assert.equal(doubt?.sub_event_type, 'Armed clash');
});

test('civilians killed "in the attack" with no one else named are the victims of an attack on a place', () => {
  const [e, more] = extract('On 30 April 2020, Islamic militants attacked Rio Atari, 10 Kms from Arimba (Quiddanga, Cabo Delgado). Two civilians were killed in the attack.', '2020-05-01');
  assert.equal(more, undefined);
  assert.equal(e?.sub_event_type, 'Attack');
  assert.equal(e?.actor2, 'Civilians (Mozambique)');
  assert.equal(e?.fatalities, 2);
});

test('at a protest, those the police take, or "they", are its protesters; "he was arrested" tells of the man it is about', () => {
  const [taken] = extract("On 28 April 2020, 20 youths demonstrated at the RDC's office in Luwero (Luwero district). Police arrested 2, and the remaining demonstrators fled.", '2020-04-29');
  assert.equal(taken?.sub_event_type, 'Protest with intervention');
  const [they] = extract('On 1 May 2020, at least 12 workers staged a demonstration to mark Labor Day in Rodriguez, Rizal. They were arrested for supposedly violating quarantine measures.', '2020-05-02');
  assert.equal(they?.sub_event_type, 'Protest with intervention');
  const [topic] = extract('On 28 April 2020, journalists held a protest in Faisalabad city (Faisalabad, Punjab), against the arrest of their editor. He was arrested in connection with an accountability case.', '2020-04-29');
  assert.equal(topic?.sub_event_type, 'Peaceful protest');
});

test('a theatre names its provinces: an SMM report\'s village is the one in Donbas, and a namesake elsewhere leaves the event unlocated', () => {
  const [donbas] = extract('On 4 May 2020, the OSCE SMM observed a total of 1 explosions involving unknown weapons near Pervomaisk.', '2020-05-05');
  assert.equal(donbas?.admin1, 'Luhansk');
  const [far] = extract('On 1 May 2020, the OSCE SMM observed a total of 12 explosions involving unknown weapons near Lozove.', '2020-05-02');
  assert.equal(far?.country, 'Ukraine');
  assert.equal(far?.latitude, null);
});

test('countries only guessed from who acts let a unit just across the border stand: ISGS in Burkina Faso\'s Seno province', () => {
  const [e] = extract('On 29 May 2020, presumed ISGS militants abducted a man in the village of Bambofa (Dori, Seno).', '2020-05-30');
  assert.equal(e?.country, 'Burkina Faso');
  // A unit of the same name far from the actors' home is no such evidence.
  const [far] = extract('On 3 May 2020, the PMF repelled an IS attack in the Jurf Nasr (Nahiyat Jurf as Sakhr) in Babylon province.', '2020-05-04');
  assert.notEqual(far?.country, 'United States');
});

test("a perpetrator's outlet giving another figure in parentheses is not where the toll comes from", () => {
  const text = "On 19 March 2020, 3 policemen (2 according to Taliban sources) including a commander were killed following an attack by Taliban militants in the 'Sultan Miraga' area outside of Farah city center. (VoJ reported 2 fatalities).";
  const { value: doc } = readDocument(text, { published: '2020-03-20', source: 'Voice of Jihad' });
  const [e] = extractDoc(doc, res, { published: '2020-03-20', source: 'Voice of Jihad' }).value;
  assert.equal(e?.fatalities, 3);
  // The outlet's own figure, with no other source, stays a claim (0).
  const own = readDocument('On 9 March 2020, Taliban militants shot and killed 1 Afghan soldier in Maidan Shar district, Wardak. (VoJ reported 1).', { published: '2020-03-10', source: 'Voice of Jihad' }).value;
  assert.equal(extractDoc(own, res, { published: '2020-03-10', source: 'Voice of Jihad' }).value[0]?.fatalities, 0);
});

test('a victim named by trade is a civilian, and a hyphenated word stays inside the by-phrase of the agent', () => {
  const [e] = extract('On 5 May 2020, a radio reporter was shot dead by unidentified motorcycle-riding assailants in Dumaguete, Negros Oriental.', '2020-05-06');
  assert.equal(e?.sub_event_type, 'Attack');
  assert.equal(e?.country, 'Philippines');
  assert.match(e?.actor2 ?? '', /^Civilians/);
});

test('forces dispersing or detaining protesters in the next sentence make it one protest with intervention', () => {
  const events = extract('On 1 May 2020, in San Antonio, Valparaiso, at least 40 workers marched on the streets of the city on Labor Day. Police dispersed the group and arrested 12 people.', '2020-05-02');
  assert.deepEqual(events.map((e) => e.sub_event_type), ['Protest with intervention']);
  const [shots] = extract('On 29 April 2020, in Huancayo, Junin, prisoners staged a demonstration to demand sanitary control in the prison. Police officers intervened and shot to the air to regain control in the prison.', '2020-04-30');
  assert.equal(shots?.sub_event_type, 'Protest with intervention');
});

test('an attack thwarted is fought off; a bomb attack thwarted is a device stopped', () => {
  assert.equal(extract('On 2 May 2020, southern forces thwarted a Houthi incursion in Qaatabah, Ad Dali.', '2020-05-03')[0]?.sub_event_type, 'Armed clash');
  assert.equal(extract('On 2 May 2020, police foiled a suicide attack in Kabul.', '2020-05-03')[0]?.sub_event_type, 'Disrupted weapons use');
});

test('a crowd barricading roads with burning tyres demonstrates violently: a riot, not mob violence', () => {
  assert.equal(extract('On 6 May 2020, residents burned tires and barricaded roads in several areas of Bamako.', '2020-05-07')[0]?.sub_event_type, 'Violent demonstration');
});

test('after "and", a name right before the act is its own subject: the police who arrest after an attack are no side of it', () => {
  const [e, ...rest] = extract('On 6 May 2020, in Hermosillo, Sonora, several armed men attacked a man in Colonia Mision del Sol. The victim died and police officers arrested four of the perpetrators.', '2020-05-07');
  assert.equal(rest.length, 0);
  assert.equal(e?.sub_event_type, 'Attack');
  assert.match(e?.actor2 ?? '', /^Civilians \(Mexico\)/);
});

test('a fight with sticks, axes or stones that names no armed organisation is mob violence; one between named armed groups stays a clash', () => {
  const [mob] = extract('On 3 May 2020, a clash took place between two groups of a community in Hingorja town (Khairpur, Sindh), attacking each other with axes and sticks.', '2020-05-04');
  assert.equal(mob?.sub_event_type, 'Mob violence');
  const [clash] = extract('On 3 May 2020, Taliban militants clashed with Afghan forces in Nad Ali district, Helmand.', '2020-05-04');
  assert.equal(clash?.sub_event_type, 'Armed clash');
});

test('violence a protest is about, told in the passive or as a noun, is its topic: the protest stays peaceful', () => {
  for (const text of [
    'On 5 May 2020, journalists held a protest demonstration in Kotdiji town (Khairpur, Sindh), against an attack on senior journalist, demanding higher authorities to arrest the culprits.',
    'On 27 April 2020, farmers protested outside the deputy commissioner office in Swabi city (Swabi, Khyber Pakhtunkhwa), demanding financial assistance after their crops were destroyed by locusts.',
  ]) assert.deepEqual(extract(text, '2020-05-06').map((e) => e.sub_event_type), ['Peaceful protest'], text);
  // Protesters beaten (passive, the crowd harmed) still make an intervention, not a topic.
  const [beaten] = extract('On 5 May 2020, hundreds of protesters gathered in Karachi and were beaten by police.', '2020-05-06');
  assert.notEqual(beaten?.sub_event_type, 'Peaceful protest');
});

test('a drug dealer shot dead is a member of an armed group: a clash with a gang, not an attack on a civilian', () => {
  const [e] = extract('On 2 May 2020, in Ixtapaluca, Mexico, an alleged drug dealer was shot dead by several armed individuals.', '2020-05-03');
  assert.equal(e?.sub_event_type, 'Armed clash');
  const [op] = extract('On 8 May 2020, in Sao Goncalo, Rio de Janeiro, the Military Police carried out an operation against drug trafficking by the CV (Red Command). Two suspects were killed.', '2020-05-09');
  assert.equal(op?.sub_event_type, 'Armed clash');
  assert.equal(op?.actor2, 'CV: Red Command');
});

test('gunmen shooting at a house or a shop attack the people in it; a colonia is a neighbourhood of the town named, not a town elsewhere', () => {
  const events = extract('On 9 May 2020, in Leon, Guanajuato, armed men shot at a house in Colonia San Francisco. Both victims died at the scene.', '2020-05-10');
  assert.equal(events.length, 1);
  assert.equal(events[0]?.sub_event_type, 'Attack');
  assert.equal(events[0]?.admin1, 'Guanajuato');
  assert.equal(events[0]?.fatalities, 2);
});

test('forces harmed off duty, retired or former are civilians (codebook §1 VAC): an attack, not a clash', () => {
  const [e] = extract('On 5 May 2020, Al Shabaab militants shot and killed an off-duty police officer in Mogadishu.', '2020-05-06');
  assert.equal(e?.sub_event_type, 'Attack');
  const [duty] = extract('On 5 May 2020, Al Shabaab militants shot and killed a police officer in Mogadishu.', '2020-05-06');
  assert.equal(duty?.sub_event_type, 'Armed clash');
});

test('a town written like its province stands for the province beside a place inside it; with a cue word it stays the town', () => {
  const one = extract('On 6 May 2020, an IED planted in a military vehicle exploded in Sharan town in Aleppo countryside.', '2020-05-07');
  assert.deepEqual(one.map((e) => e.location), ['Sharān']);
  const two = extract('On 6 May 2020, Taliban militants attacked checkpoints in Kunduz city and in Khan Abad district, Kunduz.', '2020-05-07');
  assert.equal(two.length, 2);
});

test('one name is one place in a report: a later bare mention is the town first named with its state', () => {
  const events = extract('As reported on 28 April 2020, in El Salto, Jalisco, police officers clashed with armed individuals. The clash could be connected to the kidnapping of a former councilman of El Salto.', '2020-04-29');
  assert.deepEqual([...new Set(events.map((e) => e.admin1))], ['Jalisco']);
});

test('a town the gazetteer lacks, qualified by its units in parentheses, is taken as the last unit known', () => {
  const [e] = extract('On 15 January 2024, the Arakan Army (AA) said it had taken full control of Paletwa town (Paletwa, Chin), after weeks of fighting with junta troops.', '2024-01-16');
  assert.equal(e?.sub_event_type, 'Non-state actor overtakes territory');
  assert.equal(e?.admin1, 'Chin');
});

test('a weapon the act was done to is its target, not its means: a tank destroyed is a clash, tank fire is shelling', () => {
  assert.equal(extract('On 9 March 2020, Taliban militants attacked and destroyed an Afghan military tank, in Charbolak district, Balkh.', '2020-03-10')[0]?.sub_event_type, 'Armed clash');
  assert.equal(extract('On 9 March 2020, Taliban militants attacked a checkpoint with tank fire in Charbolak district, Balkh.', '2020-03-10')[0]?.sub_event_type, 'Shelling/artillery/missile attack');
});

test('state forces seizing drugs, with arrests, is a seizure of property, not an abduction', () => {
  const [e] = extract('On 5 May 2020, in Guaira, Parana, federal police forces seized about a ton of marijuana hidden in a truck during a highway inspection. A man was arrested.', '2020-05-06');
  assert.equal(e?.sub_event_type, 'Looting/property destruction');
});

test('banging pots and pans, or agitating against something, is a demonstration: with tyres burned, a violent one', () => {
  assert.equal(extract('On 4 May 2020, in Barinas, Barinas state, residents burned tires and banged pots and pans to reject constant electric power shutdowns.', '2020-05-05')[0]?.sub_event_type, 'Violent demonstration');
  assert.equal(extract('On 4 May 2020, in Barinas, Barinas state, residents banged pots and pans against power cuts.', '2020-05-05')[0]?.sub_event_type, 'Peaceful protest');
});
