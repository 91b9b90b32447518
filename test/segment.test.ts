import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../src/config.js';
import { readDocument } from '../src/ingest/read.js';
import { loadSegmentRules, MAX_SENTENCE, segment } from '../src/extract/segment.js';
import type { Doc } from '../src/core/types.js';
import { tempDir as makeTempDir } from './support/tmp.js';

const doc = (text: string): Doc => readDocument(text, { published: '2021-08-15', format: 'text' }).value;

function sentences(text: string): string[] {
  const d = doc(text);
  const s = segment(d).value;
  for (const x of s) assert.equal(d.text.slice(x.start, x.end), x.text, 'offsets point into doc.text');
  return s.map((x) => x.text);
}

test('abbreviations do not end sentences; real sentence ends still do', () => {
  const cases: [string, string[]][] = [
    ['Gen. Milley said the U.S. Army would leave. The Taliban agreed.', ['Gen. Milley said the U.S. Army would leave.', 'The Taliban agreed.']],
    ['Lt. Col. John Smith spoke. Officials confirmed it.', ['Lt. Col. John Smith spoke.', 'Officials confirmed it.']],
    ['The attack began at 10 p.m. Monday near No. 3 checkpoint. Police arrived.', ['The attack began at 10 p.m. Monday near No. 3 checkpoint.', 'Police arrived.']],
    ['It happened on Aug. 15 in Kabul. Dr. Ahmadi treated the wounded.', ['It happened on Aug. 15 in Kabul.', 'Dr. Ahmadi treated the wounded.']],
    ['The strike was carried out by the U.S. The Pentagon confirmed it.', ['The strike was carried out by the U.S.', 'The Pentagon confirmed it.']],
    ['The U.N. Security Council met. It condemned the attack.', ['The U.N. Security Council met.', 'It condemned the attack.']],
    ['Asked if talks had failed, he said no. Fighting resumed.', ['Asked if talks had failed, he said no.', 'Fighting resumed.']],
    ['Gunmen killed 5 people. Troops (incl. Sgt. Musa) were deployed.', ['Gunmen killed 5 people.', 'Troops (incl. Sgt. Musa) were deployed.']],
  ];
  for (const [text, want] of cases) assert.deepEqual(sentences(text), want, text);
});

test('quotes: a sentence that ends inside a closing quote keeps it', () => {
  const cases: [string, string[]][] = [
    ['He said "We inflicted heavy losses." The group denied it.', ['He said "We inflicted heavy losses."', 'The group denied it.']],
    ['“They took 20 people,” a resident said. “We are afraid.” Police said nothing.', ['“They took 20 people,” a resident said.', '“We are afraid.”', 'Police said nothing.']],
  ];
  for (const [text, want] of cases) assert.deepEqual(sentences(text), want, text);
});

test('title and headings produce no sentences; block indexes and whitespace trimming', () => {
  const d = doc('Kunduz falls\n\n  Taliban seized Kunduz.   Troops fled.  \nDetails\nResidents hid.\n');
  const s = segment(d).value;
  assert.deepEqual(
    s.map((x) => [x.index, x.block, x.text]),
    [
      [0, 1, 'Taliban seized Kunduz.'],
      [1, 1, 'Troops fled.'],
      [2, 3, 'Residents hid.'],
    ],
  );
  assert.deepEqual(segment(doc('Only a headline here\n\nDetails\nBackground')).value, []);
});

test('offsets hold on HTML-extracted text and CRLF text', () => {
  const html = readDocument('<h1>Blast</h1><p>A bomb exploded in Mogadishu &amp; killed 3. Al-Shabaab claimed it.</p><ul><li>Gen. Odowaa spoke</li></ul>', {
    published: '2020-01-01',
  }).value;
  const s = segment(html).value;
  assert.deepEqual(
    s.map((x) => x.text),
    ['A bomb exploded in Mogadishu & killed 3.', 'Al-Shabaab claimed it.', 'Gen. Odowaa spoke'],
  );
  for (const x of s) assert.equal(html.text.slice(x.start, x.end), x.text);
  assert.deepEqual(sentences('Title\r\n\r\nOne. Two.\r\nThree.'), ['One.', 'Two.', 'Three.']);
});

test('user rules directory extends the abbreviations', () => {
  const dir = makeTempDir('sitrep-seg-');
  fs.mkdirSync(path.join(dir, 'segment'));
  fs.writeFileSync(path.join(dir, 'segment/abbreviations.txt'), '# test\nCdr.\tprefix\tcommander\n');
  const text = 'Report\n\nCdr. Hassan led the raid. Two died.';
  assert.deepEqual(
    segment(doc(text)).value.map((x) => x.text),
    ['Cdr.', 'Hassan led the raid.', 'Two died.'],
  );
  const rules = loadSegmentRules({ ...loadConfig({}), userRulesDirs: [dir] });
  assert.deepEqual(
    segment(doc(text), rules).value.map((x) => x.text),
    ['Cdr. Hassan led the raid.', 'Two died.'],
  );
  fs.rmSync(dir, { recursive: true });
});

test('a run-on text without punctuation is cut into bounded pieces at spaces, offsets kept', () => {
  const words = Array.from({ length: 3000 }, (_, i) => (i % 7 === 0 ? 'fighting' : 'word'));
  const text = `Title\n\n${words.join(' ')}`;
  const { value, warnings } = segment(doc(text));
  assert.ok(value.length > 1);
  assert.ok(value.every((s) => s.text.length <= MAX_SENTENCE && text.slice(s.start, s.end) === s.text && !/^\s|\s$/.test(s.text)));
  assert.equal(value.map((s) => s.text).join(' '), words.join(' '));
  assert.match(warnings[0] ?? '', /cut into pieces/);
});

test('segment: a count opening a sentence after a full stop starts a new sentence ("... hospital. 7 were detained"), not after an abbreviation', async () => {
  const { readDocument } = await import('../src/ingest/read.js');
  const { segment } = await import('../src/extract/segment.js');
  const text = 'They closed the local hospital. 7 were detained by police. He lives at No. 5 Main Street.';
  const { value: doc } = readDocument(text, { published: '2020-05-01' });
  assert.deepEqual(segment(doc).value.map((s) => s.text), ['They closed the local hospital.', '7 were detained by police.', 'He lives at No. 5 Main Street.']);
});

test('a paragraph of 300,000 characters is segmented in windows: every sentence whole, none lost or joined', () => {
  // Varied sentences, abbreviations among them, so window edges fall everywhere in a sentence.
  const kinds = ['Gunmen killed {n} people near Gao on Monday.', 'Gen. Milley said the U.S. Army would leave Kandahar {n}.', 'Police said {n} shops were burned?', 'Troops (incl. Sgt. Musa) moved {n} km north!'];
  const expected = Array.from({ length: 7_000 }, (_, i) => kinds[i % kinds.length]!.replace('{n}', String(i)));
  const text = expected.join(' ');
  assert.ok(text.length > 300_000);
  assert.deepEqual(sentences(text), expected);
});
