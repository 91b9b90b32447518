// The API's inputs and outputs as zod schemas: the same objects validate requests and write the
// OpenAPI document, and the event schema is the one every stage uses (src/schema/event.ts).
import { z } from 'zod';
import { isRealDate } from '../core/days.js';
import { Event, Evidence, EVENT_TYPES } from '../schema/event.js';

const date = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'expected a date YYYY-MM-DD', abort: true })
  .refine(isRealDate, 'not a real calendar date');

// PostgreSQL refuses NUL in text: refused here as a bad parameter, not met as a 500 there.
const text = (max: number) => z.string().trim().min(1).max(max).refine((s) => !s.includes('\0'), 'must not contain NUL');

const bbox = z
  .string()
  .transform((s, ctx) => {
    const n = s.split(',').map((x) => (x.trim() === '' ? NaN : Number(x)));
    const [w, s_, e, north] = n;
    if (n.length !== 4 || n.some((x) => !Number.isFinite(x))) {
      ctx.addIssue({ code: 'custom', message: 'expected four numbers: west,south,east,north' });
      return z.NEVER;
    }
    if (w! < -180 || e! > 180 || s_! < -90 || north! > 90 || w! > e! || s_! > north!) {
      ctx.addIssue({ code: 'custom', message: 'expected west <= east within -180..180 and south <= north within -90..90' });
      return z.NEVER;
    }
    return n as [number, number, number, number];
  })
  .describe('west,south,east,north in degrees');

export const EventsQuery = z
  .object({
    from: date.optional().describe('first event date'),
    to: date.optional().describe('last event date'),
    country: text(100).optional(),
    admin1: text(100).optional().describe('province or state name'),
    admin2: text(100).optional().describe('district name or code'),
    type: text(100).optional().describe('ACLED event type or sub-event type'),
    bbox: bbox.optional(),
    known_at: date.optional().describe('only events first reported by this date'),
    cursor: z.string().max(200).optional().describe('the `next` value of the previous page'),
    limit: z.coerce.number().int().min(1).max(10_000).optional().describe('events per page (default 1000)'),
    format: z.enum(['json', 'csv', 'geojson', 'jsonl', 'acled', 'acled-2020']).optional().describe("overrides the Accept header; acled and acled-2020 are ACLED's export layouts, jsonl one event a line"),
  })
  .strict();

export const ControlQuery = z
  .object({
    as_of: date.describe('the date to answer for'),
    known_at: date.optional().describe('use only what had been reported by this date'),
    country: text(100).optional(),
    admin1: text(100).optional().describe('province or state name or code'),
    format: z.enum(['json', 'geojson']).optional().describe('geojson adds the district polygons'),
  })
  .strict();

export const BriefQuery = z
  .object({
    from: date.describe('first day of the period'),
    to: date.describe('last day of the period'),
    country: text(100).optional(),
    admin1: text(100).optional().describe('province or state name or code'),
    admin2: text(100).optional().describe('district name or code'),
    known_at: date.optional().describe('write the brief as it could have been written on this date'),
    format: z.enum(['md', 'html', 'json']).optional().describe('md (default), one self-contained HTML page, or JSON'),
  })
  .strict()
  .refine((q) => q.from <= q.to, { message: 'from is after to', path: ['from'] });

export const TimelineQuery = z
  .object({
    admin2: text(100).describe('district name or code (P-code)'),
    known_at: date.optional(),
  })
  .strict();

export const AlertsQuery = z
  .object({
    since: z.union([date, z.iso.datetime({ offset: true })]).optional().describe('only alerts fired on or after this date (its start, UTC) or ISO 8601 time'),
    limit: z.coerce.number().int().min(1).max(10_000).optional().describe('at most this many (default 1000), oldest first'),
    order: z.enum(['oldest', 'newest']).optional().describe('newest: the last alerts, newest first (the map\'s recent alerts); default oldest first'),
  })
  .strict();

export const BoundariesQuery = z
  .object({ country: z.string().regex(/^[A-Za-z]{3}$/, 'expected an ISO3 country code').optional() })
  .strict();

export const ActorsQuery = z.object({}).strict();

export const TheatresQuery = z.object({}).strict();

export const DaysQuery = z.object({ known_at: date.optional().describe('count only events first reported by this date') }).strict();

