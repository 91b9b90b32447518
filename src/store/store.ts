// The store: reports, the events they tell (merged across reports), and the control claims
// they make, in PostgreSQL (embedded PGlite or a server). One report is one transaction.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from '../config.js';
import type { ClaimDraft, District } from '../control/claims.js';
import { controlAt, DEFAULT_CONTROL_OPTIONS } from '../control/status.js';
import type { ClaimRow, ControlOptions, ControlState } from '../control/status.js';
import { InputError } from '../errors.js';
import { daysBetween, isRealDate } from '../core/days.js';
import type { Event, Evidence } from '../schema/event.js';
import { ControlIndex } from './control-index.js';
import { openDb } from './db.js';
import type { Db } from './db.js';
import { FollowStore, markAlertsPending } from './follow.js';
import { bands, contentHash, minhash, NEAR_DUPLICATE_SIMILARITY, similarity } from './fingerprint.js';
import { dateWindow, mergedCertainty, mergedFatalities, sameEvent } from './merge.js';
import type { MergeKey } from './merge.js';

const MIGRATIONS = path.join(ROOT, 'src', 'store', 'migrations');

/** A report ready to store: its text and metadata, the events extracted and the claims they make. */
export interface PreparedReport {
  text: string;
  title: string | null;
  url: string | null;
  source: string | null;
  published: string;
  events: Event[];
  claims: ClaimDraft[];
}

/** A stored report as alerts are evaluated on it (`Store.alertSubject`, or the report just stored). */
export interface AlertSubject {
  report: { id: number; url: string | null; source: string | null; title: string | null; published: string };
  events: Event[];
  /** The stored event id of each event (merged or new), by position. */
  eventIds: string[];
  /** The district of each control claim and the position of the event it stands on. */
  claims: { district: District; event: number | null }[];
}

export interface AddResult {
  status: 'new' | 'known';
  reportId: number;
  nearDuplicateOf: number | null;
  eventsAdded: number;
  eventsMerged: number;
  claims: number;
  /** The stored event (its event_id) each extracted event became or merged into, in order; none for a known report. */
  eventIds: string[];
}

export interface SourceRef {
  report_id: number;
  source: string;
  url: string | null;
  title: string | null;
  published: string | null;
  fatalities: number;
  certainty: string;
  attribution: string | null;
  evidence: Evidence[];
}

export type StoredEvent = Event & { first_known: string; sources_count: number };
export type EventDetail = StoredEvent & { sources: SourceRef[] };

export interface EventQuery {
  from?: string;
  to?: string;
  country?: string;
  admin1?: string;
  admin2?: string;
  /** An ACLED event type or sub-event type. */
  type?: string;
  /** west, south, east, north */
  bbox?: [number, number, number, number];
  /** Only events first reported on or before this date. */
  knownAt?: string;
  /** Opaque cursor from the previous page. */
  after?: string | null;
  limit?: number;
}

export interface ControlQuery {
  asOf: string;
  knownAt?: string;
  country?: string;
  admin1?: string;
  /**
   * Only the claims up to this id: control as it stood once that claim was written (claims
   * are numbered in the order reports are stored, one report at a time; alerts compare a
   * report's first and last).
   */
  throughClaim?: number;
}

export interface DistrictControl extends ControlState {
  country: string;
  admin1: string;
  admin1_code: string | null;
  admin2: string;
  pcode: string | null;
  code: string;
}

/** A country of the store: its events, the codes of its districts with control claims, their extent [w, s, e, n]. */
export interface Theatre {
  country: string;
  events: number;
  districts: string[];
  bbox: [number, number, number, number] | null;
}

export interface BaselineRow {
  district: District;
  controller: string;
  since: string;
  reason: string;
}

const EVENT_COLUMNS = [
  'event_date', 'time_precision', 'event_type', 'sub_event_type', 'actor1', 'assoc_actor_1', 'actor2', 'assoc_actor_2',
  'inter1', 'inter2', 'interaction', 'country', 'iso', 'admin1', 'admin1_code', 'admin2', 'admin2_code', 'location',
  'latitude', 'longitude', 'geo_precision', 'fatalities', 'source', 'notes', 'attribution', 'certainty', 'confidence', 'rule',
] as const;

/** Claims looked at per district to decide its control: the latest change, what contests it, the one before. */
const CLAIMS_PER_DISTRICT = 8;

/** Claims with their evidence kept in memory for the control view. */
const DETAIL_CACHE = 20_000;

// Keep far-future and far-past bounds as dates PostgreSQL accepts.
const END_OF_TIME = '9999-12-31';

