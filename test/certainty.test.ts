// Who says so: the attribution of a sentence, read word by word.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../src/config.js';
import { loadEventLexicon } from '../src/extract/lexicon.js';
import { attributionOf } from '../src/extract/certainty.js';

const lex = loadEventLexicon(loadConfig());
const said = (s: string) => attributionOf(lex, s, { start: 0, end: s.length, text: s }).span?.text ?? null;

const CASES: [string, string | null][] = [
  ['A Taliban spokesman said the district had fallen.', 'A Taliban spokesman said'],
  ['The district fell on Sunday, TOLOnews reported.', 'TOLOnews reported'],
  ['Three soldiers were killed, according to local sources.', 'according to local sources'],
  ['Five people died, according to the Ugandan army.', 'according to the Ugandan army'],
  ['As officials said on Monday, the road was closed.', 'As officials said'],
  ['The road was closed, as officials said on Monday.', 'as officials said'],
  ['Fighting went on, said the governor of Baghlan.', 'said the governor of Baghlan'],
  // A passive speech verb has no speaker: the raids are what was reported.
  ['On 28 April 2020, two Saudi-led coalition air raids were reported on Al Dhaher district.', null],
  ['Clashes were reported in Andarab.', null],
  // More than eight words before the verb is a clause, not a speaker.
  ['The men who came from the north of the province with many weapons and trucks said nothing.', null],
];

for (const [s, want] of CASES) test(`attribution: ${s.slice(0, 60)}`, () => assert.equal(said(s), want));

