// Floors on the project's own held-out reports (test/fixtures/heldout/, written for the
// project): they fail when a change loses ground on text the rules were not written from.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig, ROOT } from '../src/config.js';
import { loadResources } from '../src/extract/index.js';
import { extractGold } from '../src/eval/evaluate.js';
import type { GoldDoc } from '../src/eval/score.js';
import { scoreDoc, summarise } from '../src/eval/score.js';

const res = loadResources(loadConfig());

const floors: [string, number][] = [
  ['heldout.json', 0.84],
  ['heldout2.json', 0.8],
  ['heldout3.json', 0.75],
];

for (const [file, floor] of floors) {
  test(`held-out ${file}: F1 at or above ${floor}`, () => {
    const docs: GoldDoc[] = JSON.parse(fs.readFileSync(path.join(ROOT, 'test', 'fixtures', 'heldout', file), 'utf8')).docs;
    const s = summarise(docs.map((d) => scoreDoc(d, extractGold(res, d))));
    assert.ok(s.f1 >= floor, `${file}: F1 ${s.f1.toFixed(2)} fell below ${floor}`);
  });
}
