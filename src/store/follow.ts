// What `sitrep watch` keeps between polls and restarts (sources, the items taken from them) and
// the alerts it raised, in the same database as the reports (migration 003_follow.sql).
import type { Db } from './db.js';

export interface SourceState {
  source: string;
  kind: string | null;
  etag: string | null;
  last_modified: string | null;
  last_success: string | null;
  last_error: string | null;
  last_error_at: string | null;
  failures: number;
  next_poll: string | null;
  items_seen: number;
}

export interface SourceHealth extends SourceState {
  first_polled: string;
  last_polled: string | null;
  /** Items taken per day over the last week (or since the source was first polled, if later). */
  items_per_day: number;
}

export interface StoredAlert {
  id: number;
  rule: string;
  condition: string;
  fired_at: string;
  report_id: number | null;
  alert: Record<string, unknown>;
}

const iso = (v: unknown): string | null => (v == null ? null : v instanceof Date ? v.toISOString() : new Date(String(v)).toISOString());

const STATE_COLUMNS = 'source, kind, etag, last_modified, last_success, last_error, last_error_at, failures, next_poll, items_seen';

function stateFromRow(r: Record<string, unknown>): SourceState {
  return {
    source: String(r.source),
    kind: (r.kind as string | null) ?? null,
    etag: (r.etag as string | null) ?? null,
    last_modified: (r.last_modified as string | null) ?? null,
    last_success: iso(r.last_success),
    last_error: (r.last_error as string | null) ?? null,
    last_error_at: iso(r.last_error_at),
    failures: Number(r.failures ?? 0),
    next_poll: iso(r.next_poll),
    items_seen: Number(r.items_seen ?? 0),
  };
}

export class FollowStore {
  constructor(private readonly db: Db) {}

  /** The state of a source, created empty on first sight. */
  async source(source: string): Promise<SourceState> {
    await this.db.query('INSERT INTO watch_sources (source) VALUES ($1) ON CONFLICT (source) DO NOTHING', [source]);
    const [row] = await this.db.query<Record<string, unknown>>(`SELECT ${STATE_COLUMNS} FROM watch_sources WHERE source = $1`, [source]);
    return stateFromRow(row!);
  }

  /** A poll that answered (304 included): new validators, the failure count reset. */
  async polled(source: string, o: { kind: string; etag: string | null; lastModified: string | null; nextPoll: Date }): Promise<void> {
    await this.db.query(
      `UPDATE watch_sources SET kind = $2, etag = COALESCE($3, etag), last_modified = COALESCE($4, last_modified), last_polled = now(),
         last_success = now(), failures = 0, next_poll = $5 WHERE source = $1`,
      [source, o.kind, o.etag, o.lastModified, o.nextPoll.toISOString()],
    );
  }

  /** A poll that failed: its message kept, the failure counted; returns the failures in a row. */
  async failed(source: string, message: string, nextPoll: (failures: number) => Date): Promise<number> {
    const [r] = await this.db.query<{ failures: number }>(
      `UPDATE watch_sources SET last_polled = now(), last_error = $2, last_error_at = now(), failures = failures + 1 WHERE source = $1 RETURNING failures`,
      [source, message],
    );
    const failures = Number(r?.failures ?? 1);
    await this.db.query('UPDATE watch_sources SET next_poll = $2 WHERE source = $1', [source, nextPoll(failures).toISOString()]);
    return failures;
  }

  /** Which of these item keys were taken before. */
  async seen(source: string, keys: string[]): Promise<Set<string>> {
    if (!keys.length) return new Set();
    const rows = await this.db.query<{ item_key: string }>('SELECT item_key FROM watch_items WHERE source = $1 AND item_key = ANY($2::text[])', [source, keys]);
    return new Set(rows.map((r) => r.item_key));
  }

  /** An item taken (stored, found known, or rejected: none is tried again). */
  async took(source: string, key: string, reportId: number | null): Promise<void> {
    const [r] = await this.db.query<{ source: string }>(
      'INSERT INTO watch_items (source, item_key, report_id) VALUES ($1, $2, $3) ON CONFLICT (source, item_key) DO NOTHING RETURNING source',
      [source, key, reportId],
    );
    if (r) await this.db.query('UPDATE watch_sources SET items_seen = items_seen + 1 WHERE source = $1', [source]);
  }

  async health(): Promise<SourceHealth[]> {
    const rows = await this.db.query<Record<string, unknown>>(
      `SELECT ${STATE_COLUMNS}, first_polled, last_polled,
         (SELECT count(*) FROM watch_items i WHERE i.source = s.source AND i.seen_at > now() - interval '7 days') AS week,
         extract(epoch FROM now() - GREATEST(s.first_polled, now() - interval '7 days')) / 86400.0 AS days
       FROM watch_sources s ORDER BY source`,
    );
    return rows.map((r) => ({
      ...stateFromRow(r),
      first_polled: iso(r.first_polled)!,
      last_polled: iso(r.last_polled),
      // Less than a day of watching counts as a day: a first poll's backlog is not a daily rate.
      items_per_day: Math.round((Number(r.week) / Math.max(1, Number(r.days))) * 10) / 10,
    }));
  }

  /** Keeps an alert; null when one with the same key was raised before (the same change seen again). */
  async addAlert(a: { key: string; rule: string; condition: string; reportId: number | null; alert: Record<string, unknown> }): Promise<StoredAlert | null> {
    const [r] = await this.db.query<Record<string, unknown>>(
      `INSERT INTO alerts (dedup_key, rule, condition, report_id, alert) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (dedup_key) DO NOTHING RETURNING id, rule, condition, fired_at, report_id, alert`,
      [a.key, a.rule, a.condition, a.reportId, JSON.stringify(a.alert)],
    );
    return r ? alertFromRow(r) : null;
  }

  /** Alerts fired on or after `since` (a date YYYY-MM-DD, taken as its start in UTC, or an ISO 8601 time), oldest first. */
  async alerts(q: { since?: string; limit?: number } = {}): Promise<StoredAlert[]> {
    const limit = Math.max(1, Math.min(q.limit ?? 1000, 10_000));
    const since = q.since && q.since.length === 10 ? `${q.since}T00:00:00Z` : (q.since ?? null);
    const rows = await this.db.query<Record<string, unknown>>(
      `SELECT id, rule, condition, fired_at, report_id, alert FROM alerts WHERE ($1::timestamptz IS NULL OR fired_at >= $1::timestamptz)
       ORDER BY fired_at, id LIMIT ${limit}`,
      [since],
    );
    return rows.map(alertFromRow);
  }
}

function alertFromRow(r: Record<string, unknown>): StoredAlert {
  const alert = typeof r.alert === 'string' ? (JSON.parse(r.alert) as Record<string, unknown>) : (r.alert as Record<string, unknown>);
  return { id: Number(r.id), rule: String(r.rule), condition: String(r.condition), fired_at: iso(r.fired_at)!, report_id: r.report_id == null ? null : Number(r.report_id), alert };
}

/** An alert as shown (CLI, API, stdout): its id and time, then what it says. */
export function alertJson(a: StoredAlert): Record<string, unknown> {
  return { id: a.id, fired_at: a.fired_at, ...a.alert };
}
