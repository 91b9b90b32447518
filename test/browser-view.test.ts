// The web map's views in Chromium, at 1440x900 and on a phone (390x844), over a store of two
// theatres (Afghanistan 2021, Myanmar 2024): place search through /api/geocode, the view in the
// address (shared and reloaded), the chart of events per day with its brush, the date over the
// map, control fading after days without news, clusters with counts, export of what is in
// view (CSV, GeoJSON, PNG), and an axe-core accessibility check. Screenshots in test-artifacts/.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { LASHIO, REPORTS } from './fixtures/serve/store.js';
import { accessibility, ARTIFACTS, onMap, openMap, openPhone, settled, skip, stop, typeDate } from './support/browser.js';

const LASHIO_AT: [number, number] = [97.7498, 22.9359];

type Theatre = { country: string; events: number; districts: number; bbox: [number, number, number, number] };

/** The map shows the whole extent, and the extent fills the view across or down (the map was fitted to it). */
async function fitted(page: Page, bbox: [number, number, number, number]) {
  const view = await onMap(page, (map) => map.getBounds().toArray(), null);
  const [[w, s], [e, n]] = view as [[number, number], [number, number]];
  assert.ok(bbox[0] >= w && bbox[2] <= e && bbox[1] >= s && bbox[3] <= n, `${JSON.stringify(bbox)} in ${JSON.stringify(view)}`);
  // A single place is fitted at the fitting's largest zoom; an extent fills most of the view one way.
  if (bbox[2] - bbox[0] > 0.5) assert.ok((bbox[2] - bbox[0]) / (e - w) > 0.5 || (bbox[3] - bbox[1]) / (n - s) > 0.5, `${JSON.stringify(bbox)} fills ${JSON.stringify(view)}`);
  else assert.equal(Math.round(await onMap(page, (map) => (map as unknown as { getZoom(): number }).getZoom(), null)), 6);
}

async function savedDownload(page: Page, button: string) {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click(button)]);
  const file = path.join(ARTIFACTS, dl.suggestedFilename());
  await dl.saveAs(file);
  return file;
}

