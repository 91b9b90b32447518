// Scores extracted events against gold codings, with the same rules as the reference
// scorer (../shared/eval/score.py): type and sub-type, admin1/admin2 names (folded, or the
// same consonant skeleton), date within tolerance, each side named, fatalities when given.
// Kept in step with score.py so `npm run eval` and the reference agree.
import { daysBetween, toMs } from '../core/days.js';

export interface GoldEvent {
  event_type: string | string[];
  sub_event_type?: string[];
  sides?: string[][];
  actor2_optional?: boolean;
  admin1?: string[];
  admin2?: string[] | null;
  date?: string;
  date_tolerance?: number;
  fatalities?: number | null;
  note?: string;
}

export interface GoldDoc {
  id: string;
  text: string;
  published: string;
  source?: string;
  events: GoldEvent[];
  optional?: GoldEvent[];
}

/** The fields of an extracted event the scorer reads. */
export interface ScoredEvent {
  event_type?: string;
  sub_event_type?: string;
  actor1?: string;
  assoc_actor_1?: string;
  actor2?: string;
  assoc_actor_2?: string;
  admin1?: string;
  admin2?: string;
  location?: string;
  event_date?: string;
  fatalities?: number;
}

/** Folded for comparison: accents and everything but letters dropped, lower case (score.py's norm). */
export function norm(s: unknown): string {
  return String(s ?? '')
    .normalize('NFKD')
    .replace(/[^\x00-\x7f]/g, '')
    .toLowerCase()
    .replace(/[^a-z]/g, '');
}

function skeleton(s: unknown): string {
  const n = norm(s);
  return n ? n[0] + n.slice(1).replace(/[aeiouy]/g, '') : '';
}

export function nameMatch(got: unknown, accepted: string[] | null | undefined): boolean {
  if (accepted == null) return true;
  const g = norm(got);
  if (!g) return false;
  return accepted.some((a) => g === norm(a) || skeleton(got) === skeleton(a));
}

const asList = <T>(x: T | T[]): T[] => (Array.isArray(x) ? x : [x]);

function sidesMatch(e: ScoredEvent, sides: string[][] | undefined, optionalSecond = false): boolean {
  const names = [e.actor1, e.assoc_actor_1, e.actor2, e.assoc_actor_2].map((n) => String(n ?? '').toLowerCase()).filter(Boolean);
  return (sides ?? []).every((side, i) => (optionalSecond && i === 1) || names.some((n) => side.some((w) => n.includes(w))));
}

function dateOk(e: ScoredEvent, g: GoldEvent): boolean {
  if (!g.date) return true;
  const d = String(e.event_date ?? '').slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(d) || Number.isNaN(toMs(d))) return false;
  return Math.abs(daysBetween(g.date, d)) <= (g.date_tolerance ?? 1);
}

export function typeOk(e: ScoredEvent, g: GoldEvent): boolean {
  return asList(g.event_type).includes(e.event_type ?? '') && (!g.sub_event_type || g.sub_event_type.includes(e.sub_event_type ?? ''));
}

export function placeOk(e: ScoredEvent, g: GoldEvent): boolean {
  if (g.admin1 && !nameMatch(e.admin1, g.admin1)) return false;
  if (g.admin2 && !nameMatch(e.admin2 || e.location, g.admin2)) return false;
  return true;
}

function fatOk(e: ScoredEvent, g: GoldEvent): boolean {
  if (g.fatalities == null) return true;
  return Number.isInteger(Number(e.fatalities)) && Number(e.fatalities) === g.fatalities;
}

export function strict(e: ScoredEvent, g: GoldEvent): boolean {
  return typeOk(e, g) && placeOk(e, g) && dateOk(e, g) && sidesMatch(e, g.sides, g.actor2_optional) && fatOk(e, g);
}

export function loose(e: ScoredEvent, g: GoldEvent): boolean {
  return placeOk(e, g) && asList(g.event_type).includes(e.event_type ?? '');
}

