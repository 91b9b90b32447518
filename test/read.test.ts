import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from '../src/config.js';
import { InputError } from '../src/errors.js';
import { readDocument, readJsonl } from '../src/ingest/read.js';
import { readFeed } from '../src/ingest/feed.js';
import type { Doc } from '../src/core/types.js';

const fixture = (name: string) => fs.readFileSync(path.join(ROOT, 'test/fixtures/read', name));
const headings = (doc: Doc) => doc.blocks.filter((b) => b.heading).map((b) => b.text);
const body = (doc: Doc) => doc.blocks.filter((b) => !b.heading).map((b) => b.text);

function assertSpans(doc: Doc) {
  for (const b of doc.blocks) assert.equal(doc.text.slice(b.start, b.end), b.text);
  if (doc.title) assert.equal(doc.text.slice(doc.title.start, doc.title.end), doc.title.text);
}

test('plain text: title, headings and body blocks', () => {
  const doc = readDocument(fixture('seed-like.txt'), { filename: 'seed-like.txt', published: '2023-05-02' }).value;
  assertSpans(doc);
  assert.equal(doc.title?.text, 'Clashes reported in Kidal region');
  assert.deepEqual(headings(doc), ['Clashes reported in Kidal region', 'Background', 'What happened next?', 'Fighting continues in the north']);
  assert.deepEqual(body(doc), [
    'Armed men attacked a convoy on the road between Anefis and Tessalit on Tuesday, the army said.',
    'Residents said shops stayed closed for two days.',
    'Officials said the road was reopened.',
  ]);
  assert.equal(doc.published, '2023-05-02');
  assert.equal(doc.publishedFrom, 'option');
});

test('plain text: title detection, positive and negative', () => {
  const cases: [string, string | null][] = [
    ['Kunduz falls to the Taliban\nTaliban fighters seized the city on Sunday.', 'Kunduz falls to the Taliban'],
    ['Afghan forces say they have retaken Kunduz; Taliban deny\n\nGovernment forces retook the city.', 'Afghan forces say they have retaken Kunduz; Taliban deny'],
    ['On 5 May 2020, unidentified gunmen reportedly seized a truck in Ar Rubat area of Tuban district (Lahij).\n\nNo injuries were reported.', null],
    ['Gunmen killed two farmers in Benue on Monday, police said.', null],
    ['A single headline with nothing after it', null],
  ];
  for (const [text, title] of cases) {
    const doc = readDocument(text, { published: '2021-01-01' }).value;
    assertSpans(doc);
    assert.equal(doc.title?.text ?? null, title, text);
    // An untitled one-liner is body text, so its events are not lost.
    if (!title) assert.ok(body(doc).length > 0, text);
  }
});

test('plain text: one-line paragraphs ending in a period are not headings; short unpunctuated lines are', () => {
  const cases: [string, boolean][] = [
    ['Details', true],
    ["What's the story", true],
    ['Heavy casualties on both sides: Report', true],
    ['Taliban facing resistance from Panjshir valley', true],
    ['What triggered the retaliation?', true],
    ['Police confirmed the attack.', false],
    ['Three soldiers were killed.', false],
    ['- Armed men abducted 12 people in Zamfara', false],
    ['Militants in pickup trucks stormed the market in the town and set fire to dozens of shops and homes', false],
  ];
  for (const [line, heading] of cases) {
    const doc = readDocument(`Report\n\nFirst sentence of the body.\n${line}\n\nLast line.`, { published: '2021-01-01' }).value;
    const block = doc.blocks.find((b) => b.text === line);
    assert.ok(block, `block for ${line}`);
    assert.equal(block.heading, heading, line);
  }
});

test('plain text: hard-wrapped lines are joined into one block; CRLF is normalised', () => {
  const wrapped = readDocument(fixture('wrapped.txt'), { published: '2021-01-01' }).value;
  assertSpans(wrapped);
  assert.deepEqual(body(wrapped), [
    'Gunmen stormed a village in Zamfara State on Friday,\nkilling at least 12 people and abducting dozens of\nwomen, a local official said.',
    'Police confirmed the attack.',
  ]);
  const crlf = readDocument(fixture('crlf.txt'), { published: '2021-01-01' }).value;
  assert.ok(!crlf.text.includes('\r'));
  assertSpans(crlf);
  assert.equal(crlf.title?.text, 'Title line');
  assert.deepEqual(body(crlf), ['Soldiers fired on protesters.', 'Two were hurt.']);
});

