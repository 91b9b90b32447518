// The web map in Debian's Chromium (headless, through playwright-core; no browser download)
// against `sitrep serve` on 127.0.0.1: the slider recolours the Baghlan districts, an event shows
// its evidence, a pasted report is previewed and stored, and a report carrying markup and
// script runs nothing. Screenshots go to test-artifacts/ for a person to look at.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { BAGHLAN, fixtureStore, LASHIO, MILITIA, REPORTS, SEED, tempDir } from './fixtures/serve/store.js';
import { ARTIFACTS, clickAt, districtColours, eventOf, launch, onMap, openMap, openPhone, serve, skip, slide, stop, typeDate } from './support/browser.js';

describe('web map in Chromium', { skip }, () => {
  let browser: Browser;
  let server: { url: string; child: ChildProcess };
  let page: Page;
  const problems: string[] = [];

  before(async () => {
    ({ server, browser, page } = await openMap(REPORTS, problems));
  });

  after(async () => {
    await browser?.close();
    await stop(server);
  });

  test('province names show up to zoom 7.5, district names from there on', async () => {
    const zooms = await page.evaluate(() =>
      ['province-label', 'district-label'].map((id) => {
        const layer = (window as unknown as { sitrepMap: { getLayer(id: string): { minzoom?: number; maxzoom?: number; type: string } | undefined } }).sitrepMap.getLayer(id);
        return layer && [layer.type, layer.minzoom ?? 0, layer.maxzoom ?? 24];
      }),
    );
    assert.deepEqual(zooms, [
      ['symbol', 0, 7.5],
      ['symbol', 7.5, 24],
    ]);
  });

  test('the slider from 2021-08-15 to 2021-08-21 turns the Baghlan districts from the Taliban to the militia', async () => {
    await slide(page, 'Home', '2021-08-15');
    assert.equal(await page.locator('#date-label').textContent(), '2021-08-15');
    const before15 = await districtColours(page, BAGHLAN);
    await page.screenshot({ path: path.join(ARTIFACTS, 'map-2021-08-15.png') });

    await slide(page, 'End', '2021-08-21');
    const after21 = await districtColours(page, BAGHLAN);
    await page.screenshot({ path: path.join(ARTIFACTS, 'map-2021-08-21.png') });

    for (const code of BAGHLAN) {
      assert.equal(before15[code]?.controller, 'Taliban', code);
      assert.equal(after21[code]?.controller, MILITIA, code);
      assert.notEqual(after21[code]!.color, before15[code]!.color, `${code} changes colour`);
    }
    // The legend names both sides with the map's colours.
    assert.equal(await page.locator(`#legend-control [data-controller="${MILITIA}"]`).count(), 1);
    assert.equal(await page.locator('#legend-control [data-controller="Taliban"]').count(), 1);
    // The fill layer paints the colour the districts carry.
    assert.deepEqual(await page.evaluate(() => (window as unknown as { sitrepMap: { getPaintProperty(l: string, p: string): unknown } }).sitrepMap.getPaintProperty('district-fill', 'fill-color')), ['get', 'color']);
  });

  test('clicking an event shows its source and evidence sentence with the words marked', async () => {
    const e = await eventOf(page, 'admin2=AF0907');
    await clickAt(page, e.longitude, e.latitude, 10);
    await page.waitForSelector('#details[data-loaded^="event:"]', { state: 'attached', timeout: 15_000 });
    const details = page.locator('#details-body');
    assert.match((await details.textContent())!, /Test Wire/);
    const marks = await details.locator('.evidence mark').allTextContents();
    assert.ok(marks.includes('seized'), marks.join('|'));
    assert.match((await details.locator('.evidence').first().textContent())!, /militia fighters opposed to the Taliban seized Andarab/);
    await page.locator('#details').screenshot({ path: path.join(ARTIFACTS, 'event-evidence.png') });
  });

  test('clicking a district shows its control history', async () => {
    const e = await eventOf(page, 'admin2=AF0908');
    // Beside the event's circle, on the district's polygon.
    await clickAt(page, e.longitude, e.latitude, 10, 40, 40);
    await page.waitForSelector('#details[data-loaded^="district:"]', { state: 'attached', timeout: 15_000 });
    const text = (await page.locator('#details-body').textContent())!;
    assert.match(text, /Control history \(\d+ claims?/);
    assert.match(text, /baseline: Taliban/);
    // The words a claim rests on are marked, not its whole sentence.
    const marks = await page.locator('#details-body .claim mark').allTextContents();
    assert.ok(marks.includes('seized'), marks.join('|'));
    assert.ok(marks.every((m) => m.length < 60), marks.join('|'));
    await page.screenshot({ path: path.join(ARTIFACTS, 'district-timeline.png') });
  });

  test('a pasted report is previewed, then stored when asked', async () => {
    await page.fill('#paste-text', 'KUNDUZ, Aug 8 - Taliban fighters seized Kunduz city on Sunday, officials said.');
    await page.fill('#paste-published', '2021-08-09');
    await page.fill('#paste-source', 'Pasted Wire');
    await page.click('#paste-preview');
    await page.waitForSelector('#paste-result[data-state="previewed"]', { state: 'attached', timeout: 15_000 });
    assert.match((await page.locator('#paste-result').textContent())!, /sitrep finds 1 event and 1 control claim/);
    assert.ok((await page.locator('#paste-result mark').allTextContents()).includes('seized'));
    const before = await page.evaluate(async () => (await (await fetch('/api/meta')).json()).counts.reports);
    await page.locator('#paste').screenshot({ path: path.join(ARTIFACTS, 'paste-preview.png') });
    await page.click('#paste-store');
    await page.waitForSelector('#paste-result[data-state="stored"]', { state: 'attached', timeout: 15_000 });
    assert.match((await page.locator('#paste-result').textContent())!, /Stored as report \d+: 1 new events?/);
    const afterCount = await page.evaluate(async () => (await (await fetch('/api/meta')).json()).counts.reports);
    assert.equal(afterCount, before + 1);
    // The slider now reaches back to the new report's date.
    assert.equal(await page.locator('#date-min').textContent(), '2021-08-08');
  });

  test('a report carrying markup and script runs nothing: it is shown as text', async () => {
    const text =
      'Fighters <img src=x onerror="window.__pwned=1"> in Kunar\n\nASADABAD, Aug 19 - Taliban fighters seized Asadabad district <script>window.__pwned=2</script> on Thursday <img src=x onerror="window.__pwned=3">, officials said.';
    await page.fill('#paste-text', text);
    await page.fill('#paste-published', '2021-08-21');
    await page.fill('#paste-source', '<img src=y onerror="window.__pwned=4">');
    await page.click('#paste-preview');
    await page.waitForSelector('#paste-result[data-state="previewed"]', { state: 'attached', timeout: 15_000 });
    await page.click('#paste-store');
    await page.waitForSelector('#paste-result[data-state="stored"]', { state: 'attached', timeout: 15_000 });
    const e = await eventOf(page, 'admin2=AF1501&from=2021-08-19');
    await clickAt(page, e.longitude, e.latitude, 10);
    await page.waitForSelector(`#details[data-loaded="event:${e.event_id}"]`, { state: 'attached', timeout: 15_000 });
    const details = (await page.locator('#details-body').textContent())!;
    assert.match(details, /<script>window.__pwned=2<\/script>/, 'the script tag is shown as text');
    assert.match(details, /<img src=y onerror="window.__pwned=4">/, 'the source name is shown as text');
    await page.locator('#details').screenshot({ path: path.join(ARTIFACTS, 'injection-as-text.png') });
    await page.waitForTimeout(300);
    assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined);
    assert.equal(await page.locator('#panel img, #panel script').count(), 0);
  });

  test('the type and actor filters hide and show the events', async () => {
    await slide(page, 'End', '2021-08-21');
    await page.evaluate(() => (window as unknown as { sitrepMap: { jumpTo(o: object): void } }).sitrepMap.jumpTo({ center: [69.2, 35.2], zoom: 6 }));
    const shown = () =>
      page.evaluate(
        () =>
          new Promise<number>((resolve) => {
            const map = (window as unknown as { sitrepMap: { once(e: string, f: () => void): void; triggerRepaint(): void; queryRenderedFeatures(o: object): unknown[] } }).sitrepMap;
            map.once('idle', () => resolve(map.queryRenderedFeatures({ layers: ['events'] }).length));
            map.triggerRepaint();
          }),
      );
    const all = await shown();
    assert.ok(all >= 4, `${all} events drawn`);
    const battles = page.locator('#type-filters input[value="Battles"]');
    await battles.uncheck();
    assert.equal(await shown(), 0);
    await battles.check();
    assert.equal(await shown(), all);
    // The militia's events, as the API tells them.
    const militia = await page.evaluate(async (name) => {
      const { events } = await (await fetch('/api/events?from=2021-08-15&to=2021-08-21')).json();
      return events.filter((e: Record<string, string>) => [e.actor1, e.assoc_actor_1, e.actor2, e.assoc_actor_2].includes(name)).length;
    }, MILITIA);
    assert.ok(militia >= 3 && militia < all, `${militia} of ${all}`);
    await page.fill('#actor-filter', MILITIA);
    assert.equal(await shown(), militia);
    await page.fill('#actor-filter', 'no such actor');
    assert.equal(await shown(), 0);
    await page.fill('#actor-filter', '');
    assert.equal(await shown(), all);
  });

  test('country outlines are drawn under the districts, and a side has the colour rules/control/colours.tsv gives it', async () => {
    const layers = await onMap(page, (map) => map.getStyle().layers.map((l) => l.id), null);
    assert.ok(layers.indexOf('country-fill') >= 0 && layers.indexOf('country-fill') < layers.indexOf('district-fill'), layers.join(','));
    await page.evaluate(() => new Promise<void>((resolve) => {
      const map = (window as unknown as { sitrepMap: { jumpTo(o: object): void; once(e: string, f: () => void): void } }).sitrepMap;
      map.once('idle', () => resolve());
      map.jumpTo({ center: [60, 33], zoom: 4 });
    }));
    const countries = await onMap(page, (map) => [...new Set(map.queryRenderedFeatures(undefined, { layers: ['country-fill'] }).map((f) => f.properties.name))], null);
    for (const c of ['Afghanistan', 'Pakistan', 'Iran', 'Turkmenistan', 'Tajikistan']) assert.ok(countries.includes(c), countries.join(','));
    // Iran, beside Afghanistan, is drawn with its name (the tooltip's and the tests' handle).
    const iran = await onMap(page, (map) => { const p = map.project([53, 32]); return map.queryRenderedFeatures([p.x, p.y], { layers: ['country-fill'] }).map((f) => f.properties.name); }, null);
    assert.deepEqual(iran, ['Iran']);
    await slide(page, 'End', '2021-08-21');
    assert.equal((await districtColours(page, ['AF0101']))['AF0101']?.color, '#e3c873', 'the Taliban sand of colours.tsv');
    // The furniture: a scale bar and the data credits on the map.
    assert.match((await page.locator('.maplibregl-ctrl-scale').textContent())!, /\d+\s*k?m/);
    const credit = (await page.locator('.maplibregl-ctrl-attrib').textContent())!;
    for (const w of ['OCHA COD-AB', 'Natural Earth', 'GeoNames (CC BY 4.0)']) assert.ok(credit.includes(w), credit);
  });

  test('a typed date moves the slider, which speaks the date; the date stays on screen when the panel scrolls', async () => {
    await typeDate(page, '2021-08-18');
    assert.equal(await page.locator('#date-slider').getAttribute('aria-valuetext'), '2021-08-18');
    assert.equal(await page.locator('#date-label').textContent(), '2021-08-18');
    await page.click('button.step[data-days="1"]');
    await page.waitForSelector('#map[data-control-date="2021-08-19"]', { state: 'attached', timeout: 15_000 });
    // A date beyond the store's range goes to its end.
    await typeDate(page, '2030-01-01').catch(() => {});
    await page.waitForSelector('#map[data-control-date="2021-08-21"]', { state: 'attached', timeout: 15_000 });
    await page.locator('#panel').evaluate((p) => (p.scrollTop = p.scrollHeight));
    const label = page.locator('#date-label');
    const box = (await label.boundingBox())!;
    assert.ok(box.y >= 0 && box.y + box.height <= 900, JSON.stringify(box));
    assert.equal(await page.evaluate(([x, y]) => document.elementFromPoint(x!, y!)?.id, [box.x + box.width / 2, box.y + box.height / 2]), 'date-label');
    await page.screenshot({ path: path.join(ARTIFACTS, 'panel-scrolled.png') });
  });

  test("a district's details follow the date: its control with its age, and claims after the date greyed", async () => {
    await typeDate(page, '2021-08-21');
    const e = await eventOf(page, 'admin2=AF0908');
    await clickAt(page, e.longitude, e.latitude, 10, 40, 40);
    await page.waitForSelector('#details[data-loaded="district:AF0908"][data-date="2021-08-21"]', { state: 'attached', timeout: 15_000 });
    assert.match((await page.locator('#details-body .now').textContent())!, new RegExp(`On 2021-08-21: ${MILITIA.replace(/[()]/g, '\\$&')}, contested since 2021-08-21, the same day`));
    assert.equal(await page.locator('#details-body .claim.after').count(), 0);
    await typeDate(page, '2021-08-18');
    await page.waitForSelector('#details[data-loaded="district:AF0908"][data-date="2021-08-18"]', { state: 'attached', timeout: 15_000 });
    assert.match((await page.locator('#details-body .now').textContent())!, /On 2021-08-18: Taliban, controlled since 2021-08-15, 3 days ago/);
    const later = await page.locator('#details-body .claim.after').allTextContents();
    assert.ok(later.length >= 1 && later.every((t) => t.startsWith('2021-08-21')), later.join('|'));
    assert.match((await page.locator('#details-body h3').nth(1).textContent())!, /after 2021-08-18, greyed/);
    // "control: X (from X)" is never said: a claim names whom it takes from only when that is another side.
    for (const t of await page.locator('#details-body .claim > div:first-child').allTextContents()) assert.doesNotMatch(t, /: (.+) \(from \1\)/, t);
    await page.locator('#details').screenshot({ path: path.join(ARTIFACTS, 'district-after-date.png') });
  });

  test('the actor filter takes a whole actor or side: a piece of a name shows nothing, a side shows its members', async () => {
    await typeDate(page, '2021-08-21');
    const shown = () => page.evaluate(() => Number(/^(\d+)/.exec(document.getElementById('status')!.textContent!)![1]));
    await page.fill('#actor-filter', 'Militia');
    assert.equal(await shown(), 0);
    assert.match((await page.locator('#status').textContent())!, /^0 events on the map \(of \d+ in the window\)/);
    assert.match((await page.locator('#actor-hint').textContent())!, /No actor or side named "Militia"/);
    // The Taliban as the API tells them: under their own name or one sides.tsv gives them.
    const expected = await page.evaluate(async () => {
      const meta = await (await fetch('/api/meta')).json();
      const { events } = await (await fetch('/api/events?from=2021-08-15&to=2021-08-21')).json();
      const side = (a: string) => meta.sides[a] ?? a;
      return events.filter((e: Record<string, string | null>) => [e.actor1, e.assoc_actor_1, e.actor2, e.assoc_actor_2].some((a) => a && side(a) === 'Taliban')).length;
    });
    assert.ok(expected >= 1);
    await page.fill('#actor-filter', 'Taliban');
    assert.equal(await shown(), expected);
    // The list holds what the map draws in view, no more.
    const drawn = await page.evaluate(
      () =>
        new Promise<number>((resolve) => {
          const map = (window as unknown as { sitrepMap: { once(e: string, f: () => void): void; triggerRepaint(): void; queryRenderedFeatures(o: object): { properties: { event_id: string } }[] } }).sitrepMap;
          map.once('idle', () => resolve(new Set(map.queryRenderedFeatures({ layers: ['events'] }).map((f) => f.properties.event_id)).size));
          map.triggerRepaint();
        }),
    );
    assert.ok(drawn > 0);
    assert.equal(await page.locator('#event-list button').count(), drawn);
    await page.fill('#actor-filter', '');
    assert.doesNotMatch((await page.locator('#status').textContent())!, /of \d+ in the window/);
  });

  test('the paste box: Preview needs text, an undated paste says the date used, a too long one says so in words', async () => {
    await page.fill('#paste-text', '');
    assert.equal(await page.locator('#paste-preview').isDisabled(), true);
    await page.fill('#paste-text', '   ');
    assert.equal(await page.locator('#paste-preview').isDisabled(), true);
    assert.equal(await page.locator('label[for="paste-text"]').count(), 1);
    await page.fill('#paste-text', 'Taliban fighters seized Kunduz city on Sunday, officials said.');
    await page.fill('#paste-published', '');
    await page.click('#paste-preview');
    await page.waitForSelector('#paste-result[data-state="previewed"]', { state: 'attached', timeout: 15_000 });
    const today = new Date().toISOString().slice(0, 10);
    assert.match((await page.locator('#paste-result .dated').textContent())!, new RegExp(`No publication date given: sitrep dated it ${today} \\(today\\)`));
    // The certainty is said once ("reported", not "reported (reportedly)").
    for (const t of await page.locator('#paste-result dd').allTextContents()) assert.doesNotMatch(t, /^(\w{5})\w* \(\1/i, t);
    // The same contest said three times is one line with its count.
    await page.fill('#paste-text', 'KUNDUZ, Aug 8 - Taliban fighters seized Kunduz city on Sunday, officials said. The government denied that Kunduz had fallen.\n\nLater, officials again denied that Kunduz had fallen.\n\nThe army vowed to retake Kunduz.');
    await page.fill('#paste-published', '2021-08-09');
    await page.click('#paste-preview');
    await page.waitForSelector('#paste-result[data-state="previewed"]', { state: 'attached', timeout: 15_000 });
    const lines = await page.locator('#paste-result li').allTextContents();
    assert.equal(lines.length, 2, lines.join('|'));
    assert.match(lines[1]!, /^2021-08-09 contest: Government of Afghanistan \(2004-2021\) against Taliban — Kunduz, Kunduz ×3$/);
    await page.fill('#paste-text', 'x'.repeat(500_001));
    await page.click('#paste-preview');
    await page.waitForSelector('#paste-result[data-state="error"]', { state: 'attached', timeout: 15_000 });
    assert.match((await page.locator('#paste-result').textContent())!, /^The report is too long: at most 500,000 characters/);
    await page.fill('#paste-text', '');
  });

  test('on a phone (390x844) the map keeps the screen, the panel is a sheet that folds, and a tap leaves no tooltip', async () => {
    const phone = await openPhone(browser, server.url, problems);
    const canvas = (await phone.locator('#map canvas').boundingBox())!;
    const panel = (await phone.locator('#panel').boundingBox())!;
    assert.equal(Math.round(canvas.width), 390);
    assert.ok(canvas.height >= 844 * 0.55, `map ${canvas.height} px high`);
    assert.ok(panel.y >= canvas.y + canvas.height - 1 && panel.height <= 844 * 0.45, JSON.stringify(panel));
    assert.ok(await phone.locator('#date-label').isVisible());
    // The credits are folded behind their button, not over the map's foot.
    assert.equal(await phone.locator('.maplibregl-ctrl-attrib.maplibregl-compact-show').count(), 0);
    assert.equal(await phone.locator('.maplibregl-ctrl-attrib-button').count(), 1);
    await phone.screenshot({ path: path.join(ARTIFACTS, 'phone.png') });
    // A tap on a district: its details, and no tooltip left on the map.
    await phone.evaluate(() => new Promise<void>((resolve) => {
      const map = (window as unknown as { sitrepMap: { jumpTo(o: object): void; once(e: string, f: () => void): void } }).sitrepMap;
      map.once('idle', () => resolve());
      map.jumpTo({ center: [66.5, 33.2], zoom: 7 });
    }));
    await phone.touchscreen.tap(195, canvas.y + canvas.height / 2);
    await phone.waitForSelector('#details[data-loaded^="district:"]', { state: 'attached', timeout: 15_000 });
    assert.equal(await phone.locator('#tooltip').isVisible(), false);
    await phone.screenshot({ path: path.join(ARTIFACTS, 'phone-district.png') });
    await phone.locator('#panel-toggle').tap();
    await phone.waitForFunction(() => document.getElementById('map')!.getBoundingClientRect().height > 844 * 0.85);
    assert.equal(await phone.locator('#panel-toggle').getAttribute('aria-expanded'), 'false');
    assert.ok(await phone.locator('#date-label').isVisible(), 'the date stays when the panel is folded');
    await phone.screenshot({ path: path.join(ARTIFACTS, 'phone-folded.png') });
    await phone.close();
  });

  test('the first load is under 1 MB on the wire (gzip), however much the files weigh unpacked', async () => {
    const fresh = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const sizes: Promise<number>[] = [];
    fresh.on('requestfinished', (r) => sizes.push(r.sizes().then((s) => s.responseBodySize + s.responseHeadersSize)));
    await fresh.goto(server.url);
    await fresh.waitForSelector('html[data-ready="true"]', { state: 'attached', timeout: 30_000 });
    const bytes = (await Promise.all(sizes)).reduce((a, b) => a + b, 0);
    await fresh.close();
    assert.ok(bytes < 1_000_000, `${bytes} bytes`);
  });

  test('play steps through the dates and pauses', async () => {
    // The pasted reports above moved the first date back.
    const first = (await page.locator('#date-min').textContent())!;
    await slide(page, 'Home', first);
    await page.click('#play');
    assert.equal(await page.locator('#play').textContent(), '❚❚ Pause');
    const third = new Date(Date.parse(`${first}T00:00:00Z`) + 2 * 86_400_000).toISOString().slice(0, 10);
    await page.waitForSelector(`body[data-date="${third}"]`, { state: 'attached', timeout: 10_000 });
    await page.click('#play');
    assert.equal(await page.locator('#play').textContent(), '▶ Play');
    const paused = await page.locator('#date-label').textContent();
    await page.waitForTimeout(1200);
    assert.equal(await page.locator('#date-label').textContent(), paused);
  });

  test('no page errors and no request beyond the server', () => {
    assert.deepEqual(problems, []);
  });
});

describe('web map of the seed report in Chromium', { skip: skip || (!fs.existsSync(SEED.file) && 'needs ../shared (the seed report)') }, () => {
  let browser: Browser;
  let server: { url: string; child: ChildProcess };

  before(async () => {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    const db = path.join(tempDir(), 'db');
    await (await fixtureStore(db, [SEED])).close();
    server = await serve(db);
    browser = await launch();
  });

  after(async () => {
    await browser?.close();
    await stop(server);
  });

  test("the slider from 2021-08-15 to 2021-08-21 turns the seed's Baghlan districts to the anti-Taliban militia", async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(server.url);
    await page.waitForSelector('html[data-ready="true"]', { state: 'attached', timeout: 30_000 });
    await slide(page, 'Home', '2021-08-15');
    const before15 = await districtColours(page, BAGHLAN);
    await slide(page, 'End', '2021-08-21');
    const after21 = await districtColours(page, BAGHLAN);
    await page.screenshot({ path: path.join(ARTIFACTS, 'seed-2021-08-21.png') });
    for (const code of BAGHLAN) {
      assert.equal(before15[code]?.controller, 'Taliban', code);
      assert.equal(after21[code]?.controller, 'Anti-Taliban Militia (Afghanistan)', code);
      assert.equal(after21[code]?.status, 'contested', code);
      assert.notEqual(after21[code]!.color, before15[code]!.color, code);
    }
    // "Brief for this view": the week shown, as one HTML page from the server.
    const href = await page.getAttribute('#brief-link', 'href');
    assert.equal(href, '/api/brief?from=2021-08-15&to=2021-08-21&format=html');
    const brief = await (await page.request.get(new URL(href!, server.url).toString())).text();
    assert.match(brief, /were reportedly retaken by anti-Taliban forces/);
    assert.match(brief, /<svg /);
  });
});