function eventFromRow(r: Record<string, unknown>): StoredEvent {
  const e: Record<string, unknown> = { event_id: r.event_id };
  for (const c of EVENT_COLUMNS) e[c] = r[c];
  e.evidence = r.evidence;
  if (r.acled) e.acled = r.acled;
  e.first_known = r.first_known;
  e.sources_count = Number(r.sources_count ?? 1);
  return e as StoredEvent;
}

/** P-codes ("AF0907"), GeoNames admin codes ("SY.13", "ML.08.123") and sitrep's name keys, as against names. */
function isCode(s: string): boolean {
  return /^[A-Z]{2}[0-9.]/.test(s) || s.startsWith('name:');
}

function districtCode(code: string): string | null {
  return code.startsWith('name:') ? null : code;
}

export class Store {
  private readonly index = new ControlIndex();
  private readonly detailCache = new Map<number, ClaimRow>();
  /** What `sitrep watch` keeps: followed sources, the items taken from them, alerts. */
  readonly follow: FollowStore;

  private constructor(
    readonly db: Db,
    readonly control_options: ControlOptions,
  ) {
    this.follow = new FollowStore(db);
  }

  /** Opens (and creates or migrates) the store at a directory or postgres:// URL. */
  static async open(target: string, opts: { control?: ControlOptions } = {}): Promise<Store> {
    const db = await openDb(target);
    try {
      await migrate(db);
    } catch (e) {
      await db.close();
      throw e;
    }
    return new Store(db, opts.control ?? DEFAULT_CONTROL_OPTIONS);
  }

  close(): Promise<void> {
    return this.db.close();
  }

  /**
   * Stores one report with its events and claims, in one transaction: after a crash the
   * report is either all there or not there, and ingesting it again finishes the work.
   */
  async addReport(r: PreparedReport, o: { alertsPendingMs?: number } = {}): Promise<AddResult> {
    return this.db.transaction(async (db) => {
      const result = await addIn(db, r);
      // With alerting on, a new report is marked in its own transaction until its alerts are
      // kept: a process dying in between leaves the mark, and another evaluates it.
      if (o.alertsPendingMs !== undefined && result.status === 'new') await markAlertsPending(db, result.reportId, o.alertsPendingMs);
      return result;
    });
  }

  /**
   * Stores a batch of reports in one transaction (an import's chunk): all of them or, after a
   * failure, none, so a bad file never leaves the store half-written.
   */
  async addReports(rs: PreparedReport[]): Promise<AddResult[]> {
    return this.db.transaction(async (db) => {
      const out: AddResult[] = [];
      for (const r of rs) out.push(await addIn(db, r));
      return out;
    });
  }

  /** Adds districts to the geography (e.g. every district of a country), leaving known ones as they are. */
  async addDistricts(districts: District[]): Promise<void> {
    await this.db.transaction((db) => upsertDistricts(db, districts));
  }

  /** Initial control that reports then amend; known from its own date. */
  async addBaseline(rows: BaselineRow[]): Promise<number> {
    return this.db.transaction(async (db) => {
      await upsertDistricts(db, rows.map((b) => b.district));
      await insertRows(db, 'control_claims', ['district', 'kind', 'actor', 'valid_from', 'known_at', 'reason'], rows.map((b) => [b.district.code, 'baseline', b.controller, b.since, b.since, b.reason]));
      return rows.length;
    });
  }

  async events(q: EventQuery = {}): Promise<{ events: StoredEvent[]; next: string | null }> {
    const where: string[] = [];
    const params: unknown[] = [];
    const p = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    if (q.from) where.push(`e.event_date >= ${p(q.from)}`);
    if (q.to) where.push(`e.event_date <= ${p(q.to)}`);
    if (q.country) where.push(`lower(e.country) = lower(${p(q.country)})`);
    if (q.admin1) where.push(isCode(q.admin1) ? `e.admin1_code = ${p(q.admin1)}` : `lower(e.admin1) = lower(${p(q.admin1)})`);
    // A code or a name, decided here: one condition each can use its index, an OR of both cannot.
    if (q.admin2) where.push(isCode(q.admin2) ? `e.admin2_code = ${p(q.admin2)}` : `lower(e.admin2) = lower(${p(q.admin2)})`);
    if (q.type) where.push(`(lower(e.event_type) = lower(${p(q.type)}) OR lower(e.sub_event_type) = lower(${p(q.type)}))`);
    if (q.knownAt) where.push(`e.first_known <= ${p(q.knownAt)}`);
    if (q.bbox) {
      const [w, s, east, n] = q.bbox;
      where.push(`e.longitude BETWEEN ${p(w)} AND ${p(east)} AND e.latitude BETWEEN ${p(s)} AND ${p(n)}`);
    }
    if (q.after) {
      const cursor = decodeCursor(q.after);
      where.push(`(e.event_date, e.id) > (${p(cursor.date)}::date, ${p(cursor.id)}::bigint)`);
    }
    const limit = Math.max(1, Math.min(q.limit ?? 1000, 10_000));
    // The page as one JSON document: rows out of embedded PostgreSQL cost more than finding them.
    const [doc] = await this.db.query<{ rows: string | null }>(
      `SELECT json_agg(x ORDER BY x.event_date, x.id)::text AS rows FROM (
         SELECT e.*, (SELECT count(*) FROM event_sources s WHERE s.event_id = e.id) AS sources_count FROM events e
         ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY e.event_date, e.id LIMIT ${limit + 1}) x`,
      params,
    );
    const rows = doc?.rows ? (JSON.parse(doc.rows) as Record<string, unknown>[]) : [];
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    const next = rows.length > limit && last ? encodeCursor(String(last.event_date), Number(last.id)) : null;
    return { events: page.map(eventFromRow), next };
  }

