// Golden tests on whole reports: each example report (examples/reports.jsonl, written for the
// project) is extracted and compared with test/golden/<id>.json. After an intended change,
// refresh with `UPDATE=1 npm test` and read the diff before committing it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig, ROOT } from '../src/config.js';
import { extractDoc, loadResources } from '../src/extract/index.js';
import { readDocument, readJsonl } from '../src/ingest/read.js';

const res = loadResources(loadConfig());
const { value: items } = readJsonl(fs.readFileSync(path.join(ROOT, 'examples', 'reports.jsonl')));
const dir = path.join(ROOT, 'test', 'golden');

for (const item of items) {
  test(`golden: ${item.id}`, () => {
    const { value: doc } = readDocument(item.text, { published: item.published, source: item.source });
    const events = extractDoc(doc, res, { published: doc.published!, source: item.source ?? '' }).value;
    const file = path.join(dir, `${item.id}.json`);
    const got = JSON.stringify({ events }, null, 2) + '\n';
    if (process.env.UPDATE === '1' || !fs.existsSync(file)) {
      fs.writeFileSync(file, got);
      return;
    }
    assert.deepEqual(JSON.parse(got), JSON.parse(fs.readFileSync(file, 'utf8')), `${item.id}: output changed; UPDATE=1 refreshes ${path.relative(ROOT, file)}`);
  });
}
