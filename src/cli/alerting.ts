// Alerts on what ingested reports change, for `sitrep watch`, `worker` and `ingest`: control of the
// districts a report speaks of without and with its claims, the rules of src/follow/alerts.ts
// evaluated, each alert kept once in the store, written as a JSON line and POSTed to a webhook;
// what a crash or an outage left (reports not evaluated, alerts not delivered) caught up later.
import fs from 'node:fs';
import type { Command } from 'commander';
import type { District } from '../control/claims.js';
import { InputError } from '../errors.js';
import { evaluateAlerts, parseAlertRules } from '../follow/alerts.js';
import type { AlertRule, ControlChange, ControlView } from '../follow/alerts.js';
import { ALERT_ID_HEADER, postWebhook } from '../follow/http.js';
import type { Webhook } from '../follow/http.js';
import { sourceSpec } from '../follow/sources.js';
import { decodeInput } from '../ingest/decode.js';
import { version } from '../serve/server.js';
import { alertJson } from '../store/follow.js';
import type { AddResult, AlertSubject, PreparedReport, Store } from '../store/store.js';
import type { Io } from './io.js';

export const userAgent = () => `sitrep/${version()} (conflict report follower; one request at a time per host)`;

export interface AlertFlags {
  alerts?: string;
  webhook?: string;
  webhookSecret?: string;
}

/** The options of alerting, for the commands that ingest (watch, worker, ingest). */
export function alertOptions(cmd: Command): Command {
  return cmd
    .option('--alerts <file>', 'alert rules (TSV: name, area, condition) evaluated on each new report; alerts are JSON lines on stdout')
    .option('--webhook <url>', 'with --alerts: POST each alert here (default $SITREP_WEBHOOK)')
    .option('--webhook-secret <key>', 'sign webhook POSTs with HMAC-SHA256 in X-Sitrep-Signature (default $SITREP_WEBHOOK_SECRET)');
}

