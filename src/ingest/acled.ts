// An ACLED export (the current layout or the 2020 one, dates as ACLED or a spreadsheet writes
// them, with or without a BOM) read into events, one report per row with ACLED as its source.
// A bad row is a rejection with its line, never the end of the file. Pure: the caller reads the
// file and stores what this returns.
import { parse } from 'csv-parse/sync';
import { isRealDate, monthNumber, ymd } from '../core/days.js';
import type { StageResult } from '../core/types.js';
import { claimsFromReport } from '../control/claims.js';
import type { ControlRules } from '../control/claims.js';
import { InputError } from '../errors.js';
import type { AdminUnit } from '../geo/boundaries.js';
import { foldName } from '../geo/fold.js';
import { MIN_SCORE } from '../geo/gazetteer.js';
import type { Gazetteer, GeoContext, Place } from '../geo/gazetteer.js';
import { ACLED_CURRENT, ACLED_KEPT, ACLED_2020, interCode } from '../schema/acled.js';
import type { AcledLayout } from '../schema/acled.js';
import { Event, eventTypeOf, interaction, SUB_EVENT_TYPE_NAMES } from '../schema/event.js';
import type { SubEventType } from '../schema/event.js';
import type { PreparedReport } from '../store/store.js';

export interface AcledRow {
  line: number;
  event: Event;
  /** When ACLED published the row (its timestamp), else the event date: what could be known when. */
  published: string;
}

export interface AcledRejection {
  line: number;
  reason: string;
}

/** Codes of an admin unit by ACLED's names (and the row's location), or nulls. */
export type AdminCodes = (country: string, admin1: string, admin2: string, location: string) => { admin1_code: string | null; admin2_code: string | null };

/**
 * ACLED's admin names as the codes sitrep gives its own events: a boundary pack's unit of the
 * same name first (P-codes in Afghanistan), else the geocoder's resolution of the names inside
 * the country: the province by its name ("Sala al-Din" is Salah al-Din, IQ.18; "Sud-Kivu" South
 * Kivu, CD.12), the district by its name within that province, else by the row's location. So an
 * imported row meets the events sitrep extracted however each spells the place.
 */
export function acledAdminCodes(gaz: Gazetteer, units: AdminUnit[]): AdminCodes {
  const key = (...names: string[]) => names.map((n) => foldName(n)).join('|');
  const byName = new Map(units.map((u) => [key(u.country, u.admin1, u.name), u.pcode]));
  const provinces = new Map(units.map((u) => [key(u.country, u.admin1), u.admin1_code]));
  const best = (name: string, ctx: GeoContext, fits: (p: Place) => boolean) =>
    name ? (gaz.lookup(name, ctx).find((c) => c.score >= MIN_SCORE && fits(c.place))?.place ?? null) : null;
  const known = new Map<string, ReturnType<AdminCodes>>();
  return (country, admin1, admin2, location) => {
    const k = key(country, admin1, admin2, location);
    let codes = known.get(k);
    if (codes) return codes;
    const iso2 = gaz.countryCode(country);
    const countries = iso2 ? [iso2] : [];
    const inCountry = (p: Place) => p.iso2 === iso2;
    const admin1_code = provinces.get(key(country, admin1)) ?? (iso2 ? best(admin1, { countries, cue: 'admin1' }, (p) => inCountry(p) && p.level === 'admin1')?.admin1_code : null) ?? null;
    let admin2_code: string | null = admin2 ? (byName.get(key(country, admin1, admin2)) ?? null) : null;
    if (admin2 && !admin2_code && admin1_code) {
      const inside = (p: Place) => inCountry(p) && p.admin1_code === admin1_code && !!p.admin2_code;
      const ctx = { countries, admin1: [admin1_code] };
      admin2_code = (best(admin2, { ...ctx, cue: 'admin2' }, (p) => inside(p) && p.level === 'admin2') ?? best(location, ctx, inside))?.admin2_code ?? null;
    }
    known.set(k, (codes = { admin1_code, admin2_code }));
    return codes;
  };
}

