// `npm run eval`: the reference measurement (../shared/eval/score.py) run in-process, so it
// takes seconds instead of one process per report. Prints every hit, miss and false alarm,
// then one summary line per set and overall, in score.py's format.
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig, ROOT } from '../src/config.js';
import { loadResources } from '../src/extract/index.js';
import { extractGold } from '../src/eval/evaluate.js';
import type { DocScore, GoldDoc } from '../src/eval/score.js';
import { formatSummary, scoreDoc, summarise } from '../src/eval/score.js';

export const SHARED = process.env.SITREP_SHARED ?? path.join(ROOT, '..', 'shared');

/** The labelled sets, read from ../shared (never copied into the repo). */
export function loadSet(name: string): GoldDoc[] {
  if (name === 'seed') {
    const gold = JSON.parse(fs.readFileSync(path.join(SHARED, 'seed', '000_7007de8eabc85f4a.gold.json'), 'utf8'));
    const text = fs.readFileSync(path.join(SHARED, 'seed', gold.doc.file), 'utf8');
    return [{ id: 'seed', text, published: gold.doc.published, source: gold.doc.source, events: gold.required, optional: gold.optional }];
  }
  if (name === 'dev') return JSON.parse(fs.readFileSync(path.join(SHARED, 'eval', 'dev.json'), 'utf8')).docs;
  if (name === 'heldout') return JSON.parse(fs.readFileSync(path.join(ROOT, 'test', 'fixtures', 'heldout', 'heldout.json'), 'utf8')).docs;
  if (name === 'heldout2') return JSON.parse(fs.readFileSync(path.join(ROOT, 'test', 'fixtures', 'heldout', 'heldout2.json'), 'utf8')).docs;
  if (name === 'heldout3') return JSON.parse(fs.readFileSync(path.join(ROOT, 'test', 'fixtures', 'heldout', 'heldout3.json'), 'utf8')).docs;
  throw new Error(`unknown set "${name}" (known: seed, dev, heldout, heldout2, heldout3)`);
}

function main(): number {
  const args = process.argv.slice(2);
  const at = args.indexOf('--sets');
  const sets = (at >= 0 && args[at + 1] ? args[at + 1]! : 'seed,dev').split(',');
  const quiet = args.includes('--quiet');
  if (!fs.existsSync(SHARED)) {
    console.error(`sitrep eval: ${SHARED} not found; the labelled sets live there (set SITREP_SHARED to point elsewhere)`);
    return 2;
  }
  const res = loadResources(loadConfig());
  const all: DocScore[] = [];
  let errors = 0;
  for (const set of sets) {
    const scores: DocScore[] = [];
    let setErrors = 0;
    for (const doc of loadSet(set)) {
      try {
        const s = scoreDoc(doc, extractGold(res, doc));
        if (!quiet) for (const l of s.lines) console.log(l);
        scores.push(s);
      } catch (e) {
        setErrors++;
        console.log(`${doc.id}: ERROR ${(e as Error).message}`);
        scores.push({ id: doc.id, lines: [], tp: 0, fp: 0, fn: doc.events.length, fields: { type: [0, 0], place: [0, 0], date: [0, 0], sides: [0, 0], fatalities: [0, 0] } });
      }
    }
    console.log(`${set}: ${formatSummary(summarise(scores, setErrors))}`);
    all.push(...scores);
    errors += setErrors;
  }
  console.log(`${sets.join(',')}: ${formatSummary(summarise(all, errors))}`);
  return 0;
}

process.exitCode = main();
