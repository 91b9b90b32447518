// The web map's browser tests' common parts: Debian's Chromium through playwright-core (no
// browser download), `sitrep serve` over a fixture store on a loopback port, and helpers that
// drive the page's map (window.sitrepMap). Screenshots go to test-artifacts/.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { ROOT } from '../../src/config.js';
import { fixtureStore, tempDir } from '../fixtures/serve/store.js';
import type { FixtureReport } from '../fixtures/serve/store.js';

export const CHROMIUM = '/usr/bin/chromium';
export const skip = !fs.existsSync(CHROMIUM) && `needs Debian's chromium at ${CHROMIUM} (apt-get install -y chromium)`;
export const ARTIFACTS = path.join(ROOT, 'test-artifacts');

/** Starts `sitrep serve` on a free loopback port; resolves with its URL once it listens. */
export function serve(db: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'sitrep.js'), 'serve', '--db', db, '--port', '0', '--host', '127.0.0.1', '--open'], {
    env: { ...process.env, SITREP_TOKEN: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`sitrep serve did not start in 60 s: ${out}${err}`)), 60_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ url: m[1]!, child });
      }
    });
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`sitrep serve exited (${code}): ${err}`));
    });
  });
}

/** Controller and colour of the given districts as the map holds them (its GeoJSON source). */
export function districtColours(page: Page, codes: string[]) {
  return page.evaluate((codes) => {
    const map = (window as unknown as { sitrepMap: { querySourceFeatures(s: string): { properties: Record<string, string> }[] } }).sitrepMap;
    const out: Record<string, { controller: string; color: string; status: string }> = {};
    for (const f of map.querySourceFeatures('districts')) {
      const p = f.properties;
      if (codes.includes(p.pcode!)) out[p.pcode!] = { controller: p.controller!, color: p.color!, status: p.status! };
    }
    return out;
  }, codes);
}

/** Centres the map on a point at a zoom and clicks the centre (or a pixel offset from it). */
export async function clickAt(page: Page, lon: number, lat: number, zoom: number, dx = 0, dy = 0) {
  await page.evaluate(
    ([lon, lat, zoom]) =>
      new Promise<void>((resolve) => {
        const map = (window as unknown as { sitrepMap: { jumpTo(o: object): void; once(e: string, f: () => void): void } }).sitrepMap;
        map.once('idle', () => resolve());
        map.jumpTo({ center: [lon, lat], zoom });
      }),
    [lon, lat, zoom] as const,
  );
  const box = (await page.locator('#map canvas').boundingBox())!;
  await page.mouse.click(box.x + box.width / 2 + dx, box.y + box.height / 2 + dy);
}

export async function eventOf(page: Page, query: string) {
  return page.evaluate(async (q) => (await (await fetch(`/api/events?${q}`)).json()).events[0], query);
}

export const launch = () =>
  chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });

export async function stop(server: { child: ChildProcess } | undefined) {
  if (server?.child.exitCode !== null || !server) return;
  const exited = new Promise((resolve) => server.child.once('exit', resolve));
  server.child.kill('SIGTERM');
  await exited;
}

export type MapHandle = {
  getBounds(): { contains(p: [number, number]): boolean; toArray(): number[][] };
  project(p: [number, number]): { x: number; y: number };
  querySourceFeatures(s: string): { properties: Record<string, string> }[];
  queryRenderedFeatures(a: unknown, o?: object): { properties: Record<string, string> }[];
  getLayer(id: string): unknown;
  getStyle(): { layers: { id: string }[] };
};

/** Runs `f` on the page's map (window.sitrepMap). */
export function onMap<T, A>(page: Page, f: (map: MapHandle, arg: A) => T, arg: A): Promise<T> {
  return page.evaluate(([src, a]) => new Function('map', 'arg', `return (${src})(map, arg)`)((window as unknown as { sitrepMap: unknown }).sitrepMap, a), [f.toString(), arg] as const) as Promise<T>;
}

/** Resolves once the map has drawn what it was given. */
export const settled = (page: Page) =>
  onMap(page, (map) => new Promise<void>((resolve) => {
    (map as unknown as { once(e: string, f: () => void): void }).once('idle', () => resolve());
    (map as unknown as { triggerRepaint(): void }).triggerRepaint();
  }), null);

/** Types a date into the date field and waits for the map to draw it. */
export async function typeDate(page: Page, date: string) {
  await page.fill('#date-input', date);
  await page.locator('#date-input').dispatchEvent('change');
  await page.waitForSelector(`#map[data-control-date="${date}"]`, { state: 'attached', timeout: 15_000 });
}

/** Moves the slider to its first or last day with the keyboard and waits for the map to draw it. */
export async function slide(page: Page, key: 'Home' | 'End', date: string) {
  await page.locator('#date-slider').focus();
  await page.keyboard.press(key);
  await page.waitForSelector(`#map[data-control-date="${date}"]`, { state: 'attached', timeout: 15_000 });
}

/**
 * A store of the reports (and what `more` adds to it, given its directory), `sitrep serve` over
 * it and the map open (at 1400x900 unless told); problems collects page errors and requests
 * beyond the server.
 */
export async function openMap(reports: FixtureReport[], problems: string[], viewport = { width: 1400, height: 900 }, more?: (db: string) => Promise<void>) {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const db = path.join(tempDir(), 'db');
  await (await fixtureStore(db, reports)).close();
  await more?.(db);
  const server = await serve(db);
  const browser = await launch();
  const page = await browser.newPage({ viewport });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  // The page must not reach beyond the server: no remote tiles, fonts or scripts.
  page.on('request', (r) => {
    if (!r.url().startsWith(server.url) && !r.url().startsWith('blob:') && !r.url().startsWith('data:')) problems.push(`request outside the server: ${r.url()}`);
  });
  await page.goto(server.url);
  await page.waitForSelector('html[data-ready="true"]', { state: 'attached', timeout: 30_000 });
  return { server, browser, page };
}

/** The map in a new page of the browser on a phone (390x844, touch), once it is ready; its page errors go to problems. */
export async function openPhone(browser: Browser, url: string, problems: string[]): Promise<Page> {
  const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
  phone.on('pageerror', (e) => problems.push(`phone page error: ${e.message}`));
  await phone.goto(url);
  await phone.waitForSelector('html[data-ready="true"]', { state: 'attached', timeout: 30_000 });
  return phone;
}

const AXE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core run in the page (evaluated, so the page's CSP needs no exception): the serious and critical violations. */
export async function accessibility(page: Page) {
  await page.evaluate(AXE);
  const result = await page.evaluate(async () => {
    type Result = { id: string; impact: string; help: string; nodes: { target: string[] }[] };
    const axe = (window as unknown as { axe: { run(c: unknown, o: unknown): Promise<{ violations: Result[]; passes: Result[] }> } }).axe;
    return axe.run(document, { resultTypes: ['violations'] });
  });
  // The check ran: the page's images, labels, contrast and ARIA rules were among those it passed.
  const passed = new Set(result.passes.map((r) => r.id));
  for (const rule of ['label', 'aria-valid-attr-value', 'button-name', 'color-contrast']) assert.ok(passed.has(rule), `axe ran ${rule}: ${[...passed].join(' ')}`);
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).slice(0, 5).join(', ')}`);
}
