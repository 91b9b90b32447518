// Properties over generated input (fast-check, 10,000 cases each): whatever Unicode a report or
// a batch line holds (RTL scripts, combining marks, emoji, CRLF, BOM, controls, lone surrogates),
// reading either refuses it with an InputError or gives spans that index the text read, and
// the JSONL reader names every line it skips.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { InputError } from '../src/errors.js';
import { segment } from '../src/extract/segment.js';
import { readDocument, readJsonl } from '../src/ingest/read.js';

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

test('readDocument and segment: an InputError, or every span (blocks, title, sentences) indexes doc.text', () => {
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
