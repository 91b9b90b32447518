import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig, ROOT } from '../src/config.js';
import { loadActorLexicon, findActors, countryName, demonymCountries, type ActorContext } from '../src/extract/actors.js';
import { tempDir as makeTempDir } from './support/tmp.js';

const config = loadConfig({});
const lex = loadActorLexicon(config);

function find(text: string, ctx: ActorContext) {
  return findActors(lex, text, { start: 0, end: text.length, text }, ctx);
}

type Expect = [text: string, name: string, inter: number];
// [sentence, date, report countries, expected mentions in order]
const positives: [string, string | null, string[], Expect[]][] = [
  ['Taliban fighters seized the city after days of fighting with Afghan security forces.', '2021-08-08', ['AF'], [
    ['Taliban fighters', 'Taliban', 2],
    ['Afghan security forces', 'Military Forces of Afghanistan (2004-2021)', 1],
  ]],
  ['Government troops retreated to the airport.', '2021-08-08', ['AF'], [['Government troops', 'Military Forces of Afghanistan (2004-2021)', 1]]],
  ['The Taliban detained two former officials in Herat.', '2022-01-10', ['AF'], [['Taliban', 'Military Forces of Afghanistan (2021-)', 1]]],
  ['NRF fighters ambushed a Taliban convoy in Panjshir.', '2022-05-10', ['AF'], [
    ['NRF fighters', 'NRF: National Resistance Front', 2],
    ['Taliban', 'Military Forces of Afghanistan (2021-)', 1],
  ]],
  ['An IS-K suicide bomber struck a Shia mosque.', '2021-10-08', ['AF'], [['IS-K suicide bomber', 'ISKP: Islamic State (Khorasan Province)', 2]]],
  ['Islamic State claimed the attack on Hazara students.', '2022-09-30', ['AF'], [
    ['Islamic State', 'ISKP: Islamic State (Khorasan Province)', 2],
    ['students', 'Civilians (Afghanistan)', 7],
  ]],
  ['The Taliban stormed the headquarters of the Afghan army\'s 209th Corps.', '2021-08-13', ['AF'], [
    ['Taliban', 'Taliban', 2],
    ['Afghan army', 'Military Forces of Afghanistan (2004-2021)', 1],
  ]],
  ['Fighters seized the army\'s main base.', '2021-08-13', ['AF'], [['army', 'Military Forces of Afghanistan (2004-2021)', 1]]],
  ['Syrian regime forces and Russian warplanes pounded Idlib.', '2020-02-01', ['SY'], [
    ['Syrian regime forces', 'Military Forces of Syria (2000-2024)', 1],
    ['Russian warplanes', 'Military Forces of Russia (2000-)', 8],
  ]],
  ['The Islamic State group attacked SDF positions near Deir ez-Zor.', '2019-03-01', ['SY'], [
    ['Islamic State group', 'Islamic State (Syria)', 2],
    ['SDF', 'QSD: Syrian Democratic Forces', 2],
  ]],
  ['Turkish-backed rebels shelled YPG positions as Turkish drones struck Kobani.', '2019-10-10', ['SY'], [
    ['Turkish-backed rebels', 'SNA: Syrian National Army', 2],
    ['YPG', "YPG: People's Protection Units", 2],
    ['Turkish drones', 'Military Forces of Turkey (2016-)', 8],
  ]],
  ['ISIS militants ambushed Iraqi soldiers in Kirkuk.', '2021-01-10', ['IQ'], [
    ['ISIS militants', 'Islamic State (Iraq)', 2],
    ['Iraqi soldiers', 'Military Forces of Iraq (2020-2022)', 1],
  ]],
  ['A US drone strike killed a senior IRGC commander near Baghdad airport.', '2020-01-03', ['IQ'], [
    ['US drone strike', 'Military Forces of the United States (2017-2021)', 8],
    ['IRGC', 'Military Forces of Iran (1989-) Islamic Revolutionary Guard Corps', 8],
  ]],
  ['Houthi forces fired missiles at Marib.', '2021-02-10', ['YE'], [['Houthi forces', 'Military Forces of Yemen (2017-) Houthi', 1]]],
  ['On 5 May 2020, unidentified gunmen reportedly seized a truck in Ar Rubat area of Tuban district (Lahij).', '2020-05-05', ['YE'], [
    ['unidentified gunmen', 'Unidentified Armed Group (Yemen)', 3],
  ]],
  ['Hezbollah fighters clashed with Israeli troops.', '2024-10-05', ['LB'], [
    ['Hezbollah fighters', 'Hezbollah', 3],
    ['Israeli troops', 'Military Forces of Israel (2022-)', 8],
  ]],
  ['The RSF attacked SAF positions in El Fasher.', '2024-05-10', ['SD'], [
    ['RSF', 'RSF: Rapid Support Forces', 2],
    ['SAF', 'Military Forces of Sudan (2019-)', 1],
  ]],
  ['Al-Shabaab militants attacked an AMISOM base manned by Kenyan troops.', '2020-01-05', ['SO'], [
    ['Al-Shabaab militants', 'Al Shabaab', 2],
    ['AMISOM', 'AMISOM: African Union Mission in Somalia (2007-2022)', 8],
    ['Kenyan troops', 'Military Forces of Kenya (2013-2022)', 8],
  ]],
  ['Boko Haram insurgents and ISWAP fighters attacked Nigerian soldiers in Borno.', '2022-03-01', ['NG'], [
    ['Boko Haram insurgents', 'Boko Haram - Jamatu Ahli is-Sunnah lid-Dawatai wal-Jihad', 2],
    ['ISWAP fighters', 'Islamic State (West Africa)', 2],
    ['Nigerian soldiers', 'Military Forces of Nigeria (2015-2023)', 1],
  ]],
  ['Fulani militia killed 12 villagers; bandits abducted schoolgirls in Zamfara.', '2021-02-26', ['NG'], [
    ['Fulani militia', 'Fulani Ethnic Militia (Nigeria)', 4],
    ['villagers', 'Civilians (Nigeria)', 7],
    ['bandits', 'Unidentified Armed Group (Nigeria)', 3],
    ['schoolgirls', 'Civilians (Nigeria)', 7],
  ]],
  ['JNIM fighters ambushed a FAMa patrol supported by Wagner mercenaries.', '2022-04-01', ['ML'], [
    ['JNIM fighters', "JNIM: Jama'a Nusrat al-Islam wal-Muslimin", 2],
    ['FAMa', 'Military Forces of Mali (2021-)', 1],
    ['Wagner mercenaries', 'Wagner Group', 8],
  ]],
  ['Dan Na Ambassagou militiamen attacked Fulani herders near Bankass.', '2019-03-23', ['ML'], [
    ['Dan Na Ambassagou militiamen', 'Dan Na Ambassagou', 4],
  ]],
  ['Burkinabe soldiers and VDP fighters repelled Ansaroul Islam.', '2023-01-10', ['BF'], [
    ['Burkinabe soldiers', 'Military Forces of Burkina Faso (2022-)', 1],
    ['VDP fighters', 'VDP: Volunteers for the Defense of the Homeland', 3],
    ['Ansaroul Islam', 'Ansaroul Islam', 2],
  ]],
  ['M23 rebels fought the FARDC near Goma while ADF militants killed civilians in Beni.', '2022-11-01', ['CD'], [
    ['M23 rebels', 'M23: March 23 Movement', 2],
    ['FARDC', 'Military Forces of the Democratic Republic of Congo (2019-)', 1],
    ['ADF militants', 'ADF: Allied Democratic Forces', 2],
    ['civilians', 'Civilians (Democratic Republic of Congo)', 7],
  ]],
  ['Insurgents attacked Mocimboa da Praia; Rwandan troops and the FDS retook it.', '2021-08-08', ['MZ'], [
    ['Insurgents', 'Unidentified Armed Group (Mozambique)', 3],
    ['Rwandan troops', 'Military Forces of Rwanda', 8],
    ['FDS', 'Military Forces of Mozambique (1975-)', 1],
  ]],
  ['The Tatmadaw bombed a village held by PDF fighters; Arakan Army troops clashed with junta soldiers.', '2022-02-26', ['MM'], [
    ['Tatmadaw', 'Military Forces of Myanmar (2021-)', 1],
    ['PDF fighters', "PDF: People's Defense Force", 2],
    ['Arakan Army troops', 'Arakan Army', 2],
    ['junta soldiers', 'Military Forces of Myanmar (2021-)', 1],
  ]],
  ['Members of the Kachin Independence Army attacked an outpost.', '2022-02-26', ['MM'], [['Kachin Independence Army', 'KIA: Kachin Independence Army', 2]]],
  ['FARC dissidents killed two soldiers in Cauca.', '2023-05-01', ['CO'], [
    ['FARC dissidents', 'FARC: Revolutionary Armed Forces of Colombia', 2],
    ['soldiers', 'Military Forces of Colombia (2022-)', 1],
  ]],
  ['CJNG gunmen ambushed National Guard officers in Michoacan.', '2023-05-01', ['MX'], [
    ['CJNG gunmen', 'CJNG: Jalisco New Generation Cartel', 3],
    ['National Guard', 'Police Forces of Mexico (2018-2024) National Guard', 1],
  ]],
  ['Rangers and police baton-charged PTI supporters in Lahore.', '2023-05-10', ['PK'], [
    ['Rangers', 'Police Forces of Pakistan (2022-) Rangers', 1],
    ['police', 'Police Forces of Pakistan (2022-)', 1],
    ['PTI', 'PTI: Pakistan Tehreek-i-Insaf', 3],
  ]],
  ['Pakistani Taliban militants attacked a checkpoint; in Kabul the Taliban denied involvement.', '2023-01-10', ['PK', 'AF'], [
    ['Pakistani Taliban militants', 'TTP: Tehrik-i-Taliban Pakistan', 2],
    ['Taliban', 'TTP: Tehrik-i-Taliban Pakistan', 2],
  ]],
  ['A suspected Hizbul Mujahideen militant was killed by CRPF and Rashtriya Rifles personnel.', '2019-02-01', ['IN'], [
    ['Hizbul Mujahideen militant', 'Hizbul Mujahideen', 2],
    ['CRPF', 'Police Forces of India (2014-) Central Reserve Police Force', 1],
    ['Rashtriya Rifles', 'Military Forces of India (2014-) Rashtriya Rifles', 1],
  ]],
  ['Russian shelling hit Kharkiv, killing two civilians.', '2022-03-01', ['UA'], [
    ['Russian shelling', 'Military Forces of Russia (2000-)', 8],
    ['civilians', 'Civilians (Ukraine)', 7],
  ]],
  ['TPLF forces and Eritrean troops fought ENDF units; Fano militia and OLA fighters were also active.', '2021-06-01', ['ET'], [
    ['TPLF forces', "TPLF: Tigray People's Liberation Front", 2],
    ['Eritrean troops', 'Military Forces of Eritrea', 8],
    ['ENDF', 'Military Forces of Ethiopia (2018-2021)', 1],
    ['Fano militia', 'Fano Militia', 4],
    ['OLA fighters', 'OLA: Oromo Liberation Army', 2],
  ]],
  ['Thousands of demonstrators marched; rioters torched cars and an angry mob lynched a man.', '2020-10-20', ['NG'], [
    ['demonstrators', 'Protesters (Nigeria)', 6],
    ['rioters', 'Rioters (Nigeria)', 5],
    ['angry mob', 'Rioters (Nigeria)', 5],
  ]],
  ['Troops from Chad and forces of Niger joined the operation.', '2023-01-10', ['NE'], [
    ['Troops from Chad', 'Military Forces of Chad (2021-)', 8],
    ['forces of Niger', 'Military Forces of Niger (2021-2023)', 1],
  ]],
  // "marched" is no protest cue for the actor stage (captors march people off); the event stage decides marches.
  ['Tens of thousands of people protested in Yangon; police did not move against the crowds.', '2021-02-07', ['MM'], [
    ['people', 'Protesters (Myanmar)', 6],
    ['police', 'Police Forces of Myanmar (2021-)', 1],
    ['crowds', 'Protesters (Myanmar)', 6],
  ]],
  ['Gunmen killed five people and two children in the market.', '2021-02-07', ['NG'], [
    ['Gunmen', 'Unidentified Armed Group (Nigeria)', 3],
    ['people', 'Civilians (Nigeria)', 7],
    ['children', 'Civilians (Nigeria)', 7],
  ]],
  ['President Juan Manuel Santos and FARC commanders signed a peace agreement.', '2016-09-26', ['CO'], [
    ['President', 'Government of Colombia (2010-2018)', 1],
    ['FARC commanders', 'FARC: Revolutionary Armed Forces of Colombia', 2],
  ]],
  ['Forces loyal to commander Dostum withdrew as a government helicopter dropped a barrel bomb.', '2021-08-07', ['AF'], [
    ['Forces loyal to', 'Pro-Government Militia (Afghanistan)', 3],
    ['government helicopter', 'Military Forces of Afghanistan (2004-2021)', 1],
  ]],
  ['The governor of West Darfur was killed.', '2023-06-14', ['SD'], [['governor', 'Civilians (Sudan)', 7]]],
  ['Arab militias attacked Masalit civilians in El Geneina.', '2023-06-15', ['SD'], [
    ['Arab militias', 'Arab Ethnic Militia (Sudan)', 4],
    ['civilians', 'Civilians (Sudan)', 7],
  ]],
];

