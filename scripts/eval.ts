// `npm run eval`: the reference measurement (../shared/eval/score.py) run in-process, so it
// takes seconds instead of one process per report. Prints every hit, miss and false alarm,
// then one summary line per set and overall, in score.py's format.
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig, ROOT } from '../src/config.js';
import { loadResources } from '../src/extract/index.js';
import type { AcledRowScore } from '../src/eval/acled.js';
import { ACLED_FIELDS, formatAcled, scoreRow, summariseAcled } from '../src/eval/acled.js';
import { extractGold, loadAcled, SHARED } from '../src/eval/evaluate.js';
import type { DocScore, GoldDoc } from '../src/eval/score.js';
import { formatSummary, scoreDoc, summarise } from '../src/eval/score.js';

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
  throw new Error(`unknown set "${name}" (known: seed, dev, heldout, heldout2, heldout3, acled, acled-dev, acled-held)`);
}

function countBy<T>(list: T[], key: (x: T) => string): [string, number][] {
  const m = new Map<string, number>();
  for (const x of list) m.set(key(x), (m.get(key(x)) ?? 0) + 1);
  return [...m].sort((a, b) => b[1] - a[1]);
}

/** Scores one ACLED set as ../shared/eval/acled.py does; with --verbose, every wrong row of the part worked on. */
function evalAcled(res: ReturnType<typeof loadResources>, set: string, args: string[]): void {
  const country = args.includes('--country') ? args[args.indexOf('--country') + 1] : undefined;
  const rows = loadAcled(set).filter((r) => !country || r.gold.country === country);
  const t0 = performance.now();
  const scores: AcledRowScore[] = rows.map((r) => scoreRow(r, extractGold(res, { id: r.id, text: r.text, published: r.published, source: r.source, events: [] })));
  const ms = performance.now() - t0;
  if (args.includes('--verbose') && set !== 'acled-held') {
    for (const s of scores) {
      const g = s.row.gold;
      const wrong = s.best ? ACLED_FIELDS.filter((k) => !s.best![k]) : null;
      if (wrong && !wrong.length) continue;
      const e = s.events[0];
      console.log(
        wrong
          ? `${s.row.id}: ${wrong.join(',')} gold ${g.sub_event_type} @ ${g.admin1}/${g.admin2} ${g.event_date} fat=${g.fatalities} [${g.actor1} v ${g.actor2}] | got ${e?.sub_event_type} @ ${e?.admin1}/${e?.admin2} ${e?.event_date} fat=${e?.fatalities} [${e?.actor1} v ${e?.actor2}] | ${s.row.text}`
          : `${s.row.id}: NO EVENT (${g.sub_event_type} @ ${g.admin1}/${g.admin2}) | ${s.row.text}`,
      );
    }
  }
  if (!args.includes('--quiet')) {
    const missed = countBy(scores.filter((s) => !s.best), (s) => s.row.gold.sub_event_type);
    const confused = countBy(scores.filter((s) => s.best && !s.best.sub_event_type), (s) => `${s.row.gold.sub_event_type} -> ${s.events[0]?.sub_event_type}`);
    console.log(`${set}: no event, by gold sub-type: ${missed.map(([k, n]) => `${k} ${n}`).join(', ')}`);
    console.log(`${set}: commonest confusions (gold -> got): ${confused.slice(0, 15).map(([k, n]) => `${k} ${n}`).join('; ')}`);
  }
  console.log(`${set}: ${formatAcled(summariseAcled(scores))} (${Math.round(rows.length / (ms / 1000))} notes/s)`);
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
    if (set.startsWith('acled')) {
      evalAcled(res, set, args);
      continue;
    }
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
  if (all.length) console.log(`${sets.join(',')}: ${formatSummary(summarise(all, errors))}`);
  return 0;
}

process.exitCode = main();