  async event(eventId: string): Promise<EventDetail | null> {
    const rows = await this.db.query<Record<string, unknown>>(
      `SELECT e.*, (SELECT count(*) FROM event_sources s WHERE s.event_id = e.id) AS sources_count FROM events e WHERE e.event_id = $1`,
      [eventId],
    );
    if (!rows[0]) return null;
    const sources = await this.db.query<SourceRef>(
      `SELECT s.report_id, s.source, r.url, r.title, s.published, s.fatalities, s.certainty, s.attribution, s.evidence
       FROM event_sources s JOIN reports r ON r.id = s.report_id WHERE s.event_id = $1 ORDER BY s.published, s.report_id`,
      [rows[0].id],
    );
    return { ...eventFromRow(rows[0]), sources };
  }

  /** Where these events are (by event_id), those with coordinates: alerts on a map. */
  async eventPoints(ids: string[]): Promise<Map<string, { longitude: number; latitude: number }>> {
    if (!ids.length) return new Map();
    const rows = await this.db.query<{ event_id: string; longitude: number; latitude: number }>(
      'SELECT event_id, longitude, latitude FROM events WHERE event_id = ANY($1::text[]) AND longitude IS NOT NULL AND latitude IS NOT NULL',
      [[...new Set(ids)]],
    );
    return new Map(rows.map((r) => [r.event_id, { longitude: Number(r.longitude), latitude: Number(r.latitude) }]));
  }

  /** The text of a stored report, for showing evidence in its context. */
  async report(id: number): Promise<{ id: number; title: string | null; url: string | null; source: string | null; published: string | null; text: string } | null> {
    const rows = await this.db.query<{ id: number; title: string | null; url: string | null; source: string | null; published: string | null; text: string }>(
      'SELECT id, title, url, source, published, text FROM reports WHERE id = $1',
      [id],
    );
    return rows[0] ?? null;
  }

  /**
   * What a stored report told, as alerts are evaluated on it: its extracted events (by position)
   * with the stored event each became, and its claims' districts with the positions of their
   * events. For a report whose alerts were not evaluated when it was stored; null when it is gone.
   */
  async alertSubject(reportId: number): Promise<AlertSubject | null> {
    const [r] = await this.db.query<{ id: number; url: string | null; source: string | null; title: string | null; published: string }>(
      'SELECT id, url, source, title, published FROM reports WHERE id = $1',
      [reportId],
    );
    if (!r) return null;
    const told = await this.db.query<{ extracted: Event; event_id: string; row: number }>(
      'SELECT s.extracted, e.event_id, s.event_id AS row FROM event_sources s JOIN events e ON e.id = s.event_id WHERE s.report_id = $1 ORDER BY s.position',
      [reportId],
    );
    const claims = await this.db.query<District & { row: number | null }>(
      `SELECT d.code, d.country, d.admin1, d.admin1_code, d.admin2, cc.event_id AS row FROM control_claims cc JOIN districts d ON d.code = cc.district
       WHERE cc.report_id = $1 ORDER BY cc.id`,
      [reportId],
    );
    return {
      report: { id: Number(r.id), url: r.url, source: r.source, title: r.title, published: r.published },
      events: told.map((t) => t.extracted),
      eventIds: told.map((t) => t.event_id),
      claims: claims.map(({ row, ...district }) => {
        // Two events of the report merged into one stored event: the claim stands on the first of them.
        const i = row == null ? -1 : told.findIndex((t) => Number(t.row) === Number(row));
        return { district, event: i < 0 ? null : i };
      }),
    };
  }

  /** The ids of the first and last control claim a report wrote (`throughClaim`), or null when it wrote none. */
  async claimSpan(reportId: number): Promise<{ first: number; last: number } | null> {
    const [r] = await this.db.query<{ first: string | null; last: string | null }>('SELECT min(id) AS first, max(id) AS last FROM control_claims WHERE report_id = $1', [reportId]);
    return r?.first == null ? null : { first: Number(r.first), last: Number(r.last) };
  }

