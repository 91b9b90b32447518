// The HTTP API called in-process (Hono's app.request): every route, its bad parameters, the
// token on writes, the body limit, and one error shape everywhere with no stack trace.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import http from 'node:http';
import path from 'node:path';
import { Validator } from '@seriousme/openapi-schema-validator';
import type { Hono } from 'hono';
import { loadConfig } from '../src/config.js';
import { resources } from '../src/cli/io.js';
import { loadBoundaries } from '../src/geo/boundaries.js';
import type { Io } from '../src/cli/io.js';
import { main } from '../src/cli/main.js';
import { createApp } from '../src/serve/app.js';
import type { AppOptions } from '../src/serve/app.js';
import { ResponseCache } from '../src/serve/cache.js';
import { startServer } from '../src/serve/server.js';
import { Store } from '../src/store/store.js';
import { EVENT_TYPES } from '../src/schema/event.js';
import { BAGHLAN, fixtureStore, MILITIA, tempDir } from './fixtures/serve/store.js';

const config = loadConfig();
const TOKEN = 'test-token-0123456789';

function appFor(store: Store, o: Partial<AppOptions> = {}): Hono {
  return createApp({ store, config, resources: () => resources(config), token: null, open: false, today: () => '2021-09-01', version: 'test', log: () => {}, ...o });
}

async function call(app: Hono, url: string, init?: RequestInit, env?: unknown) {
  const res = await app.request(url, init, env);
  const type = res.headers.get('content-type') ?? '';
  const text = await res.text();
  const body = type.includes('json') ? JSON.parse(text) : text;
  return { status: res.status, headers: res.headers, body, text };
}

/** Every error: a 4xx (or 500) with {"error": {"code", "message"}} and no trace. */
function assertError(r: { status: number; body: unknown; text: string }, status: number, code: string, message?: RegExp) {
  assert.equal(r.status, status, r.text);
  const e = (r.body as { error: { code: string; message: string } }).error;
  assert.deepEqual(Object.keys(r.body as object), ['error']);
  assert.equal(e.code, code);
  assert.ok(e.message.length > 0);
  if (message) assert.match(e.message, message);
  assert.doesNotMatch(r.text, /\bat .*\.(js|ts):\d+|node_modules|Error:/, 'no stack trace in the answer');
}

const json = (body: unknown, headers: Record<string, string> = {}): RequestInit => ({ method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) });

