import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { loadConfig } from '../src/config.js';
import { findDates as findWith, findDateline, loadDateRules } from '../src/extract/dates.js';
import { loadFatalityRules } from '../src/extract/fatalities.js';

const rules = loadDateRules(loadConfig(), loadFatalityRules(loadConfig()));
const findDates = (text: string, sentence: { start: number; end: number; text: string }, published: string, anchor?: string | null) => findWith(rules, text, sentence, published, anchor);

const whole = (t: string) => ({ start: 0, end: t.length, text: t });
const dates = (t: string, pub: string, anchor: string | null = null) =>
  findDates(t, whole(t), pub, anchor).value.map((m) => `${m.date}/${m.precision}`);

// published 2021-08-21 Sat, 2022-04-09 Sat, 2019-11-28 Thu, 2023-01-17 Tue
const cases: [string, string, string | null, string[]][] = [
  ['Taliban fighters seized Kunduz on Sunday.', '2021-08-09', null, ['2021-08-08/1']],
  ['Fighting resumed on Sunday.', '2021-08-21', null, ['2021-08-15/1']],
  ['Protests broke out on Saturday.', '2021-08-21', null, ['2021-08-21/1']],
  ['Herat fell to the Taliban late on Thursday.', '2021-08-21', null, ['2021-08-19/1']],
  ['The Taliban celebrated Thursday—August 19, Afghanistan\'s Independence Day.', '2021-08-21', null, ['2021-08-19/1']],
  ['Karzai and Abdullah Saturday met Taliban leaders.', '2021-08-21', null, ['2021-08-21/1']],
  ['A missile struck the station on Friday.', '2022-04-09', null, ['2022-04-08/1']],
  ['Protesters stormed the consulate late on Wednesday.', '2019-11-28', null, ['2019-11-27/1']],
  ['Clashes were reported on Thursday.', '2019-11-28', null, ['2019-11-28/1']],
  ['Gunmen attacked the village on Wednesday.', '2023-01-17', null, ['2023-01-11/1']],
  ['The army took the town last Sunday.', '2021-08-21', null, ['2021-08-15/1']],
  ['Two people were killed yesterday.', '2023-01-17', null, ['2023-01-16/1']],
  ['The convoy was attacked today.', '2023-01-17', null, ['2023-01-17/1']],
  ['Rebels shelled the town last night.', '2022-04-09', null, ['2022-04-08/1']],
  ['Iran fired missiles overnight at two bases.', '2020-01-08', null, ['2020-01-08/1']],
  ['On the morning of 11 April, aircraft bombed a crowd.', '2023-04-12', null, ['2023-04-11/1']],
  ['Fighters killed 13 Hazaras on 30 August.', '2021-10-05', null, ['2021-08-30/1']],
  ['The base was overrun on August 30.', '2021-08-21', null, ['2020-08-30/1']],
  ['Militants attacked on 30 Aug 2021.', '2021-09-02', null, ['2021-08-30/1']],
  ['Reported 2021-08-30 by officials.', '2021-09-02', null, ['2021-08-30/1']],
  ['Clashes on 30/08/2021 left two dead.', '2021-09-02', null, ['2021-08-30/1']],
  ['Clashes on 5/8/2020 left two dead.', '2020-09-02', null, ['2020-08-05/1']],
  ['On 5 May 2020, unidentified gunmen reportedly seized a truck.', '2020-05-10', null, ['2020-05-05/1']],
  ['Teams treated 125 women in the ten days from 19 to 29 November.', '2018-11-30', null, ['2018-11-24/2']],
  ['Fighting intensified from 3 to 5 May 2020.', '2020-06-01', null, ['2020-05-04/2']],
  ['The army seized power last week.', '2021-08-21', null, ['2021-08-18/2']],
  ['The army seized power last week.', '2023-01-17', null, ['2023-01-11/2']],
  ['On Thursday and Friday last week, gunmen abducted 60 women.', '2023-01-17', null, ['2023-01-12/1', '2023-01-13/1']],
  ['The town fell earlier this month.', '2021-08-21', null, ['2021-08-15/3']],
  ['The offensive began in early May.', '2021-08-21', null, ['2021-05-01/3']],
  ['The offensive began in late May.', '2021-08-21', null, ['2021-05-31/3']],
  ['Clashes continued in May.', '2021-08-21', null, ['2021-05-15/3']],
  ['Clashes continued in November.', '2021-08-21', null, ['2020-11-15/3']],
  ['The militia was formed last month.', '2023-01-17', null, ['2022-12-15/3']],
  ['Fighting that began the previous day.', '2022-06-14', '2022-06-13', ['2022-06-12/1']],
  ['The Taliban took Sheberghan, a day after capturing Zaranj.', '2021-08-08', '2021-08-07', ['2021-08-06/1']],
  ['Hours later Taliban fighters entered Kabul.', '2021-08-16', '2021-08-15', ['2021-08-15/1']],
  ['Government forces retook Kunduz, three days after the Taliban overran it.', '2015-10-01', '2015-10-01', ['2015-09-28/1']],
  ['Three people were killed three days ago.', '2023-01-17', null, ['2023-01-14/1']],
  // not event dates
  ['Fighting that began the previous day.', '2022-06-14', null, []],
  ['Anti-Taliban forces retook districts a week after the fall of Kabul.', '2021-08-21', null, []],
  ['The commander led its defence for two weeks.', '2021-08-21', null, []],
  ['It was the third capital to fall in three days.', '2021-08-21', null, []],
  ['Fighters will hand over weapons within six months.', '2021-08-21', null, []],
  ['Aid may run out in the next few weeks.', '2021-08-21', null, []],
  ['Partners expect displacement in the coming weeks.', '2021-08-21', null, []],
  ['The deal ends a 52-year war and half a century of conflict.', '2016-09-27', null, []],
  ['Their biggest victory since 2001.', '2015-10-01', null, []],
  ['The number of attacks rose in 2019.', '2021-08-21', null, []],
  ['A 17-year-old girl was among them.', '2021-08-21', null, []],
  ['The bomb, a GBU-43, struck caves 10 km from the 209th Corps base.', '2017-04-14', null, []],
  ['They celebrated Independence Day.', '2021-08-21', null, []],
  ['The Security Council will meet next week.', '2021-09-15', null, []],
  ['The strike came at 10 am.', '2021-09-15', null, []],
  ['Soldiers left Friday prayers at the base mosque.', '2017-04-22', null, []],
  ['Women joined a march by dozens of people.', '2021-09-05', null, []],
  ['The army now controls the city.', '2019-10-15', null, []],
  ['Fighting is expected on 30 September.', '2021-09-15', null, ['2020-09-30/1']],
];

