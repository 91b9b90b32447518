// Situation briefs: the seed's Baghlan brief (the done-when of issue 15), a brief as it could
// have been written on an earlier date, the house style as data, the HTML page, the CLI and
// GET /api/brief. The seed is read from ../shared in place; without it those tests skip.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig, ROOT } from '../src/config.js';
import { loadControlRules } from '../src/control/claims.js';
import { acledReport, readAcled } from '../src/ingest/acled.js';
import { Store as StoreClass } from '../src/store/store.js';
import { resources } from '../src/cli/io.js';
import { buildBrief } from '../src/report/brief.js';
import type { Brief } from '../src/report/brief.js';
import { renderBrief } from '../src/report/render.js';
import { loadMapData, MAP_CREDITS } from '../src/report/map.js';
import { loadBoundaries } from '../src/geo/boundaries.js';
import { XMLValidator } from 'fast-xml-parser';
import { loadBriefWording } from '../src/report/templates.js';
import { createApp } from '../src/serve/app.js';
import { readBriefInput } from '../src/store/brief.js';
import type { Store } from '../src/store/store.js';
import { BAGHLAN, fixtureStore, SEED, tempDir } from './fixtures/serve/store.js';
import { sitrep } from './support/cli.js';

const config = loadConfig();
const wording = loadBriefWording(config);
const BAGHLAN_WEEK = { admin1: 'Baghlan', from: '2021-08-15', to: '2021-08-21' };
const CITATION = /\[[^\]]*\d{4}-\d{2}-\d{2}[a-z]?\]$/;

/** Every sentence of the brief's sections and headline, with its section. */
function sentences(b: Brief) {
  return [{ section: 'headline', ...b.headline }, ...b.sections.flatMap((s) => s.groups.flatMap((g) => g.sentences.map((x) => ({ section: s.key, ...x }))))];
}