for (const [sentence, date, countries, expected] of positives) {
  test(`finds actors: ${sentence}`, () => {
    const { value } = find(sentence, { date, countries });
    const got = value.map((m) => [m.text, m.name, m.inter]);
    for (const [text, name, inter] of expected) {
      const m = value.find((v) => v.text === text);
      assert.ok(m, `no mention "${text}" in ${JSON.stringify(got)}`);
      assert.ok(m.name.startsWith(name), `"${text}": ${m.name} should start with ${name}`);
      assert.equal(m.inter, inter, `"${text}" inter`);
      assert.equal(sentence.slice(m.start, m.end), m.text);
      assert.match(m.rule, /^rules\/actors\/\w+\.tsv:\d+$/);
    }
  });
}

// [sentence, report countries, phrase that must not be (part of) an actor]
const negatives: [string, string[], string][] = [
  ['Residents raised the Afghan flag on Independence Day.', ['AF'], 'Afghan flag'],
  ['The UN Security Council condemned the attack.', ['AF'], 'Security Council'],
  ['Protesters gathered outside a police station in Kabul.', ['AF'], 'police station'],
  ['The convoy passed an army base near the city.', ['AF'], 'army base'],
  ['An army spokesman denied the report.', ['SY'], 'army'],
  ['Shelling damaged civilian homes and infrastructure.', ['UA'], 'civilian homes'],
  ['Pro-government forces withdrew.', ['AF'], 'government forces'],
  ['Former soldiers joined the march.', ['CO'], 'soldiers'],
  ['Gunmen in police uniforms stopped the bus.', ['NG'], 'police uniforms'],
  ['Shane Warne visited Kabul with us.', ['AF'], 'Shane'],
  ['Let us know what the Government of Niger said.', ['NG'], 'us'],
  ['The Sudan People\'s Liberation Army signed a deal.', ['SS'], 'Liberation Army'],
  ['Afghan markets reopened after the talks.', ['AF'], 'Afghan'],
  ['Anti-government protesters rallied.', ['SD'], 'government'],
];