describe('web map of two theatres in Chromium', { skip }, () => {
  let browser: Browser;
  let server: { url: string; child: ChildProcess };
  let page: Page;
  const problems: string[] = [];
  const lashio: [number, number] = [97.7498, 22.9359];

  before(async () => {
    ({ server, browser, page } = await openMap([...REPORTS, LASHIO], problems));
  });

  after(async () => {
    await browser?.close();
    await stop(server);
  });

  test("the first view is fitted to the opening date's events in Myanmar, not to Afghanistan", async () => {
    assert.equal(await page.locator('#date-label').textContent(), '2024-08-04');
    assert.match((await page.locator('#status').textContent())!, /^2 events on the map/);
    assert.equal(await onMap(page, (map, p) => map.getBounds().contains(p), lashio), true);
    assert.equal(await onMap(page, (map) => map.getBounds().contains([69.17, 34.53]), null), false, 'Kabul is not in the first view');
    const country = await onMap(page, (map, p) => { const q = map.project(p); return map.queryRenderedFeatures([q.x, q.y], { layers: ['country-fill'] }).map((f) => f.properties.name); }, lashio);
    assert.deepEqual(country, ['Myanmar']);
    await page.screenshot({ path: path.join(ARTIFACTS, 'theatre-myanmar.png') });
  });

  test('a control outside the boundary packs is drawn as a disc in its side colour and named in the legend', async () => {
    const side = 'MNDAA: Myanmar National Democratic Alliance Army';
    const points = await onMap(page, (map) => map.querySourceFeatures('control-points').map((f) => f.properties), null);
    const held = points.find((p) => p.name === 'Lashio District');
    assert.equal(held?.controller, side, JSON.stringify(points));
    assert.equal(held?.color, '#f5d6a0');
    assert.equal(await page.locator(`#legend-control [data-controller="${side}"]`).count(), 1);
    assert.equal(await page.locator('#legend-control [data-points]').count(), 1);
  });

  test('two events on one place are told apart: a tap there lists both, and each opens', async () => {
    await clickAt(page, lashio[0], lashio[1], 9);
    await page.waitForSelector('#details[data-loaded="events:2"]', { state: 'attached', timeout: 15_000 });
    const choices = await page.locator('#details-body .here-list button').allTextContents();
    assert.equal(choices.length, 2);
    assert.ok(choices.some((c) => /Air\/drone strike.*11 killed/.test(c)), choices.join('|'));
    await page.locator('#details-body .here-list button', { hasText: 'overtakes territory' }).click();
    await page.waitForSelector('#details[data-loaded^="event:"]', { state: 'attached', timeout: 15_000 });
    // The source gave no toll for the capture: it is not "0 killed".
    const meta = await page.locator('#details-body .source .meta').allTextContents();
    assert.ok(meta.some((m) => m.startsWith('no death toll given')), meta.join('|'));
    await page.locator('#details').screenshot({ path: path.join(ARTIFACTS, 'two-events-one-place.png') });
  });

  test('the events in view are a list a keyboard can open', async () => {
    const items = page.locator('#event-list button');
    assert.equal(await items.count(), 2);
    await items.nth(1).focus();
    await page.keyboard.press('Enter');
    const id = await items.nth(1).getAttribute('data-event-id');
    await page.waitForSelector(`#details[data-loaded="event:${id}"]`, { state: 'attached', timeout: 15_000 });
  });

  test("a district's tooltip says how old its control is, three years on", async () => {
    const kabul = await eventOf(page, 'admin2=AF0101');
    await clickAt(page, kabul.longitude, kabul.latitude, 9, 60, 60);
    const box = (await page.locator('#map canvas').boundingBox())!;
    await page.mouse.move(box.x + box.width / 2 + 60, box.y + box.height / 2 + 40);
    await page.mouse.move(box.x + box.width / 2 + 62, box.y + box.height / 2 + 42);
    await page.waitForSelector('#tooltip:not([hidden])', { timeout: 5_000 });
    assert.match((await page.locator('#tooltip').textContent())!, /: Taliban \(controlled, since 2021-08-15, 3 years ago; last reported 1,085 days ago \(2021-08-15\)\)$/);
  });

  test('play goes a week at a time over a long range, and each date is drawn before the next', async () => {
    await slide(page, 'Home', '2021-08-15');
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { __seen: string[] }).__seen = seen;
      new MutationObserver((ms) => {
        // The body's date (chosen) and the map's (drawn); the details panel has a date of its own.
        for (const m of ms) if (m.target === document.body || m.attributeName === 'data-control-date') seen.push(`${m.attributeName === 'data-date' ? 'date' : 'drawn'} ${(m.target as HTMLElement).getAttribute(m.attributeName!)}`);
      }).observe(document.body, { attributes: true, attributeFilter: ['data-date', 'data-control-date'], subtree: true });
    });
    await page.click('#play');
    await page.waitForSelector('body[data-date="2021-09-05"]', { state: 'attached', timeout: 30_000 });
    await page.click('#play');
    const seen = await page.evaluate(() => (window as unknown as { __seen: string[] }).__seen);
    const dates = seen.filter((x) => x.startsWith('date ')).map((x) => x.slice(5));
    assert.deepEqual(dates.slice(0, 3), ['2021-08-22', '2021-08-29', '2021-09-05'], seen.join('|'));
    // The map had drawn each date before Play moved on from it.
    for (let i = 0; i + 1 < dates.length; i++) {
      const drawn = seen.indexOf(`drawn ${dates[i]}`);
      assert.ok(drawn >= 0 && drawn < seen.indexOf(`date ${dates[i + 1]}`), seen.join('|'));
    }
  });

  test('no page errors and no request beyond the server', () => {
    assert.deepEqual(problems, []);
  });
});