describe('the seed report: a Baghlan brief for 15-21 August 2021', { skip: !fs.existsSync(SEED.file) && 'needs ../shared (the seed report)' }, () => {
  let brief: Brief;
  let md: string;
  const db = path.join(tempDir(), 'db');
  before(async () => {
    const store = await fixtureStore(db, [SEED]);
    try {
      brief = buildBrief(await readBriefInput(store, BAGHLAN_WEEK), wording).value;
    } finally {
      // Closed, so the CLI can open it.
      await store.close();
    }
    md = renderBrief(brief, 'md');
  });

  test('names the three districts and says they were reportedly retaken by anti-Taliban forces', () => {
    const story = brief.sections.find((s) => s.key === 'story')!.groups[0]!.sentences;
    const lead = story[0]!.text;
    for (const d of [/Pul-e-H[ie]sar/, /Deh Salah/, /Andarab/, /Ban[uūo]/]) assert.match(lead, d);
    assert.match(lead, /were reportedly retaken by anti-Taliban forces/);
    assert.match(brief.headline.text, /reportedly retaken by anti-Taliban forces/);
    assert.equal(story[0]!.cite.events.length, 3);
  });

  test('the Taliban preparing to retake them is said only as a statement, never as an event', () => {
    const intent = sentences(brief).filter((s) => /preparing to retake/.test(s.text));
    assert.equal(intent.length, 1);
    assert.equal(intent[0]!.section, 'other');
    assert.match(intent[0]!.text, /^NewsBytes reports, as a statement and not as an event, that the Taliban is preparing to retake Andarab, Deh Salah and Pul-e-H[ie]sar: “.*”$/);
    // No event of the Taliban taking anything back.
    for (const s of sentences(brief)) assert.doesNotMatch(s.text, /(retaken|regained|took) by the Taliban|the Taliban (reportedly )?(retook|regained|took)/, s.text);
  });

  test('every sentence cites its events and reports; every cited report is a source', () => {
    for (const s of sentences(brief)) {
      assert.ok(s.cite.reports.length > 0, `no report cited: ${s.text}`);
      if (s.section !== 'other') assert.ok(s.cite.events.length > 0, `no event cited: ${s.text}`);
    }
    // In Markdown each sentence line ends with its citation: events; source date.
    const lines = md.split('\n').filter((l) => /^(# |- )/.test(l) && !l.startsWith('- [NewsBytes'));
    assert.ok(lines.length >= 8);
    for (const l of lines) assert.match(l, CITATION, l);
    assert.match(md, /\[AFG[0-9a-z-]+, AFG[0-9a-z-]+, AFG[0-9a-z-]+; NewsBytes 2021-08-21\]/);
  });

  test('lists the NewsBytes report among the sources, with its date and title', () => {
    assert.equal(brief.sources.length, 1);
    assert.equal(brief.sources[0]!.source, 'NewsBytes');
    assert.equal(brief.sources[0]!.published, '2021-08-21');
    assert.match(md, /^- \[NewsBytes 2021-08-21\] NewsBytes, published 2021-08-21: Afghanistan: Week after Kabul fell, anti-Taliban forces retake 3 districts\. no URL stored$/m);
  });

  test('Control: the three districts contested as of the 21st; Details: one line per event by place and day', () => {
    const control = brief.sections.find((s) => s.key === 'control')!.groups[0]!.sentences;
    assert.equal(control.length, 3);
    for (const c of control) assert.match(c.text, /is contested as of 21 August 2021: reportedly taken by anti-Taliban forces on 21 August 2021, and a retaking announced/);
    const details = brief.sections.find((s) => s.key === 'details')!.groups;
    assert.equal(details.length, 3);
    for (const g of details) assert.match(g.heading!, /Baghlan, Afghanistan, 21 August 2021$/);
    assert.match(md, /no fatalities coded, according to NewsBytes\./);
  });

  test('HTML: one page with citations as links, an inline SVG chart of events per day, no map said so, no script', () => {
    const page = renderBrief(brief, 'html');
    assert.match(page, /^<!doctype html>/);
    assert.match(page, /<svg [^>]*aria-label="events per day"/);
    assert.equal((page.match(/<rect /g) ?? []).length, 7, 'one bar per day of the week');
    assert.match(page, /<a href="#event-AFG[0-9a-z-]+">AFG[0-9a-z-]+<\/a>/);
    assert.match(page, /<a href="#report-1">NewsBytes 2021-08-21<\/a>/);
    assert.match(page, /<li id="report-1">/);
    for (const id of brief.sections.flatMap((s) => s.groups.flatMap((g) => g.sentences.flatMap((x) => x.cite.events)))) assert.match(page, new RegExp(`id="event-${id}"`));
    assert.match(page, /No map is included/);
    assert.doesNotMatch(page, /<script|<link |src="http/);
  });

  test('HTML with the map: one valid inline SVG with a point for each event where it lies, the contested districts hatched and named, a legend and the credits', () => {
    const page = renderBrief(brief, 'html', loadMapData(config, loadBoundaries(config)));
    const svg = /<svg [^>]*aria-label="map of the events and control".*?<\/svg>/s.exec(page)?.[0];
    assert.ok(svg, 'the page holds the map');
    assert.equal(XMLValidator.validate(svg), true, 'the SVG is well-formed XML');
    const [, , vw, vh] = /viewBox="([\d.]+) ([\d.]+) ([\d.]+) ([\d.]+)"/.exec(svg)!.slice(1).map(Number);
    const circles = [...svg.matchAll(/<circle data-event="([^"]+)" cx="([\d.-]+)" cy="([\d.-]+)"/g)].map((m) => ({ id: m[1]!, x: Number(m[2]), y: Number(m[3]) }));
    const points = brief.map.points;
    assert.ok(points.length >= 3, 'the three districts taken have points');
    assert.deepEqual(circles.map((c) => c.id).sort(), points.map((p) => p.event_id).sort(), 'one point per event with coordinates');
    for (const c of circles) assert.ok(c.x >= 0 && c.x <= vw! && c.y >= 0 && c.y <= vh!, `${c.id} inside the map`);
    // Placed where they lie: east is right and north is up.
    for (const a of points) for (const b of points) {
      const [ca, cb] = [circles.find((c) => c.id === a.event_id)!, circles.find((c) => c.id === b.event_id)!];
      if (a.longitude < b.longitude) assert.ok(ca.x < cb.x, `${a.location} west of ${b.location}`);
      if (a.latitude > b.latitude) assert.ok(ca.y < cb.y, `${a.location} north of ${b.location}`);
    }
    for (const code of BAGHLAN) assert.match(svg, new RegExp(`<path data-code="${code}" fill="url\\(#contested\\)"`), `${code} hatched as contested`);
    for (const name of ['Andarab', 'Deh Salah', 'Pul-e-H']) assert.match(svg, new RegExp(`<text [^>]*>${name}`), `${name} named`);
    assert.match(svg, /<text x="16">Battles<\/text>/);
    assert.match(svg, /<text x="16">contested<\/text>/);
    assert.ok(svg.includes(MAP_CREDITS), 'the data credits');
    assert.match(svg, /<title>Afghanistan<\/title>/, 'the country outline');
    assert.doesNotMatch(page, /No map is included/);
    assert.doesNotMatch(page, /<script|<link |src="http|<image/);
  });

  test('the CLI prints the same brief', () => {
    const r = sitrep(['brief', '--db', db, '--admin1', 'Baghlan', '--from', '2021-08-15', '--to', '2021-08-21']);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out, md);
  });
});

describe('briefs over project-made reports', () => {
  let store: Store;
  const db = path.join(tempDir(), 'db');
  before(async () => {
    store = await fixtureStore(db);
  });
  after(() => store.close());

  test('the deadliest event ranks after territory, with its speaker and fatalities as coded', async () => {
    const b = buildBrief(await readBriefInput(store, BAGHLAN_WEEK), wording).value;
    const story = b.sections[0]!.groups[0]!.sentences.map((s) => s.text);
    // The dateline's Pul-e-Khumri is taken too, as sitrep reads the report.
    assert.match(story[0]!, /^Andarab, Deh Salah, Pul-e-Hisar and Pul-e-Khumri \(Baghlan\) were reportedly seized by Unidentified Communal Militia \(Afghanistan\) from the Taliban on 21 August 2021/);
    assert.match(story[0]!, /a local official said\.$/);
    const deadly = story.findIndex((s) => s.startsWith('The deadliest event'));
    assert.ok(deadly > 0, story.join('\n'));
    // sitrep shares the report's 15 dead among the districts; the deadliest carries the most.
    const most = Math.max(...b.sections[1]!.groups.flatMap((g) => g.sentences.map((x) => Number(/(\d+) fatalities as coded/.exec(x.text)?.[1] ?? 0))));
    assert.ok(most > 0);
    assert.match(story[deadly]!, new RegExp(`with ${most} fatalities as coded, a local official said\\.$`));
  });

  test('--known-at writes the brief as it could have been written then: the 21 August report unknown on the 20th', async () => {
    const b = buildBrief(await readBriefInput(store, { ...BAGHLAN_WEEK, knownAt: '2021-08-20' }), wording);
    assert.match(b.value.headline.text, /nothing in the store/);
    assert.equal(b.value.sources.length, 0);
    assert.match(b.value.scope, /as it could have been written on 20 August 2021/);
    assert.ok(b.warnings.some((w) => /no events/.test(w)));
  });

  test('house style is data: a user rules directory overrides a template', async () => {
    const dir = tempDir('sitrep-style-');
    fs.mkdirSync(path.join(dir, 'brief'));
    fs.writeFileSync(path.join(dir, 'brief', 'templates.tsv'), "heading.story\tKey points\ncertainty.reported\tby some accounts\n");
    const w = loadBriefWording({ ...config, userRulesDirs: [dir] });
    const md = renderBrief(buildBrief(await readBriefInput(store, BAGHLAN_WEEK), w).value, 'md');
    assert.match(md, /^## Key points$/m);
    assert.match(md, /were by some accounts seized/);
  });

  test('GET /api/brief returns the same brief as Markdown, HTML or JSON; bad parameters are 400', async () => {
    const app = createApp({ store, config, resources: () => resources(config), token: null, open: false, today: () => '2021-09-01', version: 'test', log: () => {} });
    const q = 'admin1=Baghlan&from=2021-08-15&to=2021-08-21';
    const md = await app.request(`/api/brief?${q}`);
    assert.equal(md.status, 200);
    assert.match(md.headers.get('content-type')!, /^text\/markdown/);
    assert.equal(await md.text(), renderBrief(buildBrief(await readBriefInput(store, BAGHLAN_WEEK), wording).value, 'md'));
    const page = await app.request(`/api/brief?${q}&format=html`);
    assert.match(page.headers.get('content-type')!, /^text\/html/);
    assert.match(await page.text(), /<svg [^>]*aria-label="map of the events and control"/);
    const json = (await (await app.request(`/api/brief?${q}&format=json`)).json()) as Brief;
    assert.equal(json.area, 'Baghlan');
    for (const bad of ['from=2021-08-21&to=2021-08-15', 'from=2021-08-15', 'from=2021-08-15&to=2021-08-21&format=pdf', 'from=2021-08-15&to=2021-08-21&x=1']) {
      const r = await app.request(`/api/brief?${bad}`);
      assert.equal(r.status, 400, bad);
      assert.equal(((await r.json()) as { error: { code: string } }).error.code, 'invalid_parameter');
    }
    const doc = (await (await app.request('/api/openapi.json')).json()) as { paths: Record<string, { get: { parameters: { name: string }[] } }> };
    assert.deepEqual(doc.paths['/api/brief']!.get.parameters.map((p) => p.name), ['from', 'to', 'country', 'admin1', 'admin2', 'known_at', 'format']);
  });

  test('the CLI refuses a period that ends before it starts, in one line', () => {
    const r = sitrep(['brief', '--db', path.join(tempDir(), 'db'), '--from', '2021-08-21', '--to', '2021-08-15']);
    assert.equal(r.code, 2);
    assert.equal(r.err, 'sitrep: --from 2021-08-21 is after --to 2021-08-15\n');
  });
});

test('a brief over several countries of ACLED rows: citations tell reports of one source and day apart; source lists split', async () => {
  const store = await StoreClass.open(path.join(tempDir(), 'db'));
  try {
    const csv = fs.readFileSync(path.join(ROOT, 'test', 'fixtures', 'acled', 'current.csv'), 'utf8');
    const rules = loadControlRules(config);
    await store.addReports(readAcled(csv, 'current.csv', () => ({ admin1_code: null, admin2_code: null })).value.rows.map((r) => acledReport(r, rules)));
    const b = buildBrief(await readBriefInput(store, { from: '2021-08-15', to: '2021-08-21' }), wording).value;
    assert.equal(b.area, 'all areas');
    assert.match(b.headline.text, /^All areas, 15 August 2021 to 21 August 2021: /);
    const labels = b.sources.map((s) => s.label);
    assert.deepEqual(labels, ['ACLED 2021-08-20a', 'ACLED 2021-08-20b', 'ACLED 2021-08-24a', 'ACLED 2021-08-24b']);
    const md = renderBrief(b, 'md');
    assert.match(md, /according to Test Wire and Other Paper\./);
    assert.match(md, /### Jangebe, Maru, Zamfara, Nigeria, 18 August 2021/);
    assert.match(md, /### Nairobi - Westlands, Westlands, Nairobi, Kenya, 19 August 2021/);
    for (const l of md.split('\n').filter((x) => /^(# |- )/.test(x) && !x.startsWith('- [ACLED'))) assert.match(l, CITATION, l);
  } finally {
    await store.close();
  }
});
