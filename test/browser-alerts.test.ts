// The last alerts on the web map in Chromium, at 1440x900 and on a phone (390x844): a store
// where `sitrep ingest --alerts` raised alerts (a militia takes three Baghlan districts from the
// Taliban, with its dead), served; the panel lists them with what changed, where and when, the
// map outlines their districts and rings their events, and the keyboard reaches every alert's
// place, district history and events. Screenshots in test-artifacts/.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { BAGHLAN, REPORTS, tempDir } from './fixtures/serve/store.js';
import { sitrepIn } from './support/cli.js';
import { accessibility, ARTIFACTS, onMap, openMap, openPhone, settled, skip, stop } from './support/browser.js';

type Raised = { id: number; rule: string; message: string; events: string[]; district?: { code: string; admin2: string } };

describe('alerts on the map in Chromium', { skip }, () => {
  let browser: Browser;
  let server: { url: string; child: ChildProcess };
  let page: Page;
  const problems: string[] = [];
  let raised: Raised[] = [];

  before(async () => {
    // Kabul stored before alerting was on; the Baghlan report then comes with the rules.
    ({ server, browser, page } = await openMap([REPORTS[0]!], problems, { width: 1440, height: 900 }, async (db) => {
      const rules = path.join(tempDir(), 'alerts.tsv');
      fs.writeFileSync(rules, 'baghlan\tadmin1=Baghlan\tcontrol changes\ndeadly\tcountry=Afghanistan\tfatalities >= 5\n');
      const r = await sitrepIn(['ingest', '--db', db, '--alerts', rules, '--published', REPORTS[1]!.published, '--source', REPORTS[1]!.source, REPORTS[1]!.file], '2021-08-22');
      assert.equal(r.code, 0, r.err);
      raised = r.out.trim().split('\n').map((l) => JSON.parse(l) as Raised);
    }));
  });

  after(async () => {
    await browser?.close();
    await stop(server);
  });

  test('the panel lists the last alerts, newest first, with what changed, where and when; the map outlines their districts and rings their events', async () => {
    const control = raised.filter((a) => a.rule === 'baghlan');
    for (const code of BAGHLAN) assert.ok(control.some((a) => a.district!.code === code), `a control alert for ${code}, a district taken`);
    assert.ok(raised.some((a) => a.rule === 'deadly'), 'and the deadly fighting');
    await page.waitForSelector(`#alerts[data-loaded="${raised.length}"]`, { state: 'attached', timeout: 15_000 });
    const items = page.locator('#alert-list li.alert');
    assert.equal(await items.count(), raised.length);
    const shown = await items.evaluateAll((lis) => lis.map((li) => ({ id: Number((li as HTMLElement).dataset.alertId), text: li.textContent ?? '' })));
    assert.deepEqual(shown.map((s) => s.id), raised.map((a) => a.id).sort((x, y) => y - x), 'newest first');
    for (const a of raised) {
      const text = shown.find((s) => s.id === a.id)!.text;
      assert.ok(text.includes(a.message), `${a.message} in ${text}`);
      assert.match(text, /\d{4}-\d\d-\d\d \d\d:\d\d UTC/, 'when it fired');
      assert.ok(text.includes('Test Wire 2021-08-21 Militia retakes three districts in Baghlan'), `its source: ${text}`);
      for (const id of a.events) assert.ok(text.includes(`event ${id}`), `its event ${id}`);
    }
    assert.match((await page.locator('#alerts-title').textContent())!, /Recent alerts \(\d+\)/);
    await page.locator('#alerts').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(ARTIFACTS, 'alerts-list.png') });
    const outlined = await onMap(page, (map) => map.querySourceFeatures('alert-districts').map((f) => f.properties.pcode), null);
    assert.deepEqual([...new Set(outlined)].sort(), [...new Set(control.map((a) => a.district!.code))].sort(), 'the districts of the control alerts outlined');
    const rings = await onMap(page, (map) => map.querySourceFeatures('alerts').map((f) => f.properties.event_id), null);
    assert.deepEqual([...new Set(rings)].sort(), [...new Set(raised.flatMap((a) => a.events))].sort(), 'a ring at each alert event');
  });

  test('by keyboard: an alert brought into view with its district history, then its event', async () => {
    const first = raised.find((a) => a.rule === 'baghlan' && a.id === Math.max(...raised.filter((x) => x.rule === 'baghlan').map((x) => x.id)))!;
    const item = page.locator(`#alert-list li[data-alert-id="${first.id}"]`);
    await item.locator('.alert-focus').focus();
    await page.keyboard.press('Enter');
    await page.waitForSelector(`#map[data-alert="${first.id}"]`, { state: 'attached', timeout: 15_000 });
    await page.waitForSelector(`#details[data-loaded="district:${first.district!.code}"]`, { state: 'attached', timeout: 15_000 });
    assert.match((await page.locator('#details-body h3').first().textContent())!, new RegExp(first.district!.admin2));
    await settled(page);
    const drawn = await onMap(page, (map) => ({ outlines: map.queryRenderedFeatures(undefined, { layers: ['district-alert'] }).length, rings: map.queryRenderedFeatures(undefined, { layers: ['alert-events'] }).length }), null);
    assert.ok(drawn.outlines > 0 && drawn.rings > 0, JSON.stringify(drawn));
    await page.screenshot({ path: path.join(ARTIFACTS, 'alerts-desktop.png') });
    // Tab on: the district's history, then the alert's event.
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => (document.activeElement as HTMLElement).dataset.eventId);
    assert.equal(focused, first.events[0]);
    await page.keyboard.press('Enter');
    await page.waitForSelector(`#details[data-loaded="event:${first.events[0]}"]`, { state: 'attached', timeout: 15_000 });
    assert.deepEqual(await accessibility(page), []);
  });

  test('on a phone (390x844) the alerts fit the sheet and a tap brings one into view', async () => {
    const phone = await openPhone(browser, server.url, problems);
    await phone.waitForSelector(`#alerts[data-loaded="${raised.length}"]`, { state: 'attached', timeout: 15_000 });
    const first = phone.locator('#alert-list li.alert').first();
    await first.scrollIntoViewIfNeeded();
    const box = (await first.boundingBox())!;
    assert.ok(box.x >= 0 && box.x + box.width <= 390 && box.y >= 0 && box.y + box.height <= 844, JSON.stringify(box));
    const id = await first.getAttribute('data-alert-id');
    await first.locator('.alert-focus').tap();
    await phone.waitForSelector(`#map[data-alert="${id}"]`, { state: 'attached', timeout: 15_000 });
    await phone.locator('#alerts').scrollIntoViewIfNeeded();
    await phone.screenshot({ path: path.join(ARTIFACTS, 'alerts-phone.png') });
    assert.deepEqual(await accessibility(phone), []);
    await phone.close();
  });

  test('no page errors and no request beyond the server', () => {
    assert.deepEqual(problems, []);
  });
});
