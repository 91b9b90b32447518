// The command as a user runs it: exit codes, one-line errors, output shapes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from '../src/config.js';
import { EventList, ACLED_COLUMNS } from '../src/schema/event.js';
import { sitrep } from './support/cli.js';
import { tempDir as makeTempDir } from './support/tmp.js';

// Input files of the batch tests, side by side (the bad batch's test runs the clean one again).
const cliTmp = makeTempDir();

const FIX = path.join(ROOT, 'test', 'fixtures', 'cli');

const badInputs: [string, string[], RegExp][] = [
  ['missing file', ['extract', path.join(FIX, 'nope.txt')], /no such file/],
  ['empty file', ['extract', path.join(FIX, 'empty.txt')], /empty/i],
  ['binary file', ['extract', path.join(FIX, 'binary.bin')], /binary/i],
  ['wrong encoding', ['extract', path.join(FIX, 'latin1.txt')], /UTF-8/i],
  ['bad date', ['extract', '--published', '2021-02-30', path.join(FIX, 'kunduz.txt')], /published/],
  ['date in another format', ['extract', '--published', '21/08/2021', path.join(FIX, 'kunduz.txt')], /published/],
  ['a directory', ['extract', FIX], /directory/],
  ['unknown format', ['extract', '--format', 'xml', path.join(FIX, 'kunduz.txt')], /xml|format/i],
];

for (const [name, args, message] of badInputs) {
  test(`bad input: ${name} gives a one-line error and a non-zero exit`, () => {
    const r = sitrep(args);
    assert.notEqual(r.code, 0);
    assert.match(r.err, message);
    assert.doesNotMatch(r.err, /\n\s+at /, 'no stack trace');
    assert.equal(r.out, '');
  });
}

test('a report with no events prints {"events": []} and exits 0', () => {
  const r = sitrep(['extract', '--published', '2024-03-05', path.join(FIX, 'no-events.txt')]);
  assert.equal(r.code, 0, r.err);
  assert.deepEqual(JSON.parse(r.out), { events: [] });
});

test('json output follows the event schema, with evidence offsets into the input', () => {
  const r = sitrep(['extract', '--published', '2015-10-01', '--source', 'Test wire', path.join(FIX, 'kunduz.txt')]);
  assert.equal(r.code, 0, r.err);
  const { events } = EventList.parse(JSON.parse(r.out));
  assert.ok(events.length >= 1);
  const retake = events.find((e) => e.sub_event_type === 'Government regains territory');
  assert.ok(retake, JSON.stringify(events.map((e) => e.sub_event_type)));
  assert.equal(retake.admin1, 'Kunduz');
  assert.equal(retake.event_date, '2015-10-01');
  assert.equal(retake.source, 'Test wire');
  assert.equal(retake.certainty, 'disputed');
  assert.match(retake.actor1, /Afghanistan/);
  assert.match(retake.actor2, /Taliban/);
  assert.match(retake.rule, /^rules\/events\/predicates\.tsv:\d+ \+ rules\/events\/decide\.tsv:\d+$/);
  const text = fs.readFileSync(path.join(FIX, 'kunduz.txt'), 'utf8');
  for (const e of events) for (const ev of e.evidence) assert.equal(text.slice(ev.start, ev.end), ev.text);
});

test('stdin works with -', () => {
  const r = sitrep(['extract', '--published', '2015-10-01', '-'], 'Afghan security forces retook the city of Kunduz on Thursday after heavy fighting with the Taliban.');
  assert.equal(r.code, 0, r.err);
  assert.ok(JSON.parse(r.out).events.length >= 1);
});

test('no --published and no date line: a warning on stderr, dates resolved against today', () => {
  const r = sitrep(['extract', '-'], 'Rebels clashed with the army in Goma on Monday.');
  assert.equal(r.code, 0, r.err);
  assert.match(r.err, /no publication date/);
});

