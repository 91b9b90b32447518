// The HTTP API over one open store (Hono). Every route validates its input with the zod schemas
// of ./schemas.ts, and every error leaves through one handler as {"error": {"code", "message"}}
// with a 4xx status (a 500 says "internal error" and nothing more; the trace goes to the log).
import crypto from 'node:crypto';
import { Hono } from 'hono';
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { compress } from 'hono/compress';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { z } from 'zod';
import type { Config } from '../config.js';
import { loadControlRules, loadSideColours, unitDistrict } from '../control/claims.js';
import type { ControlRules } from '../control/claims.js';
import { InputError } from '../errors.js';
import { DEFAULT_TIME_LIMIT, deadlineIn } from '../core/deadline.js';
import type { Resources } from '../extract/index.js';
import { geocodeQuery, reverseGeocode } from '../geo/answer.js';
import { loadBoundaries } from '../geo/boundaries.js';
import type { Boundaries } from '../geo/boundaries.js';
import { labelPoint } from '../geo/packs.js';
import { prepareReport } from '../ingest/prepare.js';
import { claimEvidence, controlDocument, controlGeoJson } from '../output/control.js';
import { formatEvents } from '../output/format.js';
import { theatresDocument } from '../output/theatres.js';
import { buildBrief } from '../report/brief.js';
import { loadMapData, TYPE_COLOURS } from '../report/map.js';
import type { MapData } from '../report/map.js';
import { renderBrief } from '../report/render.js';
import { loadBriefWording } from '../report/templates.js';
import type { BriefWording } from '../report/templates.js';
import { readBriefInput } from '../store/brief.js';
import { alertJson } from '../store/follow.js';
import type { Store } from '../store/store.js';
import { ResponseCache } from './cache.js';
import type { Cached } from './cache.js';
import { isLoopback, RequestGuard, WRITE_SECRET_HEADER } from './guard.js';
import type { Listening } from './guard.js';
import { openApiDocument } from './openapi.js';
import { ActorsQuery, AlertsQuery, TheatresQuery, BoundariesQuery, BriefQuery, ControlQuery, DaysQuery, EventsQuery, EVENT_TYPES, GeocodeQuery, MAX_REPORT_CHARS, ReportBody, TimelineQuery } from './schemas.js';
import { registerStatic } from './static.js';

export interface AppOptions {
  store: Store;
  config: Config;
  /** Extraction resources (loaded once by the caller, they take seconds). */
  resources: () => Resources;
  /** The token POST /api/reports needs; null when none is configured. */
  token: string | null;
  /**
   * Without a token, allow writes from loopback clients (the caller checks the server listens on
   * loopback only) that send JSON and the per-start secret GET /api/meta gives the server's own page.
   */
  open: boolean;
  /** Where the server listens, once it does: on loopback, requests naming another Host are refused. None in-process. */
  listening?: () => Listening | null;
  /** Origins besides the server's own whose pages may write (and Hosts it answers to): --allow-origin, as URL origins. */
  allowOrigins?: string[];
  today: () => string;
  version: string;
  /** Largest request body in bytes. */
  maxBody?: number;
  /**
   * Keep answers of /api/events and /api/control until the next write. Default: on for an
   * embedded store (only this process can write it), off for a PostgreSQL server (others may).
   */
  cache?: boolean;
  log?: (s: string) => void;
}

export const DEFAULT_MAX_BODY = 2 * 1024 * 1024;
const CACHE_BYTES = 64 * 1024 * 1024;

