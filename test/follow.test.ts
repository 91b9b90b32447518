// The pure parts of following sources (source lists, durations, backoff, feed item keys, JSON
// Feed, the article reader), alert rules table by table, and the polite HTTP client on loopback.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readArticle } from '../src/follow/article.js';
import { evaluateAlerts, parseAlertRules } from '../src/follow/alerts.js';
import type { AlertInput, ControlChange } from '../src/follow/alerts.js';
import { PoliteClient, postWebhook, signature } from '../src/follow/http.js';
import { backoffMs, itemKey, parseDuration, parseSourceList, sourceSpec } from '../src/follow/sources.js';
import { readFeed, readJsonFeed } from '../src/ingest/feed.js';
import type { Event } from '../src/schema/event.js';
import { loopback } from './support/http.js';
import { backends, openStore } from './support/stores.js';
import type { Loopback } from './support/http.js';

describe('sources', () => {
  const exists = (p: string) => p === '/data/inbox';
  test('a sources file: URLs and directories, comments skipped, a bad line named with its place', () => {
    const specs = parseSourceList('# wires\nhttps://example.org/feed.xml\n\n/data/inbox\n', 'sources.txt', exists);
    assert.deepEqual(specs, [
      { source: 'https://example.org/feed.xml', kind: 'url', origin: 'sources.txt:2' },
      { source: '/data/inbox', kind: 'path', origin: 'sources.txt:4' },
    ]);
    assert.throws(() => parseSourceList('https://example.org/a\nfile:///etc/passwd\n', 'sources.txt', exists), /sources\.txt:2: "file:\/\/\/etc\/passwd" is not an http or https URL/);
    assert.throws(() => parseSourceList('# nothing\n', 'sources.txt', exists), /sources\.txt: no sources/);
    assert.throws(() => sourceSpec('http://[bad', 'argument 1', exists), /argument 1: "http:\/\/\[bad" is not a valid URL/);
  });
  test('durations', () => {
    const table: [string, number | RegExp][] = [
      ['10m', 600_000],
      ['30s', 30_000],
      ['1.5h', 5_400_000],
      ['250ms', 250],
      ['0s', /not a duration/],
      ['ten minutes', /not a duration/],
      ['10', /not a duration/],
    ];
    for (const [s, want] of table) {
      if (typeof want === 'number') assert.equal(parseDuration(s, '--every'), want, s);
      else assert.throws(() => parseDuration(s, '--every'), want, s);
    }
    assert.equal(parseDuration('0s', '--delay', { zero: true }), 0);
  });
  test('backoff doubles per failure, is capped, and keeps half of it random', () => {
    const b = { baseMs: 1000, capMs: 10_000 };
    assert.deepEqual([1, 2, 3, 4, 5, 50].map((n) => backoffMs(n, b, () => 1)), [1000, 2000, 4000, 8000, 10_000, 10_000]);
    assert.deepEqual([1, 2, 3].map((n) => backoffMs(n, b, () => 0)), [500, 1000, 2000]);
  });
  test('item keys: guid, else link, else the text', () => {
    assert.equal(itemKey({ guid: 'g1', url: 'https://x/a' }, () => 'h'), 'id:g1');
    assert.equal(itemKey({ guid: null, url: 'https://x/a' }, () => 'h'), 'url:https://x/a');
    assert.equal(itemKey({ url: null }, () => 'h'), 'sha:h');
  });
});