export const GeocodeQuery = z
  .object({
    q: text(200).optional().describe('a place name ("Lashio", "Taizz, Yemen") or a coordinate pair'),
    lat: z.coerce.number().min(-90).max(90).optional().describe('with lon: the point to reverse-geocode (its units and nearest place)'),
    lon: z.coerce.number().min(-180).max(180).optional(),
    country: z.string().regex(/^[A-Za-z]{2}$/, 'expected an ISO2 country code').optional().describe('prefer places in this country'),
  })
  .strict()
  .refine((g) => (g.q !== undefined) !== (g.lat !== undefined || g.lon !== undefined), 'give either q, or lat and lon')
  .refine((g) => (g.lat === undefined) === (g.lon === undefined), 'lat and lon go together');

/** Largest report text the API takes, in characters (the body limit is in bytes, and larger). */
export const MAX_REPORT_CHARS = 500_000;

export const ReportBody = z
  .object({
    text: z.string().min(1, 'text is empty').max(MAX_REPORT_CHARS),
    published: date.optional().describe('publication date; relative dates resolve against it (default: today)'),
    source: text(200).optional(),
    url: z.string().url().max(2000).optional(),
    title: text(500).optional(),
    html: z.boolean().optional().describe('the text is HTML (default: detected)'),
  })
  .strict();

export const StoredEvent = Event.extend({ first_known: date, sources_count: z.number().int() });

const SourceRef = z.object({
  report_id: z.number().int(),
  source: z.string(),
  url: z.string().nullable(),
  title: z.string().nullable(),
  published: z.string().nullable(),
  fatalities: z.number().int(),
  certainty: z.string(),
  attribution: z.string().nullable(),
  evidence: z.array(Evidence),
});

const ClaimEvidence = z.object({
  kind: z.enum(['control', 'contest', 'baseline']),
  actor: z.string(),
  against: z.string().nullable(),
  date,
  known_at: date,
  certainty: z.string(),
  attribution: z.string().nullable(),
  reason: z.string(),
  event_id: z.string().nullable(),
  report_id: z.number().int().nullable(),
  source: z.string().nullable(),
  url: z.string().nullable(),
  text: z.string().nullable(),
  spans: z.array(Evidence),
});

const DistrictRecord = z.object({
  country: z.string(),
  admin1: z.string(),
  admin1_code: z.string().nullable(),
  admin2: z.string(),
  pcode: z.string().nullable(),
  controller: z.string().nullable(),
  status: z.enum(['controlled', 'contested', 'unknown']),
  since: date.nullable(),
  point: z.tuple([z.number(), z.number()]).nullable().describe('[longitude, latitude] of the event its control rests on; null for a baseline'),
  evidence: z.array(ClaimEvidence),
});

const ClaimDraft = z.object({
  district: z.object({ code: z.string(), country: z.string(), admin1: z.string(), admin1_code: z.string().nullable(), admin2: z.string() }),
  kind: z.enum(['control', 'contest']),
  actor: z.string(),
  against: z.string(),
  valid_from: date,
  certainty: z.string(),
  attribution: z.string().nullable(),
  reason: z.string(),
  evidence: z.array(Evidence),
  event: z.number().int().nullable().describe('index of the event in `events`'),
});

const ControlView = z.object({ controller: z.string().nullable(), status: z.enum(['controlled', 'contested', 'unknown']), since: date.nullable() });

const Alert = z.object({
  id: z.number().int(),
  fired_at: z.string().describe('when the alert was raised (ISO 8601)'),
  rule: z.string().describe('the name of the rule in the alerts file'),
  condition: z.string(),
  message: z.string(),
  events: z.array(z.string()).describe('the stored events (event_id) that raised it'),
  sources: z.array(z.object({ source: z.string().nullable(), url: z.string().nullable(), title: z.string().nullable(), published: date, report_id: z.number().int() })),
  district: z.object({ code: z.string(), country: z.string(), admin1: z.string(), admin1_code: z.string().nullable(), admin2: z.string() }).optional(),
  before: ControlView.optional().describe('control alerts: the district before the report'),
  after: ControlView.optional().describe('control alerts: the district after it'),
  points: z.array(z.object({ event_id: z.string(), longitude: z.number(), latitude: z.number() })).describe('where its events are (those with coordinates), for a map'),
});

