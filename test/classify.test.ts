// Table-driven cases for the trigger and modality rules (rules/events/*.tsv).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../src/config.js';
import { classify, loadEventRules } from '../src/extract/classify.js';

const rules = loadEventRules(loadConfig());
const facts = { crowd: true, place: () => true, anyplace: true, civilians: true, armed: true };

function top(sentence: string, f: Parameters<typeof classify>[3] = facts): string | null {
  const r = classify(rules, sentence, { start: 0, end: sentence.length, text: sentence }, f).value;
  return r.triggers[0] ? String(r.triggers[0].rule.decides) : null;
}

const positives: [string, string, Parameters<typeof classify>[3]?][] = [
  ['Taliban fighters seized the northern city of Kunduz on Sunday.', '@territory'],
  ['Afghan government forces retook the centre of Kunduz on Thursday.', '@territory'],
  ['Herat fell to the Taliban late on Thursday.', '@territory'],
  ['The town was handed over to the insurgents without a shot fired.', 'Non-violent transfer of territory'],
  ['A US drone strike in Nangarhar province killed two militants.', 'Air/drone strike'],
  ['Several rockets were fired at the airport early on Monday.', 'Shelling/artillery/missile attack'],
  ['Russian cruise missiles struck the centre of the city.', 'Shelling/artillery/missile attack'],
  ['A roadside bomb hit a police vehicle in Lashkar Gah.', 'Remote explosive/landmine/IED'],
  ['A suicide bomber detonated his vest at a checkpoint, killing 12.', 'Suicide bomb'],
  ['A militant threw a grenade into the bus stand.', 'Grenade'],
  ['A government helicopter dropped a barrel bomb filled with chlorine gas.', 'Chemical weapon'],
  ['Security forces destroyed the IED in a controlled explosion.', 'Disrupted weapons use'],
  ['Security forces shot dead at least 25 protesters in the city.', 'Excessive force against protesters'],
  ['Police fired tear gas to disperse the protesters.', 'Protest with intervention'],
  ['Thousands of people marched through Yangon on Sunday.', 'Peaceful protest'],
  ['Protesters stormed the consulate and set the building on fire.', 'Violent demonstration'],
  ['A mob beat a woman to death near the shrine.', 'Mob violence'],
  ['Gunmen killed 13 villagers in the village of Kahor.', 'Attack', { ...facts, crowd: false }],
  ['Armed men abducted 60 women near the town.', 'Abduction/forced disappearance'],
  ['Women and girls were raped on the road to the camp.', 'Sexual violence'],
  ['Rebels clashed with the army near Goma on Tuesday.', 'Armed clash'],
  ['Paramilitary Rangers arrested the former prime minister.', 'Arrests'],
  ['The government and the rebels signed a peace agreement in Cartagena.', 'Agreement'],
  ['Turkey opened a military training base on the outskirts of Mogadishu.', 'Headquarters or base established'],
  ['Fighters looted shops and homes in Afrin.', 'Looting/property destruction'],
  ['Officials reported the discovery of a mass grave near Izium.', 'Other'],
];

test('triggers: the best rule of each sentence decides its type', () => {
  for (const [s, want, f] of positives) assert.equal(top(s, f), want, s);
});

const negatives: string[] = [
  'The anti-Taliban force is moving toward the district and will clear the province soon.',
  'The group is preparing to retake these districts.',
  'Officials said commando units would be sent to recapture both cities.',
  'The Taliban has not yet attempted to enter the valley.',
  'The framework for the new government is expected to be announced soon.',
  'The Security Council will meet next week to discuss the situation.',
  'Sporadic clashes continue to be reported along the border.',
  'Could the rebels seize the capital?',
  'Militants had planned to ram the car into a convoy.',
  'There were no clashes in the city on Friday.',
];

test('modality: intent, future, negation, questions and habits are not events', () => {
  for (const s of negatives) assert.equal(top(s), null, s);
});

test('conditions: a riot needs a crowd, territory needs a place, an attack needs unarmed victims', () => {
  const none = { crowd: false, place: () => false, anyplace: false, civilians: false, armed: true };
  assert.equal(top('Fighters stormed the consulate and smashed windows.', none), null);
  assert.equal(top('Taliban fighters seized the weapons.', none), null);
  assert.equal(top('Gunmen killed the villagers.', none), null);
});

test('conditions are read only when a rule with a match needs them', () => {
  const asked: string[] = [];
  const lazy = (sentence: string) => {
    asked.length = 0;
    const f = {
      ...facts,
      get crowd() {
        asked.push('crowd');
        return false;
      },
      get civilians() {
        asked.push('civilians');
        return true;
      },
    };
    return top(sentence, f);
  };
  assert.equal(lazy('The weather was mild in the capital.'), null);
  assert.equal(asked.length, 0);
  assert.equal(lazy('Gunmen killed the villagers.'), 'Attack');
  assert.ok(asked.includes('civilians'), 'an attack asks for civilians');
  assert.equal(lazy('Protesters stormed the consulate and smashed windows.'), 'Peaceful protest');
  assert.ok(asked.includes('crowd'), 'a riot asks for a crowd');
});

test('modality cues in one clause do not cancel the next clause', () => {
  assert.equal(top('The army said it would not negotiate, but rebels seized the town on Monday.'), '@territory');
});

test('a cue in a relative clause does not cancel the main verb', () => {
  assert.equal(top('Supporters who tried to approach the palace were scattered by warning shots.'), 'Protest with intervention');
  assert.equal(top('The group is preparing to retake the town.'), null);
});

test('dates are not triggers: "5 March in Kabul" holds no march', () => {
  const text = 'On 5 March in Kabul, officials met.';
  const date = { start: 3, end: 10, text: '5 March' };
  assert.equal(top(text, { ...facts, masks: [date] }), null);
  assert.equal(top(text), 'Peaceful protest', 'without the date mask the month reads as a march');
});

test('every trigger rule carries its file and line', () => {
  for (const t of rules.triggers) assert.match(t.where, /^rules\/events\/triggers\.tsv:\d+$/);
});