  /** Who controls each district on `asOf`, using only what was reported by `knownAt`. */
  async control(q: ControlQuery): Promise<DistrictControl[]> {
    const knownAt = q.knownAt ?? END_OF_TIME;
    await this.index.refresh(this.db);
    const eq = (a: string | null, b: string) => !!a && a.toLowerCase() === b.toLowerCase();
    const filter = (d: District) =>
      (!q.country || eq(d.country, q.country)) && (!q.admin1 || eq(d.admin1, q.admin1) || d.admin1_code === q.admin1);
    const states = this.index.claimsAt(q.asOf, knownAt, filter, CLAIMS_PER_DISTRICT, q.throughClaim).map(({ district, claims }) => ({ d: district, state: controlAt(claims, q.asOf, this.control_options) }));
    const details = await this.claimDetails(states.flatMap((s) => s.state.evidence.map((c) => c.id)));
    return states.map(({ d, state }) => ({
      country: d.country,
      admin1: d.admin1,
      admin1_code: d.admin1_code ?? null,
      admin2: d.admin2,
      pcode: districtCode(d.code),
      code: d.code,
      controller: state.controller,
      status: state.status,
      since: state.since,
      evidence: state.evidence.map((c) => details.get(c.id)!),
    }));
  }

  /**
   * The claims with what they rest on (evidence, event, source), by id. A claim never changes
   * once written, so the ones shown recently are kept (a map's slider asks for them again).
   */
  private async claimDetails(ids: number[]): Promise<Map<number, ClaimRow>> {
    const out = new Map<number, ClaimRow>();
    const missing: number[] = [];
    for (const id of ids) {
      const hit = this.detailCache.get(id);
      if (hit) out.set(id, hit);
      else missing.push(id);
    }
    if (missing.length) {
      const [r] = await this.db.query<{ rows: string | null }>(
        `SELECT json_agg(x)::text AS rows FROM (${CLAIM_ROWS} WHERE cc.id = ANY($1::bigint[])) x`,
        [[...new Set(missing)]],
      );
      for (const row of r?.rows ? (JSON.parse(r.rows) as Record<string, unknown>[]) : []) {
        const c = claimFromRow(row);
        out.set(c.id, c);
        this.detailCache.set(c.id, c);
      }
      // Oldest first out: a Map iterates in insertion order.
      for (const id of this.detailCache.keys()) {
        if (this.detailCache.size <= DETAIL_CACHE) break;
        this.detailCache.delete(id);
      }
    }
    return out;
  }

  /** Every claim about one district (by code or name), oldest first: its control history. */
  async timeline(district: string, knownAt?: string): Promise<{ district: District | null; claims: ClaimRow[] }> {
    const ds = await this.db.query<District>(
      'SELECT code, country, admin1, admin1_code, admin2 FROM districts WHERE code = $1 OR lower(admin2) = lower($1) ORDER BY code LIMIT 1',
      [district],
    );
    const d = ds[0];
    if (!d) return { district: null, claims: [] };
    const rows = await this.db.query<Record<string, unknown>>(
      `${CLAIM_ROWS} WHERE cc.district = $1 AND cc.known_at <= $2 ORDER BY cc.valid_from, cc.known_at, cc.id`,
      [d.code, knownAt ?? END_OF_TIME],
    );
    return { district: d, claims: rows.map(claimFromRow) };
  }

  /** The first and last event or claim dates in the store (for a time slider). */
  async dateRange(): Promise<{ min: string; max: string } | null> {
    const [r] = await this.db.query<{ min: string | null; max: string | null }>(
      `SELECT min(d)::text AS min, max(d)::text AS max FROM (
         SELECT min(event_date) AS d FROM events UNION ALL SELECT max(event_date) FROM events
         UNION ALL SELECT min(valid_from) FROM control_claims UNION ALL SELECT max(valid_from) FROM control_claims) x`,
    );
    return r?.min && r.max ? { min: r.min, max: r.max } : null;
  }

