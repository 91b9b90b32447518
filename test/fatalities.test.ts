import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { loadConfig } from '../src/config.js';
import { findFatalities as findWith, loadFatalityRules, parseNumber as parseWith } from '../src/extract/fatalities.js';

const rules = loadFatalityRules(loadConfig());
const findFatalities = (text: string, sentence: Parameters<typeof findWith>[2]) => findWith(rules, text, sentence);
const parseNumber = (raw: string) => parseWith(rules, raw);

const whole = (t: string) => ({ start: 0, end: t.length, text: t });
const fat = (t: string) => findFatalities(t, whole(t)).value.map((m) => `${m.kind}:${m.count}`);

const cases: [string, string[]][] = [
  ['The missile hit the station, killing at least 50, including five children.', ['killed:50']],
  // One person named in the singular, or both of two, died; a plural or "died down" is no figure.
  ['The man died and the woman was injured.', ['killed:1', 'injured:1']],
  ['Both victims died at the scene.', ['killed:2']],
  ['The victims died in hospital.', []],
  ['The fighting died down by evening.', []],
  ['At least two people were killed and some twenty wounded on Saturday.', ['killed:2', 'injured:20']],
  ['Taliban fighters killed 13 ethnic Hazaras, among them a 17-year-old girl.', ['killed:13']],
  ['The government gave a provisional toll of 134 dead.', ['killed:134']],
  ['The number of people killed in Saturday\'s bombing outside a school in western Kabul has risen to 58.', ['killed:58']],
  ['The minister said that eight people had been killed in the fighting.', ['killed:8']],
  ['Police were accused over the deaths of several protesters.', ['killed:3']],
  ['A drone strike killed two high-profile members of the group.', ['killed:2']],
  ['Two of the ten attackers blew themselves up.', ['killed:10']],
  ['Officials said more than 100 soldiers had been killed or wounded.', ['none:100']],
  ['There were no reports of casualties.', ['none:0']],
  ['No casualties were reported in Najaf.', ['none:0']],
  ['No one was hurt in the blast.', ['none:0']],
  ['There were no Iraqi casualties.', ['none:0']],
  ['There had been heavy casualties on both sides.', ['none:0']],
  ['We inflicted massive casualties to the Taliban.', ['none:0']],
  ['Missiles struck the city, wounding more than 100.', ['injured:100']],
  ['The governor said about 25 people had been wounded.', ['injured:25']],
  ['One of the organisers said she was struck on the head.', ['injured:1']],
  ['134 fatalities.', ['killed:134']],
  ['1 fatality.', ['killed:1']],
  ['0 fatalities.', ['killed:0']],
  ['Fatalities unknown.', ['none:0']],
  ['Fatalities not coded.', ['none:0']],
  ['The conflict killed some 220,000 people.', ['killed:220000']],
  ['Security forces shot dead at least 25 protesters.', ['killed:25']],
  ['More than 200 civilians, most of them ethnic Amhara, were killed.', ['killed:200']],
  ['The group said it had killed dozens of Kenyan soldiers.', ['killed:12']],
  ['Between 10 and 15 people were killed.', ['killed:10']],
  ['10-15 people were killed.', ['killed:10']],
  ['Tens of people died in the attack.', ['killed:10']],
  ['Hundreds more were wounded.', ['injured:100']],
  ['A man was killed in the crossfire.', ['killed:1']],
  ['A mob beat to death a 27-year-old woman.', ['killed:1']],
  ['The blast killed 103 people and wounded 235.', ['killed:103', 'injured:235']],
  ['Twenty-five soldiers died in the ambush.', ['killed:25']],
  ['Russian missiles kill 23 in Vinnytsia', ['killed:23']],
  // not deaths
  ['The state governor said that 333 students remain unaccounted for.', []],
  ['Kenya has offered to send 1,000 police officers.', []],
  ['Over 6,000 fighters have gathered in Panjshir.', []],
  ['The pause could affect up to 9.5 million people.', []],
  ['A 17-year-old girl joined the march.', []],
  ['Several rockets were fired at the airport.', []],
  ['Two gunmen killed a shopkeeper.', ['killed:1']],
  ['Eleven of the dead were members of the former security forces.', []],
  ['The dates and circumstances of the deaths were not established.', []],
  ['On 19 March 2015, a mob of men attacked the shrine.', []],
  ['Thousands had gathered at the toll gate.', []],
  ['The GBU-43 struck caves 10 km from the border.', []],
];

for (const [text, want] of cases) {
  test(`findFatalities: ${text}`, () => {
    assert.deepEqual(fat(text), want);
  });
}

