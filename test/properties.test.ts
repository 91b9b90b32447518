// Properties over generated input (fast-check, 10,000 cases each): whatever Unicode a report or
// a batch line holds (RTL scripts, combining marks, emoji, CRLF, BOM, controls, lone surrogates),
// reading either refuses it with an InputError or gives spans that index the text read (as
// plain text and inside HTML, where events' evidence indexes it too), the JSONL reader names
// every line it skips and the RSS reader reads or names every item. Then dates written out or as a weekday resolve to
// the day meant, name folding ignores what it promises to, ACLED CSV written is read back the
// same, and no query string makes the API answer anything but 200 or 400.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import fc from 'fast-check';
import { loadConfig } from '../src/config.js';
import { resources } from '../src/cli/io.js';
import { fromMs, longDate } from '../src/core/days.js';
import { InputError } from '../src/errors.js';
import { loadDateRules, findDates } from '../src/extract/dates.js';
import { loadFatalityRules } from '../src/extract/fatalities.js';
import { segment } from '../src/extract/segment.js';
import { foldName, keyPrefix } from '../src/geo/fold.js';
import { readAcled } from '../src/ingest/acled.js';
import { readDocument, readJsonl } from '../src/ingest/read.js';
import { readFeedFile } from '../src/ingest/feed.js';
import { extractDoc, loadResources } from '../src/extract/index.js';
import { formatAcled } from '../src/output/acled.js';
import { Event, eventTypeOf, interaction, SUB_EVENT_TYPE_NAMES } from '../src/schema/event.js';
import { createApp } from '../src/serve/app.js';
import { Store } from '../src/store/store.js';
import { tempDir } from './support/stores.js';

const RUNS = 10_000;

// Pieces that stress offsets: surrogate pairs, combining marks, RTL, line ends of every kind,
// controls, a BOM, lone surrogates, sentence ends and abbreviations.
const piece = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 6 }),
  fc.constantFrom('\r\n', '\r', '\n', '\n\n', '\f', '\uFEFF', '\u0000', '\u0007', '\t', '\ud800', '\udc00', '😀', 'e\u0301', 'مرحبا بالعالم', 'שלום', '. ', '? ', 'Dr. ', 'U.S. ', '"', '…', ' '),
  fc.constantFrom('Taliban fighters seized Kunduz on Monday.', 'Gunmen killed two people in Gao, police said.'),
);
const report = fc.array(piece, { maxLength: 30 }).map((a) => a.join(''));

const wellFormed = (s: string) => (s as string & { isWellFormed(): boolean }).isWellFormed();

test('readDocument, segment and extract: an InputError, or every span (blocks, title, sentences, events\' evidence) indexes doc.text', () => {
  const res = loadResources(loadConfig());
  fc.assert(
    fc.property(report, fc.boolean(), (text, asBytes) => {
      let doc;
      try {
        doc = readDocument(asBytes ? Buffer.from(text) : text, { published: '2021-08-21', format: 'text', what: 'text' }).value;
      } catch (e) {
        if (e instanceof InputError) return;
        throw e;
      }
      assert.ok(wellFormed(doc.text), 'no lone surrogate left');
      assert.ok(!/[\r\0]/.test(doc.text), 'no CR or NUL left');
      for (const b of doc.blocks) assert.equal(doc.text.slice(b.start, b.end), b.text);
      if (doc.title) assert.equal(doc.text.slice(doc.title.start, doc.title.end), doc.title.text);
      for (const s of segment(doc).value) assert.equal(doc.text.slice(s.start, s.end), s.text);
      for (const ev of extractDoc(doc, res, { published: '2021-08-21', source: 'test' }).value)
        for (const e of ev.evidence) assert.equal(doc.text.slice(e.start, e.end), e.text, JSON.stringify(e));
    }),
    { numRuns: RUNS },
  );
});

test('plain text keeps its length through reading when it has no CR and no BOM: offsets into doc.text are offsets into the input', () => {
  fc.assert(
    fc.property(report, (text) => {
      fc.pre(!text.includes('\r') && !text.includes('\f') && !text.startsWith('\uFEFF'));
      try {
        assert.equal(readDocument(text, { published: '2021-08-21', format: 'text', what: 'text' }).value.text.length, text.length);
      } catch (e) {
        if (!(e instanceof InputError)) throw e;
      }
    }),
    { numRuns: RUNS },
  );
});

