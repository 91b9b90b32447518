// Hostile input, made here (no big file in the repository): an XML entity bomb in a feed and in
// a page, a feed of 100,000 items, a 10 MB JSONL line, binary in the middle of a text, and a
// report that takes longer than its time limit. Each gets a clear error naming it, or a correct
// result, and the run goes on with the other items; the store is extended by the good ones only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../src/config.js';
import { resources } from '../src/cli/io.js';
import { TimeLimitError } from '../src/errors.js';
import { extractDoc } from '../src/extract/index.js';
import { readFeedFile } from '../src/ingest/feed.js';
import { readDocument } from '../src/ingest/read.js';
import { sitrep } from './support/cli.js';
import { tempDir } from './support/stores.js';

const KIDAL = 'Militants seized the town of Kidal in northern Mali on Monday, residents said.';
const GAO = 'Armed men attacked a police post in Gao on 14 November 2023, killing two officers, officials said.';

/** "Billion laughs": each entity ten of the one before, nine deep (10^9 "lol" if expanded). */
const LAUGHS = '[<!ENTITY lol "lol">' + Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i || ''};`.repeat(10)}">`).join('') + ']>';

const bombFeed = () =>
  `<?xml version="1.0"?><!DOCTYPE rss ${LAUGHS}<rss version="2.0"><channel><title>Wire</title>` +
  `<item><guid>g1</guid><title>&lol9;</title><pubDate>Tue, 14 Nov 2023 10:00:00 GMT</pubDate><description>&lol9; ${KIDAL}</description></item>` +
  `<item><guid>g2</guid><title>Gao</title><pubDate>Wed, 15 Nov 2023 10:00:00 GMT</pubDate><description>${GAO}</description></item></channel></rss>`;
const bombPage = () => `<!DOCTYPE html ${LAUGHS}<html><head><title>&lol9;</title></head><body><p>&lol9; ${KIDAL}</p></body></html>`;
/** A text with 4 KB of every byte value in its middle. */
const binaryMiddle = () => Buffer.concat([Buffer.from(`${KIDAL}\n\n`), Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256)), Buffer.from(`\n\n${GAO}\n`)]);
/**
 * One report of four million characters in one paragraph (under the 5 MB size limit): at the
 * fastest extraction measured (about 1 MB/s) four times the limit of 3 s, which the first report
 * of a run, loading what it needs, stays well under. A million characters were once enough,
 * but not on an idle machine.
 */
const SLOW = GAO.replace('Gao', 'Menaka').repeat(40_000);
const LIMIT = '3';

const json = (s: string) => JSON.parse(s) as Record<string, any>;

test('an entity bomb in a feed and in a page is not expanded: the items are read as they stand, quickly and small', () => {
  const dir = tempDir();
  const feed = path.join(dir, 'bomb.xml');
  fs.writeFileSync(feed, bombFeed());
  const r = sitrep(['extract', '--format', 'jsonl', feed]);
  assert.equal(r.code, 0, r.err);
  assert.ok(r.out.length < 20_000, `${r.out.length} characters of output`);
  assert.doesNotMatch(r.out, /lollol/);
  const lines = r.out.trim().split('\n').map(json);
  assert.deepEqual(lines.map((l) => l.id), ['g1', 'g2']);
  assert.ok(lines[0]!.events.some((e: any) => e.location === 'Kidal'), 'the bomb item still gives its event');
  assert.ok(lines[1]!.events.some((e: any) => e.location === 'Gao'));

  const page = path.join(dir, 'bomb.html');
  fs.writeFileSync(page, bombPage());
  const h = sitrep(['extract', '--published', '2023-11-14', page]);
  assert.equal(h.code, 0, h.err);
  assert.doesNotMatch(h.out, /lollol/);
  assert.ok(json(h.out).events.some((e: any) => e.location === 'Kidal'));
});

test('a feed of 100,000 items is read whole, item by item, in order', () => {
  const items = Array.from({ length: 100_000 }, (_, i) => `<item><guid>g${i}</guid><title>Item ${i}</title><pubDate>Mon, 13 Nov 2023 10:00:00 GMT</pubDate><description>${KIDAL} (${i})</description></item>`);
  // One broken item among them is named and skipped; the others are kept.
  items[50_000] = '<item><guid>bad</guid><title>Broken <b>item</title></item>';
  const { value, warnings } = readFeedFile(Buffer.from(`<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>\n${items.join('\n')}\n</channel></rss>`), 'big.xml');
  assert.equal(value.length, 99_999);
  assert.equal(value[0]!.guid, 'g0');
  assert.equal(value[99_998]!.guid, 'g99999');
  assert.ok(value.every((it) => it.text.includes('Kidal') && it.published === '2023-11-13'));
  assert.equal(warnings.length, 2);
  assert.match(warnings[0]!, /not well-formed XML \(line 50002: .*\); its items are read one by one/);
  assert.match(warnings[1]!, /item 50001 \(line 50002\).*item skipped/);
});