describe('read routes over the fixture store', () => {
  let store: Store;
  let app: Hono;
  before(async () => {
    store = await fixtureStore(path.join(tempDir(), 'db'));
    app = appFor(store);
  });
  after(() => store.close());

  test('GET /api/alerts: the alerts watch raised, with their events, where they are, and sources, since a date or time', async () => {
    assert.deepEqual((await call(app, '/api/alerts')).body, { alerts: [] });
    const placed = (await store.events()).events.find((e) => e.longitude != null)!;
    const alert = { rule: 'baghlan', condition: 'control changes', message: 'Andarab: unknown -> militia', events: [placed.event_id, 'AFG-gone'], sources: [{ source: 'NewsBytes', url: null, title: null, published: '2021-08-21', report_id: 1 }] };
    const stored = await store.follow.addAlert({ key: 'baghlan|AF0907', rule: 'baghlan', condition: 'control changes', reportId: null, alert });
    assert.ok(stored);
    assert.equal(await store.follow.addAlert({ key: 'baghlan|AF0907', rule: 'baghlan', condition: 'control changes', reportId: null, alert }), null, 'the same key is one alert');
    const r = await call(app, '/api/alerts?since=2000-01-01');
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('cache-control'), 'no-store');
    const points = [{ event_id: placed.event_id, longitude: placed.longitude, latitude: placed.latitude }];
    assert.deepEqual(r.body.alerts, [{ id: stored.id, fired_at: stored.fired_at, ...alert, points }], 'an event no longer stored has no point');
    const later = await store.follow.addAlert({ key: 'later', rule: 'later', condition: 'fatalities >= 1', reportId: null, alert: { ...alert, rule: 'later', events: [] } });
    const newest = await call(app, '/api/alerts?order=newest&limit=1');
    assert.deepEqual(newest.body.alerts.map((a: { id: number }) => a.id), [later!.id], 'the last one');
    assert.deepEqual((await call(app, '/api/alerts')).body.alerts.map((a: { id: number }) => a.id), [stored.id, later!.id], 'oldest first by default');
    assertError(await call(app, '/api/alerts?order=random'), 400, 'invalid_parameter', /order/);
    assert.deepEqual((await call(app, `/api/alerts?since=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`)).body.alerts, []);
    assertError(await call(app, '/api/alerts?since=yesterday'), 400, 'invalid_parameter', /since/);
    assertError(await call(app, '/api/alerts?limit=0'), 400, 'invalid_parameter', /limit/);
  });

  test('GET /api/meta: date range, counts, event types, write mode', async () => {
    const r = await call(app, '/api/meta');
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
    assert.deepEqual(r.body.date_range, { min: '2021-08-15', max: '2021-08-21' });
    assert.equal(r.body.counts.reports, 2);
    assert.ok(r.body.counts.districts >= 398);
    assert.equal(r.body.writes, 'closed');
    assert.ok(r.body.event_types.Battles.includes('Armed clash'));
    // The map's actor filter and colours: the sides of rules/control/sides.tsv, colours.tsv.
    assert.equal(r.body.sides['Military Forces of Afghanistan (2021-)'], 'Taliban');
    assert.match(r.body.side_colours.Taliban, /^#[0-9a-f]{6}$/);
    assert.deepEqual(Object.keys(r.body.type_colours).sort(), Object.keys(EVENT_TYPES).sort(), 'a colour for each event type');
  });

  test('GET /api/openapi.json is valid OpenAPI 3.1 and documents every route with its parameters', async () => {
    const r = await call(app, '/api/openapi.json');
    assert.equal(r.status, 200);
    assert.equal(r.body.openapi, '3.1.0');
    const valid = await new Validator().validate(r.body);
    assert.equal(valid.valid, true, JSON.stringify(valid.errors)?.slice(0, 2000));
    for (const p of ['/api/meta', '/api/boundaries', '/api/labels', '/api/events', '/api/events/{id}', '/api/reports/{id}', '/api/control', '/api/timeline', '/api/actors', '/api/theatres', '/api/days', '/api/geocode', '/api/alerts', '/api/extract', '/api/reports']) assert.ok(r.body.paths[p], p);
    const names = r.body.paths['/api/events'].get.parameters.map((p: { name: string }) => p.name);
    assert.deepEqual(names, ['from', 'to', 'country', 'admin1', 'admin2', 'type', 'bbox', 'known_at', 'cursor', 'limit', 'format']);
    assert.deepEqual(r.body.paths['/api/reports'].post.security, [{ bearer: [] }, { writeSecret: [] }]);
    assert.equal(r.body.components.securitySchemes.writeSecret.name, 'X-Sitrep-Write-Secret');
    assert.ok(r.body.paths['/api/meta'].get.responses['200'].content['application/json'].schema.properties.write_secret);
    const asOf = r.body.paths['/api/control'].get.parameters.find((p: { name: string }) => p.name === 'as_of');
    assert.equal(asOf.required, true);
    // The event schema is the shared zod one.
    const eventProps = r.body.paths['/api/events'].get.responses['200'].content['application/json'].schema.properties.events.items.properties;
    assert.ok(eventProps.sub_event_type.enum.includes('Non-state actor overtakes territory'));
  });

  test('GET /api/boundaries: TopoJSON with provinces and districts', async () => {
    const r = await call(app, '/api/boundaries');
    assert.equal(r.status, 200);
    assert.equal(r.body.type, 'Topology');
    assert.ok(r.body.objects.adm1.geometries.length >= 34);
    assert.ok(r.body.objects.adm2.geometries.some((g: { properties: { pcode: string } }) => g.properties.pcode === 'AF0907'));
    assert.equal((await call(app, '/api/boundaries?country=afg')).status, 200);
    assertError(await call(app, '/api/boundaries?country=XYZ'), 404, 'not_found', /XYZ/);
    assertError(await call(app, '/api/boundaries?country=Afghanistan'), 400, 'invalid_parameter', /ISO3/);
  });

  test('GET /api/geocode: a place as people write it, or a point to its units and nearest place', async () => {
    const t = await call(app, '/api/geocode?q=' + encodeURIComponent('Taizz, Yemen'));
    assert.equal(t.status, 200);
    assert.deepEqual([t.body.query, t.body.result.iso, t.body.result.level], ['Taizz, Yemen', 'YE', 'town']);
    assert.ok(t.body.candidates.length >= 1 && t.body.candidates[0].reason);
    // The country asked for wins a homonym.
    const k = await call(app, '/api/geocode?q=Khost&country=AF');
    assert.equal(k.body.result.iso, 'AF');
    const p = await call(app, '/api/geocode?lat=34.52&lon=69.18');
    assert.equal(p.status, 200);
    assert.deepEqual([p.body.result.level, p.body.result.admin1_code, p.body.result.admin2_code], ['point', 'AF01', 'AF0101']);
    assert.equal(p.body.result.nearest.location, 'Kabul');
    assert.ok(p.body.result.nearest.km < 5);
    // Open sea: no unit, no place.
    assert.deepEqual((await call(app, '/api/geocode?lat=0&lon=-30')).body, { query: '0,-30', result: null, candidates: [] });
    assertError(await call(app, '/api/geocode'), 400, 'invalid_parameter', /either q, or lat and lon/);
    assertError(await call(app, '/api/geocode?q=Kabul&lat=1&lon=2'), 400, 'invalid_parameter', /either q, or lat and lon/);
    assertError(await call(app, '/api/geocode?lat=34.5'), 400, 'invalid_parameter', /lat and lon go together/);
    assertError(await call(app, '/api/geocode?lat=95&lon=2'), 400, 'invalid_parameter', /lat/);
    assertError(await call(app, '/api/geocode?q=Kabul&country=Afghanistan'), 400, 'invalid_parameter', /ISO2/);
  });

  test('GET /api/labels: one point per province and district, inside it', async () => {
    const r = await call(app, '/api/labels?country=AFG');
    assert.equal(r.status, 200);
    const andarab = r.body.features.filter((f: { properties: { pcode: string } }) => f.properties.pcode === 'AF0907');
    assert.equal(andarab.length, 1);
    assert.equal(andarab[0].properties.level, 2);
    const [lon, lat] = andarab[0].geometry.coordinates;
    assert.equal(loadBoundaries(config).locate(lon, lat)?.admin2?.pcode, 'AF0907');
    assert.equal(r.body.features.filter((f: { properties: { level: number } }) => f.properties.level === 1).length, 34);
    assertError(await call(app, '/api/labels?country=XYZ'), 404, 'not_found');
  });

  const eventCases: [string, (events: { event_date: string; admin1: string; event_type: string; admin2_code: string | null }[]) => void][] = [
    ['', (es) => assert.equal(es.length, 5)],
    ['?admin1=baghlan', (es) => assert.ok(es.length === 4 && es.every((e) => e.admin1 === 'Baghlan'))],
    ['?admin2=AF0907', (es) => assert.deepEqual(es.map((e) => e.admin2_code), ['AF0907'])],
    ['?from=2021-08-16', (es) => assert.ok(es.length === 4 && es.every((e) => e.event_date >= '2021-08-16'))],
    ['?to=2021-08-15', (es) => assert.equal(es.length, 1)],
    ['?type=Battles', (es) => assert.equal(es.length, 5)],
    ['?type=Protests', (es) => assert.equal(es.length, 0)],
    ['?country=Afghanistan&known_at=2021-08-20', (es) => assert.equal(es.length, 1)],
    ['?bbox=68.9,34.3,69.4,34.7', (es) => assert.deepEqual(es.map((e) => e.admin2_code), ['AF0101'])],
  ];
  for (const [query, check] of eventCases) {
    test(`GET /api/events${query}`, async () => {
      const r = await call(app, `/api/events${query}`);
      assert.equal(r.status, 200, r.text);
      check(r.body.events);
      assert.equal(r.body.next, null);
    });
  }

  test('GET /api/events pages with a cursor until next is null', async () => {
    const seen: string[] = [];
    let url = '/api/events?limit=2';
    for (let i = 0; i < 5; i++) {
      const r = await call(app, url);
      seen.push(...r.body.events.map((e: { event_id: string }) => e.event_id));
      if (!r.body.next) break;
      url = `/api/events?limit=2&cursor=${r.body.next}`;
    }
    assert.equal(seen.length, 5);
    assert.equal(new Set(seen).size, 5);
  });

  test('GET /api/events as CSV and GeoJSON, by format or Accept; next page in headers', async () => {
    const csv = await call(app, '/api/events?format=csv&limit=2');
    assert.match(csv.headers.get('content-type')!, /text\/csv/);
    assert.match(csv.text.split('\n')[0]!, /^event_id,event_date,/);
    assert.ok(csv.headers.get('x-next-cursor'));
    assert.match(csv.headers.get('link')!, /rel="next"/);
    const geo = await call(app, '/api/events', { headers: { Accept: 'application/geo+json' } });
    assert.equal(geo.body.type, 'FeatureCollection');
    assert.equal(geo.body.features.length, 5);
    assert.equal(geo.body.features[0].geometry.type, 'Point');
    assert.equal(geo.headers.get('x-next-cursor'), null);
    const byAccept = await call(app, '/api/events', { headers: { Accept: 'text/csv' } });
    assert.match(byAccept.headers.get('content-type')!, /text\/csv/);
  });

  const badEvents: [string, RegExp][] = [
    ['from=2021-02-30', /from: not a real calendar date/],
    ['to=yesterday', /to: expected a date/],
    ['bbox=1,2,3', /bbox: expected four numbers/],
    ['bbox=10,50,5,60', /west <= east/],
    ['limit=0', /limit/],
    ['limit=ten', /limit/],
    ['format=xml', /format/],
    ['colour=red', /unknown parameter colour/],
    ['cursor=bm9wZQ', /bad cursor/],
    // Once answered with 500: PostgreSQL refused the date, the bigint, the NUL.
    [`cursor=${Buffer.from('2021-99-99|1').toString('base64url')}`, /bad cursor/],
    [`cursor=${Buffer.from(`2021-08-01|${'9'.repeat(23)}`).toString('base64url')}`, /bad cursor/],
    ['admin1=a%00b', /admin1: must not contain NUL/],
    ['limit=1.5', /limit: expected a whole number/],
  ];
  for (const [query, message] of badEvents) {
    test(`GET /api/events?${query} is a 400 with a message`, async () => {
      const r = await call(app, `/api/events?${query}`);
      assertError(r, 400, /cursor/.test(query) ? 'bad_request' : 'invalid_parameter', message);
    });
  }

  test('GET /api/events/:id: the event with every source and its evidence; unknown ids 404', async () => {
    const list = await call(app, '/api/events?admin2=AF0907');
    const id = list.body.events[0].event_id;
    const r = await call(app, `/api/events/${id}`);
    assert.equal(r.status, 200);
    assert.equal(r.body.event_id, id);
    assert.equal(r.body.sources.length, 1);
    assert.equal(r.body.sources[0].source, 'Test Wire');
    const report = await call(app, `/api/reports/${r.body.sources[0].report_id}`);
    for (const span of r.body.sources[0].evidence) assert.equal(report.body.text.slice(span.start, span.end), span.text);
    assert.ok(r.body.sources[0].evidence.some((s: { text: string }) => s.text === 'Andarab'));
    assertError(await call(app, '/api/events/AFG999999'), 404, 'not_found', /AFG999999/);
    assertError(await call(app, `/api/events/${'x'.repeat(200)}`), 400, 'invalid_parameter');
    assertError(await call(app, '/api/events/AFG%00'), 400, 'invalid_parameter', /NUL/);
  });

  test('GET /api/reports/:id: the stored text; bad and unknown ids', async () => {
    const r = await call(app, '/api/reports/1');
    assert.equal(r.status, 200);
    assert.match(r.body.text, /Taliban fighters seized Kabul/);
    assertError(await call(app, '/api/reports/abc'), 400, 'invalid_parameter');
    assertError(await call(app, '/api/reports/999'), 404, 'not_found');
  });

  const controlCases: [string, string, string][] = [
    ['as_of=2021-08-16', 'Taliban', 'controlled'],
    ['as_of=2021-08-21', MILITIA, ''],
    // Asked as known on 20 August, the militia's report (21 August) is not there yet.
    ['as_of=2021-08-21&known_at=2021-08-20', 'Taliban', 'controlled'],
  ];
  for (const [query, controller, status] of controlCases) {
    test(`GET /api/control?${query}&admin1=Baghlan`, async () => {
      const r = await call(app, `/api/control?${query}&admin1=Baghlan`);
      assert.equal(r.status, 200, r.text);
      assert.ok(r.body.districts.length >= 10);
      assert.ok(r.body.districts.every((d: { admin1: string }) => d.admin1 === 'Baghlan'));
      for (const code of BAGHLAN) {
        const d = r.body.districts.find((x: { pcode: string }) => x.pcode === code);
        assert.equal(d.controller, controller, code);
        if (status) assert.equal(d.status, status);
        assert.ok(d.evidence.length >= 1);
      }
    });
  }

  test('answers are gzipped for a client that asks (boundaries, events, the page and its scripts)', async () => {
    for (const path of ['/api/boundaries', '/api/events?limit=10', '/', '/ui/app.js']) {
      const res = await app.request(path, { headers: { 'Accept-Encoding': 'gzip, deflate, br' } });
      assert.equal(res.status, 200, path);
      assert.equal(res.headers.get('content-encoding'), 'gzip', path);
      const plain = zlib.gunzipSync(Buffer.from(await res.arrayBuffer()));
      assert.ok(plain.length > 1024, path);
    }
    const res = await app.request('/api/boundaries');
    assert.equal(res.headers.get('content-encoding'), null, 'no encoding for a client that asks none');
  });

  test("GET /api/control: a district's point is where the event its control rests on is; none for a baseline", async () => {
    const r = await call(app, '/api/control?as_of=2021-08-21');
    const byCode = new Map(r.body.districts.map((d: { pcode: string }) => [d.pcode, d]));
    const andarab = byCode.get('AF0907') as { point: [number, number]; evidence: { event_id: string }[] };
    const e = await store.event(andarab.evidence.find((c) => c.event_id)!.event_id);
    assert.deepEqual(andarab.point, [e!.longitude, e!.latitude]);
    assert.equal((byCode.get('AF0201') as { point: unknown }).point, null);
  });

  test('GET /api/control?format=geojson: district polygons with control properties', async () => {
    const r = await call(app, '/api/control?as_of=2021-08-21&format=geojson');
    assert.equal(r.status, 200);
    assert.equal(r.body.type, 'FeatureCollection');
    const f = r.body.features.find((x: { properties: { pcode: string } }) => x.properties.pcode === 'AF0101');
    assert.equal(f.properties.controller, 'Taliban');
    assert.match(f.geometry.type, /Polygon/);
  });

  const badControl: [string, RegExp][] = [
    ['', /as_of is required/],
    ['as_of=2021-13-01', /as_of: not a real calendar date/],
    ['as_of=2021-08-21&known_at=soon', /known_at/],
    ['as_of=2021-08-21&format=csv', /format/],
    ['as_of=2021-08-21&province=x', /unknown parameter province/],
  ];
  for (const [query, message] of badControl) {
    test(`GET /api/control?${query} is a 400`, async () => assertError(await call(app, `/api/control?${query}`), 400, 'invalid_parameter', message));
  }

  test('GET /api/timeline: a district history by code or name, oldest first', async () => {
    const r = await call(app, '/api/timeline?admin2=AF0907');
    assert.equal(r.status, 200);
    assert.equal(r.body.district.admin2, 'Andarab');
    assert.deepEqual(r.body.claims.map((c: { kind: string; date: string }) => `${c.date} ${c.kind}`), ['2021-08-15 baseline', '2021-08-21 control']);
    const control = r.body.claims[1];
    assert.equal(control.actor, MILITIA);
    assert.ok(control.spans.some((s: { text: string }) => s.text === 'Andarab'));
    assert.equal((await call(app, '/api/timeline?admin2=deh%20salah')).body.district.code, 'AF0908');
    assert.equal((await call(app, '/api/timeline?admin2=AF0907&known_at=2021-08-20')).body.claims.length, 1);
    assertError(await call(app, '/api/timeline?admin2=Atlantis'), 404, 'not_found', /Atlantis/);
    assertError(await call(app, '/api/timeline'), 400, 'invalid_parameter', /admin2 is required/);
    assertError(await call(app, '/api/timeline?admin2=AF0907&known_at=2021-8-1'), 400, 'invalid_parameter', /known_at/);
  });

  test('GET /api/actors: each actor of the store with the events naming it and its side', async () => {
    const r = await call(app, '/api/actors');
    assert.equal(r.status, 200);
    const militia = r.body.actors.find((a: { actor: string }) => a.actor === MILITIA);
    assert.ok(militia && militia.events >= 3, JSON.stringify(r.body.actors));
    const meta = (await call(app, '/api/meta')).body;
    for (const a of r.body.actors) assert.equal(a.side, meta.sides[a.actor] ?? null, a.actor);
    assertError(await call(app, '/api/actors?x=1'), 400, 'invalid_parameter', /unknown parameter x/);
  });

  test('GET /api/theatres: each country with its events, its districts with claims and the extent they cover', async () => {
    const r = await call(app, '/api/theatres');
    assert.equal(r.status, 200);
    const meta = (await call(app, '/api/meta')).body;
    assert.deepEqual(r.body.theatres.map((t: { country: string }) => t.country), ['Afghanistan']);
    const [afg] = r.body.theatres;
    assert.equal(afg.events, meta.counts.events);
    // The baseline gives every district of the pack a claim: the extent is the country's.
    const districts = loadBoundaries(config).units(2).filter((u) => u.country === 'Afghanistan').length;
    assert.equal(afg.districts, districts);
    const [w, s, e, n] = afg.bbox;
    assert.ok(w > 60 && w < 61 && e > 74.5 && e < 75.2 && s > 29 && s < 30 && n > 38 && n < 39, JSON.stringify(afg.bbox));
    assertError(await call(app, '/api/theatres?country=AFG'), 400, 'invalid_parameter', /unknown parameter country/);
  });

  test('GET /api/days: events per day and type, all of them or those known by a date', async () => {
    const r = await call(app, '/api/days');
    assert.equal(r.status, 200);
    const meta = (await call(app, '/api/meta')).body;
    const total = meta.counts.events;
    assert.equal(r.body.days.reduce((s: number, d: { count: number }) => s + d.count, 0), total);
    assert.ok(r.body.days.every((d: { date: string; event_type: string }) => /^\d{4}-\d{2}-\d{2}$/.test(d.date) && d.event_type in meta.event_types));
    const early = await call(app, '/api/days?known_at=2021-08-16');
    assert.ok(early.body.days.reduce((s: number, d: { count: number }) => s + d.count, 0) < total);
    assertError(await call(app, '/api/days?known_at=yesterday'), 400, 'invalid_parameter', /known_at/);
  });

  test('GET /api/geocode: a place name to its units and point, as sitrep geocode answers; bad queries are 400s', async () => {
    const r = await call(app, '/api/geocode?q=Lashio');
    assert.equal(r.status, 200);
    assert.equal(r.body.query, 'Lashio');
    assert.equal(r.body.result.country, 'Myanmar');
    assert.ok(Math.abs(r.body.result.latitude - 22.93) < 0.1 && Math.abs(r.body.result.longitude - 97.75) < 0.1, JSON.stringify(r.body.result));
    assert.ok(r.body.candidates.length >= 1);
    const andarab = (await call(app, '/api/geocode?q=Andarab&country=af')).body.result;
    assert.equal(andarab.admin1, 'Baghlan');
    assertError(await call(app, '/api/geocode'), 400, 'invalid_parameter', /either q, or lat and lon/);
    assertError(await call(app, '/api/geocode?q=Lashio&country=Myanmar'), 400, 'invalid_parameter', /ISO2/);
    assertError(await call(app, '/api/geocode?q=Lashio&x=1'), 400, 'invalid_parameter', /unknown parameter x/);
  });

  test('unknown routes and methods are a 404 in the same shape', async () => {
    assertError(await call(app, '/api/nothing'), 404, 'not_found', /GET \/api\/nothing/);
    assertError(await call(app, '/api/events', { method: 'DELETE' }), 404, 'not_found');
    assertError(await call(app, '/nothing'), 404, 'not_found');
  });

  test('static files: the page with a CSP, its modules as JavaScript, nothing outside its folders', async () => {
    const page = await call(app, '/');
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-security-policy')!, /script-src 'self'/);
    assert.match(page.text, /\/ui\/app\.js/);
    for (const f of ['/ui/app.js', '/ui/dom.js', '/vendor/maplibre-gl/maplibre-gl.mjs', '/vendor/maplibre-gl/maplibre-gl-worker.mjs', '/vendor/topojson-client.js']) {
      const r = await app.request(f);
      assert.equal(r.status, 200, f);
      assert.match(r.headers.get('content-type')!, /text\/javascript/, f);
    }
    for (const f of ['/ui/..%2Fpackage.json', '/ui/.hidden', '/vendor/maplibre-gl/..%2F..%2Fpackage.json', '/ui/nothing.js']) assert.equal((await app.request(f)).status, 404, f);
  });
});