const line = fc.oneof(
  fc.record({ id: fc.option(fc.string({ unit: 'binary', maxLength: 8 }), { nil: undefined }), text: fc.string({ unit: 'binary', maxLength: 40 }), source: fc.option(fc.string({ unit: 'binary', maxLength: 8 }), { nil: undefined }) }).map((o) => JSON.stringify(o)),
  // A line holds no line feed by definition.
  fc.string({ unit: 'binary', maxLength: 30 }).map((s) => s.replace(/\n/g, ' ')),
  fc.constantFrom('', '{', '[]', 'null', '{"text": 1}', '{"text": "  "}'),
);

test('readJsonl: every line is an item or a warning with its number; fields come out storable', () => {
  fc.assert(
    fc.property(fc.array(line, { minLength: 1, maxLength: 8 }), fc.boolean(), (lines, asBytes) => {
      const raw = lines.join('\n');
      let r;
      try {
        r = readJsonl(asBytes ? Buffer.from(raw) : raw);
      } catch (e) {
        if (e instanceof InputError) return;
        throw e;
      }
      const skipped = new Set(r.warnings.filter((w) => /; line skipped$/.test(w)).map((w) => Number(/^line (\d+):/.exec(w)![1])));
      const kept = new Set(r.value.map((i) => i.line));
      lines.forEach((l, i) => {
        const n = i + 1;
        if (!l.trim()) return;
        assert.ok(kept.has(n) !== skipped.has(n), `line ${n} is kept or skipped, not both or neither: ${JSON.stringify(l)}`);
      });
      for (const it of r.value) {
        for (const v of [it.id, it.source]) if (v !== null) assert.ok(wellFormed(v) && !/[\x00-\x1F\x7F]/.test(v), JSON.stringify(v));
      }
    }),
    { numRuns: RUNS },
  );
});

// HTML and RSS around the same hostile pieces, some of them markup themselves.
const markup = fc.oneof(piece, fc.constantFrom('<p>', '</p>', '<br>', '<div><b>', '</b></div>', '<!---->', '<script>x</script>', '&amp;', '&#0;', '&bogus;', '<![CDATA[', ']]>', '<item>', '</item>'));
const fragment = fc.array(markup, { maxLength: 20 }).map((a) => a.join(''));
const xmlEscape = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

test('readDocument on HTML: an InputError, or every span indexes the text read; events\' evidence indexes it too', () => {
  const res = loadResources(loadConfig());
  fc.assert(
    fc.property(fragment, fragment, fragment, (title, a, b) => {
      const html = `<html><head><title>${title}</title></head><body><article><p>${a}</p><p>${b} Taliban fighters seized Kunduz on Monday.</p></article></body></html>`;
      let doc;
      try {
        doc = readDocument(html, { published: '2021-08-21', format: 'html', what: 'page' }).value;
      } catch (e) {
        if (e instanceof InputError) return;
        throw e;
      }
      assert.ok(wellFormed(doc.text) && !/[\r\0]/.test(doc.text));
      for (const bl of doc.blocks) assert.equal(doc.text.slice(bl.start, bl.end), bl.text);
      for (const ev of extractDoc(doc, res, { published: '2021-08-21', source: 'test' }).value)
        for (const e of ev.evidence) assert.equal(doc.text.slice(e.start, e.end), e.text, JSON.stringify(e));
    }),
    { numRuns: RUNS },
  );
});

test('readFeedFile on RSS: every item is read with well-formed text, or named in a warning; nothing throws but an InputError', () => {
  fc.assert(
    fc.property(fc.array(fc.tuple(fragment, fragment, fc.boolean()), { minLength: 1, maxLength: 5 }), (items) => {
      const body = items.map(([t, d, escape]) => `<item><title>${escape ? xmlEscape(t) : t}</title><description>${escape ? xmlEscape(d) : d}</description><pubDate>Mon, 16 Aug 2021 10:00:00 GMT</pubDate></item>`).join('');
      let r;
      try {
        r = readFeedFile(`<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>${body}</channel></rss>`, 'feed');
      } catch (e) {
        if (e instanceof InputError) return;
        throw e;
      }
      assert.ok(r.value.length + r.warnings.length >= 1, 'each feed gives items or says why not');
      for (const it of r.value) assert.ok(wellFormed(it.text) && it.text.trim().length > 0, JSON.stringify(it.text));
    }),
    { numRuns: RUNS },
  );
});

const config = loadConfig();
const DAY = 86_400_000;
/** A real day from 1997 (ACLED's first data) to 2035. */
const day = fc.integer({ min: Date.UTC(1997, 0, 1) / DAY, max: Date.UTC(2035, 11, 31) / DAY }).map((d) => fromMs(d * DAY));
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