for (const [sentence, countries, phrase] of negatives) {
  test(`no actor in: ${sentence}`, () => {
    const { value } = find(sentence, { date: '2021-05-01', countries });
    const at = sentence.indexOf(phrase);
    assert.ok(at >= 0);
    const hit = value.find((m) => m.start < at + phrase.length && at < m.end);
    assert.equal(hit, undefined, `unexpected ${JSON.stringify(hit)}`);
  });
}

test('offsets point into the whole text when the sentence is in the middle', () => {
  const text = 'Heading\n\nIn Kunduz, Taliban fighters attacked police. Other news.';
  const start = text.indexOf('In Kunduz');
  const end = text.indexOf(' Other');
  const { value } = findActors(lex, text, { start, end, text: text.slice(start, end) }, { date: '2021-08-01', countries: ['AF'] });
  assert.deepEqual(value.map((m) => text.slice(m.start, m.end)), ['Taliban fighters', 'police']);
  assert.equal(value[1]!.name, 'Police Forces of Afghanistan (2004-2021)');
});

test('no country context: generic actors lose the parenthesis and warn', () => {
  const { value, warnings } = find('Gunmen killed three civilians.', { date: null, countries: [] });
  assert.deepEqual(value.map((m) => m.name), ['Unidentified Armed Group', 'Civilians']);
  assert.ok(warnings.length >= 2);
});