describe('feeds', () => {
  test('RSS and Atom items say whether they carry only a summary', () => {
    const rss = `<rss><channel><title>W</title>
      <item><title>A</title><link>https://x/a</link><description>Short.</description></item>
      <item><title>B</title><link>https://x/b</link><content:encoded>Full text.</content:encoded></item>
      <item><title>C</title><description>No link to follow.</description></item></channel></rss>`;
    assert.deepEqual(readFeed(rss).value.map((i) => i.summaryOnly), [true, false, false]);
    const atom = `<feed xmlns="http://www.w3.org/2005/Atom"><title>W</title>
      <entry><id>e1</id><title>A</title><link href="https://x/a"/><summary>Short.</summary><updated>2021-08-21T10:00:00Z</updated></entry></feed>`;
    const [e] = readFeed(atom).value;
    assert.equal(e!.summaryOnly, true);
    assert.equal(e!.guid, 'e1');
    assert.equal(e!.published, '2021-08-21');
  });
  test('JSON Feed 1.1', () => {
    const doc = JSON.stringify({
      version: 'https://jsonfeed.org/version/1.1',
      title: 'Situation updates',
      items: [
        { id: '1', url: 'https://x/1', title: 'Clashes in Zamfara', content_html: '<p>Gunmen attacked a village.</p>', date_published: '2021-02-27T08:00:00+01:00' },
        { id: 2, url: 'https://x/2', summary: 'A short summary.', date_published: '2021-02-28T08:00:00Z' },
        { id: '3' },
      ],
    });
    const { value, warnings } = readJsonFeed(doc, 'updates.json');
    assert.deepEqual(
      value.map((i) => [i.guid, i.url, i.published, i.source, i.summaryOnly]),
      [
        ['1', 'https://x/1', '2021-02-27', 'Situation updates', false],
        ['2', 'https://x/2', '2021-02-28', 'Situation updates', true],
      ],
    );
    assert.match(value[0]!.text, /<h1>Clashes in Zamfara<\/h1>\n<p>Gunmen/);
    assert.match(warnings[0]!, /updates\.json: item 3 has no title or text/);
    assert.throws(() => readJsonFeed('{"version": 1}', 'x.json'), /x\.json: JSON but not a JSON Feed/);
    const empty = '{"version": "https://jsonfeed.org/version/1.1", "title": "t", "items": []}';
    assert.throws(() => readJsonFeed(empty, 'x.json'), /x\.json: the feed has no items with text/);
    assert.deepEqual(readJsonFeed(empty, 'x.json', { allowEmpty: true }).value, [], 'a followed feed between stories');
    assert.throws(() => readJsonFeed('{', 'x.json'), /x\.json: not valid JSON/);
  });
});

describe('article reader', () => {
  test("Readability keeps the article and drops the page's furniture", () => {
    const html = `<html><head><title>Taliban take Zaranj | Wire</title><meta property="article:published_time" content="2021-08-06T10:00:00Z"><meta property="og:site_name" content="Wire"></head>
      <body><nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav>
      <article><h1>Taliban take Zaranj</h1><p>Taliban fighters took control of Zaranj, the capital of the south-western province of Nimroz, on Friday, a provincial official said.</p>
      <p>The official said government forces withdrew from the city without much resistance and that the governor's compound was in Taliban hands by the afternoon.</p></article>
      <aside>Most read: football results</aside><footer>Copyright Wire</footer></body></html>`;
    const a = readArticle(html)!;
    assert.ok(a);
    assert.match(a.html, /took control of Zaranj/);
    assert.doesNotMatch(a.html, /Sport|football|Copyright/);
    assert.equal(a.published, '2021-08-06');
    assert.equal(a.siteName, 'Wire');
    assert.equal(readArticle('<html><body></body></html>'), null);
  });
});

const event = (o: Partial<Event>): Event =>
  ({
    event_id: 'AFG1', event_date: '2021-08-06', time_precision: 1, event_type: 'Battles', sub_event_type: 'Armed clash', actor1: 'Taliban', assoc_actor_1: '', actor2: 'Military Forces of Afghanistan (2004-2021)', assoc_actor_2: '',
    country: 'Afghanistan', admin1: 'Nimroz', admin1_code: 'AF22', admin2: 'Zaranj', admin2_code: 'AF2201', location: 'Zaranj', latitude: 30.96, longitude: 61.86, fatalities: 0, ...o,
  }) as Event;