test('dates: a day written out resolves to that day, a weekday to that weekday of the week up to publication', () => {
  const R = loadDateRules(config, loadFatalityRules(config));
  const sentence = (d: string) => `Gunmen attacked a village in the district on ${d}, officials said.`;
  const written = (iso: string, form: number) => {
    const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
    return [longDate(iso), `${MONTHS[m - 1]} ${d}, ${y}`, iso, `${d} ${MONTHS[m - 1]!.slice(0, 3)} ${y}`][form]!;
  };
  fc.assert(
    fc.property(day, day, fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 6 }), (iso, published, form, weekday) => {
      const t = sentence(written(iso, form));
      const [m, ...more] = findDates(R, t, { start: 0, end: t.length, text: t }, published).value;
      assert.equal(more.length, 0, t);
      assert.equal(m?.date, iso, t);
      assert.equal(t.slice(m!.start, m!.end), m!.text);
      const w = sentence(WEEKDAYS[weekday]!);
      const [r] = findDates(R, w, { start: 0, end: w.length, text: w }, published).value;
      const back = (Date.parse(published) - Date.parse(r!.date)) / DAY;
      assert.ok(back >= 0 && back < 7, `${WEEKDAYS[weekday]} published ${published}: ${r!.date}`);
      assert.equal(new Date(r!.date).getUTCDay(), weekday);
    }),
    { numRuns: RUNS },
  );
});

// Words as gazetteers spell them: Latin letters, with and without diacritics, apostrophes.
const word = fc.oneof(
  fc.stringMatching(/^[A-Za-z][a-z']{0,9}$/),
  fc.constantFrom('Kābul', 'Ġazni', 'Mazār', 'Hérat', 'Šibenik', 'Qal\'eh', 'Kunduz', 'Deir', 'ez', 'Zor', 'Ain', 'Issa', 'al', 'Nahr'),
);
const words = fc.array(word, { minLength: 1, maxLength: 4 });

test('name folding: no case, no space or hyphen between words, no combining mark counts; keyPrefix begins the key of any longer text', () => {
  fc.assert(
    fc.property(words, fc.string({ maxLength: 12 }), (ws, tail) => {
      const spaced = ws.join(' ');
      const key = foldName(spaced);
      assert.doesNotMatch(key, /\s/);
      assert.equal(foldName(ws.join('-')), key, 'hyphens for spaces');
      assert.equal(foldName(ws.join('  ')), key, 'two spaces for one');
      assert.equal(foldName(spaced.toUpperCase()), foldName(spaced.toLowerCase()), 'case');
      assert.equal(foldName(spaced.normalize('NFD')), foldName(spaced.normalize('NFC')), 'composed or not');
      assert.ok(foldName(spaced + tail).startsWith(keyPrefix(spaced)), `keyPrefix(${JSON.stringify(spaced)}) = ${keyPrefix(spaced)}, key of ${JSON.stringify(spaced + tail)} = ${foldName(spaced + tail)}`);
    }),
    { numRuns: RUNS },
  );
});

// Any text a field may hold in a CSV: quotes, commas, line ends, non-Latin scripts, emoji.
const field = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 20 }), fc.constantFrom('a, b', '"quoted"', 'two\nlines', 'CR\r\nLF', 'مرحبا', '😀', ',', '""'));
const trimmed = field.map((s) => s.trim());
const acledEvent = fc
  .record({
    n: fc.integer({ min: 1, max: 999_999 }),
    date: day,
    time_precision: fc.constantFrom(1, 2, 3),
    sub: fc.constantFrom(...SUB_EVENT_TYPE_NAMES),
    actor1: trimmed,
    assoc_actor_1: trimmed,
    actor2: trimmed,
    assoc_actor_2: trimmed,
    inter1: fc.integer({ min: 1, max: 8 }),
    inter2: fc.integer({ min: 0, max: 8 }),
    country: trimmed,
    iso: fc.option(fc.integer({ min: 1, max: 999 })),
    admin1: trimmed,
    admin2: trimmed,
    location: trimmed,
    // (+ 0: -0 is written "0", the same coordinate.)
    latitude: fc.option(fc.double({ min: -90, max: 90, noNaN: true, noDefaultInfinity: true }).map((x) => x + 0)),
    longitude: fc.option(fc.double({ min: -180, max: 180, noNaN: true, noDefaultInfinity: true }).map((x) => x + 0)),
    geo_precision: fc.constantFrom(1, 2, 3),
    fatalities: fc.nat({ max: 10_000 }),
    source: trimmed,
    notes: field,
  })
  .map((r) =>
    Event.parse({
      event_id: `AFG${r.n}`,
      event_date: r.date,
      time_precision: r.time_precision,
      event_type: eventTypeOf(r.sub),
      sub_event_type: r.sub,
      actor1: r.actor1,
      assoc_actor_1: r.assoc_actor_1,
      actor2: r.actor2,
      assoc_actor_2: r.assoc_actor_2,
      inter1: r.inter1,
      inter2: r.inter2,
      interaction: interaction(r.inter1, r.inter2),
      country: r.country,
      iso: r.iso,
      admin1: r.admin1,
      admin2: r.admin2,
      location: r.location,
      latitude: r.latitude,
      longitude: r.longitude,
      geo_precision: r.geo_precision,
      fatalities: r.fatalities,
      source: r.source,
      notes: r.notes,
      evidence: [],
      attribution: null,
      certainty: 'reported',
      confidence: 1,
      rule: 'generated',
      admin1_code: null,
      admin2_code: null,
    }),
  );