  /**
   * The countries the store speaks of (the map's theatre switcher): how many events each has,
   * the districts with control claims, and the extent of its events and of the places its claims
   * were told at (null when none has coordinates). Most events first.
   */
  async theatres(): Promise<Theatre[]> {
    const rows = await this.db.query<Record<string, unknown>>(
      `WITH ev AS (
         SELECT country, count(*) AS n, min(longitude) AS w, min(latitude) AS s, max(longitude) AS e, max(latitude) AS nn FROM events GROUP BY country),
       cl AS (
         SELECT d.country, array_agg(DISTINCT d.code) AS codes, min(e.longitude) AS w, min(e.latitude) AS s, max(e.longitude) AS e, max(e.latitude) AS nn
         FROM control_claims cc JOIN districts d ON d.code = cc.district LEFT JOIN events e ON e.id = cc.event_id GROUP BY d.country)
       SELECT coalesce(ev.country, cl.country) AS country, coalesce(ev.n, 0) AS events, coalesce(cl.codes, '{}') AS codes,
              least(ev.w, cl.w) AS w, least(ev.s, cl.s) AS s, greatest(ev.e, cl.e) AS e, greatest(ev.nn, cl.nn) AS n
       FROM ev FULL JOIN cl ON cl.country = ev.country ORDER BY 2 DESC, 1`,
    );
    return rows.map((r) => ({
      country: String(r.country),
      events: Number(r.events),
      districts: (r.codes as string[]).map(String),
      bbox: r.w == null ? null : [Number(r.w), Number(r.s), Number(r.e), Number(r.n)],
    }));
  }

  /**
   * Events per day and type (the map's chart above the slider), optionally only those first
   * reported by `knownAt`; days without events are left out.
   */
  async eventsPerDay(knownAt?: string): Promise<{ date: string; event_type: string; count: number }[]> {
    const rows = await this.db.query<{ date: string; event_type: string; n: number | string }>(
      `SELECT event_date::text AS date, event_type, count(*) AS n FROM events
       ${knownAt ? 'WHERE first_known <= $1' : ''} GROUP BY event_date, event_type ORDER BY event_date, event_type`,
      knownAt ? [knownAt] : [],
    );
    return rows.map((r) => ({ date: r.date, event_type: r.event_type, count: Number(r.n) }));
  }

  /**
   * Every actor the events name (actor1, actor2 and the associated actors, which ACLED joins with
   * "; "), with how many events name it, most named first: the map's actor filter offers these.
   */
  async actors(): Promise<{ actor: string; events: number }[]> {
    const rows = await this.db.query<{ actor: string; n: number | string }>(
      `SELECT actor, count(DISTINCT id) AS n FROM (
         SELECT e.id, trim(a) AS actor FROM events e,
           unnest(string_to_array(e.actor1, ';') || string_to_array(e.actor2, ';') || string_to_array(e.assoc_actor_1, ';') || string_to_array(e.assoc_actor_2, ';')) a) x
       WHERE actor <> '' GROUP BY actor ORDER BY n DESC, actor`,
    );
    return rows.map((r) => ({ actor: r.actor, events: Number(r.n) }));
  }

    /** Fresh planner statistics after a batch of writes (embedded PostgreSQL runs no autovacuum). */
  async analyze(): Promise<void> {
    await this.db.exec('ANALYZE');
  }

  async counts(): Promise<{ reports: number; events: number; sources: number; claims: number; districts: number }> {
    const [r] = await this.db.query<Record<string, number>>(
      `SELECT (SELECT count(*) FROM reports) AS reports, (SELECT count(*) FROM events) AS events,
              (SELECT count(*) FROM event_sources) AS sources, (SELECT count(*) FROM control_claims) AS claims,
              (SELECT count(*) FROM districts) AS districts`,
    );
    return { reports: Number(r!.reports), events: Number(r!.events), sources: Number(r!.sources), claims: Number(r!.claims), districts: Number(r!.districts) };
  }
}

/** Claims with what they rest on (the event's id, the report's source and URL), as claimFromRow reads them. */
const CLAIM_ROWS = `SELECT cc.id, cc.kind, cc.actor, cc.against, cc.valid_from, cc.known_at, cc.certainty, cc.attribution, cc.reason, cc.evidence,
         e.event_id, e.longitude, e.latitude, cc.report_id, r.source, r.url
  FROM control_claims cc LEFT JOIN events e ON e.id = cc.event_id LEFT JOIN reports r ON r.id = cc.report_id`;

function claimFromRow(r: Record<string, unknown>): ClaimRow {
  return {
    id: Number(r.id),
    kind: r.kind as ClaimRow['kind'],
    actor: String(r.actor),
    against: String(r.against ?? ''),
    valid_from: String(r.valid_from),
    known_at: String(r.known_at),
    certainty: String(r.certainty),
    attribution: (r.attribution as string | null) ?? null,
    reason: String(r.reason),
    evidence: (r.evidence as Evidence[]) ?? [],
    event_id: (r.event_id as string | null) ?? null,
    point: r.longitude == null || r.latitude == null ? null : [Number(r.longitude), Number(r.latitude)],
    report_id: r.report_id == null ? null : Number(r.report_id),
    source: (r.source as string | null) ?? null,
    url: (r.url as string | null) ?? null,
  };
}


function encodeCursor(date: string, id: number): string {
  return Buffer.from(`${date}|${id}`).toString('base64url');
}