/** A file named by a flag, decoded; a missing or unreadable one is an InputError naming the flag. */
export function readFlagFile(file: string, what: string): string {
  try {
    return decodeInput(fs.readFileSync(file), file).text;
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(`${what} ${file}: cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

/** Runs store work one step at a time where the store needs it (an embedded store, as `Watcher` does). */
export type Exclusive = <T>(fn: () => Promise<T>) => Promise<T>;

export interface AlertingOptions {
  /** How often the process catches up (`catchUp`): a failed delivery waits half of it before it is tried again. */
  roundMs: number;
  exclusive: Exclusive;
}

/**
 * How long a process holds a report whose alerts it evaluates, or an alert it sends (four POSTs
 * with their timeouts fit in it): a process that dies lets go of them when it runs out.
 */
export const ALERT_LEASE_MS = 120_000;

export class Alerting {
  private sweep: Promise<void> | null = null;
  private started = false;

  private constructor(
    private readonly store: Store,
    private readonly rules: AlertRule[],
    private readonly webhook: Webhook | null,
    private readonly io: Io,
    private readonly random: () => number,
    private readonly o: AlertingOptions,
  ) {}

  /** The alerting the flags ask for (--alerts, --webhook, --webhook-secret and their variables), or null. Checked before any work. */
  static fromFlags(flags: AlertFlags, env: NodeJS.ProcessEnv = process.env): ((store: Store, io: Io, o?: Partial<AlertingOptions>) => Alerting) | null {
    if (!flags.alerts) {
      if (flags.webhook) throw new InputError('--webhook needs --alerts FILE (the rules that raise alerts)');
      return null;
    }
    const rules = parseAlertRules(readFlagFile(flags.alerts, '--alerts'), flags.alerts);
    const url = flags.webhook ?? env.SITREP_WEBHOOK ?? null;
    if (url) sourceSpec(url, '--webhook', () => false);
    const webhook: Webhook | null = url ? { url, secret: flags.webhookSecret ?? env.SITREP_WEBHOOK_SECRET ?? null, attempts: 4, retryMs: 500, timeoutMs: 10_000, userAgent: userAgent() } : null;
    return (store, io, o = {}) => new Alerting(store, rules, webhook, io, Math.random, { roundMs: o.roundMs ?? 600_000, exclusive: o.exclusive ?? ((fn) => fn()) });
  }

  private get controlRules(): boolean {
    return this.rules.some((r) => r.condition.kind === 'control_changes' || r.condition.kind === 'becomes_contested');
  }

  /** Control of the districts a report speaks of, through claim `throughClaim`. */
  private async controlOf(subject: AlertSubject, throughClaim: number): Promise<Map<string, ControlView>> {
    const out = new Map<string, ControlView>();
    const codes = new Set(subject.claims.map((c) => c.district.code));
    for (const country of new Set(subject.claims.map((c) => c.district.country))) {
      for (const d of await this.store.control({ asOf: subject.report.published, country, throughClaim })) {
        if (codes.has(d.code)) out.set(d.code, { controller: d.controller, status: d.status, since: d.since });
      }
    }
    return out;
  }

  /**
   * Evaluates the rules on a report just stored (by `addReport` with `alertsPendingMs`) and keeps
   * the alerts not raised before; they are to be emitted. The caller holds the store's turn.
   */
  raise(prep: PreparedReport, r: AddResult): Promise<Record<string, unknown>[]> {
    if (r.status !== 'new') return Promise.resolve([]);
    const report = { id: r.reportId, url: prep.url, source: prep.source, title: prep.title, published: prep.published };
    return this.evaluate({ report, events: prep.events, eventIds: r.eventIds, claims: prep.claims });
  }

  /**
   * The alerts of one stored report, kept with the removal of its pending mark. Control before
   * the report is control through the claim before its first, after it through its last: what
   * this report changed, whatever other workers stored meanwhile, and whoever evaluates it.
   */
  private async evaluate(subject: AlertSubject): Promise<Record<string, unknown>[]> {
    const span = this.controlRules && subject.claims.length ? await this.store.claimSpan(subject.report.id) : null;
    const changes: ControlChange[] = [];
    if (span) {
      const [before, after] = [await this.controlOf(subject, span.first - 1), await this.controlOf(subject, span.last)];
      const unknown: ControlView = { controller: null, status: 'unknown', since: null };
      const districts = new Map<string, { district: District; events: number[] }>();
      for (const c of subject.claims) {
        const d = districts.get(c.district.code) ?? { district: c.district, events: [] };
        if (c.event !== null) d.events.push(c.event);
        districts.set(c.district.code, d);
      }
      for (const [code, d] of districts) changes.push({ ...d, before: before.get(code) ?? unknown, after: after.get(code) ?? unknown });
    }
    const drafts = evaluateAlerts(this.rules, { report: subject.report, events: subject.events, eventIds: subject.eventIds, changes });
    const alerts = drafts.map(({ key, ...alert }) => ({ key, rule: alert.rule, condition: alert.condition, reportId: subject.report.id, alert }));
    // With a webhook, each new alert waits for it, held by this process, which sends it next.
    const stored = await this.store.follow.keepAlerts(subject.report.id, alerts, this.webhook ? ALERT_LEASE_MS : undefined);
    return stored.map(alertJson);
  }

  /** An alert out: a JSON line on stdout, and a signed POST to the webhook when one is set. */
  async emit(alert: Record<string, unknown>): Promise<void> {
    this.io.out(`${JSON.stringify(alert)}\n`);
    if (this.webhook) await this.send(alert, this.webhook);
  }

  /**
   * One delivery of an alert this process holds; whether it went is kept in the store. The
   * body is the alert as stored, the same bytes (and signature) whenever it is sent; its id is
   * in the body and a header, for the receiver to drop one it has had. False when it failed.
   */
  private async send(alert: Record<string, unknown>, hook: Webhook): Promise<boolean> {
    const id = Number(alert.id);
    let error: string | null = null;
    try {
      await postWebhook(hook, JSON.stringify(alert), this.random, { [ALERT_ID_HEADER]: String(id) });
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      // The alert stays in the store (`sitrep alerts`) and is sent again in a later round; a hook that is down stops nothing.
      error = e.message;
      this.io.err(`sitrep: alert ${id} not delivered: ${e.message}; it is sent again later\n`);
    }
    await this.o.exclusive(() => this.store.follow.delivery(id, { error, retryMs: this.o.roundMs / 2 }));
    return error === null;
  }

  /**
   * On start and each round: the alerts of reports stored but never evaluated (their process
   * died first) are raised and emitted, and alerts not delivered are sent again, each by one
   * process (claims in the store). An embedded store is opened by one process at a time, so on
   * start what the last one held is let go at once. One catch-up at a time per process.
   */
  catchUp(): Promise<void> {
    this.sweep ??= this.catchUpOnce().finally(() => (this.sweep = null));
    return this.sweep;
  }

  private async catchUpOnce(): Promise<void> {
    const follow = this.store.follow;
    if (!this.started && this.store.db.kind === 'pglite') await this.o.exclusive(() => follow.release());
    this.started = true;
    for (;;) {
      const ids = await this.o.exclusive(() => follow.claimPending(ALERT_LEASE_MS));
      if (!ids.length) break;
      for (const id of ids) {
        const fired = await this.o.exclusive(async () => {
          const subject = await this.store.alertSubject(id);
          // A report deleted meanwhile took its mark with it.
          return subject ? this.evaluate(subject) : [];
        });
        for (const a of fired) await this.emit(a);
      }
    }
    const hook = this.webhook;
    if (!hook) return;
    for (;;) {
      const batch = await this.o.exclusive(() => follow.claimUndelivered(ALERT_LEASE_MS));
      if (!batch.length) return;
      for (const a of batch) {
        // The hook is down: the rest keep their claim until it runs out, and wait for a later round.
        if (!(await this.send(alertJson(a), hook))) return;
      }
    }
  }
}