export interface DocScore {
  id: string;
  lines: string[];
  tp: number;
  fp: number;
  fn: number;
  fields: Record<FieldName, [number, number]>;
}

export type FieldName = 'type' | 'place' | 'date' | 'sides' | 'fatalities';

/** Scores one document's events; `lines` are the same findings score.py prints. */
export function scoreDoc(doc: GoldDoc, events: ScoredEvent[]): DocScore {
  const fields: DocScore['fields'] = { type: [0, 0], place: [0, 0], date: [0, 0], sides: [0, 0], fatalities: [0, 0] };
  const lines: string[] = [];
  const used = new Set<number>();
  let tp = 0;
  let fn = 0;
  for (const g of doc.events) {
    const hit = events.findIndex((e, i) => !used.has(i) && strict(e, g));
    if (hit >= 0) {
      used.add(hit);
      tp++;
    } else fn++;
    const near = events.find((e) => loose(e, g)) ?? events.find((e) => placeOk(e, g));
    if (near) {
      const checks: [FieldName, boolean][] = [
        ['type', typeOk(near, g)],
        ['place', placeOk(near, g)],
        ['date', dateOk(near, g)],
        ['sides', sidesMatch(near, g.sides, g.actor2_optional)],
        ['fatalities', fatOk(near, g)],
      ];
      for (const [k, ok] of checks) {
        fields[k][0] += ok ? 1 : 0;
        fields[k][1] += 1;
      }
    }
    const where = (g.admin2 ?? g.admin1 ?? ['?'])[0];
    lines.push(
      `${doc.id}: ${hit >= 0 ? 'ok ' : 'MISS'} ${asList(g.event_type)[0]} / ${(g.sub_event_type ?? ['-'])[0]} @ ${where}` +
        (hit >= 0 || !near ? '' : `  | nearest: ${near.sub_event_type} @ ${near.admin1}/${near.admin2} ${near.event_date} [${near.actor1} v ${near.actor2}] fat=${near.fatalities}`),
    );
  }
  let fp = 0;
  events.forEach((e, i) => {
    if (used.has(i)) return;
    if ((doc.optional ?? []).some((g) => loose(e, g)) || doc.events.some((g) => strict(e, g))) return;
    fp++;
    lines.push(`${doc.id}: FALSE ALARM ${e.sub_event_type} @ ${e.admin1}/${e.admin2} ${e.event_date} [${e.actor1} v ${e.actor2}]`);
  });
  return { id: doc.id, lines, tp, fp, fn, fields };
}

export interface Summary {
  tp: number;
  fp: number;
  fn: number;
  precision: number;
  recall: number;
  f1: number;
  errors: number;
  field: Record<FieldName, number>;
}

export function summarise(scores: DocScore[], errors = 0): Summary {
  const sum = (k: 'tp' | 'fp' | 'fn') => scores.reduce((a, s) => a + s[k], 0);
  const tp = sum('tp');
  const fp = sum('fp');
  const fn = sum('fn') + 0;
  const precision = tp + fp ? tp / (tp + fp) : 0;
  const recall = tp + fn ? tp / (tp + fn) : 0;
  const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
  const field = {} as Record<FieldName, number>;
  for (const k of ['type', 'place', 'date', 'sides', 'fatalities'] as FieldName[]) {
    const [ok, n] = scores.reduce((a, s) => [a[0] + s.fields[k][0], a[1] + s.fields[k][1]], [0, 0]);
    field[k] = n ? ok / n : 0;
  }
  return { tp, fp, fn, precision, recall, f1, errors, field };
}

export function formatSummary(s: Summary): string {
  const f = s.field;
  const p = (x: number) => x.toFixed(2);
  return (
    `F1 ${p(s.f1)} (P ${p(s.precision)} R ${p(s.recall)}; tp ${s.tp} fp ${s.fp} fn ${s.fn}; errors ${s.errors}) ` +
    `field acc: type ${p(f.type)} place ${p(f.place)} date ${p(f.date)} sides ${p(f.sides)} fatalities ${p(f.fatalities)}`
  );
}