describe('extract and store', () => {
  const report = 'GHAZNI, Aug 12 - Taliban fighters seized Ghazni city on Thursday, officials said.';
  let store: Store;
  before(async () => {
    store = await Store.open(path.join(tempDir(), 'db'));
  });
  after(() => store.close());

  test('POST /api/extract: events and claims out, nothing stored; JSON or text/plain', async () => {
    const app = appFor(store);
    const r = await call(app, '/api/extract', json({ text: report, published: '2021-08-14', source: 'Wire' }));
    assert.equal(r.status, 200, r.text);
    assert.ok(r.body.events.length >= 1);
    assert.equal(r.body.events[0].admin1, 'Ghazni');
    assert.equal(r.body.published, '2021-08-14');
    assert.ok(r.body.claims.length >= 1);
    for (const span of r.body.events[0].evidence) assert.equal(r.body.text.slice(span.start, span.end), span.text);
    const plain = await call(app, '/api/extract?published=2021-08-14', { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: report });
    assert.equal(plain.status, 200);
    assert.deepEqual(plain.body.events.map((e: { event_date: string }) => e.event_date), r.body.events.map((e: { event_date: string }) => e.event_date));
    assert.equal((await store.counts()).reports, 0);
  });

  test('POST /api/extract answers a body that made the HTML sniffer backtrack for ever', async () => {
    // 225 bytes stalled the server for about 25 s (each "<!---->" doubled the time); 420 KB never ended.
    const app = appFor(store);
    for (const text of ['<!---->'.repeat(32) + 'x', '<!---->'.repeat(60_000) + 'x']) {
      const plain = await call(app, '/api/extract', { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: text });
      assert.equal(plain.status, 200, plain.text.slice(0, 200));
      assert.equal(plain.body.text, text, 'read as plain text');
      assert.deepEqual(plain.body.events, []);
      assert.equal((await call(app, '/api/extract', json({ text }))).status, 200);
    }
  });

  const badBodies: [string, RequestInit, number, string, RegExp][] = [
    ['empty text', json({ text: '' }), 400, 'invalid_parameter', /text is empty/],
    ['no text', json({ published: '2021-08-14' }), 400, 'invalid_parameter', /text is required/],
    ['bad date', json({ text: report, published: '14/08/2021' }), 400, 'invalid_parameter', /published/],
    ['unknown field', json({ text: report, secret: 1 }), 400, 'invalid_parameter', /unknown parameter secret/],
    ['bad url', json({ text: report, url: 'not a url' }), 400, 'invalid_parameter', /url/],
    ['not JSON', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"text": ' }, 400, 'invalid_json', /not valid JSON/],
    ['form data', { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'text=x' }, 415, 'unsupported_media_type', /application\/json/],
    ['only whitespace', { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: ' \n ' }, 400, 'bad_request', /empty/],
    ['an array', json([{ text: report }]), 400, 'invalid_parameter', /^the body must be a JSON object/],
    ['a string', json('text'), 400, 'invalid_parameter', /^the body must be a JSON object/],
    ['a text of NULs', json({ text: '\u0000'.repeat(50) }), 400, 'bad_request', /binary/],
  ];
  for (const [name, init, status, code, message] of badBodies) {
    test(`POST /api/extract with ${name}: ${status}`, async () => assertError(await call(appFor(store), '/api/extract', init), status, code, message));
  }

  test('a NUL or a lone surrogate in a posted report is repaired with a warning, not a 500', async () => {
    // The text is repaired as the command line repairs a batch line; a parameter with NUL is refused.
    const body = { text: `${report} \ud800 and\u0000more`, source: 'Wire\ud800', title: 'T\udc00' };
    const r = await call(appFor(store), '/api/extract', json(body));
    assert.equal(r.status, 200, r.text);
    assert.ok(r.body.warnings.some((w: string) => /lone UTF-16 surrogate/.test(w)));
    assert.ok(r.body.warnings.some((w: string) => /"source" held control characters or a lone surrogate/.test(w)));
    assertError(await call(appFor(store), '/api/extract', json({ ...body, source: 'Wire\u0000' })), 400, 'invalid_parameter', /source: must not contain NUL/);
    const dir = tempDir();
    const s2 = await Store.open(path.join(dir, 'db'));
    try {
      const stored = await call(appFor(s2, { token: TOKEN }), '/api/reports', json(body, { Authorization: `Bearer ${TOKEN}` }));
      assert.equal(stored.status, 201, stored.text);
      const text = (await s2.report(stored.body.report_id))!.text;
      assert.ok(text.includes('\ufffd and more'), 'stored with U+FFFD and a space');
    } finally {
      await s2.close();
    }
  });

  test('request bodies over the limit are refused with 413', async () => {
    const app = appFor(store, { maxBody: 1000 });
    assertError(await call(app, '/api/extract', json({ text: 'x'.repeat(2000) })), 413, 'payload_too_large', /1000 bytes/);
    assertError(await call(app, '/api/reports', { ...json({ text: 'x'.repeat(2000) }), headers: { 'Content-Type': 'application/json' } }), 403, 'forbidden');
  });

  test('POST /api/reports with a token: missing 401, wrong 403, right 201, again 200 known', async () => {
    const app = appFor(store, { token: TOKEN });
    assert.equal((await call(app, '/api/meta')).body.writes, 'token');
    // Kept answers are dropped when a report is stored (checked below).
    assert.deepEqual((await call(app, '/api/control?as_of=2021-08-14&admin1=Ghazni')).body.districts, []);
    assertError(await call(app, '/api/reports', json({ text: report })), 401, 'unauthorized', /token/);
    assertError(await call(app, '/api/reports', json({ text: report }, { Authorization: 'Bearer wrong-token-000' })), 403, 'forbidden', /wrong token/);
    assertError(await call(app, '/api/reports', json({ text: report }, { Authorization: `Bearer ${TOKEN}x` })), 403, 'forbidden');
    const ok = await call(app, '/api/reports', json({ text: report, published: '2021-08-14', source: 'Wire' }, { Authorization: `Bearer ${TOKEN}` }));
    assert.equal(ok.status, 201, ok.text);
    assert.equal(ok.body.status, 'new');
    assert.ok(ok.body.events_added >= 1);
    const again = await call(app, '/api/reports', json({ text: report, published: '2021-08-14' }, { 'X-Sitrep-Token': TOKEN }));
    assert.equal(again.status, 200);
    assert.equal(again.body.status, 'known');
    // The stored report's claims make its country's districts known (the rest unknown).
    const control = await call(app, '/api/control?as_of=2021-08-14&admin1=Ghazni');
    assert.ok(control.body.districts.length >= 10);
    assert.ok(control.body.districts.some((d: { controller: string | null }) => d.controller === 'Taliban'));
    assert.ok(control.body.districts.some((d: { status: string }) => d.status === 'unknown'));
  });

  test('POST /api/reports without a token configured: refused, unless --open, from loopback and with the secret', async () => {
    const text = 'KUNDUZ, Aug 8 - Taliban fighters seized Kunduz city on Sunday, officials said.';
    assertError(await call(appFor(store), '/api/reports', json({ text })), 403, 'forbidden', /--token/);
    assert.equal((await call(appFor(store), '/api/meta')).body.write_secret, undefined, 'no secret without --open');
    const open = appFor(store, { open: true });
    const meta = (await call(open, '/api/meta')).body;
    assert.equal(meta.writes, 'open');
    const secret = { 'X-Sitrep-Write-Secret': meta.write_secret };
    const remote = { incoming: { socket: { remoteAddress: '10.1.2.3' } } };
    assertError(await call(open, '/api/reports', json({ text }, secret), remote), 403, 'forbidden', /loopback/);
    const local = { incoming: { socket: { remoteAddress: '::ffff:127.0.0.1' } } };
    const r = await call(open, '/api/reports', json({ text, published: '2021-08-14' }, secret), local);
    assert.equal(r.status, 201, r.text);
  });
});

describe('writes from browsers: Host, Origin, Sec-Fetch-Site, JSON and the per-start secret', () => {
  const text = 'KABUL, Aug 15 - Taliban fighters seized Kabul on Sunday, officials said.';
  const at = { host: '127.0.0.1', port: 8080 };
  // What Chromium sends from the map page at http://127.0.0.1:8080/.
  const page = { Host: '127.0.0.1:8080', Origin: 'http://127.0.0.1:8080', 'Sec-Fetch-Site': 'same-origin' };
  let store: Store;
  let open: Hono;
  let secret: string;
  const post = (app: Hono, headers: Record<string, string>, body: unknown = { text, published: '2021-08-15' }) => call(app, '/api/reports', json(body, headers));
  before(async () => {
    store = await Store.open(path.join(tempDir(), 'db'));
    open = appFor(store, { open: true, listening: () => at });
    secret = (await call(open, '/api/meta', { headers: { Host: page.Host, 'Sec-Fetch-Site': 'same-origin' } })).body.write_secret;
  });
  after(() => store.close());

  test('GET /api/meta gives the secret to the own page only, and says not to keep it', async () => {
    assert.match(secret, /^[\w-]{40,}$/);
    const r = await call(open, '/api/meta', { headers: { Host: 'localhost:8080' } });
    assert.equal(r.body.write_secret, secret);
    assert.equal(r.headers.get('cache-control'), 'no-store');
    for (const headers of [{ ...page, 'Sec-Fetch-Site': 'cross-site' }, { ...page, Origin: 'https://evil.example' }, { ...page, Origin: 'null' }]) {
      assert.equal((await call(open, '/api/meta', { headers })).body.write_secret, undefined, JSON.stringify(headers));
    }
    // Every start has its own.
    assert.notEqual((await call(appFor(store, { open: true }), '/api/meta')).body.write_secret, secret);
  });

  test('another site\'s page is refused: its Origin, its Sec-Fetch-Site, an opaque origin', async () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ ...page, Origin: 'https://evil.example' }, /Origin https:\/\/evil\.example is not this server's/],
      [{ Host: page.Host, 'Sec-Fetch-Site': 'cross-site' }, /Sec-Fetch-Site: cross-site/],
      [{ ...page, 'Sec-Fetch-Site': 'same-site', Origin: 'http://127.0.0.1:9999' }, /Sec-Fetch-Site: same-site/],
      [{ ...page, Origin: 'null' }, /Origin null/],
      [{ ...page, Origin: 'http://localhost:9999' }, /not this server's/],
    ];
    for (const [headers, message] of cases) assertError(await post(open, { ...headers, 'X-Sitrep-Write-Secret': secret }), 403, 'cross_site', message);
  });

  test('a Host that is not the server\'s (DNS rebinding) is refused on every route', async () => {
    for (const host of ['attacker.example', 'attacker.example:8080', '127.0.0.1:9999', '10.0.0.1:8080']) {
      assertError(await call(open, '/api/meta', { headers: { Host: host } }), 403, 'forbidden_host', /is not this server's name/);
      assertError(await post(open, { ...page, Host: host, 'X-Sitrep-Write-Secret': secret }), 403, 'forbidden_host');
      assert.equal((await open.request('/', { headers: { Host: host } })).status, 403, `the page itself, Host ${host}`);
    }
    for (const host of ['127.0.0.1:8080', 'localhost:8080', 'LOCALHOST:8080', '[::1]:8080']) assert.equal((await call(open, '/api/meta', { headers: { Host: host } })).status, 200, host);
  });

  test('--open: a text/plain or form body is refused (no preflight protects it); so is a missing or wrong secret', async () => {
    const plain = { method: 'POST', headers: { ...page, 'Content-Type': 'text/plain', 'X-Sitrep-Write-Secret': secret }, body: text };
    assertError(await call(open, '/api/reports?published=2021-08-15', plain), 415, 'unsupported_media_type', /application\/json/);
    const form = { method: 'POST', headers: { Host: page.Host, 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'text=x' };
    assertError(await call(open, '/api/reports', form), 415, 'unsupported_media_type');
    assertError(await post(open, page), 403, 'write_secret', /X-Sitrep-Write-Secret header/);
    assertError(await post(open, { ...page, 'X-Sitrep-Write-Secret': `${secret}x` }), 403, 'write_secret', /wrong/);
    assertError(await post(open, { ...page, 'X-Sitrep-Write-Secret': '' }), 403, 'write_secret');
    assert.equal((await store.counts()).reports, 0);
  });

  test('--open: the own page\'s JSON with the secret is stored; so is a request from no browser at all', async () => {
    const r = await post(open, { ...page, 'X-Sitrep-Write-Secret': secret });
    assert.equal(r.status, 201, r.text);
    const curl = await post(open, { 'X-Sitrep-Write-Secret': secret }, { text: 'KANDAHAR, Aug 13 - Taliban fighters seized Kandahar on Friday, officials said.', published: '2021-08-14' });
    assert.equal(curl.status, 201, curl.text);
  });

  test('with a token: any body type, but still not from another site or Host', async () => {
    const app = appFor(store, { token: TOKEN, listening: () => at });
    assert.equal((await call(app, '/api/meta', { headers: page })).body.write_secret, undefined, 'the token is the secret');
    const auth = { Authorization: `Bearer ${TOKEN}` };
    const body = 'HERAT, Aug 12 - Taliban fighters seized Herat on Thursday, officials said.';
    const plain = await call(app, '/api/reports?published=2021-08-13', { method: 'POST', headers: { ...auth, 'Content-Type': 'text/plain' }, body });
    assert.equal(plain.status, 201, plain.text);
    assertError(await post(app, { ...auth, ...page, Origin: 'https://evil.example' }), 403, 'cross_site');
    assertError(await post(app, { ...auth, Host: 'attacker.example' }), 403, 'forbidden_host');
  });

  test('--allow-origin: another page and name the user allows', async () => {
    const app = appFor(store, { open: true, listening: () => at, allowOrigins: ['http://sitrep.lan:8080'] });
    const own = (await call(app, '/api/meta', { headers: { Host: 'sitrep.lan:8080' } })).body.write_secret;
    const r = await post(app, { Host: 'sitrep.lan:8080', Origin: 'http://sitrep.lan:8080', 'Sec-Fetch-Site': 'cross-site', 'X-Sitrep-Write-Secret': own }, { text: 'LASHKAR GAH, Aug 13 - Taliban fighters seized Lashkar Gah, officials said.', published: '2021-08-13' });
    assert.equal(r.status, 201, r.text);
    assertError(await post(app, { ...page, Origin: 'http://sitrep.lan:9090', 'X-Sitrep-Write-Secret': own }), 403, 'cross_site');
  });

  test('no CORS: a preflight is refused and no answer allows another origin', async () => {
    const pre = await open.request('/api/reports', { method: 'OPTIONS', headers: { Host: page.Host, Origin: 'https://evil.example', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' } });
    assert.equal(pre.status, 404);
    for (const r of [pre, await open.request('/api/meta', { headers: { Host: page.Host, Origin: 'https://evil.example' } })]) {
      assert.equal(r.headers.get('access-control-allow-origin'), null);
    }
  });

  test('over HTTP: a foreign Host, another site\'s Origin and a text/plain write are refused; the own page\'s JSON with the secret is stored', async () => {
    const running = await startServer({ db: path.join(tempDir(), 'db'), config, resources: () => resources(config), today: () => '2021-09-01', token: null, open: true, port: 0, host: '127.0.0.1' });
    try {
      const port = new URL(running.url).port;
      const get = (host: string) =>
        new Promise<number>((resolve, reject) => {
          http.get({ host: '127.0.0.1', port, path: '/api/meta', headers: { Host: host } }, (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          }).on('error', reject);
        });
      assert.equal(await get(`127.0.0.1:${port}`), 200);
      assert.equal(await get(`localhost:${port}`), 200);
      assert.equal(await get(`attacker.example:${port}`), 403);
      // Writes over the wire: another site's Origin, a text/plain body, then the own page's JSON with the secret.
      const own = `127.0.0.1:${port}`;
      const send = (method: string, headers: Record<string, string>, body?: string) =>
        new Promise<{ status: number; body: string }>((resolve, reject) => {
          const req = http.request({ host: '127.0.0.1', port, method, path: method === 'GET' ? '/api/meta' : '/api/reports', headers: { Host: own, ...headers } }, (res) => {
            let text = '';
            res.setEncoding('utf8').on('data', (c: string) => (text += c)).on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
          });
          req.on('error', reject).end(body);
        });
      const secret = (JSON.parse((await send('GET', { 'Sec-Fetch-Site': 'same-origin' })).body) as { write_secret: string }).write_secret;
      const report = JSON.stringify({ text: 'KUNDUZ, Aug 8 - Taliban fighters seized Kunduz on Sunday, officials said.', published: '2021-08-09' });
      const jsonHeaders = { 'Content-Type': 'application/json', 'X-Sitrep-Write-Secret': secret };
      assert.equal((await send('POST', { ...jsonHeaders, Origin: 'https://evil.example' }, report)).status, 403);
      assert.equal((await send('POST', { 'Content-Type': 'text/plain', 'X-Sitrep-Write-Secret': secret, Origin: `http://${own}` }, report)).status, 415);
      const stored = await send('POST', { ...jsonHeaders, Origin: `http://${own}`, 'Sec-Fetch-Site': 'same-origin' }, report);
      assert.equal(stored.status, 201, stored.body);
    } finally {
      await running.close();
    }
  });
});

describe('errors the server did not expect', () => {
  test('an internal error is a 500 that says nothing more; the trace goes to the log', async () => {
    const logged: string[] = [];
    const broken = {
      db: { kind: 'postgres' },
      events: async () => {
        throw new Error('connection lost at /secret/path');
      },
    } as unknown as Store;
    const app = appFor(broken, { log: (s) => logged.push(s) });
    const r = await call(app, '/api/events');
    assertError(r, 500, 'internal', /^internal error$/);
    assert.doesNotMatch(r.text, /secret/);
    assert.match(logged.join(''), /connection lost at \/secret\/path/);
  });
});

describe('startServer', () => {
  const base = { config, resources: () => resources(config), today: () => '2021-09-01', token: null, open: false, port: 0, host: '127.0.0.1' };
  test('listens on a free port, answers over HTTP, and releases the store on close', async () => {
    const db = path.join(tempDir(), 'db');
    const running = await startServer({ ...base, db });
    try {
      const r = await fetch(new URL('/api/meta', running.url));
      assert.equal(r.status, 200);
      assert.equal(((await r.json()) as { date_range: unknown }).date_range, null);
    } finally {
      await running.close();
    }
    // The lock is gone: the store opens again.
    await (await Store.open(db)).close();
  });

  const refused: [string, Partial<Omit<typeof base, 'token'>> & { token?: string | null }, RegExp][] = [
    ['--open on a public address', { open: true, host: '0.0.0.0' }, /loopback/],
    ['a short token', { token: 'abc' }, /too short/],
    ['a bad port', { port: 70000 }, /port/],
  ];
  for (const [name, o, message] of refused) {
    test(`refuses ${name}`, async () => {
      await assert.rejects(startServer({ ...base, db: path.join(tempDir(), 'db'), ...o }), message);
    });
  }
});

describe('ResponseCache', () => {
  const v = (body: string) => ({ body, headers: {} });
  test('keeps answers, drops the least recently used past its size, and forgets all on a write', () => {
    const c = new ResponseCache(100); // sizes in bytes, two per character
    for (const k of ['a', 'b', 'c', 'd']) c.set(k, v(k.repeat(12)), c.now()); // 4 x 24 = 96 bytes
    assert.equal(c.get('a')?.body, 'aaaaaaaaaaaa'); // a is now the most recently used
    c.set('e', v('e'.repeat(12)), c.now()); // 120 bytes: b, the least recently used, goes
    assert.equal(c.get('b'), undefined);
    for (const k of ['a', 'c', 'd', 'e']) assert.ok(c.get(k), k);
    c.clear();
    assert.equal(c.get('a'), undefined);
  });
  test('an answer computed before a write is not kept', () => {
    const c = new ResponseCache(1000);
    const before = c.now();
    c.clear();
    c.set('a', v('old'), before);
    assert.equal(c.get('a'), undefined);
    c.set('a', v('new'), c.now());
    assert.equal(c.get('a')?.body, 'new');
  });
  test('an answer larger than a quarter of the cache is not kept', () => {
    const c = new ResponseCache(100);
    c.set('big', v('x'.repeat(20)), c.now());
    assert.equal(c.get('big'), undefined);
  });
});

describe('sitrep serve (command line)', () => {
  const run = async (args: string[]) => {
    let err = '';
    const io: Io = { out: () => {}, err: (s) => (err += s), stdin: () => Buffer.alloc(0), today: () => '2021-09-01' };
    const code = await main(['serve', '--db', path.join(tempDir(), 'db'), ...args], io);
    return { code, err };
  };
  const bad: [string[], RegExp][] = [
    [['--port', 'http'], /--port "http" is not a port number/],
    [['--port', '99999'], /--port 99999: expected 0\.\.65535/],
    [['--open', '--host', '0.0.0.0', '--port', '0'], /--open allows writes without a token, so only on a loopback host/],
    [['--token', 'short', '--port', '0'], /token is too short/],
    [['--open', '--allow-origin', 'sitrep.lan', '--port', '0'], /--allow-origin "sitrep\.lan" is not a URL/],
    [['--open', '--allow-origin', 'ftp://sitrep.lan', '--port', '0'], /expected an http/],
  ];
  for (const [args, message] of bad) {
    test(`serve ${args.join(' ')}: one line and exit 2`, async () => {
      const r = await run(args);
      assert.equal(r.code, 2);
      assert.match(r.err, message);
      assert.equal(r.err.trim().split('\n').length, 1);
    });
  }
});
