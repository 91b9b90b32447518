// Runs extraction on a labelled report the way the reference scorer does (its publication date,
// its source or "Wire report"), for `npm run eval` and the tests that keep F1 floors.
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from '../config.js';
import type { Resources } from '../extract/index.js';
import { extractDoc } from '../extract/index.js';
import { readDocument } from '../ingest/read.js';
import type { Event } from '../schema/event.js';
import type { AcledRow } from './acled.js';
import { heldAside } from './acled.js';
import type { GoldDoc } from './score.js';

/** Where the labelled sets live (never copied into the repo). */
export const SHARED = process.env.SITREP_SHARED ?? path.join(ROOT, '..', 'shared');
export const ACLED_FILE = path.join(SHARED, 'eval', 'acled', 'dev.jsonl');

/** ACLED's real events (../shared/eval/acled/dev.jsonl): all, the part worked on, or the part held aside (ids ending in 7, 8, 9). */
export function loadAcled(name: string): AcledRow[] {
  const rows = fs
    .readFileSync(ACLED_FILE, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as AcledRow);
  if (name === 'acled-dev') return rows.filter((r) => !heldAside(r));
  if (name === 'acled-held') return rows.filter(heldAside);
  return rows;
}

export function extractGold(res: Resources, d: GoldDoc): Event[] {
  const source = d.source ?? 'Wire report';
  const { value: doc } = readDocument(d.text, { published: d.published, source });
  return extractDoc(doc, res, { published: d.published, source }).value;
}