test('no date: state forces take the current regime period', () => {
  const { value } = find('Soldiers patrolled.', { date: null, countries: ['AF'] });
  assert.equal(value[0]!.name, 'Military Forces of Afghanistan (2021-)');
});

test('countryName and demonymCountries', () => {
  assert.equal(countryName(lex, 'CD'), 'Democratic Republic of Congo');
  assert.equal(countryName(lex, 'ZZ'), null);
  assert.deepEqual(demonymCountries(lex, 'Afghan forces and U.S. troops; the Afghan army. Let us go.'), ['AF', 'US']);
  assert.deepEqual(demonymCountries(lex, 'Congolese soldiers fought near Goma.'), ['CD']);
  assert.deepEqual(demonymCountries(lex, 'Nothing here.'), []);
});

test('a user rules directory adds actors', () => {
  const dir = makeTempDir('sitrep-actors-');
  fs.mkdirSync(path.join(dir, 'actors'));
  fs.writeFileSync(path.join(dir, 'actors', 'named.tsv'), '# test row\nBlue Lions|BLF\tBlue Lions Militia\t3\tNG\t*\t-\t-\ta made-up group\n');
  const userLex = loadActorLexicon({ ...config, userRulesDirs: [dir] });
  const text = 'Blue Lions fighters attacked the village.';
  const { value } = findActors(userLex, text, { start: 0, end: text.length, text }, { date: '2022-01-01', countries: ['NG'] });
  assert.equal(value[0]?.name, 'Blue Lions Militia');
  assert.equal(value[0]?.text, 'Blue Lions fighters');
  assert.match(value[0]!.rule, /actors\/named\.tsv:2$/);
});