for (const [text, pub, anchor, want] of cases) {
  test(`findDates: ${text} [${pub}${anchor ? ' anchor ' + anchor : ''}]`, () => {
    assert.deepEqual(dates(text, pub, anchor), want);
  });
}

test('findDates: offsets point into the document and each mention names its rule', () => {
  const doc = 'Title line\nGunmen struck on Thursday, officials said.';
  const start = doc.indexOf('Gunmen');
  const [m] = findDates(doc, { start, end: doc.length, text: doc.slice(start) }, '2019-11-28').value;
  assert.ok(m);
  assert.equal(doc.slice(m.start, m.end), m.text);
  assert.match(m.text, /Thursday/);
  assert.equal(m.rule, 'chrono:weekday');
});

test('findDates: a future date is never returned without an explicit year, and says why', () => {
  const t = 'Colombians will vote next week and the army left on 3 March 2030.';
  const r = findDates(t, whole(t), '2016-09-27');
  assert.deepEqual(r.value.map((m) => m.date), ['2030-03-03']);
  const u = 'Relief arrives a week after the flood.';
  assert.equal(findDates(u, whole(u), '2016-09-27').warnings.length, 1);
});

const datelines: [string, string | null][] = [
  ['NIGERIA: Flash update – school abduction, Katsina State (13 December 2020)\n\nArmed men attacked ...', '2020-12-13'],
  ['Some headline\nPublished: Aug 21, 2021\nBody text on 19 August 2021.', '2021-08-21'],
  ['21 August 2021 | Kabul\nThe Taliban took control on 15 August 2021.', '2021-08-21'],
  ['2021-08-21\nHeadline', '2021-08-21'],
  ['2021-08-21T09:30:00Z\nHeadline', '2021-08-21'],
  ['On 5 May 2020, unidentified gunmen reportedly seized a truck in Tuban district (Lahij). 0 fatalities.', null],
  ['Kunduz falls to the Taliban\nTaliban fighters seized the city on Sunday, 8 August 2021, officials said.', null],
];
for (const [text, want] of datelines) {
  test(`findDateline: ${text.split('\n')[0]}`, () => {
    const d = findDateline(text);
    assert.equal(d?.date ?? null, want);
    if (d) assert.equal(text.slice(d.start, d.end), d.text);
  });
}

const dev = '../shared/eval/dev.json';
test('findDates on ../shared dev reports: each gold event date is among the dates found', { skip: !fs.existsSync(dev) && 'needs ../shared' }, () => {
  const docs = JSON.parse(fs.readFileSync(dev, 'utf8')).docs as { published: string; text: string; events: { date: string }[] }[];
  let want = 0;
  let found = 0;
  for (const d of docs) {
    const got = new Set(findDates(d.text, whole(d.text), d.published).value.map((m) => m.date));
    for (const e of d.events) {
      want++;
      if (got.has(e.date)) found++;
    }
  }
  assert.ok(found / want >= 0.9, `${found}/${want}`);
});