test('findFatalities: offsets point into the document and name the data line', () => {
  const doc = 'Headline\nGunmen killed 12 villagers.';
  const start = doc.indexOf('Gunmen');
  const [m] = findFatalities(doc, { start, end: doc.length, text: doc.slice(start) }).value;
  assert.ok(m);
  assert.equal(doc.slice(m.start, m.end), m.text);
  assert.match(m.rule, /^rules\/fatalities\/triggers\.tsv:\d+$/);
});

const numbers: [string, number | null][] = [
  ['220,000', 220000], ['9.5 million', 9500000], ['twenty-five', 25], ['a dozen', 12], ['two dozen', 24],
  ['tens of thousands', 10000], ['three hundred and fifty', 350], ['several', 3], ['hundreds', 100], ['gunmen', null],
];
for (const [raw, want] of numbers) test(`parseNumber: ${raw}`, () => assert.equal(parseNumber(raw), want));

const dev = '../shared/eval/dev.json';
test('findFatalities on ../shared dev reports: gold figures are among the killed counts', { skip: !fs.existsSync(dev) && 'needs ../shared' }, () => {
  const docs = JSON.parse(fs.readFileSync(dev, 'utf8')).docs as { text: string; events: { fatalities: number | null }[] }[];
  let want = 0;
  let found = 0;
  for (const d of docs) {
    const killed = findFatalities(d.text, whole(d.text)).value.filter((m) => m.kind === 'killed').map((m) => m.count);
    for (const e of d.events) {
      if (e.fatalities === null || e.fatalities === 0) continue;
      want++;
      if (killed.includes(e.fatalities)) found++;
    }
  }
  assert.ok(found / want >= 0.9, `${found}/${want}`);
});

test('findFatalities: a notes total closing an unsplit sentence is the coder\'s total', () => {
  const rule = (t: string) => findFatalities(t, whole(t)).value.filter((m) => m.rule === 'notes-total').map((m) => m.count);
  assert.deepEqual(rule('Six militants were also killed in the fighting. 27 fatalities.'), [27]);
  assert.deepEqual(rule('184 fatalities, including the attacker.'), [184]);
  assert.deepEqual(rule('134 fatalities.'), [134]);
  assert.deepEqual(rule('The attack left 27 fatalities among the guards and many wounded.'), []);
});

test('findFatalities: a parenthetical between a figure and its death word is an aside', () => {
  assert.deepEqual(fat('3 policemen (2 according to Taliban sources) including a commander were killed'), ['killed:3']);
});

test('findFatalities: the figures of one list take the death word of its last', () => {
  assert.deepEqual(fat('1 policeman and 2 civilians were shot and killed by Taliban militants'), ['killed:1', 'killed:2']);
  assert.deepEqual(fat('12 Taliban militants and 3 Arbakis were killed, and 11 Taliban were injured'), ['killed:12', 'killed:3', 'injured:11']);
});

test('findFatalities: one person shot or stabbed to death, found dead, killed as "a" someone, or a body found is one dead', () => {
  assert.deepEqual(fat('a man was shot to death in Renascenca neighborhood by two armed men'), ['killed:1']);
  assert.deepEqual(fat('a drug trafficker was found dead in Nova Primavera neighborhood'), ['killed:1']);
  assert.deepEqual(fat('the dismembered body of a woman was found in a wooded area'), ['killed:1']);
  assert.deepEqual(fat('the body of the operation was found to be sound'), []);
  assert.deepEqual(fat('presumed JNIM militants assassinated a pastor in Morideni'), ['killed:1']);
  assert.deepEqual(fat('militants killed a number of villagers'), ['killed:3']);
});

test('findFatalities: a vague figure is 3, or 10 when the dead are fighters (codebook §4 scale); "killing and injuring" a vague figure still kills', () => {
  assert.deepEqual(fat('militants killed a number of soldiers'), ['killed:10']);
  assert.deepEqual(fat('An unspecified number of LNA soldiers were reportedly killed.'), ['killed:10']);
  assert.deepEqual(fat('the strikes hit the frontlines, killing several pro-Houthi elements'), ['killed:10']);
  assert.deepEqual(fat('An unknown number of people were killed in the attack.'), ['killed:3']);
  assert.deepEqual(fat('killing and injuring an unknown number of LNA soldiers'), ['killed:10']);
  // A figure told for dead and wounded together is no death count (codebook §4).
  assert.deepEqual(fat('killing and injuring 29 soldiers'), ['injured:29']);
  assert.deepEqual(fat('leaving an unknown number of people wounded'), ['injured:3']);
});
