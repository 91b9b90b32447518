// One contract for every store implementation (embedded PGlite, a PostgreSQL server): the
// same reports in, the same events, merges and control answers out. The reports are short
// texts written for these tests.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../src/config.js';
import { loadControlRules } from '../src/control/claims.js';
import { loadResources } from '../src/extract/index.js';
import type { Resources } from '../src/extract/index.js';
import { acledAdminCodes, acledReport, readAcled } from '../src/ingest/acled.js';
import { loadBoundaries } from '../src/geo/boundaries.js';
import { prepareReport } from '../src/ingest/prepare.js';
import type { Store } from '../src/store/store.js';
import { backends, openStore } from './support/stores.js';

const config = loadConfig();
let res: Resources;
const control = loadControlRules(config);

interface R {
  text: string;
  published: string;
  url?: string;
  source?: string;
}

const prepare = (r: R) => prepareReport({ text: r.text, published: r.published, source: r.source ?? 'Test Wire', url: r.url ?? null, title: null, filename: null }, res, control, r.published).value;

const TAKEN: R = {
  text: 'Taliban fighters seized Arghandab district in Kandahar province on Monday after heavy fighting with government forces, local officials said.',
  published: '2021-06-08',
};
const DENIED: R = {
  text: 'The Afghan army denied claims that Arghandab district in Kandahar province had fallen to the Taliban, saying its troops still held the district centre.',
  published: '2021-06-09',
};
const RETAKEN: R = {
  text: 'Afghan security forces retook Arghandab district in Kandahar province on Thursday, driving out Taliban fighters who had captured it last week, the defence ministry said.',
  published: '2021-06-18',
};
const BLAST: R[] = [
  { text: 'A roadside bomb killed four civilians in Jalalabad city of Nangarhar province on Tuesday, police said.', published: '2021-05-05', source: 'Wire A' },
  {
    text: 'Five people died when an improvised explosive device hit a car in Jalalabad, the capital of Nangarhar, on Tuesday morning, a provincial spokesman told reporters.',
    published: '2021-05-04',
    source: 'Wire B',
  },
  { text: 'An IED blast in the eastern city of Jalalabad left four dead on 4 May, according to local media.', published: '2021-05-06', source: 'Wire C' },
];

const STORY: R = {
  text: [
    'Gunmen attack checkpoint in eastern Afghanistan',
    '',
    'Unidentified gunmen attacked a police checkpoint in Ghani Khel district of Nangarhar province on Saturday night, killing three policemen, police said.',
    'The attackers fled after a gunfight that lasted about an hour, according to the provincial police spokesman.',
    'No group has claimed responsibility for the attack so far. Security has been tightened across the district and roads leading to the provincial capital.',
    'The checkpoint had been attacked twice in the past year, residents told reporters, and they asked the government to send more forces to the area.',
  ].join('\n'),
  published: '2021-05-16',
};

before(() => {
  res = loadResources(config);
});

const arghandab = async (s: Store, asOf: string, knownAt?: string) => (await s.control({ asOf, knownAt, admin1: 'Kandahar' })).find((d) => d.admin2 === 'Arghandab');