test('a 10 MB JSONL line, binary in a text, a report over its time limit: each refused by name, the rest extracted', () => {
  const dir = tempDir();
  const batch = path.join(dir, 'batch.jsonl');
  fs.writeFileSync(
    batch,
    [
      JSON.stringify({ id: 'huge', text: `${KIDAL} `.repeat(130_000) }),
      JSON.stringify({ id: 'slow', text: SLOW, published: '2023-11-15' }),
      JSON.stringify({ id: 'ok', text: KIDAL, published: '2023-11-15' }),
    ].join('\n') + '\n',
  );
  assert.ok(fs.statSync(batch).size > 10_000_000);
  const r = sitrep(['extract', '--format', 'jsonl', '--time-limit', LIMIT, batch]);
  assert.equal(r.code, 1, r.err);
  assert.doesNotMatch(r.err, /internal error|\n\s+at /);
  assert.match(r.err, /batch\.jsonl:1: text is 10\.\d MB, over the 5\.0 MB a report may have.*; skipped/);
  assert.match(r.err, /batch\.jsonl:2: extraction ran over the time limit of 3 s a report may take.*--time-limit\); skipped/);
  assert.deepEqual(r.out.trim().split('\n').map((l) => json(l).id), ['ok']);

  // One report over the limit: exit 2 like any refused report, named.
  const slow = path.join(dir, 'slow.txt');
  fs.writeFileSync(slow, SLOW);
  const one = sitrep(['extract', '--published', '2023-11-15', '--time-limit', LIMIT, slow]);
  assert.equal(one.code, 2);
  assert.match(one.err, /^sitrep: \S*slow\.txt: extraction ran over the time limit of 3 s/);
  assert.equal(one.out, '');
  for (const bad of ['-1', 'soon', '']) {
    const b = sitrep(['extract', '--time-limit', bad, slow]);
    assert.equal(b.code, 2, `--time-limit ${bad}`);
    assert.match(b.err, /time-limit.*seconds/);
  }

  const bin = path.join(dir, 'binary.txt');
  fs.writeFileSync(bin, binaryMiddle());
  const b = sitrep(['extract', bin]);
  assert.equal(b.code, 2);
  assert.match(b.err, /binary\.txt looks binary \(NUL byte at byte offset \d+\)/);
});

test('ingest of all of them: the store gets the good items, once; a second run adds nothing', () => {
  const dir = tempDir();
  const inputs = path.join(dir, 'in');
  fs.mkdirSync(inputs);
  fs.writeFileSync(path.join(inputs, 'bomb.xml'), bombFeed());
  fs.writeFileSync(path.join(inputs, 'bomb.html'), bombPage());
  fs.writeFileSync(path.join(inputs, 'binary.txt'), binaryMiddle());
  fs.writeFileSync(path.join(inputs, 'slow.txt'), SLOW);
  fs.writeFileSync(
    path.join(inputs, 'batch.jsonl'),
    [JSON.stringify({ text: `${GAO} `.repeat(110_000), url: 'urn:huge' }), JSON.stringify({ text: 'Hundreds of people protested peacefully in Bamako on Friday against rising prices.', published: '2023-11-17', url: 'urn:ok' })].join('\n') + '\n',
  );
  const db = path.join(dir, 'db');
  const r = sitrep(['ingest', '--db', db, '--published', '2023-11-15', '--time-limit', LIMIT, inputs]);
  assert.equal(r.code, 1, r.err);
  assert.doesNotMatch(r.err, /internal error|\n\s+at /);
  assert.match(r.err, /rejected \S*binary\.txt: \S*binary\.txt looks binary/);
  assert.match(r.err, /rejected \S*slow\.txt: extraction ran over the time limit of 3 s/);
  assert.match(r.err, /rejected \S*batch\.jsonl:1: text is 1\d\.\d MB, over the 5\.0 MB/);
  // Read: 2 feed items, the page, the good line, and the huge line, the binary file and the slow report, refused.
  assert.match(r.out, /7 reports read, 4 new .*; 3 rejected/);
  const events = json(sitrep(['events', '--db', db]).out).events as any[];
  assert.deepEqual([...new Set(events.map((e) => e.location))].sort(), ['Bamako', 'Gao', 'Kidal']);
  assert.ok(!events.some((e) => e.location === 'Menaka'), 'nothing of the report given up');
  assert.ok(events.every((e) => !/lollol/.test(e.notes)));

  const again = sitrep(['ingest', '--db', db, '--published', '2023-11-15', '--time-limit', LIMIT, inputs]);
  assert.equal(again.code, 1, again.err);
  assert.match(again.out, /0 new .* 4 already known; 0 events added/);
  assert.equal((json(sitrep(['events', '--db', db]).out).events as any[]).length, events.length);
});

test('extraction past its deadline throws TimeLimitError; without one, or before it, the report is extracted', () => {
  const res = resources(loadConfig());
  const doc = readDocument(GAO, { published: '2023-11-15' }).value;
  const opts = { published: '2023-11-15', source: '' };
  assert.throws(() => extractDoc(doc, res, { ...opts, deadline: { at: Date.now() - 1, seconds: 5 } }), (e: unknown) => e instanceof TimeLimitError && /time limit of 5 s/.test(e.message));
  const free = extractDoc(doc, res, opts).value;
  assert.equal(free[0]?.location, 'Gao');
  assert.deepEqual(extractDoc(doc, res, { ...opts, deadline: { at: Date.now() + 600_000, seconds: 600 } }).value, free);
});