test('matching speed is at least 1 MB/s', () => {
  const sample = positives.map((p) => p[0]).join(' ') + '\n';
  const text = sample.repeat(Math.ceil(2_000_000 / sample.length));
  const sentences: [number, number][] = [];
  for (let s = 0; s < text.length; ) {
    const e = text.indexOf('.', s);
    const end = e < 0 ? text.length : e + 1;
    sentences.push([s, end]);
    s = end;
  }
  const t0 = process.hrtime.bigint();
  let n = 0;
  for (const [start, end] of sentences) n += findActors(lex, text, { start, end, text: '' }, { date: '2022-01-01', countries: ['NG'] }).value.length;
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  const mbps = text.length / 1e6 / secs;
  console.log(`actors: ${(text.length / 1e6).toFixed(1)} MB in ${secs.toFixed(2)} s = ${mbps.toFixed(1)} MB/s, ${n} mentions`);
  assert.ok(mbps >= 1, `${mbps.toFixed(2)} MB/s`);
});

// Every "side" of the labelled dev set should be reachable from some mention in its report.
const devPath = path.join(ROOT, '..', 'shared', 'eval', 'dev.json');
test('dev set: sides named in the gold are found as actors', { skip: !fs.existsSync(devPath) && 'needs ../shared' }, () => {
  const dev = JSON.parse(fs.readFileSync(devPath, 'utf8')) as {
    docs: { id: string; published: string; text: string; events: { sides?: string[][]; date?: string }[] }[];
  };
  let sides = 0;
  let found = 0;
  const missed: string[] = [];
  for (const doc of dev.docs) {
    const countries = demonymCountries(lex, doc.text);
    for (const ev of doc.events) {
      const { value } = find(doc.text, { date: ev.date ?? doc.published, countries });
      const names = value.map((m) => `${m.name} ${m.text}`.toLowerCase());
      for (const side of ev.sides ?? []) {
        sides++;
        if (side.some((w) => names.some((n) => n.includes(w.toLowerCase())))) found++;
        else missed.push(`${doc.id}: ${side.join('/')}`);
      }
    }
  }
  console.log(`actors: dev sides found ${found}/${sides}; missed: ${missed.join('; ')}`);
  assert.ok(found / sides >= 0.8, `${found}/${sides}`);
});