for (const backend of backends) {
  describe(`store contract: ${backend.name}`, { skip: backend.skip }, () => {
    let store: Store;
    before(async () => {
      store = await openStore(backend);
    });
    after(async () => {
      await store?.close();
    });

    test('a report is stored with its events; the same report again (or its URL) is known, not doubled', async () => {
      const first = await store.addReport(prepare({ ...BLAST[0]!, url: 'https://example.org/a' }));
      assert.equal(first.status, 'new');
      assert.equal(first.eventsAdded, 1);
      const again = await store.addReport(prepare({ ...BLAST[0]!, text: `  ${BLAST[0]!.text.toUpperCase()}\n` }));
      assert.equal(again.status, 'known', 'case and spacing do not make a report new');
      const sameUrl = await store.addReport(prepare({ ...BLAST[1]!, url: 'https://example.org/a' }));
      assert.equal(sameUrl.status, 'known');
      assert.deepEqual(await store.counts(), { reports: 1, events: 1, sources: 1, claims: 0, districts: 0 });
    });

    test('three differently worded reports of one bombing become one event with three sources and the lowest toll', async () => {
      await store.addReport(prepare(BLAST[1]!));
      await store.addReport(prepare(BLAST[2]!));
      const { events } = await store.events({ admin1: 'Nangarhar' });
      assert.equal(events.length, 1);
      const e = events[0]!;
      assert.equal(e.sources_count, 3);
      assert.equal(e.fatalities, 4, 'codebook: the most conservative credible figure');
      assert.equal(e.first_known, '2021-05-04', 'known from the earliest report');
      const detail = await store.event(e.event_id);
      assert.deepEqual(detail?.sources.map((s) => s.source).sort(), ['Wire A', 'Wire B', 'Wire C']);
      assert.deepEqual(detail?.sources.map((s) => s.fatalities).sort(), [4, 4, 5], 'each source keeps its own figure');
      for (const s of detail!.sources) assert.ok(s.evidence.length > 0, 'each source keeps its own evidence');
    });

    test('a republished story with small edits is linked to the first as a near-duplicate', async () => {
      const first = await store.addReport(prepare(STORY));
      const edited = { ...STORY, text: STORY.text.replace('police said', 'police officials said').replace('Ghani Khel', 'Ghanikhel'), source: 'Other Wire' };
      const r = await store.addReport(prepare(edited));
      assert.equal(r.status, 'new');
      assert.equal(r.nearDuplicateOf, first.reportId, 'linked to the first report');
      assert.equal(r.eventsMerged, first.eventsAdded, 'and its events are the same events');
      const unrelated = await store.addReport(prepare(TAKEN));
      assert.equal(unrelated.nearDuplicateOf, null);
    });

    test('a district taken, then denied by the other side, is contested; retaken later, it changes hands', async () => {
      assert.equal((await arghandab(store, '2021-06-08'))?.status, 'controlled');
      assert.match((await arghandab(store, '2021-06-08'))?.controller ?? '', /Taliban/);
      await store.addReport(prepare(DENIED));
      const denied = await arghandab(store, '2021-06-10');
      assert.equal(denied?.status, 'contested');
      assert.match(denied?.controller ?? '', /Taliban/);
      assert.equal(denied?.since, '2021-06-07');
      assert.ok(denied!.evidence.some((c) => c.certainty === 'denied'));
      await store.addReport(prepare(RETAKEN));
      const back = await arghandab(store, '2021-06-20');
      assert.match(back?.controller ?? '', /Military Forces of Afghanistan/);
      assert.equal(back?.since, '2021-06-17');
      assert.equal((await arghandab(store, '2021-06-05'))?.status, 'unknown', 'before any claim');
    });

    test('known-at answers with only what had been reported by then', async () => {
      const then = await arghandab(store, '2021-06-20', '2021-06-10');
      assert.match(then?.controller ?? '', /Taliban/, 'the retaking was reported on 18 June');
      const now = await arghandab(store, '2021-06-20', '2021-06-18');
      assert.match(now?.controller ?? '', /Military Forces/);
    });

    test('the timeline lists every claim about a district, oldest first', async () => {
      const t = await store.timeline('Arghandab');
      assert.equal(t.district?.code, 'AF2702');
      assert.deepEqual(
        t.claims.map((c) => c.valid_from),
        [...t.claims.map((c) => c.valid_from)].sort(),
      );
      assert.ok(t.claims.length >= 3);
      assert.equal((await store.timeline('Nowhere')).district, null);
    });

    test('a baseline gives initial control that reports then amend', async () => {
      await store.addBaseline([
        { district: { code: 'AF2702', country: 'Afghanistan', admin1: 'Kandahar', admin1_code: 'AF27', admin2: 'Arghandab' }, controller: 'Islamic State', since: '2021-01-01', reason: 'test baseline' },
        { district: { code: 'AF2703', country: 'Afghanistan', admin1: 'Kandahar', admin1_code: 'AF27', admin2: 'Daman' }, controller: 'Taliban', since: '2021-01-01', reason: 'test baseline' },
      ]);
      assert.equal((await arghandab(store, '2021-03-01'))?.controller, 'Islamic State');
      assert.match((await arghandab(store, '2021-06-20'))?.controller ?? '', /Military Forces/, 'reports amend the baseline');
      const daman = (await store.control({ asOf: '2021-06-20', admin1: 'Kandahar' })).find((d) => d.admin2 === 'Daman');
      assert.deepEqual([daman?.controller, daman?.status, daman?.since], ['Taliban', 'controlled', '2021-01-01']);
      assert.equal((await arghandab(store, '2020-12-31'))?.status, 'unknown');
    });

    test('a long hold, told many times, keeps the date it began', async () => {
      const d = { code: 'AF2704', country: 'Afghanistan', admin1: 'Kandahar', admin1_code: 'AF27', admin2: 'Panjwayi' };
      const dates = Array.from({ length: 20 }, (_, i) => `2021-02-${String(i + 1).padStart(2, '0')}`);
      await store.addBaseline([{ district: d, controller: 'Military Forces', since: '2021-01-10', reason: 'test' }]);
      await store.addBaseline(dates.map((since) => ({ district: d, controller: 'Taliban', since, reason: 'test' })));
      const panjwayi = async (asOf: string, knownAt?: string) => (await store.control({ asOf, knownAt, admin1: 'Kandahar' })).find((x) => x.admin2 === 'Panjwayi')!;
      assert.deepEqual([(await panjwayi('2021-03-01')).controller, (await panjwayi('2021-03-01')).since], ['Taliban', '2021-02-01']);
      assert.equal((await panjwayi('2021-03-01')).status, 'controlled');
      assert.equal((await panjwayi('2021-02-03')).since, '2021-02-01');
      assert.equal((await panjwayi('2021-03-01', '2021-02-05')).since, '2021-02-01', 'with part of the claims known');
      assert.equal((await panjwayi('2021-01-31')).controller, 'Military Forces');
    });

    test('events are filtered and paged with a cursor', async () => {
      const all = await store.events({});
      assert.ok(all.events.length >= 3);
      const seen: string[] = [];
      let after: string | null = null;
      do {
        const page: Awaited<ReturnType<Store['events']>> = await store.events({ limit: 1, after });
        seen.push(...page.events.map((e) => e.event_id));
        after = page.next;
      } while (after);
      assert.deepEqual(seen, all.events.map((e) => e.event_id));
      assert.equal((await store.events({ type: 'Protests', admin1: 'Nangarhar' })).events.length, 0);
      assert.ok((await store.events({ type: 'Remote explosive/landmine/IED' })).events.length >= 1);
      assert.equal((await store.events({ from: '2021-06-01', to: '2021-06-30', type: 'Explosions/Remote violence' })).events.length, 0);
      assert.equal((await store.events({ bbox: [70, 34, 71, 35] })).events[0]?.admin1, 'Nangarhar');
      await assert.rejects(store.events({ after: 'not-a-cursor' }), /bad cursor/);
      assert.deepEqual(await store.dateRange(), { min: '2021-01-01', max: '2021-06-17' });
    });

    test('actors: each name the events give (associated ones split), with the events naming it', async () => {
      const all = (await store.events({ limit: 10_000 })).events;
      const names = (e: (typeof all)[number]) => new Set([e.actor1, e.actor2, e.assoc_actor_1, e.assoc_actor_2].flatMap((a) => (a ?? '').split(';')).map((a) => a.trim()).filter(Boolean));
      const actors = await store.actors();
      assert.ok(actors.length >= 2);
      for (const a of actors) assert.equal(a.events, all.filter((e) => names(e).has(a.actor)).length, a.actor);
      assert.deepEqual(new Set(actors.map((a) => a.actor)), new Set(all.flatMap((e) => [...names(e)])));
      assert.ok(actors.every((a, i) => i === 0 || actors[i - 1]!.events >= a.events));
    });

    test('theatres: each country with its events, its districts with claims, and an extent holding every placed event', async () => {
      const all = (await store.events({ limit: 10_000 })).events;
      const theatres = await store.theatres();
      const countries = new Set(all.map((e) => e.country));
      assert.ok(countries.size >= 1);
      for (const c of countries) {
        const t = theatres.find((x) => x.country === c)!;
        assert.ok(t, c);
        const events = all.filter((e) => e.country === c);
        assert.equal(t.events, events.length, c);
        const [w, s, e, n] = t.bbox!;
        for (const ev of events.filter((x) => x.longitude !== null && x.latitude !== null)) assert.ok(ev.longitude! >= w && ev.longitude! <= e && ev.latitude! >= s && ev.latitude! <= n, `${ev.event_id} in ${t.bbox}`);
      }
      assert.ok(theatres.every((t, i) => i === 0 || theatres[i - 1]!.events >= t.events), 'most events first');
      assert.ok(theatres.every((t) => new Set(t.districts).size === t.districts.length && t.districts.every((d) => typeof d === 'string')));
      // Every district with a claim is counted under its own country.
      const controlled = await store.control({ asOf: '2099-12-31' });
      assert.ok(controlled.length >= 1, 'the reports stored above claim districts');
      for (const d of controlled) assert.ok(theatres.find((t) => t.country === d.country)?.districts.includes(d.code), `${d.country} ${d.code}`);
    });

        test('events per day and type: every event counted once, on its day; known_at leaves out the later told', async () => {
      const all = (await store.events({ limit: 10_000 })).events;
      const perDay = await store.eventsPerDay();
      assert.equal(perDay.reduce((s, r) => s + r.count, 0), all.length);
      for (const r of perDay) assert.equal(r.count, all.filter((e) => e.event_date === r.date && e.event_type === r.event_type).length, `${r.date} ${r.event_type}`);
      const early = all.map((e) => e.first_known).sort()[0]!;
      const known = await store.eventsPerDay(early);
      assert.equal(known.reduce((s, r) => s + r.count, 0), all.filter((e) => e.first_known <= early).length);
      assert.ok(known.length < perDay.length || all.every((e) => e.first_known === early));
    });
    test('a batch of reports is one transaction: a failure stores none of it', async () => {
      const before = await store.counts();
      const good = prepare({ text: 'Gunmen shot dead two shopkeepers in Herat city of Herat province on Sunday, police said.', published: '2021-07-05', url: 'https://example.org/batch-1' });
      // A report no store takes (its date is no date) after a good one in the same batch.
      const bad = { ...prepare({ text: 'Police arrested five protesters in Kabul city on Monday, witnesses said.', published: '2021-07-06', url: 'https://example.org/batch-2' }), published: 'not a date' };
      // The statement that failed is named, not the ones after it that found the transaction aborted.
      await assert.rejects(store.addReports([good, bad]), /invalid input syntax for type date/);
      assert.deepEqual(await store.counts(), before, 'nothing of the failed batch stayed');
      await assert.rejects(store.addReports([bad, good]), /invalid input syntax for type date/);
      await assert.rejects(store.addReport(bad), /invalid input syntax for type date/);
      assert.deepEqual(await store.counts(), before, 'nothing of the failed report stayed');
      const [r] = await store.addReports([good]);
      assert.equal(r!.status, 'new');
      assert.equal((await store.addReports([good]))[0]!.status, 'known');
    });

    test('ACLED rows: stored once however often imported, merged with an extracted event of the same event but never with each other', async () => {
      const extracted = await store.addReport(prepare({ text: 'Gunmen killed four farmers near Jangebe in Zamfara state on Wednesday, police said.', published: '2021-08-19', source: 'Test Paper' }));
      assert.equal(extracted.eventsAdded, 1);
      const csv = ['event_id_cnty,event_date,time_precision,event_type,sub_event_type,actor1,inter1,actor2,inter2,country,admin1,admin2,location,latitude,longitude,geo_precision,source,notes,fatalities,iso',
        'NGA90004,2021-08-18,1,Violence against civilians,Attack,Unidentified Armed Group (Nigeria),3,Civilians (Nigeria),7,Nigeria,Zamfara,Maru,Jangebe,12.3,6.35,2,Test Daily,"On 18 August 2021, gunmen killed 4 farmers near Jangebe (Maru, Zamfara).",4,566',
        'NGA90005,2021-08-18,1,Violence against civilians,Attack,Unidentified Armed Group (Nigeria),3,Civilians (Nigeria),7,Nigeria,Zamfara,Maru,Jangebe,12.3,6.35,2,Test Daily,"On 18 August 2021, gunmen killed 2 herders near Jangebe (Maru, Zamfara).",2,566'].join('\n');
      const rows = readAcled(csv, 'rows.csv', () => ({ admin1_code: null, admin2_code: null })).value.rows;
      const reports = rows.map((r) => acledReport(r, control));
      const first = await store.addReports(reports);
      assert.deepEqual(first.map((r) => [r.status, r.eventsAdded, r.eventsMerged]), [['new', 0, 1], ['new', 1, 0]], 'the first row merges with the extracted event; the second row is its own event');
      const again = await store.addReports(reports);
      assert.deepEqual(again.map((r) => r.status), ['known', 'known']);
      const { events } = await store.events({ admin1: 'Zamfara' });
      assert.equal(events.length, 2);
      const merged = events.find((e) => e.acled?.event_id_cnty === 'NGA90004')!;
      assert.equal(merged.sources_count, 2);
      assert.equal(merged.fatalities, 4);
      assert.equal(events.find((e) => e.acled?.event_id_cnty === 'NGA90005')?.sources_count, 1);
    });

    test('ACLED rows spelled otherwise ("Sala al-Din", "Sud-Kivu") merge with the extracted event of their province by its code, in either order; another province stays apart', async () => {
      const codes = acledAdminCodes(res.gazetteer, loadBoundaries(config).units(2));
      const header = 'event_id_cnty,event_date,time_precision,event_type,sub_event_type,actor1,inter1,actor2,inter2,country,admin1,admin2,location,latitude,longitude,geo_precision,source,notes,fatalities,iso';
      const acled = (...lines: string[]) => readAcled([header, ...lines].join('\n'), 'spelled.csv', codes).value.rows.map((r) => acledReport(r, control));
      // Extracted first, the row after: Tikrit in Salah al-Din, as ACLED spells it "Sala al-Din"; ACLED's district "Tikrit" is the geocoder's "Tikrit District".
      const tikrit = await store.addReport(prepare({ text: 'An airstrike hit a village near Tikrit in Salah al-Din province on Monday, killing five people.', published: '2021-05-18', source: 'Test Paper' }));
      assert.equal(tikrit.eventsAdded, 1);
      const [iraq, ninewa] = await store.addReports(acled(
        'IRQ90101,2021-05-17,1,Explosions/Remote violence,Air/drone strike,Military Forces of Iraq (2020-),1,Civilians (Iraq),7,Iraq,Sala al-Din,Tikrit,Tikrit,34.607,43.6782,1,Test Daily,"On 17 May 2021, an airstrike hit a village near Tikrit (Sala al-Din), killing 5 civilians.",5,368',
        'IRQ90102,2021-05-17,1,Explosions/Remote violence,Air/drone strike,Military Forces of Iraq (2020-),1,Civilians (Iraq),7,Iraq,Ninewa,Mosul,Mosul,36.335,43.1189,1,Test Daily,"On 17 May 2021, an airstrike hit a village near Mosul (Ninewa), killing 5 civilians.",5,368',
      ));
      assert.deepEqual([iraq!.eventsMerged, ninewa!.eventsMerged, ninewa!.eventsAdded], [1, 0, 1], 'Sala al-Din merged with Salah al-Din; Ninewa is another event');
      // The row first, the extracted report after: "Sud-Kivu" is South Kivu.
      const [kivu] = await store.addReports(acled(
        'COD90103,2021-05-11,1,Battles,Armed clash,Unidentified Armed Group (Democratic Republic of Congo),3,Military Forces of the Democratic Republic of Congo (2019-),1,Democratic Republic of Congo,Sud-Kivu,Uvira,Uvira,-3.3953,29.1378,1,Test Daily,"On 11 May 2021, militants attacked an army post near Uvira (Sud-Kivu), killing 3 soldiers.",3,180',
      ));
      assert.equal(kivu!.eventsAdded, 1);
      const uvira = await store.addReport(prepare({ text: 'Militants attacked an army post near Uvira in South Kivu on Tuesday, killing three soldiers.', published: '2021-05-12', source: 'Test Paper' }));
      assert.deepEqual([uvira.eventsAdded, uvira.eventsMerged], [0, 1], 'the extracted event found the row spelled Sud-Kivu');
      const merged = (await store.events({ country: 'Iraq', from: '2021-05-17', to: '2021-05-17' })).events;
      const one = merged.find((e) => e.acled?.event_id_cnty === 'IRQ90101')!;
      assert.deepEqual([one.admin1, one.admin2_code, one.sources_count], ['Salah al-Din', 'IQ.18.90148', 2], "the extracted event keeps its names and takes ACLED's id");
      assert.equal(merged.find((e) => e.acled?.event_id_cnty === 'IRQ90102')?.sources_count, 1);
      const drc = (await store.events({ country: 'Democratic Republic of Congo' })).events.find((e) => e.acled?.event_id_cnty === 'COD90103')!;
      assert.deepEqual([drc.admin1, drc.admin1_code, drc.sources_count], ['Sud-Kivu', 'CD.12', 2]);
    });

    test('a report with more rows than one statement can bind (6,000 claims, 72,000 parameters) is stored whole', async () => {
      const r = prepare({ ...TAKEN, text: `${TAKEN.text} Bind test.`, url: 'urn:bind' });
      assert.ok(r.claims.length >= 1);
      const claims = Array.from({ length: 6000 }, (_, i) => ({ ...r.claims[0]!, reason: `claim ${i}` }));
      const before = (await store.counts()).claims;
      const added = await store.addReport({ ...r, claims });
      assert.equal(added.claims, 6000);
      assert.equal((await store.counts()).claims, before + 6000);
    });
  });
}