const REQUIRED = ['event_id_cnty', 'event_date', 'time_precision', 'event_type', 'sub_event_type', 'actor1', 'inter1', 'country', 'admin1', 'location', 'geo_precision', 'fatalities'];

/** "2020-03-21", "21 March 2020", "9-May-20" (a spreadsheet's re-save) as YYYY-MM-DD; null for none of these. */
export function acledDate(s: string): string | null {
  const t = s.trim();
  let d: string | null = null;
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(t);
  const dmy = /^(\d{1,2})[ -]([A-Za-z]{3,9})\.?[ -](\d{4}|\d{2})$/.exec(t);
  if (iso) d = ymd(Number(iso[1]), Number(iso[2]), Number(iso[3]));
  else if (dmy) {
    const month = monthNumber(dmy[2]!);
    // Two-digit years: ACLED's data start in 1997, so 97-99 are the 1900s.
    const y = dmy[3]!.length === 4 ? Number(dmy[3]) : Number(dmy[3]) + (Number(dmy[3]) >= 90 ? 1900 : 2000);
    if (month) d = ymd(y, month, Number(dmy[1]));
  }
  return d && isRealDate(d) ? d : null;
}

function layoutOf(header: string[]): AcledLayout {
  // The 2020 file has data_id and iso3; the current one disorder_type and civilian_targeting.
  return header.includes('disorder_type') || header.includes('civilian_targeting') ? 'current' : header.includes('data_id') || header.includes('iso3') ? '2020' : 'current';
}

function number(v: string, what: string, opts: { int?: boolean; blank?: boolean } = {}): number | null {
  const t = v.trim();
  if (t === '' && opts.blank) return null;
  const n = Number(t);
  if (t === '' || !Number.isFinite(n) || (opts.int && !Number.isInteger(n))) throw new InputError(`${what} "${v}" is not ${opts.int ? 'a whole number' : 'a number'}`);
  return n;
}