function decodeCursor(cursor: string): { date: string; id: number } {
  const [date, id] = Buffer.from(cursor, 'base64url').toString().split('|');
  // A real date and an id within a bigint (and exact in a double): else PostgreSQL would fail on it.
  if (!date || !isRealDate(date) || !id || !/^\d{1,15}$/.test(id)) throw new InputError(`bad cursor "${cursor.slice(0, 100)}"`);
  return { date, id: Number(id) };
}

/**
 * Applies the numbered SQL files not yet applied, each in its own transaction. Processes
 * opening one new PostgreSQL store at once (workers started together) take turns under an
 * advisory lock (per schema: test stores share a database) and each looks again at what is
 * applied once it holds the lock, so every migration runs once; an up-to-date store takes no lock.
 */
export async function migrate(db: Db): Promise<number> {
  const files = fs.readdirSync(MIGRATIONS).filter((f) => /^\d+_.*\.sql$/.test(f)).sort();
  const pending = async (q: Db) => {
    const [t] = await q.query<{ ok: boolean }>("SELECT to_regclass('schema_migrations') IS NOT NULL AS ok");
    const applied = new Set(t!.ok ? (await q.query<{ version: number }>('SELECT version FROM schema_migrations')).map((r) => r.version) : []);
    return files.filter((f) => !applied.has(Number(f.split('_')[0])));
  };
  const inTurn = (tx: Db) => tx.query("SELECT pg_advisory_xact_lock(hashtext('sitrep.migrate.' || current_schema()))");
  if (!(await pending(db)).length) return 0;
  await db.transaction(async (tx) => {
    await inTurn(tx);
    await tx.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())');
  });
  let n = 0;
  for (const f of await pending(db)) {
    const version = Number(f.split('_')[0]);
    const sql = fs.readFileSync(path.join(MIGRATIONS, f), 'utf8');
    n += await db.transaction(async (tx) => {
      await inTurn(tx);
      if ((await tx.query('SELECT 1 FROM schema_migrations WHERE version = $1', [version])).length) return 0;
      await tx.exec(sql);
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [version, f]);
      return 1;
    });
  }
  return n;
}

/** A stored event a new one may be the same as (the columns `sameEvent` reads). */
type Candidate = MergeKey & { id: number; event_id: string; acled_free: boolean };

/** Merge candidates looked at per event, nearest in date first (as sitrep_look gives them). */
const MERGE_CANDIDATES = 50;

/**
 * What sitrep_look (migrations/007_faster_writes.sql) answers: `known`, or the rest. `other`
 * holds the candidates of the same province spelled otherwise, found by the province's code:
 * ACLED writes "Sala al-Din" and "Sud-Kivu" where the geocoder writes "Salah al-Din" and "South
 * Kivu"; an imported row has the codes the geocoder gives its names, so it meets the extracted
 * events of its province (and they meet it), never another row. They bring their code and
 * point, which `sameEvent` then compares.
 */
interface Look {
  known?: number;
  report_id: number;
  near: { id: number; minhash: number[]; near_duplicate_of: number | null }[];
  candidates: (Candidate & { i: number })[];
  other: (Candidate & { i: number })[];
  taken: string[];
}

/**
 * The ids an extracted event may take: the one extraction gave it (country code and a hash of
 * its source, date, type, place and first actor, "AFG1a2b3c4d"), so that it is the same after a
 * crash and a rerun, or in another store fed the same reports; where another event has that id
 * already, a hash of the report and the event's place in it is added ("AFG1a2b3c4d-9f3e").
 * Stores made before keep the ids they gave (country code and row number, "AFG67").
 */
function eventIdChoices(e: Event, where: string): string[] {
  const base = /^[A-Z]{3}[0-9a-z]+$/.test(e.event_id) ? e.event_id : `${/^[A-Z]{3}/.exec(e.event_id)?.[0] ?? 'XXX'}${createHash('sha1').update(e.event_id).digest('hex').slice(0, 8)}`;
  const tail = createHash('sha1').update(where).digest('hex');
  return [base, `${base}-${tail.slice(0, 4)}`, `${base}-${tail.slice(0, 12)}`, `${base}-${tail}`];
}

/**
 * One report with its events and claims, inside the caller's transaction, in two round trips
 * (three when events merge into stored ones): what is known is read at once (sitrep_look,
 * migrations 005 and 007), merges and ids are decided here, and everything is written by one
 * call (sitrep_write), sent without waiting: on a server the COMMIT goes with it.
 */
