// From a draft to an ACLED event: the id, the evidence in text order (each span and role
// once, checked against the text), a confidence from what was found, and notes in ACLED's
// shape ("On 20 August 2021: <what the report says> [Andarab (Andarab, Baghlan)].").
import { hash } from 'node:crypto';
import type { Gazetteer } from '../geo/gazetteer.js';
import type { Event } from '../schema/event.js';
import { interaction } from '../schema/event.js';
import type { Draft } from './discourse.js';

// ISO3 codes by ISO2, read once per gazetteer: country() builds a whole place each time.
const iso3s = new WeakMap<Gazetteer, Map<string, string>>();

function iso3Of(gazetteer: Gazetteer, iso2: string): string {
  let codes = iso3s.get(gazetteer);
  if (!codes) iso3s.set(gazetteer, (codes = new Map()));
  let iso3 = codes.get(iso2);
  if (iso3 === undefined) codes.set(iso2, (iso3 = gazetteer.country(iso2)?.iso3 ?? iso2));
  return iso3;
}

function round4(x: number | null): number | null {
  return x === null ? null : Math.round(x * 1e4) / 1e4;
}

/** The evidence in text order, each span and role once (the first told). */
function dedupeEvidence(list: Draft['evidence']): Draft['evidence'] {
  // Sorted first, stably: the copies of one span and role stand together among the evidence of
  // their start, the first told first, so comparing with the kept evidence of that start suffices.
  const sorted = [...list].sort((a, b) => a.start - b.start);
  const out: Draft['evidence'] = [];
  let run = 0;
  for (const e of sorted) {
    if (out.length && out[out.length - 1]!.start !== e.start) run = out.length;
    let copy = false;
    for (let i = run; i < out.length && !copy; i++) copy = out[i]!.end === e.end && out[i]!.role === e.role;
    if (!copy) out.push(e);
  }
  return out;
}

/**
 * Budgets of one event: its notes quote at most this many characters of the report and it
 * keeps at most this many evidence spans (a 20 MB report once gave notes of 3 MB and 93,000
 * spans to five events). Ordinary events stay far below both.
 */
export const MAX_NOTES_QUOTE = 4000;
export const MAX_EVIDENCE = 64;

/** At most MAX_EVIDENCE spans: the first of each role, then the others in text order. */
function boundEvidence(list: Draft['evidence']): Draft['evidence'] {
  if (list.length <= MAX_EVIDENCE) return list;
  const roles = new Set<string>();
  const keep = new Set<Draft['evidence'][number]>();
  for (const e of list) if (!roles.has(e.role ?? '')) (roles.add(e.role ?? ''), keep.add(e));
  for (const e of list) if (keep.size < MAX_EVIDENCE) keep.add(e);
  return list.filter((e) => keep.has(e)).slice(0, MAX_EVIDENCE);
}

/** The quote cut at a word before MAX_NOTES_QUOTE, marked with an ellipsis. */
function boundQuote(told: string): string {
  if (told.length <= MAX_NOTES_QUOTE) return told;
  const cut = told.lastIndexOf(' ', MAX_NOTES_QUOTE - 1);
  return `${told.slice(0, cut > MAX_NOTES_QUOTE / 2 ? cut : MAX_NOTES_QUOTE - 1)}…`;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** ACLED-style notes: "On 20 August 2021, <what the report says> (Andarab, Baghlan)." */
function notes(d: Draft, sentence: string): string {
  const [y, m, day] = d.date.split('-').map(Number) as [number, number, number];
  const where = [d.place.admin2, d.place.admin1].filter(Boolean).join(', ');
  const fat = d.fatalities === null ? '' : ` ${d.fatalities} ${d.fatalities === 1 ? 'fatality' : 'fatalities'}.`;
  const told = boundQuote(sentence.trim());
  const lead = /^On \d{1,2} [A-Z][a-z]+ \d{4}\b/.test(told) ? '' : `On ${day} ${MONTHS[m - 1]} ${y}: `;
  return `${lead}${told} [${d.place.location}${where ? ` (${where})` : ''}]${fat}`;
}

export function toEvent(d: Draft, gazetteer: Gazetteer, source: string, text: string): Event {
  const inter1 = d.actor1?.inter ?? 0;
  const inter2 = d.actor2?.inter ?? 0;
  const iso3 = iso3Of(gazetteer, d.place.iso2);
  // One-shot hash: a Hash object per event costs more than the digest.
  const id = hash('sha1', [source, d.date, d.eventType, d.place.admin2_code ?? d.place.admin1_code ?? d.place.location, d.actor1?.name ?? ''].join('|')).slice(0, 8);
  const evidence = boundEvidence(dedupeEvidence(d.evidence));
  const confidence = Math.min(
    1,
    0.4 +
      (d.dateFrom === 'sentence' ? 0.2 : d.dateFrom === 'section' ? 0.1 : 0) +
      (d.actor1 ? 0.1 : 0) +
      (d.actor2 ? 0.1 : 0) +
      (d.place.level === 'town' || d.place.level === 'admin2' ? 0.1 : 0) +
      (d.certainty === 'reported' ? 0.1 : d.certainty === 'claimed' ? 0.05 : 0),
  );
  const sentence = d.sentences.map((s) => s.text).join(' ');
  return {
    event_id: `${iso3}${id}`,
    event_date: d.date,
    time_precision: d.precision,
    event_type: d.eventType,
    sub_event_type: d.subType,
    actor1: d.actor1?.name ?? '',
    assoc_actor_1: d.assoc1.map((a) => a.name).join('; '),
    actor2: d.actor2?.name ?? '',
    assoc_actor_2: d.assoc2.map((a) => a.name).join('; '),
    inter1,
    inter2,
    interaction: interaction(inter1, inter2),
    country: d.place.country,
    iso: d.place.iso,
    admin1: d.place.admin1,
    admin2: d.place.admin2,
    location: d.place.location,
    // A country's middle is no place an event happened: an event known only by its country has no point.
    latitude: d.place.level === 'country' ? null : round4(d.place.latitude),
    longitude: d.place.level === 'country' ? null : round4(d.place.longitude),
    geo_precision: d.place.geo_precision,
    fatalities: d.fatalities ?? 0,
    source,
    notes: notes(d, sentence),
    // The country a placeless report is placed in has no words of its own (discourse.ts, placeless).
    evidence: evidence.filter((e) => e.end > e.start && text.slice(e.start, e.end) === e.text),
    attribution: d.attribution?.text ?? null,
    certainty: d.certainty,
    confidence: Math.round(confidence * 100) / 100,
    rule: d.rule,
    admin1_code: d.place.admin1_code,
    admin2_code: d.place.admin2_code,
  };
}