describe('alert rules', () => {
  test('a bad rule names its file and line', () => {
    const table: [string, RegExp][] = [
      ['a\t*', /a\.tsv:1: expected three tab-separated columns/],
      ['\t*\tcontrol changes', /a\.tsv:1: the rule has no name/],
      ['a\tbbox=1,2,3\tcontrol changes', /a\.tsv:1: area "bbox=1,2,3": a bbox is four numbers/],
      ['a\tbbox=10,0,5,1\tcontrol changes', /a bbox is four numbers/],
      ['a\tprovince=Nimroz\tcontrol changes', /a\.tsv:1: area "province=Nimroz": expected \*/],
      ['a\t*\tfatalities >= many', /fatalities >= needs a whole number/],
      ['a\t*\tevent type in ', /a\.tsv:1: condition "event type in" is not one of/],
      ['a\t*\tsomething happens', /is not one of: control changes/],
      ['a\t*\tcontrol changes\na\t*\tbecomes contested', /a\.tsv:2: a rule named "a" is already defined/],
      ['# only a comment', /a\.tsv: no alert rules/],
    ];
    for (const [text, re] of table) assert.throws(() => parseAlertRules(text, 'a.tsv'), re, text);
  });

  const district = { code: 'AF2201', country: 'Afghanistan', admin1: 'Nimroz', admin1_code: 'AF22', admin2: 'Zaranj' };
  const taken: ControlChange = { district, before: { controller: null, status: 'unknown', since: null }, after: { controller: 'Taliban', status: 'controlled', since: '2021-08-06' }, events: [0] };
  const input = (o: Partial<AlertInput>): AlertInput => ({
    report: { id: 7, url: 'https://x/zaranj', source: 'Wire', title: 'Taliban take Zaranj', published: '2021-08-06' },
    events: [event({ sub_event_type: 'Non-state actor overtakes territory', fatalities: 0 }), event({ event_type: 'Explosions/Remote violence', sub_event_type: 'Air/drone strike', fatalities: 12, latitude: 31.5, longitude: 64.3, admin1: 'Helmand', admin2: 'Nad-e-Ali', admin2_code: 'AF2105' })],
    eventIds: ['AFG10', 'AFG11'],
    changes: [taken],
    ...o,
  });
  const cases: { name: string; rule: string; input?: Partial<AlertInput>; fired: { events: string[]; message?: RegExp }[] }[] = [
    { name: 'control changes in the province', rule: 'r\tcountry=Afghanistan; admin1=Nimroz\tcontrol changes', fired: [{ events: ['AFG10'], message: /Zaranj \(Nimroz, Afghanistan\): unknown -> Taliban/ }] },
    { name: 'control changes named by district code', rule: 'r\tadmin2=AF2201\tcontrol changes', fired: [{ events: ['AFG10'] }] },
    { name: 'control changes elsewhere', rule: 'r\tadmin1=Helmand\tcontrol changes', fired: [] },
    { name: 'the same holder again is no change', rule: 'r\t*\tcontrol changes', input: { changes: [{ ...taken, before: taken.after }] }, fired: [] },
    { name: 'becomes contested', rule: 'r\t*\tbecomes contested', input: { changes: [{ ...taken, before: taken.after, after: { ...taken.after, status: 'contested' } }] }, fired: [{ events: ['AFG10'], message: /Taliban -> Taliban \(contested\)/ }] },
    { name: 'contested before and after', rule: 'r\t*\tbecomes contested', input: { changes: [{ ...taken, before: { ...taken.after, status: 'contested' }, after: { ...taken.after, status: 'contested' } }] }, fired: [] },
    { name: 'a district in a bbox by its events', rule: 'r\tbbox=61,30,62,31\tcontrol changes', fired: [{ events: ['AFG10'] }] },
    { name: 'fatalities >= 10', rule: 'r\t*\tfatalities >= 10', fired: [{ events: ['AFG11'], message: /Air\/drone strike in Zaranj \(Nad-e-Ali, Afghanistan\).*12 fatalities/ }] },
    { name: 'fatalities in a bbox that holds neither', rule: 'r\tbbox=0,0,1,1\tfatalities >= 0', fired: [] },
    { name: 'event type in, by sub-event type', rule: 'r\t*\tevent type in Air/drone strike, Shelling/artillery/missile attack', fired: [{ events: ['AFG11'] }] },
    { name: 'event type in, by type, in brackets', rule: 'r\tcountry=afghanistan\tevent type in [Battles]', fired: [{ events: ['AFG10'] }] },
    { name: 'actor matches, any actor field, any case', rule: 'r\t*\tactor matches military forces', fired: [{ events: ['AFG10'] }, { events: ['AFG11'] }] },
    { name: 'two events merged into one stored event raise one alert', rule: 'r\t*\tactor matches taliban', input: { eventIds: ['AFG10', 'AFG10'] }, fired: [{ events: ['AFG10'] }] },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const got = evaluateAlerts(parseAlertRules(c.rule, 'a.tsv'), input(c.input ?? {}));
      assert.deepEqual(got.map((a) => a.events), c.fired.map((f) => f.events));
      c.fired.forEach((f, i) => {
        if (f.message) assert.match(got[i]!.message, f.message);
        assert.deepEqual(got[i]!.sources, [{ source: 'Wire', url: 'https://x/zaranj', title: 'Taliban take Zaranj', published: '2021-08-06', report_id: 7 }]);
      });
    });
  }
  test('the same change has the same key (it is raised once), another holder another', () => {
    const rules = parseAlertRules('r\t*\tcontrol changes', 'a.tsv');
    const k = (ch: ControlChange) => evaluateAlerts(rules, input({ changes: [ch] }))[0]!.key;
    assert.equal(k(taken), k({ ...taken, events: [] }));
    assert.notEqual(k(taken), k({ ...taken, after: { ...taken.after, controller: 'Government of Afghanistan' } }));
  });
});