async function addIn(db: Db, r: PreparedReport): Promise<AddResult> {
  const hash = contentHash(r.text);
  const sig = minhash(r.text);
  const reportBands = bands(sig);
  const windows = r.events.map((e, i) => {
    const [lo, hi] = dateWindow({ event_date: e.event_date, time_precision: 3 });
    return { i, event_type: e.event_type, country: e.country, admin1: e.admin1, admin1_code: e.admin1_code || null, lo, hi, d: e.event_date, acled: !!e.acled };
  });
  const choices = r.events.map((e, i) => eventIdChoices(e, `${hash}:${i}`));
  const [row] = await db.query<{ look: Look }>('SELECT sitrep_look($1, $2, $3, $4, $5) AS look', [hash, r.url, reportBands, JSON.stringify(windows), choices.flat()], { name: 'sitrep_look' });
  const look = row!.look;
  if (look.known !== undefined) return { status: 'known', reportId: Number(look.known), nearDuplicateOf: null, eventsAdded: 0, eventsMerged: 0, claims: 0, eventIds: [] };
  const reportId = Number(look.report_id);
  const nearHit = look.near.find((x) => similarity(x.minhash, sig) >= NEAR_DUPLICATE_SIMILARITY);
  const near = nearHit ? (nearHit.near_duplicate_of ?? nearHit.id) : null;

  // Merge decisions, in event order: an event may also be the same as one this report added
  // before it (new rows come after every stored one, as their ids would).
  const stored = new Map<number, (Candidate & { i: number })[]>();
  for (const c of [...look.candidates, ...look.other]) {
    if (!stored.has(c.i)) stored.set(c.i, []);
    const list = stored.get(c.i)!;
    if (!list.some((x) => x.id === c.id)) list.push(c);
  }
  const taken = new Set(look.taken);
  const acledSet = new Set<number>();
  const added: { e: Event; event_id: string; pos: number; acled: unknown }[] = [];
  const targets: { id: number | null; key: string }[] = [];
  const mergedIds: number[] = [];
  const acledOf = new Map<number, unknown>();
  r.events.forEach((e, i) => {
    const w = windows[i]!;
    const fresh: (Candidate & { order: number })[] = added
      .filter((a) => a.e.event_type === e.event_type && a.e.country === e.country && a.e.admin1 === e.admin1 && a.e.event_date >= w.lo && a.e.event_date <= w.hi && (!e.acled || !a.acled))
      .map((a) => ({ ...a.e, id: -1, event_id: a.event_id, acled_free: !a.acled, order: a.pos }));
    const pool = [...(stored.get(i) ?? []).filter((c) => !(e.acled && acledSet.has(c.id))).map((c) => ({ ...c, order: -1 })), ...fresh]
      .map((c) => ({ c, gap: Math.abs(daysBetween(c.event_date, e.event_date)) }))
      .sort((a, b) => a.gap - b.gap || (a.c.order < 0 && b.c.order < 0 ? a.c.id - b.c.id : a.c.order - b.c.order))
      .slice(0, MERGE_CANDIDATES);
    const hit = pool.find((x) => sameEvent(x.c, e))?.c;
    if (hit && hit.order < 0) {
      mergedIds.push(hit.id);
      targets.push({ id: hit.id, key: hit.event_id });
      // An ACLED row merged into an extracted event gives it ACLED's ids and fields for export.
      if (e.acled && hit.acled_free && !acledSet.has(hit.id)) {
        acledSet.add(hit.id);
        acledOf.set(hit.id, e.acled);
      }
      return;
    }
    if (hit) {
      targets.push({ id: null, key: hit.event_id });
      const target = added.find((a) => a.event_id === hit.event_id)!;
      if (e.acled) target.acled ??= e.acled;
      return;
    }
    const id = choices[i]!.find((c) => !taken.has(c));
    if (!id) throw new Error(`event id ${choices[i]![0]}: every candidate is taken`);
    taken.add(id);
    added.push({ e, event_id: id, pos: i, acled: e.acled ?? null });
    targets.push({ id: null, key: id });
  });
  const merged = r.events.length - added.length;

  const sources = r.events.map((e, position) => ({
    position,
    id: targets[position]!.id,
    key: targets[position]!.key,
    source: e.source || r.source || '',
    published: r.published,
    fatalities: e.fatalities,
    certainty: e.certainty,
    extracted: e,
  }));
  const updates = await mergedFigures(db, [...new Set(mergedIds)], reportId, sources, acledOf);
  // A new event is read from the extracted event of the source at its position (sitrep_write,
  // migration 007: each event's JSON is passed once). One told twice in this report has its
  // figures from both tellings, as a stored one.
  const newRows = added.map(({ event_id, pos, acled }) => {
    const row: Record<string, unknown> = { pos, event_id, acled };
    const of = sources.filter((s) => s.id === null && s.key === event_id);
    if (of.length > 1) Object.assign(row, figures(of.map((s) => ({ ...s, report_id: reportId, confidence: s.extracted.confidence }))));
    return row;
  });
  const districts = [...new Map(r.claims.map((c) => [c.district.code, c.district])).values()];
  await db.send(
    'SELECT sitrep_write($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)',
    [
      reportId, hash, r.url, r.title, r.source, r.published, r.text, sig, near, reportBands,
      JSON.stringify(newRows),
      JSON.stringify(sources.map(({ position, id, key, source, extracted }) => ({ position, id, key, source, extracted }))),
      JSON.stringify(updates),
      JSON.stringify(districts),
      JSON.stringify(r.claims.map((c, pos) => ({ ...c, pos, district: c.district.code, id: c.event === null ? null : targets[c.event]!.id, key: c.event === null ? null : targets[c.event]!.key }))),
    ],
    { name: 'sitrep_write' },
  );
  return { status: 'new', reportId, nearDuplicateOf: near, eventsAdded: added.length, eventsMerged: merged, claims: r.claims.length, eventIds: targets.map((t) => t.key) };
}