test('csv writes the ACLED column order', () => {
  const r = sitrep(['extract', '--published', '2015-10-01', '--format', 'csv', path.join(FIX, 'kunduz.txt')]);
  assert.equal(r.code, 0, r.err);
  const header = r.out.split('\n')[0]!.split(',');
  assert.deepEqual(header.slice(0, ACLED_COLUMNS.length), [...ACLED_COLUMNS]);
});

test('a .jsonl batch prints one line per report with --format jsonl', () => {
  const batch = [
    { id: 'a', text: 'Afghan security forces retook the city of Kunduz on Thursday after heavy fighting with the Taliban.', published: '2015-10-01', source: 'X' },
    { id: 'b', text: 'Ministers will meet next month.', published: '2015-10-01', source: 'Y' },
  ]
    .map((o) => JSON.stringify(o))
    .join('\n');
  const file = path.join(cliTmp, `batch.jsonl`);
  fs.writeFileSync(file, batch);
  const r = sitrep(['extract', '--format', 'jsonl', file]);
  assert.equal(r.code, 0, r.err);
  const lines = r.out.trim().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(lines.map((l) => l.id), ['a', 'b']);
  assert.ok(lines[0].events.length >= 1);
  assert.deepEqual(lines[1].events, []);
});

test('--help works', () => {
  const r = sitrep(['--help']);
  assert.equal(r.code, 0);
  assert.match(r.out, /extract/);
});

test('extract on a batch: a bad line is named and skipped, the others extracted, exit 1', () => {
  const file = path.join(cliTmp, `bad-batch.jsonl`);
  const kunduz = 'Afghan security forces retook the city of Kunduz on Thursday after heavy fighting with the Taliban.';
  fs.writeFileSync(file, [JSON.stringify({ id: 'a', text: 'x\u0000\u0000\u0000\u0000\u0000' }), '{oops', JSON.stringify({ id: 'c', text: kunduz, published: '2015-10-01', source: 'S\u0000' })].join('\n'));
  const r = sitrep(['extract', '--format', 'jsonl', file]);
  assert.equal(r.code, 1, r.err);
  assert.match(r.err, /:1: text looks binary.*; skipped/);
  assert.match(r.err, /: line 2: not valid JSON.*; skipped/);
  const lines = r.out.trim().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(lines.map((l) => l.id), ['c']);
  assert.equal(lines[0].events[0].source, 'S');
  const ok = sitrep(['extract', '--format', 'jsonl', file.replace('bad-batch', 'batch')]);
  assert.equal(ok.code, 0, 'a clean batch still exits 0');
});

test('extract reads an RSS file as a feed: one result per item, no markup in the notes', () => {
  const file = path.join(cliTmp, `feed.rss`);
  fs.writeFileSync(
    file,
    '<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title><item><guid>g1</guid><title>Kunduz retaken</title><pubDate>Thu, 01 Oct 2015 10:00:00 GMT</pubDate>' +
      '<description>Afghan security forces retook the city of Kunduz on Thursday after heavy fighting with the Taliban.</description></item></channel></rss>',
  );
  for (const name of [file, file.replace('.rss', '.txt')]) {
    fs.copyFileSync(file, name);
    const r = sitrep(['extract', '--format', 'jsonl', name]);
    assert.equal(r.code, 0, r.err);
    const [line] = r.out.trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(line.id, 'g1');
    assert.ok(line.events.length >= 1);
    for (const e of line.events) assert.doesNotMatch(e.notes, /<item>|<title>/);
    assert.equal(line.events[0].source, 'Wire');
  }
});

