// What `sitrep watch` keeps between polls and restarts (sources, the items taken from them) and
// the alerts it raised with their delivery, in the same database as the reports (migrations
// 004_follow.sql, 006_alerts_delivery.sql).
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

  /**
   * Keeps an alert; null when one with the same key was raised before (the same change seen
   * again). `sendWithinMs`: it waits for the webhook, held by this process for that long;
   * without it there is nothing to send and it is kept as delivered.
   */
  addAlert(a: NewAlert, sendWithinMs?: number): Promise<StoredAlert | null> {
    return insertAlert(this.db, a, sendWithinMs);
  }

  /**
   * The alerts evaluated on one report, kept in one transaction with the removal of the
   * report's pending mark (alerts_pending): after a crash both happened or neither did.
   * Returns those not raised before.
   */
  keepAlerts(reportId: number, alerts: NewAlert[], sendWithinMs?: number): Promise<StoredAlert[]> {
    return this.db.transaction(async (tx) => {
      const out: StoredAlert[] = [];
      for (const a of alerts) {
        const stored = await insertAlert(tx, a, sendWithinMs);
        if (stored) out.push(stored);
      }
      await tx.query('DELETE FROM alerts_pending WHERE report_id = $1', [reportId]);
      return out;
    });
  }

  /**
   * Claims for `leaseMs` up to `limit` reports whose alerts are still to be evaluated and that no
   * process holds (its lease ran out: it died). SKIP LOCKED: two workers asking at once get
   * different reports.
   */
  async claimPending(leaseMs: number, limit = 50): Promise<number[]> {
    const rows = await this.db.query<{ report_id: number }>(
      `UPDATE alerts_pending SET claimed_until = now() + $1::float8 * interval '1 millisecond' WHERE report_id IN (
         SELECT report_id FROM alerts_pending WHERE claimed_until < now() ORDER BY report_id LIMIT ${limit} FOR UPDATE SKIP LOCKED)
       RETURNING report_id`,
      [leaseMs],
    );
    return rows.map((r) => Number(r.report_id)).sort((a, b) => a - b);
  }

  /** Claims for `leaseMs` up to `limit` alerts not delivered yet that no process holds, oldest first. */
  async claimUndelivered(leaseMs: number, limit = 50): Promise<StoredAlert[]> {
    const rows = await this.db.query<Record<string, unknown>>(
      `UPDATE alerts SET claimed_until = now() + $1::float8 * interval '1 millisecond' WHERE id IN (
         SELECT id FROM alerts WHERE delivered_at IS NULL AND (claimed_until IS NULL OR claimed_until < now()) ORDER BY id LIMIT ${limit} FOR UPDATE SKIP LOCKED)
       RETURNING ${ALERT_COLUMNS}`,
      [leaseMs],
    );
    return rows.map(alertFromRow).sort((a, b) => a.id - b.id);
  }

  /** Lets go of every claim (on an embedded store's start: the process that held them is gone). */
  async release(): Promise<void> {
    await this.db.query('UPDATE alerts SET claimed_until = NULL WHERE delivered_at IS NULL AND claimed_until IS NOT NULL');
    await this.db.query("UPDATE alerts_pending SET claimed_until = '-infinity'");
  }

  /** A delivery tried: delivered, or failed with its error and left for `retryMs` before it is tried again. */
  async delivery(id: number, outcome: { error: string | null; retryMs: number }): Promise<void> {
    await this.db.query(
      outcome.error === null
        ? 'UPDATE alerts SET delivered_at = now(), attempts = attempts + 1, last_error = NULL, claimed_until = NULL WHERE id = $1'
        : `UPDATE alerts SET attempts = attempts + 1, last_error = $2, claimed_until = now() + $3::float8 * interval '1 millisecond' WHERE id = $1`,
      outcome.error === null ? [id] : [id, outcome.error, outcome.retryMs],
    );
  }

  /** Alerts fired on or after `since` (a date YYYY-MM-DD, taken as its start in UTC, or an ISO 8601 time), oldest first (or `newest` first). */
  async alerts(q: { since?: string; limit?: number; newest?: boolean } = {}): Promise<StoredAlert[]> {
    const limit = Math.max(1, Math.min(q.limit ?? 1000, 10_000));
    const since = q.since && q.since.length === 10 ? `${q.since}T00:00:00Z` : (q.since ?? null);
    const rows = await this.db.query<Record<string, unknown>>(
      `SELECT ${ALERT_COLUMNS} FROM alerts WHERE ($1::timestamptz IS NULL OR fired_at >= $1::timestamptz)
       ORDER BY ${q.newest ? 'fired_at DESC, id DESC' : 'fired_at, id'} LIMIT ${limit}`,
      [since],
    );
    return rows.map(alertFromRow);
  }
}

export interface NewAlert {
  key: string;
  rule: string;
  condition: string;
  reportId: number | null;
  alert: Record<string, unknown>;
}

const ALERT_COLUMNS = 'id, rule, condition, fired_at, report_id, alert';

async function insertAlert(db: Db, a: NewAlert, sendWithinMs?: number): Promise<StoredAlert | null> {
  const [r] = await db.query<Record<string, unknown>>(
    `INSERT INTO alerts (dedup_key, rule, condition, report_id, alert, delivered_at, claimed_until)
     VALUES ($1, $2, $3, $4, $5, CASE WHEN $6::float8 IS NULL THEN now() END, now() + $6::float8 * interval '1 millisecond')
     ON CONFLICT (dedup_key) DO NOTHING RETURNING ${ALERT_COLUMNS}`,
    [a.key, a.rule, a.condition, a.reportId, JSON.stringify(a.alert), sendWithinMs ?? null],
  );
  return r ? alertFromRow(r) : null;
}

/** Marks a report just stored (inside its transaction) as having alerts to evaluate, held by this process for `leaseMs`. */
export async function markAlertsPending(db: Db, reportId: number, leaseMs: number): Promise<void> {
  await db.query(`INSERT INTO alerts_pending (report_id, claimed_until) VALUES ($1, now() + $2::float8 * interval '1 millisecond')`, [reportId, leaseMs]);
}

function alertFromRow(r: Record<string, unknown>): StoredAlert {
  const alert = typeof r.alert === 'string' ? (JSON.parse(r.alert) as Record<string, unknown>) : (r.alert as Record<string, unknown>);
  return { id: Number(r.id), rule: String(r.rule), condition: String(r.condition), fired_at: iso(r.fired_at)!, report_id: r.report_id == null ? null : Number(r.report_id), alert };
}

/** An alert as shown (CLI, API, stdout): its id and time, then what it says. */
export function alertJson(a: StoredAlert): Record<string, unknown> {
  return { id: a.id, fired_at: a.fired_at, ...a.alert };
}