test('HTML: page furniture dropped, entities decoded, title and meta date read', () => {
  const { value: doc, warnings } = readDocument(fixture('article.html'), { filename: 'article.html' });
  assertSpans(doc);
  assert.equal(doc.title?.text, 'Militants attack checkpoint in Borno');
  assert.equal(doc.published, '2022-03-14');
  assert.equal(doc.source, 'Example News');
  assert.deepEqual(warnings, []);
  for (const gone of ['tracking', 'Home', 'Next story', 'Hidden paragraph', 'Enable JavaScript', 'Most read', '©', 'color: red']) {
    assert.ok(!doc.text.includes(gone), `dropped: ${gone}`);
  }
  // &nbsp; becomes a plain space with the rest of the HTML whitespace.
  assert.ok(doc.text.includes('gun trucks at about 6 p.m. and fired rocket-propelled grenades — the army'), 'entities decoded');
  assert.deepEqual(headings(doc), ['Militants attack checkpoint in Borno', 'Aid agencies warn']);
  assert.deepEqual(body(doc).length, 3);
  assert.ok(body(doc).includes('About 2,000 people fled to Maiduguri'), 'list items are body text even without a period');
});

test('HTML: detection by content, title from <title>, published from <time> and JSON-LD; option wins', () => {
  const cases: [string, ReturnType<typeof readDocument>['value']['published'], string | null][] = [
    ['<html><head><title>Blast in Mogadishu</title></head><body><p>A car bomb exploded near a hotel on Friday.</p></body></html>', null, 'Blast in Mogadishu'],
    ['<div><time datetime="2019-07-12">12 July</time><p>A car bomb exploded near a hotel on Friday.</p></div>', '2019-07-12', null],
    [
      '<html><head><script type="application/ld+json">{"@graph":[{"@type":"NewsArticle","datePublished":"2020-01-08T02:00:00Z"}]}</script></head><body><p>Missiles struck two bases overnight.</p></body></html>',
      '2020-01-08',
      null,
    ],
    ['<html><head><meta name="pubdate" content="not a date"></head><body><p>Missiles struck two bases.</p></body></html>', null, null],
  ];
  for (const [html, published, title] of cases) {
    const { value: doc } = readDocument(html, {});
    assertSpans(doc);
    assert.ok(!doc.text.includes('<'), 'parsed as HTML');
    if (published) assert.equal(doc.published, published, html);
    if (!published) assert.equal(doc.publishedFrom === 'option', false);
    assert.equal(doc.title?.text ?? null, title, html);
  }
  const withOption = readDocument(fixture('article.html'), { filename: 'a.html', published: '2022-03-15' }).value;
  assert.equal(withOption.published, '2022-03-15');
  assert.equal(withOption.publishedFrom, 'option');
  // A .txt file with markup-looking content stays text when the format says so.
  const asText = readDocument('<p>Not parsed.</p>', { format: 'text', published: '2021-01-01' }).value;
  assert.equal(asText.text, '<p>Not parsed.</p>');
});

test('no publication date: warning names today, publishedFrom none', () => {
  const { value, warnings } = readDocument('Gunmen killed two farmers in Benue, police said.', {});
  assert.equal(value.published, null);
  assert.equal(value.publishedFrom, 'none');
  assert.ok(warnings.some((w) => /^no publication date given or found; dates resolved against today \(\d{4}-\d{2}-\d{2}\)$/.test(w)), warnings.join('|'));
});