const GeocodeRow = z.object({
  country: z.string(),
  iso: z.string().describe('ISO2'),
  admin1: z.string(),
  admin1_code: z.string().nullable(),
  admin2: z.string(),
  admin2_code: z.string().nullable(),
  location: z.string(),
  latitude: z.number(),
  longitude: z.number(),
  geo_precision: z.number().int(),
  level: z.string().describe('country, admin1, admin2, town, locality, or point for a coordinate query'),
  score: z.number(),
  reason: z.string(),
  unresolved: z.string().optional(),
  nearest: z.object({ location: z.string(), latitude: z.number(), longitude: z.number(), population: z.number(), km: z.number() }).optional().describe('coordinate queries: the nearest populated place within 100 km'),
});

export const ErrorBody = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

export const Responses = {
  meta: z.object({
    version: z.string(),
    date_range: z.object({ min: date, max: date }).nullable(),
    counts: z.object({ reports: z.number(), events: z.number(), sources: z.number(), claims: z.number(), districts: z.number() }),
    event_types: z.record(z.string(), z.array(z.string())),
    writes: z.enum(['token', 'open', 'closed']).describe('token: POST /api/reports needs the token; open: allowed on loopback; closed: refused'),
    write_secret: z
      .string()
      .optional()
      .describe("writes open: the per-start secret a write without a token sends in X-Sitrep-Write-Secret; given only to the server's own page (a request without another Origin or a cross-site Sec-Fetch-Site)"),
    limits: z.object({ body_bytes: z.number(), report_chars: z.number() }),
    sides: z.record(z.string(), z.string()).describe('ACLED actor name -> the side a district controller is shown as (rules/control/sides.tsv)'),
    side_colours: z.record(z.string(), z.string()).describe('side -> fill colour on the map (rules/control/colours.tsv)'),
    type_colours: z.record(z.string(), z.string()).describe('event type -> colour of its points on the map and in HTML briefs'),
  }),
  events: z.object({ events: z.array(StoredEvent), next: z.string().nullable() }),
  event: StoredEvent.extend({ sources: z.array(SourceRef) }),
  report: z.object({ id: z.number(), title: z.string().nullable(), url: z.string().nullable(), source: z.string().nullable(), published: z.string().nullable(), text: z.string() }),
  control: z.object({ as_of: date, known_at: date.nullable(), districts: z.array(DistrictRecord) }),
  timeline: z.object({
    district: z.object({ code: z.string(), country: z.string(), admin1: z.string(), admin1_code: z.string().nullable(), admin2: z.string() }),
    claims: z.array(ClaimEvidence),
  }),
  alerts: z.object({ alerts: z.array(Alert) }),
  actors: z.object({
    actors: z.array(z.object({ actor: z.string(), events: z.number().int().describe('events naming it'), side: z.string().nullable().describe('its side in rules/control/sides.tsv') })).describe('most named first'),
  }),
  theatres: z.object({
    theatres: z
      .array(
        z.object({
          country: z.string(),
          events: z.number().int().describe('events in the country, all dates'),
          districts: z.number().int().describe('districts with control claims'),
          bbox: z.tuple([z.number(), z.number(), z.number(), z.number()]).nullable().describe('[west, south, east, north] of its events, its claims and the polygons of its districts with claims; null when none is placed'),
        }),
      )
      .describe('most events first'),
  }),
  days: z.object({
    known_at: date.nullable(),
    days: z.array(z.object({ date, event_type: z.string(), count: z.number().int() })).describe('days without events are left out'),
  }),
  geocode: z.object({
    query: z.string(),
    result: GeocodeRow.nullable().describe('the best place, when it is strong enough to answer'),
    candidates: z.array(GeocodeRow).describe('ranked alternatives, best first'),
    notes: z.array(z.string()).optional().describe('parts of the query that were not used'),
  }),
  extract: z.object({ text: z.string(), published: date, events: z.array(Event), claims: z.array(ClaimDraft), warnings: z.array(z.string()) }),
  stored: z.object({
    status: z.enum(['new', 'known']),
    report_id: z.number(),
    near_duplicate_of: z.number().nullable(),
    events_added: z.number(),
    events_merged: z.number(),
    claims: z.number(),
    warnings: z.array(z.string()),
  }),
};

export { EVENT_TYPES };