/** An error the client caused (or may retry), with the status and code it is answered with. */
export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function zodMessage(e: z.ZodError): string {
  return e.issues
    .map((i) => {
      if (i.code === 'unrecognized_keys') return `unknown parameter${i.keys.length > 1 ? 's' : ''} ${i.keys.join(', ')}`;
      const where = i.path.join('.');
      // zod 4 keeps no input in its issues: a missing field is told by its message.
      if (i.code === 'invalid_type' && where && /received undefined$/.test(i.message)) return `${where} is required`;
      if (i.code === 'invalid_type' && !where) return `the body must be a JSON object {"text": ...}, ${i.message.replace(/^Invalid input: expected object, /, '')}`;
      if (i.code === 'invalid_type' && i.expected === 'int') return `${where}: expected a whole number`;
      return where ? `${where}: ${i.message}` : i.message;
    })
    .join('; ');
}

const hasNul = (s: string) => s.includes('\0');

function parse<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const r = schema.safeParse(value);
  if (!r.success) throw new ApiError(400, 'invalid_parameter', zodMessage(r.error));
  return r.data;
}

/** Bearer token or X-Sitrep-Token header. */
function givenToken(c: Context): string | null {
  const auth = c.req.header('authorization');
  const m = auth ? /^Bearer\s+(\S+)\s*$/i.exec(auth) : null;
  return m?.[1] ?? c.req.header('x-sitrep-token') ?? null;
}

function sameToken(a: string, b: string): boolean {
  // Compare digests so the time taken says nothing about the token, not even its length.
  const h = (s: string) => crypto.createHash('sha256').update(s).digest();
  return crypto.timingSafeEqual(h(a), h(b));
}

/** The client's address: from the socket under @hono/node-server; in-process requests have none. */
function remoteAddress(c: Context): string | null {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress ?? null;
}