test('input errors are InputError with a useful message', () => {
  const bom16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Rebels took the town.', 'utf16le')]);
  const cases: [Buffer | string, Parameters<typeof readDocument>[1], RegExp][] = [
    [Buffer.alloc(0), {}, /empty/],
    ['  \n\t\n ', {}, /only whitespace/],
    [Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]), {}, /binary.*NUL byte at byte offset 8/],
    ['a\x01b\x02c\x03d\x04e\x05 some text', {}, /binary \(5 control characters/],
    [Buffer.concat([Buffer.from('Caf'), Buffer.from([0xe9]), Buffer.from(' in Kabul')]), {}, /not valid UTF-8 \(byte 0xe9 at byte offset 3\)/],
    [Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('ab'), Buffer.from([0xff])]), {}, /byte offset 5/],
    ['Text.', { published: '2021-02-30' }, /--published "2021-02-30" is not a real calendar date/],
    ['Text.', { published: '21/08/2021' }, /--published "21\/08\/2021" is not a date in YYYY-MM-DD form/],
    ['Text.', { published: '2021-8-15' }, /YYYY-MM-DD/],
    ['<html><body><nav>Menu</nav><script>x</script></body></html>', {}, /no readable text/],
  ];
  for (const [raw, opts, msg] of cases) {
    assert.throws(() => readDocument(raw, opts), (e: unknown) => e instanceof InputError && msg.test(e.message), String(msg));
  }
  // Accepted: UTF-16 with a BOM, UTF-8 with a BOM, a real U+FFFD, a stray control char (warned).
  assert.equal(readDocument(bom16, { published: '2021-01-01' }).value.text, 'Rebels took the town.');
  assert.equal(readDocument(Buffer.from('\uFEFFRebels took the town.'), { published: '2024-02-29' }).value.text, 'Rebels took the town.');
  assert.equal(readDocument(Buffer.from('Name \uFFFD unknown.'), { published: '2021-01-01' }).value.text, 'Name \uFFFD unknown.');
  const stray = readDocument('Rebels took the town of Kidal on Monday\x07 after heavy fighting with the army.', { published: '2021-01-01' });
  assert.ok(stray.warnings.some((w) => /replaced 1 stray control/.test(w)));
});

test('JSONL batch: good lines kept, bad lines warned with their line number', () => {
  const { value, warnings } = readJsonl(fixture('batch.jsonl'));
  assert.deepEqual(
    value.map((i) => [i.id, i.line, i.published, i.source, i.url, i.title]),
    [
      ['a1', 1, '2021-05-03', 'Wire', null, null],
      ['a3', 4, null, 'Wire', 'https://example.org/x', null],
      ['line-7', 7, null, null, null, 'T'],
    ],
  );
  const expected = [/^line 2: not valid JSON/, /^line 4: "published" "2021-02-30" is not a real calendar date; treated as not given/, /^line 5: not a JSON object; line skipped/, /^line 6: duplicate id "a1"; line skipped/, /^line 7: no "id"; using "line-7"/];
  for (const re of expected) assert.ok(warnings.some((w) => re.test(w)), `${re}: ${warnings.join(' | ')}`);
  assert.equal(warnings.length, expected.length);
  const ingest = readJsonl(fixture('batch.jsonl'), { idsShown: false });
  assert.deepEqual(ingest.value.map((i) => i.id), ['a1', 'a3', 'line-7'], 'the same items');
  assert.equal(ingest.warnings.length, expected.length - 1, 'no warning for a missing id when no output is keyed by it');
  assert.ok(!ingest.warnings.some((w) => /no "id"/.test(w)));
});

test('JSONL batch: an entirely bad or empty file is an InputError', () => {
  const cases: [string | Buffer, RegExp][] = [
    ['not json\n{"id":1}\n', /no usable line: line 1: not valid JSON.*line 2: no "text"/],
    [Buffer.alloc(0), /empty/],
    ['\n\n', /only whitespace/],
  ];
  for (const [raw, msg] of cases) assert.throws(() => readJsonl(raw), (e: unknown) => e instanceof InputError && msg.test(e.message), String(msg));
});

test('examples/reports.jsonl is a valid batch matching the example .txt files', () => {
  const dir = path.join(ROOT, 'examples');
  const { value, warnings } = readJsonl(fs.readFileSync(path.join(dir, 'reports.jsonl')));
  assert.deepEqual(warnings, []);
  const txt = fs.readdirSync(dir).filter((f) => f.endsWith('.txt')).sort();
  assert.deepEqual(value.map((i) => `${i.id}.txt`).sort(), txt);
  for (const item of value) {
    assert.equal(item.text, fs.readFileSync(path.join(dir, `${item.id}.txt`), 'utf8'));
    assert.ok(item.published, `${item.id} has a publication date`);
    const doc = readDocument(item.text, { published: item.published }).value;
    assert.ok(doc.title, `${item.id} has a title`);
  }
});

