// Runs extraction on a labelled report the way the reference scorer does (its publication date,
// its source or "Wire report"), for `npm run eval` and the tests that keep F1 floors.
import type { Resources } from '../extract/index.js';
import { extractDoc } from '../extract/index.js';
import { readDocument } from '../ingest/read.js';
import type { Event } from '../schema/event.js';
import type { GoldDoc } from './score.js';

export function extractGold(res: Resources, d: GoldDoc): Event[] {
  const source = d.source ?? 'Wire report';
  const { value: doc } = readDocument(d.text, { published: d.published, source });
  return extractDoc(doc, res, { published: d.published, source }).value;
}