/** One telling of an event, as figures are recomputed from. */
type Telling = { fatalities: number; certainty: Event['certainty']; source: string; published: string | null; report_id: number; confidence: number };

/**
 * A merged event's figures from all its tellings (codebook: the most conservative), in date
 * order (no date last), then report: the order the sources' names are listed in.
 */
function figures(tellings: Telling[]): { fatalities: number; certainty: Event['certainty']; source: string; confidence: number; first_known: string | null } {
  const byDate = (a: Telling, b: Telling) => (a.published === b.published ? 0 : a.published === null ? 1 : b.published === null ? -1 : a.published < b.published ? -1 : 1) || a.report_id - b.report_id;
  const of = [...tellings].sort(byDate);
  const names = [...new Set(of.map((s) => s.source).filter(Boolean))];
  const firstKnown = of.map((s) => s.published).filter((d): d is string => !!d).sort()[0];
  // More independent reports make an event more certain: 1 - product of each source's doubt.
  const confidence = 1 - of.reduce((acc, s) => acc * (1 - Math.min(0.99, s.confidence || 0)), 1);
  return {
    fatalities: mergedFatalities(of.map((s) => s.fatalities)),
    certainty: mergedCertainty(of.map((s) => s.certainty)),
    source: names.join('; '),
    confidence: Math.round(confidence * 100) / 100,
    first_known: firstKnown ?? null,
  };
}

/** Stored events this report merges into: their figures from their stored tellings and this report's, as rows for sitrep_write's update. */
async function mergedFigures(
  db: Db,
  ids: number[],
  reportId: number,
  sources: { id: number | null; source: string; published: string; fatalities: number; certainty: Event['certainty']; extracted: Event }[],
  acledOf: Map<number, unknown>,
): Promise<Record<string, unknown>[]> {
  if (!ids.length) return [];
  const rows = await db.query<Telling & { event_id: number }>(
    `SELECT s.event_id, s.fatalities, s.certainty, s.source, s.published, s.report_id, (s.extracted->>'confidence')::float AS confidence
     FROM event_sources s WHERE s.event_id = ANY($1::bigint[])`,
    [ids],
    { name: 'sitrep_merged_sources' },
  );
  for (const s of sources) if (s.id !== null) rows.push({ event_id: s.id, fatalities: s.fatalities, certainty: s.certainty, source: s.source, published: s.published, report_id: reportId, confidence: s.extracted.confidence });
  return ids.map((id) => ({ id, ...figures(rows.filter((s) => Number(s.event_id) === id)), acled: acledOf.get(id) ?? null }));
}

/** Bind parameters per statement: PostgreSQL's protocol counts them in 16 bits (65,535 at most). */
export const MAX_PARAMS = 30_000;

/** Multi-row INSERTs instead of a statement per row, in chunks within the bind parameter limit. */
async function insertRows(db: Db, table: string, columns: string[], rows: unknown[][]): Promise<void> {
  const perStatement = Math.max(1, Math.floor(MAX_PARAMS / columns.length));
  for (let i = 0; i < rows.length; i += perStatement) {
    const params: unknown[] = [];
    const tuples = rows.slice(i, i + perStatement).map((r) => `(${r.map((v) => (params.push(v), `$${params.length}`)).join(', ')})`);
    await db.query(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${tuples.join(', ')}`, params);
  }
}

async function upsertDistricts(db: Db, districts: District[]): Promise<void> {
  const unique = [...new Map(districts.map((d) => [d.code, d])).values()];
  for (let i = 0; i < unique.length; i += 1000) {
    const params: unknown[] = [];
    const tuples = unique.slice(i, i + 1000).map((d) => `(${[d.code, d.country, d.admin1, d.admin1_code, d.admin2].map((v) => (params.push(v), `$${params.length}`)).join(', ')})`);
    await db.query(`INSERT INTO districts (code, country, admin1, admin1_code, admin2) VALUES ${tuples.join(', ')} ON CONFLICT (code) DO NOTHING`, params);
  }
}