test('hostile batch lines: a lone surrogate becomes U+FFFD, NUL and controls in a field become spaces, bytes that are not UTF-8 or hold NUL are one bad line', () => {
  const good = 'Protesters marched in Bamako on Friday.';
  const raw = Buffer.concat([
    Buffer.from(JSON.stringify({ id: 'a', text: `${good} \ud800 end` }) + '\n'),
    Buffer.from(JSON.stringify({ id: 'b', text: good, source: 'Wi\u0000re\u0007', title: 'T\ud83d' }) + '\n'),
    Buffer.from('{"id":"c","text":"caf'),
    Buffer.from([0xe9]),
    Buffer.from('"}\n{"id":"d","text":"x\u0000'.replace('\u0000', '\0') + '"}\n'),
    Buffer.from(JSON.stringify({ id: 'e', text: good }) + '\r\n'),
  ]);
  const { value, warnings } = readJsonl(raw);
  assert.deepEqual(value.map((i) => i.id), ['a', 'b', 'e']);
  assert.equal(value[1]!.source, 'Wi re', 'NUL and BEL became spaces, trimmed');
  assert.equal(value[1]!.title, 'T\ufffd');
  assert.ok(warnings.some((w) => /line 2: "source" held control characters/.test(w)));
  assert.ok(warnings.some((w) => /line 3: not valid UTF-8; line skipped/.test(w)));
  assert.ok(warnings.some((w) => /line 4: NUL byte at byte 19 .*; line skipped/.test(w)), warnings.join('\n'));
  // The text itself is cleaned where every reader of a report cleans it: one unit for one.
  const doc = readDocument(value[0]!.text, { what: 'text' });
  assert.equal(doc.value.text, `${good} \ufffd end`);
  assert.ok(doc.warnings.some((w) => /text: replaced 1 lone UTF-16 surrogate/.test(w)));
  const nul = readDocument(`${good}\0 more`, { what: 'text' });
  assert.equal(nul.value.text, `${good}  more`, 'a NUL in a string is a stray control: a space, offsets kept');
  assert.throws(() => readDocument('a\0\0\0\0\0\0', { what: 'text' }), /text looks binary/);
});

test('HTML nested 10,000 deep is read without exhausting the stack', () => {
  const html = '<html><body>' + '<div>'.repeat(10_000) + '<p>Militants seized the town of Kidal on Monday.</p>' + '</div>'.repeat(10_000) + '</body></html>';
  const doc = readDocument(html, { filename: 'deep.html', published: '2023-11-15' }).value;
  assert.equal(doc.text, 'Militants seized the town of Kidal on Monday.');
});

test('a feed that is not well-formed keeps its well-formed items; each broken one is named and skipped', () => {
  const item = (title: string, body: string) => `<item><title>${title}</title><description>${body}</description></item>`;
  const xml = [
    '<?xml version="1.0"?><rss version="2.0"><channel><title>Broken &amp; Feed</title>',
    item('One', 'Fighting broke out in Gao on Tuesday.'),
    '<item><title>Bad <b>markup</title><description>x</description></item>',
    item('Three', 'Hundreds protested in Bamako on Friday.'),
    '<item><title>never closed',
    '<itemize>not an item</itemize>',
    item('Five', 'Troops recaptured Kidal on Monday.'),
    '</channel>',
  ].join('\n');
  const { value, warnings } = readFeed(xml, 'f.xml');
  assert.deepEqual(value.map((i) => [i.line, i.title, i.source]), [[1, 'One', 'Broken & Feed'], [3, 'Three', 'Broken & Feed'], [5, 'Five', 'Broken & Feed']]);
  const skipped = warnings.filter((w) => /; item skipped$/.test(w));
  assert.equal(skipped.length, 2, warnings.join('\n'));
  assert.match(skipped[0]!, /^f\.xml: item 2 \(line 3\): not well-formed XML/);
  assert.match(skipped[1]!, /^f\.xml: item 4 \(line 5\): no closing tag/);
  assert.throws(() => readFeed('<rss><channel><item></rss>', 'b.xml'), /b\.xml: not well-formed XML.*no item in it could be read/);
});

test('a report over MAX_REPORT_CHARS is refused with its size, never read in part', async () => {
  const { MAX_REPORT_CHARS } = await import('../src/ingest/read.js');
  const big = 'Fighting went on. '.repeat(Math.ceil((MAX_REPORT_CHARS + 1) / 18));
  assert.throws(() => readDocument(big, { what: 'text' }), (e: unknown) => e instanceof InputError && /^text is 5\.0 MB, over the 5\.0 MB a report may have; split it/.test(e.message));
  assert.throws(() => readDocument(Buffer.from(big), { filename: 'big.txt' }), /big\.txt is 5\.0 MB/);
  assert.equal(readDocument(big.slice(0, MAX_REPORT_CHARS), { what: 'text' }).value.text.length, MAX_REPORT_CHARS, 'at the limit: read');
});
