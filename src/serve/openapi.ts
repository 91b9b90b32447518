// The OpenAPI 3.1 document, written from the same zod schemas that validate the requests.
import { z } from 'zod';
import { WRITE_SECRET_HEADER } from './guard.js';
import { ActorsQuery, AlertsQuery, TheatresQuery, BoundariesQuery, BriefQuery, ControlQuery, DaysQuery, ErrorBody, EventsQuery, GeocodeQuery, ReportBody, Responses, TimelineQuery } from './schemas.js';

const json = (schema: z.ZodType) => z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' });
const out = (schema: z.ZodType) => z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any', target: 'draft-2020-12' });

function queryParameters(schema: z.ZodObject) {
  return Object.entries(schema.shape).map(([name, field]) => {
    const f = field as z.ZodType;
    const s = json(f) as Record<string, unknown>;
    delete s.$schema;
    return { name, in: 'query', required: !f.safeParse(undefined).success, description: f.description, schema: s };
  });
}

const errors = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((s) => [String(s), { description: 'error', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } }]));

const ok = (schema: z.ZodType, type = 'application/json') => ({ description: 'OK', content: { [type]: { schema: out(schema) } } });

let cached: object | null = null;

export function openApiDocument(version: string): object {
  if (cached) return cached;
  const reportBody = {
    required: true,
    content: {
      'application/json': { schema: json(ReportBody) },
      'text/plain': { schema: { type: 'string', description: 'the report text; published, source, url, title as query parameters' } },
      'text/html': { schema: { type: 'string' } },
    },
  };
  cached = {
    openapi: '3.1.0',
    info: { title: 'sitrep API', version, description: 'Events, district control and their evidence from a sitrep store.' },
    paths: {
      '/api/meta': { get: { summary: 'date range, counts, event types, whether writes are allowed', responses: { 200: ok(Responses.meta) } } },
      '/api/boundaries': {
        get: {
          summary: 'province (adm1) and district (adm2) polygons as TopoJSON',
          parameters: queryParameters(BoundariesQuery),
          responses: { 200: { description: 'TopoJSON topology', content: { 'application/json': { schema: { type: 'object' } } } }, ...errors(400, 404) },
        },
      },
      '/api/labels': {
        get: {
          summary: 'one label point inside each province (level 1) and district (level 2), GeoJSON',
          parameters: queryParameters(BoundariesQuery),
          responses: { 200: { description: 'GeoJSON points with level, name, pcode, country', content: { 'application/geo+json': { schema: { type: 'object' } } } }, ...errors(400, 404) },
        },
      },
      '/api/events': {
        get: {
          summary: 'stored events, filtered, one page at a time (Accept or format: json, csv, geojson)',
          parameters: queryParameters(EventsQuery),
          responses: {
            200: {
              description: 'a page of events; CSV and GeoJSON give the next cursor in the X-Next-Cursor and Link headers',
              content: { 'application/json': { schema: out(Responses.events) }, 'text/csv': { schema: { type: 'string' } }, 'application/geo+json': { schema: { type: 'object' } }, 'application/x-ndjson': { schema: { type: 'string' } } },
            },
            ...errors(400),
          },
        },
      },
      '/api/events/{id}': {
        get: {
          summary: 'one event with every source and its evidence',
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
          responses: { 200: ok(Responses.event), ...errors(400, 404) },
        },
      },
      '/api/reports/{id}': {
        get: {
          summary: 'the text of a stored report (evidence offsets point into it)',
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }],
          responses: { 200: ok(Responses.report), ...errors(400, 404) },
        },
      },
      '/api/control': {
        get: {
          summary: 'who controls each district on a date, with evidence (format=geojson adds polygons)',
          parameters: queryParameters(ControlQuery),
          responses: { 200: { ...ok(Responses.control), content: { ...ok(Responses.control).content, 'application/geo+json': { schema: { type: 'object' } } } }, ...errors(400) },
        },
      },
      '/api/brief': {
        get: {
          summary: 'a situation brief over the stored events and control claims, every sentence cited (the same as `sitrep brief`)',
          parameters: queryParameters(BriefQuery),
          responses: {
            200: {
              description: 'the brief as Markdown (default), one self-contained HTML page, or JSON',
              content: { 'text/markdown': { schema: { type: 'string' } }, 'text/html': { schema: { type: 'string' } }, 'application/json': { schema: { type: 'object' } } },
            },
            ...errors(400),
          },
        },
      },
      '/api/actors': {
        get: { summary: 'every actor the events name, with their count and side (the map actor filter)', parameters: queryParameters(ActorsQuery), responses: { 200: ok(Responses.actors), ...errors(400) } },
      },
      '/api/theatres': {
        get: { summary: 'the countries of the store with their events, districts with claims and extent (the map theatre switcher)', parameters: queryParameters(TheatresQuery), responses: { 200: ok(Responses.theatres), ...errors(400) } },
      },
      '/api/days': {
        get: { summary: 'events per day and type (the chart above the map slider)', parameters: queryParameters(DaysQuery), responses: { 200: ok(Responses.days), ...errors(400) } },
      },
      '/api/geocode': {
        get: { summary: 'a place name (q) resolved by the gazetteer with ranked alternatives (as sitrep geocode), or a point (lat, lon) to the units holding it and the nearest place (geocode --reverse)', parameters: queryParameters(GeocodeQuery), responses: { 200: ok(Responses.geocode), ...errors(400) } },
      },
      '/api/timeline': {
        get: { summary: "one district's control history, oldest first", parameters: queryParameters(TimelineQuery), responses: { 200: ok(Responses.timeline), ...errors(400, 404) } },
      },
      '/api/alerts': {
        get: { summary: 'the alerts `sitrep watch --alerts` raised, oldest first, each with its events and sources', parameters: queryParameters(AlertsQuery), responses: { 200: ok(Responses.alerts), ...errors(400) } },
      },
      '/api/extract': {
        post: { summary: 'extract events and control claims from a report; nothing is stored', requestBody: reportBody, responses: { 200: ok(Responses.extract), ...errors(400, 413, 415) } },
      },
      '/api/reports': {
        post: {
          summary: 'extract and store a report (needs the token, or a server started with --open on loopback)',
          description:
            `With the token, any of the three body types. Without one (--open), only application/json from a loopback client with the ${WRITE_SECRET_HEADER} of GET /api/meta. Either way a browser request from another page (its Origin, or Sec-Fetch-Site other than same-origin or none) is refused with 403, unless allowed by --allow-origin, and so is, on a loopback server, a Host that is not the server's (on every route).`,
          security: [{ bearer: [] }, { writeSecret: [] }],
          requestBody: reportBody,
          responses: { 200: ok(Responses.stored), 201: ok(Responses.stored), ...errors(400, 401, 403, 413, 415) },
        },
      },
    },
    components: {
      schemas: { Error: out(ErrorBody) },
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'the token given to sitrep serve by --token or SITREP_TOKEN' },
        writeSecret: { type: 'apiKey', in: 'header', name: WRITE_SECRET_HEADER, description: "a server started with --open: the per-start secret GET /api/meta gives the server's own page" },
      },
    },
  };
  return cached;
}