describe('polite HTTP client (loopback)', () => {
  let srv: Loopback;
  before(async () => {
    srv = await loopback();
    srv.routes.set('/slow', async (_req, res) => {
      await new Promise((r) => setTimeout(r, 100));
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  after(() => srv.close());

  test('one request at a time per host, with a pause between them', async () => {
    const client = new PoliteClient({ userAgent: 'sitrep/test', hostDelayMs: 50, timeoutMs: 5000, maxBytes: 1000 });
    const t0 = Date.now();
    const answers = await Promise.all([1, 2, 3].map(() => client.get(srv.url('/slow'))));
    const ms = Date.now() - t0;
    assert.deepEqual(answers.map((a) => a.body.toString()), ['ok', 'ok', 'ok']);
    assert.equal(srv.maxInFlight, 1);
    assert.ok(ms >= 3 * 100 + 2 * 50 - 10, `${ms} ms`);
    assert.ok(srv.requests.every((r) => r.headers['user-agent'] === 'sitrep/test'));
  });

  test('webhook: retried after a 500 and a dropped connection, signed; a 400 is not retried', async () => {
    let n = 0;
    srv.routes.set('/hook', (_req, res) => {
      n++;
      if (n === 1) res.writeHead(500).end();
      else if (n === 2) res.socket?.destroy();
      else res.writeHead(200).end();
    });
    const hook = { url: srv.url('/hook'), secret: 's3cret', attempts: 4, retryMs: 10, timeoutMs: 2000, userAgent: 'sitrep/test' };
    assert.equal(await postWebhook(hook, '{"a":1}'), 3);
    const last = srv.requests.filter((r) => r.path === '/hook').at(-1)!;
    assert.equal(last.headers['x-sitrep-signature'], signature('{"a":1}', 's3cret'));
    assert.equal(signature('{"a":1}', 's3cret'), 'sha256=' + (await import('node:crypto')).createHmac('sha256', 's3cret').update('{"a":1}').digest('hex'));
    srv.routes.set('/refuse', (_req, res) => void res.writeHead(400).end());
    await assert.rejects(postWebhook({ ...hook, url: srv.url('/refuse') }, '{}'), /webhook .*\/refuse: HTTP 400/);
    assert.equal(srv.requests.filter((r) => r.path === '/refuse').length, 1);
  });
});

// The watch state and alerts tables on each store (PGlite; PostgreSQL when SITREP_TEST_PG is set).
for (const b of backends) {
  describe(`follow state (${b.name})`, { skip: b.skip }, () => {
    test('sources, taken items, failures and backoff, health, alerts kept once', async () => {
      const store = await openStore(b);
      try {
        const f = store.follow;
        const src = 'https://example.org/feed.xml';
        const fresh = await f.source(src);
        assert.deepEqual({ ...fresh }, { source: src, kind: null, etag: null, last_modified: null, last_success: null, last_error: null, last_error_at: null, failures: 0, next_poll: null, items_seen: 0 });
        const later = (ms: number) => new Date(Date.now() + ms);
        assert.equal(await f.failed(src, 'HTTP 500', (n) => later(n * 1000)), 1);
        assert.equal(await f.failed(src, 'HTTP 503', (n) => later(n * 1000)), 2);
        let s = await f.source(src);
        assert.equal(s.last_error, 'HTTP 503');
        assert.ok(Date.parse(s.next_poll!) > Date.now() + 1500, 'the backoff of the second failure');
        await f.polled(src, { kind: 'feed', etag: '"e1"', lastModified: 'Sat, 21 Aug 2021 10:00:00 GMT', nextPoll: later(600_000) });
        await f.polled(src, { kind: 'feed', etag: null, lastModified: null, nextPoll: later(600_000) });
        s = await f.source(src);
        assert.equal(s.failures, 0);
        assert.equal(s.etag, '"e1"', 'a 304 without validators keeps the ones known');
        assert.equal(s.last_error, 'HTTP 503', 'the last error stays on record');
        await f.took(src, 'id:1', null);
        await f.took(src, 'id:2', null);
        await f.took(src, 'id:2', null);
        assert.deepEqual([...(await f.seen(src, ['id:1', 'id:2', 'id:3']))].sort(), ['id:1', 'id:2']);
        const [h] = await f.health();
        assert.equal(h!.items_seen, 2);
        assert.equal(h!.items_per_day, 2);
        assert.ok(h!.last_success && h!.first_polled);
        const a = { rule: 'r', condition: 'control changes', message: 'm', events: ['AFG1'], sources: [] };
        const one = await f.addAlert({ key: 'k1', rule: 'r', condition: 'control changes', reportId: null, alert: a });
        assert.ok(one);
        assert.equal(await f.addAlert({ key: 'k1', rule: 'r', condition: 'control changes', reportId: null, alert: a }), null);
        const today = new Date().toISOString().slice(0, 10);
        assert.deepEqual((await f.alerts({ since: today })).map((x) => x.alert), [a]);
        assert.deepEqual(await f.alerts({ since: '2999-01-01' }), []);
      } finally {
        await store.close();
      }
    });
  });
}