/** The request's media type, without parameters, in lower case ("" when none). */
function mediaType(c: Context): string {
  return (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
}

/** The headers that say which page a browser request comes from. */
const browserContext = (c: Context) => ({ origin: c.req.header('origin'), site: c.req.header('sec-fetch-site'), host: c.req.header('host') });

export function createApp(o: AppOptions): Hono {
  const app = new Hono();
  const log = o.log ?? ((s: string) => process.stderr.write(s));
  const maxBody = o.maxBody ?? DEFAULT_MAX_BODY;
  let boundaries: Boundaries | null = null;
  const geo = () => (boundaries ??= loadBoundaries(o.config));
  let briefMap: MapData | null = null;
  const mapData = () => (briefMap ??= loadMapData(o.config, geo()));
  let control: ControlRules | null = null;
  const controlRules = () => (control ??= loadControlRules(o.config));
  let wording: BriefWording | null = null;
  const briefWording = () => (wording ??= loadBriefWording(o.config));
  let colours: Map<string, string> | null = null;
  const sideColours = () => (colours ??= loadSideColours(o.config));
  const writes = o.token ? 'token' : o.open ? 'open' : 'closed';
  const guard = new RequestGuard(o.listening ?? (() => null), o.allowOrigins ?? []);
  // Without a token, a write needs this secret: only the server's own page can read it (GET /api/meta).
  const writeSecret = crypto.randomBytes(32).toString('base64url');
  // Countries whose districts have joined the geography in this server's life (see fillCountry).
  const filled = new Set<string>();
  const cache = (o.cache ?? o.store.db.kind === 'pglite') ? new ResponseCache(CACHE_BYTES) : null;
  /** The kept answer for this key, or a new one (kept unless a write happened meanwhile). */
  async function answer(key: string, compute: () => Promise<Cached>): Promise<Response> {
    let hit = cache?.get(key);
    if (!hit) {
      const generation = cache?.now() ?? 0;
      hit = await compute();
      cache?.set(key, hit, generation);
    }
    return new Response(hit.body, { headers: hit.headers });
  }
  /** A cache key from the path and the query in a stable order. */
  const keyOf = (c: Context, extra = '') => {
    const u = new URL(c.req.url);
    u.searchParams.sort();
    return `${u.pathname}?${u.searchParams}#${extra}`;
  };
  // One write at a time: the duplicate check and the insert of a report belong together.
  let writeChain: Promise<unknown> = Promise.resolve();

  // The map's first load is mostly JSON and JavaScript (boundaries, outlines, MapLibre): gzip
  // makes it a quarter of the bytes, for a browser that asks.
  app.use('*', compress());

  // Browsers take every answer as the type it says it is (a JSON error is never run as a page).
  app.use('*', async (c, next) => {
    await next();
    c.res.headers.set('X-Content-Type-Options', 'nosniff');
  });

  // DNS rebinding: a page whose name turned into 127.0.0.1 sends its own name as Host.
  app.use('*', async (c, next) => {
    const host = c.req.header('host');
    if (guard.badHost(host)) {
      throw new ApiError(403, 'forbidden_host', `Host "${(host ?? '').slice(0, 100)}" is not this server's name: open it as http://127.0.0.1:PORT or http://localhost:PORT, or allow the name with --allow-origin`);
    }
    await next();
  });

  app.onError((err, c) => {
    if (err instanceof ApiError) return c.json({ error: { code: err.code, message: err.message } }, err.status);
    if (err instanceof InputError) return c.json({ error: { code: 'bad_request', message: err.message } }, 400);
    if (err instanceof HTTPException) return c.json({ error: { code: 'bad_request', message: err.message || 'bad request' } }, err.status as ContentfulStatusCode);
    log(`sitrep serve: ${c.req.method} ${c.req.path}: ${(err as Error).stack ?? String(err)}\n`);
    return c.json({ error: { code: 'internal', message: 'internal error' } }, 500);
  });
  app.notFound((c) => c.json({ error: { code: 'not_found', message: `no route ${c.req.method} ${c.req.path}` } }, 404));

  const limit = bodyLimit({
    maxSize: maxBody,
    onError: () => {
      throw new ApiError(413, 'payload_too_large', `request body larger than ${maxBody} bytes`);
    },
  });

  /** A report from a JSON body, or a text/plain body with its metadata as query parameters. */
  async function reportBody(c: Context): Promise<z.output<typeof ReportBody>> {
    const type = mediaType(c);
    if (type === 'application/json') {
      let body: unknown;
      try {
        body = await c.req.json();
      } catch {
        throw new ApiError(400, 'invalid_json', 'the request body is not valid JSON');
      }
      return parse(ReportBody, body);
    }
    if (type === 'text/plain' || type === 'text/html') {
      const meta = c.req.query();
      return parse(ReportBody, { ...meta, text: await c.req.text(), html: type === 'text/html' });
    }
    throw new ApiError(415, 'unsupported_media_type', 'send the report as application/json {"text": ...} or as text/plain or text/html');
  }

  function prepare(body: z.output<typeof ReportBody>) {
    const filename = body.html === true ? 'report.html' : body.html === false ? 'report.txt' : null;
    return prepareReport(
      { text: body.text, published: body.published ?? null, source: body.source ?? null, url: body.url ?? null, title: body.title ?? null, filename },
      o.resources(),
      controlRules(),
      o.today(),
      deadlineIn(DEFAULT_TIME_LIMIT),
    );
  }

  const writeAccess: MiddlewareHandler = async (c, next) => {
    checkWrite(c);
    await next();
  };

  function checkWrite(c: Context): void {
    const crossSite = guard.crossSite(browserContext(c));
    if (crossSite) throw new ApiError(403, 'cross_site', crossSite);
    if (o.token) {
      // A browser cannot send a token cross-site without a preflight, which is never granted: any body type.
      const given = givenToken(c);
      if (!given) throw new ApiError(401, 'unauthorized', 'this server needs a token to store reports: send Authorization: Bearer <token>');
      if (!sameToken(given, o.token)) throw new ApiError(403, 'forbidden', 'wrong token');
      return;
    }
    if (!o.open) throw new ApiError(403, 'forbidden', 'this server takes no writes: start it with --token (or SITREP_TOKEN), or with --open on 127.0.0.1');
    const from = remoteAddress(c);
    if (from !== null && !isLoopback(from)) throw new ApiError(403, 'forbidden', 'writes without a token are allowed from loopback only');
    // A form or text/plain POST needs no preflight; a JSON one does, and cannot be sent cross-site.
    if (mediaType(c) !== 'application/json') {
      throw new ApiError(415, 'unsupported_media_type', 'without a token, reports are stored only from JSON: send Content-Type: application/json {"text": ...}');
    }
    const secret = c.req.header(WRITE_SECRET_HEADER);
    if (!secret) throw new ApiError(403, 'write_secret', `without a token, a write needs the ${WRITE_SECRET_HEADER} header: GET /api/meta gives it to this server's own page`);
    if (!sameToken(secret, writeSecret)) throw new ApiError(403, 'write_secret', `wrong ${WRITE_SECRET_HEADER}: the server has restarted since the page read it; reload the page`);
  }

  /** Every district of a country with claims joins the geography, so the map lists the rest as unknown. */
  async function fillCountry(country: string): Promise<void> {
    if (filled.has(country)) return;
    const units = geo()
      .units(2)
      .filter((u) => u.country === country);
    await o.store.addDistricts(units.map(unitDistrict));
    filled.add(country);
  }

  app.get('/api/meta', async (c) => {
    const [range, counts] = await Promise.all([o.store.dateRange(), o.store.counts()]);
    // The secret goes only to a request from the server's own page (or none from a browser).
    const secret = writes === 'open' && guard.crossSite(browserContext(c)) === null ? { write_secret: writeSecret } : {};
    c.header('Cache-Control', 'no-store');
    return c.json({ version: o.version, date_range: range, counts, event_types: EVENT_TYPES, writes, ...secret, limits: { body_bytes: maxBody, report_chars: MAX_REPORT_CHARS },
      sides: Object.fromEntries(controlRules().sides),
      side_colours: Object.fromEntries(sideColours()),
      type_colours: TYPE_COLOURS,
    });
  });

  app.get('/api/openapi.json', (c) => c.json(openApiDocument(o.version)));

  app.get('/api/boundaries', (c) => {
    const q = parse(BoundariesQuery, c.req.query());
    const g = geo();
    if (q.country && !g.units(1, q.country).length) throw new ApiError(404, 'not_found', `no boundaries for country ${q.country.toUpperCase()}`);
    c.header('Cache-Control', 'max-age=3600');
    return c.json(g.topology(q.country));
  });

  const labels = new Map<string, string>();
  app.get('/api/labels', (c) => {
    const q = parse(BoundariesQuery, c.req.query());
    const g = geo();
    if (q.country && !g.units(1, q.country).length) throw new ApiError(404, 'not_found', `no boundaries for country ${q.country.toUpperCase()}`);
    const key = q.country?.toUpperCase() ?? '';
    let body = labels.get(key);
    if (!body) {
      // One point inside each unit, so a name is drawn once, not once per map tile.
      const features = ([1, 2] as const).flatMap((level) =>
        g.featureCollection(level, q.country).features.map((f) => ({
          type: 'Feature' as const,
          geometry: { type: 'Point' as const, coordinates: labelPoint(f.geometry) },
          properties: { level, name: f.properties.name, pcode: f.properties.pcode, country: f.properties.country },
        })),
      );
      labels.set(key, (body = JSON.stringify({ type: 'FeatureCollection', features })));
    }
    return c.body(body, 200, { 'Content-Type': 'application/geo+json', 'Cache-Control': 'max-age=3600' });
  });

  // The map's place search: the gazetteer as `sitrep geocode` answers it, nothing fetched from elsewhere.
  app.get('/api/geocode', (c) => {
    const q = parse(GeocodeQuery, c.req.query());
    c.header('Cache-Control', 'max-age=3600');
    const opts = { boundaries: geo(), dataDir: o.config.dataDir };
    // lat and lon: the units holding the point and its nearest place (`geocode --reverse`).
    if (q.q === undefined) return c.json(reverseGeocode(o.resources().gazetteer, { lat: q.lat!, lon: q.lon! }, opts));
    return c.json(geocodeQuery(o.resources().gazetteer, q.q, { ...opts, country: q.country }));
  });

  app.get('/api/events', async (c) => {
    const q = parse(EventsQuery, c.req.query());
    const accept = c.req.header('accept') ?? '';
    const format = q.format ?? (/text\/csv/.test(accept) ? 'csv' : /application\/geo\+json/.test(accept) ? 'geojson' : 'json');
    return answer(keyOf(c, format), async () => {
      const page = await o.store.events({
        from: q.from,
        to: q.to,
        country: q.country,
        admin1: q.admin1,
        admin2: q.admin2,
        type: q.type,
        bbox: q.bbox,
        knownAt: q.known_at,
        after: q.cursor ?? null,
        limit: q.limit,
      });
      if (format === 'json') return { body: JSON.stringify(page), headers: { 'Content-Type': 'application/json' } };
      // CSV and GeoJSON carry the next page in headers, as their bodies have no place for it.
      const headers: Record<string, string> = {};
      if (page.next) {
        const next = new URL(c.req.url);
        next.searchParams.set('cursor', page.next);
        headers['X-Next-Cursor'] = page.next;
        headers.Link = `<${next.pathname}${next.search}>; rel="next"`;
      }
      if (format === 'csv' || format === 'acled' || format === 'acled-2020') return { body: formatEvents(page.events, format), headers: { ...headers, 'Content-Type': 'text/csv; charset=utf-8' } };
      if (format === 'jsonl') return { body: formatEvents(page.events, 'jsonl'), headers: { ...headers, 'Content-Type': 'application/x-ndjson' } };
      return { body: formatEvents(page.events, 'geojson'), headers: { ...headers, 'Content-Type': 'application/geo+json' } };
    });
  });

  // The map's actor filter: every actor of the store, with the side rules/control/sides.tsv puts it on.
  app.get('/api/actors', async (c) => {
    parse(ActorsQuery, c.req.query());
    return answer(keyOf(c), async () => {
      const sides = controlRules().sides;
      const actors = (await o.store.actors()).map((a) => ({ ...a, side: sides.get(a.actor) ?? null }));
      return { body: JSON.stringify({ actors }), headers: { 'Content-Type': 'application/json' } };
    });
  });

  // The map's theatre switcher: the store's countries with their counts and the extent to fit.
  app.get('/api/theatres', async (c) => {
    parse(TheatresQuery, c.req.query());
    return answer(keyOf(c), async () => ({ body: JSON.stringify(theatresDocument(await o.store.theatres(), geo())), headers: { 'Content-Type': 'application/json' } }));
  });

  // The chart above the map's slider: how many events each day, by type (the page sums the types it shows).
  app.get('/api/days', async (c) => {
    const q = parse(DaysQuery, c.req.query());
    return answer(keyOf(c), async () => ({
      body: JSON.stringify({ known_at: q.known_at ?? null, days: await o.store.eventsPerDay(q.known_at) }),
      headers: { 'Content-Type': 'application/json' },
    }));
  });

  app.get('/api/events/:id', async (c) => {
    const id = c.req.param('id');
    if (id.length > 100) throw new ApiError(400, 'invalid_parameter', 'event id too long');
    // PostgreSQL refuses NUL in text: a bad request, not a 500.
    if (hasNul(id)) throw new ApiError(400, 'invalid_parameter', 'event id must not contain NUL');
    const e = await o.store.event(id);
    if (!e) throw new ApiError(404, 'not_found', `no event ${id}`);
    return c.json(e);
  });

  app.get('/api/reports/:id', async (c) => {
    const id = c.req.param('id');
    if (!/^\d{1,15}$/.test(id)) throw new ApiError(400, 'invalid_parameter', `report id "${id.slice(0, 40)}" is not a number`);
    const r = await o.store.report(Number(id));
    if (!r) throw new ApiError(404, 'not_found', `no report ${id}`);
    return c.json(r);
  });

  app.get('/api/control', async (c) => {
    const q = parse(ControlQuery, c.req.query());
    return answer(keyOf(c), async () => {
      const districts = await o.store.control({ asOf: q.as_of, knownAt: q.known_at, country: q.country, admin1: q.admin1 });
      const header = { asOf: q.as_of, knownAt: q.known_at };
      if (q.format === 'geojson') return { body: JSON.stringify(controlGeoJson(districts, geo(), header)), headers: { 'Content-Type': 'application/geo+json' } };
      return { body: JSON.stringify(controlDocument(districts, header)), headers: { 'Content-Type': 'application/json' } };
    });
  });

  const BRIEF_TYPES = { md: 'text/markdown; charset=utf-8', html: 'text/html; charset=utf-8', json: 'application/json' } as const;
  app.get('/api/brief', async (c) => {
    const q = parse(BriefQuery, c.req.query());
    const format = q.format ?? 'md';
    return answer(keyOf(c), async () => {
      const input = await readBriefInput(o.store, { country: q.country, admin1: q.admin1, admin2: q.admin2, from: q.from, to: q.to, knownAt: q.known_at });
      return { body: renderBrief(buildBrief(input, briefWording()).value, format, format === 'html' ? mapData() : undefined), headers: { 'Content-Type': BRIEF_TYPES[format] } };
    });
  });

  app.get('/api/timeline', async (c) => {
    const q = parse(TimelineQuery, c.req.query());
    const t = await o.store.timeline(q.admin2, q.known_at);
    if (!t.district) throw new ApiError(404, 'not_found', `no district "${q.admin2}" in the store`);
    return c.json({ district: t.district, claims: t.claims.map(claimEvidence) });
  });

  app.get('/api/alerts', async (c) => {
    const q = parse(AlertsQuery, c.req.query());
    const rows = await o.store.follow.alerts({ since: q.since, limit: q.limit, newest: q.order === 'newest' });
    const points = await o.store.eventPoints(rows.flatMap((a) => (Array.isArray(a.alert.events) ? (a.alert.events as string[]) : [])));
    // Another process (watch) writes alerts: never kept, whatever the store.
    c.header('Cache-Control', 'no-store');
    return c.json({
      alerts: rows.map((a) => ({ ...alertJson(a), points: ((a.alert.events as string[] | undefined) ?? []).flatMap((id) => (points.has(id) ? [{ event_id: id, ...points.get(id)! }] : [])) })),
    });
  });

  app.post('/api/extract', limit, async (c) => {
    const body = await reportBody(c);
    const { value, warnings } = prepare(body);
    return c.json({ text: value.text, published: value.published, events: value.events, claims: value.claims, warnings });
  });

  // Who may write is settled before the body is read.
  app.post('/api/reports', writeAccess, limit, async (c) => {
    const body = await reportBody(c);
    const { value, warnings } = prepare(body);
    const run = writeChain.then(async () => {
      try {
        const r = await o.store.addReport(value);
        if (r.status === 'new') for (const country of new Set(value.claims.map((cl) => cl.district.country))) await fillCountry(country);
        return r;
      } finally {
        cache?.clear();
      }
    });
    writeChain = run.catch(() => {});
    const r = await run;
    return c.json(
      { status: r.status, report_id: r.reportId, near_duplicate_of: r.nearDuplicateOf, events_added: r.eventsAdded, events_merged: r.eventsMerged, claims: r.claims, warnings },
      r.status === 'new' ? 201 : 200,
    );
  });

  app.all('/api/*', (c) => {
    throw new ApiError(404, 'not_found', `no route ${c.req.method} ${c.req.path}`);
  });

  registerStatic(app);
  return app;
}