function rowEvent(r: Record<string, string>, line: number, file: string, codes: AdminCodes): AcledRow {
  const date = acledDate(r.event_date ?? '');
  if (!date) throw new InputError(`event_date "${r.event_date}" is not a date (2020-03-21, 21 March 2020 or 9-May-20)`);
  const sub = (r.sub_event_type ?? '').trim();
  if (!SUB_EVENT_TYPE_NAMES.includes(sub as SubEventType)) throw new InputError(`unknown sub_event_type "${sub}"`);
  const type = eventTypeOf(sub as SubEventType);
  if ((r.event_type ?? '').trim() !== type) throw new InputError(`sub_event_type "${sub}" is not of event_type "${r.event_type}" (codebook: ${type})`);
  const inter1 = interCode(r.inter1 ?? '');
  const inter2 = interCode(r.inter2 ?? '');
  if (inter1 === null || inter1 === 0) throw new InputError(`inter1 "${r.inter1}" is no ACLED inter code or label`);
  if (inter2 === null) throw new InputError(`inter2 "${r.inter2}" is no ACLED inter code or label`);
  const notes = r.notes ?? '';
  const country = (r.country ?? '').trim();
  const admin1 = (r.admin1 ?? '').trim();
  const admin2 = (r.admin2 ?? '').trim();
  const id = (r.event_id_cnty ?? '').trim();
  if (!id) throw new InputError('no event_id_cnty');
  const givenInteraction = /^\d{1,2}$/.test((r.interaction ?? '').trim()) ? Number(r.interaction) : null;
  const acled: Record<string, string> = {};
  for (const k of ACLED_KEPT) if (r[k] !== undefined) acled[k] = r[k]!;
  const event = {
    event_id: id,
    event_date: date,
    time_precision: number(r.time_precision ?? '', 'time_precision', { int: true }),
    event_type: type,
    sub_event_type: sub,
    actor1: (r.actor1 ?? '').trim(),
    assoc_actor_1: (r.assoc_actor_1 ?? '').trim(),
    actor2: (r.actor2 ?? '').trim(),
    assoc_actor_2: (r.assoc_actor_2 ?? '').trim(),
    inter1,
    inter2,
    interaction: givenInteraction ?? interaction(inter1, inter2),
    country,
    iso: number(r.iso ?? '', 'iso', { int: true, blank: true }),
    admin1,
    admin2,
    location: (r.location ?? '').trim(),
    latitude: number(r.latitude ?? '', 'latitude', { blank: true }),
    longitude: number(r.longitude ?? '', 'longitude', { blank: true }),
    geo_precision: number(r.geo_precision ?? '', 'geo_precision', { int: true }),
    fatalities: number(r.fatalities ?? '', 'fatalities', { int: true }),
    source: (r.source ?? '').trim(),
    notes,
    evidence: notes ? [{ text: notes, start: 0, end: notes.length, role: 'notes' }] : [],
    attribution: null,
    certainty: 'reported',
    confidence: 1,
    rule: `acled ${file}:${line}`,
    ...codes(country, admin1, admin2, (r.location ?? '').trim()),
    acled,
  };
  const checked = Event.safeParse(event);
  if (!checked.success) throw new InputError(checked.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  const ts = (r.timestamp ?? '').trim();
  const published = /^\d{9,11}$/.test(ts) ? new Date(Number(ts) * 1000).toISOString().slice(0, 10) : date;
  return { line, event: checked.data, published: published < date ? date : published };
}

/** Reads an ACLED export's rows; the whole file fails only when it is no ACLED CSV at all. */
export function readAcled(text: string, file: string, codes: AdminCodes): StageResult<{ layout: AcledLayout; rows: AcledRow[]; rejected: AcledRejection[] }> {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, { bom: true, relax_column_count: true, skip_empty_lines: true, info: true }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (e) {
    throw new InputError(`${file}: not a CSV file (${(e as Error).message})`);
  }
  const header = (records[0]?.record ?? []).map((h) => h.trim().toLowerCase());
  const missing = REQUIRED.filter((c) => !header.includes(c));
  if (missing.length) throw new InputError(`${file}: not an ACLED export: no column ${missing.join(', ')} (expected ${ACLED_CURRENT.join(',')} or the 2020 layout ${ACLED_2020.join(',')})`);
  const rows: AcledRow[] = [];
  const rejected: AcledRejection[] = [];
  let previousEnd = records[0]!.info.lines;
  for (const { record, info } of records.slice(1)) {
    // A quoted note may span lines: the row starts after the previous one ends.
    const line = previousEnd + 1;
    previousEnd = info.lines;
    if (record.length !== header.length) {
      rejected.push({ line, reason: `${record.length} fields, the header has ${header.length}` });
      continue;
    }
    const r = Object.fromEntries(header.map((h, i) => [h, record[i] ?? '']));
    try {
      rows.push(rowEvent(r, line, file, codes));
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      rejected.push({ line, reason: e.message });
    }
  }
  return { value: { layout: layoutOf(header), rows, rejected }, warnings: [] };
}

/**
 * One row as a report to store: its notes are the text (the evidence points into it), ACLED the
 * source, `acled:<event_id_cnty>` the URL (the same row twice is stored once), and a change of
 * territory a control claim like any extracted one.
 */
export function acledReport(row: AcledRow, rules: ControlRules): PreparedReport {
  const e = row.event;
  const claims = claimsFromReport({ text: e.notes, sentences: [], events: [e], published: row.published }, rules).value;
  return { text: `${e.notes}\n\nACLED ${e.event_id}`, title: `ACLED ${e.event_id}`, url: `acled:${e.event_id}`, source: 'ACLED', published: row.published, events: [e], claims };
}