describe('map views in Chromium at 1440x900 and 390x844', { skip }, () => {
  let browser: Browser;
  let server: { url: string; child: ChildProcess };
  let page: Page;
  const problems: string[] = [];

  before(async () => {
    ({ server, browser, page } = await openMap([...REPORTS, LASHIO], problems, { width: 1440, height: 900 }));
  });

  after(async () => {
    await browser?.close();
    await stop(server);
  });

  test('the date is over the map, and the address holds the opening view', async () => {
    const label = page.locator('#map-date');
    assert.match((await label.textContent())!, /^2024-08-04 · events of 7 days to this date$/);
    const box = (await label.boundingBox())!;
    const map = (await page.locator('#map').boundingBox())!;
    assert.ok(box.x >= map.x && box.x + box.width <= map.x + map.width && box.y >= map.y && box.y < map.y + 60, JSON.stringify({ box, map }));
    const q = new URL(page.url()).searchParams;
    assert.equal(q.get('date'), '2024-08-04');
    assert.equal(q.get('window'), '7');
    assert.equal(q.get('bounds')!.split(',').length, 4);
  });

  test('a place is found by keyboard through /api/geocode, listed, and flown to with a ring on it', async () => {
    const input = page.locator('#place-search');
    await input.focus();
    await page.keyboard.type('Lashio');
    await page.waitForSelector('#place-results:not([hidden]) [role="option"]', { timeout: 15_000 });
    assert.equal(await input.getAttribute('aria-expanded'), 'true');
    const options = await page.locator('#place-results [role="option"]').allTextContents();
    assert.match(options[0]!, /^Lashio — .*Myanmar \(town\)$/, options.join('|'));
    assert.equal(await input.getAttribute('aria-activedescendant'), 'place-0');
    await page.screenshot({ path: path.join(ARTIFACTS, 'search-list.png') });
    await onMap(page, (map) => (map as unknown as { jumpTo(o: object): void }).jumpTo({ center: [69, 34], zoom: 5 }), null);
    await page.keyboard.press('Enter');
    await page.waitForSelector('#map[data-place="Lashio"]', { state: 'attached', timeout: 15_000 });
    assert.equal(await input.getAttribute('aria-expanded'), 'false');
    const view = await onMap(page, (map) => {
      const m = map as unknown as { getCenter(): { lng: number; lat: number }; getZoom(): number };
      return { center: m.getCenter(), zoom: m.getZoom(), rings: map.queryRenderedFeatures(undefined, { layers: ['search-place'] }).length };
    }, null);
    assert.ok(Math.abs(view.center.lng - LASHIO_AT[0]) < 0.05 && Math.abs(view.center.lat - LASHIO_AT[1]) < 0.05, JSON.stringify(view));
    assert.equal(Math.round(view.zoom), 10);
    assert.equal(view.rings, 1);
    assert.match((await page.locator('#search-hint').textContent())!, /^Showing Lashio/);
    await settled(page);
    await page.screenshot({ path: path.join(ARTIFACTS, 'search-lashio.png') });
    // A name the gazetteer does not know says so.
    await input.fill('Qwzxv');
    await page.waitForFunction(() => /No place called "Qwzxv"/.test(document.getElementById('search-hint')!.textContent!), null, { timeout: 15_000 });
    await input.fill('');
  });

  test('the chart counts the events per day of the types shown; a drag across it sets the window and the date', async () => {
    const chart = page.locator('#chart');
    const all = await page.evaluate(async () => (await (await fetch('/api/days')).json()).days.reduce((s: number, d: { count: number }) => s + d.count, 0));
    assert.equal(Number(await chart.getAttribute('data-total')), all);
    const battles = page.locator('#type-filters input[value="Battles"]');
    const noBattles = await page.evaluate(async () => (await (await fetch('/api/days')).json()).days.filter((d: { event_type: string }) => d.event_type !== 'Battles').reduce((s: number, d: { count: number }) => s + d.count, 0));
    await battles.uncheck();
    assert.equal(Number(await chart.getAttribute('data-total')), noBattles);
    assert.ok(noBattles < all);
    await battles.check();
    // 2021-08-15 .. 2024-08-04 is 1,086 days across the chart: drag over its first hundredth.
    const box = (await chart.boundingBox())!;
    await page.mouse.move(box.x + 1, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.006, box.y + box.height / 2, { steps: 4 });
    await page.mouse.move(box.x + box.width * 0.0085, box.y + box.height / 2, { steps: 2 });
    await page.mouse.up();
    const date = await page.waitForFunction(() => document.getElementById('map')!.dataset.controlDate !== '2024-08-04' && document.getElementById('map')!.dataset.eventsDate === document.body.dataset.date && document.body.dataset.date).then((h) => h.jsonValue() as Promise<string>);
    const days = Number(await page.locator('#window').inputValue());
    assert.ok(date >= '2021-08-20' && date <= '2021-08-26', date);
    assert.ok(days >= 5 && days <= 12, String(days));
    const from = new Date(Date.parse(`${date}T00:00:00Z`) - (days - 1) * 86_400_000).toISOString().slice(0, 10);
    assert.match((await page.locator('#chart').getAttribute('aria-label'))!, new RegExp(`shown: ${from} to ${date}$`));
    assert.match((await page.locator('#map-date').textContent())!, new RegExp(`^${date} · events of ${days} days to this date$`));
    assert.equal(await page.locator('#window option:checked').textContent(), `${days} days`);
    const q = new URL(page.url()).searchParams;
    assert.deepEqual([q.get('date'), q.get('window')], [date, String(days)]);
    await page.locator('#time').screenshot({ path: path.join(ARTIFACTS, 'chart-brushed.png') });
  });

  test('the chart is a slider of the window for the keyboard: arrows move it, Page keys by a week, Home/End to the ends, Shift+arrows widen or narrow it', async () => {
    await typeDate(page, '2021-08-30');
    await page.selectOption('#window', '7');
    await page.waitForFunction(() => /shown: 2021-08-24 to 2021-08-30$/.test(document.getElementById('chart')!.getAttribute('aria-label')!));
    const chart = page.locator('#chart');
    await chart.focus();
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'chart');
    const steps: [string, string, number][] = [
      ['ArrowLeft', '2021-08-29', 7],
      ['Shift+ArrowLeft', '2021-08-29', 8],
      ['Shift+ArrowLeft', '2021-08-29', 9],
      ['Shift+ArrowRight', '2021-08-29', 8],
      ['ArrowRight', '2021-08-30', 8],
      ['PageDown', '2021-08-23', 8],
      ['Home', '2021-08-22', 8],
      ['End', '2024-08-04', 8],
      ['PageUp', '2024-08-04', 8],
    ];
    for (const [key, date, days] of steps) {
      await page.keyboard.press(key);
      // The address is written once the date's control and events are in: the step is done.
      await page.waitForFunction(([d, n]) => {
        const q = new URLSearchParams(location.search);
        return q.get('date') === d && q.get('window') === String(n);
      }, [date, days] as const, { timeout: 15_000 });
      const from = new Date(Date.parse(`${date}T00:00:00Z`) - (days - 1) * 86_400_000).toISOString().slice(0, 10);
      assert.equal(await page.locator('#window').inputValue(), String(days), key);
      assert.equal(await chart.getAttribute('aria-valuetext'), `${from} to ${date}`, key);
      assert.match((await page.locator('#map-date').textContent())!, new RegExp(`^${date} · events of ${days} days to this date$`), key);
      const q = new URL(page.url()).searchParams;
      assert.deepEqual([q.get('date'), q.get('window')], [date, String(days)], key);
    }
    assert.equal(Number(await chart.getAttribute('aria-valuenow')), Number(await page.locator('#date-slider').getAttribute('max')));
    await page.locator('#time').screenshot({ path: path.join(ARTIFACTS, 'chart-keyboard.png') });
  });

  test('control fades after the days without news the panel sets, and the district says when it was last reported', async () => {
    await typeDate(page, '2024-08-04');
    await onMap(page, (map) => (map as unknown as { jumpTo(o: object): void }).jumpTo({ center: [69.2, 34.5], zoom: 6 }), null);
    await settled(page);
    const kabul = () => onMap(page, (map) => map.querySourceFeatures('districts').find((f) => f.properties.pcode === 'AF0101')?.properties, null);
    const p = (await kabul())!;
    assert.equal(p.controller, 'Taliban');
    assert.equal(p.last, '2021-08-15');
    assert.equal(String(p.stale), 'true', 'three years without news is past 90 days');
    const faded = page.locator('#legend-control [data-stale]');
    assert.ok(Number(await faded.getAttribute('data-stale')) > 300);
    assert.match((await faded.textContent())!, /^faded: no news for over 90 days \(\d+\)$/);
    await page.screenshot({ path: path.join(ARTIFACTS, 'faded-2024.png') });
    await page.fill('#fade-days', '2000');
    await page.locator('#fade-days').dispatchEvent('change');
    await page.waitForFunction(() => !document.querySelector('#legend-control [data-stale]') || document.querySelector<HTMLElement>('#legend-control [data-stale]')!.dataset.stale === '0');
    await settled(page);
    assert.equal(String((await kabul())!.stale), 'false');
    assert.equal(new URL(page.url()).searchParams.get('fade'), '2000');
    await page.fill('#fade-days', '90');
    await page.locator('#fade-days').dispatchEvent('change');
    await page.waitForFunction(() => Number(document.querySelector<HTMLElement>('#legend-control [data-stale]')?.dataset.stale) > 0);
  });

  test('a district opened says when its control was last reported, and that it is shown faded', async () => {
    const box = (await page.locator('#map canvas').boundingBox())!;
    // Ghor, where no event is: the district under the click.
    const at = await onMap(page, (map) => map.project([65.0, 34.0]), null);
    await page.mouse.click(box.x + at.x, box.y + at.y);
    await page.waitForSelector('#details[data-loaded^="district:"]', { state: 'attached', timeout: 15_000 });
    const age = (await page.locator('#details-body .age').textContent())!;
    assert.match(age, /^last reported 1,085 days ago \(2021-08-15\): no news for over 90 days, shown faded$/);
    assert.match(new URL(page.url()).searchParams.get('sel')!, /^district:AF\d{4}$/);
  });

  test('at low zoom the events are clusters with counts; a click on one zooms into it', async () => {
    await page.selectOption('#window', '0');
    await page.waitForFunction(() => document.getElementById('map-date')!.textContent!.includes('all events'));
    await onMap(page, (map) => (map as unknown as { jumpTo(o: object): void }).jumpTo({ center: [68.5, 35], zoom: 4 }), null);
    await settled(page);
    const clusters = await onMap(page, (map) => map.queryRenderedFeatures(undefined, { layers: ['event-clusters'] }).map((f) => ({ count: Number(f.properties.point_count), id: f.properties.cluster_id })), null);
    assert.ok(clusters.length >= 1, 'a cluster over Afghanistan');
    const single = await onMap(page, (map) => map.queryRenderedFeatures(undefined, { layers: ['events'] }).length, null);
    const inView = await page.locator('#event-list button').count();
    assert.equal(clusters.reduce((s, c) => s + c.count, 0) + single, inView, 'every event in view is in a cluster or drawn alone');
    const labels = await onMap(page, (map) => map.queryRenderedFeatures(undefined, { layers: ['event-cluster-count'] }).length, null);
    assert.equal(labels, clusters.length, 'each cluster shows its count');
    await page.screenshot({ path: path.join(ARTIFACTS, 'clusters.png') });
    const biggest = await onMap(page, (map) => {
      const f = map.queryRenderedFeatures(undefined, { layers: ['event-clusters'] }).sort((a, b) => Number(b.properties.point_count) - Number(a.properties.point_count))[0] as unknown as { geometry: { coordinates: [number, number] } };
      return map.project(f.geometry.coordinates);
    }, null);
    const box = (await page.locator('#map canvas').boundingBox())!;
    const before = await onMap(page, (map) => (map as unknown as { getZoom(): number }).getZoom(), null);
    await page.mouse.click(box.x + biggest.x, box.y + biggest.y);
    await page.waitForFunction((z) => (window as unknown as { sitrepMap: { getZoom(): number; isMoving(): boolean } }).sitrepMap.getZoom() > z + 0.5 && !(window as unknown as { sitrepMap: { isMoving(): boolean } }).sitrepMap.isMoving(), before, { timeout: 15_000 });
  });

  test('export of what is in view: CSV and GeoJSON of the listed events, a PNG of the map with its date, legend and credits', async () => {
    await onMap(page, (map) => (map as unknown as { jumpTo(o: object): void }).jumpTo({ center: [69.2, 35], zoom: 6.5 }), null);
    await settled(page);
    const ids = await page.locator('#event-list button').evaluateAll((bs) => bs.map((b) => (b as HTMLElement).dataset.eventId));
    assert.ok(ids.length >= 3, `${ids.length} events in view`);
    const csv = fs.readFileSync(await savedDownload(page, '#export-csv'), 'utf8').trimEnd().split('\r\n');
    assert.match(csv[0]!, /^event_id,/);
    assert.equal(csv.length - 1, ids.length);
    assert.deepEqual(csv.slice(1).map((l) => l.split(',')[0]).sort(), [...ids].sort());
    const geo = JSON.parse(fs.readFileSync(await savedDownload(page, '#export-geojson'), 'utf8'));
    assert.equal(geo.type, 'FeatureCollection');
    assert.deepEqual(geo.features.map((f: { properties: { event_id: string } }) => f.properties.event_id).sort(), [...ids].sort());
    assert.ok(geo.features.every((f: { geometry: { coordinates: number[] }; properties: { longitude: number; latitude: number } }) => f.geometry.coordinates[0] === f.properties.longitude && f.geometry.coordinates[1] === f.properties.latitude));
    const png = await savedDownload(page, '#export-png');
    const bytes = fs.readFileSync(png);
    assert.equal(bytes.subarray(1, 4).toString(), 'PNG');
    const canvas = (await page.locator('#map canvas').boundingBox())!;
    assert.equal(bytes.readUInt32BE(16), Math.round(canvas.width));
    assert.equal(bytes.readUInt32BE(20), Math.round(canvas.height));
    // The image has the map under its furniture: decoded in the page, its pixels are not one colour.
    const colours = await page.evaluate(async (b64) => {
      const img = new Image();
      img.src = `data:image/png;base64,${b64}`;
      await img.decode();
      const c = document.createElement('canvas');
      c.width = img.width;
      c.height = img.height;
      const ctx = c.getContext('2d')!;
      ctx.drawImage(img, 0, 0);
      const seen = new Set<string>();
      for (let y = 0; y < img.height; y += 37) for (let x = 0; x < img.width; x += 37) seen.add(ctx.getImageData(x, y, 1, 1).data.join(','));
      return seen.size;
    }, bytes.toString('base64'));
    assert.ok(colours > 10, `${colours} colours`);
  });

  test("the actor filter offers the store's sides with their members and its actors with their counts", async () => {
    const { actors } = await page.evaluate(async () => (await fetch('/api/actors')).json());
    const options = await page.locator('#actor-list option').evaluateAll((os) => os.map((o) => [(o as HTMLOptionElement).value, (o as HTMLOptionElement).label]));
    const byValue = new Map(options.map(([v, l]) => [v, l]));
    const sided = actors.filter((a: { actor: string; side: string | null }) => a.side && a.side !== a.actor);
    assert.ok(sided.length >= 1, JSON.stringify(actors));
    for (const a of sided) assert.ok(byValue.get(a.side)!.startsWith('side: ') && byValue.get(a.side)!.includes(a.actor), `${a.side}: ${byValue.get(a.side)}`);
    for (const a of actors.filter((x: { actor: string }) => !sided.some((s: { side: string }) => s.side === x.actor)))
      assert.equal(byValue.get(a.actor), `${a.events} event${a.events === 1 ? '' : 's'}`, a.actor);
    assert.equal(options.length, new Set(options.map(([v]) => v)).size, 'each choice once');
  });

  test('a shared address opens the same view: date, window, known-at, fading, filters, bounds and selection', async () => {
    await typeDate(page, '2021-08-21');
    await page.selectOption('#window', '30');
    await page.check('#as-known');
    await page.locator('#type-filters input[value="Protests"]').uncheck();
    await page.fill('#actor-filter', 'Taliban');
    await onMap(page, (map) => (map as unknown as { jumpTo(o: object): void }).jumpTo({ center: [65.0, 34.0], zoom: 7.5 }), null);
    await settled(page);
    const box = (await page.locator('#map canvas').boundingBox())!;
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await page.waitForSelector('#details[data-loaded^="district:"]', { state: 'attached', timeout: 15_000 });
    await page.waitForFunction(() => document.getElementById('map')!.dataset.controlDate === '2021-08-21');
    const url = page.url();
    const q = new URL(url).searchParams;
    assert.equal(q.get('date'), '2021-08-21');
    assert.equal(q.get('window'), '30');
    assert.equal(q.get('known'), '1');
    assert.equal(q.get('actor'), 'Taliban');
    assert.ok(!q.get('types')!.split(',').includes('Protests') && q.get('types')!.split(',').includes('Battles'));
    const selected = (await page.locator('#details').getAttribute('data-loaded'))!;
    assert.equal(q.get('sel'), selected);
    const status = await page.locator('#status').textContent();

    const again = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    again.on('pageerror', (e) => problems.push(`reloaded page error: ${e.message}`));
    await again.goto(url);
    await again.waitForSelector('html[data-ready="true"]', { state: 'attached', timeout: 30_000 });
    assert.equal(await again.locator('#date-label').textContent(), '2021-08-21');
    assert.equal(await again.locator('#window').inputValue(), '30');
    assert.equal(await again.locator('#as-known').isChecked(), true);
    assert.equal(await again.locator('#type-filters input[value="Protests"]').isChecked(), false);
    assert.equal(await again.locator('#actor-filter').inputValue(), 'Taliban');
    assert.equal(await again.locator('#status').textContent(), status);
    assert.equal(await again.locator('#details').getAttribute('data-loaded'), selected);
    const [b1, b2] = await Promise.all([page, again].map((p) => onMap(p, (map) => map.getBounds().toArray(), null)));
    for (let i = 0; i < 2; i++) for (let k = 0; k < 2; k++) assert.ok(Math.abs(b1![i]![k]! - b2![i]![k]!) < 0.01, JSON.stringify([b1, b2]));
    await again.screenshot({ path: path.join(ARTIFACTS, 'permalink-reloaded.png') });
    await again.close();
  });

  test("the theatre switcher lists the store's countries with their counts; chosen by keyboard, it fits the map to the country's events and controls and goes into the address", async () => {
    const { theatres } = await page.evaluate(async () => (await fetch('/api/theatres')).json());
    assert.deepEqual(theatres.map((t: Theatre) => t.country).sort(), ['Afghanistan', 'Myanmar']);
    const options = await page.locator('#theatre option').evaluateAll((os) => os.map((o) => [(o as HTMLOptionElement).value, o.textContent]));
    assert.deepEqual(options[0], ['', 'every theatre (2)']);
    for (const t of theatres as Theatre[]) {
      const label = options.find(([v]) => v === t.country)![1]!;
      assert.equal(label, `${t.country}: ${t.events} event${t.events === 1 ? '' : 's'}${t.districts ? `, ${t.districts} district${t.districts === 1 ? '' : 's'}` : ''}`);
    }
    assert.ok(theatres.find((t: Theatre) => t.country === 'Afghanistan').districts > 300, 'the baseline claims every Afghan district');
    await page.locator('#theatre').focus();
    await page.keyboard.press('Home');
    for (const t of options.slice(1).map(([v]) => v!)) {
      await page.keyboard.press('ArrowDown');
      await page.waitForSelector(`#map[data-theatre="${t}"]`, { state: 'attached', timeout: 15_000 });
      const bbox = (theatres as Theatre[]).find((x) => x.country === t)!.bbox!;
      await fitted(page, bbox);
      assert.equal(new URL(page.url()).searchParams.get('theatre'), t);
      await settled(page);
      await page.screenshot({ path: path.join(ARTIFACTS, `theatre-${t}.png`) });
    }
    // Myanmar, one town: the map is not over Afghanistan any more.
    assert.equal(await onMap(page, (map) => map.getBounds().contains([69.2, 34.5]), null), false);
    // Every theatre: both countries in view.
    await page.keyboard.press('Home');
    await page.waitForSelector('#map[data-theatre="*"]', { state: 'attached', timeout: 15_000 });
    for (const t of theatres as Theatre[]) assert.ok(await onMap(page, (map, b) => map.getBounds().contains([b[0], b[1]]) && map.getBounds().contains([b[2], b[3]]), t.bbox), t.country);
    assert.equal(new URL(page.url()).searchParams.get('theatre'), null);
    // An address naming a theatre and no bounds opens fitted to that theatre.
    const again = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    again.on('pageerror', (e) => problems.push(`theatre page error: ${e.message}`));
    await again.goto(new URL('/?theatre=Afghanistan', server.url).href);
    await again.waitForSelector('html[data-ready]', { state: 'attached', timeout: 30_000 });
    assert.equal(await again.locator('html').getAttribute('data-ready'), 'true', `${await again.locator('#status').textContent()} ${problems.join(' ')}`);
    assert.equal(await again.locator('#theatre').inputValue(), 'Afghanistan');
    await fitted(again, (theatres as Theatre[]).find((x) => x.country === 'Afghanistan')!.bbox!);
    await again.close();
  });

  test('axe-core finds no serious or critical accessibility violation at 1440x900', async () => {
    assert.deepEqual(await accessibility(page), []);
  });

  test('on a phone (390x844): search, date over the map, chart and theatre switcher fit; axe-core finds no serious violation', async () => {
    const phone = await openPhone(browser, server.url, problems);
    const date = (await phone.locator('#map-date').boundingBox())!;
    assert.ok(date.x >= 0 && date.x + date.width <= 390, JSON.stringify(date));
    const search = (await phone.locator('#place-search').boundingBox())!;
    assert.ok(search.x >= 0 && search.x + search.width <= 390 && search.y < 844, JSON.stringify(search));
    await phone.locator('#place-search').tap();
    await phone.keyboard.type('Kabul');
    await phone.waitForSelector('#place-results:not([hidden]) [role="option"]', { timeout: 15_000 });
    await phone.screenshot({ path: path.join(ARTIFACTS, 'phone-search.png') });
    await phone.locator('#place-results [role="option"]').first().tap();
    await phone.waitForSelector('#map[data-place]', { state: 'attached', timeout: 15_000 });
    await phone.locator('#chart').scrollIntoViewIfNeeded();
    const chart = (await phone.locator('#chart').boundingBox())!;
    assert.ok(chart.width > 300 && chart.x + chart.width <= 390, JSON.stringify(chart));
    await phone.screenshot({ path: path.join(ARTIFACTS, 'phone-chart.png') });
    // The theatre switcher sits in the sheet's header, on screen; the keyboard chooses the last country.
    const switcher = (await phone.locator('#theatre').boundingBox())!;
    assert.ok(switcher.x >= 0 && switcher.x + switcher.width <= 390 && switcher.y >= 0 && switcher.y + switcher.height <= 844, JSON.stringify(switcher));
    const { theatres } = await phone.evaluate(async () => (await fetch('/api/theatres')).json());
    const last = (theatres as Theatre[]).at(-1)!;
    await phone.locator('#theatre').focus();
    await phone.keyboard.press('End');
    await phone.waitForSelector(`#map[data-theatre="${last.country}"]`, { state: 'attached', timeout: 15_000 });
    await fitted(phone, last.bbox);
    await settled(phone);
    await phone.screenshot({ path: path.join(ARTIFACTS, 'phone-theatre.png') });
    assert.deepEqual(await accessibility(phone), []);
    await phone.close();
  });

  test('no page errors and no request beyond the server', () => {
    assert.deepEqual(problems, []);
  });
});