test('ACLED CSV: what formatAcled writes, readAcled reads back field for field, and writes again byte for byte (both layouts)', () => {
  const noCodes = () => ({ admin1_code: null, admin2_code: null });
  const CARRIED = ['event_id', 'event_date', 'time_precision', 'event_type', 'sub_event_type', 'actor1', 'assoc_actor_1', 'actor2', 'assoc_actor_2', 'inter1', 'inter2', 'interaction', 'country', 'iso', 'admin1', 'admin2', 'location', 'latitude', 'longitude', 'geo_precision', 'fatalities', 'source', 'notes'] as const;
  fc.assert(
    fc.property(fc.array(acledEvent, { minLength: 1, maxLength: 4 }), fc.constantFrom('current' as const, '2020' as const), (events, layout) => {
      const csv = formatAcled(events, layout);
      const { value } = readAcled(csv, 'x.csv', noCodes);
      assert.deepEqual(value.rejected, []);
      assert.equal(value.layout, layout);
      assert.equal(value.rows.length, events.length);
      value.rows.forEach((row, i) => {
        for (const k of CARRIED) assert.deepEqual(row.event[k], events[i]![k], `${k} of ${JSON.stringify(events[i])}`);
      });
      assert.equal(formatAcled(value.rows.map((r) => r.event), layout), csv);
    }),
    { numRuns: RUNS },
  );
});

// Parameter values that once gave 500s (a cursor of 2021-99-99, a 23-digit id, NUL, a lone
// surrogate, limit=1.5) and anything else.
const value = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 24 }),
  day,
  fc.constantFrom('2021-99-99', '2021-02-30', '99999999999999999999999', '1.5', '-1', '0', '1e3', 'NaN', 'a\u0000b', '\ud800', '', ' ', '60,30,70,40', '10,-5,0,5', 'csv', 'acled', 'geojson'),
  fc.tuple(day, fc.bigInt({ min: -(10n ** 25n), max: 10n ** 25n })).map(([d, n]) => Buffer.from(`${d}|${n}`).toString('base64url')),
);
const PARAMS = ['from', 'to', 'country', 'admin1', 'admin2', 'type', 'bbox', 'known_at', 'cursor', 'limit', 'format', 'as_of', 'since', 'zzz'];

test('the API: any query string on /api/events, /api/control, /api/alerts gives 200 or a 400 naming the problem, never a 500', async () => {
  const store = await Store.open(path.join(tempDir(), 'db'));
  const errors: string[] = [];
  const app = createApp({ store, config, resources: () => resources(config), token: null, open: false, today: () => '2021-09-01', version: 'test', log: (s) => errors.push(s) });
  try {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('/api/events', '/api/control', '/api/alerts'), fc.array(fc.tuple(fc.constantFrom(...PARAMS), value), { maxLength: 4 }), async (route, params) => {
        const query = new URLSearchParams(params).toString();
        const res = await app.request(`${route}?${query}`);
        const body = await res.text();
        assert.ok(res.status === 200 || res.status === 400, `${route}?${query}: ${res.status} ${body.slice(0, 200)}`);
        if (res.status === 400) assert.match(JSON.parse(body).error.message, /\w/);
      }),
      { numRuns: RUNS },
    );
  } finally {
    await store.close();
  }
  assert.deepEqual(errors, []);
});
