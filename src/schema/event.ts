// The event schema, defined once. Depends on nothing but zod so every stage,
// the CLI and later the store and API share one definition.
import { z } from 'zod';

/** ACLED event types and their sub-types, in the codebook's hierarchy order (highest first). */
export const EVENT_TYPES = {
  Battles: ['Government regains territory', 'Non-state actor overtakes territory', 'Armed clash'],
  Protests: ['Excessive force against protesters', 'Protest with intervention', 'Peaceful protest'],
  Riots: ['Violent demonstration', 'Mob violence'],
  'Explosions/Remote violence': [
    'Chemical weapon',
    'Air/drone strike',
    'Suicide bomb',
    'Shelling/artillery/missile attack',
    'Remote explosive/landmine/IED',
    'Grenade',
  ],
  'Violence against civilians': ['Sexual violence', 'Attack', 'Abduction/forced disappearance'],
  'Strategic developments': [
    'Agreement',
    'Arrests',
    'Change to group/activity',
    'Disrupted weapons use',
    'Headquarters or base established',
    'Looting/property destruction',
    'Non-violent transfer of territory',
    'Other',
  ],
} as const;

export type EventType = keyof typeof EVENT_TYPES;

/** Sub-event types that move territory: the changes of control the control timeline is built from. */
export const TERRITORY_SUB_TYPES: ReadonlySet<string> = new Set([
  'Non-state actor overtakes territory',
  'Government regains territory',
  'Non-violent transfer of territory',
]);
export type SubEventType = (typeof EVENT_TYPES)[EventType][number];

export const EVENT_TYPE_NAMES = Object.keys(EVENT_TYPES) as EventType[];
export const SUB_EVENT_TYPE_NAMES = Object.values(EVENT_TYPES).flat() as SubEventType[];

const TYPE_OF: ReadonlyMap<string, EventType> = new Map(EVENT_TYPE_NAMES.flatMap((t) => EVENT_TYPES[t].map((sub) => [sub, t] as const)));

/** The event type a sub-event type belongs to (looked up: assembly asks for every trigger and draft). */
export function eventTypeOf(sub: SubEventType): EventType {
  const t = TYPE_OF.get(sub);
  if (!t) throw new Error(`unknown sub-event type: ${sub}`);
  return t;
}

/** ACLED inter codes (1-8); 0 marks a missing side. */
export const INTER_LABELS = [
  '',
  'State forces',
  'Rebel group',
  'Political militia',
  'Identity militia',
  'Rioters',
  'Protesters',
  'Civilians',
  'External/Other forces',
] as const;

/** Inter codes of armed actors: state forces, rebels, political and identity militias, external forces. */
export const ARMED_INTERS: ReadonlySet<number> = new Set([1, 2, 3, 4, 8]);

/** Two-digit interaction code: smaller inter first, 0 for a one-sided event (codebook §3). */
export function interaction(inter1: number, inter2: number): number {
  if (!inter1) return inter2 * 10;
  if (!inter2) return inter1 * 10;
  return Math.min(inter1, inter2) * 10 + Math.max(inter1, inter2);
}

export const Evidence = z.object({
  text: z.string(),
  start: z.number().int().nonnegative(),
  end: z.number().int().nonnegative(),
  /** What the words support: type, actor, place, date, count, attribution. */
  role: z.string().optional(),
});
export type Evidence = z.infer<typeof Evidence>;

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');

export const Event = z.object({
  event_id: z.string(),
  event_date: isoDate,
  time_precision: z.union([z.literal(1), z.literal(2), z.literal(3)]),
  event_type: z.enum(EVENT_TYPE_NAMES as [EventType, ...EventType[]]),
  sub_event_type: z.enum(SUB_EVENT_TYPE_NAMES as [SubEventType, ...SubEventType[]]),
  actor1: z.string(),
  assoc_actor_1: z.string(),
  actor2: z.string(),
  assoc_actor_2: z.string(),
  inter1: z.number().int().min(0).max(8),
  inter2: z.number().int().min(0).max(8),
  interaction: z.number().int().min(0).max(88),
  country: z.string(),
  iso: z.number().int().nullable(),
  admin1: z.string(),
  admin2: z.string(),
  location: z.string(),
  latitude: z.number().nullable(),
  longitude: z.number().nullable(),
  geo_precision: z.union([z.literal(1), z.literal(2), z.literal(3)]),
  fatalities: z.number().int().nonnegative(),
  source: z.string(),
  notes: z.string(),
  evidence: z.array(Evidence),
  attribution: z.string().nullable(),
  certainty: z.enum(['reported', 'claimed', 'disputed', 'denied']),
  confidence: z.number().min(0).max(1),
  rule: z.string(),
  /** P-codes or GeoNames admin codes of admin1/admin2, where known. */
  admin1_code: z.string().nullable(),
  admin2_code: z.string().nullable(),
  /** ACLED's fields that sitrep does not model (event_id_cnty, region, admin3, tags...), kept from an imported ACLED row. */
  acled: z.record(z.string(), z.string()).optional(),
});
export type Event = z.infer<typeof Event>;

export const EventList = z.object({ events: z.array(Event) });

/** ACLED's column order for CSV export; sitrep's own fields follow. */
export const ACLED_COLUMNS = [
  'event_id',
  'event_date',
  'time_precision',
  'event_type',
  'sub_event_type',
  'actor1',
  'assoc_actor_1',
  'inter1',
  'actor2',
  'assoc_actor_2',
  'inter2',
  'interaction',
  'iso',
  'country',
  'admin1',
  'admin2',
  'location',
  'latitude',
  'longitude',
  'geo_precision',
  'source',
  'notes',
  'fatalities',
] as const;