test('budgets: one event told 300 times keeps notes of at most 4,000 quoted characters and 64 evidence spans', () => {
  const file = path.join(cliTmp, `repeat.txt`);
  fs.writeFileSync(file, 'Armed men attacked a police post in Gao on 14 November 2023, killing two officers, officials said. '.repeat(300));
  const r = sitrep(['extract', '--published', '2023-11-15', file]);
  assert.equal(r.code, 0, r.err);
  const events = JSON.parse(r.out).events;
  assert.equal(events.length, 1);
  // Unbounded, these were 29,746 characters and 2,100 spans.
  assert.ok(events[0].notes.length <= 4000 + 60, `notes of ${events[0].notes.length}`);
  assert.match(events[0].notes, /… \[Gao/);
  assert.equal(events[0].evidence.length, 64);
  const roles = new Set(events[0].evidence.map((e: { role: string }) => e.role));
  for (const role of ['actor', 'type', 'place', 'date', 'attribution']) assert.ok(roles.has(role), `a ${role} span is kept`);
});

test('evidence offsets: into the file for plain LF text; for HTML, CRLF or a BOM the JSON carries the text they index', () => {
  const sentence = 'Afghan security forces retook the city of Kunduz on Thursday after heavy fighting with the Taliban.';
  const dir = makeTempDir('sitrep-offsets-');
  const cases: [string, string, boolean][] = [
    ['plain.txt', `Kunduz retaken\n\n${sentence}\n`, false],
    ['crlf.txt', `\uFEFFKunduz retaken\r\n\r\n${sentence}\r\n`, true],
    ['page.html', `<html><head><title>Kunduz</title></head><body><nav>Home</nav><h1>Kunduz retaken</h1><p>${sentence.replace('Kunduz', '<b>Kunduz</b>')}</p></body></html>`, true],
  ];
  for (const [name, content, carries] of cases) {
    const file = path.join(dir, name);
    fs.writeFileSync(file, content);
    const r = sitrep(['extract', '--published', '2015-10-01', file]);
    assert.equal(r.code, 0, r.err);
    const doc = JSON.parse(r.out);
    assert.equal('text' in doc, carries, name);
    const indexed: string = carries ? doc.text : content;
    if (name === 'crlf.txt') assert.equal(doc.text, `Kunduz retaken\n\n${sentence}\n`, 'LF line ends, no BOM');
    assert.ok(doc.events[0].evidence.length > 0);
    for (const ev of doc.events[0].evidence) assert.equal(indexed.slice(ev.start, ev.end), ev.text, `${name}: ${ev.text}`);
  }
});

test('geocode --reverse: a point to its country, admin1, admin2 with codes and the nearest populated place', () => {
  const r = sitrep(['geocode', '--reverse', '34.52,69.18']);
  assert.equal(r.code, 0, r.err);
  const a = JSON.parse(r.out);
  assert.deepEqual([a.result.country, a.result.admin1_code, a.result.admin2_code, a.result.level], ['Afghanistan', 'AF01', 'AF0101', 'point']);
  assert.equal(a.result.nearest.location, 'Kabul');
  // Beyond the boundary packs: the units of the nearest town, its distance in the reason and in `nearest`.
  const d = JSON.parse(sitrep(['geocode', '--reverse', '48.72 N 37.56 E']).out).result;
  assert.deepEqual([d.iso, d.admin1, d.admin1_code], ['UA', 'Donetsk', 'UA.05']);
  assert.match(d.reason, new RegExp(`nearest town, ${d.nearest.location} \\(${d.nearest.km.toFixed(1)} km\\)`));
  // A batch: one answer a line; a line that is no point says so and the batch goes on; open sea has no answer.
  const b = sitrep(['geocode', '--reverse', '--format', 'jsonl', '-'], '15.35,44.2\nKabul\n0,-30\n');
  assert.equal(b.code, 0, b.err);
  const lines = b.out.trim().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(lines.map((l) => [l.query, l.result?.iso ?? null]), [['15.35,44.2', 'YE'], ['Kabul', null], ['0,-30', null]]);
  assert.match(lines[1].notes[0], /not a coordinate pair/);
  assert.equal(lines[2].notes, undefined);
  // One query that is no point is a usage error, not a trace.
  const bad = sitrep(['geocode', '--reverse', 'Kabul']);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /^sitrep: not a coordinate pair: "Kabul"/);
});
